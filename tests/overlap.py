"""Force two transactions to overlap, through SQLAlchemy engine events (no hook in the app).

A race test runs two threads, the *winner* and the *loser*. The winner runs until the COMMIT
of the transaction that did its guarded write (``arm``), and waits there until the loser has
*arrived* (``arrive``): it has read everything it decides on and is about to write, or to take
a lock (and there it waits until the winner has done that guarded write). Only then does the
winner commit. The loser goes on with what it read before that
commit, so only a guard (a compare-and-set, a lock, a rowcount check) can stop it now.

SQLite has one writer at a time: the winner holds the write lock from its first write to its
commit, so the loser's first write waits (busy_timeout) for the winner's commit. "Overlap" there
means both read before either committed and the loser writes last, on the state it read before.
PostgreSQL: the loser's write or lock on a row the winner changed waits for the winner's commit
(READ COMMITTED), and ``lock_waits`` checks that it really waited.

Predicates see each statement on one line (whitespace collapsed). Every statement the two
threads run is recorded with its rowcount, so a test can say which guard refused the loser
(e.g. the loser's ``UPDATE orders`` changed 0 rows).
"""
from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import Engine

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.I)
LOCK = re.compile(r"\bFOR (NO KEY )?UPDATE\b|\bFOR (KEY )?SHARE\b", re.I)
WAIT = 20.0  # seconds; below SQLite's busy_timeout (15 s) + the loser's work, so a stuck race fails clearly


def is_write(statement: str) -> bool:
    return bool(WRITE.search(statement) or LOCK.search(statement))


def raised_in(exc: BaseException) -> str:
    """``module.function`` where ``exc`` was raised (the innermost frame of its traceback)."""
    tb = exc.__traceback__
    assert tb is not None
    while tb.tb_next is not None:
        tb = tb.tb_next
    return f"{tb.tb_frame.f_globals['__name__']}.{tb.tb_frame.f_code.co_name}"


class Overlap:
    """See the module docstring. ``arm(sql)``: the winner's statement after which its commit waits;
    ``arrive(sql)``: the loser statement at which it has arrived (checked before it runs);
    ``arrive_after(sql)``: or after it ran (a read that a missing lock would let through);
    ``expect_wait``: on PostgreSQL the winner then waits until the loser is seen waiting for a lock."""

    def __init__(self, engine: Engine, *, arm: Callable[[str], bool], arrive: Callable[[str], bool] = is_write,
                 arrive_after: Callable[[str], bool] = lambda sql: False, expect_wait: bool = False) -> None:
        self.engine = engine
        self.expect_wait = expect_wait  # PostgreSQL: the loser's arriving statement must wait for a lock
        self.arm, self.arrive, self.arrive_after = arm, arrive, arrive_after
        self.local = threading.local()
        self.armed = threading.Event()
        self.arrived = threading.Event()
        self.arrived_at = ""
        self.arrived_before = False  # arrived at a statement about to run (not after a read)
        self.held = False  # the winner's commit did wait for the loser
        self.lock_waited = False  # PostgreSQL: the loser was seen waiting for a lock
        self.statements: list[tuple[str, str, int]] = []  # (role, statement, rowcount)
        self.problems: list[str] = []

    # ---------------------------------------------------------------- engine events

    def __enter__(self) -> Overlap:
        event.listen(self.engine, "before_cursor_execute", self._before)
        event.listen(self.engine, "after_cursor_execute", self._after)
        event.listen(self.engine, "commit", self._commit)
        return self

    def __exit__(self, *exc: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._before)
        event.remove(self.engine, "after_cursor_execute", self._after)
        event.remove(self.engine, "commit", self._commit)

    def _role(self) -> str | None:
        return getattr(self.local, "role", None)

    def _before(self, conn, cursor, statement: str, parameters, context, executemany) -> None:
        sql = " ".join(statement.split())
        if self._role() == "loser" and not self.arrived.is_set() and self.arrive(sql):
            self.arrived_at, self.arrived_before = sql, True
            self.arrived.set()
            # Not before the winner has done its guarded write: otherwise the loser would simply go first.
            if not self.armed.wait(WAIT):
                self.problems.append("the winner never reached its guarded statement")

    def _after(self, conn, cursor, statement: str, parameters, context, executemany) -> None:
        role = self._role()
        if role is None:
            return
        sql = " ".join(statement.split())
        self.statements.append((role, sql, cursor.rowcount))
        if role == "winner" and self.arm(sql):
            self.armed.set()
        if role == "loser" and not self.arrived.is_set() and self.arrive_after(sql):
            self.arrived_at = sql
            self.arrived.set()

    def _commit(self, conn) -> None:
        if self._role() != "winner" or not self.armed.is_set() or self.held:
            return
        self.held = True
        if not self.arrived.wait(WAIT):
            self.problems.append("the loser never arrived while the winner's transaction was open")
            return
        if conn.dialect.name == "postgresql" and self.expect_wait and self.arrived_before:
            self.lock_waited = self._wait_for_a_lock_wait(conn)

    def _wait_for_a_lock_wait(self, conn) -> bool:
        """Poll (from another connection) until a backend of this database waits for a lock."""
        self.local.role = None  # our own polling is not part of the race
        try:
            with self.engine.connect() as other:
                deadline = time.monotonic() + WAIT
                while time.monotonic() < deadline:
                    waiting = other.scalar(text(
                        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                        "AND datname = current_database()"))
                    other.rollback()
                    if waiting:
                        return True
                    time.sleep(0.02)
            self.problems.append("the loser never waited for the winner's lock")
            return False
        finally:
            self.local.role = "winner"

    # ---------------------------------------------------------------- running the two sides

    def run(self, winner: Callable[[], Any], loser: Callable[[], Any]) -> dict[str, Any]:
        """Run both sides at once; return each side's result or the exception it raised."""
        outcome: dict[str, Any] = {}
        start = threading.Barrier(2)

        def side(role: str, work: Callable[[], Any]) -> None:
            self.local.role = role
            start.wait()
            try:
                outcome[role] = work()
            except Exception as exc:  # noqa: BLE001 - the test inspects it
                outcome[role] = exc

        threads = [threading.Thread(target=side, args=("winner", winner)),
                   threading.Thread(target=side, args=("loser", loser))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert not any(t.is_alive() for t in threads), "a side of the race is still running"
        assert not self.problems, (self.problems, outcome)
        assert self.held and self.arrived.is_set(), ("the two transactions did not overlap", outcome)
        return outcome

    def rowcounts(self, role: str, prefix: str) -> list[int]:
        """Rowcounts of ``role``'s statements that start with ``prefix`` (e.g. "UPDATE orders SET status")."""
        return [n for r, sql, n in self.statements if r == role and sql.startswith(prefix)]
