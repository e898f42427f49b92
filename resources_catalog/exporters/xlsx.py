"""The exchange columns as an Excel sheet (numbers stay numbers, flags are true/false)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from resources_catalog.exporters.csv import cell
from resources_catalog.records import CSV_COLUMNS, ResourceRecord


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    if value is None:
        return None
    # Rows stored before control characters were refused must still export.
    return ILLEGAL_CHARACTERS_RE.sub("", cell(value))


def export_xlsx(records: Iterable[ResourceRecord]) -> bytes:
    """One sheet 資源一覧 with a header row of CSV_COLUMNS."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("資源一覧")
    sheet.append(list(CSV_COLUMNS))
    for record in records:
        sheet.append([_xlsx_cell(getattr(record, column)) for column in CSV_COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
