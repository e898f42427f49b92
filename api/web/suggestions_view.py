"""View helpers of the 提案 page: distances and the city map (SVG)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from markupsafe import Markup

from places import location_source_label
from places.map import render_city_map


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


def suggestions_map(
    home: tuple[float, float] | None,
    points: Sequence[tuple[int, str, float | None, float | None]],
    *,
    home_source: str | None = None,
) -> Markup:
    """The 提案 page's map: Chiba City's wards to scale, stations, home, numbered suggestions.

    ``points`` are ``(rank, name, lat, lon)``; names are escaped by ``places.map``, so the
    result is safe markup for the template.
    """
    home_title = f"自宅（{location_source_label(home_source)}）"
    return Markup(render_city_map(home=home, home_title=home_title, points=points))
