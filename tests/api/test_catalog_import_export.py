"""Catalog file import (upload) and export (download)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import openpyxl
from fastapi.testclient import TestClient

from resources_catalog.records import CSV_COLUMNS
from tests.api.conftest import ClientFactory
from tests.api.factories import catalog_csv, create, resource

IMPORT = "/api/v1/catalog/import"
EXPORT = "/api/v1/catalog/export"
LIST = "/api/v1/catalog/resources"


def _upload(client: TestClient, data: bytes, filename: str = "catalog.csv", **params: bool) -> Any:
    return client.post(IMPORT, files={"file": (filename, data, "text/csv")}, params=params)


def _total(client: TestClient) -> int:
    total: int = client.get(LIST).json()["total"]
    return total


GOOD = [resource("R001"), resource("R002", ward="美浜区")]
WITH_BAD_ROW = [resource("R001"), resource("R002", lat="north"), resource("R003")]


def test_import_of_a_good_csv_adds_every_row(client: TestClient) -> None:
    response = _upload(client, catalog_csv(GOOD))
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["ok"] is True
    assert report["applied"] is True
    assert sorted(report["new"]) == ["R001", "R002"]
    assert report["counts"] == {
        "new": 2,
        "updated": 0,
        "unchanged": 0,
        "deactivated": 0,
        "errors": 0,
    }
    assert client.get(f"{LIST}/R002").json()["ward"] == "美浜区"


def test_import_of_the_same_file_again_changes_nothing(client: TestClient) -> None:
    _upload(client, catalog_csv(GOOD))
    report = _upload(client, catalog_csv(GOOD)).json()
    assert sorted(report["unchanged"]) == ["R001", "R002"]
    assert report["new"] == [] and report["updated"] == []


def test_import_updates_changed_rows(client: TestClient) -> None:
    _upload(client, catalog_csv(GOOD))
    changed = [resource("R001", capacity_remaining=0), resource("R002", ward="美浜区")]
    report = _upload(client, catalog_csv(changed)).json()
    assert report["updated"] == ["R001"]
    assert client.get(f"{LIST}/R001").json()["capacity_remaining"] == 0


def test_import_with_a_bad_row_is_422_with_a_row_numbered_report_and_no_change(
    client: TestClient,
) -> None:
    response = _upload(client, catalog_csv(WITH_BAD_ROW))
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "import_rejected"
    errors = body["detail"]["report"]["errors"]
    assert len(errors) == 1
    (error,) = errors
    assert error["row"] == 3  # header is row 1, R002 is the second data row
    assert error["column"] == "lat"
    assert error["message_ja"] and error["message_en"]
    assert body["detail"]["report"]["applied"] is False
    assert _total(client) == 0


def test_import_valid_only_keeps_the_good_rows_and_reports_the_bad(client: TestClient) -> None:
    response = _upload(client, catalog_csv(WITH_BAD_ROW), valid_only=True)
    assert response.status_code == 200
    report = response.json()
    assert sorted(report["new"]) == ["R001", "R003"]
    assert [e["row"] for e in report["errors"]] == [3]
    assert _total(client) == 2


def test_import_dry_run_reports_without_changing_anything(client: TestClient) -> None:
    response = _upload(client, catalog_csv(GOOD), dry_run=True)
    assert response.status_code == 200
    report = response.json()
    assert report["dry_run"] is True
    assert report["applied"] is False
    assert sorted(report["new"]) == ["R001", "R002"]
    assert _total(client) == 0


def test_import_deactivate_missing_deactivates_resources_not_in_the_file(
    client: TestClient,
) -> None:
    create(client, "R009")
    report = _upload(client, catalog_csv(GOOD), deactivate_missing=True).json()
    assert report["deactivated"] == ["R009"]
    assert client.get(f"{LIST}/R009").json()["status"] == "inactive"


def test_import_of_an_unsupported_file_is_415(client: TestClient) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
    response = _upload(client, png, filename="photo.png")
    assert response.status_code == 415
    assert response.json()["error"] == "unsupported_file"


def test_import_of_a_file_above_the_upload_limit_is_413(make_client: ClientFactory) -> None:
    with make_client(upload_max_bytes=100) as client:
        response = _upload(client, catalog_csv(GOOD))
    assert response.status_code == 413
    assert response.json()["error"] == "file_too_large"


def test_import_without_a_file_is_422(client: TestClient) -> None:
    response = client.post(IMPORT)
    assert response.status_code == 422
    assert response.json()["error"] == "validation_error"


def test_export_csv_is_an_excel_ready_download(client: TestClient) -> None:
    _upload(client, catalog_csv(GOOD))
    response = client.get(EXPORT, params={"format": "csv"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;") and '.csv"' in disposition
    assert response.content.startswith(b"\xef\xbb\xbf")  # BOM, so Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert tuple(rows[0][: len(CSV_COLUMNS)]) == CSV_COLUMNS
    assert sorted(r[0] for r in rows[1:]) == ["R001", "R002"]


def test_export_xlsx_opens_in_openpyxl(client: TestClient) -> None:
    _upload(client, catalog_csv(GOOD))
    response = client.get(EXPORT, params={"format": "xlsx"})
    assert response.status_code == 200
    assert response.headers["content-type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert '.xlsx"' in response.headers["content-disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "resource_id"
    assert sorted(str(v[0]) for v in values[1:]) == ["R001", "R002"]


def test_export_hsds_is_json(client: TestClient) -> None:
    _upload(client, catalog_csv(GOOD))
    response = client.get(EXPORT, params={"format": "hsds"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert '.json"' in response.headers["content-disposition"]
    data = json.loads(response.content)
    assert "受入先 R001" in json.dumps(data, ensure_ascii=False)


def test_export_rejects_an_unknown_format(client: TestClient) -> None:
    response = client.get(EXPORT, params={"format": "pdf"})
    assert response.status_code == 422
    assert response.json()["error"] == "validation_error"
