"""Distances between points and the words that say what a distance is measured from."""

from __future__ import annotations

import math

EARTH_RADIUS_KM = 6371.0088

# What a distance from the person's home is measured from, by the home's location source.
_FROM: dict[str | None, str] = {
    "address": "自宅の住所から",
    "manual": "自宅として登録した地点から",
    "town": "自宅のある町の中心から",
    "postal": "自宅のある町の中心から（郵便番号から推定）",
    "ward": "自宅のある区の中心から",
}


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def distance_label(source: str | None) -> str:
    """「自宅の住所から」「自宅のある町の中心から」「自宅のある区の中心から」… for a home source.

    Unknown or missing sources say the point is only a guide, never claim an address.
    """
    return _FROM.get(source, "自宅の目安の地点から")


_SOURCE_LABELS: dict[str, str] = {
    "address": "住所の位置",
    "manual": "入力した緯度・経度",
    "town": "町の中心",
    "postal": "郵便番号の地域の中心",
    "ward": "区の中心",
}


def location_source_label(source: str | None) -> str:
    """What a stored point is, in words a coordinator reads: 「町の中心」「区の中心」…"""
    return _SOURCE_LABELS.get(source or "", "位置不明")
