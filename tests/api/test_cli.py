"""The ``tsunagu`` command line: init-db, import-catalog, export-catalog, serve."""

from __future__ import annotations

import csv
import io
import json
import stat
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import inspect
from typer.testing import CliRunner

from api import cli
from storage.engine import make_engine
from tests.api.factories import catalog_csv, resource

runner = CliRunner()

GOOD = [resource("R001"), resource("R002", ward="美浜区")]
WITH_BAD_ROW = [resource("R001"), resource("R002", start_time="25:99"), resource("R003")]


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Run in an empty folder (tsunagu.local.env lives in the working folder), no env keys."""
    monkeypatch.chdir(tmp_path)
    for name in ("TSUNAGU_SECRET_KEY", "TSUNAGU_ENCRYPTION_KEY", "TSUNAGU_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "200")


def _run(url: str, *args: str) -> Any:
    return runner.invoke(cli.app, ["--database-url", url, *args])


def _write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def _exported_ids(url: str) -> list[str]:
    result = _run(url, "export-catalog", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout_bytes.decode("utf-8-sig"))))
    return sorted(r["resource_id"] for r in rows)


def test_init_db_migrates_an_empty_database(fresh_database_url: str) -> None:
    result = _run(fresh_database_url, "init-db")
    assert result.exit_code == 0, result.output
    assert "Database ready" in result.output
    engine = make_engine(fresh_database_url)
    try:
        assert "service" in inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_import_catalog_of_a_good_file_prints_a_summary_and_exits_0(
    fresh_database_url: str, tmp_path: Path
) -> None:
    file = _write(tmp_path, "good.csv", catalog_csv(GOOD))
    result = _run(fresh_database_url, "import-catalog", file, "--actor", "tester")
    assert result.exit_code == 0, result.output
    assert "新規 / new" in result.stdout
    assert _exported_ids(fresh_database_url) == ["R001", "R002"]


def test_import_catalog_of_a_bad_file_lists_rows_exits_1_and_changes_nothing(
    fresh_database_url: str, tmp_path: Path
) -> None:
    file = _write(tmp_path, "bad.csv", catalog_csv(WITH_BAD_ROW))
    result = _run(fresh_database_url, "import-catalog", file)
    assert result.exit_code == 1
    assert "start_time" in result.stdout
    assert "R002" in result.stdout
    assert "--valid-only" in result.stderr
    assert _exported_ids(fresh_database_url) == []


def test_import_catalog_valid_only_imports_good_rows_but_still_exits_1(
    fresh_database_url: str, tmp_path: Path
) -> None:
    file = _write(tmp_path, "bad.csv", catalog_csv(WITH_BAD_ROW))
    result = _run(fresh_database_url, "import-catalog", file, "--valid-only")
    assert result.exit_code == 1
    assert _exported_ids(fresh_database_url) == ["R001", "R003"]


def test_import_catalog_dry_run_changes_nothing(fresh_database_url: str, tmp_path: Path) -> None:
    file = _write(tmp_path, "good.csv", catalog_csv(GOOD))
    result = _run(fresh_database_url, "import-catalog", file, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Dry run" in result.stdout
    assert _exported_ids(fresh_database_url) == []


def test_import_catalog_deactivate_missing(fresh_database_url: str, tmp_path: Path) -> None:
    _run(fresh_database_url, "import-catalog", _write(tmp_path, "a.csv", catalog_csv(GOOD)))
    only_first = _write(tmp_path, "b.csv", catalog_csv(GOOD[:1]))
    result = _run(fresh_database_url, "import-catalog", only_first, "--deactivate-missing")
    assert result.exit_code == 0, result.output
    out = _run(fresh_database_url, "export-catalog", "--format", "csv").stdout_bytes
    rows = {r["resource_id"]: r for r in csv.DictReader(io.StringIO(out.decode("utf-8-sig")))}
    assert rows["R002"]["status"] == "inactive"


def test_import_catalog_of_an_unsupported_file_exits_1(
    fresh_database_url: str, tmp_path: Path
) -> None:
    file = _write(tmp_path, "photo.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    result = _run(fresh_database_url, "import-catalog", file)
    assert result.exit_code == 1
    assert "Unsupported file" in result.stderr


def test_import_catalog_of_a_missing_file_is_a_usage_error(fresh_database_url: str) -> None:
    assert _run(fresh_database_url, "import-catalog", "nope.csv").exit_code == 2


def test_export_catalog_writes_xlsx_and_hsds_files(fresh_database_url: str, tmp_path: Path) -> None:
    _run(fresh_database_url, "import-catalog", _write(tmp_path, "a.csv", catalog_csv(GOOD)))
    xlsx = tmp_path / "out.xlsx"
    result = _run(fresh_database_url, "export-catalog", "--format", "xlsx", "--output", str(xlsx))
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(xlsx).active
    assert sheet is not None
    assert sheet.max_row == 3
    hsds = _run(fresh_database_url, "export-catalog", "--format", "hsds")
    assert hsds.exit_code == 0
    assert "受入先 R001" in json.dumps(json.loads(hsds.stdout_bytes), ensure_ascii=False)


def test_export_catalog_xlsx_needs_an_output_file(fresh_database_url: str) -> None:
    result = _run(fresh_database_url, "export-catalog", "--format", "xlsx")
    assert result.exit_code == 2


def test_serve_generates_keys_once_prints_the_url_and_runs_uvicorn(
    fresh_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[dict[str, Any]] = []

    def fake_run(app: Any, **kwargs: Any) -> None:
        calls.append({"app": app, **kwargs})

    monkeypatch.setattr("uvicorn.run", fake_run)
    result = _run(fresh_database_url, "serve", "--port", "8123", "--demo")
    assert result.exit_code == 0, result.output
    assert "Tsunagu: http://127.0.0.1:8123/" in result.stdout
    assert "Loaded 43 demo agencies" in result.stdout
    assert calls and calls[0]["port"] == 8123 and calls[0]["host"] == "127.0.0.1"
    assert calls[0]["app"].state.settings.load_demo_catalog is True

    env_file = tmp_path / "tsunagu.local.env"
    content = env_file.read_text()
    assert "TSUNAGU_SECRET_KEY=" in content and "TSUNAGU_ENCRYPTION_KEY=" in content
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    assert calls[0]["app"].state.settings.secret_key is not None

    assert _exported_ids(fresh_database_url)  # the demo catalog was loaded

    again = _run(fresh_database_url, "serve", "--port", "8123", "--demo")
    assert again.exit_code == 0, again.output
    assert env_file.read_text() == content  # never overwritten


def test_serve_leaves_an_existing_env_file_alone(
    fresh_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: None)
    env_file = tmp_path / "tsunagu.local.env"
    env_file.write_text("TSUNAGU_PORT=9000\n")
    result = _run(fresh_database_url, "serve")
    assert result.exit_code == 0, result.output
    assert env_file.read_text() == "TSUNAGU_PORT=9000\n"
    assert "http://127.0.0.1:9000/" in result.stdout
