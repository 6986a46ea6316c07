"""A generic, data-driven checker for the Peppol generated "basic" rules.

The Peppol structure rules (``PEPPOL-Txx-Bnnnnn``) are all of five kinds: an element
MUST be provided, an attribute MUST be present, a value (or attribute) MUST be part of
a code list, an element MUST contain a fixed value, and a document MUST NOT contain
elements not part of the data model. A transaction describes them as a table of
:class:`NodeSpec` keyed by element path (``"/cac:OrderLine/cac:LineItem"``; ``""`` is
the root) and :func:`structure_check` walks the document once to apply them.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from lxml import etree

from ehf import codelists
from ehf.findings import Flag
from ehf.namespaces import CAC, CBC
from ehf.rules.engine import RuleSet

PREFIX = {CBC: "cbc", CAC: "cac"}


@dataclass(frozen=True, slots=True)
class NodeSpec:
    allowed: frozenset[str]  # child terms of the data model, e.g. "cbc:ID"
    unknown_rule: str | None  # rule for children outside ``allowed``
    mandatory: tuple[tuple[str, str], ...] = ()  # (child term, rule id)
    attributes: tuple[tuple[str, str], ...] = ()  # (required attribute, rule id)
    codes: tuple[tuple[str | None, tuple[str, ...], str], ...] = ()  # (attribute or None=value, lists, rule id)
    fixed: tuple[str, str] | None = None  # (fixed value, rule id)
    fixed_attributes: tuple[tuple[str, str, str], ...] = ()  # (attribute, fixed value, rule id)


@dataclass(frozen=True, slots=True)
class Table:
    """One transaction's generated basic rules: the node table, the assertion text per
    rule id and the rule id of "no schema location" on the root."""

    prefix: str
    schema_location_rule: str
    nodes: Mapping[str, NodeSpec]
    messages: Mapping[str, str]


_TERMS: dict[str, str] = {}


def term(el: etree._Element) -> str:
    """``cbc:ID`` for ``{...CommonBasicComponents-2}ID`` (cached per tag: called per element)."""
    tag = el.tag
    assert isinstance(tag, str)
    found = _TERMS.get(tag)
    if found is None:
        qn = etree.QName(tag)
        prefix = PREFIX.get(qn.namespace or "")
        found = _TERMS[tag] = f"{prefix}:{qn.localname}" if prefix else tag
    return found


def _check_node(el: etree._Element, spec: NodeSpec, child_terms: list[str],
                lists_by_id: Mapping[str, frozenset[str]]) -> Iterator[tuple[str, etree._Element]]:
    def _in_lists(value: str, lists: tuple[str, ...]) -> bool:
        return any(value in lists_by_id[name] for name in lists)

    for child, rule_id in spec.mandatory:
        if child not in child_terms:
            yield rule_id, el
    for required, rule_id in spec.attributes:
        if el.get(required) is None:
            yield rule_id, el
    for attr, lists, rule_id in spec.codes:
        if attr is None:
            if not _in_lists(" ".join((el.text or "").split()), lists):
                yield rule_id, el
        else:
            value = el.get(attr)
            if value is not None and not _in_lists(value, lists):
                yield rule_id, el
    if spec.fixed is not None and " ".join((el.text or "").split()) != spec.fixed[0]:
        yield spec.fixed[1], el
    for attr, fixed, rule_id in spec.fixed_attributes:
        value = el.get(attr)
        if value is not None and value != fixed:
            yield rule_id, el


def structure_check(
    nodes: Mapping[str, NodeSpec], lists: Mapping[str, frozenset[str]] = codelists.BY_ID
) -> Callable[[etree._Element], list[tuple[str, etree._Element]]]:
    """Return a check that applies the ``nodes`` table to a document root (code list
    ids resolved in ``lists``: the Peppol lists by default)."""

    # only these paths have something to check beside the allowed children (most leaves do not)
    checked = frozenset(path for path, spec in nodes.items()
                        if spec.mandatory or spec.attributes or spec.codes or spec.fixed or spec.fixed_attributes)

    def check(root: etree._Element) -> list[tuple[str, etree._Element]]:
        out: list[tuple[str, etree._Element]] = []

        def walk(el: etree._Element, path: str) -> None:
            children = [c for c in el if isinstance(c.tag, str)]
            terms = [term(c) for c in children]
            spec = nodes.get(path)
            if spec is not None and path in checked:
                out.extend(_check_node(el, spec, terms, lists))
            for child, t in zip(children, terms, strict=True):
                if spec is not None and t not in spec.allowed:
                    if spec.unknown_rule:
                        out.append((spec.unknown_rule, child))
                    continue
                walk(child, f"{path}/{t}")

        walk(root, "")
        return out

    return check


def has_schema_location(root: etree._Element) -> bool:
    """``@*:schemaLocation`` on the root: a schemaLocation attribute in any namespace."""
    return any(etree.QName(a).localname == "schemaLocation" for a in root.attrib)


def add_table_rules(rules: RuleSet, table: Table, lists: Mapping[str, frozenset[str]] = codelists.BY_ID) -> None:
    """Declare the generated basic rules of ``table`` in ``rules`` (all fatal) and add the
    check that applies them, including "no schema location" on the root."""
    for rule_id, message in table.messages.items():
        rules.declare(rule_id, Flag.FATAL, message)
    check_structure = structure_check(table.nodes, lists)

    def basic_rules(root: etree._Element) -> list[tuple[str, etree._Element]]:
        out = check_structure(root)
        if has_schema_location(root):
            out.append((table.schema_location_rule, root))
        return out

    rules.add_multi_check(basic_rules)


def restrict_to_data_model(root: etree._Element, nodes: Mapping[str, NodeSpec], base: str = "") -> list[str]:
    """Remove every element that the data model ``nodes`` does not allow where it stands
    (and aggregates left empty by that); return the removed paths. ``base`` is the path of
    ``root`` in the document ("" for the document root, "/cac:CatalogueLine" for a line).
    The builders use it so that a document holds only what its profile's data model allows."""
    removed: list[str] = []

    cac = f"{{{CAC}}}"

    def walk(el: etree._Element, path: str) -> None:
        spec = nodes.get(path)
        allowed = spec.allowed if spec is not None else None
        for child in list(el):
            if not isinstance(child.tag, str):
                continue
            name = term(child)
            child_path = f"{path}/{name}"
            if allowed and name not in allowed:
                el.remove(child)
                removed.append(child_path)
                continue
            if len(child):
                walk(child, child_path)
            if child.tag.startswith(cac) and not any(isinstance(c.tag, str) for c in child):
                el.remove(child)
                removed.append(child_path)

    walk(root, base)
    return removed
