"""The ranker provider: refits only when the catalog changed or outcomes may be new."""

from __future__ import annotations

from sqlalchemy.orm import Session

from api.ranking import RankerProvider, to_matching_resource
from matching import HashingEncoder, Outcome
from resources_catalog import service
from tests.resources_catalog.factories import make_record


def _provider(**kwargs: object) -> RankerProvider:
    return RankerProvider(cache_dir=None, encoder_factory=HashingEncoder, **kwargs)  # type: ignore[arg-type]


def test_the_same_catalog_reuses_the_fitted_ranker(session: Session) -> None:
    service.create_resource(session, make_record("K1"), actor="t")
    provider = _provider()
    assert provider.get(session) is provider.get(session)


def test_a_capacity_change_refits(session: Session) -> None:
    stored = service.create_resource(session, make_record("K1"), actor="t")
    provider = _provider()
    first = provider.get(session)
    service.update_resource(
        session,
        "K1",
        make_record("K1", capacity_remaining=0),
        actor="t",
        expected_version=stored.version,
    )
    second = provider.get(session)
    assert second is not first
    assert second.resources_[0].capacity_remaining == 0


def test_outcomes_are_reread_once_their_time_to_live_passed(session: Session) -> None:
    service.create_resource(session, make_record("K1"), actor="t")
    calls: list[int] = []

    def loader(_: Session) -> list[Outcome]:
        calls.append(1)
        return []

    provider = _provider(outcomes_loader=loader, outcomes_ttl_s=0.0)
    provider.get(session)
    provider.get(session)
    assert len(calls) == 2
    cached = _provider(outcomes_loader=loader, outcomes_ttl_s=3600.0)
    cached.get(session)
    cached.get(session)
    assert len(calls) == 3


def test_catalog_records_map_onto_matching_resources() -> None:
    record = make_record("K9", ward="緑区", days=["sat"], requires_certificate=True)
    resource = to_matching_resource(record)
    assert (resource.resource_id, resource.ward, resource.days) == ("K9", "緑区", ["sat"])
    assert resource.requires_certificate and resource.cooperation_fee_yen == 1000
