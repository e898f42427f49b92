"""Bad input always gets a 4xx with ``{"error", "detail"}``, never a 500."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

BASE = "/api/v1/catalog/resources"


def _assert_error_shape(body: dict) -> None:
    assert set(body) == {"error", "detail"}
    assert isinstance(body["error"], str) and body["error"]


def test_unknown_path_is_404_with_error_body(client: TestClient) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    _assert_error_shape(response.json())
    assert response.json()["error"] == "not_found"


def test_wrong_method_is_405_with_error_body(client: TestClient) -> None:
    response = client.delete(BASE)
    assert response.status_code == 405
    _assert_error_shape(response.json())


def test_malformed_json_body_is_422_validation_error(client: TestClient) -> None:
    response = client.post(
        BASE, content=b'{"resource_id": "R1", ', headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    body = response.json()
    _assert_error_shape(body)
    assert body["error"] == "validation_error"
    assert body["detail"][0]["type"] == "json_invalid"


def test_json_that_is_not_an_object_is_422(client: TestClient) -> None:
    response = client.post(BASE, json=[1, 2, 3])
    assert response.status_code == 422
    _assert_error_shape(response.json())


def test_unknown_fields_are_422(client: TestClient) -> None:
    response = client.post(
        BASE, json={"resource_id": "R1", "name": "n", "organization": "o", "x": 1}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "extra_forbidden"


@pytest.mark.parametrize(
    "params",
    [
        {"limit": "abc"},
        {"limit": 0},
        {"limit": 10**9},
        {"offset": -1},
        {"offset": 10**30},
        {"q": "x" * 1000},
        {"q": "a\x00b"},
    ],
)
def test_bad_query_params_are_422(client: TestClient, params: dict) -> None:
    response = client.get(BASE, params=params)
    assert response.status_code == 422
    body = response.json()
    _assert_error_shape(body)
    assert body["error"] == "validation_error"
    assert all("input" not in item for item in body["detail"])  # inputs are not echoed


@pytest.mark.parametrize(
    "path",
    [
        f"{BASE}/{'x' * 65}",
        f"{BASE}/a%00b",
        f"{BASE}/a%00b/history",
    ],
)
def test_bad_path_ids_are_422(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 422
    _assert_error_shape(response.json())


def test_hsds_ids_are_any_string_so_an_odd_one_is_not_found(client: TestClient) -> None:
    """The official HSDS document types ``id`` as a plain string: no such record, not 422."""
    response = client.get("/hsds/services/a%00b")
    assert response.status_code == 404
    _assert_error_shape(response.json())


@pytest.mark.parametrize(
    "body",
    [
        b'{"resource_id": "R1", "name": "n", "organization": "o", "lat": NaN}',
        b'{"resource_id": "R1", "name": "n", "organization": "o", "capacity_total": 1e400}',
        b'{"resource_id": "R1", "name": "n", "organization": "o", "extra": {"a": "\\u0000"}}',
        b'{"resource_id": "R1", "name": "\\ud800", "organization": "o"}',
    ],
)
def test_hostile_json_values_are_422(client: TestClient, body: bytes) -> None:
    response = client.post(BASE, content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    _assert_error_shape(response.json())


def test_deeply_nested_json_is_4xx(client: TestClient) -> None:
    body = b'{"resource_id": "R1", "name": "n", "organization": "o", "extra": '
    body += b"[" * 100_000 + b"]" * 100_000 + b"}"
    response = client.post(BASE, content=body, headers={"Content-Type": "application/json"})
    assert 400 <= response.status_code < 500
    _assert_error_shape(response.json())


def test_broken_multipart_body_is_4xx(client: TestClient) -> None:
    response = client.post(
        "/api/v1/catalog/import",
        content=b"--boundary\r\nnot really multipart",
        headers={"Content-Type": "multipart/form-data; boundary=boundary"},
    )
    assert 400 <= response.status_code < 500
    _assert_error_shape(response.json())
