"""Peppol BIS Catalogue Response 3 / EHF Catalogue Response (T58): model, parser and builder.

The buyer answers a catalogue with a UBL ApplicationResponse: accepted (AP), rejected (RE)
or acknowledged (AB), naming the catalogue by ID and version. Sender and receiver are
identified by endpoint, an optional party identifier and the registered name.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from enum import StrEnum
from typing import Final

from ehf._ubl import (
    NSMAP,
    add,
    document_root,
    fill_party,
    identifiers,
    new_document,
    parse_enum,
    party,
    prune_empty,
    required_date,
    required_text,
    serialize,
    text,
    time_value,
)
from ehf.errors import EhfError
from ehf.namespaces import APPLICATION_RESPONSE
from ehf.parties import PartyRef
from ehf.rules import ehf_tables, peppol_tables
from ehf.rules.structure import restrict_to_data_model

PEPPOL_CUSTOMIZATION: Final = "urn:fdc:peppol.eu:poacc:trns:catalogue_response:3"
PEPPOL_PROFILE: Final = "urn:fdc:peppol.eu:poacc:bis:catalogue_only:3"
EHF_CUSTOMIZATION: Final = PEPPOL_CUSTOMIZATION + ":extended:urn:fdc:anskaffelser.no:2019:ehf:spec:3.0"
EHF_PROFILE: Final = "urn:fdc:anskaffelser.no:2019:ehf:postaward:g3:01:1.0"


class CatalogueResponseCode(StrEnum):
    """UNCL4343 subset of the catalogue response."""

    ACKNOWLEDGED = "AB"
    ACCEPTED = "AP"
    REJECTED = "RE"


@dataclass(frozen=True)
class CatalogueResponse:
    id: str
    issue_date: date
    sender: PartyRef  # the buyer answering
    receiver: PartyRef  # the catalogue provider
    code: CatalogueResponseCode
    catalogue_id: str  # DocumentReference/ID
    catalogue_version: str | None = None  # DocumentReference/VersionID
    issue_time: time | None = None
    note: str | None = None


def parse_catalogue_response(data: bytes) -> CatalogueResponse:
    """Parse a catalogue response (bare or in an SBDH envelope). Raises :class:`EhfError`
    for malformed XML, another document type or missing mandatory content."""
    root = document_root(data, APPLICATION_RESPONSE, "ApplicationResponse")
    sender = party(root.find("cac:SenderParty", NSMAP))
    receiver = party(root.find("cac:ReceiverParty", NSMAP))
    if sender is None or receiver is None:
        raise EhfError("Missing mandatory element cac:SenderParty or cac:ReceiverParty.")
    response = "cac:DocumentResponse"
    return CatalogueResponse(
        id=required_text(root, "cbc:ID"),
        issue_date=required_date(root, "cbc:IssueDate"),
        sender=sender,
        receiver=receiver,
        code=parse_enum(CatalogueResponseCode, required_text(root, f"{response}/cac:Response/cbc:ResponseCode"),
                        "catalogue response code"),
        catalogue_id=required_text(root, f"{response}/cac:DocumentReference/cbc:ID"),
        catalogue_version=text(root, f"{response}/cac:DocumentReference/cbc:VersionID"),
        issue_time=time_value(root, "cbc:IssueTime"),
        note=text(root, "cbc:Note"),
    )


def build_catalogue_response(resp: CatalogueResponse, *, profile: str = "peppol", sbdh: bool = False) -> bytes:
    """Serialise ``resp`` as a UBL 2.1 ApplicationResponse (UTF-8); ``profile`` is "peppol"
    or "ehf". With ``sbdh=True`` it is wrapped in an SBDH from the sender to the receiver."""
    customization, profile_id = identifiers(
        profile, (PEPPOL_CUSTOMIZATION, PEPPOL_PROFILE), (EHF_CUSTOMIZATION, EHF_PROFILE)
    )
    root = new_document(APPLICATION_RESPONSE, "ApplicationResponse", customization, profile_id)
    add(root, "cbc:ID", resp.id)
    add(root, "cbc:IssueDate", resp.issue_date)
    add(root, "cbc:IssueTime", resp.issue_time)
    add(root, "cbc:Note", resp.note)
    # SenderParty and ReceiverParty are of the Party type themselves (no cac:Party child)
    fill_party(add(root, "cac:SenderParty"), resp.sender, legal_name=True)
    fill_party(add(root, "cac:ReceiverParty"), resp.receiver, legal_name=True)
    document = add(root, "cac:DocumentResponse")
    add(add(document, "cac:Response"), "cbc:ResponseCode", resp.code.value)
    reference = add(document, "cac:DocumentReference")
    add(reference, "cbc:ID", resp.catalogue_id)
    add(reference, "cbc:VersionID", resp.catalogue_version)
    prune_empty(root)
    restrict_to_data_model(root, (ehf_tables.T58 if profile == "ehf" else peppol_tables.T58).nodes)
    return serialize(root, sbdh=sbdh, sender=resp.sender, receiver=resp.receiver)
