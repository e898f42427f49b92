"""包括的相談 through the pages: anonymous phone consultation → person a week later →
two progress notes → つなぎ to the あんしんケアセンター of the town → timeline in order."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from casework.permissions import Principal
from casework.services._common import today_in_japan
from consultation import repository as consultation_repo
from consultation.reference import JST
from consultation.services import agencies
from tests.web.conftest import Web

SYSTEM = Principal(kind="system", id=0, client="pytest")


def _location_id(response: object, prefix: str) -> int:
    location = response.headers["location"]  # type: ignore[attr-defined]
    found = re.match(rf"{prefix}(\d+)", location)
    assert found, location
    return int(found.group(1))


def test_consultation_to_timeline_through_the_pages(web: Web) -> None:
    agencies.load_demo_directory(web.db, SYSTEM)
    web.db.flush()
    coordinator = web.add_user("coordinator")
    web.login(coordinator)
    today = today_in_japan()

    created = web.post(
        "/consultations/new",
        {
            "received_on": (today - timedelta(days=7)).isoformat(),
            "channel": "phone",
            "from_whom": "family",
            "age": "72",
            "ward": "若葉区",
            "town": "貝塚町",
            "chief_complaint": "父が外出しなくなった",
            "content": "退職後、家にこもりがち。",
            "tags": ["elderly", "isolation"],
            "household.0.relation": "長女",
            "household.0.age": "40",
            "household.0.needs": "介護と仕事の両立",
            "outcome": "referral",
        },
    )
    assert created.status_code == 303, created.text
    cid = _location_id(created, "/consultations/")
    page = web.client.get(f"/consultations/{cid}").text
    assert "匿名の相談" in page and "長女" in page
    assert "お住まいの貝塚町を担当する" in page  # the fitting あんしんケアセンター and why

    linked = web.post(f"/consultations/{cid}/link", {"name": "若葉 一郎", "born_on": "1954-03-01"})
    assert linked.status_code == 303
    pid = _location_id(linked, "/people/")
    assert web.client.get(f"/consultations/{cid}").text.count("父が外出しなくなった") == 1

    now = datetime.now(JST).replace(second=0, microsecond=0, tzinfo=None)
    for minutes, kind, content in ((1, "phone", "本人と電話"), (2, "visit", "自宅を訪問")):
        posted = web.post(
            f"/people/{pid}/progress-notes",
            {"kind": kind, "occurred_at": (now + timedelta(minutes=minutes)).isoformat(),
             "content": content, "involved": "本人"},
        )  # fmt: skip
        assert posted.status_code == 303

    covering = next(
        a for a in consultation_repo.list_agencies(web.db, kind="anshin_care")
        if "貝塚町" in a.towns
    )  # fmt: skip
    later = (today + timedelta(days=2)).isoformat()
    back = f"/people/{pid}/timeline"
    sent = web.post(
        "/referrals/new",
        {"next": back, "person_id": str(pid), "agency_id": str(covering.id),
         "consent_basis": "consent_verbal", "request": "介護保険の申請支援",
         "requested_on": later},
    )  # fmt: skip
    assert sent.headers["location"] == back
    assert consultation_repo.list_referrals(web.db, scope=None, person_id=pid) == []
    refused = web.client.get(back).text  # the flash names the missing consent and the paths
    assert "多機関協働事業での情報共有" in refused and "支援会議（守秘義務）" in refused
    consented = web.post(
        f"/people/{pid}/consents/new",
        {"scope": "multi_agency", "given_on": today.isoformat(), "method": "verbal"},
    )
    assert consented.status_code == 303, consented.text
    sent = web.post(
        "/referrals/new",
        {"next": back, "person_id": str(pid), "agency_id": str(covering.id),
         "consent_basis": "consent_verbal", "request": "介護保険の申請支援",
         "requested_on": later},
    )  # fmt: skip
    assert sent.headers["location"] == back
    referral = consultation_repo.list_referrals(web.db, scope=None, person_id=pid)[0]
    for to in ("accepted", "completed"):
        moved = web.post(
            f"/referrals/{referral.id}/transition", {"to": to, "on": later, "next": back}
        )
        assert moved.status_code == 303

    timeline = web.client.get(back).text
    order = [
        "相談受付（電話）", "相談を本人に紐づけ", "本人と電話", "自宅を訪問",
        f"つなぎ {covering.name}: 依頼済", f"つなぎ {covering.name}: 受理",
        f"つなぎ {covering.name}: 完了",
    ]  # fmt: skip
    positions = [timeline.index(label) for label in order]
    assert positions == sorted(positions)
    filtered = web.client.get(f"{back}?kind=visit").text
    assert "自宅を訪問" in filtered and "本人と電話" not in filtered.split('aria-label="経過"')[1]

    # The same timeline is embedded on the person's page, in order and filterable by kind.
    detail = web.client.get(f"/people/{pid}").text
    embedded = detail.split('id="timeline"')[1]
    positions = [embedded.index(label) for label in order]
    assert positions == sorted(positions)
    assert f'href="/people/{pid}/timeline"' in embedded
    assert f'href="/people/{pid}/progress-notes/print"' in embedded
    visits = web.client.get(f"/people/{pid}?kind=visit").text.split('id="timeline"')[1]
    assert "自宅を訪問" in visits and "本人と電話" not in visits
    assert "つなぎ" not in visits.split('aria-label="経過"')[1]

    printed = web.client.get(f"/people/{pid}/progress-notes/print")
    assert printed.status_code == 200 and "支援経過記録" in printed.text
    assert f"{(now + timedelta(minutes=1)).hour:02d}:{(now + timedelta(minutes=1)).minute:02d}" in (
        printed.text
    )


def test_a_correction_keeps_the_first_version_visible(web: Web) -> None:
    coordinator = web.add_user("coordinator")
    web.login(coordinator)
    from tests.web.conftest import intake

    pid = intake(web)
    web.post(
        f"/people/{pid}/progress-notes",
        {"kind": "phone", "occurred_at": "2026-11-20T10:00", "content": "最初の記録"},
    )
    note = web.client.get(f"/people/{pid}/timeline").text
    note_id = int(re.search(r'href="/progress-notes/(\d+)"', note).group(1))  # type: ignore[union-attr]
    fixed = web.post(
        f"/progress-notes/{note_id}/correct",
        {"kind": "visit", "occurred_at": "2026-11-20T10:00", "content": "訂正後の記録",
         "correction_reason": "種類の誤り"},
    )  # fmt: skip
    history = web.client.get(fixed.headers["location"]).text
    assert "最初の記録" in history and "訂正後の記録" in history and "種類の誤り" in history
    assert "2026年11月20日 10:00" in history  # JST wall time as entered


def test_another_teams_coordinator_gets_403_pages(web: Web) -> None:
    web.login(web.add_user("coordinator", team="team-a"))
    created = web.post("/consultations/new", {"channel": "visit", "from_whom": "self",
                                              "received_on": "2026-11-20"})  # fmt: skip
    cid = _location_id(created, "/consultations/")
    web.login(web.add_user("coordinator", team="team-b"))
    assert web.client.get(f"/consultations/{cid}").status_code == 403


def test_meetings_page_offers_the_support_meeting_without_consent(web: Web) -> None:
    web.login(web.add_user("coordinator"))
    from tests.web.conftest import intake

    pid = intake(web)
    page = web.client.get(f"/people/{pid}/meetings").text
    assert "支援会議（構成員に守秘義務）を活用" in page
    refused = web.post(f"/people/{pid}/meetings/multi-agency", {"held_on": "2026-11-20"})
    assert "重層的支援会議には諮れません" in web.client.get(refused.headers["location"]).text
    saved = web.post(
        f"/people/{pid}/meetings/support",
        {"held_on": "2026-11-20", "members": "センター・民生委員", "summary": "見守りを分担",
         "confidentiality": "1"},
    )  # fmt: skip
    assert saved.status_code == 303
    printed = web.client.get(f"/people/{pid}/meetings/print").text
    assert "見守りを分担" in printed and "民生委員" in printed


def test_intake_form_blank_and_filled_prints(web: Web) -> None:
    web.login(web.add_user("coordinator"))
    blank = web.client.get("/intake-form/blank")
    assert blank.status_code == 200 and "(様式第1号)" in blank.text and "本人記入" in blank.text
    created = web.post("/consultations/new", {"channel": "visit", "from_whom": "self",
                                              "received_on": "2026-11-20"})  # fmt: skip
    cid = _location_id(created, "/consultations/")
    web.post(f"/consultations/{cid}/link", {"name": "稲毛 花子"})
    made = web.post(
        f"/consultations/{cid}/intake-form",
        {"filled_by.basic": "self", "filled_by.contact": "interview", "declined": ["email"]},
    )
    filled = web.client.get(made.headers["location"]).text
    assert "稲毛 花子" in filled and "（回答しない）" in filled and "☑" in filled


def test_dashboard_lists_overdue_referrals_and_plans_awaiting_a_decision(web: Web) -> None:
    from datetime import date

    from casework.schemas import ConsentIn, PlanIn
    from casework.services import consent, plans
    from casework.services.accounts import principal_for_user
    from consultation.schemas import AgencyIn, ReferralIn
    from consultation.services import referrals

    coordinator = web.add_user("coordinator")
    web.login(coordinator)
    from tests.web.conftest import intake

    pid = intake(web)
    who = principal_for_user(coordinator)
    agency, _ = agencies.upsert_agency(
        web.db, SYSTEM, AgencyIn(code="LS-1", kind="livelihood", name="生活自立・仕事相談センターX")
    )
    consent.record_consent(
        web.db,
        who,
        pid,
        ConsentIn(scope="multi_agency", given_on=date(2026, 9, 1), method="written"),
    )
    referrals.create_referral(
        web.db, who,
        ReferralIn(agency_id=agency.id, person_id=pid, consent_basis="consent_written",
                   requested_on=date(2026, 10, 1), reply_due_on=date(2026, 10, 15)),
    )  # fmt: skip
    plan = plans.create_plan(
        web.db, who, pid, PlanIn(issues_text="課題", goal_text="目標"), today=date(2026, 11, 2)
    )
    plans.submit_plan(web.db, who, plan.id, on=date(2026, 11, 2))
    web.db.flush()
    page = web.client.get("/dashboard").text
    assert "返事の期限を過ぎたつなぎ" in page and "生活自立・仕事相談センターX" in page
    web.login(web.add_user("supervisor"))
    page = web.client.get("/dashboard").text
    assert "決定待ちのプラン" in page and f'href="/plans/{plan.id}"' in page


def test_a_plan_without_consent_is_refused_and_the_support_meeting_is_offered(web: Web) -> None:
    web.login(web.add_user("coordinator"))
    from tests.web.conftest import intake

    pid = intake(web)
    plan_path = web.post(f"/people/{pid}/plans/new", {}).headers["location"]
    saved = web.post(
        plan_path,
        {"issues_text": "外出の機会がない", "goal_text": "週1回外に出る", "then": "submit"},
    )
    page = web.client.get(saved.headers["location"]).text
    assert (
        "重層的支援会議には諮れません" in page and "支援会議（構成員に守秘義務のある会議）" in page
    )
    assert f'href="/people/{pid}/meetings"' in page
