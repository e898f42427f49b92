"""Reference data of the casework domain: wards, fiscal years, codes and the forms' labels."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class WardCentre:
    """The centre point of a Chiba City ward, used when a person's address has no coordinates."""

    ward: str
    lat: float
    lon: float


# Polygon centroids from shared/data/chiba_city_ward_centroids.csv (国土数値情報 N03).
WARD_CENTRES: dict[str, WardCentre] = {
    c.ward: c
    for c in (
        WardCentre("中央区", 35.58435, 140.1294),
        WardCentre("花見川区", 35.67636, 140.09141),
        WardCentre("稲毛区", 35.6486, 140.11312),
        WardCentre("若葉区", 35.6104, 140.20507),
        WardCentre("緑区", 35.54457, 140.22948),
        WardCentre("美浜区", 35.63354, 140.06162),
    )
}
WARDS: tuple[str, ...] = tuple(WARD_CENTRES)


def ward_centre(ward: str) -> WardCentre:
    """The centre of a ward; raises KeyError for a name outside Chiba City."""
    return WARD_CENTRES[ward]


def fiscal_year(day: date) -> int:
    """The Japanese fiscal year (年度, April–March) a date falls in: 2027-03-31 → 2026."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_bounds(year: int) -> tuple[date, date]:
    """First and last day of a fiscal year."""
    return date(year, 4, 1), date(year + 1, 3, 31)


def age_on(born_on: date, day: date) -> int:
    """Age in whole years on ``day``."""
    return day.year - born_on.year - ((day.month, day.day) < (born_on.month, born_on.day))


# 性別 on the forms: 男性 / 女性 / a free-text box; stored as the label or the free text.
SEX_MALE = "男性"
SEX_FEMALE = "女性"

# 様式第2号 実施者 (本人・家族等・関係支援機関など).
PLAN_ACTORS: dict[str, str] = {
    "person": "本人",
    "family": "家族等",
    "agency": "関係支援機関",
    "other": "その他",
}

# Consent scopes.
CONSENT_MATCHING = "matching"  # マッチングのためのセンター内での利用
CONSENT_SHARE_RECEIVER = "share_with_receiver"  # 名前を挙げた受入先への情報提供
CONSENT_MULTI_AGENCY = "multi_agency"  # 多機関協働事業（重層的支援会議での共有）
CONSENT_SCOPES: dict[str, str] = {
    CONSENT_MATCHING: "マッチングのためのセンター内での利用",
    CONSENT_SHARE_RECEIVER: "受入先への情報提供",
    CONSENT_MULTI_AGENCY: "多機関協働事業での情報共有",
}
CONSENT_METHODS: dict[str, str] = {
    "written": "書面",
    "verbal": "口頭",
    "electronic": "電子",
    "proxy": "代理人",
}

# Placement (マッチング) reason codes for declined / no_capacity / withdrawn / ended.
PLACEMENT_REASONS: dict[str, str] = {
    "person_declined": "本人が辞退",
    "receiver_declined": "受入先が辞退",
    "conditions_mismatch": "条件が合わない",
    "no_capacity": "受入枠なし",
    "health": "体調・健康上の理由",
    "moved": "転居",
    "lost_contact": "連絡が取れない",
    "other_support": "他の支援につながった",
    "stable": "関係が安定し定着支援を終了",
    "early_end": "早期に終了",
    "receiver_closed": "受入先の休止・終了",
    "case_closed": "ケースの終結",
    "other": "その他",
}

# Why a coordinator hid a suggestion (提案の非表示); labels as in PLACEMENT_REASONS.
HIDE_REASONS: tuple[str, ...] = (
    "person_declined",
    "conditions_mismatch",
    "receiver_declined",
    "health",
    "other",
)

# 支援会議 / retention / follow-up contact methods.
CONTACT_METHODS: dict[str, str] = {
    "visit": "訪問",
    "phone": "電話",
    "meeting": "面談",
    "email": "メール",
    "letter": "手紙",
    "other": "その他",
}
CONTACT_PARTIES: dict[str, str] = {"person": "本人", "receiver": "受入先"}

# 終結の理由 (closure reasons).
CLOSURE_REASONS: dict[str, str] = {
    "stable": "つながりができ関係が安定した",
    "person_request": "本人の希望",
    "moved": "転居",
    "referred": "他機関へつないだ",
    "lost_contact": "連絡が取れない",
    "deceased": "死亡",
    "other": "その他",
}
