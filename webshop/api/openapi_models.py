"""The shapes of the JSON endpoints' queries and answers, for the OpenAPI document (pydantic models).

Money is a decimal string (``"52.0000"``), never a float; times are ISO 8601 in UTC.
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel

MONEY = r"^-?\d+(\.\d+)?$"


class ApiError(BaseModel):
    """A refusal: a short machine-readable code and a message in Norwegian."""

    error: str
    message: str


# --- catalogue search -------------------------------------------------------------------------------


class SearchQuery(BaseModel):
    q: str = Field("", max_length=200, description="Words, a word part, a typo or an item number (supplier, "
                                                   "manufacturer, GTIN or paper catalogue).")
    limit: int = Field(20, ge=1, le=100, description="How many hits to return.")


class AgreementRef(BaseModel):
    id: int
    reference: str


class SupplierRef(BaseModel):
    id: int
    name: str


class SearchHit(BaseModel):
    id: int = Field(description="The catalogue item (of the live catalogue version) to put in a cart.")
    supplier_item_id: str
    name: str
    description: str | None
    gtin: str | None
    manufacturer_item_id: str | None
    unspsc: str | None
    price: str = Field(pattern=MONEY, description="Agreement price excl. VAT per unit, as an exact decimal.")
    currency: Literal["NOK"]
    unit: str = Field(description="UN/ECE rec 20 unit code, e.g. EA, XPK, KGM.")
    vat_rate: str = Field(pattern=MONEY, description="VAT rate in percent, as an exact decimal.")
    discontinued: bool
    exact_number_match: bool = Field(description="The query was this item's number: it is listed first.")
    agreement: AgreementRef
    supplier: SupplierRef


class SearchResult(BaseModel):
    query: str
    total: int = Field(ge=0, description="Every match in the caller's live catalogues, not just this page.")
    items: list[SearchHit]


# --- inbound EHF documents --------------------------------------------------------------------------


class InboundAnswer(BaseModel):
    """Accepted (202): stored and processed, or stored for the worker; or quarantined (400)."""

    model_config = ConfigDict(extra="forbid")
    id: int = Field(description="The stored inbound document.")
    state: str = Field(description="received, processed, duplicate, ignored or quarantined.")
    outcome: str | None = None
    order: str | None = Field(None, description="The order number the document answered.")
    note: str | None = None
    error: str | None = Field(None, description="Why the document was quarantined (400).")


class InboundRefusal(BaseModel):
    """Refused before anything was stored: missing key (401), too large (413), too many (429), empty (400)."""

    model_config = ConfigDict(extra="forbid")
    error: str


class InboundBadRequest(RootModel[InboundAnswer | InboundRefusal]):
    """400: an empty body (nothing stored), or a document stored and quarantined (with its id)."""


# --- health -----------------------------------------------------------------------------------------


class Alive(BaseModel):
    status: Literal["ok"]


class CheckResult(BaseModel):
    ok: bool
    detail: str


class Readiness(BaseModel):
    status: Literal["ok", "fail"]
    failing: list[str] = Field(description="The names of the checks that failed (empty when ready).")
    checks: dict[str, CheckResult] = Field(description="database, migrations, search_index, outbox, worker.")


# --- adoption (leaders) -----------------------------------------------------------------------------


MONTH = r"^(20\d\d|2100)-(0[1-9]|1[0-2])$"


class AdoptionQuery(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    from_: str = Field(alias="from", pattern=MONTH, description="First month, YYYY-MM.")
    to: str = Field(pattern=MONTH, description="Last month, YYYY-MM: not before from, and a period of at most "
                                                "MAX_MONTHS months (else 400).")


class OrganisationRef(BaseModel):
    id: int
    name: str


class AdoptionMonth(BaseModel):
    month: str = Field(description="YYYY-MM")
    spend_total: str = Field(description="All spend of the month (accounting), exact decimal NOK.")
    spend_e_ordering: str = Field(description="Spend ordered through this app.")
    spend_agreement_suppliers: str = Field(description="Spend with the agreement suppliers.")
    share_of_total: str | None = Field(description="spend_e_ordering / spend_total, or null without spend.")
    share_of_potential: str | None = Field(description="spend_e_ordering / spend_agreement_suppliers, or null.")
    target: str
    large_orders: str


class AdoptionUnit(BaseModel):
    id: int
    name: str
    months: list[AdoptionMonth]


class Adoption(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    organisation: OrganisationRef
    from_: str = Field(alias="from")
    to: str
    target: str
    currency: Literal["NOK"]
    units: list[AdoptionUnit]
    total: list[AdoptionMonth]
    generated_on: str = Field(description="The day the figures were computed (YYYY-MM-DD).")
