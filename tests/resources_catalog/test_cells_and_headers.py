"""Tolerant cell parsing and header aliases: the spellings coordinators actually type."""

from __future__ import annotations

import pytest

from resources_catalog.importers import cells as a
from resources_catalog.importers.headers import canonical_column


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("mon;tue", ["mon", "tue"]),
        ("月・水", ["mon", "wed"]),
        ("月,火", ["mon", "tue"]),
        ("水;月", ["mon", "wed"]),
        ("月曜日、金曜日", ["mon", "fri"]),
        ("月〜金", ["mon", "tue", "wed", "thu", "fri"]),
        ("平日", ["mon", "tue", "wed", "thu", "fri"]),
        ("TU,TH", ["tue", "thu"]),
        ("月水金", ["mon", "wed", "fri"]),
        ("", []),
    ],
)
def test_days(raw: str, expected: list[str]) -> None:
    assert a.days(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("true", True),
        ("0", False),
        ("○", True),
        ("×", False),
        ("はい", True),
        ("不可", False),
        ("ＴＲＵＥ", True),
        ("", None),
    ],
)
def test_booleans(raw: str, expected: bool | None) -> None:
    assert a.boolean(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("9:30", "09:30"), ("０９：３０", "09:30"), ("9時30分", "09:30"), ("10:00:00", "10:00")],
)
def test_times(raw: str, expected: str) -> None:
    assert a.clock(raw) == expected


@pytest.mark.parametrize("raw", ["25:00", "9:75", "noon"])
def test_bad_times_raise(raw: str) -> None:
    with pytest.raises(a.CellError):
        a.clock(raw)


def test_full_width_numbers_and_units() -> None:
    assert a.integer("１，０００円") == 1000
    assert a.integer("6人") == 6
    with pytest.raises(a.CellError):
        a.integer("-3")


def test_japanese_headers_map_to_columns() -> None:
    assert canonical_column("受入先名") == "organization"
    assert canonical_column("残り枠") == "capacity_remaining"
    assert canonical_column("参加費（円）") == "participant_cost_yen"
    assert canonical_column("謎の列") is None
