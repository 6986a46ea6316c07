"""The delivery worker's heartbeat: one row per worker process, its last round."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from webshop.dbtypes import UTCDateTime
from webshop.extensions import Model


class WorkerHeartbeat(Model):
    __tablename__ = "worker_heartbeats"
    worker_id: Mapped[str] = mapped_column(String(100), primary_key=True)  # host:pid, as on claimed messages
    beat_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
