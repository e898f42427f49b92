"""Open Referral HSDS 3.1 read endpoints, validated against the published schemas."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.api.conftest import PAGE_SIZE_MAX
from tests.api.factories import create
from tests.conftest import shared_path

PAGE_KEYS = (
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
)


@cache
def _registry(schema_dir: Path) -> Registry:
    resources = [
        (p.resolve().as_uri(), Resource.from_contents(json.loads(p.read_text()), DRAFT202012))
        for p in [*schema_dir.glob("*.json"), *schema_dir.glob("compiled/*.json")]
    ]
    return Registry().with_resources(resources)


def _validator(relative: str) -> Draft202012Validator:
    """A validator for one HSDS schema file (its relative $refs resolve to local copies)."""
    schema_dir = shared_path("data", "open_referral", "hsds_3_1_schema")
    uri = (schema_dir / relative).resolve().as_uri()
    return Draft202012Validator(
        {"$ref": uri},
        registry=_registry(schema_dir),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def _page_validator() -> Draft202012Validator:
    """The openapi.json ``Page`` schema, every key required, plus ``contents``."""
    openapi = json.loads(
        shared_path("data", "open_referral", "hsds_3_1_schema", "openapi.json").read_text()
    )
    page = openapi["components"]["schemas"]["Page"]
    schema = {
        "allOf": [page],
        "type": "object",
        "required": [*PAGE_KEYS, "contents"],
        "properties": {"contents": {"type": "array"}},
    }
    return Draft202012Validator(schema)


def _assert_valid(validator: Draft202012Validator, instance: Any) -> None:
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


@pytest.fixture
def seeded(client: TestClient) -> TestClient:
    create(client, "R001", name="貝塚ふれあい農園", organization="NPO法人 ちば土と人の会")
    create(client, "R002", name="子ども食堂の調理補助", categories=["cooking", "kids"])
    create(
        client, "R003", name="図書館の本の整理", categories=["library"], organization="市立図書館"
    )
    return client


def test_services_page_has_the_hsds_envelope_and_valid_services(seeded: TestClient) -> None:
    response = seeded.get("/hsds/services")
    assert response.status_code == 200
    page = response.json()
    _assert_valid(_page_validator(), page)
    assert page["total_items"] == 3
    assert (page["page_number"], page["first_page"], page["last_page"]) == (1, True, True)
    service_list = _validator("compiled/service_list.json")
    for service in page["contents"]:
        _assert_valid(service_list, service)
    assert {s["name"] for s in page["contents"]} >= {"貝塚ふれあい農園"}


def test_services_pages_by_page_and_per_page(seeded: TestClient) -> None:
    page = seeded.get("/hsds/services", params={"page": 2, "per_page": 2}).json()
    assert page["total_items"] == 3
    assert page["total_pages"] == 2
    assert page["page_number"] == 2
    assert page["size"] == 1
    assert (page["first_page"], page["last_page"], page["empty"]) == (False, True, False)


def test_services_search_filters_by_text(seeded: TestClient) -> None:
    page = seeded.get("/hsds/services", params={"search": "図書館"}).json()
    assert [s["name"] for s in page["contents"]] == ["図書館の本の整理"]


def test_service_by_id_is_a_valid_fully_nested_hsds_service(seeded: TestClient) -> None:
    first = seeded.get("/hsds/services").json()["contents"][0]
    response = seeded.get(f"/hsds/services/{first['id']}")
    assert response.status_code == 200
    service = response.json()
    _assert_valid(_validator("compiled/service.json"), service)
    assert service["id"] == first["id"]


def test_unknown_service_is_404_with_error_body(client: TestClient) -> None:
    response = client.get("/hsds/services/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404
    assert response.json()["error"] == "resource_not_found"


def test_organizations_page_is_valid_hsds(seeded: TestClient) -> None:
    page = seeded.get("/hsds/organizations").json()
    _assert_valid(_page_validator(), page)
    validator = _validator("compiled/organization_list.json")
    for organization in page["contents"]:
        _assert_valid(validator, organization)
    assert {o["name"] for o in page["contents"]} == {
        "NPO法人 ちば土と人の会",
        "NPO法人 テスト会",
        "市立図書館",
    }


def test_taxonomies_page_is_valid_hsds(seeded: TestClient) -> None:
    page = seeded.get("/hsds/taxonomies").json()
    _assert_valid(_page_validator(), page)
    validator = _validator("taxonomy.json")
    for taxonomy in page["contents"]:
        _assert_valid(validator, taxonomy)
    assert page["total_items"] >= 1


def test_organizations_search_filters_by_name(seeded: TestClient) -> None:
    page = seeded.get("/hsds/organizations", params={"search": "図書館"}).json()
    assert [o["name"] for o in page["contents"]] == ["市立図書館"]


def test_taxonomy_terms_page_is_valid_hsds(seeded: TestClient) -> None:
    page = seeded.get("/hsds/taxonomy_terms", params={"per_page": 100}).json()
    _assert_valid(_page_validator(), page)
    validator = _validator("taxonomy_term.json")
    for term in page["contents"]:
        _assert_valid(validator, term)
    assert {"farm", "library"} <= {t["code"] for t in page["contents"]}


def test_service_can_also_be_read_by_resource_id(seeded: TestClient) -> None:
    response = seeded.get("/hsds/services/R001")
    assert response.status_code == 200
    assert response.json()["name"] == "貝塚ふれあい農園"


def test_empty_catalog_gives_an_empty_hsds_page(client: TestClient) -> None:
    page = client.get("/hsds/services").json()
    _assert_valid(_page_validator(), page)
    assert (page["total_items"], page["empty"], page["contents"]) == (0, True, [])


@pytest.mark.parametrize(
    "params",
    [{"per_page": PAGE_SIZE_MAX + 1}, {"page": 0}, {"per_page": 0}, {"page": "two"}],
)
def test_bad_hsds_paging_is_422(client: TestClient, params: dict[str, Any]) -> None:
    response = client.get("/hsds/services", params=params)
    assert response.status_code == 422
    assert response.json()["error"] == "validation_error"


def test_hsds_root_names_the_version(client: TestClient) -> None:
    body = client.get("/hsds/").json()
    assert body["version"] == "3.1"
    assert body["openapi_url"].endswith("/openapi.json")
