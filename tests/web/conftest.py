"""Web page fixtures: an app per test on the rolled-back test database, staff users, a
signed-in client per role, a few catalog resources, and a person ready for matching."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi import Request
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from api.app import create_app
from api.deps import get_session
from api.settings import Settings
from casework import crypto
from casework.models import StaffUser
from casework.permissions import Role
from casework.services.accounts import hash_password
from resources_catalog import service as catalog
from resources_catalog.records import ResourceRecord
from storage.engine import unit_of_work
from tests.api.factories import resource

PASSWORD = "correct horse battery"
ENCRYPTION_KEY = crypto.generate_key()
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="session")
def password_hash() -> str:
    """One argon2 hash for every test user (hashing is slow on purpose)."""
    return hash_password(PASSWORD)


def web_settings(database_url: str, tmp: Path, **overrides: Any) -> Settings:
    """Settings for page tests: hashing encoder, an encryption key, no env file."""
    values: dict[str, Any] = {
        "database_url": database_url,
        "load_demo_catalog": False,
        "encryption_key": ENCRYPTION_KEY,
        "encoder": "hashing",
        "ranker_refit": "inline",
        "embedding_cache_dir": tmp / "emb",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


def csrf_of(html: str) -> str:
    """The CSRF token in a page's forms."""
    found = CSRF_RE.search(html)
    assert found, "no csrf_token field on the page"
    return found.group(1)


@dataclass
class Web:
    """The app under test: its client, a database session on the same transaction, users."""

    client: TestClient
    db: Session
    password_hash: str

    def add_user(self, role: Role, username: str | None = None, team: str = "team-a") -> StaffUser:
        """A staff account with the test password."""
        user = StaffUser(
            username=username or f"{role}-{self.db.info.setdefault('n', 0) + 1}",
            display_name=f"{role} 職員",
            role=role,
            team=team,
            password_hash=self.password_hash,
        )
        self.db.info["n"] = self.db.info.get("n", 0) + 1
        self.db.add(user)
        self.db.flush()
        return user

    def login(self, user: StaffUser) -> None:
        """Sign in through the form (fresh session: the cookie jar is cleared first)."""
        self.client.cookies.clear()
        page = self.client.get("/login")
        response = self.client.post(
            "/login",
            data={
                "username": user.username,
                "password": PASSWORD,
                "csrf_token": csrf_of(page.text),
            },
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text

    def csrf(self, path: str = "/dashboard") -> str:
        """A CSRF token of the signed-in session."""
        return csrf_of(self.client.get(path).text)

    def post(self, path: str, data: dict[str, Any], **kwargs: Any) -> Any:
        """POST a form with the session's CSRF token."""
        return self.client.post(
            path, data={**data, "csrf_token": self.csrf()}, follow_redirects=False, **kwargs
        )

    def add_resources(self, *ids: str, **overrides: Any) -> None:
        """Catalog resources through the catalog service."""
        records = [ResourceRecord.model_validate(resource(rid, **overrides)) for rid in ids]
        catalog.import_records(self.db, records, [], total_rows=len(records), actor="test")
        self.db.flush()


@pytest.fixture
def make_web(
    engine: Engine, database_url: str, tmp_path: Path, password_hash: str
) -> Iterator[Callable[..., Any]]:
    """``with make_web() as web:`` — every change is rolled back after the test."""
    from contextlib import contextmanager

    @contextmanager
    def _make(**overrides: Any) -> Iterator[Web]:
        app = create_app(web_settings(database_url, tmp_path, **overrides))
        with TestClient(app) as client:
            connection = engine.connect()
            outer = connection.begin()
            factory = sessionmaker(
                bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
            )

            def _session(request: Request) -> Iterator[Session]:
                # As api.deps.get_session: pages roll back through request.state on refusals.
                with unit_of_work(factory) as session:
                    request.state.db_session = session
                    yield session

            app.dependency_overrides[get_session] = _session
            db = factory()
            try:
                yield Web(client=client, db=db, password_hash=password_hash)
            finally:
                db.close()
                outer.rollback()
                connection.close()

    yield _make


@pytest.fixture
def web(make_web: Callable[..., Any]) -> Iterator[Web]:
    """The app with a rolled-back database."""
    with make_web() as w:
        yield w


def intake(web: Web, **overrides: Any) -> int:
    """Register a person through the intake form; returns the person id."""
    data = {
        "name": "千葉 花子",
        "furigana": "ちば はなこ",
        "sex": "女性",
        "born_on": "1990-05-01",
        "ward": "稲毛区",
        "received_on": date(2026, 11, 2).isoformat(),
        "referral_source": "あんしんケアセンター",
    }
    data.update(overrides)
    response = web.post("/people/new", data)
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("/", 1)[1])


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """A headless Chromium browser (installed on first use)."""
    from tests.web.browser import CHROMIUM, CHROMIUM_ARGS, _install_chromium

    reason = _install_chromium()
    if reason:
        pytest.skip(f"browser tests need Chromium: {reason}")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
