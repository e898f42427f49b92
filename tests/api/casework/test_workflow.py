"""One person from intake to closure through the JSON API, as case systems drive it."""

from __future__ import annotations

import io
import re

import openpyxl

from tests.api.casework.conftest import PLAN, PROFILE, TODAY, Api

FEE_DATES = ["2026-11-28", "2026-12-01"]


def test_one_person_from_intake_to_closure(api: Api) -> None:
    api.resource("R001", days=["tue", "thu"], categories=["farm"], capacity_remaining=2)
    api.resource("R002", days=["sun"], categories=["farm"], name="日曜だけの農園")

    # Intake (様式第1号): reception number is generated.
    person = api.person()
    pid = person["id"]
    assert re.fullmatch(r"2026-\d{4}", person["reception_number"])
    assert person["age"] == 36 and person["home_location_source"] == "ward"

    # Needs profile, versioned.
    assert (
        api.ok("coordinator", "PUT", f"/api/v1/people/{pid}/profile", json=PROFILE)["version"] == 1
    )
    profile = api.ok("coordinator", "PUT", f"/api/v1/people/{pid}/profile", json=PROFILE)
    assert profile["version"] == 2

    # Suggestions need consent to matching.
    response = api.call("coordinator", "POST", f"/api/v1/people/{pid}/suggestions")
    assert response.status_code == 409
    assert response.json()["error"] == "consent_required"
    api.ok(
        "coordinator",
        "POST",
        f"/api/v1/people/{pid}/consents",
        201,
        json={"scope": "matching", "given_on": TODAY, "method": "written"},
    )

    # Plan (様式第2号): draft → submitted → decided by a supervisor.
    plan = api.ok("coordinator", "POST", f"/api/v1/people/{pid}/plans", 201, json=PLAN)
    assert plan["round"] == 1 and plan["status"] == "draft"
    # The 重層的支援会議 hears the plan only with the person's multi-agency consent.
    api.ok(
        "coordinator",
        "POST",
        f"/api/v1/people/{pid}/consents",
        201,
        json={"scope": "multi_agency", "given_on": TODAY, "method": "written"},
    )
    api.ok("coordinator", "POST", f"/api/v1/plans/{plan['id']}/submit")
    forbidden = api.call(
        "coordinator", "POST", f"/api/v1/plans/{plan['id']}/decide", json={"decided_on": TODAY}
    )
    assert forbidden.status_code == 403
    decided = api.ok(
        "supervisor", "POST", f"/api/v1/plans/{plan['id']}/decide", json={"decided_on": TODAY}
    )
    assert decided["status"] == "decided"
    form = api.ok("coordinator", "GET", f"/api/v1/plans/{plan['id']}")
    assert form["name"] == "千葉 花子" and form["reception_number"] == person["reception_number"]
    assert form["actions"][0]["content"] == "農園の作業体験"

    # Suggestions: stored with profile and ranker versions; R002 breaks the days rule.
    run = api.ok("coordinator", "POST", f"/api/v1/people/{pid}/suggestions", params={"top_k": 5})
    assert run["profile_version"] == 2 and run["ranker_version"].startswith("tsunagu-match")
    ids = [s["resource_id"] for s in run["suggestions"]]
    assert ids == ["R001"]
    assert run["suggestions"][0]["reasons"] and run["suggestions"][0]["may_share_details"] is False
    why = api.ok("coordinator", "GET", f"/api/v1/people/{pid}/exclusions/R002")
    assert why["excluded"] is True and [r["rule"] for r in why["rules"]] == ["days"]
    assert "曜日" in why["rules"][0]["message_ja"]
    runs = api.ok("coordinator", "GET", f"/api/v1/people/{pid}/suggestion-runs")
    assert runs[0]["items"][0]["resource_id"] == "R001"

    # Sharing details with the receiver needs a consent naming it.
    summary = api.ok(
        "coordinator",
        "GET",
        f"/api/v1/people/{pid}/referral-summary",
        params={"resource_id": "R001"},
    )
    assert summary["anonymised"] is True and "name" not in summary["details"]
    api.ok(
        "coordinator",
        "POST",
        f"/api/v1/people/{pid}/consents",
        201,
        json={
            "scope": "share_with_receiver",
            "receiver_kind": "resource",
            "receiver_id": "R001",
            "given_on": TODAY,
            "method": "written",
        },
    )
    summary = api.ok(
        "coordinator",
        "GET",
        f"/api/v1/people/{pid}/referral-summary",
        params={"resource_id": "R001"},
    )
    assert summary["anonymised"] is False and summary["details"]["name"] == "千葉 花子"

    # Placement: proposed → visit (contacted skipped) → placed (takes a slot).
    placement = api.ok(
        "coordinator",
        "POST",
        "/api/v1/placements",
        201,
        json={"person_id": pid, "resource_id": "R001", "suggestion_run_id": run["run_id"],
              "occurred_on": TODAY},
    )  # fmt: skip
    plid = placement["id"]
    api.ok("coordinator", "POST", f"/api/v1/placements/{plid}/transitions",
           json={"to": "visit", "occurred_on": "2026-11-25"})  # fmt: skip
    placed = api.ok(
        "coordinator", "POST", f"/api/v1/placements/{plid}/transitions",
        json={"to": "placed", "occurred_on": "2026-11-28"},
    )  # fmt: skip
    assert placed["state"] == "placed" and placed["holds_slot"] is True
    detail = api.ok("coordinator", "GET", f"/api/v1/placements/{plid}")
    assert [t["to_state"] for t in detail["transitions"]] == ["proposed", "visit", "placed"]
    assert detail["transitions"][1]["skipped"] == ["contacted"]
    assert [t["occurred_on"] for t in detail["transitions"]] == [TODAY, "2026-11-25", "2026-11-28"]

    # Retention support log (定着支援).
    api.ok(
        "coordinator",
        "POST",
        f"/api/v1/placements/{plid}/retention-contacts",
        201,
        json={"contacted_on": "2026-12-02", "party": "receiver", "method": "phone",
              "discussed": "作業に慣れてきた"},
    )  # fmt: skip
    log = api.ok("coordinator", "GET", f"/api/v1/placements/{plid}/retention-contacts")
    assert log[0]["discussed"] == "作業に慣れてきた"

    # Evaluation sheet (様式第3号).
    sheet = api.ok(
        "coordinator",
        "POST",
        f"/api/v1/people/{pid}/evaluations",
        201,
        json={"evaluated_on": "2027-01-20", "plan_id": plan["id"],
              "changes": ["isolation_resolved"], "wish": "end", "staff_opinion": "安定"},
    )  # fmt: skip
    sheet_form = api.ok("coordinator", "GET", f"/api/v1/evaluations/{sheet['id']}")
    ticked = [line["label_ja"] for line in sheet_form["life"] if line["checked"]]
    assert ticked == ["孤立の解消"] and sheet_form["wish_label"]

    # Cooperation fees: a retried call with the same key returns the same entry.
    key = {"Idempotency-Key": "fee-2026-12-R001-0001"}
    body = {"activity_dates": FEE_DATES}
    first = api.call(
        "coordinator", "POST", f"/api/v1/placements/{plid}/fees", json=body, headers=key
    )
    again = api.call(
        "coordinator", "POST", f"/api/v1/placements/{plid}/fees", json=body, headers=key
    )
    assert (first.status_code, again.status_code) == (201, 200)
    fee = first.json()
    assert (
        again.json()["id"] == fee["id"] and fee["amount_yen"] == 2000 and fee["fiscal_year"] == 2026
    )
    other = api.call(
        "coordinator",
        "POST",
        f"/api/v1/placements/{plid}/fees",
        json={"activity_dates": ["2026-12-02"]},
        headers=key,
    )
    assert other.status_code == 409 and other.json()["error"] == "idempotency_conflict"
    assert len(api.ok("finance", "GET", "/api/v1/fees", params={"fiscal_year": 2026})) == 1

    api.ok("finance", "PUT", "/api/v1/budgets/2026", json={"budget_yen": 10_000})
    api.ok("finance", "POST", f"/api/v1/fees/{fee['id']}/approve")
    locked = api.call("coordinator", "PATCH", f"/api/v1/fees/{fee['id']}", json={"note": "x"})
    assert locked.status_code == 409 and locked.json()["error"] == "fee_locked"
    paid = api.ok(
        "finance", "POST", f"/api/v1/fees/{fee['id']}/pay", json={"paid_on": "2027-01-31"}
    )
    assert paid["state"] == "paid"
    budget = api.ok("finance", "GET", "/api/v1/budgets/2026")
    assert budget == {
        "fiscal_year": 2026, "budget_yen": 10_000, "committed_yen": 2000, "paid_yen": 2000,
        "draft_yen": 0, "remaining_yen": 8000,
    }  # fmt: skip
    totals = api.ok("finance", "GET", "/api/v1/reports/fee-totals", params={"group_by": "person"})
    assert totals == [
        {"key": str(pid), "draft_yen": 0, "approved_yen": 0, "paid_yen": 2000,
         "rejected_yen": 0, "committed_yen": 2000},
    ]  # fmt: skip
    report = api.ok("finance", "GET", "/api/v1/reports/fees", params={"fiscal_year": 2026})
    assert [r["id"] for r in report] == [fee["id"]]
    csv_export = api.call(
        "finance", "GET", "/api/v1/reports/fees", params={"fiscal_year": 2026, "format": "csv"}
    )
    assert csv_export.status_code == 200 and csv_export.headers["content-type"].startswith(
        "text/csv"
    )
    assert csv_export.content.startswith(b"\xef\xbb\xbf") and b"2000" in csv_export.content
    xlsx_export = api.call(
        "finance", "GET", "/api/v1/reports/fees", params={"fiscal_year": 2026, "format": "xlsx"}
    )
    sheet_rows = list(openpyxl.load_workbook(io.BytesIO(xlsx_export.content)).active.values)
    assert sheet_rows[0][0] == "fee_id" and sheet_rows[1][0] == fee["id"]

    # The placement ends (frees the slot), the case closes, follow-up starts.
    ended = api.ok(
        "coordinator",
        "POST",
        f"/api/v1/placements/{plid}/transitions",
        json={"to": "ended", "reason": "stable", "occurred_on": "2026-12-03"},
    )
    assert ended["holds_slot"] is False
    closed = api.ok(
        "coordinator",
        "POST",
        f"/api/v1/people/{pid}/closure",
        json={"closed_on": "2026-12-04", "reason": "stable", "follow_up_interval_days": 90},
    )
    assert closed["status"] == "closed" and closed["closure_reason"] == "stable"
    contact = api.ok(
        "coordinator",
        "POST",
        f"/api/v1/people/{pid}/follow-up/contacts",
        201,
        json={"contacted_on": "2026-12-05", "method": "phone"},
    )
    assert contact["person_id"] == pid
    assert isinstance(api.ok("coordinator", "GET", "/api/v1/due"), list)

    # Every read and write above is in the chain, and the chain verifies.
    rows = api.ok("auditor", "GET", "/api/v1/audit", params={"entity_type": "person"})
    actions = {r["action"] for r in rows if r["entity_id"] == str(pid)}
    assert {"person.create", "plan.decide", "suggestion.run", "person.close"} <= actions
    assert all("千葉" not in str(r["detail"]) for r in rows)
    assert api.ok("auditor", "POST", "/api/v1/audit/verify")["ok"] is True


def test_erasure_keeps_only_an_anonymised_tombstone(api: Api) -> None:
    person = api.started_person()
    pid = person["id"]
    erased = api.ok("supervisor", "DELETE", f"/api/v1/people/{pid}")
    assert erased == {"id": pid, "status": "deleted", "fiscal_year": 2026, "ward": "若葉区"}
    assert api.call("supervisor", "GET", f"/api/v1/people/{pid}").status_code == 404
    counts = api.ok("auditor", "GET", "/api/v1/reports/counts")
    assert counts["deleted_people"] >= 1


def test_the_last_slot_is_a_409_no_capacity(api: Api) -> None:
    api.resource("R001", capacity_remaining=1)
    first, second = api.started_person(), api.started_person()
    for p in (first, second):
        api.share_consent(p["id"], "R001")
    placements = [
        api.ok("coordinator", "POST", "/api/v1/placements", 201,
               json={"person_id": p["id"], "resource_id": "R001"})["id"]
        for p in (first, second)
    ]  # fmt: skip
    url = "/api/v1/placements/{}/transitions"
    api.ok("coordinator", "POST", url.format(placements[0]), json={"to": "placed"})
    response = api.call("coordinator", "POST", url.format(placements[1]), json={"to": "placed"})
    assert response.status_code == 409
    assert response.json()["error"] == "no_capacity"


def test_a_placement_needs_a_catalog_resource(api: Api) -> None:
    person = api.started_person()
    response = api.call(
        "coordinator",
        "POST",
        "/api/v1/placements",
        json={"person_id": person["id"], "resource_id": "NOPE"},
    )
    assert response.status_code == 404
    assert response.json()["error"] == "resource_not_found"


def test_exclusion_of_an_unknown_resource_is_404(api: Api) -> None:
    api.resource("R001")
    person = api.started_person()
    response = api.call("coordinator", "GET", f"/api/v1/people/{person['id']}/exclusions/NOPE")
    assert response.status_code == 404
    assert response.json()["error"] == "resource_not_found"


def test_a_reversal_is_idempotent_too(api: Api) -> None:
    api.resource("R001")
    person = api.started_person()
    api.share_consent(person["id"], "R001")
    plid = api.ok("coordinator", "POST", "/api/v1/placements", 201,
                  json={"person_id": person["id"], "resource_id": "R001",
                        "occurred_on": TODAY})["id"]  # fmt: skip
    api.ok("coordinator", "POST", f"/api/v1/placements/{plid}/transitions",
           json={"to": "trial", "occurred_on": TODAY})  # fmt: skip
    fee = api.ok(
        "coordinator", "POST", f"/api/v1/placements/{plid}/fees", 201,
        json={"activity_dates": ["2026-12-01"]}, headers={"Idempotency-Key": "k-000000001"},
    )  # fmt: skip
    api.ok("finance", "POST", f"/api/v1/fees/{fee['id']}/approve")
    key = {"Idempotency-Key": "rev-000000001"}
    url = f"/api/v1/fees/{fee['id']}/reverse"
    first = api.call("coordinator", "POST", url, json={"reason": "二重計上"}, headers=key)
    again = api.call("coordinator", "POST", url, json={"reason": "二重計上"}, headers=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["amount_yen"] == -1000 and again.json()["id"] == first.json()["id"]


def test_a_fee_without_an_idempotency_key_is_422(api: Api) -> None:
    response = api.call(
        "coordinator", "POST", "/api/v1/placements/1/fees", json={"activity_dates": ["2026-12-01"]}
    )
    assert response.status_code == 422
    assert response.json()["error"] == "validation_error"
