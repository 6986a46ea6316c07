"""Small value types shared by the post-award messages other than Order (Order
Response, Despatch Advice, Catalogue): :class:`PartyRef` and :class:`Period`.

Why two party types? :class:`ehf.model.Party` is the *full* party an Order
describes (postal address, VAT registration, legal company id, contact) and the
webshop fills in. :class:`PartyRef` is the slim party the other messages carry:
endpoint, one identifier, names and a country code. The two also disagree on what
``name`` means: in ``model.Party`` it is the trading name (``PartyName/Name``) and
``legal_name`` the registered one, while in ``PartyRef`` ``name`` is the registered
name (``PartyLegalEntity/RegistrationName``) and ``trade_name`` the trading name.
Merging them would change the meaning of existing fields, so they stay apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time


@dataclass(frozen=True)
class PartyRef:
    """A trading party as the post-award documents identify it.

    Also importable as ``Party`` from :mod:`ehf.order_response`,
    :mod:`ehf.despatch_advice` and :mod:`ehf.catalogue` (its original name)."""

    endpoint_id: str | None = None
    endpoint_scheme: str | None = None
    party_id: str | None = None
    party_id_scheme: str | None = None
    name: str | None = None  # PartyLegalEntity/RegistrationName
    trade_name: str | None = None  # PartyName/Name
    country_code: str | None = None  # PostalAddress/Country/IdentificationCode
    street: str | None = None  # PostalAddress/StreetName
    additional_street: str | None = None  # PostalAddress/AdditionalStreetName
    city: str | None = None  # PostalAddress/CityName
    postal_zone: str | None = None  # PostalAddress/PostalZone
    country_subentity: str | None = None  # PostalAddress/CountrySubentity (region)
    address_line: str | None = None  # PostalAddress/AddressLine/Line
    contact_name: str | None = None  # Contact/Name
    contact_telephone: str | None = None  # Contact/Telephone
    contact_email: str | None = None  # Contact/ElectronicMail
    more_party_ids: tuple[tuple[str, str | None], ...] = ()  # further PartyIdentification (id, scheme)
    company_id: str | None = None  # PartyLegalEntity/CompanyID (organisation number)
    company_id_scheme: str | None = None
    registration_city: str | None = None  # PartyLegalEntity/RegistrationAddress/CityName
    registration_country: str | None = None  # PartyLegalEntity/RegistrationAddress/Country


@dataclass(frozen=True)
class Period:
    """A date (and optional time) range, e.g. a promised delivery or validity period."""

    start_date: date | None = None
    end_date: date | None = None
    start_time: time | None = None
    end_time: time | None = None
