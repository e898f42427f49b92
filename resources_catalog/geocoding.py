"""Place catalog resources that have an address but no coordinates (offline, town level).

Called from the import path on the merged record (file values over stored ones), so a file
without coordinate columns never overwrites coordinates a maintainer typed. The outcome of
each row is a warning, not an error: a resource the geocoder cannot place is still imported,
and the report tells the maintainer which rows to check (Japanese and English).
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import replace
from typing import Any

from places import WARDS, geocode, location_source_label
from resources_catalog.records import ResourceRecord
from resources_catalog.validation import RowError

# Sources derived from the address; coordinates from them follow a changed address.
DERIVED_SOURCES = frozenset({"address", "town", "postal", "ward"})


def _given_coordinates(data: dict[str, Any]) -> bool:
    """Both coordinates present in the merged record."""
    return data["lat"] is not None and data["lon"] is not None


def place(
    data: dict[str, Any],
    *,
    old: dict[str, Any] | None,
    given: AbstractSet[str],
    row: int | None,
) -> RowError | None:
    """Fill ``lat``/``lon``/``location_source`` of one merged record; a warning when unplaced.

    - coordinates given in the file or form: kept, source ``manual`` (unless the file names
      the source, or they are the stored ones unchanged);
    - an address and no coordinates (or coordinates derived from a different old address):
      geocoded to the town (町丁目), else postal code, else the ward's centre (warned);
    - nothing to go on: left empty, warned when there is an address.
    """
    if _given_coordinates(data):
        if {"lat", "lon"} & given:
            if "location_source" not in given or data.get("location_source") is None:
                unchanged = old is not None and (old["lat"], old["lon"]) == (
                    data["lat"],
                    data["lon"],
                )
                kept = old.get("location_source") if old is not None and unchanged else None
                data["location_source"] = kept or "manual"
            return None
        address_moved = old is not None and data.get("address") != old.get("address")
        if not (address_moved and data.get("location_source") in DERIVED_SOURCES):
            if data.get("location_source") is None:
                data["location_source"] = "manual"
            return None
        data["lat"] = data["lon"] = None  # the address moved: place it again below
    address = data.get("address")
    if not address:
        data["location_source"] = None
        return None
    ward = data.get("ward") if data.get("ward") in WARDS else None
    found = geocode(address, ward=ward)
    rid = data.get("resource_id")
    number = row or 0
    if found is None:
        data["location_source"] = None
        return RowError(
            number,
            "address",
            "住所から位置を特定できませんでした（地図と距離には使われません。緯度・経度を入力してください）",
            "could not place the address; add lat/lon (the resource has no position)",
            rid,
            address,
        )
    data["lat"], data["lon"], data["location_source"] = found.lat, found.lon, found.source
    if found.source != "ward" and data.get("ward") != found.ward:
        if data.get("ward") and "ward" in given:
            return RowError(
                number,
                "ward",
                f"住所の区（{found.ward}）と区の列（{data['ward']}）が違います。"
                "位置は住所から求めました",
                f"the address is in {found.ward} but the ward column says {data['ward']}; "
                "placed by the address",
                rid,
                data["ward"],
            )
        data["ward"] = found.ward  # empty, or kept from before the address moved
    if not data.get("ward"):
        data["ward"] = found.ward
    if found.source == "ward":
        label = location_source_label("ward")
        return RowError(
            number,
            "address",
            f"住所から町を特定できず、{found.ward}の{label}を位置にしました（距離は目安です）",
            f"town not found in the address; placed at the centre of {found.ward}",
            rid,
            address,
        )
    return None


def place_record(
    record: ResourceRecord, data: dict[str, Any], old: dict[str, Any] | None
) -> RowError | None:
    """``place`` for a record as parsed (its given fields and file row) and its merged data.

    The file row is looked up only for a warning: reading a private attribute of a
    pydantic model is a slow path, and an import places 100,000 records.
    """
    warning = place(data, old=old, given=record.model_fields_set, row=None)
    if warning is None or record._source_row is None:
        return warning
    return replace(warning, row=record._source_row)
