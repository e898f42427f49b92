"""The only casework module that touches the catalog's tables (service, service_capacity).

Tables are looked up on ``Base.metadata`` by name at call time, so casework does not import
the catalog's ORM classes. Taking a slot is ONE conditional UPDATE (``available > 0``): on
PostgreSQL the row lock plus the re-checked WHERE, on SQLite the write lock, make two
coordinators confirming the last slot get one success and one ``NoCapacity``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import CursorResult, ScalarSelect, Table, select, update
from sqlalchemy.orm import Session

from casework.errors import CatalogUnavailable, NoCapacity
from storage.base import Base

SERVICE_TABLE = "service"
CAPACITY_TABLE = "service_capacity"


@dataclass(frozen=True)
class FeeTerms:
    """A receiver's cooperation-fee terms for one resource (協力費の単価と単位)."""

    resource_id: str
    receiver_id: str
    amount_yen: int
    unit: str  # per_session, per_month or none


def _table(name: str) -> Table:
    try:
        return Base.metadata.tables[name]
    except KeyError as exc:
        raise CatalogUnavailable(f"catalog table {name!r} is not registered") from exc


def _service_id_of(resource_id: str) -> ScalarSelect[str]:
    service = _table(SERVICE_TABLE)
    return select(service.c.id).where(service.c.resource_id == resource_id).scalar_subquery()


def take_slot(session: Session, resource_id: str) -> None:
    """Take one free place at the resource atomically; raise NoCapacity when none is left."""
    capacity = _table(CAPACITY_TABLE)
    stmt = (
        update(capacity)
        .where(capacity.c.service_id == _service_id_of(resource_id), capacity.c.available > 0)
        .values(available=capacity.c.available - 1)
    )
    result = session.execute(stmt)
    assert isinstance(result, CursorResult)
    if result.rowcount != 1:
        raise NoCapacity(resource_id)


def free_slot(session: Session, resource_id: str) -> bool:
    """Give a place back (never above the maximum); False when there was nothing to free."""
    capacity = _table(CAPACITY_TABLE)
    stmt = (
        update(capacity)
        .where(
            capacity.c.service_id == _service_id_of(resource_id),
            capacity.c.available < capacity.c.maximum,
        )
        .values(available=capacity.c.available + 1)
    )
    result = session.execute(stmt)
    assert isinstance(result, CursorResult)
    return result.rowcount == 1


def available_slots(session: Session, resource_id: str) -> int | None:
    """Free places now, or None when the resource has no capacity row."""
    capacity = _table(CAPACITY_TABLE)
    return session.execute(
        select(capacity.c.available).where(capacity.c.service_id == _service_id_of(resource_id))
    ).scalar_one_or_none()


def resource_exists(session: Session, resource_id: str) -> bool:
    """True when the catalog has a resource with this id."""
    service = _table(SERVICE_TABLE)
    found = session.execute(
        select(service.c.resource_id).where(service.c.resource_id == resource_id)
    ).first()
    return found is not None


def fee_terms(session: Session, resource_id: str) -> FeeTerms | None:
    """The resource's cooperation fee and its receiver (organization id), or None if unknown."""
    service = _table(SERVICE_TABLE)
    row = session.execute(
        select(
            service.c.organization_id, service.c.cooperation_fee_yen, service.c.cooperation_fee_unit
        ).where(service.c.resource_id == resource_id)
    ).one_or_none()
    if row is None:
        return None
    return FeeTerms(
        resource_id=resource_id,
        receiver_id=str(row.organization_id),
        amount_yen=int(row.cooperation_fee_yen),
        unit=str(row.cooperation_fee_unit),
    )


def organization_of(session: Session, resource_id: str) -> str | None:
    """The receiver (organization id) offering a resource, or None if the resource is unknown."""
    service = _table(SERVICE_TABLE)
    return session.execute(
        select(service.c.organization_id).where(service.c.resource_id == resource_id)
    ).scalar_one_or_none()
