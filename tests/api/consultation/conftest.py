"""Consultation API fixtures: staff users of two teams acting through the JSON API.

API keys carry no team, so these tests put a staff user's principal in place of the key
(``get_principal`` override) to exercise the own / team rules end to end.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.deps import get_principal
from casework.models import StaffUser
from casework.permissions import Principal, Role
from casework.services.accounts import principal_for_user
from storage.engine import unit_of_work
from tests.api.casework.conftest import app_settings
from tests.api.conftest import ClientFactory

STAFF: dict[str, tuple[Role, str]] = {
    "coord_a": ("coordinator", "team-a"),
    "coord_b": ("coordinator", "team-b"),
    "super_a": ("supervisor", "team-a"),
    "catalog": ("catalog_maintainer", "office"),
    "auditor": ("auditor", "office"),
}


@dataclass
class Staff:
    """The API client speaking as one staff member or another."""

    client: TestClient
    principals: dict[str, Principal] = field(default_factory=dict)

    def call(self, who: str, method: str, url: str, **kwargs: Any) -> Any:
        """One request as ``who``."""
        principal = self.principals[who]
        self.client.app.dependency_overrides[get_principal] = lambda: principal  # type: ignore[attr-defined]
        return self.client.request(method, url, **kwargs)

    def ok(self, who: str, method: str, url: str, status: int = 200, **kwargs: Any) -> Any:
        """The JSON body of a request that must answer ``status``."""
        response = self.call(who, method, url, **kwargs)
        assert response.status_code == status, (method, url, response.text)
        return response.json() if response.content else None

    def session_factory(self) -> Any:
        """The sessionmaker bound to the test's rolled-back connection."""
        return self.client.app.state.test_session_factory  # type: ignore[attr-defined]


@pytest.fixture
def staff(make_client: ClientFactory, tmp_path: Path) -> Iterator[Staff]:
    """Staff users of team-a and team-b plus office roles, on the rolled-back connection."""
    with make_client(**app_settings(tmp_path)) as client:
        result = Staff(client)
        with unit_of_work(client.app.state.test_session_factory) as session:  # type: ignore[attr-defined]
            for username, (role, team) in STAFF.items():
                user = StaffUser(
                    username=username,
                    display_name=f"{username} 職員",
                    role=role,
                    team=team,
                    password_hash="x",
                )
                session.add(user)
                session.flush()
                result.principals[username] = principal_for_user(user, ip="10.0.0.9")
        yield result
