"""Peppol Business Message Envelope (SBDH): wrap a UBL document for sending and
unwrap one on receipt. :func:`unwrap` is what every parser calls first."""
from __future__ import annotations

import datetime as dt

from lxml import etree

from ehf.errors import EhfError
from ehf.namespaces import CBC, SBDH

ACTOR_SCHEME = "iso6523-actorid-upis"
DOCID_SCHEME = "busdox-docid-qns"
PROCESS_SCHEME = "cenbii-procid-ubl"
UBL_VERSION = "2.1"


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, f"{{{SBDH}}}{tag}", attrs)
    if text is not None:
        el.text = text
    return el


def wrap(
    ubl: etree._Element,
    *,
    sender: str,
    receiver: str,
    instance_id: str,
    created_at: dt.datetime,
    country_c1: str | None = None,
) -> etree._Element:
    """Return a new ``StandardBusinessDocument`` holding a copy of ``ubl``.

    ``sender``/``receiver`` are Peppol participant ids such as ``0192:987654325``;
    ``instance_id`` is a UUID chosen (and kept stable) by the caller; the document and
    process identifiers are taken from the UBL root, CustomizationID and ProfileID."""
    if created_at.tzinfo is None:
        raise EhfError("The SBDH creation time must be timezone-aware.")
    qname = etree.QName(ubl)
    customization = (ubl.findtext(f"{{{CBC}}}CustomizationID") or "").strip()
    profile = (ubl.findtext(f"{{{CBC}}}ProfileID") or "").strip()
    if not customization or not profile:
        raise EhfError("Cannot wrap a document without CustomizationID and ProfileID.")
    root = etree.Element(f"{{{SBDH}}}StandardBusinessDocument", nsmap={None: SBDH})
    header = _sub(root, "StandardBusinessDocumentHeader")
    _sub(header, "HeaderVersion", "1.0")
    _sub(_sub(header, "Sender"), "Identifier", sender, Authority=ACTOR_SCHEME)
    _sub(_sub(header, "Receiver"), "Identifier", receiver, Authority=ACTOR_SCHEME)
    ident = _sub(header, "DocumentIdentification")
    _sub(ident, "Standard", qname.namespace)
    _sub(ident, "TypeVersion", UBL_VERSION)
    _sub(ident, "InstanceIdentifier", instance_id)
    _sub(ident, "Type", qname.localname)
    _sub(ident, "CreationDateAndTime", created_at.isoformat(timespec="seconds"))
    scope = _sub(header, "BusinessScope")
    doc_id = f"{qname.namespace}::{qname.localname}##{customization}::{UBL_VERSION}"
    for kind, value, scheme in (("DOCUMENTID", doc_id, DOCID_SCHEME), ("PROCESSID", profile, PROCESS_SCHEME)):
        s = _sub(scope, "Scope")
        _sub(s, "Type", kind)
        _sub(s, "InstanceIdentifier", value)
        _sub(s, "Identifier", scheme)
    if country_c1 is not None:
        s = _sub(scope, "Scope")
        _sub(s, "Type", "COUNTRY_C1")
        _sub(s, "InstanceIdentifier", country_c1)
    root.append(etree.fromstring(etree.tostring(ubl)))
    return root


def is_sbdh(root: etree._Element) -> bool:
    return bool(root.tag == f"{{{SBDH}}}StandardBusinessDocument")


def unwrap(root: etree._Element) -> etree._Element:
    """The business document: ``root`` itself, or the payload of an SBDH envelope
    (returned as the root of its own tree, so absolute paths work on it)."""
    if not is_sbdh(root):
        return root
    payload = [c for c in root if isinstance(c.tag, str) and etree.QName(c).namespace != SBDH]
    if len(payload) != 1:
        raise EhfError("The SBDH envelope must contain exactly one business document.")
    return etree.fromstring(etree.tostring(payload[0]))


def header_value(root: etree._Element, path: str) -> str | None:
    """Text of an SBDH header element, e.g. ``"Sender/Identifier"``."""
    el = root.find("/".join(f"{{{SBDH}}}{p}" for p in ["StandardBusinessDocumentHeader", *path.split("/")]))
    return el.text.strip() if el is not None and el.text else None
