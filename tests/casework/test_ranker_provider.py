"""The ranker provider: fits once per catalog content, applies free places live, rebuilds
content changes in the background without blocking requests."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from casework.ranker_provider import RankerProvider, to_matching_resource
from matching import HashingEncoder, Outcome, PersonProfile
from resources_catalog import service
from storage.engine import make_session_factory, unit_of_work
from tests.resources_catalog.factories import make_record


def _provider(**kwargs: Any) -> RankerProvider:
    return RankerProvider(encoder_factory=HashingEncoder, **kwargs)


def test_the_same_catalog_reuses_the_fitted_ranker(session: Session) -> None:
    service.create_resource(session, make_record("K1"), actor="t")
    provider = _provider()
    assert provider.current(session) is provider.current(session)
    assert provider.fits == 1


def test_a_capacity_change_is_applied_without_refitting(session: Session) -> None:
    stored = service.create_resource(session, make_record("K1"), actor="t")
    provider = _provider()
    provider.current(session)
    service.update_resource(
        session,
        "K1",
        make_record("K1", capacity_remaining=0),
        actor="t",
        expected_version=stored.version,
    )
    ranker = provider.current(session)
    assert provider.fits == 1
    assert ranker.resources_[0].capacity_remaining == 0
    assert ranker.suggest(PersonProfile(person_id="p", needs_text="農作業")) == []
    assert [b.rule for b in ranker.explain_exclusion(PersonProfile(person_id="p"), "K1")] == [
        "available"
    ]


def test_a_content_change_refits_inline(session: Session) -> None:
    service.create_resource(session, make_record("K1"), actor="t")
    provider = _provider()
    first = provider.current(session)
    service.create_resource(session, make_record("K2"), actor="t")
    second = provider.current(session)
    assert provider.fits == 2
    assert second is not first
    assert {r.resource_id for r in second.resources_} == {"K1", "K2"}


def test_outcomes_are_reread_once_their_time_to_live_passed(session: Session) -> None:
    service.create_resource(session, make_record("K1"), actor="t")
    calls: list[int] = []

    def loader(_: Session) -> list[Outcome]:
        calls.append(1)
        return []

    provider = _provider(outcomes_loader=loader, outcomes_ttl_s=0.0)
    provider.current(session)
    provider.current(session)
    assert len(calls) == 2
    cached = _provider(outcomes_loader=loader, outcomes_ttl_s=3600.0)
    cached.current(session)
    cached.current(session)
    assert len(calls) == 3


def test_background_rebuild_serves_the_old_ranker_then_swaps(isolated_engine: Engine) -> None:
    factory: sessionmaker[Session] = make_session_factory(isolated_engine)
    with unit_of_work(factory) as s:
        service.create_resource(s, make_record("B1"), actor="t")
    provider = _provider(session_scope=lambda: unit_of_work(factory), refit="background")
    with unit_of_work(factory) as s:
        first = provider.current(s)
    with unit_of_work(factory) as s:
        service.create_resource(s, make_record("B2"), actor="t")
    with unit_of_work(factory) as s:
        # The request does not wait for the refit: it ranks with the catalog it had.
        served = provider.current(s)
        assert {r.resource_id for r in served.resources_} == {"B1"}
        assert served.version == first.version
    deadline = time.monotonic() + 30
    while provider.fits < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    with unit_of_work(factory) as s:
        fresh = provider.current(s)
    assert provider.fits == 2
    assert {r.resource_id for r in fresh.resources_} == {"B1", "B2"}


def test_catalog_records_map_onto_matching_resources() -> None:
    record = make_record("K9", ward="緑区", days=["sat"], requires_certificate=True)
    resource = to_matching_resource(record)
    assert (resource.resource_id, resource.ward, resource.days) == ("K9", "緑区", ["sat"])
    assert resource.requires_certificate is True
