"""Importers for public welfare open data: WAM NET 障害福祉サービス and 介護サービス情報公表.

Both are prefecture-wide CSVs; ``municipality`` keeps the offices whose address lies in that
市区町村 (e.g. 千葉市). Each office × service becomes one catalog entry of kind welfare
service (``extra["kind"] == "welfare_service"``) with its coordinates, days, hours and 定員.

Free places are not published: a new entry starts with ``capacity_remaining = 0`` (so the
ranker does not suggest it until someone confirms places), and a re-import leaves the places,
status and any field the file does not carry as they are, so re-running changes nothing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from collections.abc import Callable, Iterator
from typing import Any

from pydantic import ValidationError

from resources_catalog.errors import UnsupportedFile
from resources_catalog.records import WARDS, ResourceRecord
from resources_catalog.validation import RowError

__all__ = ["FORMATS", "parse_kaigo", "parse_wam_shogai", "parse_welfare_open_data"]

WAM_SOURCE = "WAM NET 障害福祉サービス等情報公表システム"
KAIGO_SOURCE = "厚生労働省 介護サービス情報公表システム（CC BY 4.0）"

# WAM service type (サービス種別) -> catalog categories (activity kinds a person may ask for).
_WAM_CATEGORIES: dict[str, list[str]] = {
    "就労移行支援": ["employment_training"],
    "就労継続支援A型": ["employment_training"],
    "就労継続支援B型": ["employment_training"],
    "就労定着支援": ["employment_training"],
    "就労選択支援": ["employment_training"],
    "自立訓練(生活訓練)": ["place_to_be"],
    "自立訓練(機能訓練)": ["sports"],
    "宿泊型自立訓練": ["place_to_be"],
    "地域活動支援センター": ["place_to_be"],
    "生活介護": ["place_to_be"],
    "保育所等訪問支援": ["kids"],
    "児童発達支援": ["kids"],
    "放課後等デイサービス": ["kids"],
    "居宅訪問型児童発達支援": ["kids"],
    "医療型児童発達支援": ["kids"],
}
_WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]
_TIME_RANGE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-~〜]\s*(\d{1,2}):(\d{2})\s*$")


def _nfkc(value: str | None) -> str:
    return unicodedata.normalize("NFKC", value or "").strip()


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) as published in the shared copies, else Shift_JIS (cp932)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp932")
    except UnicodeDecodeError as exc:
        raise UnsupportedFile(
            "文字コードを読み取れません（UTF-8 または Shift_JIS の CSV にしてください）"
        ) from exc


def _rows(data: bytes, required: tuple[str, ...]) -> Iterator[dict[str, str]]:
    """The rows, once the header shows the file is the publication it claims to be.

    A file without the columns that name an office (an export of something else, a blank
    file) is refused as a whole rather than read as zero offices.
    """
    reader = csv.DictReader(io.StringIO(_decode(data), newline=""))
    header = [_nfkc(name) for name in reader.fieldnames or []]
    missing = [name for name in required if name not in header]
    if missing:
        raise UnsupportedFile(f"必要な列がありません: {'、'.join(missing)}")
    yield from reader


def _in_municipality(place: str, municipality: str | None) -> bool:
    """True when the 市区町村 part of an address (prefecture optional) starts with it."""
    if not municipality:
        return True
    place = re.sub(r"^.{2,3}?[都道府県]", "", _nfkc(place), count=1)
    return place.startswith(_nfkc(municipality))


def _ward(place: str) -> str | None:
    for ward in WARDS:
        if f"千葉市{ward}" in _nfkc(place):
            return ward
    return None


def _coord(value: str | None) -> float | None:
    text = _nfkc(value)
    if not text:
        return None
    return float(text)


def _hours(value: str | None) -> tuple[str, str] | None:
    """``09:00-18:00`` as (start, end); None when absent, malformed or not a forward range."""
    m = _TIME_RANGE.match(_nfkc(value))
    if not m:
        return None
    h1, m1, h2, m2 = (int(g) for g in m.groups())
    if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or (h2, m2) <= (h1, m1):
        return None
    return f"{h1:02d}:{m1:02d}", f"{h2:02d}:{m2:02d}"


def _capacity(value: str | None) -> int:
    text = _nfkc(value)
    return int(text) if text.isdigit() else 0


def _short(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:8]


def _wam_record(row: dict[str, str]) -> dict[str, Any]:
    service = _nfkc(row.get("サービス種別"))
    place = _nfkc(row.get("事業所住所（市区町村）"))
    weekday = _hours(row.get("利用可能な時間帯（平日）"))
    saturday = _hours(row.get("利用可能な時間帯（土曜）"))
    sunday = _hours(row.get("利用可能な時間帯（日曜）"))
    days = (_WEEKDAYS if weekday else []) + (["sat"] if saturday else [])
    days += ["sun"] if sunday else []
    hours = weekday or saturday or sunday
    closed = _nfkc(row.get("定休日"))
    note = _nfkc(row.get("利用可能曜日特記事項（留意事項）"))
    description = "。".join(
        t
        for t in (
            f"{service}（障害福祉サービス、受給者証が必要）",
            f"定休日: {closed}" if closed else "",
            note,
        )
        if t
    )
    name = _nfkc(row.get("事業所の名称"))
    return {
        "resource_id": f"wam-{_nfkc(row.get('NO（※システム内の固有の番号、連番）'))}",
        "name": f"{name}（{service}）",
        "organization": _nfkc(row.get("法人の名称")) or name,
        "description": description,
        "categories": _WAM_CATEGORIES.get(service, []),
        "ward": _ward(place),
        "address": place + _nfkc(row.get("事業所住所（番地以降）")),
        "lat": _coord(row.get("事業所緯度")),
        "lon": _coord(row.get("事業所経度")),
        "days": days,
        "start_time": hours[0] if hours else None,
        "end_time": hours[1] if hours else None,
        "capacity_total": _capacity(row.get("定員")),
        "requires_certificate": True,
        "phone": _nfkc(row.get("事業所電話番号")) or None,
        "extra": {
            "kind": "welfare_service",
            "source": WAM_SOURCE,
            "service_type": service,
            "office_number": _nfkc(row.get("事業所番号")),
            "url": _nfkc(row.get("事業所URL")) or None,
        },
    }


def _kaigo_record(row: dict[str, str]) -> dict[str, Any]:
    service = _nfkc(row.get("サービスの種類"))
    office = _nfkc(row.get("事業所番号"))
    place = _nfkc(row.get("市区町村名"))
    available = _nfkc(row.get("利用可能曜日"))
    days = (_WEEKDAYS if "平日" in available else []) + (["sat"] if "土曜" in available else [])
    days += ["sun"] if "日曜" in available else []
    note = _nfkc(row.get("利用可能曜日特記事項"))
    description = "。".join(
        t for t in (f"{service}（介護保険サービス、要介護・要支援認定が必要）", note) if t
    )
    address = _nfkc(row.get("住所"))
    return {
        "resource_id": f"kaigo-{office}-{_short(service)}",
        "name": f"{_nfkc(row.get('事業所名'))}（{service}）",
        "organization": _nfkc(row.get("法人の名称")) or _nfkc(row.get("事業所名")),
        "description": description,
        "categories": ["elderly"],
        "ward": _ward(place) or _ward(address),
        "address": address,
        "lat": _coord(row.get("緯度")),
        "lon": _coord(row.get("経度")),
        "days": days,
        "capacity_total": _capacity(row.get("定員")),
        "min_age": 40,
        "phone": _nfkc(row.get("電話番号")) or None,
        "extra": {
            "kind": "welfare_service",
            "source": KAIGO_SOURCE,
            "service_type": service,
            "office_number": office,
            "url": _nfkc(row.get("URL")) or None,
        },
    }


def _parse(
    data: bytes,
    municipality: str | None,
    place_of: Callable[[dict[str, str]], str],
    to_record: Callable[[dict[str, str]], dict[str, Any]],
    required: tuple[str, ...],
) -> tuple[list[ResourceRecord], list[RowError], int]:
    records: list[ResourceRecord] = []
    errors: list[RowError] = []
    seen: set[str] = set()
    total = 0
    for line, row in enumerate(_rows(data, required), start=2):
        if not _in_municipality(place_of(row), municipality):
            continue
        total += 1
        try:
            fields = to_record(row)
        except ValueError as exc:
            message = f"数値ではありません: {exc}"
            errors.append(RowError(line, "緯度・経度", message, str(exc), None))
            continue
        rid = fields["resource_id"]
        if rid in seen:
            errors.append(
                RowError(line, "resource_id", f"重複しています: {rid}", f"duplicate: {rid}", rid)
            )
            continue
        seen.add(rid)
        try:
            records.append(ResourceRecord(**fields))
        except ValidationError as exc:
            first = exc.errors()[0]
            column = ".".join(str(p) for p in first["loc"])
            message = f"値が不正です: {first['msg']}"
            errors.append(RowError(line, column, message, first["msg"], rid))
    return records, errors, total


def parse_wam_shogai(
    data: bytes, municipality: str | None = None
) -> tuple[list[ResourceRecord], list[RowError], int]:
    """WAM NET 障害福祉サービス standard CSV: one entry per row (``NO`` is the stable id)."""
    return _parse(
        data,
        municipality,
        lambda r: r.get("事業所住所（市区町村）", ""),
        _wam_record,
        ("事業所の名称", "サービス種別"),
    )


def parse_kaigo(
    data: bytes, municipality: str | None = None
) -> tuple[list[ResourceRecord], list[RowError], int]:
    """介護サービス情報公表 CSV: one entry per office × service type."""
    return _parse(
        data,
        municipality,
        lambda r: r.get("市区町村名") or r.get("住所", ""),
        _kaigo_record,
        ("事業所番号", "事業所名", "サービスの種類"),
    )


FORMATS: dict[str, Callable[[bytes, str | None], tuple[list[ResourceRecord], list[RowError], int]]]
FORMATS = {"wam": parse_wam_shogai, "kaigo": parse_kaigo}


def parse_welfare_open_data(
    data: bytes, fmt: str, municipality: str | None
) -> tuple[list[ResourceRecord], list[RowError], int]:
    """Parse one of the public welfare CSVs by format name (``wam`` or ``kaigo``)."""
    return FORMATS[fmt](data, municipality)
