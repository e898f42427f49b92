"""The exchange columns from Excel: same rules, same row numbers as the sheet shows."""

from __future__ import annotations

import io

from openpyxl import Workbook
from sqlalchemy.orm import Session

from resources_catalog import service


def _workbook(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_errors_use_the_sheet_row_numbers(session: Session) -> None:
    data = _workbook(
        [
            ["資源ID", "活動名", "受入先", "曜日", "定員", "空き"],
            ["X1", "良い行", "受入先", "月・水", 5, 2],
            ["X2", "悪い行", "受入先", "月・曜", 5, 2],
            ["X3", "空きが多い", "受入先", "火", 2, 3],
        ]
    )
    records, errors, total = service.parse_file(data, "list.xlsx")
    assert total == 3
    assert [r.resource_id for r in records] == ["X1"]
    assert records[0].days == ["mon", "wed"]
    assert [(e.row, e.column) for e in errors] == [(3, "days"), (4, "capacity_remaining")]
