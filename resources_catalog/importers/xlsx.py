"""The exchange columns in an Excel workbook: first sheet, header in row 1."""

from __future__ import annotations

import io
import zipfile

from openpyxl import load_workbook

from resources_catalog.errors import UnsupportedFile
from resources_catalog.importers.rows import parse_rows
from resources_catalog.records import ResourceRecord
from resources_catalog.validation import RowError


def parse_xlsx(data: bytes) -> tuple[list[ResourceRecord], list[RowError], int]:
    """Records, row errors and the number of data rows; row numbers match Excel's."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UnsupportedFile(f"Excel ファイルとして読めません: {exc}") from exc
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise UnsupportedFile("シートが空です")
        return parse_rows(list(header), (list(r) for r in rows))
    finally:
        workbook.close()
