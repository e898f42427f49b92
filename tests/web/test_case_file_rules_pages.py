"""The pages show the case file's refusals in Japanese, and stage days in the history."""

from __future__ import annotations

import re
from datetime import date

from casework.models import StaffUser
from casework.schemas import PersonIn, PlacementIn, PlanIn
from casework.services import people, placements, plans
from casework.services.accounts import principal_for_user
from tests.web.conftest import Web, intake

PROPOSED_ON = date(2026, 11, 12)


def _proposal(web: Web, user: StaffUser, resource_id: str = "R001") -> tuple[int, int]:
    """A person whose support started, with a proposal of ``resource_id``: (person, placement)."""
    who = principal_for_user(user)
    person = people.create_person(
        web.db, who, PersonIn(name="千葉 花子", ward="稲毛区"), today=date(2026, 11, 2)
    )
    plan = plans.create_plan(web.db, who, person.id, PlanIn(issues_text="i", goal_text="g"))
    plans.start_early(web.db, who, plan.id, started_on=date(2026, 11, 5), reason="早期")
    placement = placements.propose_placement(
        web.db, who, person.id, PlacementIn(resource_id=resource_id, occurred_on=PROPOSED_ON)
    )
    web.db.flush()
    return person.id, placement.id


def test_the_consent_form_chooses_the_receiver_by_name(web: Web) -> None:
    web.add_resources("R001", name="貝塚の畑", organization="NPO法人 みどり")
    web.login(web.add_user("coordinator"))
    person_id = intake(web)
    page = web.client.get(f"/people/{person_id}/consents/new").text
    assert "受入先の資源ID" not in page
    assert '<select id="f-receiver_id" name="receiver_id"' in page
    assert re.search(r'<option value="R001"\s*>貝塚の畑（NPO法人 みどり・若葉区）</option>', page)
    recorded = web.post(
        f"/people/{person_id}/consents/new",
        {"scope": "share_with_receiver", "receiver_id": "R001", "given_on": "2026-11-02",
         "method": "written"},
    )  # fmt: skip
    assert recorded.status_code == 303
    assert "受入先への情報提供（貝塚の畑）" in web.client.get(f"/people/{person_id}").text


def test_contacting_without_a_share_consent_is_refused_in_japanese(web: Web) -> None:
    web.add_resources("R001", name="貝塚の畑")
    user = web.add_user("coordinator")
    web.login(user)
    person_id, placement_id = _proposal(web, user)
    page = web.client.get(f"/placements/{placement_id}").text
    link = f"/people/{person_id}/consents/new?resource_id=R001"
    assert f'href="{link}"' in page  # the page offers the consent for this receiver

    refused = web.post(f"/placements/{placement_id}/transition", {"to_state": "contacted"})
    assert refused.status_code == 422
    assert "受入先「貝塚の畑」への情報提供の同意が記録されていない" in refused.text
    form = web.client.get(link).text
    assert 'value="share_with_receiver" selected' in form
    assert re.search(r'<option value="R001"\s*selected>', form)


def test_a_stage_day_is_kept_and_shown_in_the_history(web: Web) -> None:
    web.add_resources("R001")
    user = web.add_user("coordinator")
    web.login(user)
    person_id, placement_id = _proposal(web, user)
    web.post(
        f"/people/{person_id}/consents/new",
        {"scope": "share_with_receiver", "receiver_id": "R001", "given_on": "2026-11-02",
         "method": "written"},
    )  # fmt: skip
    early = web.post(
        f"/placements/{placement_id}/transition",
        {"to_state": "contacted", "occurred_on": "2026-11-11"},
    )
    assert early.status_code == 422
    assert "前の段階「提案」の日付（2026年11月12日）より前です" in early.text
    moved = web.post(
        f"/placements/{placement_id}/transition",
        {"to_state": "visit", "occurred_on": "2026-11-20"},
    )
    assert moved.status_code == 303
    page = web.client.get(f"/placements/{placement_id}").text
    assert '<time datetime="2026-11-20">2026年11月20日</time> 見学' in page
    assert '<input id="f-occurred_on" name="occurred_on" type="date"' in page


def test_a_fee_for_a_day_before_the_placement_is_refused_in_japanese(web: Web) -> None:
    web.add_resources("R001", cooperation_fee_yen=1000, cooperation_fee_unit="per_session")
    user = web.add_user("coordinator")
    web.login(user)
    person_id, placement_id = _proposal(web, user)
    web.post(
        f"/people/{person_id}/consents/new",
        {"scope": "share_with_receiver", "receiver_id": "R001", "given_on": "2026-11-02",
         "method": "written"},
    )  # fmt: skip
    web.post(
        f"/placements/{placement_id}/transition", {"to_state": "trial", "occurred_on": "2026-11-20"}
    )
    refused = web.post(
        f"/placements/{placement_id}/fees",
        {"idempotency_key": "web-rule-fee-1", "activity_dates": "2026-11-19"},
    )
    assert refused.status_code == 422
    assert "活動日（2026年11月19日）が、この受入先での活動の始まり（2026年11月20日）より前です" in (
        refused.text
    )
    future = web.post(
        f"/placements/{placement_id}/fees",
        {"idempotency_key": "web-rule-fee-2", "activity_dates": "2099-01-05"},
    )
    assert future.status_code == 422 and "未来の日付です" in future.text


def test_closure_ends_the_placement_and_a_new_proposal_is_refused_with_a_flash(web: Web) -> None:
    web.add_resources("R001", "R002")
    user = web.add_user("coordinator")
    web.login(user)
    person_id, placement_id = _proposal(web, user)
    closed = web.post(
        f"/people/{person_id}/close",
        {"closed_on": "2026-11-30", "reason": "stable", "follow_up_interval_days": "90"},
    )
    assert closed.status_code == 303
    page = web.client.get(f"/placements/{placement_id}").text
    assert "取りやめ" in page and "ケースの終結" in page

    refused = web.post(f"/people/{person_id}/suggestions/propose", {"resource_id": "R002"})
    assert refused.status_code == 303
    shown = web.client.get(refused.headers["location"], follow_redirects=True).text
    assert (
        "このケースは終結しています。新しい受入先を提案するには、先に支援を再開してください。"
        in (shown)
    )


def test_a_birth_date_in_the_future_is_refused_on_the_intake_form(web: Web) -> None:
    web.login(web.add_user("coordinator"))
    response = web.post(
        "/people/new", {"name": "未来 太郎", "born_on": "2099-04-01", "ward": "稲毛区"}
    )
    assert response.status_code == 422
    assert "生年月日（2099年4月1日）が今日以降の日付です" in response.text
