"""Hardened XML parsing: no network, no DTDs, no entity expansion, a size cap.

Every parser in this library goes through :func:`parse_bytes` so that hostile
input (XXE, billion laughs, external DTDs, oversize files) is refused in one place.
"""
from __future__ import annotations

from lxml import etree

from ehf.errors import EhfError

DEFAULT_MAX_BYTES = 50 * 1024 * 1024


def safe_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
    )


def parse_bytes(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> etree._Element:
    """Parse ``data`` into an element tree root, refusing DTDs and oversize input."""
    if len(data) > max_bytes:
        raise EhfError(f"Document is {len(data)} bytes; the limit is {max_bytes} bytes.")
    try:
        root = etree.fromstring(data, parser=safe_parser())
    except etree.XMLSyntaxError as exc:
        raise EhfError(f"Not well-formed XML: {exc}") from None
    if root is None:
        raise EhfError("Empty document.")
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise EhfError("Documents with a DOCTYPE declaration are refused.")
    return root
