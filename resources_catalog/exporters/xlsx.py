"""The exchange columns as an Excel sheet (numbers stay numbers, flags are true/false)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from resources_catalog.exporters.csv import cell
from resources_catalog.labels import field_label, value_ja
from resources_catalog.records import CSV_COLUMNS, ResourceRecord


def _xlsx_cell(column: str, value: Any, japanese: bool) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    if value is None:
        return None
    # Rows stored before control characters were refused must still export.
    return ILLEGAL_CHARACTERS_RE.sub("", value_ja(column, value) if japanese else cell(value))


def table_xlsx(title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """One sheet named ``title``: a header row, then the rows as given (None stays empty).

    The small exchange tables (agencies, cooperation fees) are written this way; the catalog,
    which may be large, streams its sheet in write-only mode below.
    """
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_xlsx(records: Iterable[ResourceRecord], *, japanese: bool = False) -> bytes:
    """One sheet 資源一覧 with a header row of CSV_COLUMNS (or their Japanese names)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("資源一覧")
    sheet.append([field_label(c) for c in CSV_COLUMNS] if japanese else list(CSV_COLUMNS))
    for record in records:
        sheet.append([_xlsx_cell(c, getattr(record, c), japanese) for c in CSV_COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
