"""API test fixtures: an app per test on the migrated test database.

Most tests use ``client``: the app's request session is bound to one connection inside an
outer transaction that is rolled back after the test (each request's commit only releases
a savepoint), so tests stay isolated without deleting rows. Tests of commits themselves
(the real session dependency, the lifespan, the CLI) use ``fresh_database_url``: a new
SQLite file, or a new PostgreSQL database dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from fastapi import Request
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from api.app import create_app
from api.deps import get_session
from api.settings import Settings
from casework.permissions import Principal
from casework.schemas import ApiClientIn
from casework.services import accounts
from storage.engine import make_engine, unit_of_work

PAGE_SIZE_MAX = 100
TEST_ENCRYPTION_KEY = Fernet.generate_key().decode()


def make_settings(database_url: str, **overrides: Any) -> Settings:
    """Settings for tests: no env file, no demo catalog unless asked."""
    values: dict[str, Any] = {
        "database_url": database_url,
        "load_demo_catalog": False,
        "page_size_max": PAGE_SIZE_MAX,
        "encryption_key": TEST_ENCRYPTION_KEY,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


ClientFactory = Callable[..., Any]

# Issues test keys; the "system" principal holds every permission.
SYSTEM = Principal(kind="system", id=0, client="pytest")
CATALOG_SCOPES = ("catalog:read", "catalog:write")


def issue_api_key(session: Session, scopes: Sequence[str], name: str = "pytest") -> str:
    """A new API key with these scopes (rolled back with the test's transaction)."""
    data = ApiClientIn(name=name, scopes=list(scopes))
    _, token = accounts.create_api_client(session, SYSTEM, data)
    return token


@pytest.fixture
def make_client(engine: Engine, database_url: str) -> Iterator[ClientFactory]:
    """``with make_client(**settings_overrides) as client:`` — a rolled-back app client."""

    @contextmanager
    def _make(**overrides: Any) -> Iterator[TestClient]:
        app = create_app(make_settings(database_url, **overrides))
        # Start the app (lifespan) before the outer transaction: SQLite would make its
        # migration check wait for the write lock that the outer transaction holds.
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
            # Catalog writes need a catalog:write key; casework tests add keys per role.
            with unit_of_work(factory) as session:
                token = issue_api_key(session, CATALOG_SCOPES)
            client.headers["Authorization"] = f"Bearer {token}"
            # Tests that need more keys or data open units of work on the same connection.
            app.state.test_session_factory = factory
            try:
                yield client
            finally:
                outer.rollback()
                connection.close()

    yield _make


@pytest.fixture
def client(make_client: ClientFactory) -> Iterator[TestClient]:
    """A client whose every change is rolled back after the test."""
    with make_client() as c:
        yield c


@pytest.fixture
def fresh_database_url(tmp_path: Path) -> Iterator[str]:
    """An empty, unmigrated database of its own (for tests that really commit)."""
    base = os.environ.get("TSUNAGU_TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    name = f"tsunagu_api_{uuid.uuid4().hex[:10]}"
    admin = make_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :n AND pid <> pg_backend_pid()"
                ),
                {"n": name},
            )
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()
