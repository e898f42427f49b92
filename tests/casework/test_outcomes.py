"""Outcome rows for training the matching engine."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from sqlalchemy.orm import Session

from casework.errors import Forbidden
from casework.models import Person
from casework.permissions import Principal
from casework.schemas import NeedsProfileIn, PlacementIn, TransitionIn
from casework.services import outcomes, people, placements
from tests.casework.conftest import share_consent


def test_outcome_rows_label_each_finished_placement(
    session: Session,
    coordinator: Principal,
    supervisor: Principal,
    started_person: Person,
    resource: Callable[..., str],
) -> None:
    pid = started_person.id
    people.put_profile(session, coordinator, pid, NeedsProfileIn(needs_text="農作業", days=["tue"]))

    def placement(to: list[tuple[str, datetime | None, str | None]]) -> int:
        rid = resource(slots=1)
        share_consent(session, coordinator, pid, rid)
        p = placements.propose_placement(session, coordinator, pid, PlacementIn(resource_id=rid))
        for state, at, reason in to:
            placements.transition_placement(
                session, coordinator, p.id, TransitionIn(to_state=state, reason_code=reason), at=at
            )
        return p.id

    jan = datetime(2027, 1, 1, tzinfo=UTC)
    stable = placement([("placed", jan, None)])
    early = placement(
        [("placed", jan, None), ("ended", datetime(2027, 1, 20, tzinfo=UTC), "health")]
    )
    declined = placement([("declined", None, "person_declined")])
    recent = placement([("placed", datetime(2027, 4, 1, tzinfo=UTC), None)])
    placement([])  # still proposed: no outcome yet

    rows = outcomes.outcome_rows(session, supervisor, stable_weeks=12, today=date(2027, 4, 10))
    by_id = {r["placement_id"]: r for r in rows}
    assert {k: v["outcome"] for k, v in by_id.items()} == {
        stable: "placed_stable", early: "ended_early", declined: "declined",
    }  # fmt: skip
    assert recent not in by_id
    row = by_id[declined]
    assert (row["reason_code"], row["reason"]) == ("person_declined", "本人が辞退")
    assert row["person"]["needs_text"] == "農作業" and row["person"]["days"] == ["tue"]
    assert isinstance(row["resource_id"], str)


def test_coordinator_cannot_export_outcomes(session: Session, coordinator: Principal) -> None:
    with pytest.raises(Forbidden):
        outcomes.outcome_rows(session, coordinator)
