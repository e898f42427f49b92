"""View helpers of the 提案 page: distances and the ward sketch (SVG)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from casework.reference import WARD_CENTRES
from resources_catalog.records import ResourceRecord


def distance_km(
    home: tuple[float, float] | None, lat: float | None, lon: float | None
) -> float | None:
    """Great-circle distance from home, in km (None when a point is unknown)."""
    if home is None or lat is None or lon is None:
        return None
    lat1, lon1 = map(math.radians, home)
    lat2, lon2 = math.radians(lat), math.radians(lon)
    a = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(a))


@dataclass(frozen=True)
class Dot:
    """A point on the sketch: x, y in the SVG's units, a label and a kind (css class)."""

    x: float
    y: float
    label: str
    kind: str
    title: str


# The sketch spans Chiba City's extent (about 35.50–35.72 N, 140.02–140.28 E), drawn with
# the same km scale on both axes (a longitude degree is cos(lat) of a latitude degree).
_LAT_MIN, _LAT_MAX = 35.51, 35.71
_LON_MIN, _LON_MAX = 140.02, 140.28
WIDTH = 420
HEIGHT = round(
    WIDTH * (_LAT_MAX - _LAT_MIN) / ((_LON_MAX - _LON_MIN) * math.cos(math.radians(35.6)))
)


def _xy(lat: float, lon: float) -> tuple[float, float]:
    x = (lon - _LON_MIN) / (_LON_MAX - _LON_MIN) * WIDTH
    y = (_LAT_MAX - lat) / (_LAT_MAX - _LAT_MIN) * HEIGHT
    return round(min(max(x, 10), WIDTH - 10), 1), round(min(max(y, 10), HEIGHT - 10), 1)


def sketch(
    home: tuple[float, float] | None, items: list[tuple[int, ResourceRecord]]
) -> tuple[list[Dot], list[Dot], Dot | None]:
    """(ward dots, numbered resource dots, home dot) for the ward-position SVG."""
    wards = [Dot(*_xy(c.lat, c.lon), c.ward, "ward", c.ward) for c in WARD_CENTRES.values()]
    dots = [
        Dot(*_xy(r.lat, r.lon), str(rank), "resource", f"{rank}. {r.name}")
        for rank, r in items
        if r.lat is not None and r.lon is not None
    ]
    home_dot = Dot(*_xy(*home), "自宅", "home", "自宅（目安）") if home else None
    return wards, dots, home_dot
