"""The exchange CSV, with a UTF-8 BOM so Excel on Japanese Windows opens it as UTF-8."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from resources_catalog.records import CSV_COLUMNS, ResourceRecord


def cell(value: Any) -> str:
    """The exchange CSV spelling of one value: ``;``-joined lists, true/false, empty None."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return str(value)


def export_csv(records: Iterable[ResourceRecord]) -> bytes:
    """CSV_COLUMNS in order, one row per record."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for record in records:
        writer.writerow([cell(getattr(record, column)) for column in CSV_COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")
