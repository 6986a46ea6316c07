"""UBL 2.1 read/write helpers shared by the Order Response, Despatch Advice and
Catalogue modules: namespace-prefixed ``add``/``text`` helpers, value conversion
with :class:`~ehf.errors.EhfError` on bad input, the slim party and period
elements, and document framing (safe parse plus SBDH unwrap, serialise plus
optional SBDH wrap).

Private to the library. The Order module keeps its own reader and writer
(:mod:`ehf.order`): it strips values and words its errors differently, and the
golden files and round-trip tests depend on that.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Final, TypeVar

from lxml import etree

from ehf.errors import EhfError
from ehf.model import Address, Contact, DocumentReference
from ehf.namespaces import CAC, CBC
from ehf.parties import PartyRef, Period
from ehf.sbdh import unwrap, wrap
from ehf.xmlsafe import parse_bytes

NSMAP: Final = {"cbc": CBC, "cac": CAC}
XML_SPACE: Final = " \t\r\n"  # XML whitespace; str.strip() would also eat e.g. U+00A0
Scalar = str | Decimal | date | time | int | None
E = TypeVar("E", bound=StrEnum)


# ------------------------------------------------------------ document framing


def identifiers(profile: str, peppol: tuple[str, str], ehf: tuple[str, str]) -> tuple[str, str]:
    """(CustomizationID, ProfileID) for ``profile`` "peppol" or "ehf"."""
    if profile == "peppol":
        return peppol
    if profile == "ehf":
        return ehf
    raise EhfError(f"Unknown profile {profile!r}; expected 'peppol' or 'ehf'.")


def root_nsmap(default: str) -> dict[str | None, str]:
    """Namespace map of a UBL root: the document namespace as default plus cbc/cac."""
    return {None: default, "cbc": CBC, "cac": CAC}


def new_document(namespace: str, local_name: str, customization: str, profile_id: str) -> etree._Element:
    """A UBL root element with its CustomizationID and ProfileID (no UBLVersionID)."""
    root = etree.Element(f"{{{namespace}}}{local_name}", nsmap=root_nsmap(namespace))
    add(root, "cbc:CustomizationID", customization)
    add(root, "cbc:ProfileID", profile_id)
    return root


def document_root(data: bytes, namespace: str, local_name: str) -> etree._Element:
    """Parse ``data`` safely, strip an SBDH envelope and check the root element."""
    root = unwrap(parse_bytes(data))
    if root.tag != f"{{{namespace}}}{local_name}":
        raise EhfError(f"Expected a UBL {local_name} document, got <{etree.QName(root).localname}>.")
    return root


def serialize(root: etree._Element, *, sbdh: bool, sender: PartyRef, receiver: PartyRef) -> bytes:
    """UTF-8 bytes with XML declaration; with ``sbdh`` wrapped in a Peppol SBDH
    addressed from/to the parties' endpoint ids, with a fresh instance id and the
    current time (call :func:`ehf.sbdh.wrap` directly to choose those)."""
    if sbdh:
        root = wrap(
            root,
            sender=_participant(sender),
            receiver=_participant(receiver),
            instance_id=str(uuid.uuid4()),
            created_at=datetime.now(UTC),
        )
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def _participant(p: PartyRef) -> str:
    if not (p.endpoint_id and p.endpoint_scheme):
        raise EhfError("An SBDH needs the endpoint id and scheme of sender and receiver.")
    return f"{p.endpoint_scheme}:{p.endpoint_id}"


# ----------------------------------------------------------------------- write


def _clark(tag: str) -> str:
    prefix, local = tag.split(":")
    return f"{{{NSMAP[prefix]}}}{local}"


def fmt(value: Scalar) -> str | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise EhfError(f"Not a finite number: {value}.")
        return format(value, "f")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def add(parent: etree._Element, tag: str, value: Scalar = None, **attrs: str | None) -> etree._Element:
    """Append ``tag`` under ``parent``. Text-less aggregate elements are created
    as containers; a leaf whose value is ``None``/blank is still appended but
    removed again by :func:`prune_empty`, which keeps the call sites linear."""
    el = etree.SubElement(parent, _clark(tag))
    text_value = fmt(value)
    if text_value is not None and text_value.strip(XML_SPACE):
        try:
            el.text = text_value
        except ValueError as exc:
            raise EhfError(f"{tag}: {exc}") from None
        for name, val in attrs.items():
            if val:
                el.set(name, val)
    return el


def prune_empty(root: etree._Element) -> None:
    """Remove elements without text and without children (bottom-up), so the
    output never breaks PEPPOL-COMMON-R001 (no empty elements)."""
    for el in reversed(list(root.iter())):
        if el is root:
            continue
        if len(el) == 0 and not (el.text and el.text.strip(XML_SPACE)):
            parent = el.getparent()
            if parent is not None:
                parent.remove(el)


def add_id(parent: etree._Element, tag: str, value: str | None, scheme: str | None = None) -> None:
    if value:
        add(add(parent, tag), "cbc:ID", value, schemeID=scheme)


def add_party(
    parent: etree._Element,
    party: PartyRef,
    *,
    legal_name: bool,
    trade_name: bool = False,
    address: bool = False,
    endpoint: bool = True,
    contact: bool = False,
) -> None:
    """Append a ``cac:Party`` for ``party`` under ``parent`` (see :func:`fill_party`)."""
    fill_party(
        add(parent, "cac:Party"), party, legal_name=legal_name, trade_name=trade_name, address=address,
        endpoint=endpoint, contact=contact,
    )


def fill_party(
    el: etree._Element,
    party: PartyRef,
    *,
    legal_name: bool,
    trade_name: bool = False,
    address: bool = False,
    endpoint: bool = True,
    contact: bool = False,
) -> None:
    """Write the party content into ``el`` in UBL order: EndpointID, PartyIdentification,
    then (as asked) PartyName, PostalAddress, PartyLegalEntity and Contact. ``el`` is a
    ``cac:Party`` or an element of the Party type such as ``cac:ProviderParty``."""
    if endpoint:
        add(el, "cbc:EndpointID", party.endpoint_id, schemeID=party.endpoint_scheme)
    add_id(el, "cac:PartyIdentification", party.party_id, party.party_id_scheme)
    for more_id, more_scheme in party.more_party_ids:
        add_id(el, "cac:PartyIdentification", more_id, more_scheme)
    if trade_name:
        add(add(el, "cac:PartyName"), "cbc:Name", party.trade_name)
    if address and (party.country_code or party.street or party.city or party.postal_zone or party.address_line
                    or party.country_subentity):
        postal = add(el, "cac:PostalAddress")
        add(postal, "cbc:StreetName", party.street)
        add(postal, "cbc:AdditionalStreetName", party.additional_street)
        add(postal, "cbc:CityName", party.city)
        add(postal, "cbc:PostalZone", party.postal_zone)
        add(postal, "cbc:CountrySubentity", party.country_subentity)
        add(add(postal, "cac:AddressLine"), "cbc:Line", party.address_line)
        add(add(postal, "cac:Country"), "cbc:IdentificationCode", party.country_code)
    if legal_name:
        legal = add(el, "cac:PartyLegalEntity")
        add(legal, "cbc:RegistrationName", party.name)
        add(legal, "cbc:CompanyID", party.company_id, schemeID=party.company_id_scheme)
        registration = add(legal, "cac:RegistrationAddress")
        add(registration, "cbc:CityName", party.registration_city)
        add(add(registration, "cac:Country"), "cbc:IdentificationCode", party.registration_country)
    if contact:
        person = add(el, "cac:Contact")
        add(person, "cbc:Name", party.contact_name)
        add(person, "cbc:Telephone", party.contact_telephone)
        add(person, "cbc:ElectronicMail", party.contact_email)


def add_address(parent: etree._Element, tag: str, a: Address | None) -> None:
    """An Address-type element (e.g. ``cac:DespatchAddress``) in UBL order."""
    if a is None:
        return
    el = add(parent, tag)
    add(el, "cbc:StreetName", a.street)
    add(el, "cbc:AdditionalStreetName", a.additional_street)
    add(el, "cbc:CityName", a.city)
    add(el, "cbc:PostalZone", a.postal_zone)
    add(el, "cbc:CountrySubentity", a.country_subentity)
    add(add(el, "cac:AddressLine"), "cbc:Line", a.address_line)
    add(add(el, "cac:Country"), "cbc:IdentificationCode", a.country)


def add_contact(parent: etree._Element, tag: str, c: Contact | None) -> None:
    if c is not None:
        el = add(parent, tag)
        add(el, "cbc:Name", c.name)
        add(el, "cbc:Telephone", c.telephone)
        add(el, "cbc:ElectronicMail", c.email)


def add_document_reference(parent: etree._Element, tag: str, d: DocumentReference) -> None:
    """A DocumentReference-type element: ID, DocumentType and the attachment (embedded
    base64 text or external URI)."""
    el = add(parent, tag)
    add(el, "cbc:ID", d.id)
    add(el, "cbc:DocumentType", d.document_type)
    attachment = add(el, "cac:Attachment")
    add(attachment, "cbc:EmbeddedDocumentBinaryObject", d.embedded, mimeCode=d.mime_code, filename=d.filename)
    add(add(attachment, "cac:ExternalReference"), "cbc:URI", d.uri)


def add_period(parent: etree._Element, tag: str, period: Period) -> None:
    el = add(parent, tag)
    add(el, "cbc:StartDate", period.start_date)
    add(el, "cbc:StartTime", period.start_time)
    add(el, "cbc:EndDate", period.end_date)
    add(el, "cbc:EndTime", period.end_time)


def add_tax_category(parent: etree._Element, tag: str, category: str, percent: Decimal | None,
                     scheme: str | None = None) -> None:
    tc = add(parent, tag)
    add(tc, "cbc:ID", category, schemeID=scheme)
    add(tc, "cbc:Percent", percent)
    add(add(tc, "cac:TaxScheme"), "cbc:ID", "VAT")


# ------------------------------------------------------------------------ read


def parse_enum(kind: type[E], value: object, what: str) -> E:
    """``kind(value)`` with surrounding XML whitespace removed; EhfError listing the
    allowed codes otherwise."""
    try:
        return kind(str(value).strip(XML_SPACE))
    except ValueError:
        allowed = ", ".join(m.value for m in kind)
        raise EhfError(f"Unknown {what} {value!r}; expected one of {allowed}.") from None


def text(el: etree._Element, path: str) -> str | None:
    found = el.find(path, NSMAP)
    if found is None or found.text is None or not found.text.strip(XML_SPACE):
        return None
    return str(found.text)


def texts(el: etree._Element, path: str) -> tuple[str, ...]:
    return tuple(e.text for e in el.iterfind(path, NSMAP) if e.text and e.text.strip(XML_SPACE))


def required_text(el: etree._Element, path: str) -> str:
    value = text(el, path)
    if value is None:
        raise EhfError(f"Missing mandatory element {path}.")
    return value


def attr(el: etree._Element, path: str, name: str) -> str | None:
    found = el.find(path, NSMAP)
    if found is None:
        return None
    value = found.get(name)
    return value if value else None


def decimal(el: etree._Element, path: str) -> Decimal | None:
    value = text(el, path)
    if value is None:
        return None
    return to_decimal(value, path)


def to_decimal(value: str, what: str) -> Decimal:
    try:
        result = Decimal(value.strip())
    except InvalidOperation:
        raise EhfError(f"{what}: {value!r} is not a number.") from None
    if not result.is_finite():
        raise EhfError(f"{what}: {value!r} is not a finite number.")
    return result


def date_value(el: etree._Element, path: str) -> date | None:
    value = text(el, path)
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise EhfError(f"{path}: {value!r} is not a YYYY-MM-DD date.") from None


def required_date(el: etree._Element, path: str) -> date:
    value = date_value(el, path)
    if value is None:
        raise EhfError(f"Missing mandatory element {path}.")
    return value


def time_value(el: etree._Element, path: str) -> time | None:
    value = text(el, path)
    if value is None:
        return None
    try:
        return time.fromisoformat(value.strip())
    except ValueError:
        raise EhfError(f"{path}: {value!r} is not a time.") from None


def period(el: etree._Element | None) -> Period | None:
    if el is None:
        return None
    return Period(
        start_date=date_value(el, "cbc:StartDate"),
        end_date=date_value(el, "cbc:EndDate"),
        start_time=time_value(el, "cbc:StartTime"),
        end_time=time_value(el, "cbc:EndTime"),
    )


def party(el: etree._Element | None) -> PartyRef | None:
    if el is None:
        return None
    more_ids = tuple((str(i.text), i.get("schemeID") or None)
                     for i in el.findall("cac:PartyIdentification/cbc:ID", NSMAP)[1:] if i.text and i.text.strip())
    return PartyRef(
        more_party_ids=more_ids,
        endpoint_id=text(el, "cbc:EndpointID"),
        endpoint_scheme=attr(el, "cbc:EndpointID", "schemeID"),
        party_id=text(el, "cac:PartyIdentification/cbc:ID"),
        party_id_scheme=attr(el, "cac:PartyIdentification/cbc:ID", "schemeID"),
        name=text(el, "cac:PartyLegalEntity/cbc:RegistrationName"),
        trade_name=text(el, "cac:PartyName/cbc:Name"),
        country_code=text(el, "cac:PostalAddress/cac:Country/cbc:IdentificationCode"),
        street=text(el, "cac:PostalAddress/cbc:StreetName"),
        additional_street=text(el, "cac:PostalAddress/cbc:AdditionalStreetName"),
        city=text(el, "cac:PostalAddress/cbc:CityName"),
        postal_zone=text(el, "cac:PostalAddress/cbc:PostalZone"),
        country_subentity=text(el, "cac:PostalAddress/cbc:CountrySubentity"),
        address_line=text(el, "cac:PostalAddress/cac:AddressLine/cbc:Line"),
        contact_name=text(el, "cac:Contact/cbc:Name"),
        contact_telephone=text(el, "cac:Contact/cbc:Telephone"),
        contact_email=text(el, "cac:Contact/cbc:ElectronicMail"),
        company_id=text(el, "cac:PartyLegalEntity/cbc:CompanyID"),
        company_id_scheme=attr(el, "cac:PartyLegalEntity/cbc:CompanyID", "schemeID"),
        registration_city=text(el, "cac:PartyLegalEntity/cac:RegistrationAddress/cbc:CityName"),
        registration_country=text(el, "cac:PartyLegalEntity/cac:RegistrationAddress/cac:Country"
                                  "/cbc:IdentificationCode"),
    )


def address(el: etree._Element | None) -> Address | None:
    if el is None:
        return None
    return Address(
        country=text(el, "cac:Country/cbc:IdentificationCode") or "",
        street=text(el, "cbc:StreetName"),
        additional_street=text(el, "cbc:AdditionalStreetName"),
        city=text(el, "cbc:CityName"),
        postal_zone=text(el, "cbc:PostalZone"),
        country_subentity=text(el, "cbc:CountrySubentity"),
        address_line=text(el, "cac:AddressLine/cbc:Line"),
    )


def contact(el: etree._Element | None) -> Contact | None:
    if el is None:
        return None
    return Contact(text(el, "cbc:Name"), text(el, "cbc:Telephone"), text(el, "cbc:ElectronicMail"))


def document_reference(el: etree._Element) -> DocumentReference:
    return DocumentReference(
        id=text(el, "cbc:ID") or "",
        document_type=text(el, "cbc:DocumentType"),
        uri=text(el, "cac:Attachment/cac:ExternalReference/cbc:URI"),
        embedded=text(el, "cac:Attachment/cbc:EmbeddedDocumentBinaryObject"),
        mime_code=attr(el, "cac:Attachment/cbc:EmbeddedDocumentBinaryObject", "mimeCode"),
        filename=attr(el, "cac:Attachment/cbc:EmbeddedDocumentBinaryObject", "filename"),
    )


def required_party(el: etree._Element, path: str) -> PartyRef:
    found = party(el.find(path, NSMAP))
    if found is None:
        raise EhfError(f"Missing mandatory element {path}.")
    return found


def unless_same(value: str | None, default: str | None) -> str | None:
    """``None`` when ``value`` is what the builder writes by default anyway."""
    return None if value == default else value
