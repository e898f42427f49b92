"""``tsunagu backup`` then ``restore`` into an empty database: equal row counts, an intact
audit chain with the same head, and encrypted fields that still open with the key
(SQLite backup API; pg_dump / pg_restore on PostgreSQL)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from api import cli
from casework import crypto
from storage.engine import make_engine
from tests.api.casework.encrypted_seed import decrypt_with, seed_people, stored_notes

runner = CliRunner()


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("TSUNAGU_SECRET_KEY", "TSUNAGU_ENCRYPTION_KEY", "TSUNAGU_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def empty_database_url(tmp_path: Path) -> Iterator[str]:
    """A second empty database to restore into."""
    base = os.environ.get("TSUNAGU_TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path / 'restored.db'}"
        return
    name = f"tsunagu_restore_{uuid.uuid4().hex[:10]}"
    admin = make_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return {
                t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one()
                for t in inspect(engine).get_table_names()
            }
    finally:
        engine.dispose()


def _head(url: str) -> str:
    result = runner.invoke(cli.app, ["--database-url", url, "verify-audit"])
    assert result.exit_code == 0, result.output
    return result.stdout.strip().splitlines()[-1]


def test_backup_then_restore_gives_equal_rows_and_an_intact_audit_chain(
    fresh_database_url: str, empty_database_url: str, tmp_path: Path
) -> None:
    source = ["--database-url", fresh_database_url]
    key = crypto.generate_key()
    notes = seed_people(fresh_database_url, key, count=12)
    for role in ("coordinator", "auditor"):
        result = runner.invoke(cli.app, [*source, "create-api-key", "--role", role, "--name", role])
        assert result.exit_code == 0, result.output
    result = runner.invoke(
        cli.app,
        [*source, "create-user", "tanaka", "--role", "coordinator", "--password",
         "correct horse battery"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    head = _head(fresh_database_url)
    file = tmp_path / "tsunagu.backup"
    made = runner.invoke(cli.app, [*source, "backup", str(file)])
    assert made.exit_code == 0, made.output
    assert file.stat().st_size > 0

    restored = runner.invoke(cli.app, ["--database-url", empty_database_url, "restore", str(file)])
    assert restored.exit_code == 0, restored.output
    assert "intact" in restored.output
    before, after = _counts(fresh_database_url), _counts(empty_database_url)
    assert after == before and before["audit_log"] >= 15 and before["staff_user"] == 2
    # A sample of encrypted fields opens with the key after the round trip.
    restored_tokens = stored_notes(empty_database_url)
    assert restored_tokens == stored_notes(fresh_database_url)
    sample = {i: restored_tokens[i] for i in sorted(restored_tokens)[::3]}
    assert len(sample) == 4
    assert decrypt_with(sample, key) == {i: notes[i] for i in sample}
    assert _head(empty_database_url) == head
    # The restored database keeps its safeguards: audit rows still refuse changes.
    engine = make_engine(empty_database_url)
    try:
        with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
            conn.execute(text("DELETE FROM audit_log"))
    finally:
        engine.dispose()
    # A second restore over a database with data is refused unless asked to replace.
    again = runner.invoke(cli.app, ["--database-url", empty_database_url, "restore", str(file)])
    assert again.exit_code == 1 and "not empty" in again.output
