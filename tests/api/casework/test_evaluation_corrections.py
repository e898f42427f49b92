"""評価シートの訂正 through the JSON API: the sheet holds the new values, history the old."""

from __future__ import annotations

from typing import Any

from casework.models import StaffUser
from storage.engine import unit_of_work
from tests.api.casework.conftest import Api


def _staff(api: Api, name: str, *, active: bool = True) -> int:
    factory = api.client.app.state.test_session_factory  # type: ignore[attr-defined]
    with unit_of_work(factory) as session:
        user = StaffUser(
            username=f"u-{name}", display_name=name, role="coordinator", team="team-a",
            password_hash="x", active=active,
        )  # fmt: skip
        session.add(user)
        session.flush()
        return user.id


def _sheet(api: Api, **overrides: Any) -> dict[str, Any]:
    pid = api.person()["id"]
    body = {"evaluated_on": "2027-01-20", "changes": ["isolation_resolved"], "wish": "end",
            "staff_opinion": "安定", **overrides}  # fmt: skip
    return dict(api.ok("coordinator", "POST", f"/api/v1/people/{pid}/evaluations", 201, json=body))


def test_a_correction_changes_the_sheet_and_keeps_the_old_values(api: Api) -> None:
    evaluator = _staff(api, "評価 太郎")
    sheet = _sheet(api)
    body = {"evaluated_on": "2027-01-21", "changes": ["isolation_resolved"], "wish": "continue",
            "staff_opinion": "継続して見守る", "evaluator_id": evaluator}  # fmt: skip
    fixed = api.ok("coordinator", "PUT", f"/api/v1/evaluations/{sheet['id']}", json=body)
    assert fixed["wish"] == "continue" and fixed["staff_opinion"] == "継続して見守る"
    form = api.ok("coordinator", "GET", f"/api/v1/evaluations/{sheet['id']}")
    assert form["evaluator_name"] == "評価 太郎" and form["evaluated_on"] == "2027-01-21"
    history = api.ok("coordinator", "GET", f"/api/v1/evaluations/{sheet['id']}/history")
    assert len(history) == 1
    changed = {f["field"]: [f["old"], f["new"]] for f in history[0]["fields"]}
    assert changed["wish"] == ["end", "continue"]
    assert changed["staff_opinion"] == ["安定", "継続して見守る"]
    assert changed["evaluated_on"] == ["2027-01-20", "2027-01-21"]
    assert "changes" not in changed
    assert history[0]["changed_by"].startswith("api_client:")
    assert "user:" not in history[0]["changed_by_name"]


def test_correcting_needs_the_write_permission(api: Api) -> None:
    sheet = _sheet(api)
    body = {"evaluated_on": "2027-01-20"}
    response = api.call("auditor", "PUT", f"/api/v1/evaluations/{sheet['id']}", json=body)
    assert response.status_code == 403


def test_an_unknown_or_disabled_evaluator_is_refused(api: Api) -> None:
    gone = _staff(api, "退職 次郎", active=False)
    sheet = _sheet(api)
    for evaluator in (gone, 999_999):
        body = {"evaluated_on": "2027-01-20", "evaluator_id": evaluator}
        response = api.call("coordinator", "PUT", f"/api/v1/evaluations/{sheet['id']}", json=body)
        assert response.status_code == 422, response.text
    pid = api.person()["id"]
    body = {"evaluated_on": "2027-01-20", "evaluator_id": gone}
    response = api.call("coordinator", "POST", f"/api/v1/people/{pid}/evaluations", json=body)
    assert response.status_code == 422


def test_a_plan_lead_must_be_an_active_staff_account(api: Api) -> None:
    pid = api.person()["id"]
    lead = _staff(api, "主担 三郎")
    plan = api.ok("coordinator", "POST", f"/api/v1/people/{pid}/plans", 201,
                  json={"primary_staff_id": lead})  # fmt: skip
    assert plan["primary_staff_id"] == lead
    response = api.call("coordinator", "PATCH", f"/api/v1/plans/{plan['id']}",
                        json={"primary_staff_id": 999_999})  # fmt: skip
    assert response.status_code == 422, response.text


def test_an_unknown_sheet_is_404(api: Api) -> None:
    body = {"evaluated_on": "2027-01-20"}
    assert (
        api.call("coordinator", "PUT", "/api/v1/evaluations/999999", json=body).status_code == 404
    )
