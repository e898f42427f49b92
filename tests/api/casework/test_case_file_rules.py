"""The case file refuses impossible states through the JSON API (issue 10, Done when).

Closure ends placements and frees places, a closed case answers 409 to a new proposal, fees
outside the placement or in the future answer 422 naming the field, 連絡 without a share
consent answers 409, and every stage change carries the day it happened.
"""

from __future__ import annotations

from typing import Any

from tests.api.casework.conftest import TODAY, Api

FUTURE = "2099-01-01"


def _placed(api: Api, resource_id: str = "R001") -> tuple[dict[str, Any], int]:
    """A started person placed at ``resource_id`` (visit 11-24, placed 11-26)."""
    person = api.started_person()
    api.share_consent(person["id"], resource_id)
    plid = api.ok("coordinator", "POST", "/api/v1/placements", 201,
                  json={"person_id": person["id"], "resource_id": resource_id,
                        "occurred_on": TODAY})["id"]  # fmt: skip
    url = f"/api/v1/placements/{plid}/transitions"
    api.ok("coordinator", "POST", url, json={"to": "visit", "occurred_on": "2026-11-24"})
    api.ok("coordinator", "POST", url, json={"to": "placed", "occurred_on": "2026-11-26"})
    return person, plid


def _free_places(api: Api, resource_id: str) -> int:
    return int(
        api.client.get(f"/api/v1/catalog/resources/{resource_id}").json()["capacity_remaining"]
    )


def test_done_when_closure_ends_placements_frees_places_and_refuses_new_proposals(
    api: Api,
) -> None:
    api.resource("R001", capacity_remaining=2)
    api.resource("R002", capacity_remaining=1)
    person, plid = _placed(api)
    pid = person["id"]
    second = {"person_id": pid, "resource_id": "R002", "occurred_on": TODAY}
    proposed = api.ok("coordinator", "POST", "/api/v1/placements", 201, json=second)
    assert _free_places(api, "R001") == 1

    closed = api.ok(
        "coordinator", "POST", f"/api/v1/people/{pid}/closure",
        json={"closed_on": "2026-12-01", "reason": "stable"},
    )  # fmt: skip
    assert closed["status"] == "closed"
    rows = {p["id"]: p for p in api.ok("coordinator", "GET", f"/api/v1/people/{pid}/placements")}
    ended, withdrawn = rows[plid], rows[proposed["id"]]
    assert (ended["state"], ended["reason_code"], ended["holds_slot"]) == (
        "ended", "case_closed", False,
    )  # fmt: skip
    assert ended["transitions"][-1]["occurred_on"] == "2026-12-01"
    assert (withdrawn["state"], withdrawn["reason_code"]) == ("withdrawn", "case_closed")
    assert _free_places(api, "R001") == 2

    again = api.call("coordinator", "POST", "/api/v1/placements",
                     json={"person_id": pid, "resource_id": "R001"})  # fmt: skip
    assert again.status_code == 409
    assert again.json()["error"] == "case_closed" and "再開" in again.json()["detail"]

    # Reopening (再開) lets the coordinator propose again.
    assert api.ok("coordinator", "POST", f"/api/v1/people/{pid}/reopen")["status"] == "open"
    api.ok("coordinator", "POST", "/api/v1/placements", 201,
           json={"person_id": pid, "resource_id": "R001"})  # fmt: skip


def test_a_closure_dated_in_the_future_answers_422(api: Api) -> None:
    person = api.person()
    response = api.call("coordinator", "POST", f"/api/v1/people/{person['id']}/closure",
                        json={"closed_on": FUTURE, "reason": "stable"})  # fmt: skip
    assert response.status_code == 422
    assert response.json()["detail"]["field"] == "closed_on"
    assert api.ok("coordinator", "GET", f"/api/v1/people/{person['id']}")["status"] == "open"


def test_done_when_a_fee_in_the_future_or_before_the_placement_answers_422(api: Api) -> None:
    api.resource("R001")
    _, plid = _placed(api)
    url = f"/api/v1/placements/{plid}/fees"
    future = api.call("coordinator", "POST", url, json={"activity_dates": ["2026-11-27", FUTURE]},
                      headers={"Idempotency-Key": "fee-future-1"})  # fmt: skip
    assert future.status_code == 422
    body = future.json()
    assert body["error"] == "invalid_date" and body["detail"]["field"] == "activity_dates"
    assert "未来の日付" in body["detail"]["message"]

    before = api.call("coordinator", "POST", url, json={"activity_dates": ["2026-11-23"]},
                      headers={"Idempotency-Key": "fee-before-1"})  # fmt: skip
    assert before.status_code == 422
    assert before.json()["detail"]["field"] == "activity_dates"
    assert "2026年11月24日" in before.json()["detail"]["message"]  # the visit, the first day

    api.ok("coordinator", "POST", url, 201, json={"activity_dates": ["2026-11-24"]},
           headers={"Idempotency-Key": "fee-inside-1"})  # fmt: skip
    assert api.ok("finance", "GET", "/api/v1/fees", params={"fiscal_year": 2026})[0][
        "activity_dates"
    ] == ["2026-11-24"]


def test_done_when_contacted_without_a_share_consent_answers_409(api: Api) -> None:
    api.resource("R001")
    person = api.started_person()
    plid = api.ok("coordinator", "POST", "/api/v1/placements", 201,
                  json={"person_id": person["id"], "resource_id": "R001"})["id"]  # fmt: skip
    url = f"/api/v1/placements/{plid}/transitions"
    refused = api.call("coordinator", "POST", url, json={"to": "contacted"})
    assert refused.status_code == 409
    assert refused.json()["error"] == "consent_required"
    assert "情報提供の同意" in refused.json()["detail"]
    assert api.ok("coordinator", "GET", f"/api/v1/placements/{plid}")["state"] == "proposed"

    api.share_consent(person["id"], "R001")
    assert api.ok("coordinator", "POST", url, json={"to": "contacted"})["state"] == "contacted"


def test_stage_days_are_stored_shown_and_checked(api: Api) -> None:
    api.resource("R001")
    _, plid = _placed(api)
    url = f"/api/v1/placements/{plid}/transitions"
    early = {"to": "ended", "reason": "stable", "occurred_on": "2026-11-25"}
    before = api.call("coordinator", "POST", url, json=early)
    assert before.status_code == 422 and before.json()["detail"]["field"] == "occurred_on"
    future = api.call("coordinator", "POST", url,
                      json={"to": "ended", "reason": "stable", "occurred_on": FUTURE})  # fmt: skip
    assert future.status_code == 422 and future.json()["error"] == "invalid_date"

    api.ok("coordinator", "POST", url,
           json={"to": "ended", "reason": "stable", "occurred_on": "2026-11-30"})  # fmt: skip
    steps = api.ok("coordinator", "GET", f"/api/v1/placements/{plid}")["transitions"]
    assert [(t["to_state"], t["occurred_on"]) for t in steps] == [
        ("proposed", TODAY), ("visit", "2026-11-24"), ("placed", "2026-11-26"),
        ("ended", "2026-11-30"),
    ]  # fmt: skip
    assert all(t["at"] > "2026-12" for t in steps)  # the entry instant stays as it was


def test_a_retention_contact_in_the_future_answers_422(api: Api) -> None:
    api.resource("R001")
    _, plid = _placed(api)
    response = api.call(
        "coordinator", "POST", f"/api/v1/placements/{plid}/retention-contacts",
        json={"contacted_on": FUTURE, "party": "person", "method": "phone"},
    )  # fmt: skip
    assert response.status_code == 422
    assert response.json()["detail"]["field"] == "contacted_on"


def test_a_birth_date_in_the_future_answers_422(api: Api) -> None:
    response = api.call("coordinator", "POST", "/api/v1/people",
                        json={"name": "未来 太郎", "born_on": FUTURE})  # fmt: skip
    assert response.status_code == 422
    assert response.json()["detail"]["field"] == "born_on"
    person = api.person()
    patched = api.call("coordinator", "PATCH", f"/api/v1/people/{person['id']}",
                       json={"born_on": FUTURE})  # fmt: skip
    assert patched.status_code == 422
    assert "生年月日" in patched.json()["detail"]["message"]


def test_the_new_answers_are_documented_in_the_openapi_document(api: Api) -> None:
    paths = api.client.get("/openapi.json").json()["paths"]
    for path, method, code in (
        ("/api/v1/placements", "post", "409"),
        ("/api/v1/placements/{placement_id}/transitions", "post", "409"),
        ("/api/v1/placements/{placement_id}/transitions", "post", "422"),
        ("/api/v1/placements/{placement_id}/fees", "post", "422"),
        ("/api/v1/people/{person_id}/closure", "post", "422"),
    ):
        assert code in paths[path][method]["responses"], (path, code)
    transition = paths["/api/v1/placements/{placement_id}/transitions"]["post"]
    assert "consent_required" in transition["description"]
    assert "case_closed" in paths["/api/v1/placements"]["post"]["description"]
