"""This machine's index storage (webshop/search/store.py): atomic builds, reloads by generation, clean-up.

No app and no database: the store takes plain documents. The two-machine test
(test_two_machines.py, PostgreSQL) runs the same code through real workers and gunicorns.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import tantivy

from webshop.search.index import SCHEMA, IndexDoc
from webshop.search.store import GRACE_SECONDS, MissingIndexError, SearchIndexes

ROOT = Path(__file__).resolve().parents[2]


def doc(item_id: int, name: str) -> IndexDoc:
    return IndexDoc(item_id=item_id, agreement_id=1, supplier_item_id=f"S-{item_id}", name=name)


def names(store: SearchIndexes, key: str, generation: int, word: str) -> list[int]:
    """The item ids whose name has ``word``, as a reader of ``key`` at ``generation`` sees them."""
    searcher = store.searcher(key, generation)
    query = tantivy.Query.term_query(SCHEMA, "name", word)
    return sorted(int(searcher.doc(address)["item_id"][0]) for _, address in searcher.search(query, 10).hits)


def test_a_reader_reloads_when_the_database_generation_moves_on(tmp_path):
    writer, reader = SearchIndexes(tmp_path), SearchIndexes(tmp_path)  # two processes of one machine
    assert writer.build("k1", [doc(1, "kulepenn"), doc(2, "blyant")], generation=0) == 2
    assert (tmp_path / "k1").is_symlink() and writer.generation("k1") == 0
    assert names(reader, "k1", 0, "kulepenn") == [1]
    writer.apply("k1", [doc(2, "kulepenn")], generation=1)
    assert names(reader, "k1", 0, "kulepenn") == [1]  # the database still says 0: the open searcher is kept
    time.sleep(0.25)
    assert names(reader, "k1", 1, "kulepenn") == [1, 2]  # generation 1 is on disk: reloaded
    assert writer.generation("k1") == 1


def test_a_reader_lagging_the_database_keeps_serving_until_the_index_catches_up(tmp_path):
    store = SearchIndexes(tmp_path)
    store.build("k1", [doc(1, "kulepenn")], generation=3)
    assert names(store, "k1", 5, "kulepenn") == [1]  # the worker has not applied 4 and 5 yet
    with pytest.raises(MissingIndexError):
        store.searcher("never-built", 0)


def test_a_rebuild_switches_readers_to_the_new_folder_and_old_builds_go_after_the_grace(tmp_path):
    store, reader = SearchIndexes(tmp_path), SearchIndexes(tmp_path)
    store.build("k1", [doc(1, "kulepenn")], generation=0)
    first = (tmp_path / "k1").resolve()
    assert names(reader, "k1", 0, "kulepenn") == [1]
    store.build("k1", [doc(1, "kulepenn"), doc(3, "kulepenn")], generation=2)
    assert (tmp_path / "k1").resolve() != first and first.is_dir()  # kept for readers still on it
    time.sleep(0.25)
    assert names(reader, "k1", 2, "kulepenn") == [1, 3]
    assert store.collect_garbage({"k1"}, grace=3600) == 0
    assert store.collect_garbage({"k1"}, grace=0) == 1 and not first.exists()
    assert names(reader, "k1", 2, "kulepenn") == [1, 3]
    store.build("k2", [doc(9, "blyant")])
    assert store.collect_garbage({"k2"}, grace=0) == 2  # k1's link and its build
    assert not (tmp_path / "k1").exists() and store.exists("k2")


KILLED_BUILD = """
import sys, time
from pathlib import Path
from webshop.search.index import SCHEMA, IndexDoc
from webshop.search.store import SearchIndexes

def docs():
    for i in range(1, 1000):
        yield IndexDoc(item_id=i, agreement_id=1, supplier_item_id=f"N-{i}", name="hullemaskin")
        if i == 10:
            Path(sys.argv[2]).touch()
            time.sleep(60)

SearchIndexes(Path(sys.argv[1])).build("k1", docs(), generation=7)
"""


def test_a_writer_killed_mid_build_leaves_the_old_index_serving(tmp_path):
    store = SearchIndexes(tmp_path / "index")
    store.build("k1", [doc(1, "kulepenn")], generation=0)
    started = tmp_path / "started"
    process = subprocess.Popen([sys.executable, "-c", KILLED_BUILD, str(tmp_path / "index"), str(started)],
                               cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    deadline = time.monotonic() + 30
    while not started.exists():
        assert time.monotonic() < deadline and process.poll() is None, "the build never started"
        time.sleep(0.05)
    assert list((tmp_path / "index").glob(".tmp-k1@*"))
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    reader = SearchIndexes(tmp_path / "index")
    assert names(reader, "k1", 7, "kulepenn") == [1]  # the old index, whatever generation the database wants
    assert reader.generation("k1") == 0
    store.build("k1", [doc(1, "kulepenn"), doc(2, "hullemaskin")], generation=7)  # the next writer
    assert not list((tmp_path / "index").glob(".tmp-k1@*"))  # it removed the leftovers first
    time.sleep(0.25)
    assert names(reader, "k1", 7, "hullemaskin") == [2]


def test_a_reader_closes_indexes_no_search_used_for_a_while(tmp_path):
    store = SearchIndexes(tmp_path)
    store.build("old", [doc(1, "kulepenn")])
    store.build("new", [doc(2, "kulepenn")])
    assert names(store, "old", 0, "kulepenn") == [1]
    later = time.monotonic() + GRACE_SECONDS + 1
    store._forget_idle(later)  # what opening another index does
    assert store._open == {}  # the retired version's files can go, and their disk space with them
    assert names(store, "new", 0, "kulepenn") == [2]
