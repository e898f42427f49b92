"""Real Chiba City addresses (public open data): how many are placed at town level, how well.

Figures on 2026-11-28: public facilities 2,777 / 2,783 at town level (99.8 %; 3 are outside
the city), median 0.26 km and 90th percentile 0.8 km from the published facility point;
WAM NET 障害福祉 190 / 193; 介護 344 / 345.
"""

from __future__ import annotations

import csv
import statistics

from places import geocode, haversine_km
from tests.conftest import shared_path


def test_public_facility_addresses_are_placed_at_town_level() -> None:
    path = shared_path("data", "chiba_city_public_facilities_2020.csv")
    with path.open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if "千葉市" in r["address"]]
    placed = []
    for row in rows:
        found = geocode(row["address"])
        if found is not None and found.source == "town":
            placed.append(
                haversine_km(found.lat, found.lon, float(row["latitude"]), float(row["longitude"]))
            )
    share = len(placed) / len(rows)
    assert share >= 0.98, share
    assert statistics.median(placed) < 0.5
    assert sorted(placed)[int(0.9 * len(placed))] < 1.5


def test_welfare_service_addresses_are_placed_at_town_level() -> None:
    path = shared_path("data", "wam_shogai_chiba_pref_202503.csv")
    with path.open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if "千葉市" in r["事業所住所（市区町村）"]]
    found = [geocode(r["事業所住所（市区町村）"] + r["事業所住所（番地以降）"]) for r in rows]
    share = sum(1 for g in found if g is not None and g.source == "town") / len(rows)
    assert share >= 0.95, share
