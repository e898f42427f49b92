"""A refused form: nothing it wrote is kept, the Japanese reason is flashed, the browser goes
back to the page the form belongs to (api.web.routing)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from casework.errors import InvalidInput
from casework.models import HiddenSuggestion, Plan
from casework.services import suggestions
from tests.web.conftest import Web, intake


def _ready(web: Web) -> int:
    web.add_resources("R001", "R002")
    web.login(web.add_user("coordinator", "coord"))
    person_id = intake(web)
    web.post(
        f"/people/{person_id}/consents/new",
        {"scope": "matching", "given_on": "2026-11-02", "method": "written"},
    )
    web.post(
        f"/people/{person_id}/profile", {"needs_text": "畑で作業したい", "max_travel_km": "30"}
    )
    return person_id


def test_a_refusal_after_a_write_keeps_nothing_and_flashes_on_the_forms_page(
    web: Web, monkeypatch: pytest.MonkeyPatch
) -> None:
    person_id = _ready(web)
    real = suggestions.hide_suggestion

    def write_then_refuse(*args: Any, **kwargs: Any) -> Any:
        real(*args, **kwargs)  # the row is flushed inside the request's transaction ...
        raise InvalidInput("needs a reason")  # ... then the service refuses

    monkeypatch.setattr(suggestions, "hide_suggestion", write_then_refuse)
    response = web.post(
        f"/people/{person_id}/suggestions/hide",
        {"resource_id": "R001", "reason_code": "other", "note": "メモ"},
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/people/{person_id}/suggestions"
    web.db.expire_all()
    assert web.db.scalars(select(HiddenSuggestion)).all() == []
    page = web.client.get(response.headers["location"]).text
    assert "理由を入力してください。" in page


def test_a_refused_form_for_something_gone_says_so_on_its_page(web: Web) -> None:
    person_id = _ready(web)
    response = web.post(f"/people/{person_id}/suggestions/unhide", {"resource_id": "R001"})
    assert response.status_code == 303
    page = web.client.get(response.headers["location"]).text
    assert "対象が見つかりません" in page


def test_save_and_submit_keeps_the_save_when_the_submission_is_refused(web: Web) -> None:
    """No 多機関協働 consent: the plan is saved, not submitted, and 支援会議 is named."""
    web.login(web.add_user("coordinator", "coord"))
    person_id = intake(web)
    plan_path = web.post(f"/people/{person_id}/plans/new", {}).headers["location"]
    response = web.post(
        plan_path,
        {
            "created_on": "2026-11-05",
            "issues_text": "外出の機会がない",
            "goal_text": "週1回外に出る",
            "actions.0.actor_kind": "agency",
            "then": "submit",
        },
    )
    assert response.status_code == 303
    page = web.client.get(plan_path).text
    assert "プランを保存しました。" in page and "提出はしていません" in page and "支援会議" in page
    plan_id = int(re.findall(r"\d+", plan_path)[-1])
    web.db.expire_all()
    plan = web.db.get(Plan, plan_id)
    assert plan is not None and plan.status == "draft" and plan.goal_text == "週1回外に出る"
