"""The API contract in detail: aware instants, enums and statuses in the schema, 405 Allow,
unknown query parameters refused; the UTC column type on the test database; JST on pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Column, Integer, MetaData, Table, select
from sqlalchemy.engine import Engine

from api.web.templating import fmt_date
from casework.permissions import ROLE_PERMISSIONS
from storage.types import UTCDateTime
from tests.api.conftest import PAGE_SIZE_MAX, issue_api_key

JST = timezone(timedelta(hours=9))


def _schema(client: TestClient) -> dict[str, Any]:
    document: dict[str, Any] = client.get("/openapi.json").json()
    return document


def test_instants_are_read_back_aware_in_utc(engine: Engine) -> None:
    table = Table("utc_probe", MetaData(), Column("id", Integer, primary_key=True),
                  Column("at", UTCDateTime()))  # fmt: skip
    with engine.connect() as conn:
        transaction = conn.begin()
        try:
            table.create(conn)
            jst_noon = datetime(2026, 11, 28, 12, 0, tzinfo=JST)
            conn.execute(table.insert(), [{"id": 1, "at": jst_noon}, {"id": 2, "at": None}])
            stored = conn.execute(select(table.c.at).order_by(table.c.id)).scalars().all()
            assert stored[0] == jst_noon and stored[0].utcoffset() == timedelta(0)
            assert stored[0].hour == 3 and stored[1] is None
            # A comparison in SQL converts the bound value the same way.
            found = (
                conn.execute(
                    select(table.c.id).where(
                        table.c.at >= datetime(2026, 11, 28, 11, 59, tzinfo=JST)
                    )
                )
                .scalars()
                .all()
            )
            assert found == [1]
        finally:
            transaction.rollback()


def test_every_instant_in_an_api_answer_has_an_offset(client: TestClient) -> None:
    with client.app.state.test_session_factory() as session:  # type: ignore[attr-defined]
        key = issue_api_key(session, sorted(ROLE_PERMISSIONS["coordinator"]), name="c")
        session.commit()
    headers = {"Authorization": f"Bearer {key}"}
    created = client.post(
        "/api/v1/people",
        json={"name": "千葉 花子", "ward": "若葉区", "received_on": "2026-11-22"},
        headers=headers,
    )
    assert created.status_code == 201, created.text
    body = created.json()
    stamps = {k: v for k, v in body.items() if k.endswith("_at") and v}
    assert stamps, body
    for value in stamps.values():
        assert datetime.fromisoformat(value).utcoffset() == timedelta(0), value


def test_pages_show_instants_in_japan_time() -> None:
    at = datetime(2026, 11, 28, 16, 30, tzinfo=UTC)
    assert fmt_date(at, "ymdhm") == "2026年11月29日 01:30"
    assert fmt_date(at) == "2026年11月29日"
    # A naive value is a stored UTC instant, shown in JST too.
    assert fmt_date(at.replace(tzinfo=None), "ymdhm") == "2026年11月29日 01:30"


def test_enums_checked_by_validators_are_in_the_schema(client: TestClient) -> None:
    schemas = _schema(client)["components"]["schemas"]
    actor_kind = next(
        s["properties"]["actor_kind"] for n, s in schemas.items() if n.startswith("PlanActionIn")
    )
    assert actor_kind["enum"] == ["person", "family", "agency", "other"]
    closure = next(s for n, s in schemas.items() if n.startswith("ClosureCreate"))
    assert "stable" in closure["properties"]["reason"]["enum"]


def test_body_parse_and_conflict_statuses_are_documented(client: TestClient) -> None:
    paths = _schema(client)["paths"]
    people_post = paths["/api/v1/people"]["post"]["responses"]
    assert {"400", "401", "403", "409", "422"} <= set(people_post)
    assert "400" not in paths["/api/v1/people"]["get"]["responses"]
    for path, item in paths.items():
        for method, operation in item.items():
            if method in ("post", "put", "patch", "delete"):
                assert "409" in operation["responses"], (method, path)
            if "requestBody" in operation:
                assert "400" in operation["responses"], (method, path)


def test_page_size_limits_state_the_configured_maximum(client: TestClient) -> None:
    parameters = _schema(client)["paths"]["/api/v1/catalog/resources"]["get"]["parameters"]
    limit = next(p for p in parameters if p["name"] == "limit")
    assert limit["schema"]["maximum"] == PAGE_SIZE_MAX


def test_an_unparsable_body_is_a_documented_400(client: TestClient) -> None:
    response = client.post(
        "/api/v1/catalog/resources",
        content=b"\xff\xfe{",
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["error"] == "bad_request"
    documented = _schema(client)["paths"]["/api/v1/catalog/resources"]["post"]["responses"]
    assert "400" in documented


def test_405_lists_every_method_of_the_path(client: TestClient) -> None:
    response = client.delete("/api/v1/people")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD, POST"
    response = client.put("/api/v1/people/1")
    assert set(response.headers["allow"].split(", ")) == {"DELETE", "GET", "HEAD", "PATCH"}


def test_unknown_query_parameters_are_refused(client: TestClient) -> None:
    response = client.get("/api/v1/catalog/resources", params={"wrad": "若葉区"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "wrad"]
    assert client.get("/api/v1/catalog/resources", params={"ward": "若葉区"}).status_code == 200
