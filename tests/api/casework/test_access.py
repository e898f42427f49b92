"""Every /api/v1 casework route × every role: allowed, 403, and 401 without a key.

The expected permission of each route is written out here, independent of the code, so a
new route fails this test until someone decides who may call it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute

from casework.permissions import ROLE_PERMISSIONS, ROLES
from tests.api.casework.conftest import TODAY, Api

EXPECTED: dict[tuple[str, str], str] = {
    ("POST", "/api/v1/people"): "person:write",
    ("GET", "/api/v1/people"): "person:read",
    ("GET", "/api/v1/people/by-reception-number/{reception_number}"): "person:read",
    ("GET", "/api/v1/people/{person_id}"): "person:read",
    ("PATCH", "/api/v1/people/{person_id}"): "person:write",
    ("DELETE", "/api/v1/people/{person_id}"): "person:delete",
    ("PUT", "/api/v1/people/{person_id}/profile"): "person:write",
    ("GET", "/api/v1/people/{person_id}/profile"): "person:read",
    ("GET", "/api/v1/people/{person_id}/profile/versions"): "person:read",
    ("POST", "/api/v1/people/{person_id}/consents"): "person:write",
    ("GET", "/api/v1/people/{person_id}/consents"): "person:read",
    ("POST", "/api/v1/consents/{consent_id}/withdraw"): "person:write",
    ("GET", "/api/v1/people/{person_id}/referral-summary"): "person:read",
    ("POST", "/api/v1/people/{person_id}/support-meetings"): "person:write",
    ("GET", "/api/v1/people/{person_id}/support-meetings"): "person:read",
    ("POST", "/api/v1/people/{person_id}/closure"): "person:write",
    ("POST", "/api/v1/people/{person_id}/reopen"): "person:write",
    ("PUT", "/api/v1/people/{person_id}/follow-up"): "person:write",
    ("POST", "/api/v1/people/{person_id}/follow-up/contacts"): "person:write",
    ("POST", "/api/v1/people/{person_id}/follow-up/end"): "person:write",
    ("POST", "/api/v1/people/{person_id}/plans"): "person:write",
    ("GET", "/api/v1/people/{person_id}/plans"): "person:read",
    ("GET", "/api/v1/plans/{plan_id}"): "person:read",
    ("PATCH", "/api/v1/plans/{plan_id}"): "person:write",
    ("POST", "/api/v1/plans/{plan_id}/submit"): "person:write",
    ("POST", "/api/v1/plans/{plan_id}/decide"): "plan:decide",
    ("POST", "/api/v1/plans/{plan_id}/return"): "plan:decide",
    ("POST", "/api/v1/plans/{plan_id}/start-early"): "person:write",
    ("POST", "/api/v1/people/{person_id}/evaluations"): "person:write",
    ("GET", "/api/v1/people/{person_id}/evaluations"): "person:read",
    ("GET", "/api/v1/evaluations/{evaluation_id}"): "person:read",
    ("PUT", "/api/v1/evaluations/{evaluation_id}"): "person:write",
    ("GET", "/api/v1/evaluations/{evaluation_id}/history"): "person:read",
    ("POST", "/api/v1/people/{person_id}/suggestions"): "suggestion:run",
    ("GET", "/api/v1/people/{person_id}/suggestion-runs"): "person:read",
    ("GET", "/api/v1/people/{person_id}/exclusions/{resource_id}"): "person:read",
    ("GET", "/api/v1/people/{person_id}/why-not"): "suggestion:run",
    ("GET", "/api/v1/people/{person_id}/hidden-suggestions"): "person:read",
    ("POST", "/api/v1/people/{person_id}/hidden-suggestions"): "person:write",
    ("DELETE", "/api/v1/people/{person_id}/hidden-suggestions/{resource_id}"): "person:write",
    ("POST", "/api/v1/placements"): "person:write",
    ("GET", "/api/v1/placements/{placement_id}"): "person:read",
    ("GET", "/api/v1/people/{person_id}/placements"): "person:read",
    ("POST", "/api/v1/placements/{placement_id}/transitions"): "person:write",
    ("POST", "/api/v1/placements/{placement_id}/retention-contacts"): "person:write",
    ("GET", "/api/v1/placements/{placement_id}/retention-contacts"): "person:read",
    ("POST", "/api/v1/placements/{placement_id}/fees"): "fee:write",
    ("GET", "/api/v1/fees"): "fee:read",
    ("PATCH", "/api/v1/fees/{fee_id}"): "fee:write",
    ("POST", "/api/v1/fees/{fee_id}/approve"): "fee:approve",
    ("POST", "/api/v1/fees/{fee_id}/reject"): "fee:approve",
    ("POST", "/api/v1/fees/{fee_id}/pay"): "fee:pay",
    ("POST", "/api/v1/fees/{fee_id}/reverse"): "fee:write",
    ("PUT", "/api/v1/budgets/{fiscal_year}"): "fee:budget",
    ("GET", "/api/v1/budgets/{fiscal_year}"): "fee:read",
    ("GET", "/api/v1/reports/fees"): "fee:read",
    ("GET", "/api/v1/reports/fee-totals"): "fee:read",
    ("GET", "/api/v1/due"): "person:read",
    ("GET", "/api/v1/agenda"): "person:read",
    ("GET", "/api/v1/audit"): "audit:read",
    ("POST", "/api/v1/audit/verify"): "audit:read",
    ("GET", "/api/v1/outcomes"): "outcome:export",
    ("GET", "/api/v1/reports/counts"): "report:read",
    ("POST", "/api/v1/api-clients"): "apikey:admin",
    ("POST", "/api/v1/api-clients/{client_id}/revoke"): "apikey:admin",
    ("POST", "/api/v1/users"): "user:admin",
    # 包括的相談支援 (consultation/).
    ("POST", "/api/v1/consultations"): "consultation:write",
    ("GET", "/api/v1/consultations"): "consultation:read",
    ("GET", "/api/v1/consultations/{consultation_id}"): "consultation:read",
    ("PATCH", "/api/v1/consultations/{consultation_id}"): "consultation:write",
    ("POST", "/api/v1/consultations/{consultation_id}/link"): "consultation:write",
    ("POST", "/api/v1/people/{person_id}/multi-agency-meetings"): "person:write",
    ("GET", "/api/v1/people/{person_id}/multi-agency-meetings"): "person:read",
    ("POST", "/api/v1/multi-agency-meetings"): "person:write",
    ("GET", "/api/v1/multi-agency-meetings/{meeting_id}"): "person:read",
    ("POST", "/api/v1/people/{person_id}/progress-notes"): "person:write",
    ("GET", "/api/v1/people/{person_id}/progress-notes"): "person:read",
    ("POST", "/api/v1/progress-notes/{note_id}/corrections"): "person:write",
    ("GET", "/api/v1/progress-notes/{note_id}/versions"): "person:read",
    ("GET", "/api/v1/people/{person_id}/timeline"): "person:read",
    ("POST", "/api/v1/referrals"): "consultation:write",
    ("GET", "/api/v1/referrals"): "consultation:read",
    ("GET", "/api/v1/referrals/{referral_id}"): "consultation:read",
    ("POST", "/api/v1/referrals/{referral_id}/transitions"): "consultation:write",
    ("GET", "/api/v1/agencies"): "agency:read",
    ("PUT", "/api/v1/agencies"): "agency:write",
    ("GET", "/api/v1/agencies/export"): "agency:read",
    ("POST", "/api/v1/agencies/import"): "agency:write",
    ("POST", "/api/v1/agencies/fit"): "agency:read",
    ("GET", "/api/v1/agencies/{agency_id}"): "agency:read",
    ("POST", "/api/v1/consultations/{consultation_id}/intake-form"): "consultation:write",
    ("GET", "/api/v1/people/{person_id}/intake-form"): "person:read",
    # 資源開拓 and reports (development/)
    ("GET", "/api/v1/reports/what-if"): "waitlist:whatif",
    ("GET", "/api/v1/reports/unmet-needs"): "report:read",
    ("GET", "/api/v1/reports/kpis"): "report:read",
    ("GET", "/api/v1/reports/receivers"): "report:read",
    ("POST", "/api/v1/prospects"): "prospect:write",
    ("GET", "/api/v1/prospects"): "prospect:read",
    ("POST", "/api/v1/prospects/import"): "prospect:write",
    ("GET", "/api/v1/prospects/{prospect_id}"): "prospect:read",
    ("POST", "/api/v1/prospects/{prospect_id}/moves"): "prospect:write",
    ("POST", "/api/v1/prospects/{prospect_id}/notes"): "prospect:write",
    ("PUT", "/api/v1/prospects/{prospect_id}/conditions"): "prospect:write",
    ("POST", "/api/v1/prospects/{prospect_id}/register"): "prospect:write",
    ("POST", "/api/v1/receivers/{receiver_ref}/support"): "prospect:write",
    ("GET", "/api/v1/receivers/{receiver_ref}/support"): "prospect:read",
    ("GET", "/api/v1/receiver/referrals"): "receiver:self",
    ("GET", "/api/v1/receiver/referrals/{placement_id}"): "receiver:self",
    ("POST", "/api/v1/receiver/referrals/{placement_id}/answer"): "receiver:self",
    ("POST", "/api/v1/receiver/referrals/{placement_id}/attendance"): "receiver:self",
    ("PATCH", "/api/v1/receiver/resources/{resource_id}"): "receiver:self",
    ("POST", "/api/v1/receiver-accounts"): "user:admin",
    ("GET", "/api/v1/placements/{placement_id}/receiver-answer"): "person:read",
    ("GET", "/api/v1/placements/{placement_id}/attendance"): "person:read",
    ("POST", "/api/v1/sign-in-locks/unlock"): "user:admin",
    ("POST", "/api/v1/staff-users/{user_id}/second-factor/reset"): "user:admin",
}

# Catalog writes: catalog maintainers and admins; reads are public.
CATALOG_WRITES: dict[tuple[str, str], str] = {
    ("POST", "/api/v1/catalog/resources"): "catalog:write",
    ("PUT", "/api/v1/catalog/resources/{resource_id}"): "catalog:write",
    ("POST", "/api/v1/catalog/resources/{resource_id}/deactivate"): "catalog:write",
    ("POST", "/api/v1/catalog/import"): "catalog:write",
}


def _flatten(routes: Iterable[Any]) -> Iterator[APIRoute]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):  # FastAPI's lazily included routers
            yield from _flatten(route.original_router.routes)


def casework_routes(app: FastAPI) -> list[tuple[str, str, APIRoute]]:
    """(method, path, route) of every /api/v1 route outside the catalog."""
    return sorted(
        (method, route.path, route)
        for route in _flatten(app.routes)
        if route.path.startswith("/api/v1/") and not route.path.startswith("/api/v1/catalog")
        for method in route.methods or ()
    )


def test_every_casework_route_is_listed_with_its_permission(api: Api) -> None:
    routes = casework_routes(api.client.app)  # type: ignore[arg-type]
    assert {(m, p) for m, p, _ in routes} == set(EXPECTED)
    for method, path, route in routes:
        extra = route.openapi_extra or {}
        assert extra.get("x-required-permission") == EXPECTED[method, path], (method, path)


@pytest.fixture
def ids(api: Api) -> dict[str, Any]:
    """One of everything, made by a supervisor, to fill the path parameters."""
    api.resource("R001")
    person = api.started_person("supervisor")
    pid = person["id"]
    consent = api.ok("supervisor", "GET", f"/api/v1/people/{pid}/consents")[0]
    api.share_consent(pid, "R001", "supervisor")
    placement = api.ok(
        "supervisor",
        "POST",
        "/api/v1/placements",
        201,
        json={"person_id": pid, "resource_id": "R001", "occurred_on": TODAY},
    )
    api.ok("supervisor", "POST", f"/api/v1/placements/{placement['id']}/transitions",
           json={"to": "trial", "occurred_on": TODAY})  # fmt: skip
    fee = api.ok(
        "supervisor", "POST", f"/api/v1/placements/{placement['id']}/fees", 201,
        json={"activity_dates": ["2026-12-01"]}, headers={"Idempotency-Key": "access-0001"},
    )  # fmt: skip
    sheet = api.ok("supervisor", "POST", f"/api/v1/people/{pid}/evaluations", 201,
                   json={"evaluated_on": TODAY})  # fmt: skip
    agency = api.ok("supervisor", "PUT", "/api/v1/agencies",
                    json={"code": "AC-1", "kind": "anshin_care", "name": "あんしん"})  # fmt: skip
    consultation = api.ok("supervisor", "POST", "/api/v1/consultations", 201,
                          json={"channel": "phone", "from_whom": "self"})  # fmt: skip
    note = api.ok("supervisor", "POST", f"/api/v1/people/{pid}/progress-notes", 201,
                  json={"kind": "phone", "occurred_at": "2026-11-22T10:00:00+09:00",
                        "content": "電話"})  # fmt: skip
    api.ok("supervisor", "POST", f"/api/v1/people/{pid}/consents", 201,
           json={"scope": "multi_agency", "given_on": "2026-01-01",
                 "method": "written"})  # fmt: skip
    referral = api.ok("supervisor", "POST", "/api/v1/referrals", 201,
                      json={"agency_id": agency["id"], "person_id": pid,
                            "consent_basis": "consent_written"})  # fmt: skip
    meeting = api.ok("supervisor", "POST", "/api/v1/multi-agency-meetings", 201,
                     json={"held_on": TODAY, "cases": [{"person_id": pid}]})  # fmt: skip
    return {
        "meeting_id": meeting["id"],
        "agency_id": agency["id"],
        "consultation_id": consultation["id"],
        "note_id": note["id"],
        "referral_id": referral["id"],
        "person_id": pid,
        "reception_number": person["reception_number"],
        "plan_id": person["plan_id"],
        "consent_id": consent["id"],
        "placement_id": placement["id"],
        "fee_id": fee["id"],
        "evaluation_id": sheet["id"],
        "client_id": 1,
        "user_id": 1,
        "fiscal_year": 2026,
        "resource_id": "R001",
        "prospect_id": 1,
        "receiver_ref": "org:test",
    }


def _url(path: str, ids: dict[str, Any]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), path)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_the_routes_its_permissions_allow(
    api: Api, ids: dict[str, Any], role: str
) -> None:
    allowed = ROLE_PERMISSIONS[role]  # type: ignore[index]
    wrong: list[str] = []
    for method, path in sorted(EXPECTED):
        # An empty JSON body: an allowed caller gets past the role check (then 2xx/4xx).
        response = api.call(
            role,  # type: ignore[arg-type]
            method,
            _url(path, ids),
            json={} if method in ("POST", "PUT", "PATCH") else None,
            headers={"Idempotency-Key": f"access-{role}-{method}-{len(wrong)}"},
        )
        code = response.status_code
        if EXPECTED[method, path] in allowed:
            ok = code not in (401, 403) and code < 500
        else:
            ok = code == 403 and response.json()["error"] == "forbidden"
        if not ok:
            wrong.append(f"{method} {path}: {code} {response.text[:120]}")
    assert wrong == []


def test_without_a_key_every_route_is_401(api: Api, ids: dict[str, Any]) -> None:
    for method, path in sorted({**EXPECTED, **CATALOG_WRITES}):
        response = api.client.request(
            method, _url(path, ids), headers={"Authorization": ""}, json={}
        )
        assert response.status_code == 401, (method, path, response.text)
        assert response.json()["error"] == "authentication_failed"
        assert response.headers["WWW-Authenticate"] == "Bearer"


def test_a_wrong_or_revoked_key_is_401(api: Api) -> None:
    bad = api.client.get("/api/v1/people", headers={"Authorization": "Bearer tsk_nope"})
    assert bad.status_code == 401
    created = api.ok(
        "admin", "POST", "/api/v1/api-clients", 201, json={"name": "系统", "role": "supervisor"}
    )
    key = {"Authorization": f"Bearer {created['api_key']}"}
    assert api.client.get("/api/v1/people", headers=key).status_code == 200
    api.ok("admin", "POST", f"/api/v1/api-clients/{created['id']}/revoke", 204)
    assert api.client.get("/api/v1/people", headers=key).status_code == 401


@pytest.mark.parametrize("role", ROLES)
def test_catalog_writes_need_catalog_write_and_reads_stay_public(api: Api, role: str) -> None:
    from tests.api.factories import resource

    response = api.call(role, "POST", "/api/v1/catalog/resources", json=resource(f"C-{role}"))  # type: ignore[arg-type]
    expected = 201 if "catalog:write" in ROLE_PERMISSIONS[role] else 403  # type: ignore[index]
    assert response.status_code == expected, response.text
    public = api.client.get("/api/v1/catalog/resources", headers={"Authorization": ""})
    assert public.status_code == 200


def test_the_catalog_history_names_the_key_or_the_operator_it_sent(api: Api) -> None:
    from tests.api.factories import resource

    api.call("catalog_maintainer", "POST", "/api/v1/catalog/resources", json=resource("H1"))
    history = api.client.get("/api/v1/catalog/resources/H1/history").json()
    assert re.fullmatch(r"api_client:\d+", history["entries"][0]["actor"])


def test_a_web_session_principal_on_request_state_wins_over_the_header() -> None:
    from starlette.requests import Request

    from api.auth import authenticate
    from casework.permissions import Principal

    request = Request({"type": "http", "method": "GET", "path": "/", "headers": [], "state": {}})
    signed_in = Principal(kind="user", id=7, role="finance")
    request.state.principal = signed_in
    assert authenticate(request, session=None, credentials=None) is signed_in  # type: ignore[arg-type]
