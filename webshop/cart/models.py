"""The orderer's cart: catalogue lines (price always read from the catalogue) and free-text lines."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webshop.catalogue.models import CatalogueItem, Supplier
from webshop.dbtypes import Quantity, ScaledDecimal, UTCDateTime, utcnow
from webshop.extensions import Model


class CartLine(Model):
    __tablename__ = "cart_lines"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("catalogue_items.id"))
    # Free-text lines only: what the catalogue lacks, with the orderer's estimate.
    description: Mapped[str | None] = mapped_column(String(300))
    unit_code: Mapped[str | None] = mapped_column(String(3))
    estimated_price: Mapped[Decimal | None] = mapped_column(ScaledDecimal(4))
    quantity: Mapped[Decimal] = mapped_column(Quantity())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    item: Mapped[CatalogueItem | None] = relationship()
    supplier: Mapped[Supplier] = relationship()

    @property
    def is_free_text(self) -> bool:
        return self.item_id is None
