"""schemathesis against the whole OpenAPI schema, in process: no input may cause a 500.

The app runs on a database of its own (it commits), with the hashing encoder and a key that
holds every permission, seeded with one person, plan, placement, fee and evaluation so that
generated ids sometimes hit real records. Examples per operation are bounded (``MAX_EXAMPLES``)
so the run stays well under three minutes.
"""

from __future__ import annotations

import os
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from sqlalchemy import text
from sqlalchemy.engine import make_url

from api.app import create_app
from casework.permissions import PERMISSIONS
from storage.engine import make_engine, unit_of_work
from tests.api.casework.conftest import PLAN, PROFILE, TODAY, app_settings
from tests.api.conftest import issue_api_key, make_settings
from tests.api.factories import resource

MAX_EXAMPLES = int(os.environ.get("TSUNAGU_SCHEMATHESIS_EXAMPLES", "12"))

# Server errors found here in code outside the casework API, reported to their owners. They
# still run; a failure there warns instead of failing, and a fix makes the entry stale.
KNOWN_SERVER_ERRORS: dict[tuple[str, str], str] = {}


@pytest.fixture(scope="module")
def own_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database for this module only (SQLite file, or a fresh PostgreSQL database)."""
    base = os.environ.get("TSUNAGU_TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path_factory.mktemp('schemathesis') / 'st.db'}"
        return
    name = f"tsunagu_st_{uuid.uuid4().hex[:10]}"
    admin = make_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _seed(client: TestClient) -> None:
    def ok(method: str, url: str, **kwargs: Any) -> Any:
        response = client.request(method, url, **kwargs)
        assert response.status_code < 300, (url, response.text)
        return response.json()

    ok(
        "POST",
        "/api/v1/catalog/resources",
        json=resource("R001", cooperation_fee_yen=500, cooperation_fee_unit="per_session"),
    )
    person = ok("POST", "/api/v1/people", json={"name": "千葉 花子", "ward": "若葉区",
                                                "received_on": TODAY})  # fmt: skip
    pid = person["id"]
    ok("PUT", f"/api/v1/people/{pid}/profile", json=PROFILE)
    ok("POST", f"/api/v1/people/{pid}/consents",
       json={"scope": "matching", "given_on": TODAY, "method": "written"})  # fmt: skip
    plan = ok("POST", f"/api/v1/people/{pid}/plans", json=PLAN)
    ok("POST", f"/api/v1/plans/{plan['id']}/start-early", json={"started_on": TODAY, "reason": "r"})
    ok("POST", f"/api/v1/people/{pid}/consents",
       json={"scope": "share_with_receiver", "receiver_kind": "resource", "receiver_id": "R001",
             "given_on": TODAY, "method": "written"})  # fmt: skip
    proposal = {"person_id": pid, "resource_id": "R001", "occurred_on": TODAY}
    placement = ok("POST", "/api/v1/placements", json=proposal)
    ok("POST", f"/api/v1/placements/{placement['id']}/transitions",
       json={"to": "placed", "occurred_on": TODAY})  # fmt: skip
    ok(
        "POST",
        f"/api/v1/placements/{placement['id']}/fees",
        json={"activity_dates": ["2026-12-01"]},
        headers={"Idempotency-Key": "seed-fee-0001"},
    )
    ok("POST", f"/api/v1/people/{pid}/evaluations", json={"evaluated_on": TODAY})
    ok("POST", f"/api/v1/people/{pid}/suggestions")


@pytest.fixture(scope="module")
def running_app(own_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The started app (lifespan ran) and an all-permission bearer header."""
    tmp = tmp_path_factory.mktemp("st-app")
    app = create_app(make_settings(own_database, **app_settings(Path(tmp))))
    with TestClient(app) as client:
        with unit_of_work(app.state.session_factory) as session:
            key = issue_api_key(session, sorted(PERMISSIONS), name="schemathesis")
        client.headers["Authorization"] = f"Bearer {key}"
        _seed(client)
        app.state.schemathesis_headers = {"Authorization": f"Bearer {key}"}
        yield app


def test_no_input_makes_a_server_error(running_app: Any) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", running_app)
    headers = running_app.state.schemathesis_headers
    failures: list[str] = []
    known: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()  # type: ignore[union-attr]  # an Err raises here: fine
        operations += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Any) -> None:
            response = case.call(headers=headers)
            case.validate_response(response, checks=[not_a_server_error])

        try:
            run()
        except Exception as exc:  # collect every operation's failure, then report them all
            where = (operation.method.upper(), operation.path)
            message = f"{where[0]} {where[1]}: {exc}"[:2000]
            (known if where in KNOWN_SERVER_ERRORS else failures).append(message)
    assert operations >= 60
    for message in known:
        warnings.warn(f"known server error (not casework): {message}", stacklevel=1)
    assert failures == [], "\n\n".join(failures)
