"""Shared fixtures: a migrated database (SQLite by default, PostgreSQL when configured).

Set ``TSUNAGU_TEST_DATABASE_URL`` to a PostgreSQL URL to run the suite there: a fresh
database is created for the session and dropped at the end. Each test runs inside a
transaction that is rolled back.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from storage.engine import make_engine
from storage.migrate import upgrade

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
DEV_EVAL = SHARED / "eval" / "dev"


def shared_path(*parts: str) -> Path:
    """A file under ../shared/, or skip the test with the reason when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared data not present: {path}")
    return path


@contextmanager
def empty_database(folder: Path, prefix: str) -> Iterator[str]:
    """URL of a new, empty database: a file in ``folder``, or a PostgreSQL database made
    (and dropped afterwards) on the server of ``TSUNAGU_TEST_DATABASE_URL`` when it is set."""
    base = os.environ.get("TSUNAGU_TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{folder / f'{prefix}.db'}"
        return
    url = make_url(base)
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = make_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
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


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of an empty database for this test session."""
    with empty_database(tmp_path_factory.mktemp("db"), "tsunagu_test") as url:
        yield url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    """A migrated engine shared by the session."""
    eng = make_engine(database_url)
    upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session inside an outer transaction rolled back after the test."""
    connection = engine.connect()
    outer = connection.begin()
    sess = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    try:
        yield sess
    finally:
        sess.close()
        if outer.is_active:
            outer.rollback()
        connection.close()
