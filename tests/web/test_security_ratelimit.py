"""webshop.ratelimit: database counters shared by every worker, exact under concurrency."""
from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import select

from webshop import ratelimit
from webshop.dbtypes import clock_set_to, utcnow

HOUR = timedelta(hours=1)


def test_the_limit_then_refusal_until_the_window_ends(app):
    with app.app_context():
        assert [ratelimit.hit("k", limit=3, window=HOUR) for _ in range(5)] == [True, True, True, False, False]
        assert ratelimit.locked_until("k") is not None
        with clock_set_to(utcnow() + timedelta(minutes=61)):
            assert ratelimit.locked_until("k") is None
            assert ratelimit.hit("k", limit=3, window=HOUR)


def test_a_lockout_runs_from_the_last_allowed_event(app):
    with app.app_context():
        start = utcnow()
        with clock_set_to(start + timedelta(minutes=50)):
            for _ in range(2):
                ratelimit.hit("k", limit=3, window=HOUR, lockout=timedelta(minutes=15))
        with clock_set_to(start + timedelta(minutes=55)):
            assert ratelimit.hit("k", limit=3, window=HOUR, lockout=timedelta(minutes=15))  # the third: locks
            assert not ratelimit.hit("k", limit=3, window=HOUR, lockout=timedelta(minutes=15))
        with clock_set_to(start + timedelta(minutes=69)):
            assert not ratelimit.hit("k", limit=3, window=HOUR, lockout=timedelta(minutes=15))
        with clock_set_to(start + timedelta(minutes=71)):
            assert ratelimit.hit("k", limit=3, window=HOUR, lockout=timedelta(minutes=15))


def test_keys_are_independent_and_clear_forgets(app):
    with app.app_context():
        for _ in range(3):
            ratelimit.hit("a", limit=3, window=HOUR)
        assert not ratelimit.hit("a", limit=3, window=HOUR)
        assert ratelimit.hit("b", limit=3, window=HOUR)
        ratelimit.clear("a")
        assert ratelimit.hit("a", limit=3, window=HOUR)


def test_concurrent_hits_never_let_more_than_the_limit_through(app):
    threads, results, errors = 12, [], []
    barrier = threading.Barrier(threads)

    def worker():
        try:
            with app.app_context():
                barrier.wait()
                results.append(ratelimit.hit("race", limit=5, window=HOUR))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(60)
    assert errors == []
    assert sorted(results) == [False] * 7 + [True] * 5


def test_stale_counters_are_purged_but_live_locks_stay(app):
    with app.app_context():
        with clock_set_to(utcnow() - timedelta(days=2)):
            ratelimit.hit("stale", limit=3, window=HOUR)
            for _ in range(3):
                ratelimit.hit("locked", limit=3, window=HOUR, lockout=timedelta(days=3))
        ratelimit.hit("fresh", limit=3, window=HOUR)
        ratelimit.purge(older_than=timedelta(days=1))
        from webshop.extensions import db

        assert sorted(db.session.scalars(select(ratelimit.RateLimit.key))) == ["fresh", "locked"]
