"""Outcome records: each finished placement as a training row for the matching engine."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from casework import repository as repo
from casework.models import Placement
from casework.permissions import Principal, authorize
from casework.reference import PLACEMENT_REASONS
from casework.services import audit
from casework.services._common import today_in_japan
from casework.services.suggestions import to_person_profile

OUTCOME_LABELS: dict[str, str] = {
    "placed_stable": "定着(N週以上)",
    "ended_early": "早期終了",
    "declined": "辞退・不成立",
    "no_capacity": "受入枠なし",
    "withdrawn": "取りやめ",
}


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def outcome_of(placement: Placement, *, today: date, stable_weeks: int) -> str | None:
    """The outcome label of a placement, or None while it is still open or too recent."""
    stable = timedelta(weeks=stable_weeks)
    if placement.state in ("declined", "no_capacity", "withdrawn"):
        return placement.state
    if placement.placed_at is None:
        return None
    placed_at = _aware(placement.placed_at)
    if placement.state == "placed":
        end = datetime(today.year, today.month, today.day, tzinfo=UTC)
        return "placed_stable" if end - placed_at >= stable else None
    if placement.state == "ended":
        ended_at = _aware(placement.ended_at) if placement.ended_at else placed_at
        if placement.reason_code == "stable" or ended_at - placed_at >= stable:
            return "placed_stable"
        return "ended_early"
    return None


def outcome_rows(
    session: Session,
    principal: Principal,
    *,
    stable_weeks: int = 12,
    today: date | None = None,
) -> list[dict[str, Any]]:
    """Plain dicts: profile snapshot (as proposed), resource_id, outcome label, reason code.

    Free-text reasons stay out; people erased on request have no snapshot and are skipped.
    """
    authorize(principal, "outcome:export")
    day = today or today_in_japan()
    placements = repo.outcome_placements(session)
    profiles = repo.get_profiles(session, [p.profile_id for p in placements if p.profile_id])
    rows: list[dict[str, Any]] = []
    for placement in placements:
        label = outcome_of(placement, today=day, stable_weeks=stable_weeks)
        profile = profiles.get(placement.profile_id) if placement.profile_id else None
        if label is None or profile is None:
            continue
        rows.append(
            {
                "placement_id": placement.id,
                "person": to_person_profile(profile).to_contract(),
                "profile_version": profile.version,
                "resource_id": placement.resource_id,
                "outcome": label,
                "reason_code": placement.reason_code,
                "reason": PLACEMENT_REASONS.get(placement.reason_code or "", None),
            }
        )
    audit.record(
        session, principal, "outcome.export", "placement", None,
        {"rows": len(rows), "stable_weeks": stable_weeks},
    )  # fmt: skip
    return rows
