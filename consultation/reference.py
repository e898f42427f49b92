"""Codes and Japanese labels of the consultation domain; tags are data (data/tags.json)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta, timezone
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
# Japan Standard Time: instants are stored in UTC and shown in JST.
JST = timezone(timedelta(hours=9), "JST")

# 相談経路 (how the consultation came in).
CHANNELS: dict[str, str] = {
    "visit": "来所",
    "phone": "電話",
    "outreach": "訪問",
    "email": "メール",
    "agency": "関係機関から",
}
# 相談者 (from whom).
FROM_WHOM: dict[str, str] = {
    "self": "本人",
    "family": "家族",
    "agency": "関係機関",
    "community": "地域",
}
# 相談の結果 (what the consultation ended in).
OUTCOMES: dict[str, str] = {
    "info_only": "情報提供のみ",
    "referral": "支援関係機関へのつなぎ",
    "continued": "センターによる継続支援",
    "participation_application": "参加支援事業の利用申込み",
}
# 支援経過 kinds.
NOTE_KINDS: dict[str, str] = {
    "interview": "面談",
    "phone": "電話",
    "visit": "訪問",
    "accompany": "同行",
    "meeting": "会議",
    "email": "メール",
    "agency_contact": "関係機関との連絡",
}
# 支援関係機関の種別 (要領 4(1): the four named, then others).
AGENCY_KINDS: dict[str, str] = {
    "anshin_care": "あんしんケアセンター",
    "disability_hub": "障害者基幹相談支援センター",
    "maternal_child": "母子健康包括支援センター",
    "livelihood": "生活自立・仕事相談センター",
    "hikikomori": "ひきこもり地域支援センター",
    "ward_welfare": "保健福祉センター",
    "other": "その他の支援関係機関",
}
# つなぎ status: 依頼済 → 受理 → 対応中 → 完了 / 不成立.
REFERRAL_STATUSES: dict[str, str] = {
    "requested": "依頼済",
    "accepted": "受理",
    "in_progress": "対応中",
    "completed": "完了",
    "failed": "不成立",
}
REFERRAL_TRANSITIONS: dict[str, tuple[str, ...]] = {
    "requested": ("accepted", "failed"),
    "accepted": ("in_progress", "completed", "failed"),
    "in_progress": ("completed", "failed"),
    "completed": (),
    "failed": (),
}
REFERRAL_FAILURE_REASONS: dict[str, str] = {
    "person_declined": "本人辞退",
    "not_eligible": "対象外",
    "unreachable": "連絡不能",
    "other_agency": "他機関で対応",
    "other": "その他",
}
# On what basis the person's details go to the agency.
CONSENT_BASES: dict[str, str] = {
    "consent_written": "本人の同意（書面）",
    "consent_verbal": "本人の同意（口頭）",
    "support_meeting": "支援会議（守秘義務）",
    "anonymous": "匿名での相談（個人情報なし）",
}
# Age at which the あんしんケアセンター (地域包括支援センター) is the usual first contact.
ELDERLY_AGE = 65


@dataclass(frozen=True)
class Tag:
    """A field / attribute tag of a consultation and the agency kinds it usually calls for."""

    code: str
    label: str
    agency_kinds: tuple[str, ...]


@cache
def tags() -> dict[str, Tag]:
    """The tag table from data/tags.json (read once)."""
    raw = json.loads((DATA_DIR / "tags.json").read_text(encoding="utf-8"))
    return {
        t["code"]: Tag(t["code"], t["label"], tuple(t.get("agency_kinds", ()))) for t in raw["tags"]
    }


def tag_label(code: str) -> str:
    """The Japanese label of a tag code (the code itself when unknown)."""
    tag = tags().get(code)
    return tag.label if tag else code


@dataclass(frozen=True)
class IntakeItem:
    """An item of 様式第1号 and the person field that holds its answer."""

    code: str
    label: str
    field: str


@dataclass(frozen=True)
class IntakePart:
    """A part of 様式第1号 (filled by one of 本人・代行・聞き取り)."""

    code: str
    label: str
    items: tuple[IntakeItem, ...]


@cache
def intake_form_layout() -> tuple[dict[str, str], tuple[IntakePart, ...]]:
    """(fill modes, parts) of 様式第1号 from data/intake_form.json (read once)."""
    raw = json.loads((DATA_DIR / "intake_form.json").read_text(encoding="utf-8"))
    parts = tuple(
        IntakePart(p["code"], p["label"], tuple(IntakeItem(**i) for i in p["items"]))
        for p in raw["parts"]
    )
    return dict(raw["fill_modes"]), parts
