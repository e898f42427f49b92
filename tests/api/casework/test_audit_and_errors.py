"""The audit chain through the API, and bad input answered with 4xx JSON, never 500."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from storage.engine import unit_of_work
from tests.api.casework.conftest import Api
from tests.audit_tampering import lift_audit_triggers


def test_reads_are_audited_and_the_chain_verifies(api: Api) -> None:
    person = api.person()
    api.ok("coordinator", "GET", f"/api/v1/people/{person['id']}")
    rows = api.ok("auditor", "GET", "/api/v1/audit", params={"entity_id": str(person["id"])})
    assert [r["action"] for r in rows][:2] == ["person.read", "person.create"]
    assert rows[0]["client"] == "test-coordinator" and rows[0]["source_ip"]
    report = api.ok("auditor", "POST", "/api/v1/audit/verify")
    assert report["ok"] is True and report["first_bad_id"] is None
    assert report["rows_checked"] >= 2


def test_a_tampered_row_is_found_by_the_verify_endpoint(api: Api) -> None:
    person = api.person()
    api.ok("coordinator", "GET", f"/api/v1/people/{person['id']}")
    rows = api.ok("auditor", "GET", "/api/v1/audit", params={"entity_id": str(person["id"])})
    target = rows[-1]["id"]
    factory = api.client.app.state.test_session_factory  # type: ignore[attr-defined]
    with unit_of_work(factory) as session:
        lift_audit_triggers(session)
        session.execute(
            text("UPDATE audit_log SET actor = 'someone-else' WHERE id = :id"), {"id": target}
        )
    report = api.ok("auditor", "POST", "/api/v1/audit/verify")
    assert report["ok"] is False and report["first_bad_id"] == target


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("POST", "/api/v1/people", {}),
        ("POST", "/api/v1/people", {"name": "x", "ward": "東京都"}),
        ("POST", "/api/v1/people", {"name": "x", "home_lat": 35.6}),
        ("POST", "/api/v1/people", {"name": "x", "primary_staff_id": 99_999_999_999}),
        ("POST", "/api/v1/people", {"name": "x", "primary_staff_id": 424242}),
        ("POST", "/api/v1/people", {"name": "x", "born_on": "1990-02-30"}),
        ("POST", "/api/v1/people", {"name": "x", "unknown": 1}),
        ("POST", "/api/v1/people", {"name": "a" * 101}),
        ("POST", "/api/v1/people", {"name": "x", "address": "a\x00b"}),
        ("POST", "/api/v1/people", {"name": "x", "team": "t\x00"}),
        ("GET", "/api/v1/people/0", None),
        ("GET", "/api/v1/people/99999999999999999999", None),
        ("GET", "/api/v1/people/abc", None),
        ("GET", "/api/v1/people/424242", None),
        ("GET", "/api/v1/people?limit=0", None),
        ("GET", "/api/v1/people?status=nope", None),
        ("PUT", "/api/v1/people/{pid}/profile", {"days": ["someday"]}),
        ("PUT", "/api/v1/people/{pid}/profile", {"max_travel_km": -1}),
        (
            "POST",
            "/api/v1/people/{pid}/consents",
            {"scope": "share_with_receiver", "given_on": "2026-11-22", "method": "written"},
        ),
        (
            "POST",
            "/api/v1/people/{pid}/consents",
            {"scope": "matching", "given_on": "2026-11-22", "method": "telepathy"},
        ),
        ("POST", "/api/v1/consents/424242/withdraw", {"withdrawn_on": "2026-11-22"}),
        ("POST", "/api/v1/people/{pid}/plans", {"actions": [{"actor_kind": "alien"}]}),
        ("POST", "/api/v1/people/{pid}/plans", {"primary_staff_id": 424242}),
        ("POST", "/api/v1/plans/424242/submit", None),
        ("POST", "/api/v1/people/{pid}/suggestions?top_k=0", None),
        ("POST", "/api/v1/people/{pid}/suggestions?top_k=1000", None),
        ("POST", "/api/v1/people/{pid}/suggestions", None),
        ("POST", "/api/v1/placements", {"person_id": "{pid}", "resource_id": ""}),
        ("POST", "/api/v1/placements", {"person_id": "{pid}", "resource_id": "R001"}),
        ("POST", "/api/v1/placements/424242/transitions", {"to": "placed"}),
        ("POST", "/api/v1/placements/1/transitions", {"to": "flying"}),
        ("POST", "/api/v1/placements/1/transitions", {"to": "declined", "reason": "whim"}),
        (
            "POST",
            "/api/v1/people/{pid}/evaluations",
            {"evaluated_on": "2026-11-22", "changes": ["made_up"]},
        ),
        (
            "POST",
            "/api/v1/people/{pid}/evaluations",
            {"evaluated_on": "2026-11-22", "evaluator_id": 424242},
        ),
        ("POST", "/api/v1/people/{pid}/closure", {"closed_on": "2026-11-22", "reason": "bored"}),
        (
            "POST",
            "/api/v1/people/{pid}/follow-up/contacts",
            {"contacted_on": "2026-11-22", "method": "phone"},
        ),
        ("GET", "/api/v1/due?no_contact_days=0", None),
        ("GET", "/api/v1/people/{pid}/exclusions/R001", None),
    ],
)
def test_bad_input_is_a_4xx_error_body_never_a_500(
    api: Api, method: str, url: str, body: object
) -> None:
    pid = api.person(role="supervisor")["id"]
    url = url.replace("{pid}", str(pid))
    if isinstance(body, dict):
        body = {k: pid if v == "{pid}" else v for k, v in body.items()}
    response = api.call("supervisor", method, url, json=body)
    assert 400 <= response.status_code < 500, response.text
    assert set(response.json()) == {"error", "detail"}


def test_malformed_json_is_422(api: Api) -> None:
    response = api.call(
        "coordinator",
        "POST",
        "/api/v1/people",
        content=b"{not json",
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["error"] == "validation_error"
