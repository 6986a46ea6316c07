"""Hostile or broken input is refused with EhfError (and a clear message), never
fetched, expanded or crashed on."""
from __future__ import annotations

from pathlib import Path

import pytest

from ehf import EhfError, parse_order, validate
from ehf.xmlsafe import parse_bytes

ORDER_NS = "urn:oasis:names:specification:ubl:schema:xsd:Order-2"


def test_xxe_file_entity_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    doc = (f'<?xml version="1.0"?><!DOCTYPE Order [<!ENTITY x SYSTEM "file://{secret}">]>'
           f'<Order xmlns="{ORDER_NS}"><ID>&x;</ID></Order>').encode()
    with pytest.raises(EhfError, match="DOCTYPE") as exc:
        parse_order(doc)
    assert "TOPSECRET" not in str(exc.value)
    with pytest.raises(EhfError):
        validate(doc)


def test_billion_laughs_is_refused() -> None:
    entities = '<!ENTITY a0 "lol">' + "".join(
        f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    doc = f'<?xml version="1.0"?><!DOCTYPE Order [{entities}]><Order xmlns="{ORDER_NS}">&a9;</Order>'.encode()
    with pytest.raises(EhfError):
        parse_order(doc)


def test_external_dtd_is_refused() -> None:
    doc = (f'<?xml version="1.0"?><!DOCTYPE Order SYSTEM "http://example.invalid/order.dtd">'
           f'<Order xmlns="{ORDER_NS}"/>').encode()
    with pytest.raises(EhfError, match="DOCTYPE"):
        parse_order(doc)


def test_size_limit() -> None:
    with pytest.raises(EhfError, match="limit"):
        parse_bytes(b"<a>" + b"x" * 2000 + b"</a>", max_bytes=1000)


@pytest.mark.parametrize("data", [b"", b"not xml", b"\x00\xff\xfe", b"<Order>", b"{\"json\": true}"])
def test_not_xml(data: bytes) -> None:
    with pytest.raises(EhfError, match="XML|Empty"):
        parse_order(data)


def test_wrong_root() -> None:
    with pytest.raises(EhfError, match="Expected a UBL Order document, got 'Catalogue'"):
        parse_order(b'<Catalogue xmlns="urn:oasis:names:specification:ubl:schema:xsd:Catalogue-2"/>')


def test_unknown_document_type_in_validate() -> None:
    with pytest.raises(EhfError, match="No validation rules"):
        validate(b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>')
