"""Done-when scenario of 包括的相談支援 through the JSON API, and its access rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from casework.services._common import today_in_japan
from consultation.services.agencies import DEMO_DIRECTORY
from tests.api.consultation.conftest import Staff

ADDRESS = "千葉市若葉区貝塚町1-1"


def _load_demo_directory(staff: Staff) -> None:
    files = {"file": ("agencies.csv", DEMO_DIRECTORY.read_bytes(), "text/csv")}
    report = staff.ok("catalog", "POST", "/api/v1/agencies/import", files=files)
    assert len(report["created"]) == 43


def _anonymous_phone_consultation(staff: Staff, received_on: str) -> dict[str, Any]:
    body = {
        "received_on": received_on,
        "channel": "phone",
        "from_whom": "family",
        "caller_note": "長女から。本人には内緒で相談したい",
        "ward": "若葉区",
        "age": 67,
        "chief_complaint": "父が退職後ずっと家にこもっている",
        "content": "父（67）が退職後に外出しなくなり、祖母（90）の介護も一人で抱えている。",
        "tags": ["elderly", "isolation", "8050"],
        "household": [
            {
                "relation": "母",
                "age": 90,
                "needs": "要介護2、デイサービス利用なし",
                "tags": ["elderly"],
            },
            {"relation": "長女", "age": 35, "needs": "仕事と介護の両立が難しい"},
        ],
        "info_given": "あんしんケアセンターの役割と介護保険の申請方法を説明",
        "outcome": "referral",
    }
    return dict(staff.ok("coord_a", "POST", "/api/v1/consultations", 201, json=body))


def _consent_to_share(staff: Staff, pid: int, method: str = "written") -> None:
    """The person's multi_agency consent, which a 本人の同意 referral basis is checked against."""
    staff.ok(
        "coord_a", "POST", f"/api/v1/people/{pid}/consents", 201,
        json={"scope": "multi_agency", "given_on": "2026-01-01", "method": method},
    )  # fmt: skip


def test_anonymous_consultation_to_person_notes_referral_and_timeline(staff: Staff) -> None:
    _load_demo_directory(staff)
    today = today_in_japan()
    week_ago = (today - timedelta(days=7)).isoformat()

    # An anonymous phone consultation: no name, no person.
    consultation = _anonymous_phone_consultation(staff, week_ago)
    cid = consultation["id"]
    assert consultation["anonymous"] is True and consultation["name"] is None
    assert [m["relation"] for m in consultation["household"]] == ["母", "長女"]

    # A week later the person comes forward: a new person is made from the consultation.
    linked = staff.ok(
        "coord_a",
        "POST",
        f"/api/v1/consultations/{cid}/link",
        json={"new_person": {"name": "若葉 一郎", "born_on": "1959-06-01", "address": ADDRESS}},
    )
    pid = linked["person_id"]
    assert pid is not None and linked["anonymous"] is False
    unchanged = {"person_id", "anonymous", "linked_at", "updated_at"}
    assert {k: v for k, v in linked.items() if k not in unchanged} == {
        k: v for k, v in consultation.items() if k not in unchanged
    }
    person = staff.ok("coord_a", "GET", f"/api/v1/people/{pid}")
    assert person["ward"] == "若葉区" and person["address"] == ADDRESS
    assert person["received_on"] == week_ago
    assert person["referral_source"] == "包括的相談（電話）"
    listed = staff.ok("coord_a", "GET", f"/api/v1/consultations?person_id={pid}")
    assert [c["id"] for c in listed] == [cid]

    # Two progress notes (支援経過), after the link.
    first_at = datetime.now(UTC)
    for n, (kind, content) in enumerate(
        [("phone", "本人と電話。来週の訪問を約束"), ("visit", "自宅訪問。祖母の介護状況を確認")]
    ):
        staff.ok(
            "coord_a",
            "POST",
            f"/api/v1/people/{pid}/progress-notes",
            201,
            json={
                "kind": kind,
                "occurred_at": (first_at + timedelta(milliseconds=n)).isoformat(),
                "involved": "本人・長女",
                "content": content,
                "next_action": "あんしんケアセンターへつなぐ",
                "next_action_on": today.isoformat(),
            },
        )

    # The あんしんケアセンター covering 貝塚町 fits a person of 67; the reason names the town.
    fits = staff.ok(
        "coord_a", "POST", "/api/v1/agencies/fit",
        json={"address": ADDRESS, "age": 67, "tags": ["elderly", "isolation"]},
    )  # fmt: skip
    care = [f for f in fits if f["agency"]["kind"] == "anshin_care"]
    assert len(care) == 1 and "貝塚町" in care[0]["agency"]["towns"]
    assert "貝塚町" in care[0]["reason"] and "65歳以上" in care[0]["reason"]

    refused = staff.call(
        "coord_a", "POST", "/api/v1/referrals",
        json={"agency_id": care[0]["agency"]["id"], "consultation_id": cid,
              "consent_basis": "consent_verbal"},
    )  # fmt: skip
    assert refused.status_code == 409 and refused.json()["error"] == "consent_required"
    assert "多機関協働事業での情報共有" in refused.json()["detail"]
    _consent_to_share(staff, pid, method="verbal")
    referral = staff.ok(
        "coord_a",
        "POST",
        "/api/v1/referrals",
        201,
        json={
            "agency_id": care[0]["agency"]["id"],
            "consultation_id": cid,
            "request": "介護保険の申請支援と祖母の状況確認をお願いしたい",
            "consent_basis": "consent_verbal",
        },
    )
    rid = referral["id"]
    assert referral["person_id"] == pid and referral["status_label"] == "依頼済"
    assert referral["reply_due_on"] == (today + timedelta(days=14)).isoformat()
    for to in ("accepted", "completed"):
        referral = staff.ok(
            "coord_a", "POST", f"/api/v1/referrals/{rid}/transitions", json={"to": to}
        )
    assert referral["status"] == "completed" and referral["closed_on"] == today.isoformat()
    assert [(e["from_status"], e["to_status"]) for e in referral["events"]] == [
        (None, "requested"),
        ("requested", "accepted"),
        ("accepted", "completed"),
    ]
    refused = staff.call(
        "coord_a", "POST", f"/api/v1/referrals/{rid}/transitions", json={"to": "accepted"}
    )
    assert refused.status_code == 409

    timeline = staff.ok("coord_a", "GET", f"/api/v1/people/{pid}/timeline")
    assert [e["kind"] for e in timeline] == [
        "consultation", "link", "phone", "visit", "referral", "referral", "referral",
    ]  # fmt: skip
    assert [e["label"].split(": ")[-1] for e in timeline[-3:]] == ["依頼済", "受理", "完了"]
    times = [e["at"] for e in timeline]
    assert times == sorted(times)
    only_visits = staff.ok("coord_a", "GET", f"/api/v1/people/{pid}/timeline?kind=visit")
    assert [e["kind"] for e in only_visits] == ["visit"]


def test_another_teams_coordinator_is_refused_and_reads_are_audited(staff: Staff) -> None:
    _load_demo_directory(staff)
    consultation = _anonymous_phone_consultation(staff, today_in_japan().isoformat())
    cid = consultation["id"]
    linked = staff.ok(
        "coord_a", "POST", f"/api/v1/consultations/{cid}/link",
        json={"new_person": {"name": "若葉 一郎", "address": ADDRESS}},
    )  # fmt: skip
    pid = linked["person_id"]
    note = staff.ok(
        "coord_a", "POST", f"/api/v1/people/{pid}/progress-notes", 201,
        json={"kind": "interview", "occurred_at": "2026-11-20T10:00:00+09:00", "content": "面談"},
    )  # fmt: skip
    agency = staff.ok("coord_a", "GET", "/api/v1/agencies?kind=anshin_care")[0]
    _consent_to_share(staff, pid)
    referral = staff.ok(
        "coord_a", "POST", "/api/v1/referrals", 201,
        json={"agency_id": agency["id"], "person_id": pid, "consent_basis": "consent_written"},
    )  # fmt: skip

    for method, url in [
        ("GET", f"/api/v1/consultations/{cid}"),
        ("PATCH", f"/api/v1/consultations/{cid}"),
        ("GET", f"/api/v1/people/{pid}/progress-notes"),
        ("GET", f"/api/v1/progress-notes/{note['id']}/versions"),
        ("GET", f"/api/v1/people/{pid}/timeline"),
        ("GET", f"/api/v1/referrals/{referral['id']}"),
        ("POST", f"/api/v1/referrals/{referral['id']}/transitions"),
    ]:
        body = {"to": "accepted"} if "transitions" in url else {}
        response = staff.call(
            "coord_b", method, url, json=body if method in ("POST", "PATCH") else None
        )
        assert response.status_code == 403, (method, url, response.text)
        assert response.json()["error"] == "forbidden"
    assert staff.ok("coord_b", "GET", "/api/v1/consultations") == []
    assert staff.ok("coord_b", "GET", "/api/v1/referrals") == []
    # The same team's supervisor may read.
    staff.ok("super_a", "GET", f"/api/v1/consultations/{cid}")

    # Every read of the team-a coordinator is in the audit log, without personal fields.
    staff.ok("coord_a", "GET", f"/api/v1/consultations/{cid}")
    staff.ok("coord_a", "GET", f"/api/v1/people/{pid}/progress-notes")
    staff.ok("coord_a", "GET", f"/api/v1/referrals/{referral['id']}")
    rows = staff.ok("auditor", "GET", "/api/v1/audit?limit=200")
    actor = staff.principals["coord_a"].ref
    mine = {(r["action"], r["entity_type"], r["entity_id"]) for r in rows if r["actor"] == actor}
    assert ("consultation.read", "consultation", str(cid)) in mine
    assert ("progress_note.list", "person", str(pid)) in mine
    assert ("referral.read", "referral", str(referral["id"])) in mine
    dumped = str(rows)
    for secret in ("父が退職後", "若葉 一郎", "貝塚町", "面談"):
        assert secret not in dumped


def test_tags_are_checked_against_the_tag_table(staff: Staff) -> None:
    response = staff.call(
        "coord_a", "POST", "/api/v1/consultations",
        json={"channel": "visit", "from_whom": "self", "tags": ["elderly", "astrology"]},
    )  # fmt: skip
    assert response.status_code == 422
    assert "astrology" in response.text and response.json()["detail"][0]["loc"][-1] == "tags"


def test_a_correction_keeps_the_old_version(staff: Staff) -> None:
    pid = staff.ok("coord_a", "POST", "/api/v1/people", 201, json={"name": "千葉 花子"})["id"]
    note = staff.ok(
        "coord_a", "POST", f"/api/v1/people/{pid}/progress-notes", 201,
        json={"kind": "phone", "occurred_at": "2026-11-20T10:00:00+09:00", "content": "電話で確認"},
    )  # fmt: skip
    fixed = staff.ok(
        "coord_a", "POST", f"/api/v1/progress-notes/{note['id']}/corrections", 201,
        json={"kind": "visit", "occurred_at": "2026-11-20T10:00:00+09:00",
              "content": "自宅を訪問して確認", "correction_reason": "訪問の記録を電話と誤記"},
    )  # fmt: skip
    assert fixed["version"] == 2 and fixed["series_id"] == note["id"]
    assert note["occurred_at"] == "2026-11-20T01:00:00Z"  # stored and answered in UTC
    current = staff.ok("coord_a", "GET", f"/api/v1/people/{pid}/progress-notes")
    assert [(n["id"], n["content"]) for n in current] == [(fixed["id"], "自宅を訪問して確認")]
    versions = staff.ok("coord_a", "GET", f"/api/v1/progress-notes/{fixed['id']}/versions")
    assert [(v["version"], v["content"], v["current"]) for v in versions] == [
        (1, "電話で確認", False),
        (2, "自宅を訪問して確認", True),
    ]
    again = staff.call(
        "coord_a", "POST", f"/api/v1/progress-notes/{note['id']}/corrections",
        json={"kind": "visit", "occurred_at": "2026-11-20T10:00:00+09:00", "content": "x",
              "correction_reason": "y"},
    )  # fmt: skip
    assert again.status_code == 409
    naive = staff.call(
        "coord_a", "POST", f"/api/v1/people/{pid}/progress-notes",
        json={"kind": "phone", "occurred_at": "2026-11-20T10:00:00", "content": "zone?"},
    )  # fmt: skip
    assert naive.status_code == 422


def test_plan_submit_needs_multi_agency_consent_and_names_the_support_meeting(
    staff: Staff,
) -> None:
    pid = staff.ok("coord_a", "POST", "/api/v1/people", 201, json={"name": "千葉 花子"})["id"]
    plan = staff.ok(
        "coord_a", "POST", f"/api/v1/people/{pid}/plans", 201,
        json={"issues_text": "外出の機会がない", "goal_text": "週1回外に出る"},
    )  # fmt: skip
    refused = staff.call("coord_a", "POST", f"/api/v1/plans/{plan['id']}/submit")
    assert refused.status_code == 409
    assert refused.json()["error"] == "consent_required"
    assert "支援会議" in refused.json()["detail"]
    meeting = staff.call(
        "coord_a", "POST", f"/api/v1/people/{pid}/multi-agency-meetings",
        json={"held_on": today_in_japan().isoformat(), "plan_id": plan["id"]},
    )  # fmt: skip
    assert meeting.status_code == 409

    staff.ok(
        "coord_a", "POST", f"/api/v1/people/{pid}/consents", 201,
        json={"scope": "multi_agency", "given_on": today_in_japan().isoformat(),
              "method": "written"},
    )  # fmt: skip
    submitted = staff.ok("coord_a", "POST", f"/api/v1/plans/{plan['id']}/submit")
    assert submitted["status"] == "submitted"
    staff.ok(
        "coord_a", "POST", f"/api/v1/people/{pid}/multi-agency-meetings", 201,
        json={"held_on": today_in_japan().isoformat(), "plan_id": plan["id"],
              "attendees": "センター・あんしんケアセンター", "role_sharing": "訪問はセンター"},
    )  # fmt: skip
    listed = staff.ok("coord_a", "GET", f"/api/v1/people/{pid}/multi-agency-meetings")
    assert [m["role_sharing"] for m in listed] == ["訪問はセンター"]


def test_erasure_on_request_clears_the_consultation_records(staff: Staff) -> None:
    _load_demo_directory(staff)
    consultation = _anonymous_phone_consultation(staff, today_in_japan().isoformat())
    cid = consultation["id"]
    pid = staff.ok(
        "coord_a", "POST", f"/api/v1/consultations/{cid}/link",
        json={"new_person": {"name": "若葉 一郎", "address": ADDRESS}},
    )["person_id"]  # fmt: skip
    staff.ok(
        "coord_a", "POST", f"/api/v1/people/{pid}/progress-notes", 201,
        json={"kind": "interview", "occurred_at": "2026-11-20T10:00:00+09:00", "content": "面談"},
    )  # fmt: skip
    agency = staff.ok("coord_a", "GET", "/api/v1/agencies?kind=anshin_care")[0]
    _consent_to_share(staff, pid)
    rid = staff.ok(
        "coord_a", "POST", "/api/v1/referrals", 201,
        json={"agency_id": agency["id"], "person_id": pid, "consent_basis": "consent_written",
              "request": "訪問をお願いしたい"},
    )["id"]  # fmt: skip
    plan = staff.ok("super_a", "POST", f"/api/v1/people/{pid}/plans", 201, json={})
    staff.ok(
        "super_a", "POST", f"/api/v1/people/{pid}/multi-agency-meetings", 201,
        json={"held_on": "2026-11-20", "plan_id": plan["id"], "decisions": "訪問を継続"},
    )  # fmt: skip

    staff.ok("super_a", "DELETE", f"/api/v1/people/{pid}")

    kept = staff.ok("super_a", "GET", f"/api/v1/consultations/{cid}")
    assert (kept["channel"], kept["tags"], kept["outcome"]) == (
        "phone", ["elderly", "isolation", "8050"], "referral",
    )  # fmt: skip
    assert kept["content"] is None and kept["chief_complaint"] is None
    assert kept["caller_note"] is None and kept["household"] == []
    # The erased person's referral answers 404 like their other records; the row keeps only
    # the agency and the status for counts.
    assert staff.call("super_a", "GET", f"/api/v1/referrals/{rid}").status_code == 404
    from consultation import repository as consultation_repo
    from storage.engine import unit_of_work

    with unit_of_work(staff.session_factory()) as session:
        row = consultation_repo.get_referral(session, rid)
        assert row is not None and row.request is None and row.status == "requested"
        assert consultation_repo.notes_of(session, pid, current_only=False) == []
        assert consultation_repo.multi_agency_meetings(session, pid) == []


def test_intake_form_from_a_consultation_records_fillers_and_declined_items(
    staff: Staff,
) -> None:
    consultation = _anonymous_phone_consultation(staff, "2026-11-20")
    cid = consultation["id"]
    sheet = staff.ok(
        "coord_a", "POST", f"/api/v1/consultations/{cid}/intake-form", 201,
        json={"new_person": {"name": "若葉 一郎", "phone": "090-0000-0000",
                             "family_notes": "母と二人暮らし"},
              "filled_by": {"basic": "self", "contact": "proxy", "situation": "interview"},
              "declined_items": ["phone"]},
    )  # fmt: skip
    parts = {p["code"]: p for p in sheet["parts"]}
    assert parts["basic"]["filled_by_label"] == "本人記入"
    assert parts["contact"]["filled_by_label"] == "代行記入"
    assert parts["referral"]["filled_by"] is None
    items = {i["code"]: i for p in sheet["parts"] for i in p["items"]}
    assert items["name"]["value"] == "若葉 一郎"
    assert items["phone"] == {"code": "phone", "label": "電話番号", "value": None, "declined": True}
    assert items["received_on"]["value"] == "2026-11-20"  # taken over from the consultation
    pid = sheet["person_id"]
    assert staff.ok("coord_a", "GET", f"/api/v1/people/{pid}/intake-form") == sheet
    again = staff.call(
        "coord_a", "POST", f"/api/v1/consultations/{cid}/intake-form", json={"filled_by": {}}
    )
    assert again.status_code == 422
    unknown = staff.call(
        "coord_a", "POST", f"/api/v1/consultations/{cid}/intake-form",
        json={"filled_by": {"horoscope": "self"}},
    )  # fmt: skip
    assert unknown.status_code == 422 and "horoscope" in unknown.text
