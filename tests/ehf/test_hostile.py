"""Hostile or broken input is refused with EhfError (and a clear message), never
fetched, expanded or crashed on, by every parser: Order, Order Response, Despatch
Advice, ``validate`` and the streaming Catalogue reader.

The byte parsers share :func:`ehf.xmlsafe.parse_bytes` and its size cap. The streaming
catalogue reader has no total size cap by design (catalogues can be gigabytes, memory
stays bounded); libxml2's per-node limits (depth, text node size) still apply to it.
"""
from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest

from ehf import (
    CatalogueReader,
    EhfError,
    iter_catalogue,
    parse_despatch_advice,
    parse_order,
    parse_order_response,
    validate,
)
from ehf.xmlsafe import DEFAULT_MAX_BYTES, parse_bytes

UBL = "urn:oasis:names:specification:ubl:schema:xsd:"
ORDER_NS = f"{UBL}Order-2"

Parser = Callable[[bytes], object]
PARSERS: list[tuple[str, Parser]] = [
    ("Order", parse_order),
    ("Order", validate),
    ("OrderResponse", parse_order_response),
    ("OrderResponse", validate),
    ("DespatchAdvice", parse_despatch_advice),
    ("Catalogue", lambda data: CatalogueReader(io.BytesIO(data))),
    ("Catalogue", lambda data: iter_catalogue(io.BytesIO(data))),
]
BYTE_PARSERS = [(root, fn) for root, fn in PARSERS if root != "Catalogue"]


def ids(cases: list[tuple[str, Parser]]) -> list[str]:
    return [f"{root}-{getattr(fn, '__name__', 'fn').replace('<lambda>', 'reader')}-{i}"
            for i, (root, fn) in enumerate(cases)]


def doc(root: str, doctype: str, body: str = "<ID>1</ID>") -> bytes:
    return f'<?xml version="1.0"?>{doctype}<{root} xmlns="{UBL}{root}-2">{body}</{root}>'.encode()


@pytest.mark.parametrize(("root", "parse"), PARSERS, ids=ids(PARSERS))
def test_xxe_file_entity_is_refused(tmp_path: Path, root: str, parse: Parser) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    data = doc(root, f'<!DOCTYPE {root} [<!ENTITY x SYSTEM "file://{secret}">]>', "<ID>&x;</ID>")
    with pytest.raises(EhfError, match="DOCTYPE") as exc:
        parse(data)
    assert "TOPSECRET" not in str(exc.value)


@pytest.mark.parametrize(("root", "parse"), PARSERS, ids=ids(PARSERS))
def test_billion_laughs_is_refused(root: str, parse: Parser) -> None:
    entities = '<!ENTITY a0 "lol">' + "".join(
        f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    # libxml2 itself stops the expansion in the byte parsers; the reader refuses the DOCTYPE
    with pytest.raises(EhfError, match="DOCTYPE|entity amplification"):
        parse(doc(root, f"<!DOCTYPE {root} [{entities}]>", "<ID>&a9;</ID>"))


@pytest.mark.parametrize(("root", "parse"), PARSERS, ids=ids(PARSERS))
def test_external_dtd_is_refused(root: str, parse: Parser) -> None:
    with pytest.raises(EhfError, match="DOCTYPE"):
        parse(doc(root, f'<!DOCTYPE {root} SYSTEM "http://example.invalid/{root}.dtd">'))


@pytest.mark.parametrize(("root", "parse"), PARSERS, ids=ids(PARSERS))
def test_external_parameter_entity_is_refused(root: str, parse: Parser) -> None:
    with pytest.raises(EhfError, match="DOCTYPE"):
        parse(doc(root, f'<!DOCTYPE {root} [<!ENTITY % p SYSTEM "http://example.invalid/p.dtd"> %p;]>'))


def test_size_limit() -> None:
    with pytest.raises(EhfError, match="limit"):
        parse_bytes(b"<a>" + b"x" * 2000 + b"</a>", max_bytes=1000)


@pytest.mark.parametrize(("root", "parse"), BYTE_PARSERS, ids=ids(BYTE_PARSERS))
def test_size_limit_applies_to_every_byte_parser(root: str, parse: Parser) -> None:
    with pytest.raises(EhfError, match="the limit is"):
        parse(b" " * (DEFAULT_MAX_BYTES + 1))


@pytest.mark.parametrize(("root", "parse"), PARSERS, ids=ids(PARSERS))
def test_excessive_depth_is_refused(root: str, parse: Parser) -> None:
    with pytest.raises(EhfError, match="depth"):
        parse(doc(root, "", "<a>" * 3000 + "</a>" * 3000))


def test_catalogue_reader_refuses_a_huge_text_node() -> None:
    with pytest.raises(EhfError, match="Text node too long"):
        CatalogueReader(io.BytesIO(doc("Catalogue", "", "<ID>" + "x" * (11 * 1024 * 1024) + "</ID>")))


def test_catalogue_reader_closes_the_file_it_refuses(tmp_path: Path) -> None:
    path = tmp_path / "evil.xml"
    path.write_bytes(doc("Catalogue", '<!DOCTYPE Catalogue SYSTEM "http://example.invalid/c.dtd">'))
    with pytest.raises(EhfError, match="DOCTYPE"):
        CatalogueReader(path)  # an unclosed file would fail the run (ResourceWarning is an error)


@pytest.mark.parametrize(("root", "parse"), PARSERS, ids=ids(PARSERS))
@pytest.mark.parametrize("data", [b"", b"not xml", b"\x00\xff\xfe", b"<Order>", b"{\"json\": true}"])
def test_not_xml(root: str, parse: Parser, data: bytes) -> None:
    with pytest.raises(EhfError, match="XML|Empty|Expected"):
        parse(data)


def test_wrong_root() -> None:
    with pytest.raises(EhfError, match="Expected a UBL Order document, got 'Catalogue'"):
        parse_order(b'<Catalogue xmlns="urn:oasis:names:specification:ubl:schema:xsd:Catalogue-2"/>')
    with pytest.raises(EhfError, match="Expected a UBL OrderResponse document, got <Order>"):
        parse_order_response(f'<Order xmlns="{ORDER_NS}"/>'.encode())
    with pytest.raises(EhfError, match="Expected a UBL DespatchAdvice document, got <Order>"):
        parse_despatch_advice(f'<Order xmlns="{ORDER_NS}"/>'.encode())
    with pytest.raises(EhfError, match="Expected a UBL Catalogue document"):
        CatalogueReader(io.BytesIO(f'<Order xmlns="{ORDER_NS}"/>'.encode()))


def test_unknown_document_type_in_validate() -> None:
    with pytest.raises(EhfError, match="No validation rules"):
        validate(b'<Reminder xmlns="urn:oasis:names:specification:ubl:schema:xsd:Reminder-2"/>')
