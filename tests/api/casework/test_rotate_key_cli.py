"""``tsunagu rotate-key``: every sensitive value re-encrypted under the new key, verified
with the new key alone, audited; a re-run after an interruption carries on."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import InvalidToken
from sqlalchemy import text
from typer.testing import CliRunner

from api import cli
from casework import crypto
from storage.engine import make_engine
from tests.api.casework.encrypted_seed import decrypt_with, seed_people, stored_notes

runner = CliRunner()


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("TSUNAGU_SECRET_KEY", "TSUNAGU_ENCRYPTION_KEY_PREVIOUS", "TSUNAGU_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)


def _audit_actions(url: str) -> list[str]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text("SELECT action FROM audit_log ORDER BY id")).scalars())
    finally:
        engine.dispose()


def test_rotate_key_reencrypts_verifies_and_is_audited(
    fresh_database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new = crypto.generate_key(), crypto.generate_key()
    notes = seed_people(fresh_database_url, old, count=7)
    monkeypatch.setenv("TSUNAGU_ENCRYPTION_KEY", new)
    monkeypatch.setenv("TSUNAGU_ENCRYPTION_KEY_PREVIOUS", old)

    result = runner.invoke(
        cli.app, ["--database-url", fresh_database_url, "rotate-key", "--batch-size", "3"]
    )

    assert result.exit_code == 0, result.output
    assert "verified" in result.output
    tokens = stored_notes(fresh_database_url)
    assert decrypt_with(tokens, new) == notes
    with pytest.raises(InvalidToken):
        decrypt_with(tokens, old)
    assert _audit_actions(fresh_database_url)[-1] == "crypto.rotate_key"
    # Run again (as after an interruption): nothing left to rewrite, still verified.
    again = runner.invoke(cli.app, ["--database-url", fresh_database_url, "rotate-key"])
    assert again.exit_code == 0, again.output
    assert "0 values rewritten" in again.output
    assert stored_notes(fresh_database_url) == tokens


def test_rotate_key_without_the_old_key_fails_and_leaves_data_readable(
    fresh_database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new = crypto.generate_key(), crypto.generate_key()
    notes = seed_people(fresh_database_url, old, count=2)
    monkeypatch.setenv("TSUNAGU_ENCRYPTION_KEY", new)

    result = runner.invoke(cli.app, ["--database-url", fresh_database_url, "rotate-key"])

    assert result.exit_code == 1
    assert "none of the keys" in " ".join(result.output.split())
    assert decrypt_with(stored_notes(fresh_database_url), old) == notes


def test_during_rotation_the_service_reads_old_values_and_writes_new_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from cryptography.fernet import Fernet

    from api.settings import Settings

    old1, old2, new = crypto.generate_key(), crypto.generate_key(), crypto.generate_key()
    settings = Settings(
        _env_file=None, encryption_key=new, encryption_key_previous=f"{old1}, {old2}"
    )
    assert settings.encryption_keys() == [new, old1, old2]
    monkeypatch.setattr(crypto, "_cipher", None)
    crypto.configure(settings.encryption_keys())
    assert crypto.decrypt(Fernet(old2).encrypt("通院中".encode()).decode()) == "通院中"
    written = crypto.encrypt("通院中")
    assert Fernet(new).decrypt(written.encode()).decode() == "通院中"
