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
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
AddrInfo = tuple[Any, ...]  # one getaddrinfo() result: (family, type, proto, canonname, sockaddr)

NAT64 = ipaddress.ip_network("64:ff9b::/96")
# Hosts the C library reads as an IPv4 address: "2852039166", "0xa9.0xfe.0xa9.0xfe", "127.1".
NUMERIC_HOST = re.compile(r"^(0x[0-9a-f]+|[0-9]+)(\.(0x[0-9a-f]+|[0-9]+)){0,3}$", re.IGNORECASE)


def loopback_allowed(config: Mapping[str, Any], *, debug: bool = False) -> bool:
    """``ALLOW_HTTP_LOOPBACK_ENDPOINTS`` when set; otherwise on only in debug and testing."""
    flag = config.get("ALLOW_HTTP_LOOPBACK_ENDPOINTS")
    return bool(config.get("TESTING") or debug) if flag is None else bool(flag)


MESSAGES: dict[str, str] = {
    "scheme": "Adressen må bruke https://, ikke http://.",
    "no_host": "Adressen må begynne med https:// og ha et vertsnavn.",
    "credentials": "Adressen kan ikke inneholde brukernavn eller passord.",
    "port": "Adressen har et ugyldig portnummer.",
    "loopback": "{subject} er maskinen selv (loopback) og kan ikke motta ordrer.",
    "link_local": "{subject} er en lenkelokal adresse (som 169.254.169.254) og kan ikke brukes.",
    "unspecified": "{subject} er en uspesifisert adresse og kan ikke brukes.",
    "multicast": "{subject} er en multicast-adresse og kan ikke brukes.",
    "private": "{subject} er en adresse i et privat nett og kan ikke brukes.",
    "not_global": "{subject} er ikke en offentlig adresse og kan ikke brukes.",
    "unresolvable": "Kunne ikke slå opp {subject}: navnet finnes ikke eller svarer ikke.",
}


class EndpointRefused(ValueError):
    """The address may not be used as a supplier endpoint. ``code`` (a key of MESSAGES) and
    ``subject`` (the host or address) let a form say it in the user's language."""

    def __init__(self, code: str, subject: str = "") -> None:
        super().__init__(MESSAGES[code].format(subject=subject))
        self.code, self.subject = code, subject


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


def refusal_code(ip: IPAddress, *, allow_loopback: bool) -> str | None:
    """Why ``ip`` may not receive orders (a key of MESSAGES), or None when it may."""
    inner = _embedded_ipv4(ip)
    if inner is not None:
        return refusal_code(inner, allow_loopback=allow_loopback)
    if ip.is_loopback:  # loopback also counts as private: decide it first
        return None if allow_loopback else "loopback"
    checks = (("link_local", ip.is_link_local),
              ("unspecified", ip.is_unspecified), ("multicast", ip.is_multicast), ("private", ip.is_private),
              ("not_global", not ip.is_global))
    return next((code for code, refused in checks if refused), None)


def address_refusal(ip: IPAddress, *, allow_loopback: bool) -> str | None:
    """Why ``ip`` may not receive orders, in words, or None when it may."""
    code = refusal_code(ip, allow_loopback=allow_loopback)
    return None if code is None else str(EndpointRefused(code, str(ip)))


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
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host:
        raise EndpointRefused("no_host")
    if parts.username is not None or parts.password is not None:
        raise EndpointRefused("credentials")
    try:
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        raise EndpointRefused("port") from None
    address = _literal_address(host)
    loopback = _is_localhost_name(host) or (address is not None and address.is_loopback)
    if _is_localhost_name(host) and not allow_http_loopback:
        raise EndpointRefused("loopback", host)
    if address is not None:
        code = refusal_code(address, allow_loopback=allow_http_loopback)
        if code:
            raise EndpointRefused(code, str(address))
    if parts.scheme != "https" and not (allow_http_loopback and loopback):
        raise EndpointRefused("scheme")


def resolve_checked(host: str, port: int, *, allow_loopback: bool,
                    resolver: Callable[..., list[AddrInfo]] = socket.getaddrinfo) -> list[AddrInfo]:
    """Resolve ``host`` and return its addresses, or raise EndpointRefused if it does not
    resolve or if any of its addresses is not allowed (a name pointing partly inside is out)."""
    try:
        found = resolver(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise EndpointRefused("unresolvable", host) from None
    if not found:
        raise EndpointRefused("unresolvable", host)
    for info in found:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        code = refusal_code(address, allow_loopback=allow_loopback)
        if code:
            raise EndpointRefused(code, str(address))
    return found
