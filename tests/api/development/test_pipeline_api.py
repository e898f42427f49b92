"""Receiver pipeline (prospects) and the receiver's own side, end to end over the API."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from casework.models import ApiClient
from casework.schemas import ApiClientIn
from casework.services import accounts
from development import receiver
from resources_catalog.models import Service
from storage.engine import unit_of_work
from tests.api.casework.conftest import TODAY, Api
from tests.api.conftest import SYSTEM


def _factory(api: Api) -> Any:
    return api.client.app.state.test_session_factory  # type: ignore[attr-defined]


def test_prospect_goes_from_candidate_to_registered_and_creates_a_catalog_entry(
    api: Api,
) -> None:
    p = api.ok(
        "coordinator",
        "POST",
        "/api/v1/prospects",
        201,
        json={"name": "みどり農園", "ward": "緑区", "theme": "farm", "source": "unmet_needs"},
    )
    assert (p["stage"], p["stage_label"]) == ("candidate", "候補")
    pid = p["id"]
    url = f"/api/v1/prospects/{pid}"
    api.ok("coordinator", "POST", f"{url}/notes", 201, json={"kind": "contact", "note": "電話"})
    api.ok("coordinator", "POST", f"{url}/moves", json={"to": "negotiating"})
    # 合意 needs the conditions first
    response = api.call("coordinator", "POST", f"{url}/moves", json={"to": "agreed"})
    assert response.status_code == 422, response.text
    api.ok(
        "coordinator",
        "PUT",
        f"{url}/conditions",
        json={
            "offer": "畑の草取りと収穫",
            "for_whom": "体を動かしたい方",
            "days": ["tue", "fri"],
            "start_time": "09:00",
            "end_time": "11:00",
            "capacity": 2,
        },
    )
    api.ok("coordinator", "POST", f"{url}/moves", json={"to": "agreed"})
    # 登録済 only through register
    assert (
        api.call("coordinator", "POST", f"{url}/moves", json={"to": "registered"}).status_code
        == 409
    )
    created = api.ok(
        "coordinator",
        "POST",
        f"{url}/register",
        201,
        json={"resource_id": "DEV-001", "categories": ["farm"]},
    )
    assert created["organization"] == "みどり農園"
    assert (created["capacity_total"], created["capacity_remaining"]) == (2, 2)
    assert created["days"] == ["tue", "fri"]
    assert "本来業務に支障のない範囲" in created["description"]
    detail = api.ok("coordinator", "GET", url)
    assert detail["stage"] == "registered" and detail["resource_id"] == "DEV-001"
    assert [e["to_stage"] for e in detail["events"] if e["kind"] == "stage"] == [
        "negotiating",
        "agreed",
        "registered",
    ]
    assert api.client.get("/api/v1/catalog/resources/DEV-001").status_code == 200
    themed = api.ok("coordinator", "GET", "/api/v1/prospects?theme=farm")
    assert [t["id"] for t in themed] == [pid]
    # declining needs a reason; a finished prospect cannot move
    assert (
        api.call("coordinator", "POST", f"{url}/moves", json={"to": "declined"}).status_code == 409
    )


def test_support_log_is_kept_per_receiver(api: Api) -> None:
    ref = "org:abc"
    api.ok(
        "coordinator",
        "POST",
        f"/api/v1/receivers/{ref}/support",
        201,
        json={"supported_on": TODAY, "kind": "visit", "note": "受け入れ前の訪問"},
    )
    log = api.ok("supervisor", "GET", f"/api/v1/receivers/{ref}/support")
    assert [(e["kind"], e["note"]) for e in log] == [("visit", "受け入れ前の訪問")]
    assert api.ok("supervisor", "GET", "/api/v1/receivers/org:other/support") == []
    assert api.call("finance", "GET", f"/api/v1/receivers/{ref}/support").status_code == 403


def _receiver_key(api: Api, org: str) -> str:
    with unit_of_work(_factory(api)) as s:
        client, token = accounts.create_api_client(
            s, SYSTEM, ApiClientIn(name="受入先 A", scopes=["receiver:self"])
        )
        receiver.link_account(s, SYSTEM, f"api_client:{client.id}", org)
    return token


def _org(api: Api, resource_id: str) -> str:
    with unit_of_work(_factory(api)) as s:
        return str(
            s.scalar(select(Service.organization_id).where(Service.resource_id == resource_id))
        )


def test_receiver_sees_only_its_own_referrals_accepts_and_the_coordinator_sees_it(api: Api) -> None:
    api.resource("RA1", organization="受入先A")
    api.resource("RB1", organization="受入先B")
    org_a, org_b = _org(api, "RA1"), _org(api, "RB1")
    assert org_a != org_b
    person = api.started_person()
    pid = person["id"]
    api.ok(
        "coordinator",
        "POST",
        f"/api/v1/people/{pid}/consents",
        201,
        json={
            "scope": "share_with_receiver",
            "receiver_kind": "organization",
            "receiver_id": org_a,
            "given_on": TODAY,
            "method": "written",
        },
    )
    mine = api.ok(
        "coordinator",
        "POST",
        "/api/v1/placements",
        201,
        json={"person_id": pid, "resource_id": "RA1", "plan_id": person["plan_id"]},
    )
    other_person = api.started_person()
    theirs = api.ok(
        "coordinator",
        "POST",
        "/api/v1/placements",
        201,
        json={
            "person_id": other_person["id"],
            "resource_id": "RB1",
            "plan_id": other_person["plan_id"],
        },
    )
    headers = {"Authorization": f"Bearer {_receiver_key(api, org_a)}"}

    listed = api.client.get("/api/v1/receiver/referrals", headers=headers)
    assert listed.status_code == 200, listed.text
    [ref] = listed.json()
    assert ref["placement_id"] == mine["id"]
    assert ref["anonymised"] is False and ref["summary"]["name"] == "千葉 花子"
    assert "health_notes" not in ref["summary"]
    # another organisation's referral is 404, like one that does not exist
    assert (
        api.client.get(f"/api/v1/receiver/referrals/{theirs['id']}", headers=headers).status_code
        == 404
    )
    assert api.client.get("/api/v1/receiver/referrals/999999", headers=headers).status_code == 404
    answered = api.client.post(
        f"/api/v1/receiver/referrals/{theirs['id']}/answer",
        headers=headers,
        json={"decision": "accepted"},
    )
    assert answered.status_code == 404
    accepted = api.client.post(
        f"/api/v1/receiver/referrals/{mine['id']}/answer",
        headers=headers,
        json={"decision": "accepted"},
    )
    assert accepted.status_code == 200, accepted.text
    again = api.client.post(
        f"/api/v1/receiver/referrals/{mine['id']}/answer",
        headers=headers,
        json={"decision": "declined", "reason": "x"},
    )
    assert again.status_code == 409

    seen = api.ok("coordinator", "GET", f"/api/v1/placements/{mine['id']}/receiver-answer")
    assert seen["decision"] == "accepted" and seen["organization_id"] == org_a
    stats = api.ok("coordinator", "GET", "/api/v1/reports/receivers")
    assert [(s["organization_id"], s["answered"], s["acceptance_rate"]) for s in stats] == [
        (org_a, 1, 1.0)
    ]
    # staff without the receiver role have no receiver side
    assert api.call("coordinator", "GET", "/api/v1/receiver/referrals").status_code == 403
    # once the person visits, the receiver confirms the dates; the coordinator reads them
    api.ok(
        "coordinator", "POST", f"/api/v1/placements/{mine['id']}/transitions", json={"to": "visit"}
    )
    confirmed = api.client.post(
        f"/api/v1/receiver/referrals/{mine['id']}/attendance",
        headers=headers,
        json={"dates": ["2026-11-20", TODAY, TODAY]},
    )
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["dates"] == ["2026-11-20", TODAY]
    future = api.client.post(
        f"/api/v1/receiver/referrals/{mine['id']}/attendance",
        headers=headers,
        json={"dates": ["2099-01-01"]},
    )
    assert future.status_code == 422
    seen_dates = api.ok("coordinator", "GET", f"/api/v1/placements/{mine['id']}/attendance")
    assert seen_dates["dates"] == ["2026-11-20", TODAY]


def test_receiver_declines_with_reason_updates_places_and_confirms_attendance(api: Api) -> None:
    api.resource("RA1", organization="受入先A")
    org_a = _org(api, "RA1")
    person = api.started_person()
    placement = api.ok(
        "coordinator",
        "POST",
        "/api/v1/placements",
        201,
        json={"person_id": person["id"], "resource_id": "RA1", "plan_id": person["plan_id"]},
    )
    headers = {"Authorization": f"Bearer {_receiver_key(api, org_a)}"}
    url = f"/api/v1/receiver/referrals/{placement['id']}"
    # summary without a sharing consent is anonymised
    body = api.client.get(url, headers=headers).json()
    assert body["anonymised"] is True and "name" not in body["summary"]
    no_reason = api.client.post(f"{url}/answer", headers=headers, json={"decision": "declined"})
    assert no_reason.status_code == 422
    declined = api.client.post(
        f"{url}/answer",
        headers=headers,
        json={"decision": "declined", "reason": "今月は受け入れが難しい"},
    )
    assert declined.status_code == 200, declined.text
    assert declined.json()["state"] == "declined"
    state = api.ok("coordinator", "GET", f"/api/v1/placements/{placement['id']}")["state"]
    assert state == "declined"
    # attendance only for people who attend
    assert (
        api.client.post(f"{url}/attendance", headers=headers, json={"dates": [TODAY]}).status_code
        == 409
    )
    # own listing: free places and days
    updated = api.client.patch(
        "/api/v1/receiver/resources/RA1",
        headers=headers,
        json={"capacity_remaining": 5, "days": ["mon"]},
    )
    assert updated.status_code == 200, updated.text
    assert updated.json()["capacity_remaining"] == 5 and updated.json()["days"] == ["mon"]
    assert updated.json()["extra"]["assured_date"]
    api.resource("RB1", organization="受入先B")
    assert (
        api.client.patch(
            "/api/v1/receiver/resources/RB1", headers=headers, json={"capacity_remaining": 1}
        ).status_code
        == 404
    )
    with unit_of_work(_factory(api)) as s:
        assert s.scalar(select(ApiClient.id).where(ApiClient.name == "受入先 A")) is not None


def test_prospects_from_wam_csv_skip_offices_already_listed(api: Api) -> None:
    from tests.conftest import shared_path

    data = shared_path("data", "wam_shogai_chiba_pref_202503.csv").read_bytes()
    url = "/api/v1/prospects/import?format=wam&municipality=千葉市中央区"
    files = {"file": ("wam.csv", data, "text/csv")}
    first = api.ok("coordinator", "POST", url, files=files)
    assert first["rows"] == first["created"] == 73 and first["errors"] == []
    again = api.ok("coordinator", "POST", url, files=files)
    assert (again["created"], again["already_listed"]) == (0, 73)
    listed = api.ok("coordinator", "GET", "/api/v1/prospects?stage=candidate")
    assert len(listed) == 73 and all(p["source"] == "wam" for p in listed)
    bad = api.call(
        "coordinator", "POST", url, files={"file": ("x.csv", b"\xff\xfe\x81" * 9, "text/csv")}
    )
    assert bad.status_code in (400, 415, 422), bad.text


def test_recheck_queue_lists_unconfirmed_entries_and_confirming_clears_them(api: Api) -> None:
    api.resource("RC1")
    queue = api.ok("catalog_maintainer", "GET", "/api/v1/catalog-recheck?months=6")
    assert [i["resource_id"] for i in queue] == ["RC1"] and queue[0]["assured_date"] is None
    done = api.ok("catalog_maintainer", "POST", "/api/v1/catalog-recheck/RC1/confirm")
    assert done["extra"]["assured_date"]
    assert api.ok("catalog_maintainer", "GET", "/api/v1/catalog-recheck") == []
