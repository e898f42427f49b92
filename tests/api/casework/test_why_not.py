"""Why not? The API's "close but excluded" list, the search by name, and that the single
exclusion endpoint and the panel agree on every rule."""

from __future__ import annotations

from tests.api.casework.conftest import Api


def test_why_not_lists_a_close_resource_with_its_rule_and_agrees_with_exclusions(
    api: Api,
) -> None:
    api.resource("R001", days=["tue"])
    api.resource("R002", days=["sat"])  # the profile wants tue/thu: the days rule
    api.resource("R003", min_age=15, max_age=20)  # the person is 30-something: the age rule
    pid = api.started_person()["id"]
    found = api.ok("coordinator", "GET", f"/api/v1/people/{pid}/why-not")
    excluded = {e["resource_id"]: e for e in found["near_excluded"]}
    assert {"R002", "R003"} <= set(excluded)
    assert "R001" not in excluded
    for rid, entry in excluded.items():
        single = api.ok("coordinator", "GET", f"/api/v1/people/{pid}/exclusions/{rid}")
        assert single["excluded"] is True
        assert single["rules"] == entry["rules"]
    assert [r["rule"] for r in excluded["R003"]["rules"]] == ["age"]


def test_asking_by_name_says_where_a_resource_stands(api: Api) -> None:
    api.resource("R001", name="みどり農園 収穫体験", days=["tue"])
    api.resource("R002", name="みどり農園 週末市", days=["sat"])
    pid = api.started_person()["id"]
    found = api.ok("coordinator", "GET", f"/api/v1/people/{pid}/why-not", params={"ask": "みどり"})
    asked = {a["resource_id"]: a for a in found["asked"]}
    assert asked["R001"]["feasible"] is True and asked["R001"]["rank"] == 1
    assert asked["R002"]["feasible"] is False and asked["R002"]["rank"] is None
    assert [r["rule"] for r in asked["R002"]["rules"]] == ["days"]


def test_why_not_needs_the_matching_consent(api: Api) -> None:
    api.resource("R001")
    person = api.person()
    api.ok(
        "coordinator", "PUT", f"/api/v1/people/{person['id']}/profile", json={"needs_text": "畑"}
    )
    response = api.call("coordinator", "GET", f"/api/v1/people/{person['id']}/why-not")
    assert response.status_code == 409
    assert response.json()["error"] == "consent_required"
