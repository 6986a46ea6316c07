"""Where this machine keeps its search indexes, and how they are written and re-read.

One folder per catalogue version (its random ``search_key``) under the machine's own
``SEARCH_INDEX_DIR``; nothing is shared between machines. A complete index is built in a
temporary folder, moved to ``<key>@<build>`` and then published by swapping the symlink
``<key>`` to it in one ``rename``: a writer killed mid-build leaves only a temporary
folder, and readers keep the index the link pointed to. Each index folder holds a
``GENERATION`` file: the catalogue's ``search_generation`` (a counter in the database)
whose changes it contains, written after the tantivy commit.

Writers take a per-index ``flock`` (one writer per index on this machine: tantivy allows no
more). Readers never lock: before a search they compare the generation the database says
is live with the one they opened, and only then look at the link and ``GENERATION`` and
reload. No Flask or SQLAlchemy here.
"""
from __future__ import annotations

import fcntl
import os
import shutil
import time
import uuid
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import tantivy

from webshop.search.index import SCHEMA, IndexDoc, _document, _register

GENERATION_FILE = "GENERATION"
SYNCED_FILE = ".synced"  # touched by each finished round of this machine's index writer (the worker)
RECHECK_SECONDS = 0.2  # a reader whose index lags the database looks at the disk at most this often
GRACE_SECONDS = 600.0  # replaced builds and indexes of retired versions stay this long for readers still on them


class MissingIndexError(LookupError):
    """This machine has no index for a catalogue version (yet): its worker builds it."""


@dataclass
class _Opened:
    index: tantivy.Index
    target: str
    applied: int
    searcher: tantivy.Searcher
    checked_at: float
    used_at: float = 0.0


def _read_generation(folder: Path) -> int | None:
    try:
        return int((folder / GENERATION_FILE).read_text().strip() or 0)
    except (OSError, ValueError):
        return None


def _write_generation(folder: Path, generation: int) -> None:
    tmp = folder / f".{GENERATION_FILE}.{uuid.uuid4().hex[:8]}"
    tmp.write_text(str(generation))
    os.replace(tmp, folder / GENERATION_FILE)


class SearchIndexes:
    """The indexes under one machine-local root folder, opened once per process."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._open: dict[str, _Opened] = {}

    # --- where things are ------------------------------------------------------------------------

    def path(self, key: str) -> Path:
        """The published index of ``key`` (a symlink to its current build)."""
        return self.root / key

    def exists(self, key: str) -> bool:
        return key in self._open or (self.path(key) / "meta.json").exists()

    def generation(self, key: str) -> int | None:
        """The database generation the published index of ``key`` contains (None: no index here)."""
        if not (self.path(key) / "meta.json").exists():
            return None
        return _read_generation(self.path(key)) or 0

    def mark_synced(self) -> None:
        """This machine's worker finished a round: its indexes matched the database it read."""
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / SYNCED_FILE).touch()

    def synced_age(self) -> float | None:
        """Seconds since this machine's worker last finished a round (None: never)."""
        try:
            return max(0.0, time.time() - (self.root / SYNCED_FILE).stat().st_mtime)
        except FileNotFoundError:
            return None

    @contextmanager
    def lock(self, key: str) -> Iterator[None]:
        """The machine's one writer of ``key``: every build and update holds this flock."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / f".{key}.lock", "w") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    # --- writing (the worker; in "inline" mode also the process that changed the data) ----------

    def build(self, key: str, docs: Iterable[IndexDoc], *, generation: int = 0,
              heap_size: int = 128_000_000) -> int:
        """Write a complete index of ``key`` as of ``generation`` and publish it; return the document count."""
        with self.lock(key):
            self._remove_temporaries(key)
            build = f"{key}@{uuid.uuid4().hex[:8]}"
            tmp = self.root / f".tmp-{build}"
            tmp.mkdir()
            try:
                index = _register(tantivy.Index(SCHEMA, path=str(tmp), reuse=False))
                writer = index.writer(heap_size=heap_size, num_threads=min(2, os.cpu_count() or 1))
                count = 0
                for d in docs:
                    writer.add_document(_document(d))
                    count += 1
                writer.commit()
                writer.wait_merging_threads()
                del writer, index
                _write_generation(tmp, generation)
                os.replace(tmp, self.root / build)
            finally:
                if tmp.exists():
                    shutil.rmtree(tmp, ignore_errors=True)
            self._publish(key, build)
        self._open.pop(key, None)
        return count

    def _publish(self, key: str, build: str) -> None:
        """Point ``<key>`` at ``build`` with one rename (atomic for every reader)."""
        link = self.path(key)
        previous = link.resolve() if link.is_symlink() else None
        if link.exists() and not link.is_symlink():  # a folder of the layout before builds were linked
            legacy = self.root / f"{key}@legacy-{uuid.uuid4().hex[:8]}"
            os.replace(link, legacy)
            previous = legacy
        new_link = self.root / f".link-{build}"
        os.symlink(build, new_link)
        os.replace(new_link, link)
        if previous is not None and previous.exists():
            os.utime(previous)  # retired now: removed after GRACE_SECONDS (readers may still be on it)

    def apply(self, key: str, docs: Sequence[IndexDoc], generation: int | None = None) -> None:
        """Re-index single items in the published index of ``key`` (curation edits) and record ``generation``."""
        with self.lock(key):
            target = self.path(key).resolve()
            if not (target / "meta.json").exists():
                raise MissingIndexError(key)
            index = _register(tantivy.Index(SCHEMA, path=str(target)))
            writer = index.writer(heap_size=15_000_000, num_threads=1)
            for d in docs:
                writer.delete_documents_by_term("item_id", d.item_id)
                writer.add_document(_document(d))
            writer.commit()
            writer.wait_merging_threads()
            del writer, index
            if generation is not None:
                _write_generation(target, generation)
        self._open.pop(key, None)

    def replace_docs(self, key: str, docs: Sequence[IndexDoc]) -> None:
        self.apply(key, docs)

    def drop(self, key: str) -> None:
        self._open.pop(key, None)
        with self.lock(key):
            link = self.path(key)
            target = link.resolve() if link.is_symlink() else None
            if link.is_symlink():
                link.unlink()
            else:
                shutil.rmtree(link, ignore_errors=True)
            if target is not None:
                shutil.rmtree(target, ignore_errors=True)

    def _remove_temporaries(self, key: str) -> None:
        """Leftovers of a writer of ``key`` that was killed (we hold the lock: nobody is writing them)."""
        for leftover in self.root.glob(f".tmp-{key}@*"):
            shutil.rmtree(leftover, ignore_errors=True)
        for leftover in self.root.glob(f".link-{key}@*"):
            leftover.unlink(missing_ok=True)

    def collect_garbage(self, keep: Collection[str], *, grace: float = GRACE_SECONDS) -> int:
        """Remove replaced builds, indexes of keys not in ``keep`` and a killed writer's leftovers,
        once they are ``grace`` seconds old; return how many folders went."""
        if not self.root.exists():
            return 0
        now = time.time()
        removed = 0
        current = {p.resolve().name for p in self.root.iterdir() if p.is_symlink() and p.name in keep}
        for entry in self.root.iterdir():
            name = entry.name
            if name.startswith(".") and not name.startswith((".tmp-", ".link-")):
                continue  # lock files
            key = name.removeprefix(".tmp-").removeprefix(".link-").split("@", 1)[0]
            if name in current or (key in keep and entry.is_symlink()):
                continue
            try:
                age = now - entry.lstat().st_mtime
            except FileNotFoundError:
                continue
            if age < grace:
                continue
            if name.startswith((".tmp-", ".link-")):
                with self.lock(key):  # a build of this key that is still running holds it
                    self._remove_temporaries(key)
            elif entry.is_symlink():
                entry.unlink(missing_ok=True)
            else:
                shutil.rmtree(entry, ignore_errors=True)
            removed += 1
        return removed

    # --- reading (every process) ------------------------------------------------------------------

    def searcher(self, key: str, generation: int) -> tantivy.Searcher:
        """A searcher of ``key`` that includes ``generation`` as soon as this machine's index does.

        While the index on disk lags the database (the worker has not applied the change yet) the
        searcher serves what it has and looks again at most every ``RECHECK_SECONDS``.
        """
        now = time.monotonic()
        opened = self._open.get(key)
        if opened is not None:
            opened.used_at = now
            if opened.applied >= generation or now - opened.checked_at < RECHECK_SECONDS:
                return opened.searcher
        link = self.path(key)
        target = os.path.realpath(link)
        applied = _read_generation(Path(target))
        if not os.path.exists(os.path.join(target, "meta.json")):
            if opened is not None:  # keep serving what we had
                opened.checked_at = now
                return opened.searcher
            raise MissingIndexError(key)
        applied = applied or 0
        if opened is None or opened.target != target:
            self._forget_idle(now)
            index = _register(tantivy.Index(SCHEMA, path=target))
            opened = _Opened(index, target, applied, index.searcher(), now, now)
        elif applied > opened.applied:
            opened.index.reload()
            opened = _Opened(opened.index, target, applied, opened.index.searcher(), now, now)
        else:
            opened.checked_at = now
        self._open[key] = opened
        return opened.searcher

    def _forget_idle(self, now: float) -> None:
        """Close the indexes no search used for GRACE_SECONDS (retired versions): their files may
        be deleted already, and an open reader would keep the disk space."""
        for key in [k for k, o in self._open.items() if now - o.used_at > GRACE_SECONDS]:
            del self._open[key]
