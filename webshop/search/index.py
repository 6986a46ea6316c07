"""The catalogue search index: one tantivy index per catalogue version, its schema and its queries.

How an index is stored on this machine, built, updated and re-read is ``store.py``; the
folder is named by the catalogue's random ``search_key``, so a new version never reuses an
old folder. No Flask or SQLAlchemy here: plain values in, item ids and scores out.

Words come from ``analysis.py``: an amount with its unit is one canonical word in the
query and the index alike ("80g", "80 g" and "80 gram" are ``80g``; "5l", "5 liter" and
"5000 ml" are ``5000ml``). Matching, per query word: the whole word in the item's name or
brand (strongest), or in its description and keywords; a synonym, as whole words; a word
part of the name (every third trigram of the word, so "papir" finds "kopipapir"); a typo
(edit distance 1, or 2 for long words, so "kopipapr" finds "kopipapir"). An item where every
word is found as a word, a synonym or an amount ranks above every item that needs a word
part or a typo (``STRONG_BOOST``), whatever else ranks it up. The whole query typed as an
item number (supplier, manufacturer, GTIN, paper catalogue) wins over everything.
An index built before a change to the analysis must be rebuilt to match the new words.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, cast

import tantivy

from webshop.search import analysis

if TYPE_CHECKING:  # storage, building and reloading live in store.py (which imports the schema from here)
    from webshop.search.store import SearchIndexes

WORD = re.compile(r"\w+")
NUMBER_BOOST = 1000.0
STRONG_BOOST = 100.0  # every word found as a word, a synonym or an amount: above any typo or word part
MAX_WORDS = analysis.MAX_WORDS


def _schema() -> tantivy.Schema:
    b = tantivy.SchemaBuilder()
    b.add_integer_field("item_id", stored=True, indexed=True, fast=True)
    b.add_text_field("name", tokenizer_name="nb_words")
    b.add_text_field("desc", tokenizer_name="nb_words")
    b.add_text_field("grams", tokenizer_name="nb_grams", index_option="basic")
    b.add_text_field("numbers", tokenizer_name="raw", index_option="basic")
    b.add_text_field("key", tokenizer_name="raw", index_option="basic")
    b.add_text_field("segment", tokenizer_name="raw", index_option="basic", fast=True)
    b.add_text_field("family", tokenizer_name="raw", index_option="basic", fast=True)
    b.add_boolean_field("eco", indexed=True, fast=True)
    b.add_boolean_field("hidden", indexed=True)
    b.add_boolean_field("discontinued", indexed=True, fast=True)
    b.add_integer_field("price", indexed=True, fast=True)  # øre
    return b.build()


SCHEMA = _schema()


def _register(index: tantivy.Index) -> tantivy.Index:
    words = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple()).filter(tantivy.Filter.lowercase()).build()
    grams = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.ngram(3, 3, False))
             .filter(tantivy.Filter.lowercase()).build())
    index.register_tokenizer("nb_words", words)
    index.register_tokenizer("nb_grams", grams)
    return index


@dataclass(frozen=True, slots=True)
class IndexDoc:
    """What the index needs to know about one catalogue item (curation already applied)."""

    item_id: int
    agreement_id: int
    supplier_item_id: str
    name: str
    description: str = ""
    brand: str | None = None
    keywords: str = ""
    numbers: tuple[str, ...] = ()
    unspsc: str | None = None
    price: Decimal = Decimal("0")
    eco: bool = False
    hidden: bool = False
    discontinued: bool = False


def item_key(agreement_id: int, supplier_item_id: str) -> str:
    """The identity of an item across catalogue versions (ids change with every version)."""
    return f"{agreement_id}:{supplier_item_id.lower()}"


def _with_amounts(text: str) -> str:
    """The text and, after it, its amounts as canonical words (``analysis.measures``)."""
    return " ".join([text, *analysis.measures(text)]) if text else ""


def _document(d: IndexDoc) -> tantivy.Document:
    # The item's own name (and brand) ranks above keywords someone attached to it: «oppvask» finds
    # «Oppvaskmiddel» before rubber gloves tagged «oppvask»; word parts come from the name only.
    title = " ".join(p for p in (d.name, d.brand or "") if p)
    grams = " ".join(WORD.findall(title.lower()))
    numbers = [n.strip().lower() for n in d.numbers if n and n.strip()]
    doc = tantivy.Document(
        item_id=d.item_id, name=_with_amounts(title),
        desc=_with_amounts(" ".join(p for p in (d.description, d.keywords) if p)), grams=grams,
        key=item_key(d.agreement_id, d.supplier_item_id),
        eco=d.eco, hidden=d.hidden, discontinued=d.discontinued, price=int(d.price * 100),
        segment=(d.unspsc or "")[:2], family=(d.unspsc or "")[:4],
    )
    for n in numbers:
        doc.add_text("numbers", n)
    return doc


# --- queries -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    segment: str | None = None
    family: str | None = None
    eco: bool = False
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    include_hidden: bool = False
    only_keys: frozenset[str] | None = None  # a limited range (a training sandbox's condition): only these items


@dataclass(frozen=True)
class Hit:
    item_id: int
    score: float
    exact: bool
    discontinued: bool


@dataclass
class Found:
    hits: list[Hit] = field(default_factory=list)
    total: int = 0


def words_of(text: str) -> list[str]:
    return analysis.words_of(text)


def _trigrams(word: str) -> list[str]:
    """Trigrams that cover the word (every third one, and the last): all of them must occur in a
    title for a word-part match; half the posting lists of every trigram, nearly the same hits."""
    grams = [word[i:i + 3] for i in range(0, len(word) - 2, 3)]
    last = word[-3:]
    if len(word) >= 3 and grams[-1] != last:
        grams.append(last)
    return grams


def _whole_word(word: str) -> list[tantivy.Query]:
    q = tantivy.Query
    return [q.boost_query(q.term_query(SCHEMA, "name", word), 3.0), q.term_query(SCHEMA, "desc", word),
            q.const_score_query(q.term_query(SCHEMA, "numbers", word), 2.0)]


def _all_of(queries: list[tantivy.Query]) -> tantivy.Query:
    return queries[0] if len(queries) == 1 else tantivy.Query.boolean_query(
        [(tantivy.Occur.Must, x) for x in queries])


def _any_of(queries: list[tantivy.Query]) -> tantivy.Query:
    return queries[0] if len(queries) == 1 else tantivy.Query.boolean_query(
        [(tantivy.Occur.Should, x) for x in queries])


def _strong(word: analysis.QueryWord, synonyms: dict[str, list[list[str]]]) -> tantivy.Query:
    """The word as a whole word (or amount), or a synonym of it as whole words."""
    alternatives = _whole_word(word.word)  # an amount is one canonical word in the query and the index
    for phrase in synonyms.get(word.word, []):
        alternatives.append(_all_of([_any_of(_whole_word(w)) for w in phrase]))
    return _any_of(alternatives)


def _weak(word: str) -> list[tantivy.Query]:
    """A word part of the item's name, or a typo: found, but ranked below every real match.
    Synonyms are curated words and are never matched this loosely."""
    q = tantivy.Query
    if len(word) < 4 or analysis.is_measure(word):
        return []
    grams = [q.term_query(SCHEMA, "grams", g, index_option="basic") for g in dict.fromkeys(_trigrams(word))]
    distance = 2 if len(word) >= 8 else 1
    return [q.const_score_query(q.boolean_query([(tantivy.Occur.Must, g) for g in grams]), 3.0),
            q.const_score_query(q.fuzzy_term_query(SCHEMA, "name", word, distance=distance), 1.0)]


def word_query(word: str | analysis.QueryWord, synonyms: dict[str, list[list[str]]]) -> tantivy.Query:
    """The word, a synonym of it (a synonym may be several words, all required), a word part or a typo."""
    if isinstance(word, str):
        word = analysis.QueryWord(word, word)
    return _any_of([_strong(word, synonyms), *_weak(word.word)])


def build_query(text: str, synonyms: dict[str, list[list[str]]], filters: Filters,
                boost_keys: Iterable[str] = ()) -> tantivy.Query:
    q, occur = tantivy.Query, tantivy.Occur
    words = analysis.query_words(text)
    clauses: list[tuple[tantivy.Occur, tantivy.Query]] = []
    if words:
        matches: list[tuple[tantivy.Occur, tantivy.Query]] = [
            (occur.Should, q.boolean_query([(occur.Must, word_query(w, synonyms)) for w in words]))]
        number = text.strip().lower()
        if number:
            matches.append((occur.Should, q.const_score_query(q.term_query(SCHEMA, "numbers", number), NUMBER_BOOST)))
        clauses.append((occur.Must, q.boolean_query(matches)))
        # Every word found for real (as a word, a synonym or an amount) outranks any typo or word
        # part, whatever else ranks it up (ordered before, favourite): «sukker» lists «Farin» first.
        clauses.append((occur.Should, q.const_score_query(
            q.boolean_query([(occur.Must, _strong(w, synonyms)) for w in words]), STRONG_BOOST)))
    else:
        clauses.append((occur.Must, q.all_query()))
    if not filters.include_hidden:
        clauses.append((occur.MustNot, q.term_query(SCHEMA, "hidden", True)))
    if filters.segment:
        clauses.append((occur.Must, q.term_query(SCHEMA, "segment", filters.segment)))
    if filters.family:
        clauses.append((occur.Must, q.term_query(SCHEMA, "family", filters.family)))
    if filters.eco:
        clauses.append((occur.Must, q.term_query(SCHEMA, "eco", True)))
    if filters.price_min is not None or filters.price_max is not None:
        low = int(filters.price_min * 100) if filters.price_min is not None else None
        high = int(filters.price_max * 100) if filters.price_max is not None else None
        clauses.append((occur.Must, q.range_query(SCHEMA, "price", tantivy.FieldType.Integer, low, high)))
    if filters.only_keys is not None:
        clauses.append((occur.Must, q.term_set_query(SCHEMA, "key", sorted(filters.only_keys) or ["-"])))
    keys = list(boost_keys)
    if keys:  # what the user or the unit ordered before, and favourites: ranked up, never added
        clauses.append((occur.Should, q.const_score_query(q.term_set_query(SCHEMA, "key", keys), 4.0)))
    clauses.append((occur.Should, q.const_score_query(q.term_query(SCHEMA, "discontinued", False), 2.0)))
    return q.boolean_query(clauses)


def run(indexes: SearchIndexes, live: Sequence[tuple[str, int]], query: tantivy.Query, *, offset: int, limit: int,
        count: bool = True) -> Found:
    """Search every live index (search_key, generation) and merge the hits by score."""
    found = Found()
    want = offset + limit
    for key, generation in live:
        searcher = indexes.searcher(key, generation)
        result = searcher.search(query, limit=want, count=count)
        if count:
            found.total += result.count or 0  # type: ignore[attr-defined]  # tantivy's stub omits count
        addresses = [address for _, address in result.hits]
        if not addresses:
            continue
        ids = searcher.fast_field_values("item_id", addresses)
        gone = searcher.fast_field_values("discontinued", addresses)
        for (score, _), item_id, disc in zip(result.hits, ids, gone, strict=True):
            found.hits.append(Hit(int(cast(int, item_id)), float(score), score >= NUMBER_BOOST, bool(disc)))
    found.hits.sort(key=lambda h: (-h.score, h.item_id))
    found.hits = found.hits[offset:want]
    if not count:
        found.total = len(found.hits)
    return found


def counts_per_index(indexes: SearchIndexes, live: Sequence[tuple[str, int]],
                     query: tantivy.Query) -> dict[str, int]:
    """How many documents of each live index match (the supplier facet: one index per agreement)."""
    return {key: indexes.searcher(key, generation).search(query, limit=1, count=True).count or 0  # type: ignore[attr-defined]
            for key, generation in live}


def facet_counts(indexes: SearchIndexes, live: Sequence[tuple[str, int]], query: tantivy.Query,
                 field_name: str, size: int = 30) -> dict[str, int]:
    counts: dict[str, int] = {}
    for key, generation in live:
        result = indexes.searcher(key, generation).aggregate(
            query, {"f": {"terms": {"field": field_name, "size": size}}})
        for bucket in result.get("f", {}).get("buckets", []):
            counts[bucket["key"]] = counts.get(bucket["key"], 0) + int(bucket["doc_count"])
    return counts
