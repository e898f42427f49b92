"""Catalog export with Japanese headers and values (定員, 月・水・金, はい) re-imports unchanged."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest

from resources_catalog import service as catalog
from resources_catalog.exporters.csv import export_csv
from resources_catalog.exporters.xlsx import export_xlsx
from resources_catalog.labels import FIELD_LABELS_JA, value_ja
from resources_catalog.records import CATEGORY_CODES, CSV_COLUMNS, ResourceRecord
from resources_catalog.taxonomy import CATEGORY_NAMES_JA

DEMO = Path(catalog.__file__).parent / "demo" / "demo_catalog.csv"


def _records() -> list[ResourceRecord]:
    demo, errors, _ = catalog.parse_path(DEMO)
    assert not errors and len(demo) > 100
    # Every category (names hold ・), every status and fee unit, both flags' values.
    extra = [
        ResourceRecord(
            resource_id=f"X{i}",
            name=f"活動{i}",
            organization="団体",
            categories=[code, CATEGORY_CODES[(i + 3) % len(CATEGORY_CODES)]],
            days=["mon", "wed", "fri"] if i % 2 else ["sat", "sun"],
            status=("active", "inactive", "temporarily_closed")[i % 3],
            cooperation_fee_unit=("per_session", "per_month", "none")[i % 3],
            cooperation_fee_yen=1000 if i % 3 != 2 else 0,
            paid=bool(i % 2),
            visit_ok=not i % 2,
            capacity_total=3,
            capacity_remaining=i % 4,
        )
        for i, code in enumerate(CATEGORY_CODES)
    ]
    return demo + extra


def _dump(records: list[ResourceRecord]) -> list[dict[str, object]]:
    return [{c: getattr(r, c) for c in CSV_COLUMNS} for r in records]


def test_the_japanese_csv_reads_like_the_coordinators_words() -> None:
    record = ResourceRecord(
        resource_id="R1",
        name="畑",
        organization="農園",
        categories=["farm", "office_it"],
        days=["mon", "wed", "fri"],
        paid=True,
        status="temporarily_closed",
    )
    rows = list(csv.reader(io.StringIO(export_csv([record], japanese=True).decode("utf-8-sig"))))
    header, row = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert header[0] == "資源ID" and "空き" in header and "定員" in header
    assert not set(header) & set(CSV_COLUMNS)  # no English header left
    assert row["曜日"] == "月・水・金"
    assert row["分類"] == "農業・園芸、事務・IT"
    assert row["工賃あり"] == "はい" and row["見学可"] == "いいえ"
    assert row["状態"] == "休止中"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_japanese_export_reimports_unchanged(fmt: str) -> None:
    records = _records()
    exporter = export_csv if fmt == "csv" else export_xlsx
    data = exporter(records, japanese=True)
    again, errors, total = catalog.parse_file(data, f"catalog.{fmt}")
    assert errors == [] and total == len(records)
    assert _dump(again) == _dump(records)


def test_the_japanese_xlsx_has_japanese_headers_and_keeps_numbers() -> None:
    record = ResourceRecord(resource_id="R1", name="畑", organization="農園", capacity_total=5)
    sheet = openpyxl.load_workbook(io.BytesIO(export_xlsx([record], japanese=True))).active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    values = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert header == [FIELD_LABELS_JA[c] for c in CSV_COLUMNS]
    assert values["定員"] == 5 and values["車いす可"] == "いいえ"


def test_history_values_use_labels_and_category_names() -> None:
    assert value_ja("categories", ["office_it"]) == CATEGORY_NAMES_JA["office_it"]
    assert value_ja("days", ["mon", "wed"]) == "月・水"
    assert value_ja("status", "active") == "受入中"
    assert value_ja("wheelchair_accessible", True) == "はい"
    assert value_ja("capacity_remaining", 2) == "2"
    assert value_ja("min_age", None) == ""
