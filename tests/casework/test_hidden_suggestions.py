"""Hiding a suggestion: allowed at any stage, keeps the note, leaves later runs, reversible."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.errors import NotFound
from casework.models import AuditLog, Person, Placement
from casework.permissions import Principal
from casework.ranker_provider import RankerProvider
from casework.schemas import HideSuggestionIn
from casework.services import suggestions
from matching import HashingEncoder
from tests.casework.test_suggestions import DAY, NEEDS, _consent, catalog_of_three  # noqa: F401


@pytest.fixture
def provider() -> RankerProvider:
    return RankerProvider(encoder_factory=HashingEncoder)


@pytest.fixture
def person_with_run(
    session: Session,
    coordinator: Principal,
    make_person: Callable[..., Person],
    provider: RankerProvider,
    catalog_of_three: list[str],  # noqa: F811
) -> Person:
    """A person with consent and a profile but no plan: support has not started."""
    person = make_person()
    _consent(session, coordinator, person)
    suggestions.save_profile(session, coordinator, person.id, NEEDS, provider)
    return person


def _ids(session: Session, who: Principal, person: Person, provider: RankerProvider) -> list[str]:
    result = suggestions.suggest_for_person(session, who, person.id, provider, on=DAY)
    return [i.resource_id for i in result.items]


def test_hiding_before_any_plan_keeps_the_note_and_leaves_later_runs(
    session: Session, coordinator: Principal, person_with_run: Person, provider: RankerProvider
) -> None:
    assert _ids(session, coordinator, person_with_run, provider)[0] == "F1"
    row = suggestions.hide_suggestion(
        session,
        coordinator,
        person_with_run.id,
        HideSuggestionIn(resource_id="F1", reason_code="conditions_mismatch", note="朝が早すぎる"),
    )
    assert row.note == "朝が早すぎる" and row.hidden_by == coordinator.ref
    assert "F1" not in _ids(session, coordinator, person_with_run, provider)
    # Hiding is not a 辞退: no placement row appears on the case.
    assert (
        session.scalars(select(Placement).where(Placement.person_id == person_with_run.id)).all()
        == []
    )
    listed = suggestions.list_hidden_suggestions(session, coordinator, person_with_run.id)
    assert [(h.resource_id, h.reason_code, h.note) for h in listed] == [
        ("F1", "conditions_mismatch", "朝が早すぎる")
    ]


def test_hiding_again_replaces_the_reason_and_unhiding_brings_it_back(
    session: Session, coordinator: Principal, person_with_run: Person, provider: RankerProvider
) -> None:
    for reason, note in (("other", "一度目"), ("health", "二度目")):
        suggestions.hide_suggestion(
            session,
            coordinator,
            person_with_run.id,
            HideSuggestionIn(resource_id="F2", reason_code=reason, note=note),
        )
    (only,) = suggestions.list_hidden_suggestions(session, coordinator, person_with_run.id)
    assert (only.reason_code, only.note) == ("health", "二度目")
    suggestions.unhide_suggestion(session, coordinator, person_with_run.id, "F2")
    assert "F2" in _ids(session, coordinator, person_with_run, provider)
    with pytest.raises(NotFound):
        suggestions.unhide_suggestion(session, coordinator, person_with_run.id, "F2")


def test_hiding_an_unknown_resource_is_not_found(
    session: Session, coordinator: Principal, person_with_run: Person
) -> None:
    with pytest.raises(NotFound):
        suggestions.hide_suggestion(
            session,
            coordinator,
            person_with_run.id,
            HideSuggestionIn(resource_id="NOPE", reason_code="other"),
        )


def test_an_unknown_reason_is_refused_by_the_schema() -> None:
    with pytest.raises(ValueError, match="reason_code"):
        HideSuggestionIn(resource_id="F1", reason_code="because")


def test_the_audit_row_names_the_resource_but_never_the_note(
    session: Session, coordinator: Principal, person_with_run: Person
) -> None:
    suggestions.hide_suggestion(
        session,
        coordinator,
        person_with_run.id,
        HideSuggestionIn(resource_id="F3", reason_code="other", note="秘密のメモ"),
    )
    row = session.scalars(
        select(AuditLog).where(AuditLog.action == "suggestion.hide").order_by(AuditLog.id.desc())
    ).first()
    assert row is not None and "F3" in str(row.detail) and "秘密" not in str(row.detail)


def test_another_team_cannot_hide(
    session: Session,
    make_principal: Callable[..., Principal],
    person_with_run: Person,
) -> None:
    from casework.errors import Forbidden

    outsider = make_principal("coordinator", team="team-z")
    with pytest.raises((Forbidden, NotFound)):
        suggestions.hide_suggestion(
            session,
            outsider,
            person_with_run.id,
            HideSuggestionIn(resource_id="F1", reason_code="other"),
        )
