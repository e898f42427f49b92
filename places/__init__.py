"""Places in Chiba City: offline geocoding to town (町丁目) level, distances, an SVG map.

Pure library (no web or database imports). Data credits: Geolonia japanese-addresses
(CC BY 4.0), 日本郵便 KEN_ALL, 国土数値情報 N03 行政区域 and N02 鉄道 (MLIT).
"""

from places.distance import distance_label, haversine_km, location_source_label
from places.geocoder import (
    LOCATION_SOURCES,
    WARDS,
    Gazetteer,
    GeocodeResult,
    GeocodeSource,
    LocationSource,
    default_gazetteer,
    geocode,
)
from places.normalize import find_postal_code, normalize_address

DATA_CREDIT_JA = (
    "町丁目の位置: Geolonia 住所データ（CC BY 4.0）・郵便番号: 日本郵便・"
    "区域と駅: 国土数値情報（国土交通省）を加工して作成"
)

__all__ = [
    "DATA_CREDIT_JA",
    "LOCATION_SOURCES",
    "WARDS",
    "Gazetteer",
    "GeocodeResult",
    "GeocodeSource",
    "LocationSource",
    "default_gazetteer",
    "distance_label",
    "find_postal_code",
    "geocode",
    "haversine_km",
    "location_source_label",
    "normalize_address",
]
