"""Generate ``ehf/rules/ehf_tables.py``: the EHF 3.0 generated "basic" rules
(``EHF-Txx-Bnnnnn``) as structure tables, and the code lists they use, from DFØ's
published specification (anskaffelser/ehf-postaward-g3).

Inputs (not committed). This is the one script that updates every generated rule table and
code list when DFØ or OpenPEPPOL publish a release::

    git clone https://github.com/anskaffelser/ehf-postaward-g3 SPEC
    python -m ehf.tools.gen_ehf_tables SPEC COMMIT                 # EHF tables + EHF code lists
    git clone https://github.com/OpenPEPPOL/poacc-upgrade-3 PEPPOL
    python -m ehf.tools.gen_ehf_tables --peppol PEPPOL/structure COMMIT  # Peppol T76/T16/T19 + codelists.py
    python -m ehf.tools.gen_ehf_tables --verify-peppol PEPPOL/structure/syntax/ubl-order.xml -
    python -m ehf.tools.gen_ehf_tables --attributes PEPPOL/structure SPEC PEPPOL_COMMIT COMMIT

It reads ``src/*/syntax/*.xml`` (the vefa-structure description of each EHF document:
which UBL elements and attributes the data model has, which are mandatory, fixed
values and code lists) and ``src/_common/codelist/*.xml`` (the official code lists).

Rule ids follow the numbering of the vefa-structure schematron generator: the
document's elements and attributes are numbered depth first (an element, then its
attributes, then its child elements; the root is 1), and each element's assertions
are numbered 01, 02, ... in this order: fixed value, value code list, then per
attribute (present, fixed value, code list), mandatory children in document order,
"no schema location" (root only) and "not part of the data model" (elements with
child elements, except the three in ``NO_UNKNOWN_RULE``: the official Peppol T01 rules
have no such rule for them, and the same generator is assumed to behave alike for EHF).

``--verify-peppol STRUCTURE.xml`` regenerates the Peppol T01 table from
OpenPEPPOL's structure file with the same numbering and compares every rule id and
placement with ``ehf/rules/t01_table.py`` (it matched all 266 rules of v3.0.15).
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

CL_NS = "urn:fdc:difi.no:2017:vefa:structure:CodeList-1"
REPO = Path(__file__).resolve().parents[2]

# table name -> syntax file in the specification repository
DOCUMENTS = {
    "T01": "src/ordering-3.0/syntax/ehf-order-3.0.xml",
    "T76": "src/ordering-3.0/syntax/ehf-order-response-3.0.xml",
    "T16": "src/despatch-advice-3.0/syntax/ehf-despatch-advice-3.0.xml",
    "T19": "src/catalogue-3.0/syntax/ehf-catalogue-3.0.xml",
    "T58": "src/catalogue-3.0/syntax/ehf-catalogue-response-3.0.xml",
    "T110": "src/order-agreement-3.0/syntax/ehf-order-agreement-3.0.xml",
    "P09_INIT": "src/advanced-ordering-3.0/syntax/order-init-3.0.xml",
    "P09_RESPONSE": "src/advanced-ordering-3.0/syntax/order-response-3.0.xml",
}
NO_UNKNOWN_RULE = frozenset({"cac:PartyIdentification", "cac:PartyName", "cac:AddressLine"})
UNKNOWN_TEXT = "Document MUST NOT contain elements not part of the data model."
SCHEMA_LOCATION_TEXT = "Document MUST not contain schema location."


@dataclass
class Attr:
    term: str
    required: bool
    lists: list[str]
    fixed: str | None


@dataclass
class Elem:
    term: str
    mandatory: bool
    lists: list[str] = field(default_factory=list)
    fixed: str | None = None
    attrs: list[Attr] = field(default_factory=list)
    children: list[Elem] = field(default_factory=list)


def _ns(root: etree._Element) -> str:
    return etree.QName(root).namespace or ""


def _read(node: etree._Element, ns: str) -> Elem:
    def refs(n: etree._Element) -> list[str]:
        return [(r.text or "").strip() for r in n.findall(f"{{{ns}}}Reference[@type='CODE_LIST']")]

    def fixed(n: etree._Element) -> str | None:
        v = n.find(f"{{{ns}}}Value[@type='FIXED']")
        return (v.text or "").strip() if v is not None else None

    e = Elem((node.findtext(f"{{{ns}}}Term") or "").strip(),
             node.get("cardinality", "1..1").startswith("1"), refs(node), fixed(node))
    for a in node.findall(f"{{{ns}}}Attribute"):
        e.attrs.append(Attr((a.findtext(f"{{{ns}}}Term") or "").strip(),
                            a.get("usage", "required").lower() != "optional", refs(a), fixed(a)))
    e.children = [_read(c, ns) for c in node.findall(f"{{{ns}}}Element")]
    return e


def read_syntax(path: Path) -> tuple[str, Elem]:
    root = etree.parse(str(path)).getroot()
    ns = _ns(root)
    prefix = root.findtext(f"{{{ns}}}Property[@key='sch:prefix']") or ""
    doc = root.find(f"{{{ns}}}Document")
    assert doc is not None, path
    top = Elem((doc.findtext(f"{{{ns}}}Term") or "").strip(), True)
    top.children = [_read(c, ns) for c in doc.findall(f"{{{ns}}}Element")]
    return prefix.strip(), top


def read_codelists(folder: Path) -> dict[str, tuple[str, list[str]]]:
    lists: dict[str, tuple[str, list[str]]] = {}
    for path in sorted(folder.glob("*.xml")):
        root = etree.parse(str(path)).getroot()
        ident = (root.findtext(f"{{{CL_NS}}}Identifier") or "").strip()
        if ident:
            codes = [(c.findtext(f"{{{CL_NS}}}Id") or "").strip() for c in root.iter(f"{{{CL_NS}}}Code")]
            lists[ident] = ((root.findtext(f"{{{CL_NS}}}Title") or "").strip(), codes)
    return lists


@dataclass
class Spec:
    allowed: list[str]
    unknown: str | None = None
    mandatory: list[tuple[str, str]] = field(default_factory=list)
    attributes: list[tuple[str, str]] = field(default_factory=list)
    codes: list[tuple[str | None, tuple[str, ...], str]] = field(default_factory=list)
    fixed: tuple[str, str] | None = None
    fixed_attributes: list[tuple[str, str, str]] = field(default_factory=list)


def number(prefix: str, top: Elem, titles: dict[str, str]) -> tuple[dict[str, Spec], dict[str, str], str]:
    """The structure table, the messages and the schema-location rule id."""
    specs: dict[str, Spec] = {}
    messages: dict[str, str] = {}
    counter = [0]
    schema_rule = ""

    def code_text(lists: list[str]) -> str:
        return "Value MUST be part of code list " + " or ".join(f"'{titles[i]}'" for i in lists) + "."

    def walk(e: Elem, path: str, is_root: bool) -> None:
        nonlocal schema_rule
        counter[0] += 1
        element_no = counter[0]
        counter[0] += len(e.attrs)
        spec = Spec([c.term for c in e.children])
        k = [0]

        def rid(text: str) -> str:
            k[0] += 1
            r = f"{prefix}-B{element_no:03d}{k[0]:02d}"
            messages[r] = text
            return r

        if e.fixed is not None:
            spec.fixed = (e.fixed, rid(f"Element '{e.term}' MUST contain value '{e.fixed}'."))
        if e.lists:
            spec.codes.append((None, tuple(e.lists), rid(code_text(e.lists))))
        for a in e.attrs:
            if a.required:
                spec.attributes.append((a.term, rid(f"Attribute '{a.term}' MUST be present.")))
            if a.fixed is not None:
                text = f"Attribute '{a.term}' MUST contain value '{a.fixed}'."
                spec.fixed_attributes.append((a.term, a.fixed, rid(text)))
            if a.lists:
                spec.codes.append((a.term, tuple(a.lists), rid(code_text(a.lists))))
        for c in e.children:
            if c.mandatory:
                spec.mandatory.append((c.term, rid(f"Element '{c.term}' MUST be provided.")))
        if is_root:
            schema_rule = rid(SCHEMA_LOCATION_TEXT)
        if e.children and e.term not in NO_UNKNOWN_RULE:
            spec.unknown = rid(UNKNOWN_TEXT)
        specs[path] = spec
        for c in e.children:
            walk(c, f"{path}/{c.term}", False)

    walk(top, "", True)
    return specs, messages, schema_rule


def _const(ident: str) -> str:
    return re.sub(r"[^A-Z0-9]+", "_", ident.upper()).strip("_")


def render(tables: dict[str, tuple[str, dict[str, Spec], dict[str, str], str]],
           lists: dict[str, tuple[str, list[str]]], commit: str) -> str:
    used = sorted({i for _, specs, _, _ in tables.values() for s in specs.values() for _, ls, _ in s.codes for i in ls})
    out = [
        '"""EHF 3.0 generated basic rules (EHF-Txx-Bnnnnn) as structure tables, and the EHF code',
        "lists they use. Generated by ehf/tools/gen_ehf_tables.py from DFØ's specification",
        f"(anskaffelser/ehf-postaward-g3 at {commit}: src/*/syntax/*.xml and",
        'src/_common/codelist/*.xml); do not edit. Paths are relative to the root ("" is the root)."""',
        "# ruff: noqa: E501  (generated data)",
        "from __future__ import annotations",
        "",
        "from typing import Final",
        "",
        "from ehf.rules.structure import NodeSpec, Table",
        "",
    ]
    for ident in used:
        title, codes = lists[ident]
        out.append(f"# {title} ({len(codes)} codes)")
        out.append(f"{_const(ident)}: Final[frozenset[str]] = frozenset({{{', '.join(repr(c) for c in codes)}}})")
    out.append("CODE_LISTS: Final[dict[str, frozenset[str]]] = {")
    out.extend(f"    {i!r}: {_const(i)}," for i in used)
    out.append("}")
    out.append("")
    for key, (prefix, specs, messages, schema_rule) in tables.items():
        out.append(f"{key}: Final = Table(")
        out.append(f"    prefix={prefix!r},")
        out.append(f"    schema_location_rule={schema_rule!r},")
        out.append("    nodes={")
        for path, s in specs.items():
            out.append(f"        {path!r}: NodeSpec(")
            out.append(f"            allowed=frozenset({s.allowed!r}),")
            out.append(f"            unknown_rule={s.unknown!r},")
            out.append(f"            mandatory={tuple(s.mandatory)!r},")
            out.append(f"            attributes={tuple(s.attributes)!r},")
            out.append(f"            codes={tuple(s.codes)!r},")
            out.append(f"            fixed={s.fixed!r},")
            out.append(f"            fixed_attributes={tuple(s.fixed_attributes)!r},")
            out.append("        ),")
        out.append("    },")
        out.append("    messages={")
        out.extend(f"        {r!r}: {t!r}," for r, t in messages.items())
        out.append("    },")
        out.append(")")
        out.append("")
    return "\n".join(out)


def verify_peppol(structure: Path, spec_dir: Path) -> None:
    from ehf.rules import t01_table

    prefix, top = read_syntax(structure)
    top.term = "ubl:Order"
    lists = read_codelists(structure.parent.parent / "codelist")
    specs, messages, schema_rule = number(prefix, top, {i: t for i, (t, _) in lists.items()})
    mine = {r: (p, t) for p, s in specs.items() for r, t in _rules(s)}
    theirs = {r: (p, t) for p, s in t01_table.NODES.items() for r, t in _rules(s)}
    theirs[t01_table.SCHEMA_LOCATION_RULE] = ("", "schema")
    mine[schema_rule] = ("", "schema")
    if mine != theirs:
        diff = sorted(set(mine.items()) ^ set(theirs.items()))[:20]
        raise SystemExit(f"numbering differs from t01_table: {diff}")
    print(f"numbering reproduces all {len(theirs)} Peppol T01 basic rules")


def _rules(s: Any) -> list[tuple[str, str]]:
    """(rule id, what it checks) for a generated ``Spec`` or a ``NodeSpec`` of t01_table."""
    out: list[tuple[str, str]] = [(r, f"mandatory {child}") for child, r in s.mandatory]
    out += [(r, f"attribute {a}") for a, r in s.attributes]
    out += [(r, f"code {a} {tuple(ls)}") for a, ls, r in s.codes]
    if s.fixed:
        out.append((s.fixed[1], "fixed"))
    unknown = s.unknown_rule if hasattr(s, "unknown_rule") else s.unknown
    if unknown:
        out.append((unknown, "unknown"))
    return out


# Peppol transactions whose generated basic rules are tables too (T01 has t01_table)
PEPPOL_DOCUMENTS = {
    "T76": "syntax/ubl-order-response.xml",
    "T16": "syntax/ubl-despatch-advice.xml",
    "T19": "syntax/ubl-catalogue.xml",
    "T58": "syntax/ubl-catalogue-response.xml",
    "T110": "syntax/ubl-orderagreement.xml",
}


def write_peppol(structure_dir: Path, commit: str) -> None:
    """``ehf/rules/peppol_tables.py`` and the Peppol code lists ``ehf/codelists.py`` from
    OpenPEPPOL's ``structure/`` folder."""
    from ehf.tools import gen_peppol_tables

    lists = read_codelists(structure_dir / "codelist")
    gen_peppol_tables.write_codelists(lists, REPO / "ehf" / "codelists.py")
    titles = {i: t for i, (t, _) in lists.items()}
    tables = {}
    for key, rel in PEPPOL_DOCUMENTS.items():
        prefix, top = read_syntax(structure_dir / rel)
        tables[key] = (prefix, *number(prefix, top, titles))
    text = render(tables, lists, commit).replace(
        "EHF 3.0 generated basic rules (EHF-Txx-Bnnnnn) as structure tables, and the EHF code\n"
        "lists they use. Generated by ehf/tools/gen_ehf_tables.py from DFØ's specification\n"
        f"(anskaffelser/ehf-postaward-g3 at {commit}: src/*/syntax/*.xml and\n"
        "src/_common/codelist/*.xml)",
        "Peppol BIS generated basic rules (PEPPOL-Txx-Bnnnnn) of T76, T16, T19, T58 and T110 as\nstructure "
        "tables. Generated by ehf/tools/gen_ehf_tables.py --peppol from OpenPEPPOL/poacc-upgrade-3\n"
        f"at {commit} (structure/syntax/*.xml; the code lists are ehf/codelists.py)")
    (REPO / "ehf" / "rules" / "peppol_tables.py").write_text(text + "\n", encoding="utf-8")


def attribute_paths(top: Elem) -> list[str]:
    """Every attribute of the data model as ``/cac:A/cbc:B@name`` (paths as in the tables)."""
    out: list[str] = []

    def walk(e: Elem, path: str) -> None:
        out.extend(f"{path}@{a.term}" for a in e.attrs)
        for c in e.children:
            walk(c, f"{path}/{c.term}")

    for c in top.children:
        walk(c, f"/{c.term}")
    return sorted(out)


def write_attributes(peppol_structure: Path, spec_dir: Path, peppol_commit: str, ehf_commit: str) -> None:
    """``ehf/rules/data_model_attributes.py``: the attributes each data model has (the
    round-trip test keeps exactly these), per rule-set prefix."""
    sources = {"PEPPOL-T01": peppol_structure / "syntax/ubl-order.xml"}
    sources.update({f"PEPPOL-{k}": peppol_structure / rel for k, rel in PEPPOL_DOCUMENTS.items()})
    sources.update({f"EHF-{k}": spec_dir / rel for k, rel in DOCUMENTS.items()})
    out = [
        '"""The attributes of each data model, as ``/cac:A/cbc:B@attribute`` paths per table. Generated',
        "by ehf/tools/gen_ehf_tables.py --attributes from OpenPEPPOL/poacc-upgrade-3 at",
        f"{peppol_commit} and anskaffelser/ehf-postaward-g3 at {ehf_commit}",
        '(the syntax files); do not edit."""',
        "# ruff: noqa: E501  (generated data)",
        "from __future__ import annotations",
        "",
        "from typing import Final",
        "",
        "ATTRIBUTES: Final[dict[str, frozenset[str]]] = {",
    ]
    for key, path in sources.items():
        out.append(f"    {key!r}: frozenset({attribute_paths(read_syntax(path)[1])!r}),")
    out.append("}")
    (REPO / "ehf" / "rules" / "data_model_attributes.py").write_text("\n".join(out) + "\n", encoding="utf-8")


def main(argv: list[str]) -> None:
    if len(argv) == 6 and argv[1] == "--attributes":
        write_attributes(Path(argv[2]), Path(argv[3]), argv[4], argv[5])
        return
    if len(argv) == 4 and argv[1] == "--verify-peppol":
        verify_peppol(Path(argv[2]), Path(argv[3]))
        return
    if len(argv) == 4 and argv[1] == "--peppol":
        write_peppol(Path(argv[2]), argv[3])
        return
    spec_dir = Path(argv[1])
    lists = read_codelists(spec_dir / "src/_common/codelist")
    for extra in sorted(spec_dir.glob("src/*/codelist")):
        lists.update(read_codelists(extra))
    titles = {i: t for i, (t, _) in lists.items()}
    tables = {}
    for key, rel in DOCUMENTS.items():
        prefix, top = read_syntax(spec_dir / rel)
        tables[key] = (prefix, *number(prefix, top, titles))
    commit = argv[2] if len(argv) > 2 else "(commit not given)"
    (REPO / "ehf" / "rules" / "ehf_tables.py").write_text(render(tables, lists, commit) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv)
