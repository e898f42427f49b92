"""The one-sheet table writer shared by the agency and cooperation-fee exports."""

from __future__ import annotations

import io

import openpyxl

from resources_catalog.exporters.xlsx import table_xlsx


def test_a_table_is_one_named_sheet_with_its_header_and_rows() -> None:
    data = table_xlsx("agencies", ("code", "count", "note"), [["A1", 3, None], ["B2", 0, "x"]])

    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook.active
    assert sheet is not None
    assert workbook.sheetnames == ["agencies"]
    assert list(sheet.iter_rows(values_only=True)) == [
        ("code", "count", "note"),
        ("A1", 3, None),
        ("B2", 0, "x"),
    ]
