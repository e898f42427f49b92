"""The exchange CSV: UTF-8 with or without BOM, or cp932 as saved by Japanese Excel."""

from __future__ import annotations

import csv
import io

from resources_catalog.errors import UnsupportedFile
from resources_catalog.importers.rows import parse_rows
from resources_catalog.records import ResourceRecord
from resources_catalog.validation import RowError

ENCODINGS = ("utf-8-sig", "cp932")


def decode(data: bytes) -> str:
    """Text of a CSV file; cp932 (a superset of Shift_JIS) when it is not UTF-8."""
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnsupportedFile("文字コードを判別できません（UTF-8 または Shift_JIS で保存してください）")


def parse_csv(data: bytes) -> tuple[list[ResourceRecord], list[RowError], int]:
    """Records, row errors and the number of data rows of one CSV file."""
    text = decode(data)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            text[:4096], delimiters=",\t"
        )
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header = next(reader)
    except StopIteration:
        raise UnsupportedFile("CSV が空です") from None
    except csv.Error as exc:
        raise UnsupportedFile(f"CSV として読めません: {exc}") from exc
    return parse_rows(header, reader)
