"""Validate a Peppol post-award document: XML Schema plus the transaction's rules.

Rule sets are registered per root element and (optionally) CustomizationID prefix,
because some transactions share a root (Order Response T76 and Order Agreement T110
are both ``OrderResponse``). The Order rules register themselves here; the modules
``ehf.rules.t76``, ``t19``, ``t58``, ``t16`` and ``t110`` are imported lazily if they
exist, and each exposes ``RULES: RuleSet`` (optionally ``ROOT``, the root element
name, ``CUSTOMIZATION_PREFIX`` and ``EHF_EXCLUDE`` to override the defaults below).
"""
from __future__ import annotations

import importlib
import threading
from dataclasses import dataclass

from lxml import etree

from ehf.errors import EhfError
from ehf.findings import Finding
from ehf.namespaces import CBC
from ehf.profiles import EHF_ADVANCED_ORDERING_PROFILE, is_ehf_profile
from ehf.rules import ehf as ehf_rules
from ehf.rules import t01
from ehf.rules.engine import RuleSet
from ehf.sbdh import unwrap
from ehf.xmlsafe import parse_bytes
from ehf.xsd import validate_xsd


@dataclass(frozen=True, slots=True)
class Registration:
    root_name: str
    ruleset: RuleSet
    customization_prefix: str | None = None
    ehf_exclude: frozenset[str] = frozenset()
    profile_id: str | None = None  # only for documents with this ProfileID


_REGISTRY: list[Registration] = []

# module -> (root, CustomizationID prefix, rules EHF documents are exempt from)
_OPTIONAL: dict[str, tuple[str, str, frozenset[str]]] = {
    "ehf.rules.t76": ("OrderResponse", "urn:fdc:peppol.eu:poacc:trns:order_response:3",
                      frozenset({"PEPPOL-T76-B00301"})),
    "ehf.rules.t110": ("OrderResponse", "urn:fdc:peppol.eu:poacc:trns:order_agreement:3",
                       frozenset({"PEPPOL-T110-B00301"})),
    "ehf.rules.t19": ("Catalogue", "urn:fdc:peppol.eu:poacc:trns:catalogue:3", frozenset({"PEPPOL-T19-R017"})),
    "ehf.rules.t58": ("ApplicationResponse", "urn:fdc:peppol.eu:poacc:trns:catalogue_response:3",
                      frozenset({"PEPPOL-T58-B00301"})),
    "ehf.rules.t16": ("DespatchAdvice", "urn:fdc:peppol.eu:poacc:trns:despatch_advice:3",
                      frozenset({"PEPPOL-T16-B00301"})),
}
_loaded = False
_load_lock = threading.Lock()


def register(
    root_name: str,
    ruleset: RuleSet,
    *,
    customization_prefix: str | None = None,
    ehf_exclude: frozenset[str] = frozenset(),
    profile_id: str | None = None,
) -> None:
    """Use ``ruleset`` for documents with root ``root_name`` (and, if given, a
    CustomizationID starting with ``customization_prefix``). ``ehf_exclude`` lists rule
    ids not applied to EHF-profile documents (EHF replaces the Peppol ProfileID rule);
    ``profile_id`` restricts the registration to documents with that ProfileID."""
    _REGISTRY[:] = [r for r in _REGISTRY
                    if not (r.root_name == root_name and r.customization_prefix == customization_prefix
                            and r.profile_id == profile_id)]
    _REGISTRY.append(Registration(root_name, ruleset, customization_prefix, ehf_exclude, profile_id))


register("Order", t01.RULES, customization_prefix=t01.CUSTOMIZATION_PREFIX,
         ehf_exclude=frozenset({"PEPPOL-T01-R031"}))

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


def _load_optional() -> None:
    global _loaded
    with _load_lock:
        if _loaded:
            return
        for module_name, (root, prefix, exclude) in _OPTIONAL.items():
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as exc:
                if exc.name == module_name:
                    continue
                raise
            rules = getattr(module, "RULES", None)
            if isinstance(rules, RuleSet) and not any(r.ruleset is rules for r in _REGISTRY):
                register(getattr(module, "ROOT", root), rules,
                         customization_prefix=getattr(module, "CUSTOMIZATION_PREFIX", prefix),
                         ehf_exclude=frozenset(getattr(module, "EHF_EXCLUDE", exclude)))
        _loaded = True


def select(root: etree._Element) -> Registration:
    """The registration for a (unwrapped) document root."""
    _load_optional()
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
    registration = select(root)
    profile = (root.findtext(f"{{{CBC}}}ProfileID") or "").strip()
    exclude = registration.ehf_exclude if is_ehf_profile(profile) else frozenset()
    return validate_xsd(root) + registration.ruleset.check(root, exclude=exclude)


def validate(data: bytes) -> list[Finding]:
    """All findings for a document (XSD errors first, then rule findings in rule order).
    Raises :class:`~ehf.errors.EhfError` when ``data`` is not acceptable XML at all."""
    return validate_root(parse_bytes(data))
