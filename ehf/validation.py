"""Validate a Peppol post-award document: XML Schema plus the transaction's rules.

Rule sets are registered per root element, CustomizationID prefix and (optionally)
ProfileID, because some transactions share a root (Order Response T76 and Order
Agreement T110 are both ``OrderResponse``) and because EHF documents, whose
CustomizationID extends the Peppol one, are checked by the EHF rule sets instead of
the Peppol ones (the longest matching prefix wins). A Catalogue Response (T58) is an
``ApplicationResponse`` with the catalogue response CustomizationID.
"""
from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from ehf.errors import EhfError
from ehf.findings import Finding
from ehf.namespaces import CBC
from ehf.profiles import EHF_ADVANCED_ORDERING_PROFILE
from ehf.rules import billing, t01, t16, t19, t58, t76, t110
from ehf.rules import ehf as ehf_rules
from ehf.rules.engine import RuleSet
from ehf.sbdh import unwrap
from ehf.xmlsafe import parse_bytes
from ehf.xsd import validate_xsd


@dataclass(frozen=True, slots=True)
class Registration:
    root_name: str
    ruleset: RuleSet
    customization_prefix: str | None = None
    profile_id: str | None = None  # only for documents with this ProfileID


_REGISTRY: list[Registration] = []


def register(
    root_name: str,
    ruleset: RuleSet,
    *,
    customization_prefix: str | None = None,
    profile_id: str | None = None,
) -> None:
    """Use ``ruleset`` for documents with root ``root_name`` (and, if given, a
    CustomizationID starting with ``customization_prefix``); ``profile_id`` restricts the
    registration to documents with that ProfileID. The registration with the longest
    matching prefix wins, so EHF documents get the EHF rule sets."""
    _REGISTRY[:] = [r for r in _REGISTRY
                    if not (r.root_name == root_name and r.customization_prefix == customization_prefix
                            and r.profile_id == profile_id)]
    _REGISTRY.append(Registration(root_name, ruleset, customization_prefix, profile_id))


register("Order", t01.RULES, customization_prefix=t01.CUSTOMIZATION_PREFIX)
register("OrderResponse", t76.RULES, customization_prefix=t76.CUSTOMIZATION_PREFIX)
register("OrderResponse", t110.RULES, customization_prefix=t110.CUSTOMIZATION_PREFIX)
register("DespatchAdvice", t16.RULES, customization_prefix=t16.CUSTOMIZATION_PREFIX)
register("Catalogue", t19.RULES, customization_prefix=t19.CUSTOMIZATION_PREFIX)
register("ApplicationResponse", t58.RULES, customization_prefix=t58.CUSTOMIZATION_PREFIX)
# Billing (Peppol BIS Billing 3 = EHF Billing 3.0): the ordering and matching rules, ehf/rules/billing.py
register("Invoice", billing.RULES, customization_prefix=billing.CUSTOMIZATION_PREFIX)
register("CreditNote", billing.RULES, customization_prefix=billing.CUSTOMIZATION_PREFIX)

# EHF documents (CustomizationID "...:extended:urn:fdc:anskaffelser.no:2019:ehf:spec:3.0") are
# checked by the EHF rule sets instead of the Peppol ones, as DFØ's validator does.
_EHF_SPEC = ":extended:urn:fdc:anskaffelser.no:2019:ehf:spec:3.0"
register("Order", ehf_rules.ORDER, customization_prefix=t01.CUSTOMIZATION_PREFIX + _EHF_SPEC)
register("Order", ehf_rules.ADVANCED_ORDER, customization_prefix=t01.CUSTOMIZATION_PREFIX + _EHF_SPEC,
         profile_id=EHF_ADVANCED_ORDERING_PROFILE)
register("OrderResponse", ehf_rules.ORDER_RESPONSE,
         customization_prefix="urn:fdc:peppol.eu:poacc:trns:order_response:3" + _EHF_SPEC)
register("OrderResponse", ehf_rules.ADVANCED_ORDER_RESPONSE,
         customization_prefix="urn:fdc:peppol.eu:poacc:trns:order_response:3" + _EHF_SPEC,
         profile_id=EHF_ADVANCED_ORDERING_PROFILE)
register("DespatchAdvice", ehf_rules.DESPATCH_ADVICE,
         customization_prefix="urn:fdc:peppol.eu:poacc:trns:despatch_advice:3" + _EHF_SPEC)
register("Catalogue", ehf_rules.CATALOGUE, customization_prefix="urn:fdc:peppol.eu:poacc:trns:catalogue:3" + _EHF_SPEC)
register("OrderResponse", ehf_rules.ORDER_AGREEMENT, customization_prefix=t110.CUSTOMIZATION_PREFIX + _EHF_SPEC)
register("ApplicationResponse", ehf_rules.CATALOGUE_RESPONSE,
         customization_prefix=t58.CUSTOMIZATION_PREFIX + _EHF_SPEC)


def select(root: etree._Element) -> Registration:
    """The registration for a (unwrapped) document root."""
    name = etree.QName(root).localname
    customization = (root.findtext(f"{{{CBC}}}CustomizationID") or "").strip()
    profile = (root.findtext(f"{{{CBC}}}ProfileID") or "").strip()
    candidates = [r for r in _REGISTRY if r.root_name == name and r.profile_id in (None, profile)]
    matching = [r for r in candidates
                if r.customization_prefix is None or customization.startswith(r.customization_prefix)]
    if not matching:
        matching = [r for r in candidates if r.customization_prefix is None] or candidates[:1]
    if not matching:
        raise EhfError(f"No validation rules for documents of type {name!r}.")
    return max(matching, key=lambda r: (len(r.customization_prefix or ""), r.profile_id is not None))


def validate_root(root: etree._Element) -> list[Finding]:
    root = unwrap(root)
    ruleset = select(root).ruleset  # first: an unknown document type is an EhfError, not an XSD finding
    return validate_xsd(root) + ruleset.check(root)


def validate(data: bytes) -> list[Finding]:
    """All findings for a document (XSD errors first, then rule findings in rule order).
    Raises :class:`~ehf.errors.EhfError` when ``data`` is not acceptable XML at all."""
    return validate_root(parse_bytes(data))
