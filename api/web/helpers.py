"""Small view helpers shared by the page routers (names for ids, dates, redirects)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse

from casework.reference import fiscal_year
from casework.services._common import today_in_japan
from resources_catalog import service as catalog
from resources_catalog.errors import ResourceNotFound
from resources_catalog.records import ResourceRecord


def see_other(url: str) -> RedirectResponse:
    """Post/redirect/get: 303 to the page that shows the result."""
    return RedirectResponse(url, status_code=303)


def today() -> date:
    """Today in Japan."""
    return today_in_japan()


def current_fiscal_year() -> int:
    """The fiscal year (年度) of today."""
    return fiscal_year(today())


def resources_by_id(session: Session, ids: Iterable[str]) -> dict[str, ResourceRecord]:
    """Catalog records for the ids that exist (one read per id; many ids read all once)."""
    wanted = sorted(set(ids))
    if len(wanted) > 25:
        return {r.resource_id: r for r in catalog.all_records(session) if r.resource_id in wanted}
    found: dict[str, ResourceRecord] = {}
    for rid in wanted:
        try:
            found[rid] = catalog.get_resource(session, rid).record
        except ResourceNotFound:
            continue
    return found


def receiver_choices(session: Session) -> list[tuple[str, str]]:
    """Active receivers as (resource_id, 「名前（団体・区）」), by name: a consent names the
    receiver the coordinator knows by name, never an id typed from memory."""
    rows = [
        (r.resource_id, f"{r.name}（{r.organization}{'・' + r.ward if r.ward else ''}）")
        for r in catalog.all_records(session, active_only=True)
    ]
    return sorted(rows, key=lambda row: (row[1], row[0]))


def parse_date(value: str | None) -> date | None:
    """An ISO date from a form, or None when empty or malformed (the schema reports it)."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None
