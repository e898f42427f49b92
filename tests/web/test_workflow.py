"""The coordinator's whole path through the pages, with TestClient (no browser)."""

from __future__ import annotations

import re

from tests.web.conftest import Web, intake


def test_coordinator_goes_from_intake_to_a_fee_and_a_printed_plan(web: Web) -> None:
    """Intake → consent → needs → plan decided → suggestions → propose → placed → log → fee."""
    web.add_resources(
        "R001", "R002", "R003", cooperation_fee_yen=1000, cooperation_fee_unit="per_session"
    )
    coordinator = web.add_user("coordinator", "coord")
    supervisor = web.add_user("supervisor", "super")
    web.login(coordinator)
    person_id = intake(web)

    assert (
        web.post(
            f"/people/{person_id}/consents/new",
            {"scope": "matching", "given_on": "2026-11-02", "method": "written"},
        ).status_code
        == 303
    )
    # Without 多機関協働 consent the plan could not go to the 重層的支援会議.
    assert (
        web.post(
            f"/people/{person_id}/consents/new",
            {"scope": "multi_agency", "given_on": "2026-11-02", "method": "written"},
        ).status_code
        == 303
    )
    assert web.post(
        f"/people/{person_id}/profile",
        {"needs_text": "畑で静かに作業したい", "days": ["tue", "thu"], "max_travel_km": "20",
         "prefers_quiet": "1"},
    ).status_code == 303  # fmt: skip

    created = web.post(f"/people/{person_id}/plans/new", {})
    plan_path = created.headers["location"]
    saved = web.post(
        plan_path,
        {
            "created_on": "2026-11-05",
            "issues_text": "外出の機会がない",
            "goal_text": "週1回外に出る",
            "actions.0.actor_kind": "agency",
            "actions.0.actor_name": "つなぐセンター",
            "actions.0.content": "受入先の見学に同行",
            "actions.0.period": "3か月",
            "actions.0.frequency": "週1回",
            "period_end_on": "2027-02-28",
            "next_monitoring_on": "2027-01",
            "then": "submit",
        },
    )
    assert saved.status_code == 303
    web.login(supervisor)
    assert web.post(f"{plan_path}/decide", {"decided_on": "2026-11-10"}).status_code == 303
    web.login(coordinator)
    assert "決定" in web.client.get(plan_path).text

    assert web.post(f"/people/{person_id}/suggestions/run", {}).status_code == 303
    page = web.client.get(f"/people/{person_id}/suggestions")
    assert page.status_code == 200
    assert "おすすめの理由" in page.text
    first = re.search(r'name="resource_id" value="(R00\d)"', page.text)
    assert first
    proposed = web.post(
        f"/people/{person_id}/suggestions/propose",
        {"resource_id": first.group(1), "occurred_on": "2026-11-12"},
    )
    placement_path = proposed.headers["location"]
    assert placement_path.startswith("/placements/")

    # The receiver is told who the person is only with the person's consent, chosen by name.
    form = web.client.get(f"/people/{person_id}/consents/new").text
    assert f'<option value="{first.group(1)}"' in form
    assert web.post(
        f"/people/{person_id}/consents/new",
        {"scope": "share_with_receiver", "receiver_id": first.group(1),
         "given_on": "2026-11-12", "method": "written"},
    ).status_code == 303  # fmt: skip
    moved = web.post(
        f"{placement_path}/transition", {"to_state": "placed", "occurred_on": "2026-11-14"}
    )
    assert moved.status_code == 303, moved.text
    page = web.client.get(placement_path)
    assert "省略" in page.text  # contacted / visit / trial were skipped

    logged = web.post(
        f"{placement_path}/retention",
        {"contacted_on": "2026-11-20", "party": "person", "method": "phone",
         "discussed": "続けられそう"},
    )  # fmt: skip
    assert logged.status_code == 303, logged.text
    fee = web.post(
        f"{placement_path}/fees",
        {"idempotency_key": "web-test-fee-1", "activity_dates": "2026-11-17, 2026-11-19"},
    )
    assert fee.status_code == 303, fee.text
    page = web.client.get(placement_path)
    assert "続けられそう" in page.text and "2,000円" in page.text

    printed = web.client.get(f"{plan_path}/print")
    assert printed.status_code == 200
    for label in ("様式第2号", "受付番号", "解決したい課題", "実施者", "次回モニタリング"):
        assert label in printed.text
