"""Peppol BIS 3 / EHF 3.0 post-award documents: build, parse and validate.

A standalone library: it imports only the standard library and lxml.
"""
from ehf.errors import EhfError
from ehf.findings import Finding, Flag, has_fatal
from ehf.model import (
    Address,
    AllowanceCharge,
    Classification,
    Contact,
    Delivery,
    MonetaryTotal,
    Order,
    OrderLine,
    Party,
    TaxCategory,
)
from ehf.order import build_order, parse_order
from ehf.orgnr import is_valid_gln, is_valid_gtin, is_valid_orgnr
from ehf.profiles import Profile
from ehf.validate import register, validate
from ehf.xsd import validate_xsd

__all__ = [
    "Address", "AllowanceCharge", "Classification", "Contact", "Delivery", "EhfError", "Finding", "Flag",
    "MonetaryTotal", "Order", "OrderLine", "Party", "Profile", "TaxCategory", "build_order", "has_fatal",
    "is_valid_gln", "is_valid_gtin", "is_valid_orgnr", "parse_order", "register", "validate", "validate_xsd",
]
