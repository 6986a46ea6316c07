"""UBL 2.1 XML Schema validation. Schemas are loaded from local files only (once per
root element and directory, then cached); findings carry the rule id ``"XSD"``.

The OASIS UBL 2.1 schemas ship inside the package (``ehf/schemas/ubl-2.1``, see its
ORIGIN.md), so validation works on a machine with nothing beside the checkout or wheel.
``$EHF_XSD_DIR`` or a ``directory`` argument overrides that copy."""
from __future__ import annotations

import os
import threading
from functools import lru_cache
from pathlib import Path

from lxml import etree

from ehf.errors import EhfError
from ehf.findings import Finding, Flag
from ehf.sbdh import unwrap
from ehf.xmlsafe import parse_bytes

DEFAULT_XSD_DIR = Path(__file__).resolve().parent / "schemas" / "ubl-2.1"
XSD_RULE = "XSD"


def xsd_dir(directory: str | os.PathLike[str] | None = None) -> Path:
    """The schema directory: the argument, else ``$EHF_XSD_DIR``, else the packaged copy."""
    if directory is not None:
        return Path(directory)
    env = os.environ.get("EHF_XSD_DIR")
    return Path(env) if env else DEFAULT_XSD_DIR


class _Schema:
    def __init__(self, path: Path) -> None:
        parser = etree.XMLParser(no_network=True, resolve_entities=False)
        try:
            self.schema = etree.XMLSchema(etree.parse(str(path), parser))
        except (OSError, etree.XMLSchemaParseError, etree.XMLSyntaxError) as exc:
            raise EhfError(f"Cannot load the XML schema {path}: {exc}") from None
        # an XMLSchema object keeps its error log per call; serialise use across threads
        self.lock = threading.Lock()


@lru_cache(maxsize=32)
def _resolved(directory: Path) -> Path:
    return directory.resolve()  # cached: resolving costs a few system calls per document


@lru_cache(maxsize=32)
def _schema(directory: Path, root_name: str) -> _Schema:
    path = directory / "maindoc" / f"UBL-{root_name}-2.1.xsd"
    if not path.is_file():
        raise EhfError(f"No UBL 2.1 schema for document type {root_name!r} in {directory}.")
    return _Schema(path)


def validate_xsd(
    doc: etree._Element | bytes, *, directory: str | os.PathLike[str] | None = None
) -> list[Finding]:
    """Validate a UBL document (bytes or parsed root; SBDH envelopes are unwrapped)
    against the UBL 2.1 schema of its root element."""
    root = unwrap(parse_bytes(doc) if isinstance(doc, bytes) else doc)
    schema = _schema(_resolved(xsd_dir(directory)), etree.QName(root).localname)
    with schema.lock:
        if schema.schema.validate(root.getroottree() if root.getparent() is None else etree.ElementTree(root)):
            return []
        errors = list(schema.schema.error_log)
    return [Finding(XSD_RULE, Flag.FATAL, e.path or f"line {e.line}", e.message) for e in errors]
