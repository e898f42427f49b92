"""「非表示にする」 on the suggestions page: works before a plan, keeps the note, can be undone;
and 主担当者 is chosen from staff on the plan form."""

from __future__ import annotations

import re

from tests.web.conftest import Web, intake


def _ready(web: Web) -> int:
    web.add_resources("R001", "R002", "R003")
    web.login(web.add_user("coordinator", "coord"))
    person_id = intake(web)
    web.post(
        f"/people/{person_id}/consents/new",
        {"scope": "matching", "given_on": "2026-11-02", "method": "written"},
    )
    web.post(
        f"/people/{person_id}/profile", {"needs_text": "畑で作業したい", "max_travel_km": "30"}
    )
    assert web.post(f"/people/{person_id}/suggestions/run", {}).status_code == 303
    return person_id


def _cards(html: str) -> list[str]:
    return re.findall(r'<li class="suggestion card[^"]*" id="s-([^"]+)"', html)


def test_hiding_before_a_plan_removes_the_card_and_lists_it_with_the_note(web: Web) -> None:
    person_id = _ready(web)
    page = web.client.get(f"/people/{person_id}/suggestions").text
    first = _cards(page)[0]
    response = web.post(
        f"/people/{person_id}/suggestions/hide",
        {"resource_id": first, "reason_code": "conditions_mismatch", "note": "朝が早すぎる"},
    )
    assert response.status_code == 303
    page = web.client.get(f"/people/{person_id}/suggestions").text
    assert "提案を非表示にしました" in page
    assert first not in _cards(page)
    assert "非表示にした提案（1件）" in page and "朝が早すぎる" in page
    assert '<strong class="badge">' not in page  # no 辞退 badge on any card
    web.post(f"/people/{person_id}/suggestions/unhide", {"resource_id": first})
    web.post(f"/people/{person_id}/suggestions/run", {})
    page = web.client.get(f"/people/{person_id}/suggestions").text
    assert first in _cards(page) and "非表示にした提案" not in page


def test_a_missing_reason_keeps_the_typed_note(web: Web) -> None:
    person_id = _ready(web)
    first = _cards(web.client.get(f"/people/{person_id}/suggestions").text)[0]
    response = web.post(
        f"/people/{person_id}/suggestions/hide",
        {"resource_id": first, "reason_code": "", "note": "送迎がない"},
    )
    assert response.status_code == 422
    assert "非表示にする理由を選んでください" in response.text
    assert 'value="送迎がない"' in response.text
    assert first in _cards(response.text)


def test_the_plan_form_offers_staff_by_name_for_the_lead(web: Web) -> None:
    coordinator = web.add_user("coordinator", "coord")
    colleague = web.add_user("coordinator", "colleague")
    web.login(coordinator)
    person_id = intake(web)
    plan_path = web.post(f"/people/{person_id}/plans/new", {}).headers["location"]
    page = web.client.get(plan_path).text
    assert 'id="f-primary_staff_id"' in page and colleague.display_name in page
    saved = web.post(
        plan_path,
        {
            "created_on": "2026-11-05",
            "primary_staff_id": str(colleague.id),
            "actions.0.actor_kind": "agency",
        },
    )
    assert saved.status_code == 303
    page = web.client.get(plan_path).text
    assert re.search(rf'<option value="{colleague.id}"\s+selected', page)
