"""Catalog JSON API: list, get, create, update, deactivate, history."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import PAGE_SIZE_MAX
from tests.api.factories import create, resource

BASE = "/api/v1/catalog/resources"


def _ids(body: dict) -> list[str]:
    return [item["resource_id"] for item in body["items"]]


def test_list_of_an_empty_catalog_is_an_empty_page(client: TestClient) -> None:
    body = client.get(BASE).json()
    assert body == {"items": [], "total": 0, "offset": 0, "limit": 50, "next_offset": None}


def test_list_pages_by_offset_and_limit_in_resource_id_order(client: TestClient) -> None:
    for rid in ("R005", "R003", "R001", "R004", "R002"):
        create(client, rid)
    body = client.get(BASE, params={"offset": 2, "limit": 2}).json()
    assert _ids(body) == ["R003", "R004"]
    assert (body["total"], body["offset"], body["limit"], body["next_offset"]) == (5, 2, 2, 4)
    last = client.get(BASE, params={"offset": 4, "limit": 2}).json()
    assert _ids(last) == ["R005"]
    assert last["next_offset"] is None


def test_list_filters_by_ward_category_status_and_text(client: TestClient) -> None:
    create(client, "R001", ward="若葉区", categories=["farm"], name="貝塚ふれあい農園")
    create(client, "R002", ward="美浜区", categories=["library"], name="図書館の本の整理")
    create(client, "R003", ward="美浜区", categories=["farm"], status="inactive", name="浜の畑")

    assert _ids(client.get(BASE, params={"ward": "美浜区"}).json()) == ["R002", "R003"]
    assert _ids(client.get(BASE, params={"category": "farm"}).json()) == ["R001", "R003"]
    assert _ids(client.get(BASE, params={"status": "inactive"}).json()) == ["R003"]
    assert _ids(client.get(BASE, params={"q": "図書館"}).json()) == ["R002"]
    both = client.get(BASE, params={"ward": "美浜区", "category": "farm"}).json()
    assert _ids(both) == ["R003"]
    assert both["total"] == 1


def test_list_rejects_a_limit_above_the_page_size_max(client: TestClient) -> None:
    response = client.get(BASE, params={"limit": PAGE_SIZE_MAX + 1})
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "validation_error"
    assert body["detail"][0]["loc"] == ["query", "limit"]


def test_list_rejects_an_unknown_status(client: TestClient) -> None:
    response = client.get(BASE, params={"status": "deleted"})
    assert response.status_code == 422
    assert response.json()["error"] == "validation_error"


def test_get_returns_the_resource_with_its_version_as_etag(client: TestClient) -> None:
    created = create(client, "R001")
    response = client.get(f"{BASE}/R001")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == created["name"]
    assert response.headers["ETag"] == f'"{body["version"]}"'


def test_get_with_matching_if_none_match_is_not_modified(client: TestClient) -> None:
    create(client, "R001")
    etag = client.get(f"{BASE}/R001").headers["ETag"]
    response = client.get(f"{BASE}/R001", headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.headers["ETag"] == etag


def test_get_unknown_resource_is_404_with_error_body(client: TestClient) -> None:
    response = client.get(f"{BASE}/NOPE")
    assert response.status_code == 404
    body = response.json()
    assert body["error"] == "resource_not_found"
    assert "NOPE" in body["detail"]


def test_create_returns_201_location_and_etag(client: TestClient) -> None:
    response = client.post(BASE, json=resource("R001"))
    assert response.status_code == 201
    body = response.json()
    assert response.headers["Location"] == f"{BASE}/R001"
    assert response.headers["ETag"] == f'"{body["version"]}"'
    assert body["resource_id"] == "R001"
    assert body["days"] == ["tue", "thu"]
    assert client.get(response.headers["Location"]).status_code == 200


def test_create_with_a_taken_id_is_409(client: TestClient) -> None:
    create(client, "R001")
    response = client.post(BASE, json=resource("R001"))
    assert response.status_code == 409
    assert response.json()["error"] == "resource_already_exists"


def test_create_rejects_invalid_fields_with_422(client: TestClient) -> None:
    response = client.post(BASE, json=resource("R001", lat=123.0, days=["someday"]))
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "validation_error"
    assert {tuple(e["loc"][-2:]) for e in body["detail"]} >= {("body", "lat"), ("days", 0)}


def test_create_rejects_numbers_too_large_for_the_database(client: TestClient) -> None:
    response = client.post(BASE, json=resource("R001", capacity_total=10**12))
    assert response.status_code == 422


def test_create_rejects_nul_characters(client: TestClient) -> None:
    response = client.post(BASE, json=resource("R001", name="a\x00b"))
    assert response.status_code == 422
    assert response.json()["error"] == "validation_error"
    [problem] = response.json()["detail"]
    assert problem["loc"][-1] == "name"
    assert problem["msg"] == "control characters are not allowed"


def test_create_keeps_tabs_and_newlines_in_a_description(client: TestClient) -> None:
    response = client.post(BASE, json=resource("R001", description="一行目\n\t二行目"))
    assert response.status_code == 201
    assert client.get(f"{BASE}/R001").json()["description"] == "一行目\n\t二行目"


def test_update_with_matching_if_match_replaces_and_bumps_version(client: TestClient) -> None:
    create(client, "R001")
    got = client.get(f"{BASE}/R001")
    body = got.json() | {"capacity_remaining": 1, "name": "新しい名前"}
    response = client.put(f"{BASE}/R001", json=body, headers={"If-Match": got.headers["ETag"]})
    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["version"] == got.json()["version"] + 1
    assert response.headers["ETag"] == f'"{updated["version"]}"'
    assert client.get(f"{BASE}/R001").json()["name"] == "新しい名前"


def test_update_with_stale_if_match_is_412_and_changes_nothing(client: TestClient) -> None:
    create(client, "R001")
    got = client.get(f"{BASE}/R001")
    old_etag = got.headers["ETag"]
    first = client.put(
        f"{BASE}/R001", json=got.json() | {"name": "一人目"}, headers={"If-Match": old_etag}
    )
    assert first.status_code == 200
    second = client.put(
        f"{BASE}/R001", json=got.json() | {"name": "二人目"}, headers={"If-Match": old_etag}
    )
    assert second.status_code == 412
    body = second.json()
    assert body["error"] == "stale_version"
    assert body["detail"]["current_version"] == first.json()["version"]
    assert second.headers["ETag"] == first.headers["ETag"]
    assert client.get(f"{BASE}/R001").json()["name"] == "一人目"


def test_update_accepts_a_weak_etag(client: TestClient) -> None:
    created = create(client, "R001")
    response = client.put(
        f"{BASE}/R001",
        json=resource("R001", name="弱い ETag"),
        headers={"If-Match": f'W/"{created["version"]}"'},
    )
    assert response.status_code == 200


def test_update_without_if_match_is_428(client: TestClient) -> None:
    create(client, "R001")
    response = client.put(f"{BASE}/R001", json=resource("R001"))
    assert response.status_code == 428
    assert response.json()["error"] == "precondition_required"


def test_update_with_an_unparseable_if_match_is_412(client: TestClient) -> None:
    create(client, "R001")
    response = client.put(f"{BASE}/R001", json=resource("R001"), headers={"If-Match": '"abc"'})
    assert response.status_code == 412
    assert response.json()["error"] == "precondition_failed"


def test_update_with_a_different_body_id_is_422(client: TestClient) -> None:
    created = create(client, "R001")
    response = client.put(
        f"{BASE}/R001", json=resource("R002"), headers={"If-Match": f'"{created["version"]}"'}
    )
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_resource"


def test_create_breaking_a_catalog_rule_is_422_with_the_field(client: TestClient) -> None:
    response = client.post(BASE, json=resource("R001", capacity_total=1, capacity_remaining=5))
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "invalid_resource"
    assert body["detail"]["errors"][0]["column"] == "capacity_remaining"


def test_update_keeps_fields_the_client_left_out(client: TestClient) -> None:
    create(client, "R001", nearest_station="千葉駅")
    got = client.get(f"{BASE}/R001")
    body = {k: v for k, v in got.json().items() if k != "nearest_station"}
    response = client.put(
        f"{BASE}/R001", json=body | {"name": "改名"}, headers={"If-Match": got.headers["ETag"]}
    )
    assert response.status_code == 200
    assert response.json()["nearest_station"] == "千葉駅"


def test_update_of_an_unknown_resource_is_404(client: TestClient) -> None:
    response = client.put(f"{BASE}/NOPE", json=resource("NOPE"), headers={"If-Match": "*"})
    assert response.status_code == 404


def test_deactivate_sets_inactive_and_bumps_version(client: TestClient) -> None:
    created = create(client, "R001")
    response = client.post(
        f"{BASE}/R001/deactivate", headers={"If-Match": f'"{created["version"]}"'}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "inactive"
    assert body["version"] == created["version"] + 1
    assert response.headers["ETag"] == f'"{body["version"]}"'
    assert client.get(f"{BASE}/R001").json()["status"] == "inactive"


def test_deactivate_with_stale_if_match_is_412(client: TestClient) -> None:
    created = create(client, "R001")
    stale = f'"{created["version"] + 7}"'
    response = client.post(f"{BASE}/R001/deactivate", headers={"If-Match": stale})
    assert response.status_code == 412
    assert client.get(f"{BASE}/R001").json()["status"] == "active"


def test_deactivate_without_if_match_is_allowed(client: TestClient) -> None:
    create(client, "R001")
    assert client.post(f"{BASE}/R001/deactivate").json()["status"] == "inactive"


def test_history_shows_old_and_new_values_and_the_actor(client: TestClient) -> None:
    created = create(client, "R001", capacity_remaining=3)
    response = client.put(
        f"{BASE}/R001",
        json=resource("R001", capacity_remaining=1),
        headers={"If-Match": f'"{created["version"]}"', "X-Actor": "coordinator-7"},
    )
    assert response.status_code == 200
    history = client.get(f"{BASE}/R001/history")
    assert history.status_code == 200
    body = history.json()
    assert body["resource_id"] == "R001"
    assert [e["action"] for e in body["entries"]] == ["create", "update"]
    last = body["entries"][-1]
    assert last["actor"] == "coordinator-7"
    assert {"field": "capacity_remaining", "old": 3, "new": 1} in last["changes"]


def test_actor_header_may_be_a_japanese_name(client: TestClient) -> None:
    name = "相談員 佐藤"
    response = client.post(BASE, json=resource("R001"), headers={b"X-Actor": name.encode("utf-8")})
    assert response.status_code == 201
    entries = client.get(f"{BASE}/R001/history").json()["entries"]
    assert entries[0]["actor"] == name


def test_history_of_an_unknown_resource_is_404(client: TestClient) -> None:
    assert client.get(f"{BASE}/NOPE/history").status_code == 404
