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
    ("params", "page_number", "size"),
    [
        ({"page": 0, "per_page": 2}, 1, 2),  # the official spec types page as any integer
        ({"page": -3, "per_page": 2}, 1, 2),
        ({"per_page": 0}, 1, 3),  # below 1: the default page size
        ({"per_page": -1}, 1, 3),
        ({"per_page": PAGE_SIZE_MAX + 1}, 1, 3),  # above the limit: the limit
        ({"page": 10**12}, 1_000_000_000, 0),
    ],
)
def test_any_integer_paging_gets_a_page(
    seeded: TestClient, params: dict[str, Any], page_number: int, size: int
) -> None:
    response = seeded.get("/hsds/services", params=params)
    assert response.status_code == 200
    page = response.json()
    _assert_valid(_page_validator(), page)
    assert (page["page_number"], page["size"], page["total_items"]) == (page_number, size, 3)


@pytest.mark.parametrize("page", ["two", "+0.0", "1e3", "2.0", " 3"])
def test_paging_that_is_no_integer_is_422(client: TestClient, page: str) -> None:
    response = client.get("/hsds/services", params={"page": page})
    assert response.status_code == 422
    assert response.json()["error"] == "validation_error"


def test_services_filters_by_term_taxonomy_and_organization(seeded: TestClient) -> None:
    terms = seeded.get("/hsds/taxonomy_terms", params={"per_page": 100}).json()["contents"]
    cooking = next(t for t in terms if t["code"] == "cooking")
    page = seeded.get("/hsds/services", params={"taxonomy_term_id": cooking["id"]}).json()
    assert [s["name"] for s in page["contents"]] == ["子ども食堂の調理補助"]
    page = seeded.get("/hsds/services", params={"taxonomy_id": cooking["taxonomy_id"]}).json()
    assert page["total_items"] == 3
    assert seeded.get("/hsds/services", params={"taxonomy_id": "x"}).json()["total_items"] == 0
    orgs = seeded.get("/hsds/organizations", params={"search": "図書館"}).json()["contents"]
    page = seeded.get("/hsds/services", params={"organization_id": orgs[0]["id"]}).json()
    assert [s["name"] for s in page["contents"]] == ["図書館の本の整理"]
    page = seeded.get("/hsds/organizations", params={"taxonomy_term_id": cooking["id"]}).json()
    assert [o["name"] for o in page["contents"]] == ["NPO法人 テスト会"]


def test_services_modified_after_minimal_and_full(seeded: TestClient) -> None:
    assert (
        seeded.get("/hsds/services", params={"modified_after": "2000-01-01"}).json()["total_items"]
        == 3
    )
    later = seeded.get("/hsds/services", params={"modified_after": "2999-01-01T00:00:00+09:00"})
    assert later.json()["total_items"] == 0
    bad = seeded.get("/hsds/services", params={"modified_after": "昨日"})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["query", "modified_after"]
    minimal = seeded.get("/hsds/services", params={"minimal": "true"}).json()["contents"][0]
    assert set(minimal) == {"id", "name", "status", "last_modified"}
    one = seeded.get("/hsds/services").json()["contents"][0]
    assert "schedules" not in one
    full = seeded.get("/hsds/services", params={"full": "true"}).json()["contents"][0]
    _assert_valid(_validator("compiled/service.json"), full)
    assert "attributes" in full


def test_every_by_id_path_answers_for_an_id_it_lists(seeded: TestClient) -> None:
    for listing, schema in (
        ("organizations", "compiled/organization.json"),
        ("taxonomies", "taxonomy.json"),
        ("taxonomy_terms", "taxonomy_term.json"),
        ("service_at_locations", "compiled/service_at_location.json"),
        ("services", "compiled/service.json"),
    ):
        contents = seeded.get(f"/hsds/{listing}", params={"per_page": 100}).json()["contents"]
        assert contents, listing
        for item in contents:
            response = seeded.get(f"/hsds/{listing}/{item['id']}")
            assert response.status_code == 200, (listing, response.text)
            _assert_valid(_validator(schema), response.json())
            assert response.json()["id"] == item["id"]
        missing = seeded.get(f"/hsds/{listing}/00000000-0000-0000-0000-000000000000")
        assert missing.status_code == 404


def test_service_at_locations_page_is_valid_hsds(seeded: TestClient) -> None:
    page = seeded.post("/hsds/service_at_locations", params={"per_page": 2}).json()
    _assert_valid(_page_validator(), page)
    validator = _validator("compiled/service_at_location_list.json")
    for sal in page["contents"]:
        _assert_valid(validator, sal)
        assert sal["service"]["id"] == sal["service_id"]
    assert (page["total_items"], page["size"]) == (3, 2)


def test_organization_with_full_services(seeded: TestClient) -> None:
    org = seeded.get("/hsds/organizations", params={"search": "図書館"}).json()["contents"][0]
    body = seeded.get(f"/hsds/organizations/{org['id']}", params={"full_service": "true"}).json()
    _assert_valid(_validator("compiled/organization.json"), body)
    assert [s["name"] for s in body["services"]] == ["図書館の本の整理"]


def test_ndjson_gives_every_result_one_a_line(seeded: TestClient) -> None:
    response = seeded.get("/hsds/services", params={"format": "ndjson", "per_page": 1})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert len(lines) == 3
    assert seeded.get("/hsds/services", params={"format": "xml"}).status_code == 422


def test_text_with_nul_matches_nothing(seeded: TestClient) -> None:
    assert seeded.get("/hsds/services", params={"search": "a\x00"}).json()["total_items"] == 0
    assert seeded.get("/hsds/services/R0%0001").status_code == 404


def test_hsds_root_names_the_version(client: TestClient) -> None:
    body = client.get("/hsds/").json()
    assert body["version"] == "3.1"
    assert body["openapi_url"].endswith("/openapi.json")
