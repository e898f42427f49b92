"""The suggestion use case: consent first, stored query vectors, runs, exclusions, no refit
after a placement."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any
from unittest import mock

import numpy as np
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from casework import repository
from casework.errors import ConsentRequired
from casework.models import AuditLog, Person
from casework.permissions import Principal
from casework.ranker_provider import RankerProvider
from casework.schemas import ConsentIn, NeedsProfileIn, PlacementIn, TransitionIn
from casework.services import consent, placements, suggestions
from matching import HashingEncoder
from resources_catalog import service as catalog
from tests.casework.conftest import share_consent
from tests.resources_catalog.factories import make_record

DAY = date(2026, 11, 22)
NEEDS = NeedsProfileIn(needs_text="畑で野菜を育てたい", days=["tue", "thu"])


class CountingEncoder(HashingEncoder):
    """The hashing encoder, counting query encodings (the cost a stored vector saves)."""

    def __init__(self) -> None:
        super().__init__()
        self.queries = 0

    def encode(self, texts: Sequence[str], kind: Any = "passage") -> np.ndarray:
        if kind == "query":
            self.queries += len(texts)
        return super().encode(texts, kind=kind)


@pytest.fixture
def encoder() -> CountingEncoder:
    return CountingEncoder()


@pytest.fixture
def provider(encoder: CountingEncoder) -> RankerProvider:
    return RankerProvider(encoder_factory=lambda: encoder)


@pytest.fixture
def catalog_of_three(session: Session) -> list[str]:
    ids = []
    for rid, name, desc in (
        ("F1", "みどり農園 収穫体験", "畑で野菜の収穫と草取り"),
        ("F2", "こども食堂 ひまわり", "子どもたちと一緒に料理と配膳"),
        ("F3", "図書館 本の整理", "静かな図書館で本の修理と整理"),
    ):
        catalog.create_resource(
            session, make_record(rid, name=name, description=desc), actor="test"
        )
        ids.append(rid)
    return ids


def _consent(session: Session, who: Principal, person: Person) -> None:
    consent.record_consent(
        session,
        who,
        person.id,
        ConsentIn(scope="matching", given_on=date(2026, 11, 1), method="written"),
    )


def test_without_consent_nothing_is_ranked(
    session: Session,
    coordinator: Principal,
    make_person: Callable[..., Person],
    provider: RankerProvider,
    catalog_of_three: list[str],
) -> None:
    person = make_person()
    suggestions.save_profile(session, coordinator, person.id, NEEDS, provider)
    fits = provider.fits
    with pytest.raises(ConsentRequired):
        suggestions.suggest_for_person(session, coordinator, person.id, provider, on=DAY)
    assert provider.fits == fits


def test_a_consent_of_another_scope_is_no_consent_to_matching(
    session: Session,
    coordinator: Principal,
    make_person: Callable[..., Person],
    provider: RankerProvider,
    catalog_of_three: list[str],
) -> None:
    person = make_person()
    suggestions.save_profile(session, coordinator, person.id, NEEDS, provider)
    consent.record_consent(
        session,
        coordinator,
        person.id,
        ConsentIn(scope="multi_agency", given_on=date(2026, 11, 1), method="written"),
    )
    with pytest.raises(ConsentRequired):
        suggestions.suggest_for_person(session, coordinator, person.id, provider, on=DAY)


def test_consents_in_force_holds_only_the_scopes_asked_for(
    session: Session, coordinator: Principal, make_person: Callable[..., Person]
) -> None:
    person = make_person()
    for scope in ("multi_agency", "matching"):
        consent.record_consent(
            session,
            coordinator,
            person.id,
            ConsentIn(scope=scope, given_on=date(2026, 11, 1), method="written"),
        )
    found = repository.consents_in_force(session, person.id, ["matching", "other"], DAY)
    assert [c.scope for c in found] == ["matching"]


def test_saving_a_profile_stores_its_query_vector_so_suggesting_never_encodes(
    session: Session,
    coordinator: Principal,
    make_person: Callable[..., Person],
    provider: RankerProvider,
    encoder: CountingEncoder,
    catalog_of_three: list[str],
) -> None:
    person = make_person()
    _consent(session, coordinator, person)
    profile = suggestions.save_profile(session, coordinator, person.id, NEEDS, provider)
    assert encoder.queries == 1
    assert profile.query_encoder == encoder.name and profile.query_vector
    for _ in range(3):
        result = suggestions.suggest_for_person(session, coordinator, person.id, provider, on=DAY)
    assert encoder.queries == 1
    assert result.items[0].resource_id == "F1"
    assert result.run.profile_version == profile.version


def test_saving_a_profile_stores_its_reading_so_suggesting_never_reads_the_note(
    session: Session,
    coordinator: Principal,
    make_person: Callable[..., Person],
    provider: RankerProvider,
    catalog_of_three: list[str],
) -> None:
    from matching.ranker import core

    person = make_person()
    _consent(session, coordinator, person)
    profile = suggestions.save_profile(session, coordinator, person.id, NEEDS, provider)
    ranker = provider.current(session)
    assert ranker.reading_fits(suggestions.to_person_profile(profile), profile.query_reading)
    session.commit()
    for _ in range(2):
        ranker.clear_memos()  # as in another worker: nothing of this profile in memory
        with mock.patch.object(core, "build_query", side_effect=AssertionError("read again")):
            result = suggestions.suggest_for_person(
                session, coordinator, person.id, provider, on=DAY
            )
            why = suggestions.why_not(session, coordinator, person.id, provider, ask="図書館")
        assert result.items[0].resource_id == "F1"
        assert [a.resource_id for a in why.asked] == ["F3"]


def test_a_stale_stored_reading_is_read_again_and_replaced(
    session: Session,
    coordinator: Principal,
    make_person: Callable[..., Person],
    provider: RankerProvider,
    catalog_of_three: list[str],
) -> None:
    person = make_person()
    _consent(session, coordinator, person)
    profile = suggestions.save_profile(session, coordinator, person.id, NEEDS, provider)
    good = profile.query_reading
    profile.query_reading = "0" * 64 + ':{"tokens": []}'  # another code's or text's reading
    session.commit()
    result = suggestions.suggest_for_person(session, coordinator, person.id, provider, on=DAY)
    assert result.items[0].resource_id == "F1"
    session.refresh(profile)
    assert profile.query_reading == good


def test_a_profile_without_a_stored_vector_is_encoded_once_then_kept(
    session: Session,
    coordinator: Principal,
    make_person: Callable[..., Person],
    provider: RankerProvider,
    encoder: CountingEncoder,
    catalog_of_three: list[str],
) -> None:
    from casework.services import people

    person = make_person()
    _consent(session, coordinator, person)
    people.put_profile(session, coordinator, person.id, NEEDS)
    suggestions.suggest_for_person(session, coordinator, person.id, provider, on=DAY)
    suggestions.suggest_for_person(session, coordinator, person.id, provider, on=DAY)
    assert encoder.queries == 1


def test_the_stored_vector_equals_a_fresh_encoding(
    session: Session,
    coordinator: Principal,
    make_person: Callable[..., Person],
    provider: RankerProvider,
    catalog_of_three: list[str],
) -> None:
    person = make_person()
    profile = suggestions.save_profile(session, coordinator, person.id, NEEDS, provider)
    ranker = provider.current(session)
    query = suggestions.to_person_profile(profile)
    fresh = ranker.encode_query(query)
    stored_hash, _, _ = (profile.query_vector or "").partition(":")
    assert len(stored_hash) == 64
    stored = suggestions._stored_vector(profile, ranker.encoder_.name, stored_hash)
    assert stored is not None and np.allclose(stored, fresh)


def test_a_run_writes_one_audit_row_and_leaves_out_proposed_resources(
    session: Session,
    coordinator: Principal,
    started_person: Person,
    provider: RankerProvider,
    catalog_of_three: list[str],
) -> None:
    _consent(session, coordinator, started_person)
    suggestions.save_profile(session, coordinator, started_person.id, NEEDS, provider)
    first = suggestions.suggest_for_person(
        session, coordinator, started_person.id, provider, on=DAY
    )
    top = first.items[0].resource_id
    placements.propose_placement(
        session, coordinator, started_person.id, PlacementIn(resource_id=top)
    )
    before = session.scalar(select(AuditLog.id).order_by(AuditLog.id.desc()).limit(1))
    second = suggestions.suggest_for_person(
        session, coordinator, started_person.id, provider, on=DAY
    )
    rows = session.scalars(select(AuditLog).where(AuditLog.id > before)).all()
    assert [r.action for r in rows] == ["suggestion.run"]
    assert top not in [i.resource_id for i in second.items]
    assert second.already_proposed == [top]


def test_confirming_a_placement_then_suggesting_does_not_refit(
    session: Session,
    coordinator: Principal,
    started_person: Person,
    make_person: Callable[..., Person],
    provider: RankerProvider,
    catalog_of_three: list[str],
) -> None:
    _consent(session, coordinator, started_person)
    suggestions.save_profile(session, coordinator, started_person.id, NEEDS, provider)
    suggestions.suggest_for_person(session, coordinator, started_person.id, provider, on=DAY)
    fits = provider.fits
    share_consent(session, coordinator, started_person.id, "F1")
    p = placements.propose_placement(
        session, coordinator, started_person.id, PlacementIn(resource_id="F1")
    )
    for state in ("contacted", "visit", "trial", "placed"):
        placements.transition_placement(session, coordinator, p.id, TransitionIn(to_state=state))
    other = make_person()
    _consent(session, coordinator, other)
    suggestions.save_profile(session, coordinator, other.id, NEEDS, provider)
    suggestions.suggest_for_person(session, coordinator, other.id, provider, on=DAY)
    assert provider.fits == fits
    live = provider.current(session).resources_
    assert next(r for r in live if r.resource_id == "F1").capacity_remaining == 2


def test_explain_names_every_broken_rule(
    session: Session,
    coordinator: Principal,
    make_person: Callable[..., Person],
    provider: RankerProvider,
) -> None:
    catalog.create_resource(
        session, make_record("Y1", min_age=15, max_age=39, requires_certificate=True), actor="t"
    )
    person = make_person(born_on=date(1960, 1, 1))
    suggestions.save_profile(session, coordinator, person.id, NEEDS, provider)
    found = suggestions.explain_exclusion(session, coordinator, person.id, "Y1", provider)
    assert found.excluded
    assert {b.rule for b in found.rules} == {"age", "certificate"}
