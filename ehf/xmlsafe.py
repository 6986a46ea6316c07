"""Hardened XML parsing: no network, no DTDs, no entity expansion, a size cap.

Every parser in this library goes through :func:`parse_bytes` (or, for the streaming
catalogue reader, ``iterparse`` with :data:`SAFE_PARSER_OPTIONS` and
:func:`refuse_doctype`) so that hostile input (XXE, billion laughs, external DTDs,
oversize files) is refused in one place.
"""
from __future__ import annotations

from typing import Final

from lxml import etree

from ehf.errors import EhfError

DEFAULT_MAX_BYTES = 50 * 1024 * 1024

SAFE_PARSER_OPTIONS: Final = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,
}
"""Keyword arguments for ``etree.XMLParser`` and ``etree.iterparse``."""


def safe_parser() -> etree.XMLParser:
    return etree.XMLParser(remove_blank_text=False, **SAFE_PARSER_OPTIONS)


def refuse_doctype(tree: etree._ElementTree) -> None:
    """Raise :class:`EhfError` if the document has a DOCTYPE (internal or external DTD)."""
    docinfo = tree.docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise EhfError("Documents with a DOCTYPE declaration are refused.")


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
    refuse_doctype(root.getroottree())
    return root
