"""A 重層的支援会議 record covering several cases: consent and access checked per case."""

from __future__ import annotations

from typing import Any

from casework.services._common import today_in_japan
from tests.api.consultation.conftest import Staff


def _case(staff: Staff, who: str, name: str, *, consent: bool = True) -> tuple[int, int]:
    pid = staff.ok(who, "POST", "/api/v1/people", 201, json={"name": name})["id"]
    plan = staff.ok(
        who, "POST", f"/api/v1/people/{pid}/plans", 201,
        json={"issues_text": "課題", "goal_text": "目標"},
    )["id"]  # fmt: skip
    if consent:
        staff.ok(
            who, "POST", f"/api/v1/people/{pid}/consents", 201,
            json={"scope": "multi_agency", "given_on": "2026-01-01", "method": "written"},
        )  # fmt: skip
    return pid, plan


def _body(*cases: tuple[int, int]) -> dict[str, Any]:
    return {
        "held_on": today_in_japan().isoformat(),
        "attendees": "センター・あんしんケアセンター・民生委員",
        "role_sharing": "訪問はセンター、介護申請はあんしんケアセンター",
        "decisions": "2件とも支援開始",
        "cases": [
            {"person_id": pid, "plan_id": plan, "decisions": f"プラン{plan}を決定"}
            for pid, plan in cases
        ],
    }


def test_one_meeting_covers_several_cases_and_each_persons_list_shows_it(staff: Staff) -> None:
    first, second = _case(staff, "coord_a", "千葉 一郎"), _case(staff, "coord_a", "千葉 二郎")
    made = staff.ok("coord_a", "POST", "/api/v1/multi-agency-meetings", 201,
                    json=_body(first, second))  # fmt: skip
    assert [(c["person_id"], c["plan_id"]) for c in made["cases"]] == [first, second]
    assert made["person_id"] == first[0] and made["role_sharing"].startswith("訪問はセンター")
    for pid, _plan in (first, second):
        listed = staff.ok("coord_a", "GET", f"/api/v1/people/{pid}/multi-agency-meetings")
        assert [m["id"] for m in listed] == [made["id"]]
    read = staff.ok("coord_a", "GET", f"/api/v1/multi-agency-meetings/{made['id']}")
    assert [c["decisions"] for c in read["cases"]] == [
        f"プラン{first[1]}を決定",
        f"プラン{second[1]}を決定",
    ]
    rows = staff.ok("auditor", "GET", "/api/v1/audit?limit=200")
    reads = {r["entity_id"] for r in rows if r["action"] == "multi_agency_meeting.read"}
    assert reads == {str(first[0]), str(second[0])}
    assert "訪問はセンター" not in str(rows)


def test_each_case_is_checked_for_consent_plan_and_access(staff: Staff) -> None:
    ok = _case(staff, "coord_a", "千葉 一郎")
    no_consent = _case(staff, "coord_a", "千葉 三郎", consent=False)
    refused = staff.call("coord_a", "POST", "/api/v1/multi-agency-meetings",
                         json=_body(ok, no_consent))  # fmt: skip
    assert refused.status_code == 409 and "支援会議" in refused.json()["detail"]
    assert staff.ok("coord_a", "GET", f"/api/v1/people/{ok[0]}/multi-agency-meetings") == []

    wrong_plan = staff.call("coord_a", "POST", "/api/v1/multi-agency-meetings",
                            json=_body(ok, (no_consent[0], ok[1])))  # fmt: skip
    assert wrong_plan.status_code in (400, 409, 422)
    twice = staff.call("coord_a", "POST", "/api/v1/multi-agency-meetings", json=_body(ok, ok))
    assert twice.status_code == 422

    other_team = _case(staff, "coord_b", "幕張 花子")
    across = staff.call("coord_a", "POST", "/api/v1/multi-agency-meetings",
                        json=_body(ok, other_team))  # fmt: skip
    assert across.status_code == 403

    # A record covering a team-b case can be read only by someone allowed to read every case.
    consent = {"scope": "multi_agency", "given_on": "2026-01-01", "method": "written"}
    staff.ok("coord_b", "POST", f"/api/v1/people/{other_team[0]}/consents", 201, json=consent)
    mine = staff.ok("coord_a", "POST", "/api/v1/multi-agency-meetings", 201, json=_body(ok))
    theirs = staff.ok("coord_b", "POST", "/api/v1/multi-agency-meetings", 201,
                      json=_body(other_team))  # fmt: skip
    assert (
        staff.call("coord_b", "GET", f"/api/v1/multi-agency-meetings/{mine['id']}").status_code
        == 403
    )
    assert (
        staff.call("coord_a", "GET", f"/api/v1/multi-agency-meetings/{theirs['id']}").status_code
        == 403
    )
    assert staff.call("coord_a", "GET", "/api/v1/multi-agency-meetings/999999").status_code == 404


def test_erasing_one_case_keeps_the_meeting_for_the_others(staff: Staff) -> None:
    first, second = _case(staff, "coord_a", "千葉 一郎"), _case(staff, "coord_a", "千葉 二郎")
    made = staff.ok("coord_a", "POST", "/api/v1/multi-agency-meetings", 201,
                    json=_body(first, second))  # fmt: skip
    staff.ok("super_a", "DELETE", f"/api/v1/people/{first[0]}")
    kept = staff.ok("coord_a", "GET", f"/api/v1/multi-agency-meetings/{made['id']}")
    assert [c["person_id"] for c in kept["cases"]] == [second[0]]
    assert (kept["person_id"], kept["plan_id"]) == second
    staff.ok("super_a", "DELETE", f"/api/v1/people/{second[0]}")
    gone = staff.call("coord_a", "GET", f"/api/v1/multi-agency-meetings/{made['id']}")
    assert gone.status_code == 404
