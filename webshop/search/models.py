"""What each machine's worker needs to bring its own search index up to date: the change log."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from webshop.dbtypes import UTCDateTime, utcnow
from webshop.extensions import Model


class SearchIndexChange(Model):
    """One item whose index document changed in a catalogue version's ``search_generation``.

    A curation edit bumps the catalogue's generation and writes one row per item it touched;
    each machine's worker re-indexes the items of every generation its index lacks. Rows are
    kept for ``CHANGE_LOG_DAYS``; a machine further behind rebuilds the whole index.
    """

    __tablename__ = "search_index_changes"
    __table_args__ = (Index("ix_search_index_changes_catalogue_generation", "catalogue_id", "generation"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    catalogue_id: Mapped[int] = mapped_column(ForeignKey("catalogues.id", ondelete="CASCADE"))
    generation: Mapped[int] = mapped_column(Integer)
    supplier_item_id: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
