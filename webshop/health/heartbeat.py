"""Worker heartbeats: the worker records one per round, ``/readyz`` reads the newest."""
from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import SQLAlchemyError

from webshop.extensions import db
from webshop.health.models import WorkerHeartbeat
from webshop.sql import rows_changed

log = logging.getLogger(__name__)

# Rows of workers that stopped (every restart is a new host:pid) are removed after this long.
FORGET_AFTER = timedelta(days=1)


def record_heartbeat(worker_id: str, *, now: datetime | None = None) -> bool:
    """Write ``worker_id``'s heartbeat in its own transaction and forget long-dead workers.

    Wall-clock time on purpose (not the demo clock): readiness asks whether a worker runs now.
    A database error is logged and returns False: the worker goes on, and ``/readyz`` turns
    503 once the last heartbeat is a minute old.
    """
    now = now or datetime.now(UTC)
    try:
        changed = rows_changed(update(WorkerHeartbeat).where(WorkerHeartbeat.worker_id == worker_id)
                               .values(beat_at=now))
        if changed == 0:
            db.session.execute(insert(WorkerHeartbeat).values(worker_id=worker_id, beat_at=now))
        rows_changed(delete(WorkerHeartbeat).where(WorkerHeartbeat.beat_at < now - FORGET_AFTER))
        db.session.commit()
    except SQLAlchemyError:
        log.exception("Recording the heartbeat of worker %s failed", worker_id)
        db.session.rollback()
        return False
    return True


def latest_heartbeat() -> datetime | None:
    """When any worker last finished a round (None: no worker ever ran against this database)."""
    return db.session.scalar(select(func.max(WorkerHeartbeat.beat_at)))
