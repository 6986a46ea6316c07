"""The search's text analysis (webshop/search/analysis.py): amounts as one canonical word, and why an
item matched. Expected values written by hand."""
from __future__ import annotations

import pytest

from webshop.search.analysis import Reason, explain, index_words, measures, query_words, words_of


@pytest.mark.parametrize(("text", "words"), [
    ("kopipapir a4 80g", ["kopipapir", "a4", "80g"]),
    ("Kopipapir A4 80 g", ["kopipapir", "a4", "80g"]),
    ("80 gram", ["80g"]),
    ("5l", ["5000ml"]),
    ("5 L", ["5000ml"]),
    ("5 liter", ["5000ml"]),
    ("0,5 l", ["500ml"]),
    ("0.5l", ["500ml"]),
    ("50 cl", ["500ml"]),
    ("1,5 kg", ["1500g"]),
    ("2,5 g", ["2d5g"]),
    ("rull 10 m", ["rull", "10000mm"]),
    ("100stk", ["100stk"]),
    ("a4", ["a4"]),  # a letter before the number: a paper size, not an amount
    ("hansker m", ["hansker", "m"]),  # a size, no number
    ("4711-22", ["4711", "22"]),
])
def test_query_words(text, words):
    assert words_of(text) == words


def test_the_index_keeps_the_words_as_written_and_adds_the_amounts():
    assert index_words("Oppvaskmiddel Zalo 5 l") == ["oppvaskmiddel", "zalo", "5", "l", "5000ml"]
    assert measures("Kaffemelk 0,5 l, 2x1 l") == ["500ml"]  # «2x1 l»: no amount is read from a glued «x1»


def test_a_query_keeps_what_was_typed():
    assert [(w.word, w.typed) for w in query_words("Zalo 5L")] == [("zalo", "zalo"), ("5000ml", "5l")]


def test_explain_a_synonym_and_an_amount():
    synonyms = {"sukker": [["farin"]], "farin": [["sukker"]]}
    assert explain("sukker", synonyms, ["Farin 1 kg", "Brunt"]) == [Reason("synonym", "sukker", "farin")]
    assert explain("farin", synonyms, ["Farin 1 kg"]) == []  # found as typed: nothing to explain
    assert explain("kopipapir 80g", {}, ["Kopipapir A4 80 g"]) == [Reason("amount", "80g", "80 g")]
    assert explain("kopipapir 80 g", {}, ["Kopipapir A4 80 g"]) == []
    assert explain("0.5 l", {}, ["Kaffemelk 0,5 l"]) == [Reason("amount", "0.5 l", "0,5 l")]
    assert explain("papir", {}, ["Kopipapir A4"]) == []  # a word part needs no explaining
