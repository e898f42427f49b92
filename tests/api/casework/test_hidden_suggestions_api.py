"""Hiding a suggestion through the API: before any plan, left out of later runs, undone."""

from __future__ import annotations

from typing import Any

from tests.api.casework.conftest import Api


def _suggested(api: Api, pid: int) -> list[str]:
    run = api.ok("coordinator", "POST", f"/api/v1/people/{pid}/suggestions")
    return [s["resource_id"] for s in run["suggestions"]]


def test_hide_before_a_plan_then_show_again(api: Api) -> None:
    for rid in ("R001", "R002"):
        api.resource(rid)
    pid = api.matchable_person()
    assert "R001" in _suggested(api, pid)
    body: dict[str, Any] = {"resource_id": "R001", "reason_code": "health", "note": "坂が多い"}
    hidden = api.ok(
        "coordinator", "POST", f"/api/v1/people/{pid}/hidden-suggestions", 201, json=body
    )
    assert (hidden["reason_code"], hidden["note"]) == ("health", "坂が多い")
    assert hidden["hidden_at"].endswith(("Z", "+00:00"))
    assert "R001" not in _suggested(api, pid)
    listed = api.ok("coordinator", "GET", f"/api/v1/people/{pid}/hidden-suggestions")
    assert [h["resource_id"] for h in listed] == ["R001"]
    # Hiding leaves no placement (no 辞退) on the case.
    assert api.ok("coordinator", "GET", f"/api/v1/people/{pid}/placements") == []
    api.ok("coordinator", "DELETE", f"/api/v1/people/{pid}/hidden-suggestions/R001", 204)
    assert "R001" in _suggested(api, pid)
    api.ok("coordinator", "DELETE", f"/api/v1/people/{pid}/hidden-suggestions/R001", 404)


def test_bad_hide_requests_say_which_field(api: Api) -> None:
    api.resource("R001")
    pid = api.matchable_person()
    url = f"/api/v1/people/{pid}/hidden-suggestions"
    bad = api.call("coordinator", "POST", url, json={"resource_id": "R001", "reason_code": "x"})
    assert bad.status_code == 422 and "reason_code" in bad.text
    missing = api.call(
        "coordinator", "POST", url, json={"resource_id": "NONE", "reason_code": "other"}
    )
    assert missing.status_code == 404


def test_an_auditor_reads_but_cannot_hide(api: Api) -> None:
    api.resource("R001")
    pid = api.matchable_person()
    url = f"/api/v1/people/{pid}/hidden-suggestions"
    refused = api.call("auditor", "POST", url, json={"resource_id": "R001", "reason_code": "other"})
    assert refused.status_code == 403
