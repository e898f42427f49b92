"""``tsunagu create-user``, ``create-api-key`` and ``verify-audit``."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from api import cli
from casework.services import accounts
from storage.engine import make_engine, make_session_factory, unit_of_work
from tests.audit_tampering import lift_audit_triggers

runner = CliRunner()


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """An empty working folder and no keys from the environment."""
    monkeypatch.chdir(tmp_path)
    for name in ("TSUNAGU_SECRET_KEY", "TSUNAGU_ENCRYPTION_KEY", "TSUNAGU_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)


def test_create_api_key_prints_a_working_key_once(fresh_database_url: str) -> None:
    result = runner.invoke(
        cli.app,
        ["--database-url", fresh_database_url, "create-api-key", "--role", "finance",
         "--name", "会計システム"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    token = result.stdout.strip().splitlines()[-1]
    assert token.startswith("tsk_")
    engine = make_engine(fresh_database_url)
    try:
        with unit_of_work(make_session_factory(engine)) as session:
            who = accounts.authenticate_api_key(session, token)
            stored = session.execute(text("SELECT key_hash FROM api_client")).scalar_one()
    finally:
        engine.dispose()
    assert who.kind == "api_client" and "fee:approve" in who.permissions()
    assert token not in stored


def test_create_user_takes_the_password_from_a_hidden_prompt(fresh_database_url: str) -> None:
    password = "correct horse battery"
    result = runner.invoke(
        cli.app,
        ["--database-url", fresh_database_url, "create-user", "tanaka", "--role", "coordinator",
         "--team", "team-a"],
        input=f"{password}\n{password}\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "tanaka" in result.output and password not in result.output
    engine = make_engine(fresh_database_url)
    try:
        with unit_of_work(make_session_factory(engine)) as session:
            who = accounts.authenticate_user(session, "tanaka", password)
    finally:
        engine.dispose()
    assert who.role == "coordinator" and who.team == "team-a"


def test_create_user_refuses_a_short_password(fresh_database_url: str) -> None:
    result = runner.invoke(
        cli.app,
        ["--database-url", fresh_database_url, "create-user", "sato", "--role", "auditor",
         "--password", "short"],
    )  # fmt: skip
    assert result.exit_code == 1


def test_verify_audit_exits_0_when_intact_and_1_when_tampered(fresh_database_url: str) -> None:
    args = ["--database-url", fresh_database_url]
    runner.invoke(cli.app, [*args, "create-api-key", "--role", "auditor", "--name", "a"])
    runner.invoke(cli.app, [*args, "create-api-key", "--role", "auditor", "--name", "b"])
    intact = runner.invoke(cli.app, [*args, "verify-audit"])
    assert intact.exit_code == 0, intact.output
    assert "2 rows" in intact.output
    engine = make_engine(fresh_database_url)
    try:
        with engine.begin() as conn:
            lift_audit_triggers(conn)
            conn.execute(text("UPDATE audit_log SET action = 'x' WHERE id = 1"))
    finally:
        engine.dispose()
    broken = runner.invoke(cli.app, [*args, "verify-audit"])
    assert broken.exit_code == 1
    assert "row 1" in broken.output


def test_unlock_sign_in_lifts_a_lock_from_the_command_line(fresh_database_url: str) -> None:
    from datetime import UTC, datetime, timedelta

    from casework.errors import CaseworkError
    from casework.services.sign_in_guard import SignInRefused

    password = "correct horse battery"
    result = runner.invoke(
        cli.app,
        ["--database-url", fresh_database_url, "create-user", "kato", "--role", "coordinator",
         "--password", password],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    engine = make_engine(fresh_database_url)
    factory = make_session_factory(engine)
    start = datetime.now(UTC) - timedelta(minutes=10)
    try:
        # Each attempt commits its record even though it fails (as the login page does).
        for i in range(5):
            with unit_of_work(factory) as session, pytest.raises(CaseworkError):
                accounts.authenticate_user(
                    session, "kato", "wrong", ip="10.1.1.1", now=start + timedelta(minutes=i)
                )
        with unit_of_work(factory) as session, pytest.raises(SignInRefused):
            accounts.authenticate_user(session, "kato", password, ip="10.1.1.1")
        result = runner.invoke(
            cli.app, ["--database-url", fresh_database_url, "unlock-sign-in", "--user", "kato"]
        )
        assert result.exit_code == 0, result.output
        with unit_of_work(factory) as session:
            assert (
                accounts.authenticate_user(session, "kato", password, ip="10.1.1.1").kind == "user"
            )
    finally:
        engine.dispose()


def test_verify_audit_with_a_recorded_head_detects_rows_cut_from_the_end(
    fresh_database_url: str,
) -> None:
    args = ["--database-url", fresh_database_url]
    runner.invoke(cli.app, [*args, "create-api-key", "--role", "auditor", "--name", "a"])
    first = runner.invoke(cli.app, [*args, "verify-audit"])
    assert first.exit_code == 0, first.output
    early_head = first.stdout.strip().splitlines()[-1]
    assert len(early_head) == 64
    runner.invoke(cli.app, [*args, "create-api-key", "--role", "auditor", "--name", "b"])
    second = runner.invoke(cli.app, [*args, "verify-audit", "--expect-head", early_head])
    assert second.exit_code == 0, second.output
    late_head = second.stdout.strip().splitlines()[-1]
    assert late_head != early_head
    engine = make_engine(fresh_database_url)
    try:
        with engine.begin() as conn:
            lift_audit_triggers(conn)
            conn.execute(text("DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)"))
    finally:
        engine.dispose()
    # The shortened chain is still a valid chain: only the recorded head shows the cut.
    assert runner.invoke(cli.app, [*args, "verify-audit"]).exit_code == 0
    cut = runner.invoke(cli.app, [*args, "verify-audit", "--expect-head", late_head])
    assert cut.exit_code == 1
    assert "removed" in cut.output
    assert (
        runner.invoke(cli.app, [*args, "verify-audit", "--expect-head", early_head]).exit_code == 0
    )
