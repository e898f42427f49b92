"""Tolerant cell parsers for spreadsheets written by people, not programs.

Every parser takes the raw cell (a string from CSV, or whatever openpyxl returns) and gives
the canonical value or raises ``CellError`` with a reason in Japanese and English: full-width
digits, ○/× marks, 月〜金 and 9時30分 all read. Parsers of short, repetitive strings are
cached: a 100,000-row import sees the same few hundred day lists, times and flags over and
over.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import time as dt_time
from functools import lru_cache
from typing import Any

from resources_catalog.records import CONTROL_CHARACTERS, MAX_INT32, WARDS, WEEKDAYS
from resources_catalog.taxonomy import CATEGORY_ALIASES


class CellError(ValueError):
    """A cell that cannot be read; carries the reason in both languages."""

    def __init__(self, message_ja: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_ja = message_ja
        self.message_en = message_en


def nfkc(value: str) -> str:
    """Full-width digits and letters to ASCII, so ３５．６ and 35.6 read the same."""
    return unicodedata.normalize("NFKC", value).strip()


# What a coordinator reads when a cell or a record holds a control character.
CONTROL_CHARACTERS_JA = "制御文字が含まれています"


def text(value: Any) -> str | None:
    """Free text: trimmed, but never NFKC-folded (names keep their own characters)."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    result = str(value).strip()
    if CONTROL_CHARACTERS.search(result):
        # The database and Excel refuse these; say so per cell instead of failing the import.
        raise CellError(CONTROL_CHARACTERS_JA, "contains a control character")
    return result or None


_TRUE = {
    "true",
    "1",
    "yes",
    "y",
    "t",
    "○",
    "〇",
    "◯",
    "◎",
    "はい",
    "可",
    "有",
    "あり",
    "要",
    "必要",
    "対応",
}
_FALSE = {
    "false",
    "0",
    "no",
    "n",
    "f",
    "×",
    "✕",
    "✗",
    "x",
    "いいえ",
    "不可",
    "無",
    "なし",
    "不要",
    "非対応",
    "-",
    "ー",
}


@lru_cache(maxsize=256)
def _boolean(raw: str) -> bool | None:
    value = nfkc(raw).lower()
    if value == "":
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise CellError(f"真偽値として読めません: {raw}", f"not a boolean: {raw}")


def boolean(value: Any) -> bool | None:
    """true/false, 1/0, ○/×, はい/いいえ, 可/不可...; empty is None (the default)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return bool(value)
    return _boolean(str(value))


def integer(value: Any, *, minimum: int | None = 0) -> int | None:
    """An integer count or yen amount; tolerates 1,000 / １０００円 / 6人 / 6.0."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise CellError(f"整数ではありません: {value}", f"not an integer: {value}")
        number = int(value)
    else:
        raw = str(value)
        try:
            number = int(raw)
        except ValueError:
            cleaned = re.sub(r"[,\s円人名歳才]|以上|以下|まで", "", nfkc(raw))
            if cleaned == "":
                return None
            try:
                number = (
                    int(float(cleaned)) if re.fullmatch(r"-?\d+\.0*", cleaned) else int(cleaned)
                )
            except ValueError:
                raise CellError(f"整数ではありません: {raw}", f"not an integer: {raw}") from None
    if minimum is not None and number < minimum:
        raise CellError(
            f"{minimum}以上の数を入れてください: {number}",
            f"must be {minimum} or more: {number}",
        )
    if number > MAX_INT32:
        raise CellError(
            f"数が大きすぎます（{MAX_INT32}まで）: {number}",
            f"number too large (at most {MAX_INT32}): {number}",
        )
    return number


def coordinate(value: Any, *, limit: float, name_ja: str, name_en: str) -> float | None:
    """A WGS84 degree value within ±limit."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    else:
        raw = nfkc(str(value))
        if raw == "":
            return None
        try:
            number = float(raw)
        except ValueError:
            raise CellError(
                f"{name_ja}が数値ではありません: {value}", f"{name_en} is not a number: {value}"
            ) from None
    if not -limit <= number <= limit:
        raise CellError(
            f"{name_ja}が範囲外です（±{limit:g}）: {number}",
            f"{name_en} out of range (±{limit:g}): {number}",
        )
    return number


_DAY_TOKENS: dict[str, str] = {
    **{d: d for d in WEEKDAYS},
    "monday": "mon", "tuesday": "tue", "wednesday": "wed", "thursday": "thu",
    "friday": "fri", "saturday": "sat", "sunday": "sun",
    "mo": "mon", "tu": "tue", "we": "wed", "th": "thu", "fr": "fri", "sa": "sat", "su": "sun",
    "tues": "tue", "thur": "thu", "thurs": "thu",
    "月": "mon", "火": "tue", "水": "wed", "木": "thu", "金": "fri", "土": "sat", "日": "sun",
}  # fmt: skip
_DAY_GROUPS: dict[str, tuple[str, ...]] = {
    "平日": WEEKDAYS[:5],
    "土日": ("sat", "sun"),
    "土日祝": ("sat", "sun"),
    "週末": ("sat", "sun"),
    "毎日": WEEKDAYS,
    "daily": WEEKDAYS,
    "weekdays": WEEKDAYS[:5],
    "weekends": ("sat", "sun"),
}


def _day(token: str) -> str | None:
    token = re.sub(r"(曜日|曜)$", "", token)
    return _DAY_TOKENS.get(token)


@lru_cache(maxsize=4096)
def _days(raw: str) -> tuple[str, ...]:
    value = nfkc(raw).lower()
    if value == "":
        return ()
    found: list[str] = []
    for token in re.split(r"[;,、，・/／\s]+", value):
        if token == "":
            continue
        if token in _DAY_GROUPS:
            found.extend(_DAY_GROUPS[token])
            continue
        span = re.fullmatch(r"(.+?)[~〜～\-ー−](.+)", token)
        if span and _day(span.group(1)) and _day(span.group(2)):
            start = WEEKDAYS.index(_day(span.group(1)))
            end = WEEKDAYS.index(_day(span.group(2)))
            found.extend(WEEKDAYS[i % 7] for i in range(start, end + 1 + (7 if end < start else 0)))
            continue
        day = _day(token)
        if day is None and all(c in "月火水木金土日" for c in token):
            found.extend(_DAY_TOKENS[c] for c in token)  # 月水金 written without separators
            continue
        if day is None:
            raise CellError(f"曜日として読めません: {token}", f"unknown day: {token}")
        found.append(day)
    return tuple(d for d in WEEKDAYS if d in found)


def days(value: Any) -> list[str]:
    """Weekdays as mon..sun in week order: mon;tue, 月・水, 月,火, 月〜金, 平日 all work."""
    if value is None:
        return []
    return list(_days(str(value)))


@lru_cache(maxsize=4096)
def _time(raw: str, allow_24: bool) -> str | None:
    value = nfkc(raw)
    if value == "":
        return None
    match = re.fullmatch(r"(\d{1,2})(?:[:：時](\d{1,2})?分?(?::\d{2})?)?", value)
    if not match:
        raise CellError(f"時刻として読めません（HH:MM）: {raw}", f"bad time (HH:MM): {raw}")
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if minute > 59 or hour > 24 or (hour == 24 and (minute or not allow_24)):
        raise CellError(f"時刻が範囲外です: {raw}", f"time out of range: {raw}")
    return f"{hour:02d}:{minute:02d}"


def clock(value: Any, *, allow_24: bool = False) -> str | None:
    """HH:MM from 9:30, ９：３０, 9時30分, 09:30:00 or an Excel time cell."""
    if value is None:
        return None
    if isinstance(value, dt_time):
        return f"{value.hour:02d}:{value.minute:02d}"
    return _time(str(value), allow_24)


@lru_cache(maxsize=4096)
def _categories(raw: str) -> tuple[str, ...]:
    found: list[str] = []
    for whole in re.split(r"[;,、，/／\s]+", nfkc(raw)):
        # A whole name first: category names themselves hold ・ (農業・園芸).
        known = CATEGORY_ALIASES.get(whole) or CATEGORY_ALIASES.get(whole.lower())
        for token in [whole] if known else whole.split("・"):
            if token == "":
                continue
            code = CATEGORY_ALIASES.get(token) or CATEGORY_ALIASES.get(token.lower())
            if code is None:
                raise CellError(f"不明な分類です: {token}", f"unknown category: {token}")
            if code not in found:
                found.append(code)
    return tuple(found)


def categories(value: Any) -> list[str]:
    """Category codes from codes or Japanese names, in the order given, without repeats."""
    if value is None:
        return []
    return list(_categories(str(value)))


@lru_cache(maxsize=256)
def _ward(raw: str) -> str | None:
    value = nfkc(raw).removeprefix("千葉県").removeprefix("千葉市")
    if value == "":
        return None
    if not value.endswith("区"):
        value += "区"
    if value not in WARDS:
        raise CellError(
            f"千葉市の区ではありません（{'・'.join(WARDS)}）: {raw}", f"unknown ward: {raw}"
        )
    return value


def ward(value: Any) -> str | None:
    """One of the six wards; 千葉市中央区 and 中央 are read as 中央区."""
    return None if value is None else _ward(str(value))


_STATUS = {
    "active": "active", "有効": "active", "受入中": "active", "受け入れ中": "active",
    "募集中": "active", "公開": "active",
    "inactive": "inactive", "無効": "inactive", "停止": "inactive", "終了": "inactive",
    "非公開": "inactive", "defunct": "inactive",
    "temporarily_closed": "temporarily_closed", "temporarily closed": "temporarily_closed",
    "休止": "temporarily_closed", "休止中": "temporarily_closed", "一時休止": "temporarily_closed",
}  # fmt: skip


def status(value: Any) -> str | None:
    """active / inactive / temporarily_closed, also 受入中 / 停止 / 休止中."""
    raw = "" if value is None else nfkc(str(value)).lower()
    if raw == "":
        return None
    if raw not in _STATUS:
        raise CellError(f"状態が不明です: {value}", f"unknown status: {value}")
    return _STATUS[raw]


_FEE_UNITS = {
    "per_session": "per_session", "回": "per_session", "1回": "per_session",
    "1回あたり": "per_session", "per session": "per_session",
    "per_month": "per_month", "1か月あたり": "per_month",
    "月": "per_month", "月額": "per_month", "1か月": "per_month",
    "per month": "per_month",
    "none": "none", "なし": "none", "無": "none",
}  # fmt: skip


def fee_unit(value: Any) -> str | None:
    """per_session / per_month / none, also 回 / 月額 / なし."""
    raw = "" if value is None else nfkc(str(value)).lower()
    if raw == "":
        return None
    if raw not in _FEE_UNITS:
        raise CellError(f"協力費の単位が不明です: {value}", f"unknown fee unit: {value}")
    return _FEE_UNITS[raw]
