"""Exports read back unchanged, HSDS output is valid HSDS 3.1, HSDS input keeps its extras."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import jsonschema
import pytest
from sqlalchemy.orm import Session

from resources_catalog import service
from resources_catalog.hsds.ids import service_id
from tests.conftest import shared_path
from tests.resources_catalog.factories import import_csv, make_record

SUFFIX = {"csv": "csv", "xlsx": "xlsx", "hsds": "json"}


@pytest.fixture(scope="module")
def service_schema() -> dict[str, Any]:
    """HSDS 3.1 compiled service schema (every nested object inlined, no $ref)."""
    path = shared_path("data", "open_referral", "hsds_3_1_schema", "compiled", "service.json")
    return json.loads(path.read_text(encoding="utf-8"))


def _load_dev_catalog(session: Session) -> None:
    import_csv(session, shared_path("eval", "dev", "catalog.csv").read_bytes())
    service.create_resource(
        session,
        make_record(
            "T900",
            status="temporarily_closed",
            min_age=18,
            max_age=64,
            nearest_station="都賀駅",
            wheelchair_accessible=True,
            participant_cost_yen=300,
            extra={"service": {"url": "http://example.jp/t900"}},
        ),
        actor="test",
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "hsds"])
def test_export_then_import_changes_nothing(session: Session, fmt: str) -> None:
    _load_dev_catalog(session)
    data = service.export_catalog(session, fmt)  # type: ignore[arg-type]
    records, errors, total = service.parse_file(data, f"export.{SUFFIX[fmt]}")
    report = service.import_records(session, records, errors, total_rows=total, actor="t")
    assert errors == []
    assert (report.new, report.updated, len(report.unchanged)) == ([], [], 41)


def test_csv_export_has_a_bom_and_the_contract_columns(session: Session) -> None:
    _load_dev_catalog(session)
    data = service.export_catalog(session, "csv")
    assert data.startswith(b"\xef\xbb\xbfresource_id,name,organization,")
    assert ",tue;thu,09:30,12:00," in data.decode("utf-8-sig")


def test_hsds_export_validates_against_the_compiled_service_schema(
    session: Session, service_schema: dict[str, Any]
) -> None:
    _load_dev_catalog(session)
    services = json.loads(service.export_catalog(session, "hsds"))
    validator = jsonschema.Draft202012Validator(
        service_schema, format_checker=jsonschema.FormatChecker()
    )
    problems = [f"{e.json_path}: {e.message}" for s in services for e in validator.iter_errors(s)]
    assert problems == []
    assert len(services) == 41


def test_hsds_ids_are_uuid5_and_the_resource_id_is_an_attribute(session: Session) -> None:
    _load_dev_catalog(session)
    document = service.hsds_service(session, "R001")
    assert document["id"] == service_id("R001")
    values = {
        a["taxonomy_term"]["code"]: a.get("value")
        for a in document["attributes"]
        if a["taxonomy_term"]["taxonomy"] == "tsunagu-attribute"
    }
    assert values["resource_id"] == "R001"
    assert service.hsds_service(session, document["id"])["name"] == document["name"]


def test_hsds_services_page_has_the_openapi_envelope(session: Session) -> None:
    _load_dev_catalog(session)
    page = service.hsds_services_page(session, page=3, per_page=15)
    assert {k: page[k] for k in page if k != "contents"} == {
        "total_items": 41,
        "total_pages": 3,
        "page_number": 3,
        "size": 11,
        "first_page": False,
        "last_page": True,
        "empty": False,
    }


def test_hsds_json_import_keeps_foreign_fields_and_exports_them_again(session: Session) -> None:
    foreign: dict[str, Any] = {
        "id": "ac148810-d857-441c-9679-408f346de14b",
        "name": "Community Counselling",
        "status": "active",
        "fees_description": "£50 per hour",
        "organization": {
            "id": "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610",
            "name": "Example Org",
            "description": "A charity",
            "website": "http://example.com",
        },
        "schedules": [
            {
                "id": "48102e86-bb50-41c4-8f1e-e269368c41d1",
                "freq": "WEEKLY",
                "byday": "TH,FR",
                "opens_at": "10:00:00",
                "closes_at": "18:00:00",
                "valid_from": "2005-01-01",
            }
        ],
    }
    data = json.dumps({"contents": [foreign]}).encode()
    records, errors, total = service.parse_file(data, "feed.json")
    service.import_records(session, records, errors, total_rows=total, actor="t")
    stored = service.get_resource(session, foreign["id"]).record
    assert (stored.days, stored.start_time) == (["thu", "fri"], "10:00")
    assert stored.extra["service"] == {"fees_description": "£50 per hour"}
    assert stored.extra["organization"]["website"] == "http://example.com"
    exported = service.hsds_service(session, foreign["id"])
    assert exported["id"] == foreign["id"]
    assert exported["fees_description"] == "£50 per hour"
    assert exported["organization"]["id"] == foreign["organization"]["id"]
    assert exported["schedules"][0]["valid_from"] == "2005-01-01"


def _examples_zip() -> bytes:
    folder = shared_path("data", "open_referral", "hsds3_examples")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in folder.glob("*.csv"):
            archive.write(path, f"hsds/{path.name}")
    return buffer.getvalue()


def test_hsds_tabular_examples_import_with_extra_fields_kept(
    session: Session, service_schema: dict[str, Any]
) -> None:
    records, errors, total = service.parse_file(_examples_zip(), "hsds.zip")
    report = service.import_records(session, records, errors, total_rows=total, actor="t")
    assert report.new == ["ac148810-d857-441c-9679-408f346de14b"]
    stored = service.get_resource(session, report.new[0]).record
    assert (stored.organization, stored.min_age, stored.max_age) == (
        "Example Organization Inc.",
        12,
        100,
    )
    assert stored.extra["service"]["alternate_name"] == "MyCity Counselling Services"
    assert stored.extra["location"]["latitude"] == 100  # not a latitude: kept, not used
    assert stored.lat is None
    assert stored.extra["service"]["cost_options"][0]["currency"] == "gbp"
    exported = service.hsds_service(session, report.new[0])
    assert list(jsonschema.Draft202012Validator(service_schema).iter_errors(exported)) == []
    assert exported["alternate_name"] == "MyCity Counselling Services"
