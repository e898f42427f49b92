"""20 confirmations at once through the API against a receiver with 3 slots: exactly 3 win.

A real, committing database (SQLite file or a fresh PostgreSQL database): every request is
its own unit of work, as in production.
"""

from __future__ import annotations

import threading
from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from casework.permissions import ROLE_PERMISSIONS
from storage.engine import unit_of_work
from tests.api.casework.conftest import PLAN, TODAY, app_settings
from tests.api.conftest import issue_api_key, make_settings
from tests.api.factories import resource

THREADS = 20
SLOTS = 3


def test_twenty_simultaneous_confirmations_for_three_slots(
    fresh_database_url: str, tmp_path: Path
) -> None:
    app = create_app(make_settings(fresh_database_url, **app_settings(tmp_path)))
    with TestClient(app) as client:
        scopes = ROLE_PERMISSIONS["supervisor"] | {"catalog:write", "audit:read"}
        with unit_of_work(app.state.session_factory) as session:
            key = issue_api_key(session, sorted(scopes))
        client.headers["Authorization"] = f"Bearer {key}"
        body = resource("R-LAST", capacity_total=SLOTS, capacity_remaining=SLOTS)
        assert client.post("/api/v1/catalog/resources", json=body).status_code == 201

        placement_ids = []
        for i in range(THREADS):
            person = client.post(
                "/api/v1/people", json={"name": f"利用者{i}", "received_on": TODAY}
            ).json()
            plan = client.post(f"/api/v1/people/{person['id']}/plans", json=PLAN).json()
            started = client.post(
                f"/api/v1/plans/{plan['id']}/start-early",
                json={"started_on": TODAY, "reason": "早期"},
            )
            assert started.status_code == 200, started.text
            consent = client.post(
                f"/api/v1/people/{person['id']}/consents",
                json={"scope": "share_with_receiver", "receiver_kind": "resource",
                      "receiver_id": "R-LAST", "given_on": TODAY, "method": "written"},
            )  # fmt: skip
            assert consent.status_code == 201, consent.text
            placement = client.post(
                "/api/v1/placements", json={"person_id": person["id"], "resource_id": "R-LAST"}
            )
            assert placement.status_code == 201, placement.text
            placement_ids.append(placement.json()["id"])

        barrier = threading.Barrier(THREADS)
        answers: list[tuple[int, str]] = []
        lock = threading.Lock()

        def confirm(placement_id: int) -> None:
            barrier.wait()
            response = client.post(
                f"/api/v1/placements/{placement_id}/transitions", json={"to": "placed"}
            )
            with lock:
                answers.append((response.status_code, response.json().get("error", "")))

        threads = [threading.Thread(target=confirm, args=(p,)) for p in placement_ids]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)

        assert sorted(answers) == [(200, "")] * SLOTS + [(409, "no_capacity")] * (THREADS - SLOTS)
        stored = client.get("/api/v1/catalog/resources/R-LAST").json()
        assert stored["capacity_remaining"] == 0
        assert client.post("/api/v1/audit/verify").json()["ok"] is True
