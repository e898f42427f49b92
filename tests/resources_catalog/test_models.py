"""The ORM tables: relationships load only when asked, categories are seeded."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.exc import InvalidRequestError
from sqlalchemy.orm import Session, selectinload

from resources_catalog.models import (
    CatalogRevisionCounter,
    Location,
    Organization,
    Schedule,
    Service,
    ServiceCapacity,
    ServiceTaxonomy,
    TaxonomyTerm,
)
from resources_catalog.records import CATEGORY_CODES


def _service(now: datetime) -> Service:
    organization = Organization(id="o-1", name="受入先A", description="", created_at=now)
    term_id = "895f74e2-4910-5c5c-95d4-284fde350afe"  # farm, seeded by the migration
    return Service(
        id="s-1",
        resource_id="M001",
        organization=organization,
        name="農園ボランティア",
        description="",
        status="active",
        cooperation_fee_yen=500,
        cooperation_fee_unit="per_session",
        version=1,
        extra={"service": {"url": "http://example.jp"}},
        created_at=now,
        updated_at=now,
        location=Location(ward="若葉区", latitude=35.6, longitude=140.1),
        schedule=Schedule(freq="WEEKLY", byday="TU,TH", opens_at="09:30", closes_at="12:00"),
        capacity=ServiceCapacity(unit="人", maximum=6, available=2, updated_at=now),
        taxonomy_links=[ServiceTaxonomy(taxonomy_term_id=term_id, position=0)],
    )


def test_service_graph_round_trips_with_explicit_loading(session: Session) -> None:
    session.add(_service(datetime.now(UTC)))
    session.flush()
    session.expunge_all()
    loaded = session.scalars(
        select(Service)
        .where(Service.resource_id == "M001")
        .options(
            selectinload(Service.organization),
            selectinload(Service.location),
            selectinload(Service.schedule),
            selectinload(Service.capacity),
            selectinload(Service.taxonomy_links).selectinload(ServiceTaxonomy.taxonomy_term),
        )
    ).one()
    assert loaded.organization.name == "受入先A"
    assert loaded.location is not None and loaded.location.ward == "若葉区"
    assert loaded.schedule is not None and loaded.schedule.byday == "TU,TH"
    assert loaded.capacity is not None and loaded.capacity.available == 2
    assert [link.taxonomy_term.code for link in loaded.taxonomy_links] == ["farm"]
    assert loaded.extra == {"service": {"url": "http://example.jp"}}


def test_relationships_refuse_lazy_loading(session: Session) -> None:
    session.add(_service(datetime.now(UTC)))
    session.flush()
    session.expunge_all()
    loaded = session.scalars(select(Service).where(Service.resource_id == "M001")).one()
    with pytest.raises(InvalidRequestError):
        _ = loaded.location


def test_migration_seeds_the_eighteen_categories_with_japanese_names(session: Session) -> None:
    terms = {t.code: t.name for t in session.scalars(select(TaxonomyTerm))}
    assert set(terms) == set(CATEGORY_CODES)
    assert terms["place_to_be"] == "居場所"


def test_the_revision_row_is_seeded_by_the_migration(session: Session) -> None:
    row = session.get(CatalogRevisionCounter, 1)
    assert row is not None and row.content >= 0 and row.availability >= 0
