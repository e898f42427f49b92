"""Casework API fixtures: an app with the hashing encoder, API keys per role, small factories.

Every request runs on the test's rolled-back connection (``make_client``); keys are real API
clients created in that transaction, so authentication is exercised end to end.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from casework import crypto
from casework.permissions import ROLE_PERMISSIONS, Role
from storage.engine import unit_of_work
from tests.api.conftest import ClientFactory, issue_api_key
from tests.api.factories import resource as resource_body

ENCRYPTION_KEY = crypto.generate_key()
TODAY = "2026-11-22"


def app_settings(tmp_path: Path) -> dict[str, Any]:
    """Settings overrides of the casework API tests: hashing encoder, a test key."""
    return {
        "encoder": "hashing",
        "ranker_refit": "inline",
        "embedding_cache_dir": tmp_path / "embeddings",
        "encryption_key": ENCRYPTION_KEY,
    }


def role_key(client: TestClient, role: Role) -> str:
    """A new API key carrying ``role``'s permissions (in the test's transaction)."""
    factory = client.app.state.test_session_factory  # type: ignore[attr-defined]
    with unit_of_work(factory) as session:
        return issue_api_key(session, sorted(ROLE_PERMISSIONS[role]), name=f"test-{role}")


@dataclass
class Api:
    """A test client that speaks as one role or another."""

    client: TestClient
    keys: dict[str, str] = field(default_factory=dict)

    def headers(self, role: Role, **extra: str) -> dict[str, str]:
        """Authorization for ``role`` (keys are made on first use)."""
        if role not in self.keys:
            self.keys[role] = role_key(self.client, role)
        return {"Authorization": f"Bearer {self.keys[role]}", **extra}

    def call(self, role: Role, method: str, url: str, **kwargs: Any) -> Any:
        """One request as ``role``."""
        headers = {**self.headers(role), **kwargs.pop("headers", {})}
        return self.client.request(method, url, headers=headers, **kwargs)

    def ok(self, role: Role, method: str, url: str, status: int = 200, **kwargs: Any) -> Any:
        """The JSON body of a request that must answer ``status``."""
        response = self.call(role, method, url, **kwargs)
        assert response.status_code == status, (method, url, response.text)
        return response.json() if response.content else None

    # --- factories ----------------------------------------------------------------------

    def resource(self, resource_id: str, **overrides: Any) -> dict[str, Any]:
        """A catalog resource (the default client holds a catalog:write key)."""
        body = resource_body(
            resource_id,
            cooperation_fee_yen=1000,
            cooperation_fee_unit="per_session",
            **overrides,
        )
        response = self.client.post("/api/v1/catalog/resources", json=body)
        assert response.status_code == 201, response.text
        return dict(response.json())

    def person(self, role: Role = "coordinator", **overrides: Any) -> dict[str, Any]:
        """An intake."""
        body = {
            "name": "千葉 花子",
            "furigana": "ちば はなこ",
            "sex": "女性",
            "born_on": "1990-05-01",
            "ward": "若葉区",
            "received_on": TODAY,
            "health_notes": "通院中",
            **overrides,
        }
        return dict(self.ok(role, "POST", "/api/v1/people", 201, json=body))

    def matchable_person(self) -> int:
        """A person with a needs profile and consent to matching, and no plan yet."""
        pid = int(self.person()["id"])
        self.ok("coordinator", "PUT", f"/api/v1/people/{pid}/profile", json=PROFILE)
        self.ok(
            "coordinator",
            "POST",
            f"/api/v1/people/{pid}/consents",
            201,
            json={"scope": "matching", "given_on": TODAY, "method": "written"},
        )
        return pid

    def share_consent(
        self, person_id: int, resource_id: str, role: Role = "coordinator", given_on: str = TODAY
    ) -> dict[str, Any]:
        """The person's consent to share with ``resource_id`` (連絡 and later need it)."""
        body = {
            "scope": "share_with_receiver",
            "receiver_kind": "resource",
            "receiver_id": resource_id,
            "given_on": given_on,
            "method": "written",
        }
        return dict(self.ok(role, "POST", f"/api/v1/people/{person_id}/consents", 201, json=body))

    def started_person(self, role: Role = "coordinator") -> dict[str, Any]:
        """A person with a profile, matching consent and an early-started plan."""
        person = self.person(role)
        pid = person["id"]
        self.ok(role, "PUT", f"/api/v1/people/{pid}/profile", json=PROFILE)
        self.ok(
            role,
            "POST",
            f"/api/v1/people/{pid}/consents",
            201,
            json={"scope": "matching", "given_on": TODAY, "method": "written"},
        )
        plan = self.ok(role, "POST", f"/api/v1/people/{pid}/plans", 201, json=PLAN)
        self.ok(
            role,
            "POST",
            f"/api/v1/plans/{plan['id']}/start-early",
            json={"started_on": TODAY, "reason": "早期に関わる必要"},
        )
        person["plan_id"] = plan["id"]
        return person


PROFILE: dict[str, Any] = {
    "needs_text": "土に触れる作業を少人数でしたい",
    "avoid_text": "大人数",
    "days": ["tue", "thu"],
    "home": {"ward": "若葉区"},
    "max_travel_km": 15,
    "prefers_quiet": True,
    "preferred_categories": ["farm"],
}
PLAN: dict[str, Any] = {
    "issues_text": "外出の機会がない",
    "goal_text": "週1回外に出る",
    "actions": [{"actor_kind": "person", "content": "農園の作業体験", "frequency": "週1回"}],
    "next_monitoring_on": "2027-01-15",
}


@pytest.fixture
def api(make_client: ClientFactory, tmp_path: Path) -> Iterator[Api]:
    """The casework API on the rolled-back test connection."""
    with make_client(**app_settings(tmp_path)) as client:
        yield Api(client)
