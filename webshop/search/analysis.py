"""Text analysis shared by the index and the query: words, amounts with units, and why an item matched.

Pure: no tantivy, Flask or SQLAlchemy. An amount with a unit becomes one canonical word, whether it
is written «80g», «80 g» or «80 gram», «5l», «5 l», «5 liter» or «5000 ml», «0,5 l» or «0.5 l»:
volumes in millilitres, weights in grams, lengths in millimetres (``80g``, ``5000ml``). The index
adds that word beside the words of the text as written, and the query searches it in place of the
amount, so «kopipapir a4 80g» finds «Kopipapir A4 80 g». ``explain`` says, for one item, which
query word matched through a synonym or as an amount written differently, for the result list.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

WORD = re.compile(r"\w+")
MAX_WORDS = 8

# unit as written -> (canonical unit, factor to it)
UNITS: dict[str, tuple[str, int]] = {
    "g": ("g", 1), "gr": ("g", 1), "gram": ("g", 1), "kg": ("g", 1000), "kilo": ("g", 1000),
    "ml": ("ml", 1), "cl": ("ml", 10), "dl": ("ml", 100), "l": ("ml", 1000), "ltr": ("ml", 1000),
    "liter": ("ml", 1000), "litre": ("ml", 1000),
    "mm": ("mm", 1), "cm": ("mm", 10), "m": ("mm", 1000), "meter": ("mm", 1000),
    "stk": ("stk", 1), "pk": ("pk", 1),
}
_UNIT_ALTERNATIVES = "|".join(sorted(UNITS, key=len, reverse=True))
AMOUNT = re.compile(rf"(?<![\w.,])(\d+(?:[.,]\d+)?)\s*({_UNIT_ALTERNATIVES})(?!\w)", re.IGNORECASE)
MEASURE_WORD = re.compile(r"^\d+(?:d\d+)?(?:g|ml|mm|stk|pk)$")


def measure_word(number: str, unit: str) -> str | None:
    """The canonical word of an amount (``"0,5", "l"`` → ``"500ml"``), or None if it is not one."""
    try:
        value = Decimal(number.replace(",", ".")) * UNITS[unit.lower()][1]
    except (InvalidOperation, KeyError):
        return None
    text = format(value.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", "d") + UNITS[unit.lower()][0]  # the tokenizer would split on "." or ","


def measures(text: str) -> list[str]:
    """The canonical words of every amount in ``text`` (for the index, beside the words as written)."""
    found = (measure_word(m.group(1), m.group(2)) for m in AMOUNT.finditer(text))
    return [w for w in found if w]


def is_measure(word: str) -> bool:
    return bool(MEASURE_WORD.match(word))


@dataclass(frozen=True)
class QueryWord:
    """One word of a query: what is searched, and how the user wrote it."""

    word: str
    typed: str

    @property
    def is_measure(self) -> bool:
        return is_measure(self.word)


def query_words(text: str) -> list[QueryWord]:
    """The words of a query, lower case, an amount with its unit as one canonical word."""
    out: list[QueryWord] = []
    position = 0
    lowered = text.lower()
    for m in AMOUNT.finditer(lowered):
        out.extend(QueryWord(w, w) for w in WORD.findall(lowered[position:m.start()]))
        canonical = measure_word(m.group(1), m.group(2))
        out.append(QueryWord(canonical, m.group(0)) if canonical else QueryWord(m.group(0), m.group(0)))
        position = m.end()
    out.extend(QueryWord(w, w) for w in WORD.findall(lowered[position:]))
    return out[:MAX_WORDS]


def words_of(text: str) -> list[str]:
    """The words searched for ``text`` (amounts canonical): for queries and synonym groups alike."""
    return [w.word for w in query_words(text)]


def index_words(text: str) -> list[str]:
    """Every word the index holds for ``text``: the words as written and the canonical amounts."""
    return WORD.findall(text.lower()) + measures(text)


# --- why an item matched ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    """One query word that did not match the item as typed: ``kind`` is "synonym" or "amount"."""

    kind: str
    typed: str  # what the user wrote: «sukker», «80g»
    matched: str  # what the item says: «farin», «80 g»


def _amounts_as_written(text: str) -> dict[str, str]:
    return {w: m.group(0) for m in AMOUNT.finditer(text) if (w := measure_word(m.group(1), m.group(2)))}


def explain(query: str, synonyms: Mapping[str, Sequence[Sequence[str]]], texts: Iterable[str]) -> list[Reason]:
    """Why an item whose texts (name, keywords, description …) are ``texts`` matched ``query``.

    A query word the item contains as written needs no reason. A word it contains only through
    a synonym gives ("synonym", word, synonym); an amount written differently («80g» for «80 g»)
    gives ("amount", typed, as written in the item). Word parts and typos are not explained.
    """
    joined = " ".join(t for t in texts if t)
    plain = set(WORD.findall(joined.lower()))
    amounts = _amounts_as_written(joined)
    reasons: list[Reason] = []
    for qw in query_words(query):
        if qw.is_measure:
            written = amounts.get(qw.word)
            if written is not None and written.lower() != qw.typed.lower():
                reasons.append(Reason("amount", qw.typed, written))
            continue
        if qw.word in plain or any(qw.word in w for w in plain):
            continue
        for phrase in synonyms.get(qw.word, ()):
            if phrase and all(p in plain or p in amounts for p in phrase):
                reasons.append(Reason("synonym", qw.typed, " ".join(phrase)))
                break
    return reasons
