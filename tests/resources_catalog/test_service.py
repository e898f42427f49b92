"""Catalog use cases: edits with history and versions, listings, the demo catalog."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from resources_catalog import service
from resources_catalog.errors import (
    InvalidResource,
    ResourceAlreadyExists,
    ResourceNotFound,
    StaleVersion,
)
from tests.resources_catalog.factories import make_record


def test_create_then_get_returns_the_same_record_at_version_one(session: Session) -> None:
    record = make_record("S1", categories=["kids", "cooking"], days=["thu", "tue"])
    created = service.create_resource(session, record, actor="alice")
    assert created.version == 1
    # Coordinates given by the caller are stored as such (location_source "manual").
    expected = record.model_copy(update={"days": ["tue", "thu"], "location_source": "manual"})
    assert created.record == expected
    assert created.created_at.tzinfo is not None


def test_create_with_a_taken_id_raises(session: Session) -> None:
    service.create_resource(session, make_record("S1"), actor="alice")
    with pytest.raises(ResourceAlreadyExists):
        service.create_resource(session, make_record("S1"), actor="alice")


def test_create_with_remaining_above_total_raises(session: Session) -> None:
    with pytest.raises(InvalidResource):
        service.create_resource(
            session, make_record("S1", capacity_total=2, capacity_remaining=3), actor="a"
        )


def test_history_records_old_and_new_values_with_actor(session: Session) -> None:
    service.create_resource(session, make_record("S1"), actor="alice")
    service.update_resource(
        session, "S1", make_record("S1", capacity_remaining=0), actor="bob", expected_version=1
    )
    service.deactivate_resource(session, "S1", actor="carol", expected_version=2)
    history = service.resource_history(session, "S1")
    assert [(h.action, h.actor) for h in history] == [
        ("create", "alice"),
        ("update", "bob"),
        ("deactivate", "carol"),
    ]
    assert [(c.field, c.old, c.new) for c in history[1].changes] == [("capacity_remaining", 3, 0)]
    assert [(c.field, c.old, c.new) for c in history[2].changes] == [
        ("status", "active", "inactive")
    ]
    assert history[0].changes[0].old is None


def test_update_bumps_the_version(session: Session) -> None:
    service.create_resource(session, make_record("S1"), actor="a")
    updated = service.update_resource(
        session, "S1", make_record("S1", name="新しい名前"), actor="a", expected_version=1
    )
    assert (updated.version, updated.record.name) == (2, "新しい名前")


def test_update_with_a_stale_version_raises(session: Session) -> None:
    service.create_resource(session, make_record("S1"), actor="a")
    service.update_resource(
        session, "S1", make_record("S1", name="一回目"), actor="a", expected_version=1
    )
    with pytest.raises(StaleVersion) as caught:
        service.update_resource(
            session, "S1", make_record("S1", name="二回目"), actor="b", expected_version=1
        )
    assert (caught.value.expected, caught.value.current) == (1, 2)
    assert service.get_resource(session, "S1").record.name == "一回目"


def test_update_that_changes_nothing_keeps_version_and_history(session: Session) -> None:
    service.create_resource(session, make_record("S1"), actor="a")
    same = service.update_resource(
        session, "S1", make_record("S1"), actor="a", expected_version=None
    )
    assert same.version == 1
    assert len(service.resource_history(session, "S1")) == 1


def test_unknown_resource_raises_not_found(session: Session) -> None:
    with pytest.raises(ResourceNotFound):
        service.get_resource(session, "nope")
    with pytest.raises(ResourceNotFound):
        service.hsds_service(session, "nope")


def _catalog(session: Session) -> None:
    service.create_resource(
        session, make_record("L1", ward="若葉区", categories=["farm"]), actor="a"
    )
    service.create_resource(
        session,
        make_record("L2", ward="緑区", categories=["kids"], name="こども食堂 配膳"),
        actor="a",
    )
    service.create_resource(
        session, make_record("L3", ward="緑区", categories=["farm"], status="inactive"), actor="a"
    )
    service.create_resource(
        session,
        make_record("L4", ward="美浜区", categories=[], organization="美浜図書の会"),
        actor="a",
    )


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"ward": "緑区"}, ["L2", "L3"]),
        ({"category": "farm"}, ["L1", "L3"]),
        ({"status": "active"}, ["L1", "L2", "L4"]),
        ({"q": "こども"}, ["L2"]),
        ({"q": "図書の会"}, ["L4"]),
        ({"ward": "緑区", "category": "farm"}, ["L3"]),
    ],
)
def test_list_filters(session: Session, filters: dict[str, str], expected: list[str]) -> None:
    _catalog(session)
    page = service.list_resources(session, **filters)  # type: ignore[arg-type]
    assert [item.record.resource_id for item in page.items] == expected
    assert page.total == len(expected)


def test_list_pages_in_resource_id_order(session: Session) -> None:
    _catalog(session)
    page = service.list_resources(session, offset=1, limit=2)
    assert [item.record.resource_id for item in page.items] == ["L2", "L3"]
    assert (page.total, page.offset, page.limit) == (4, 1, 2)


def test_all_records_active_only_skips_inactive(session: Session) -> None:
    _catalog(session)
    assert [r.resource_id for r in service.all_records(session, active_only=True)] == [
        "L1",
        "L2",
        "L4",
    ]


def test_hsds_organization_and_taxonomy_pages(session: Session) -> None:
    _catalog(session)
    organizations = service.hsds_organizations_page(session, page=1, per_page=10)
    assert organizations["total_items"] == 2
    names = [o["name"] for o in organizations["contents"]]
    assert names == sorted(names)
    terms = service.hsds_taxonomy_terms_page(session, per_page=100)
    assert terms["total_items"] == 18
    assert service.hsds_taxonomies_page(session)["contents"][0]["name"] == "tsunagu-category"


def test_demo_catalog_loads_once_into_an_empty_catalog(session: Session) -> None:
    report = service.load_demo_catalog(session)
    assert report is not None and report.ok
    assert len(report.new) >= 180
    wards = {r.ward for r in service.all_records(session)}
    assert wards == {"中央区", "花見川区", "稲毛区", "若葉区", "緑区", "美浜区"}
    assert service.load_demo_catalog(session) is None


def test_a_creation_entry_reads_as_every_non_default_field_with_old_none(
    session: Session,
) -> None:
    from resources_catalog.history import diff

    record = make_record("S1", categories=["kids"])
    service.create_resource(session, record, actor="alice")
    [entry] = service.resource_history(session, "S1")
    stored = service.get_resource(session, "S1").record.model_dump()
    # The compact stored form reads back exactly as the full diff from nothing would.
    expected = [(c["field"], None, c["new"]) for c in diff(None, stored)]
    assert [(c.field, c.old, c.new) for c in entry.changes] == expected
    assert ("name", None, record.name) in expected


def test_history_entries_stored_in_the_older_list_form_still_read(session: Session) -> None:
    from datetime import UTC, datetime

    from resources_catalog.models import ResourceChange

    session.add(
        ResourceChange(
            resource_id="OLD",
            changed_at=datetime.now(UTC),
            actor="a",
            action="import",
            changes=[{"field": "name", "old": None, "new": "旧"}],
        )
    )
    session.flush()
    [entry] = service.resource_history(session, "OLD")
    assert [(c.field, c.old, c.new) for c in entry.changes] == [("name", None, "旧")]
