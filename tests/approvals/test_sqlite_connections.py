"""Why the combined SQLite test runs were flaky (``ObjectDeletedError`` right after a commit,
then ``database is locked`` everywhere): since Python 3.11, ``sqlite3`` no longer resets
unfinished SELECT statements on rollback, so a result that was not read to the end keeps
its WAL read snapshot after the pool takes the connection back. The next session that
gets that pooled connection reads the past and cannot write. File SQLite therefore
runs without a pool: a connection is closed (and its statements finalised) when the
session is done with it."""
from __future__ import annotations

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.pool import NullPool

from webshop.orgs.models import Collaboration


def test_a_half_read_result_does_not_leave_a_stale_connection_behind(app, store):
    from webshop.extensions import db

    store.add_all([Collaboration(name=f"Samarbeid {i}") for i in range(5)])
    store.commit()
    with app.app_context():
        engine = db.engine
        half_read = db.session.connection().execute(text("SELECT name FROM collaborations"))
        assert half_read.fetchone() is not None  # four rows left unread, the result still alive
        db.session.remove()  # the session is done with its connection
    other = create_engine(store.bind.url, poolclass=NullPool)  # someone else commits meanwhile
    with other.begin() as connection:
        connection.execute(text("INSERT INTO collaborations (name) VALUES ('Ny')"))
    other.dispose()
    store.close()
    idle = engine.pool.checkedin() if hasattr(engine.pool, "checkedin") else 0
    connections = [engine.connect() for _ in range(idle + 1)]  # every pooled connection, and one more
    try:
        for connection in connections:
            names = set(connection.scalars(select(Collaboration.name)))
            assert "Ny" in names  # not a snapshot from before the commit
            connection.execute(text("UPDATE collaborations SET name = name WHERE name = 'Ny'"))
            connection.commit()  # and no "database is locked"
    finally:
        for connection in connections:
            connection.close()
    del half_read
    assert store.scalar(select(func.count()).select_from(Collaboration)) == 6
