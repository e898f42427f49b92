"""Catalog fields and values in the coordinator's words (定員, 空き, 月・水・金, はい).

One table serves the edit history on the pages and the Japanese-header exports; every
Japanese header here is also a header alias the importers read, and every value spelling
is one the cell parsers read, so a Japanese export re-imports unchanged.
"""

from __future__ import annotations

from typing import Any

from resources_catalog.taxonomy import CATEGORY_NAMES_JA

FIELD_LABELS_JA: dict[str, str] = {
    "resource_id": "資源ID",
    "name": "活動名",
    "organization": "受入先名",
    "description": "活動内容",
    "categories": "分類",
    "ward": "区",
    "address": "住所",
    "lat": "緯度",
    "lon": "経度",
    "location_source": "位置の出典",
    "nearest_station": "最寄り駅",
    "days": "曜日",
    "start_time": "開始時刻",
    "end_time": "終了時刻",
    "capacity_total": "定員",
    "capacity_remaining": "空き",
    "min_age": "最低年齢",
    "max_age": "最高年齢",
    "requires_certificate": "受給者証が必要",
    "wheelchair_accessible": "車いす可",
    "quiet_environment": "静かな環境",
    "small_group": "少人数",
    "visit_ok": "見学可",
    "trial_ok": "体験可",
    "paid": "工賃あり",
    "participant_cost_yen": "参加費（円）",
    "cooperation_fee_yen": "協力費（円）",
    "cooperation_fee_unit": "協力費の単位",
    "status": "状態",
    "contact_name": "担当者名",
    "phone": "電話番号",
    "email": "メールアドレス",
    "extra": "その他の項目",
}

WEEKDAYS_JA: dict[str, str] = {
    "mon": "月", "tue": "火", "wed": "水", "thu": "木", "fri": "金", "sat": "土", "sun": "日",
}  # fmt: skip
STATUS_JA: dict[str, str] = {"active": "受入中", "inactive": "終了", "temporarily_closed": "休止中"}
FEE_UNIT_JA: dict[str, str] = {
    "per_session": "1回あたり",
    "per_month": "1か月あたり",
    "none": "なし",
}
LOCATION_SOURCE_JA: dict[str, str] = {
    "address": "住所から",
    "town": "町丁目の中心",
    "postal": "郵便番号の地域",
    "ward": "区の中心",
    "manual": "手入力",
}


def field_label(field: str) -> str:
    """Japanese name of a catalog field (an unknown field keeps its name)."""
    return FIELD_LABELS_JA.get(field, field)


def value_ja(field: str, value: Any) -> str:
    """One value as a coordinator reads it; empty for no value.

    Lists of categories are joined with 、 (category names themselves contain ・).
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if field == "days" and isinstance(value, list):
        return "・".join(WEEKDAYS_JA.get(str(d), str(d)) for d in value)
    if field == "categories" and isinstance(value, list):
        return "、".join(CATEGORY_NAMES_JA.get(str(c), str(c)) for c in value)
    if field == "status":
        return STATUS_JA.get(str(value), str(value))
    if field == "cooperation_fee_unit":
        return FEE_UNIT_JA.get(str(value), str(value))
    if field == "location_source":
        return LOCATION_SOURCE_JA.get(str(value), str(value))
    if isinstance(value, dict):
        return "、".join(f"{k}: {value_ja(str(k), v)}" for k, v in value.items())
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)
