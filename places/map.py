"""An offline SVG map of Chiba City: the six wards to scale, stations, home and numbered places.

Drawn on the server from shipped data, so the page needs no tile server and no external asset:
ward outlines from 国土数値情報 N03 行政区域 and stations from N02 鉄道 (MLIT), simplified by
``scripts/build_places_data.py``. The projection is equirectangular around the city's mean
latitude (a longitude degree is cos(lat) of a latitude degree), which keeps distances true to
well under 1% across a city 25 km wide, so the scale bar can be trusted.

Every text that comes from outside (names, titles) is escaped; the function returns markup.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from html import escape
from importlib import resources
from typing import Any

# Stations labelled on the map (the others are drawn as dots with a tooltip): the ones a
# coordinator names when saying where something is.
LANDMARK_STATIONS: frozenset[str] = frozenset(
    {"千葉", "蘇我", "稲毛", "海浜幕張", "幕張本郷", "都賀", "鎌取", "土気", "千城台", "誉田",
     "西千葉", "新検見川", "稲毛海岸"}
)  # fmt: skip
WARD_FILL: dict[str, str] = {
    "中央区": "#e6efe0",
    "花見川区": "#e3ecf5",
    "稲毛区": "#f3eadf",
    "若葉区": "#e9e4f2",
    "緑区": "#dff0ea",
    "美浜区": "#f4e6ea",
}
# Label nudges (degrees lat, lon) where a ward's label point would sit on a station name.
LABEL_NUDGE: dict[str, tuple[float, float]] = {"中央区": (-0.02, -0.012), "稲毛区": (0.004, 0.016)}
CREDIT_JA = "国土数値情報（行政区域・鉄道）（国土交通省）を加工して作成"
# About the width of the side column of the 提案 page, so text is drawn near its own size.
MAP_WIDTH = 400
_PAD = 14
# A white outline under text keeps labels legible over borders and dots.
_HALO = 'stroke="#fff" stroke-width="3" paint-order="stroke"'


@dataclass(frozen=True)
class Ward:
    """A ward's outline (rings of (lon, lat)) and its label point."""

    name: str
    rings: list[list[tuple[float, float]]]
    label_lat: float
    label_lon: float


@dataclass(frozen=True)
class Station:
    """A railway station (N02), one point per name."""

    name: str
    lines: str
    lat: float
    lon: float


@dataclass(frozen=True)
class CityMapData:
    """Ward outlines and stations loaded from ``places/data``."""

    wards: list[Ward]
    stations: list[Station]


def _rings(geometry: dict[str, Any]) -> list[list[tuple[float, float]]]:
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    return [[(x, y) for x, y in ring] for polygon in polygons for ring in polygon]


@cache
def city_map_data() -> CityMapData:
    """The shipped outlines and stations, read once."""
    data = resources.files("places") / "data"
    geo = json.loads((data / "chiba_city_wards.geojson").read_text(encoding="utf-8"))
    wards = [
        Ward(
            name=feature["properties"]["ward"],
            rings=_rings(feature["geometry"]),
            label_lat=feature["properties"]["label_lat"],
            label_lon=feature["properties"]["label_lon"],
        )
        for feature in geo["features"]
    ]
    with (data / "chiba_city_stations.csv").open(encoding="utf-8") as f:
        stations = [
            Station(r["station"], r["lines"], float(r["lat"]), float(r["lon"]))
            for r in csv.DictReader(f)
        ]
    return CityMapData(wards=wards, stations=stations)


@dataclass(frozen=True)
class Projection:
    """Degrees → SVG pixels, the same km scale on both axes."""

    lon_min: float
    lat_max: float
    px_per_deg_lat: float
    px_per_deg_lon: float
    width: float
    height: float

    @classmethod
    def fit(cls, data: CityMapData, width: int = MAP_WIDTH) -> Projection:
        """Fit the city's outline into ``width`` pixels, with a small margin."""
        xs = [x for w in data.wards for ring in w.rings for x, _ in ring]
        ys = [y for w in data.wards for ring in w.rings for _, y in ring]
        lat0 = math.radians((min(ys) + max(ys)) / 2)
        span_lon = max(xs) - min(xs)
        px_lon = (width - 2 * _PAD) / span_lon
        px_lat = px_lon / math.cos(lat0)
        height = (max(ys) - min(ys)) * px_lat + 2 * _PAD + 28  # room for the scale bar
        return cls(min(xs), max(ys), px_lat, px_lon, float(width), round(height, 1))

    def xy(self, lat: float, lon: float) -> tuple[float, float]:
        """Pixel position of a point (may fall outside the view for far places)."""
        x = _PAD + (lon - self.lon_min) * self.px_per_deg_lon
        y = _PAD + (self.lat_max - lat) * self.px_per_deg_lat
        return round(x, 1), round(y, 1)

    def px_per_km(self) -> float:
        """Pixels per kilometre (a latitude degree is 111.2 km)."""
        return self.px_per_deg_lat / 111.195

    def clamp(self, x: float, y: float) -> tuple[float, float, bool]:
        """The point moved inside the view, and whether it had to be moved."""
        cx = min(max(x, 8.0), self.width - 8.0)
        cy = min(max(y, 8.0), self.height - 36.0)
        return cx, cy, (cx, cy) != (x, y)


def _path(rings: list[list[tuple[float, float]]], proj: Projection) -> str:
    parts = []
    for ring in rings:
        pts = [proj.xy(lat, lon) for lon, lat in ring]
        parts.append("M" + " L".join(f"{x:g},{y:g}" for x, y in pts) + " Z")
    return " ".join(parts)


def _scale_bar(proj: Projection) -> str:
    km = 5
    length = km * proj.px_per_km()
    x0, y0 = _PAD, proj.height - 16
    return (
        f'<g class="scale" aria-hidden="true">'
        f'<path d="M{x0:g},{y0 - 5:g} V{y0:g} H{x0 + length:.1f} V{y0 - 5:g}" fill="none" '
        f'stroke="#333" stroke-width="1.5"/>'
        f'<text x="{x0 + length + 6:.1f}" y="{y0 + 4:g}" font-size="11" fill="#333">{km} km</text>'
        f"</g>"
    )


def render_city_map(
    *,
    home: tuple[float, float] | None = None,
    home_title: str = "自宅",
    points: Sequence[tuple[int, str, float | None, float | None]] = (),
    title: str = "千葉市の区と提案先の位置",
    width: int = MAP_WIDTH,
) -> str:
    """SVG markup: wards to scale, stations, the home (square) and numbered points (circles).

    ``points`` are ``(number, name, lat, lon)``; a point without coordinates is left out, a
    point beyond the city is drawn at the edge and its tooltip says so.
    """
    data = city_map_data()
    proj = Projection.fit(data, width)
    out: list[str] = [
        f'<svg class="city-map" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {proj.width:g} {proj.height:g}" role="img" '
        f'aria-labelledby="city-map-title city-map-desc" font-family="sans-serif">',
        f'<title id="city-map-title">{escape(title)}</title>',
        '<desc id="city-map-desc">千葉市の6区を縮尺どおりに描き、駅を小さな点、自宅を四角、'
        f"提案先を番号付きの丸で示した地図です。{escape(CREDIT_JA)}</desc>",
        '<rect width="100%" height="100%" fill="#f6f9fb"/>',
    ]
    for ward in data.wards:
        out.append(
            f'<path class="ward" data-ward="{escape(ward.name)}" d="{_path(ward.rings, proj)}" '
            f'fill="{WARD_FILL.get(ward.name, "#eee")}" stroke="#8aa4b1" stroke-width="1" '
            f'fill-rule="evenodd"/>'
        )
    for ward in data.wards:
        dlat, dlon = LABEL_NUDGE.get(ward.name, (0.0, 0.0))
        x, y = proj.xy(ward.label_lat + dlat, ward.label_lon + dlon)
        out.append(
            f'<text class="ward-label" x="{x:g}" y="{y:g}" text-anchor="middle" font-size="13" '
            f'fill="#4a6472" font-weight="700" {_HALO}>{escape(ward.name)}</text>'
        )
    for st in data.stations:
        x, y = proj.xy(st.lat, st.lon)
        out.append(
            f'<g class="station"><circle cx="{x:g}" cy="{y:g}" r="2.5" fill="#fff" '
            f'stroke="#555" stroke-width="1"><title>{escape(st.name)}駅（{escape(st.lines)}）'
            f"</title></circle>"
            + (
                f'<text x="{x + 4:g}" y="{y - 3:g}" font-size="10" fill="#444" {_HALO}>'
                f"{escape(st.name)}</text>"
                if st.name in LANDMARK_STATIONS
                else ""
            )
            + "</g>"
        )
    if home is not None:
        x, y, moved = proj.clamp(*proj.xy(*home))
        note = "（市外のため地図の端に表示）" if moved else ""
        out.append(
            f'<g class="home"><rect x="{x - 6:g}" y="{y - 6:g}" width="12" height="12" '
            f'fill="#b45309" stroke="#fff" stroke-width="1.5"><title>{escape(home_title + note)}'
            f'</title></rect><text x="{x + 9:g}" y="{y - 7:g}" font-size="12" fill="#8a3b06" '
            f'font-weight="700" {_HALO}>自宅</text></g>'
        )
    # Drawn last-first so that where places coincide the best-ranked number is on top.
    for number, name, lat, lon in sorted(points, key=lambda p: p[0], reverse=True):
        if lat is None or lon is None:
            continue
        x, y, moved = proj.clamp(*proj.xy(lat, lon))
        note = "（市外のため地図の端に表示）" if moved else ""
        out.append(
            f'<g class="place" data-rank="{int(number)}"><circle cx="{x:g}" cy="{y:g}" r="9" '
            f'fill="#1f6f8b" stroke="#fff" stroke-width="1.5"><title>{int(number)}. '
            f"{escape(name)}{note}</title></circle>"
            f'<text x="{x:g}" y="{y + 4:g}" text-anchor="middle" font-size="11" fill="#fff" '
            f'font-weight="700">{int(number)}</text></g>'
        )
    out.append(_scale_bar(proj))
    out.append(
        f'<text x="{proj.width - 6:g}" y="{proj.height - 12:g}" text-anchor="end" font-size="9" '
        f'fill="#666">{escape(CREDIT_JA)}</text>'
    )
    out.append("</svg>")
    return "".join(out)
