"""Outcome rows for training the matching engine."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from sqlalchemy.orm import Session

from casework.errors import Forbidden
from casework.models import Person
from casework.permissions import Principal
from casework.ranker_provider import RankerProvider
from casework.schemas import (
    ConsentIn,
    NeedsProfileIn,
    PlacementIn,
    SuggestionIn,
    SuggestionRunIn,
    TransitionIn,
)
from casework.services import consent, outcomes, people, placements, suggestions
from matching import HashingEncoder
from resources_catalog import service as catalog
from tests.casework.conftest import share_consent
from tests.resources_catalog.factories import make_record


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


def test_training_runs_keep_each_shown_place_and_what_came_of_it(
    session: Session,
    coordinator: Principal,
    supervisor: Principal,
    started_person: Person,
    resource: Callable[..., str],
) -> None:
    pid = started_person.id
    consent.record_consent(
        session, coordinator, pid,
        ConsentIn(scope="matching", given_on=date(2026, 11, 1), method="written"),
    )  # fmt: skip
    people.put_profile(session, coordinator, pid, NeedsProfileIn(needs_text="畑で野菜を育てたい"))
    ids = [resource(slots=2) for _ in range(6)]

    def run(shown: list[str]) -> int:
        items = [SuggestionIn(resource_id=r, score=1.0 / n) for n, r in enumerate(shown, 1)]
        stored = suggestions.record_suggestion_run(
            session, coordinator, pid, SuggestionRunIn(ranker_version="t", items=items),
            on=date(2026, 12, 1),
        )  # fmt: skip
        return stored.id

    def propose(rid: str, run_id: int | None, to: list[tuple[str, str | None]]) -> None:
        p = placements.propose_placement(
            session, coordinator, pid, PlacementIn(resource_id=rid, suggestion_run_id=run_id)
        )
        if any(state == "placed" for state, _ in to):
            share_consent(session, coordinator, pid, rid)
        for state, reason in to:
            placements.transition_placement(
                session, coordinator, p.id, TransitionIn(to_state=state, reason_code=reason),
                at=datetime(2027, 1, 5, tzinfo=UTC),
            )  # fmt: skip

    undecided = run(ids[:3])
    decided = run(ids[:5])
    propose(ids[1], decided, [("placed", None)])  # shown at 2, placed 12+ weeks ago: stable
    propose(ids[3], decided, [("declined", "person_declined")])  # a reason about fit
    propose(ids[4], decided, [("no_capacity", "no_capacity")])  # says nothing against fit
    propose(ids[2], None, [])  # no run named: the latest run that showed it
    propose(ids[5], None, [])  # never shown in a stored list: no place to learn from

    logs = outcomes.training_runs(session, supervisor, stable_weeks=12, today=date(2027, 6, 1))

    assert [log.run_id for log in logs] == [str(decided)]
    [log] = logs
    assert [(i.resource_id, i.position, i.outcome, i.reason) for i in log.items] == [
        (ids[0], 1, "shown", ""),
        (ids[1], 2, "stable", ""),
        (ids[2], 3, "proposed", ""),
        (ids[3], 4, "declined", "person_declined"),
        (ids[4], 5, "proposed", "no_capacity"),
    ]
    assert log.profile.person_id == f"P{pid}"
    assert log.profile.needs_text == "畑で野菜を育てたい"
    assert undecided != decided


def test_too_few_decided_runs_keep_the_hand_weights(
    session: Session,
    coordinator: Principal,
    supervisor: Principal,
    started_person: Person,
) -> None:
    pid = started_person.id
    consent.record_consent(
        session, coordinator, pid,
        ConsentIn(scope="matching", given_on=date(2026, 11, 1), method="written"),
    )  # fmt: skip
    people.put_profile(session, coordinator, pid, NeedsProfileIn(needs_text="畑で野菜を育てたい"))
    for rid in ("L1", "L2", "L3"):
        catalog.create_resource(session, make_record(rid), actor="test")
    shown = suggestions.record_suggestion_run(
        session, coordinator, pid,
        SuggestionRunIn(
            ranker_version="t",
            items=[SuggestionIn(resource_id=r, score=1.0) for r in ("L1", "L2", "L3")],
        ),
        on=date(2026, 12, 1),
    )  # fmt: skip
    placements.propose_placement(
        session, coordinator, pid, PlacementIn(resource_id="L3", suggestion_run_id=shown.id)
    )
    provider = RankerProvider(
        encoder_factory=HashingEncoder,
        runs_loader=lambda s: outcomes.training_runs(s, supervisor),
    )

    ranker = provider.current(session)

    assert ranker.learning_report_["stage"] == "pairwise"
    assert ranker.learning_report_["n_runs_with_pairs"] == 1
    assert "too few runs" in ranker.learning_report_["reason"]
    assert not ranker.learned_ and "/hand-" in ranker.version
