"""Peppol BIS 3 / EHF 3.0 post-award documents: build, parse and validate.

Order (T01), Order Response (T76), Order Agreement (T110), Despatch Advice (T16), Catalogue
(T19) and Catalogue Response (T58) have a model, a builder and a parser; :func:`validate`
checks them all.
A standalone library: it imports only the standard library and lxml. See README.md.

``Party`` here is the full Order party (:class:`ehf.model.Party`); the other messages
use the slimmer :class:`PartyRef` (see :mod:`ehf.parties` for why there are two).

The public API is ``__all__`` below (documented in README.md); import from ``ehf``.
"""
from ehf.catalogue import (
    CatalogueHeader,
    CatalogueItem,
    CatalogueReader,
    build_catalogue,
    iter_catalogue,
    write_catalogue,
)
from ehf.catalogue_response import (
    CatalogueResponse,
    CatalogueResponseCode,
    build_catalogue_response,
    parse_catalogue_response,
)
from ehf.components import ItemInstance
from ehf.despatch_advice import (
    DespatchAdvice,
    DespatchLine,
    build_despatch_advice,
    parse_despatch_advice,
)
from ehf.errors import EhfError
from ehf.findings import Finding, Flag, has_fatal
from ehf.model import (
    Address,
    AllowanceCharge,
    Classification,
    Contact,
    Delivery,
    DocumentReference,
    MonetaryTotal,
    Order,
    OrderLine,
    Party,
    TaxCategory,
)
from ehf.order import build_order, parse_order
from ehf.order_agreement import AgreementLine, OrderAgreement, build_order_agreement, parse_order_agreement
from ehf.order_response import (
    LineStatus,
    OrderResponse,
    OrderResponseLine,
    ResponseCode,
    SubstituteItem,
    build_order_response,
    parse_order_response,
)
from ehf.orgnr import is_valid_gln, is_valid_gtin, is_valid_orgnr
from ehf.parties import PartyRef, Period
from ehf.profiles import Profile
from ehf.validation import register, validate
from ehf.xsd import validate_xsd

__all__ = [
    # errors and findings
    "EhfError", "Finding", "Flag", "has_fatal",
    # validation
    "register", "validate", "validate_xsd",
    # Order (T01)
    "Address", "AllowanceCharge", "Classification", "Contact", "Delivery", "DocumentReference", "MonetaryTotal",
    "Order",
    "OrderLine", "Party", "Profile", "TaxCategory", "build_order", "parse_order",
    # identifiers
    "is_valid_gln", "is_valid_gtin", "is_valid_orgnr",
    # shared by the post-award messages
    "PartyRef", "Period",
    # Order Response (T76)
    "LineStatus", "OrderResponse", "OrderResponseLine", "ResponseCode", "SubstituteItem",
    "build_order_response", "parse_order_response",
    # Despatch Advice (T16)
    "DespatchAdvice", "DespatchLine", "ItemInstance", "build_despatch_advice", "parse_despatch_advice",
    # Catalogue (T19)
    "CatalogueHeader", "CatalogueItem", "CatalogueReader", "build_catalogue", "iter_catalogue",
    "write_catalogue",
    # Catalogue Response (T58)
    "CatalogueResponse", "CatalogueResponseCode", "build_catalogue_response", "parse_catalogue_response",
    # Order Agreement (T110)
    "AgreementLine", "OrderAgreement", "build_order_agreement", "parse_order_agreement",
]
