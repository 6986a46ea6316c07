"""Suppliers, framework agreements and their versioned catalogues."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ehf.profiles import Profile
from webshop.dbtypes import Money, Quantity, ScaledDecimal, StrEnumType, UTCDateTime, utcnow
from webshop.extensions import Model, db
from webshop.orgs.models import Organisation


class Supplier(Model):
    __tablename__ = "suppliers"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    orgnr: Mapped[str] = mapped_column(String(9), unique=True)
    endpoint_scheme: Mapped[str] = mapped_column(String(4), default="0192")
    endpoint_id: Mapped[str] = mapped_column(String(50))
    # Which order format the supplier's system expects: Peppol BIS or Norwegian EHF.
    profile: Mapped[Profile] = mapped_column(StrEnumType(Profile, 30))
    street: Mapped[str] = mapped_column(String(200))
    postcode: Mapped[str] = mapped_column(String(10))
    city: Mapped[str] = mapped_column(String(100))
    min_order_value: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    delivery_days: Mapped[str | None] = mapped_column(String(40))


agreement_members = Table(
    "agreement_members",
    db.metadata,
    Column("agreement_id", ForeignKey("agreements.id"), primary_key=True),
    Column("organisation_id", ForeignKey("organisations.id"), primary_key=True, index=True),
)


class Agreement(Model):
    """A framework agreement (rammeavtale) between the collaboration and one supplier."""

    __tablename__ = "agreements"
    id: Mapped[int] = mapped_column(primary_key=True)
    collaboration_id: Mapped[int] = mapped_column(ForeignKey("collaborations.id"), index=True)
    reference: Mapped[str] = mapped_column(String(60), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), index=True)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date] = mapped_column(Date)
    # Under the supplier's minimum order value: False warns the orderer, True refuses the order.
    # Set by the collaboration's central buyer (curation.min_order), audited.
    min_order_blocks: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    supplier: Mapped[Supplier] = relationship()
    members: Mapped[list[Organisation]] = relationship(secondary=agreement_members)

    def is_valid_on(self, day: date) -> bool:
        return self.valid_from <= day <= self.valid_to


class CatalogueStatus(StrEnum):
    DRAFT = "draft"  # being imported; never served
    PUBLISHED = "published"  # the live version (one per agreement)
    RETIRED = "retired"  # an earlier live version


class Catalogue(Model):
    """One version of an agreement's catalogue. Orderers only see the published one."""

    __tablename__ = "catalogues"
    __table_args__ = (UniqueConstraint("agreement_id", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[CatalogueStatus] = mapped_column(StrEnumType(CatalogueStatus, 20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Names the version's search index folder; bumped generation = re-open the index (curation edits).
    search_key: Mapped[str | None] = mapped_column(String(32))
    search_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # What the import noticed per row (a supplier's unit name mapped to its UN/ECE code), one per line.
    import_notes: Mapped[str | None] = mapped_column(Text)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    agreement: Mapped[Agreement] = relationship()


class CatalogueItem(Model):
    __tablename__ = "catalogue_items"
    __table_args__ = (
        UniqueConstraint("catalogue_id", "supplier_item_id"),
        Index("ix_catalogue_items_gtin", "gtin"),
        Index("ix_catalogue_items_manufacturer_item_id", "manufacturer_item_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    catalogue_id: Mapped[int] = mapped_column(ForeignKey("catalogues.id"), index=True)
    supplier_item_id: Mapped[str] = mapped_column(String(60))
    manufacturer_item_id: Mapped[str | None] = mapped_column(String(60))
    gtin: Mapped[str | None] = mapped_column(String(14))
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    brand: Mapped[str | None] = mapped_column(String(100))
    keywords: Mapped[str] = mapped_column(Text, default="")
    unspsc: Mapped[str | None] = mapped_column(String(8))
    unit_code: Mapped[str] = mapped_column(String(3))
    pack_size: Mapped[Decimal] = mapped_column(Quantity(), default=Decimal("1"))
    price: Mapped[Decimal] = mapped_column(ScaledDecimal(4))  # agreement price excl. VAT, NOK
    list_price: Mapped[Decimal | None] = mapped_column(ScaledDecimal(4))
    vat_rate: Mapped[Decimal] = mapped_column(ScaledDecimal(2), default=Decimal("25"))
    discontinued: Mapped[bool] = mapped_column(Boolean, default=False)
    image_url: Mapped[str | None] = mapped_column(String(500))
    eco_label: Mapped[str | None] = mapped_column(String(60))  # e.g. "Svanemerket"
    # Set by the supplier side when the supplier reports the item out of stock.
    out_of_stock_reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    catalogue: Mapped[Catalogue] = relationship()

    @property
    def display_name(self) -> str:
        """The central buyer's name for the item where one is set (see ``services.load_items``)."""
        return getattr(self, "_curated_name", None) or self.name

    @property
    def is_hidden(self) -> bool:
        """Hidden from orderers by the central buyer (known after ``services.load_items``)."""
        return bool(getattr(self, "_hidden", False))

    other_numbers: Mapped[list[ItemNumber]] = relationship(
        back_populates="item", cascade="all, delete-orphan", lazy="selectin"
    )


class ItemNumber(Model):
    """Other numbers an item is known by, e.g. the number in the supplier's paper catalogue."""

    __tablename__ = "item_numbers"
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("catalogue_items.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))  # "paper_catalogue", ...
    value: Mapped[str] = mapped_column(String(60), index=True)
    item: Mapped[CatalogueItem] = relationship(back_populates="other_numbers")


class ItemCuration(Model):
    """The central buyer's changes to an item, kept by agreement + supplier item number so they
    survive new catalogue versions."""

    __tablename__ = "item_curations"
    __table_args__ = (UniqueConstraint("agreement_id", "supplier_item_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"), index=True)
    supplier_item_id: Mapped[str] = mapped_column(String(60))
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    name: Mapped[str | None] = mapped_column(String(300))
    extra_keywords: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class SynonymGroup(Model):
    """Words that mean the same when searching, e.g. «farin, sukker»."""

    __tablename__ = "synonym_groups"
    id: Mapped[int] = mapped_column(primary_key=True)
    collaboration_id: Mapped[int] = mapped_column(ForeignKey("collaborations.id"), index=True)
    terms: Mapped[str] = mapped_column(Text)  # comma separated, lower case
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def term_list(self) -> list[str]:
        return [t.strip() for t in self.terms.split(",") if t.strip()]


class Favourite(Model):
    __tablename__ = "favourites"
    __table_args__ = (UniqueConstraint("user_id", "agreement_id", "supplier_item_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"))
    supplier_item_id: Mapped[str] = mapped_column(String(60))
    item_id: Mapped[int] = mapped_column(ForeignKey("catalogue_items.id"))  # the version it was saved from
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    item: Mapped[CatalogueItem] = relationship()


class OrderTemplate(Model):
    """A named list of items a unit orders again and again."""

    __tablename__ = "order_templates"
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    lines: Mapped[list[OrderTemplateLine]] = relationship(
        back_populates="template", cascade="all, delete-orphan", order_by="OrderTemplateLine.id")


class OrderTemplateLine(Model):
    __tablename__ = "order_template_lines"
    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("order_templates.id"), index=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"))
    supplier_item_id: Mapped[str] = mapped_column(String(60))
    item_id: Mapped[int] = mapped_column(ForeignKey("catalogue_items.id"))
    quantity: Mapped[Decimal] = mapped_column(Quantity())
    template: Mapped[OrderTemplate] = relationship(back_populates="lines")
    item: Mapped[CatalogueItem] = relationship()


class SearchLog(Model):
    """One search by an orderer: zero-result searches point at gaps in the catalogues."""

    __tablename__ = "search_logs"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    query: Mapped[str] = mapped_column(String(200))
    results: Mapped[int] = mapped_column(Integer)
    # A search with results after which the user searched again within minutes without ordering.
    abandoned: Mapped[bool] = mapped_column(Boolean, default=False)
    # When the user put an item in the cart within minutes of this search, and from which agreement:
    # such a search was not abandoned, and a zero-result search most likely belongs to that catalogue.
    led_to_cart_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cart_agreement_id: Mapped[int | None] = mapped_column(ForeignKey("agreements.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class ItemRequestStatus(StrEnum):
    OPEN = "open"
    SENT = "sent"  # passed on to the supplier
    ADDED = "added"  # the item is in the catalogue now
    DECLINED = "declined"  # not added; the note says why
    CLOSED = "closed"


class ItemRequest(Model):
    """«Finner du ikke varen?»: an orderer asks the central buyer to get an item into a catalogue."""

    __tablename__ = "item_requests"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("agreements.id"))
    query: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ItemRequestStatus] = mapped_column(StrEnumType(ItemRequestStatus, 20),
                                                      default=ItemRequestStatus.OPEN)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    organisation: Mapped[Organisation] = relationship()
    agreement: Mapped[Agreement | None] = relationship()
