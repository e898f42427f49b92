"""Needs profiles (versioned) and stored suggestion runs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy.orm import Session

from casework.errors import ConsentRequired
from casework.models import Person
from casework.permissions import Principal
from casework.schemas import ConsentIn, NeedsProfileIn, SuggestionIn, SuggestionRunIn
from casework.services import consent, people, suggestions

PROFILE = NeedsProfileIn(
    needs_text="静かな場所で農作業をしたい",
    avoid_text="大人数",
    has_certificate=True,
    days=["tue", "thu"],
    max_travel_km=5,
    prefers_quiet=True,
    preferred_categories=["farm"],
    excluded_resource_ids=["R9"],
)


def test_each_put_creates_a_new_version(
    session: Session, coordinator: Principal, make_person: Callable[..., Person]
) -> None:
    person = make_person()
    v1 = people.put_profile(session, coordinator, person.id, PROFILE, today=date(2026, 11, 22))
    v2 = people.put_profile(
        session, coordinator, person.id, PROFILE.model_copy(update={"max_travel_km": 8})
    )
    assert (v1.version, v2.version) == (1, 2)
    assert people.get_profile(session, coordinator, person.id).max_travel_km == 8
    assert people.get_profile(session, coordinator, person.id, 1).max_travel_km == 5
    assert [p.version for p in people.list_profile_versions(session, coordinator, person.id)] == [
        1,
        2,
    ]


def test_profile_defaults_age_and_home_from_intake(
    session: Session, coordinator: Principal, make_person: Callable[..., Person]
) -> None:
    person = make_person(born_on=date(1990, 5, 1), ward="美浜区")
    profile = people.put_profile(session, coordinator, person.id, PROFILE, today=date(2026, 6, 1))
    assert profile.age == 36
    assert (profile.home_ward, profile.home_lat) == ("美浜区", person.home_lat)


def test_profile_matches_the_matching_contract(
    session: Session, coordinator: Principal, make_person: Callable[..., Person]
) -> None:
    person = make_person()
    profile = people.put_profile(session, coordinator, person.id, PROFILE)
    row = suggestions.to_person_profile(profile).to_contract()
    assert set(row) == {
        "person_id", "needs_text", "avoid_text", "age", "has_certificate", "days", "home",
        "max_travel_km", "needs_wheelchair_access", "prefers_quiet", "prefers_small_group",
        "wants_paid", "preferred_categories", "excluded_resource_ids",
    }  # fmt: skip
    assert set(row["home"]) == {"ward", "lat", "lon"}


def test_suggestion_run_needs_matching_consent(
    session: Session, coordinator: Principal, make_person: Callable[..., Person]
) -> None:
    person = make_person()
    people.put_profile(session, coordinator, person.id, PROFILE)
    run_in = SuggestionRunIn(
        ranker_version="bm25-1", items=[SuggestionIn(resource_id="R1", score=1)]
    )
    with pytest.raises(ConsentRequired):
        suggestions.record_suggestion_run(session, coordinator, person.id, run_in)


def test_suggestion_run_stores_versions_scores_and_reasons(
    session: Session, coordinator: Principal, make_person: Callable[..., Person]
) -> None:
    person = make_person()
    consent.record_consent(
        session, coordinator, person.id,
        ConsentIn(scope="matching", given_on=date(2026, 11, 1), method="written"),
    )  # fmt: skip
    people.put_profile(session, coordinator, person.id, PROFILE)
    people.put_profile(session, coordinator, person.id, PROFILE)
    run = suggestions.record_suggestion_run(
        session, coordinator, person.id,
        SuggestionRunIn(
            profile_version=1, ranker_version="hybrid-0.3",
            items=[
                SuggestionIn(resource_id="R1", score=0.9, reasons=["農作業", "近い"]),
                SuggestionIn(resource_id="R2", score=0.5),
            ],
        ),
        on=date(2026, 11, 22),
    )  # fmt: skip
    [stored] = suggestions.list_suggestion_runs(session, coordinator, person.id)
    assert (stored.id, stored.profile_version, stored.ranker_version) == (run.id, 1, "hybrid-0.3")
    assert [(i.rank, i.resource_id, i.score, i.reasons) for i in stored.items] == [
        (1, "R1", 0.9, ["農作業", "近い"]),
        (2, "R2", 0.5, []),
    ]
