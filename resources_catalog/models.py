"""Catalog tables, shaped after Open Referral HSDS 3.1 so an HSDS export is a plain mapping.

One ``service`` row is one receivable activity (受入先の活動, the exchange CSV's
``resource_id``); its ``organization`` is the receiver (受入先). The catalog keeps one
location, one weekly schedule, one capacity, one participant cost and one contact per
service: that is what coordinators edit, and HSDS fields beyond it live in ``service.extra``.

Primary keys are the HSDS ids (UUID strings), computed deterministically from the
``resource_id`` (see ``resources_catalog.hsds.ids``), so bulk imports can write child rows
without a round trip for generated keys; the one-per-service child tables are keyed by
``service_id`` alone. Relationships are ``lazy="raise"``: every load is
an explicit ``selectinload`` or a core query in the repository.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.base import Base
from storage.types import UTCDateTime

ID = String(36)
# The one-per-service child tables (and the category links) are keyed by their service and
# need no id of their own: HSDS ids for them are derived from the service's
# (``hsds.ids.child_id``). On SQLite each is then one B-tree (WITHOUT ROWID) instead of a
# rowid table with two unique indexes, which made a 100,000-resource import's write about
# a quarter faster.
_ONE_TREE: dict[str, Any] = {"sqlite_with_rowid": False}


class Organization(Base):
    """A receiver (受入先): the body that offers one or more activities."""

    __tablename__ = "organization"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    services: Mapped[list[Service]] = relationship(back_populates="organization", lazy="raise")


class Service(Base):
    """One activity a receiver offers (HSDS service), with the matching-relevant flags."""

    __tablename__ = "service"
    __table_args__ = (
        CheckConstraint(
            "status IN ('active', 'inactive', 'temporarily_closed')", name="status_valid"
        ),
        CheckConstraint(
            "cooperation_fee_unit IN ('per_session', 'per_month', 'none')",
            name="cooperation_fee_unit_valid",
        ),
        CheckConstraint("cooperation_fee_yen >= 0", name="cooperation_fee_not_negative"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    resource_id: Mapped[str] = mapped_column(String(64), unique=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="active", index=True)
    min_age: Mapped[int | None] = mapped_column(Integer)
    max_age: Mapped[int | None] = mapped_column(Integer)
    requires_certificate: Mapped[bool] = mapped_column(Boolean, default=False)
    quiet_environment: Mapped[bool] = mapped_column(Boolean, default=False)
    small_group: Mapped[bool] = mapped_column(Boolean, default=False)
    visit_ok: Mapped[bool] = mapped_column(Boolean, default=False)
    trial_ok: Mapped[bool] = mapped_column(Boolean, default=False)
    paid: Mapped[bool] = mapped_column(Boolean, default=False)
    # 協力費: what the city pays the receiver, integer yen per unit.
    cooperation_fee_yen: Mapped[int] = mapped_column(Integer, default=0)
    cooperation_fee_unit: Mapped[str] = mapped_column(String(20), default="none")
    version: Mapped[int] = mapped_column(Integer, default=1)
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    organization: Mapped[Organization] = relationship(back_populates="services", lazy="raise")
    location: Mapped[Location | None] = relationship(
        back_populates="service", lazy="raise", cascade="all, delete-orphan"
    )
    schedule: Mapped[Schedule | None] = relationship(
        back_populates="service", lazy="raise", cascade="all, delete-orphan"
    )
    cost_option: Mapped[CostOption | None] = relationship(
        back_populates="service", lazy="raise", cascade="all, delete-orphan"
    )
    capacity: Mapped[ServiceCapacity | None] = relationship(
        back_populates="service", lazy="raise", cascade="all, delete-orphan"
    )
    contact: Mapped[Contact | None] = relationship(
        back_populates="service", lazy="raise", cascade="all, delete-orphan"
    )
    taxonomy_links: Mapped[list[ServiceTaxonomy]] = relationship(
        back_populates="service",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="ServiceTaxonomy.position",
    )


class Location(Base):
    """Where the activity happens (HSDS location + address + accessibility, flattened)."""

    __tablename__ = "location"
    __table_args__ = (_ONE_TREE,)

    service_id: Mapped[str] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), primary_key=True
    )
    address: Mapped[str | None] = mapped_column(String(300))
    ward: Mapped[str | None] = mapped_column(String(20), index=True)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    # Where latitude/longitude came from (places.LocationSource): given, or geocoded.
    location_source: Mapped[str | None] = mapped_column(String(16))
    nearest_station: Mapped[str | None] = mapped_column(String(200))
    wheelchair_accessible: Mapped[bool] = mapped_column(Boolean, default=False)

    service: Mapped[Service] = relationship(back_populates="location", lazy="raise")


class Schedule(Base):
    """A weekly opening (RRULE-compatible: freq WEEKLY, byday "TU,TH", opens/closes HH:MM)."""

    __tablename__ = "schedule"
    __table_args__ = (_ONE_TREE,)

    service_id: Mapped[str] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), primary_key=True
    )
    freq: Mapped[str] = mapped_column(String(10), default="WEEKLY")
    byday: Mapped[str] = mapped_column(String(40), default="")
    opens_at: Mapped[str | None] = mapped_column(String(5))
    closes_at: Mapped[str | None] = mapped_column(String(5))

    service: Mapped[Service] = relationship(back_populates="schedule", lazy="raise")


class CostOption(Base):
    """What a participant pays to take part (参加費), integer yen."""

    __tablename__ = "cost_option"
    __table_args__ = (
        CheckConstraint("amount_yen >= 0", name="amount_not_negative"),
        _ONE_TREE,
    )

    service_id: Mapped[str] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), primary_key=True
    )
    option: Mapped[str] = mapped_column(String(100), default="参加費")
    currency: Mapped[str] = mapped_column(String(3), default="JPY")
    amount_yen: Mapped[int] = mapped_column(Integer)

    service: Mapped[Service] = relationship(back_populates="cost_option", lazy="raise")


class ServiceCapacity(Base):
    """Places for participants: how many in all and how many are free now (定員・空き)."""

    __tablename__ = "service_capacity"
    __table_args__ = (
        CheckConstraint("maximum >= 0 AND available >= 0", name="not_negative"),
        CheckConstraint("available <= maximum", name="available_within_maximum"),
        _ONE_TREE,
    )

    service_id: Mapped[str] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), primary_key=True
    )
    unit: Mapped[str] = mapped_column(String(20), default="人")
    maximum: Mapped[int] = mapped_column(Integer, default=0)
    available: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    service: Mapped[Service] = relationship(back_populates="capacity", lazy="raise")


class TaxonomyTerm(Base):
    """One of the 18 activity categories, with its Japanese name for coordinators."""

    __tablename__ = "taxonomy_term"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    taxonomy: Mapped[str] = mapped_column(String(40), default="tsunagu-category")


class ServiceTaxonomy(Base):
    """Link of a service to a category; ``position`` keeps the order the editor gave."""

    __tablename__ = "service_taxonomy"
    __table_args__ = (_ONE_TREE,)

    service_id: Mapped[str] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), primary_key=True
    )
    taxonomy_term_id: Mapped[str] = mapped_column(
        ForeignKey("taxonomy_term.id"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)

    service: Mapped[Service] = relationship(back_populates="taxonomy_links", lazy="raise")
    taxonomy_term: Mapped[TaxonomyTerm] = relationship(lazy="raise")


class Contact(Base):
    """The receiver's person to call about this activity (担当者)."""

    __tablename__ = "contact"
    __table_args__ = (_ONE_TREE,)

    service_id: Mapped[str] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(50))
    email: Mapped[str | None] = mapped_column(String(254))

    service: Mapped[Service] = relationship(back_populates="contact", lazy="raise")


class ResourceChange(Base):
    """One recorded edit (変更履歴); keyed by resource_id so history outlives renames."""

    __tablename__ = "resource_change"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    resource_id: Mapped[str] = mapped_column(String(64), index=True)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(20))
    # A list of {"field", "old", "new"}; a creation (import or API) stores the compact
    # {field: new value} instead (``history.expand`` reads both).
    changes: Mapped[list[dict[str, Any]] | dict[str, Any]] = mapped_column(JSON, default=list)


class CatalogRevisionCounter(Base):
    """Two counters that catalog writes bump (the single row ``id = 1``).

    ``content`` moves when anything a ranker indexes changes (so a fitted ranker knows it is
    stale without hashing the catalog); ``availability`` moves when free places or a status
    change (read at query time as a filter, so a placement never forces a refit).
    """

    __tablename__ = "catalog_revision"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    content: Mapped[int] = mapped_column(Integer, default=0)
    availability: Mapped[int] = mapped_column(Integer, default=0)
