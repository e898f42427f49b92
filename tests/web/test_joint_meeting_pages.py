"""A 重層的支援会議 covering several cases through the pages: record, view, print, access."""

from __future__ import annotations

from datetime import date

from casework.models import Person
from casework.schemas import PlanIn
from casework.services import plans
from casework.services.accounts import principal_for_user
from tests.web.conftest import Web, intake


def test_one_meeting_for_two_cases_is_recorded_viewed_and_printed(web: Web) -> None:
    coordinator = web.add_user("coordinator")
    web.login(coordinator)
    who = principal_for_user(coordinator)
    cases = []
    for name, reading in (("千葉 花子", "ちば はなこ"), ("稲毛 次郎", "いなげ じろう")):
        pid = intake(web, name=name, furigana=reading)
        consented = web.post(
            f"/people/{pid}/consents/new",
            {"scope": "multi_agency", "given_on": "2026-01-01", "method": "written"},
        )
        assert consented.status_code == 303
        plan = plans.create_plan(
            web.db, who, pid, PlanIn(issues_text="課題", goal_text="目標"), today=date(2026, 11, 2)
        )
        person = web.db.get(Person, pid)
        assert person is not None
        cases.append((pid, person.reception_number, plan.id))
    web.db.flush()
    assert (
        'href="/multi-agency-meetings/new"'
        in web.client.get(f"/people/{cases[0][0]}/meetings").text
    )

    made = web.post(
        "/multi-agency-meetings/new",
        {"held_on": "2026-11-20", "attendees": "センター・あんしんケアセンター",
         "role_sharing": "訪問はセンター", "decisions": "2件とも支援開始",
         "cases.0.reception_number": cases[0][1], "cases.0.plan_id": str(cases[0][2]),
         "cases.0.decisions": "週1回の見守り",
         "cases.1.reception_number": cases[1][1], "cases.1.plan_id": str(cases[1][2]),
         "cases.1.decisions": "就労体験から"},
    )  # fmt: skip
    assert made.status_code == 303, made.text
    url = made.headers["location"]
    shown = web.client.get(url).text
    assert "週1回の見守り" in shown and "就労体験から" in shown and "訪問はセンター" in shown
    assert f'href="/plans/{cases[1][2]}"' in shown
    for pid, _number, _plan in cases:
        assert url in web.client.get(f"/people/{pid}/meetings").text
    printed = web.client.get(f"{url}/print").text
    assert "重層的支援会議 記録" in printed and cases[0][1] in printed and cases[1][1] in printed

    web.login(web.add_user("coordinator", team="team-b"))
    assert web.client.get(url).status_code == 403
    assert web.client.get(f"{url}/print").status_code == 403


def test_a_case_without_consent_is_refused_and_nothing_is_recorded(web: Web) -> None:
    web.login(web.add_user("coordinator"))
    pid = intake(web)
    person = web.db.get(Person, pid)
    assert person is not None
    refused = web.post(
        "/multi-agency-meetings/new",
        {"held_on": "2026-11-20", "cases.0.reception_number": person.reception_number},
    )
    assert refused.headers["location"] == "/multi-agency-meetings/new"
    page = web.client.get("/multi-agency-meetings/new").text
    assert f"受付番号 {person.reception_number}" in page and "重層的支援会議には諮れません" in page
    assert "記録を開く" not in web.client.get(f"/people/{pid}/meetings").text


def test_an_unknown_reception_number_is_named_and_nothing_is_recorded(web: Web) -> None:
    web.login(web.add_user("coordinator"))
    pid = intake(web)
    person = web.db.get(Person, pid)
    assert person is not None
    web.post(
        f"/people/{pid}/consents/new",
        {"scope": "multi_agency", "given_on": "2026-01-01", "method": "written"},
    )
    refused = web.post(
        "/multi-agency-meetings/new",
        {"held_on": "2026-11-20", "cases.0.reception_number": person.reception_number,
         "cases.1.reception_number": "R-0000-9999"},
    )  # fmt: skip
    assert refused.status_code == 303
    assert refused.headers["location"] == "/multi-agency-meetings/new"
    page = web.client.get("/multi-agency-meetings/new").text
    assert "受付番号 R-0000-9999 の本人が見つかりません" in page
    assert "記録を開く" not in web.client.get(f"/people/{pid}/meetings").text
