"""Outcome records for the matching engine.

Two shapes: ``outcome_rows`` (each finished placement as one row, the pointwise stage and the
export) and ``training_runs`` (each stored suggestion list with the place every resource was
shown at and what came of it, the pairwise stage in ``matching.pairwise``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from casework import repository as repo
from casework.models import Placement, SuggestionRun
from casework.permissions import Principal, authorize
from casework.reference import PLACEMENT_REASONS
from casework.services import audit
from casework.services._common import today_in_japan
from casework.services.suggestions import to_person_profile
from matching import ShownItem, SuggestionLog

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


# Reasons that say the resource did not fit this person. Any other end before placement (no
# place left, moved, health, lost contact…) says nothing against the fit: the coordinator's
# proposal stands as a "proposed" outcome.
FIT_REASONS: frozenset[str] = frozenset(
    ("person_declined", "receiver_declined", "conditions_mismatch")
)
OPEN_STATES: frozenset[str] = frozenset(("proposed", "contacted", "visit", "trial"))


def shown_outcome(placement: Placement, *, today: date, stable_weeks: int) -> str:
    """What became of a proposed resource, as one of ``matching.types.SHOWN_OUTCOMES``."""
    if placement.state in OPEN_STATES:
        return "proposed"
    if placement.state in ("declined", "no_capacity", "withdrawn"):
        return "declined" if placement.reason_code in FIT_REASONS else "proposed"
    label = outcome_of(placement, today=today, stable_weeks=stable_weeks)
    if label == "placed_stable":
        return "stable"
    if label == "ended_early":
        return "ended_early"
    return "placed"


def _shown_run(placement: Placement, runs: list[SuggestionRun]) -> tuple[SuggestionRun, int] | None:
    """The run whose list the placement was chosen from, and the place it was shown at.

    The run the placement names, when it showed the resource; otherwise (a proposal made
    through the API without a run id) the person's latest run before the proposal that
    showed it. None when no stored list showed it (found by search: no position to learn
    from).
    """
    proposed_at = _aware(placement.proposed_at)
    named = None
    latest = None
    for run in runs:
        rank = next((i.rank for i in run.items if i.resource_id == placement.resource_id), None)
        if rank is None:
            continue
        if run.id == placement.suggestion_run_id:
            named = (run, rank)
        if _aware(run.created_at) <= proposed_at:
            latest = (run, rank)
    return named or latest


def training_runs(
    session: Session,
    principal: Principal,
    *,
    stable_weeks: int = 12,
    today: date | None = None,
) -> list[SuggestionLog]:
    """Stored suggestion lists on which a coordinator decided something, as matching logs.

    Each run keeps every resource it showed with its place (``SuggestionItem.rank``); each
    resource proposed from it carries its outcome (proposed, declined for a reason about fit,
    placed, ended early, stable), the rest ``shown``. Runs with no decision are left out:
    they make no pair. People erased on request are skipped, as in ``outcome_rows``.
    """
    authorize(principal, "outcome:export")
    day = today or today_in_japan()
    placements = repo.learning_placements(session)
    runs_by_person: dict[int, list[SuggestionRun]] = {}
    for run in repo.suggestion_runs_of(session, sorted({p.person_id for p in placements})):
        runs_by_person.setdefault(run.person_id, []).append(run)
    decided: dict[int, dict[str, tuple[str, str]]] = {}
    chosen: dict[int, SuggestionRun] = {}
    for placement in placements:  # by id: a later placement of the same resource wins
        found = _shown_run(placement, runs_by_person.get(placement.person_id, []))
        if found is None:
            continue
        run, _ = found
        chosen[run.id] = run
        decided.setdefault(run.id, {})[placement.resource_id] = (
            shown_outcome(placement, today=day, stable_weeks=stable_weeks),
            placement.reason_code or "",
        )
    profiles = repo.get_profiles(session, [r.profile_id for r in chosen.values() if r.profile_id])
    logs: list[SuggestionLog] = []
    for run_id in sorted(chosen):
        run = chosen[run_id]
        profile = profiles.get(run.profile_id) if run.profile_id else None
        if profile is None:
            continue
        outcomes = decided[run_id]
        items = tuple(
            ShownItem(
                item.resource_id,
                item.rank,
                *outcomes.get(item.resource_id, ("shown", "")),
            )
            for item in run.items
        )
        logs.append(SuggestionLog(str(run.id), to_person_profile(profile), items))
    audit.record(
        session, principal, "outcome.training_runs", "suggestion_run", None,
        {"runs": len(logs), "stable_weeks": stable_weeks},
    )  # fmt: skip
    return logs
