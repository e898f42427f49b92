"""``tsunagu import-catalog --format wam|kaigo --municipality``: real open data, idempotent."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api import cli
from tests.conftest import shared_path

runner = CliRunner()


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("TSUNAGU_SECRET_KEY", "TSUNAGU_ENCRYPTION_KEY", "TSUNAGU_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "200")


def _counts(output: str) -> dict[str, int]:
    found = re.findall(r"(new|updated|unchanged|errors|rows)\s*│\s*(\d+)", output)
    return {k: int(v) for k, v in found}


def test_wam_import_of_chiba_city_twice_changes_nothing_the_second_time(
    fresh_database_url: str,
) -> None:
    path = str(shared_path("data", "wam_shogai_chiba_pref_202503.csv"))
    args = ["--database-url", fresh_database_url, "import-catalog", "--format", "wam"]
    first = runner.invoke(cli.app, [*args, path, "--municipality", "千葉市"])
    assert first.exit_code == 0, first.output
    assert _counts(first.stdout) == {
        "new": 193,
        "updated": 0,
        "unchanged": 0,
        "errors": 0,
        "rows": 193,
    }
    second = runner.invoke(cli.app, [*args, path, "--municipality", "千葉市"])
    assert second.exit_code == 0, second.output
    assert _counts(second.stdout)["unchanged"] == 193
    assert _counts(second.stdout)["new"] == _counts(second.stdout)["updated"] == 0
