"""Freshness of the catalog (情報の鮮度): when each entry was last confirmed, and by whom.

The confirmation is kept as HSDS ``assured_date`` / ``assurer`` in the entry's ``extra``.
A receiver's own update counts as a confirmation (development.receiver); entries not
confirmed for ``months`` months (or never) form the re-check queue, oldest first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from casework.permissions import Principal, authorize
from casework.services import audit
from casework.services._common import today_in_japan
from resources_catalog import service as catalog
from resources_catalog.records import ResourceRecord
from resources_catalog.service import StoredResource

DEFAULT_MONTHS = 6


@dataclass(frozen=True)
class RecheckItem:
    """An entry due for a re-check: when it was last confirmed (None: never)."""

    resource_id: str
    name: str
    organization: str
    assured_date: date | None
    assurer: str | None


def _assured(record: ResourceRecord) -> date | None:
    value = record.extra.get("assured_date")
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _months_before(day: date, months: int) -> date:
    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    last = [31, 29 if y % 4 == 0 and (y % 100 or y % 400 == 0) else 28, 31, 30, 31, 30, 31,
            31, 30, 31, 30, 31][m]  # fmt: skip
    return date(y, m + 1, min(day.day, last))


def stale_entries(
    records: Sequence[ResourceRecord], *, months: int, today: date
) -> list[RecheckItem]:
    """Active entries not confirmed since ``months`` months before ``today``, oldest first."""
    cutoff = _months_before(today, months)
    items = [
        RecheckItem(r.resource_id, r.name, r.organization, _assured(r), r.extra.get("assurer"))
        for r in records
        if r.status == "active" and ((_assured(r) or date.min) < cutoff)
    ]
    return sorted(items, key=lambda i: (i.assured_date or date.min, i.resource_id))


def recheck_queue(
    session: Session, principal: Principal, *, months: int = DEFAULT_MONTHS
) -> list[RecheckItem]:
    """The re-check queue of the catalog as it is now."""
    authorize(principal, "catalog:read")
    return stale_entries(catalog.all_records(session), months=months, today=today_in_japan())


def confirm(session: Session, principal: Principal, resource_id: str) -> StoredResource:
    """Record that the entry was checked today (by a catalog maintainer or coordinator)."""
    authorize(principal, "prospect:write")
    current = catalog.get_resource(session, resource_id).record
    extra = {**current.extra, "assured_date": today_in_japan().isoformat()}
    extra["assurer"] = principal.ref
    stored = catalog.update_resource(
        session,
        resource_id,
        current.model_copy(update={"extra": extra}),
        actor=principal.ref,
        expected_version=None,
    )
    audit.record(session, principal, "catalog.confirm", "resource", resource_id)
    return stored
