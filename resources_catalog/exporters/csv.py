"""The exchange CSV, with a UTF-8 BOM so Excel on Japanese Windows opens it as UTF-8."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from resources_catalog.labels import field_label, value_ja
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


def export_csv(records: Iterable[ResourceRecord], *, japanese: bool = False) -> bytes:
    """CSV_COLUMNS in order, one row per record.

    ``japanese`` writes the headers and values a coordinator reads (定員, 月・水・金, はい);
    the importers read both spellings, so either file re-imports unchanged.
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    spell = value_ja if japanese else (lambda _column, value: cell(value))
    writer.writerow([field_label(c) for c in CSV_COLUMNS] if japanese else CSV_COLUMNS)
    for record in records:
        writer.writerow([spell(column, getattr(record, column)) for column in CSV_COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")
