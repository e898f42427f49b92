"""The catalog revision counters: each kind of write bumps the right one, in one transaction."""

from __future__ import annotations

import pytest
from sqlalchemy import delete
from sqlalchemy.orm import Session

from resources_catalog import service
from resources_catalog.errors import ImportRejected
from resources_catalog.models import CatalogRevisionCounter
from resources_catalog.service import CatalogRevision
from tests.resources_catalog.factories import csv_of, import_csv, make_record


def _moved(session: Session, before: CatalogRevision) -> tuple[int, int]:
    after = service.catalog_revision(session)
    return after.content - before.content, after.availability - before.availability


def test_create_bumps_content_and_availability(session: Session) -> None:
    before = service.catalog_revision(session)
    service.create_resource(session, make_record("R1"), actor="a")
    assert _moved(session, before) == (1, 1)


def test_editing_a_description_bumps_content_only(session: Session) -> None:
    service.create_resource(session, make_record("R1"), actor="a")
    before = service.catalog_revision(session)
    service.update_resource(
        session, "R1", make_record("R1", description="新しい説明"), actor="a", expected_version=1
    )
    assert _moved(session, before) == (1, 0)


def test_editing_free_places_bumps_availability_only(session: Session) -> None:
    service.create_resource(session, make_record("R1", capacity_remaining=3), actor="a")
    before = service.catalog_revision(session)
    service.update_resource(
        session, "R1", make_record("R1", capacity_remaining=1), actor="a", expected_version=1
    )
    assert _moved(session, before) == (0, 1)


def test_an_edit_that_changes_nothing_bumps_nothing(session: Session) -> None:
    service.create_resource(session, make_record("R1"), actor="a")
    before = service.catalog_revision(session)
    service.update_resource(session, "R1", make_record("R1"), actor="a", expected_version=1)
    assert _moved(session, before) == (0, 0)


def test_deactivate_bumps_both_counters(session: Session) -> None:
    service.create_resource(session, make_record("R1"), actor="a")
    before = service.catalog_revision(session)
    service.deactivate_resource(session, "R1", actor="a", expected_version=None)
    assert _moved(session, before) == (1, 1)


def test_an_import_bumps_once_per_kind_of_change(session: Session) -> None:
    before = service.catalog_revision(session)
    import_csv(session, csv_of(make_record("R1"), make_record("R2")))
    assert _moved(session, before) == (1, 1)
    before = service.catalog_revision(session)
    import_csv(session, csv_of(make_record("R1", capacity_remaining=0), make_record("R2")))
    assert _moved(session, before) == (0, 1)


def test_an_unchanged_reimport_bumps_nothing(session: Session) -> None:
    data = csv_of(make_record("R1"), make_record("R2"))
    import_csv(session, data)
    before = service.catalog_revision(session)
    import_csv(session, data)
    assert _moved(session, before) == (0, 0)


def test_an_import_that_deactivates_missing_rows_bumps_both(session: Session) -> None:
    import_csv(session, csv_of(make_record("R1"), make_record("R2")))
    before = service.catalog_revision(session)
    import_csv(session, csv_of(make_record("R1")), deactivate_missing=True)
    assert _moved(session, before) == (1, 1)


def test_taking_and_freeing_a_place_bumps_availability_not_content(session: Session) -> None:
    service.create_resource(session, make_record("R1", capacity_remaining=1), actor="a")
    before = service.catalog_revision(session)
    assert service.take_slot(session, "R1") is True
    assert _moved(session, before) == (0, 1)
    assert service.free_slot(session, "R1") is True
    assert _moved(session, before) == (0, 2)


def test_a_refused_take_changes_nothing(session: Session) -> None:
    service.create_resource(
        session, make_record("R1", capacity_total=1, capacity_remaining=0), actor="a"
    )
    before = service.catalog_revision(session)
    assert service.take_slot(session, "R1") is False
    assert service.free_slot(session, "R1") is True
    assert service.free_slot(session, "R1") is False  # never above the maximum
    assert _moved(session, before) == (0, 1)
    assert service.available_slots(session, "R1") == 1


def test_a_rejected_import_leaves_the_counters_alone(session: Session) -> None:
    before = service.catalog_revision(session)
    bad = csv_of(make_record("R1")) + b"R2,,,\n"
    with pytest.raises(ImportRejected):
        import_csv(session, bad)
    assert _moved(session, before) == (0, 0)


def test_a_missing_revision_row_reads_as_zero_and_is_recreated(session: Session) -> None:
    session.execute(delete(CatalogRevisionCounter))
    assert service.catalog_revision(session) == CatalogRevision(content=0, availability=0)
    service.create_resource(session, make_record("R1"), actor="a")
    assert service.catalog_revision(session) == CatalogRevision(content=1, availability=1)


def test_availability_maps_every_resource_to_free_places_and_status(session: Session) -> None:
    import_csv(
        session,
        csv_of(
            make_record("R1", capacity_remaining=2),
            make_record("R2", capacity_remaining=0, status="temporarily_closed"),
        ),
    )
    service.deactivate_resource(session, "R1", actor="a", expected_version=None)
    assert service.availability(session) == {"R1": (2, "inactive"), "R2": (0, "temporarily_closed")}


def test_fee_terms_and_receiver_come_from_the_catalog(session: Session) -> None:
    service.create_resource(
        session,
        make_record("R1", cooperation_fee_yen=800, cooperation_fee_unit="per_month"),
        actor="a",
    )
    terms = service.fee_terms(session, "R1")
    assert terms is not None
    assert (terms.amount_yen, terms.unit) == (800, "per_month")
    assert terms.receiver_id == service.organization_of(session, "R1")
    assert service.fee_terms(session, "NOPE") is None
    assert service.resource_exists(session, "R1") and not service.resource_exists(session, "NOPE")
