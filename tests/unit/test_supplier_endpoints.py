"""Where a supplier's orders may be sent (issue 10, item 2): https to a public address only;
plain http only to loopback, and only when the development flag allows it. The same rules
are used when the central buyer saves an endpoint and when the transport is about to connect."""
from __future__ import annotations

import ipaddress

import pytest

from webshop.supplier.endpoints import EndpointRefused, address_refusal, check_endpoint_url, resolve_checked

ALLOWED = [
    "https://ehf.leverandor.no/inbound",
    "https://ehf.leverandor.no:8443/inbound?kunde=lia",
    "https://93.184.216.34/ehf",
    "https://[2606:4700:4700::1111]/ehf",
]

REFUSED = {  # url -> a word the message must contain
    "http://ehf.leverandor.no/inbound": "https",
    "ftp://ehf.leverandor.no/inbound": "https",
    "ehf.leverandor.no/inbound": "https",
    "https://": "vertsnavn",
    "https://user:secret@ehf.leverandor.no/": "brukernavn",
    "https://ehf.leverandor.no:99999/": "port",
    "https://169.254.169.254/latest/meta-data/": "lenkelokal",
    "https://[fe80::1]/": "lenkelokal",
    "https://10.0.0.5/": "privat",
    "https://172.16.3.4/": "privat",
    "https://192.168.1.1/": "privat",
    "https://[fd00::1]/": "privat",
    "https://100.64.0.1/": "offentlig",
    "https://127.0.0.1/": "maskinen selv",
    "https://[::1]/": "maskinen selv",
    "https://localhost/": "maskinen selv",
    "https://api.localhost/": "maskinen selv",
    "https://0.0.0.0/": "uspesifisert",
    "https://[::]/": "uspesifisert",
    "https://224.0.0.1/": "multicast",
    "https://[ff02::1]/": "multicast",
    "https://2852039166/": "lenkelokal",  # 169.254.169.254 written as one number
    "https://0xa9.0xfe.0xa9.0xfe/": "lenkelokal",  # the same in hex parts
    "https://127.1/": "maskinen selv",
    "https://[::ffff:169.254.169.254]/": "lenkelokal",  # IPv4-mapped IPv6
    "https://[64:ff9b::a9fe:a9fe]/": "lenkelokal",  # NAT64 prefix around the metadata address
    "https://[2002:a9fe:a9fe::1]/": "lenkelokal",  # 6to4 around the metadata address
}


@pytest.mark.parametrize("url", ALLOWED)
def test_https_to_a_public_address_is_allowed(url):
    check_endpoint_url(url, allow_http_loopback=False)
    check_endpoint_url(url, allow_http_loopback=True)


@pytest.mark.parametrize(("url", "word"), list(REFUSED.items()))
def test_refused_endpoints_say_why(url, word):
    with pytest.raises(EndpointRefused) as refused:
        check_endpoint_url(url, allow_http_loopback=False)
    assert word in str(refused.value), str(refused.value)


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080/ehf", "http://localhost:8080/ehf", "http://[::1]:8080/",
                                 "https://127.0.0.1:8443/"])
def test_loopback_only_with_the_development_flag(url):
    check_endpoint_url(url, allow_http_loopback=True)
    with pytest.raises(EndpointRefused, match="maskinen selv|https"):
        check_endpoint_url(url, allow_http_loopback=False)


@pytest.mark.parametrize("url", ["http://10.0.0.5/", "http://169.254.169.254/", "http://ehf.leverandor.no/",
                                 "https://192.168.1.1/"])
def test_the_flag_opens_loopback_and_nothing_else(url):
    with pytest.raises(EndpointRefused):
        check_endpoint_url(url, allow_http_loopback=True)


def test_address_refusal_names_each_kind():
    assert address_refusal(ipaddress.ip_address("8.8.8.8"), allow_loopback=False) is None
    assert "lenkelokal" in address_refusal(ipaddress.ip_address("169.254.1.1"), allow_loopback=True)
    assert address_refusal(ipaddress.ip_address("127.0.0.1"), allow_loopback=True) is None
    assert "maskinen selv" in address_refusal(ipaddress.ip_address("127.0.0.1"), allow_loopback=False)


def test_resolving_refuses_a_name_that_points_at_the_machine_itself():
    # /etc/hosts resolves "localhost" without any network; numeric forms are resolved by the C library
    with pytest.raises(EndpointRefused, match="maskinen selv"):
        resolve_checked("localhost", 443, allow_loopback=False)
    with pytest.raises(EndpointRefused, match="lenkelokal"):
        resolve_checked("2852039166", 443, allow_loopback=False)
    addresses = resolve_checked("127.0.0.1", 443, allow_loopback=True)
    assert [a[4][0] for a in addresses] == ["127.0.0.1"]


def test_a_name_that_does_not_resolve_is_refused():
    with pytest.raises(EndpointRefused, match="finnes ikke|slå opp"):
        resolve_checked("ingen-slik-vert.invalid", 443, allow_loopback=False)


def test_the_loopback_flag_defaults_to_off_outside_debug_and_testing():
    from webshop.supplier.endpoints import loopback_allowed

    assert loopback_allowed({}) is False
    assert loopback_allowed({"ALLOW_HTTP_LOOPBACK_ENDPOINTS": None, "TESTING": False}) is False
    assert loopback_allowed({"TESTING": True}) is True
    assert loopback_allowed({}, debug=True) is True
    assert loopback_allowed({"TESTING": True, "ALLOW_HTTP_LOOPBACK_ENDPOINTS": False}) is False
    assert loopback_allowed({"ALLOW_HTTP_LOOPBACK_ENDPOINTS": True}) is True
