"""View helpers of the 提案 page: the app's ranker, distances and the city map (SVG)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import Request
from markupsafe import Markup

from api.ranking import RankerProvider
from matching import HashingEncoder, default_encoder
from places import location_source_label
from places.map import MAP_WIDTH, render_city_map
from resources_catalog.records import ResourceRecord


def ranker_provider(request: Request) -> RankerProvider:
    """The app's ranker provider (built in the lifespan); built here once if the app has none."""
    state = request.app.state
    provider = getattr(state, "ranker", None)
    if isinstance(provider, RankerProvider):
        return provider
    provider = getattr(state, "web_ranker", None)
    if provider is None:
        settings = state.settings
        factory = (
            HashingEncoder
            if getattr(settings, "encoder", "default") == "hashing"
            else default_encoder
        )
        provider = RankerProvider(cache_dir=None, encoder_factory=factory)
        state.web_ranker = provider
    return provider


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


def page_map(profile: Any, rows: Sequence[Mapping[str, Any]]) -> Markup:
    """``suggestions_map`` from the page's profile and rows (until the router passes map_svg)."""
    home = (
        (profile.home_lat, profile.home_lon)
        if profile is not None and profile.home_lat is not None and profile.home_lon is not None
        else None
    )
    points = [(row["rank"], row["r"].name, row["r"].lat, row["r"].lon) for row in rows if row["r"]]
    source = getattr(profile, "home_location_source", None) if profile is not None else None
    return suggestions_map(home, points, home_source=source)


# Kept only so the current router imports; the page draws ``suggestions_map`` instead.
WIDTH = MAP_WIDTH
HEIGHT = 0


def sketch(
    home: tuple[float, float] | None, items: list[tuple[int, ResourceRecord]]
) -> tuple[list[Any], list[Any], None]:
    """Deprecated: the ward-centre sketch was replaced by ``suggestions_map`` (nothing to draw)."""
    return [], [], None
