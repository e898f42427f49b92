"""Spreadsheet header aliases: which catalog column a header written by a person means.

Coordinators and receivers keep lists in Excel with Japanese headers (受入先名, 残り枠,
参加費（円）...). Headers are compared after NFKC folding, lower-casing and dropping spaces,
separators and a trailing unit, so ``参加費(円)`` and ``参加費`` read the same.
"""

from __future__ import annotations

import re
import unicodedata


def _key(header: str) -> str:
    text = unicodedata.normalize("NFKC", header).strip().lower().lstrip("\ufeff")
    text = re.sub(r"[\s_\-・]+", "", text)
    return re.sub(r"\((円|人|歳|yen)\)$", "", text)


_ALIASES: dict[str, tuple[str, ...]] = {
    "resource_id": (
        "resource_id",
        "resourceid",
        "id",
        "資源id",
        "リソースid",
        "管理番号",
        "活動id",
        "番号",
    ),
    "name": ("name", "活動名", "名称", "活動名称", "プログラム名", "活動"),
    "organization": (
        "organization",
        "organisation",
        "受入先",
        "受入先名",
        "受け入れ先",
        "受け入れ先名",
        "団体名",
        "事業所名",
        "法人名",
        "組織名",
    ),
    "description": ("description", "活動内容", "説明", "内容", "概要", "紹介文"),
    "categories": ("categories", "category", "分類", "カテゴリ", "カテゴリー", "活動分類", "種別"),
    "ward": ("ward", "区", "区名", "行政区"),
    "address": ("address", "住所", "所在地", "活動場所"),
    "lat": ("lat", "latitude", "緯度"),
    "lon": ("lon", "lng", "long", "longitude", "経度"),
    "nearest_station": (
        "nearest_station",
        "neareststation",
        "station",
        "最寄り駅",
        "最寄駅",
        "最寄りの駅",
    ),
    "days": ("days", "day", "曜日", "活動曜日", "実施曜日"),
    "start_time": ("start_time", "starttime", "opens_at", "開始時刻", "開始時間", "開始"),
    "end_time": ("end_time", "endtime", "closes_at", "終了時刻", "終了時間", "終了"),
    "capacity_total": (
        "capacity_total",
        "capacity",
        "定員",
        "受入人数",
        "受入定員",
        "受け入れ人数",
    ),
    "capacity_remaining": (
        "capacity_remaining",
        "remaining",
        "空き",
        "空き数",
        "残り枠",
        "空き枠",
        "空き人数",
        "残り",
    ),
    "min_age": ("min_age", "minimum_age", "最低年齢", "年齢下限", "対象年齢下限", "下限年齢"),
    "max_age": ("max_age", "maximum_age", "最高年齢", "年齢上限", "対象年齢上限", "上限年齢"),
    "requires_certificate": (
        "requires_certificate",
        "受給者証要",
        "受給者証が必要",
        "手帳受給者証が必要",
        "手帳等要",
        "証明書要",
        "要受給者証",
    ),
    "wheelchair_accessible": (
        "wheelchair_accessible",
        "wheelchair",
        "車いす可",
        "車椅子可",
        "車いす対応",
        "車椅子対応",
        "バリアフリー",
    ),
    "quiet_environment": ("quiet_environment", "quiet", "静かな環境", "静か"),
    "small_group": ("small_group", "少人数", "少人数制"),
    "visit_ok": ("visit_ok", "見学可", "見学"),
    "trial_ok": ("trial_ok", "体験可", "体験"),
    "paid": ("paid", "工賃あり", "有償", "工賃", "謝礼あり"),
    "participant_cost_yen": (
        "participant_cost_yen",
        "participant_cost",
        "参加費",
        "自己負担",
        "利用料",
    ),
    "cooperation_fee_yen": ("cooperation_fee_yen", "cooperation_fee", "協力費", "協力金"),
    "cooperation_fee_unit": ("cooperation_fee_unit", "協力費単位", "協力費の単位", "協力金単位"),
    "status": ("status", "状態", "ステータス", "受入状況"),
    "contact_name": ("contact_name", "contact", "担当者", "担当者名", "連絡先氏名", "担当"),
    "phone": ("phone", "tel", "telephone", "電話", "電話番号", "連絡先電話"),
    "email": ("email", "e-mail", "mail", "メール", "メールアドレス", "電子メール"),
}

HEADER_ALIASES: dict[str, str] = {
    _key(alias): column for column, aliases in _ALIASES.items() for alias in aliases
}


def canonical_column(header: str) -> str | None:
    """The catalog column a spreadsheet header means, or None for a column we do not know."""
    return HEADER_ALIASES.get(_key(header))
