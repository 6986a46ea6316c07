"""Where a supplier's orders may be sent: https to a public address, never to this machine,
the private network, link-local addresses (169.254.169.254 is the cloud metadata service),
unspecified or multicast addresses. Plain http is allowed only to loopback, and only when
the development flag ``ALLOW_HTTP_LOOPBACK_ENDPOINTS`` says so.

Two checks, one set of rules: ``check_endpoint_url`` when the central buyer saves an
endpoint (the form shows the message), and ``resolve_checked`` when the HTTP transport is
about to connect: it resolves the name and refuses if *any* address is not allowed, so a
name that points at an internal address (or is changed to, after it was saved) never gets a
connection. The transport connects to exactly the addresses checked here.

No Flask, no database; the messages are Norwegian (shown to the central buyer and, as a
delivery error, to the coordinator)."""
from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
AddrInfo = tuple[Any, ...]  # one getaddrinfo() result: (family, type, proto, canonname, sockaddr)

NAT64 = ipaddress.ip_network("64:ff9b::/96")
# Hosts the C library reads as an IPv4 address: "2852039166", "0xa9.0xfe.0xa9.0xfe", "127.1".
NUMERIC_HOST = re.compile(r"^(0x[0-9a-f]+|[0-9]+)(\.(0x[0-9a-f]+|[0-9]+)){0,3}$", re.IGNORECASE)


class EndpointRefused(ValueError):
    """The address may not be used as a supplier endpoint; the message says why."""


def _embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, NAT64, 6to4, Teredo client), if any."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    return None


def address_refusal(ip: IPAddress, *, allow_loopback: bool) -> str | None:
    """Why ``ip`` may not receive orders, or None when it may."""
    inner = _embedded_ipv4(ip)
    if inner is not None:
        return address_refusal(inner, allow_loopback=allow_loopback)
    if ip.is_loopback:
        return None if allow_loopback else f"{ip} er maskinen selv (loopback) og kan ikke motta ordrer."
    if ip.is_link_local:
        return f"{ip} er en lenkelokal adresse (som 169.254.169.254) og kan ikke brukes."
    if ip.is_unspecified:
        return f"{ip} er en uspesifisert adresse og kan ikke brukes."
    if ip.is_multicast:
        return f"{ip} er en multicast-adresse og kan ikke brukes."
    if ip.is_private:
        return f"{ip} er en adresse i et privat nett og kan ikke brukes."
    if not ip.is_global:
        return f"{ip} er ikke en offentlig adresse og kan ikke brukes."
    return None


def _literal_address(host: str) -> IPAddress | None:
    """The address a host name stands for without asking DNS (also the odd numeric IPv4 forms)."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if NUMERIC_HOST.match(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def _is_localhost_name(host: str) -> bool:
    host = host.rstrip(".").lower()
    return host == "localhost" or host.endswith(".localhost")


def check_endpoint_url(url: str, *, allow_http_loopback: bool) -> None:
    """Raise EndpointRefused unless ``url`` is an https URL to a public host (or, with the
    development flag, an http or https URL to loopback). Names are not resolved here."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise EndpointRefused("Adressen må begynne med https:// og ha et vertsnavn.")
    host = parts.hostname or ""
    if not host:
        raise EndpointRefused("Adressen mangler vertsnavn.")
    if parts.username is not None or parts.password is not None:
        raise EndpointRefused("Adressen kan ikke inneholde brukernavn eller passord.")
    try:
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        raise EndpointRefused("Adressen har et ugyldig portnummer.") from None
    address = _literal_address(host)
    loopback = _is_localhost_name(host) or (address is not None and address.is_loopback)
    if _is_localhost_name(host) and not allow_http_loopback:
        raise EndpointRefused(f"{host} er maskinen selv (loopback) og kan ikke motta ordrer.")
    if address is not None:
        refusal = address_refusal(address, allow_loopback=allow_http_loopback)
        if refusal:
            raise EndpointRefused(refusal)
    if parts.scheme != "https" and not (allow_http_loopback and loopback):
        raise EndpointRefused("Adressen må bruke https://, ikke http://.")


def resolve_checked(host: str, port: int, *, allow_loopback: bool,
                    resolver: Callable[..., list[AddrInfo]] = socket.getaddrinfo) -> list[AddrInfo]:
    """Resolve ``host`` and return its addresses, or raise EndpointRefused if it does not
    resolve or if any of its addresses is not allowed (a name pointing partly inside is out)."""
    try:
        found = resolver(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise EndpointRefused(f"Kunne ikke slå opp {host}: navnet finnes ikke eller svarer ikke ({exc}).") from None
    if not found:
        raise EndpointRefused(f"Kunne ikke slå opp {host}: navnet finnes ikke.")
    for info in found:
        refusal = address_refusal(ipaddress.ip_address(str(info[4][0]).split("%")[0]), allow_loopback=allow_loopback)
        if refusal:
            raise EndpointRefused(refusal)
    return found
