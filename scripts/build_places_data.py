"""Build the small tables ``places/`` ships from the public sources in ``../shared/data``.

Run from the repository root when a source changes::

    python scripts/build_places_data.py [--source ../shared/data]

Sources (credited in README, "Data and licences"):
- ``chiba_city_towns_geolonia.csv``: Geolonia japanese-addresses, CC BY 4.0 (町丁目 centres);
- ``postal_codes_chiba_city_KEN_ALL_201806.csv``: 日本郵便 KEN_ALL (free redistribution);
- ``chiba_city_ward_centroids.csv`` and ``chiba_city_wards_N03.geojson``: 国土数値情報 N03
  行政区域 (MLIT);
- ``chiba_city_stations.geojson``: 国土数値情報 N02 鉄道 (MLIT).

The ward outlines are simplified with ``shapely.coverage_simplify`` so neighbouring wards keep
one shared border (a per-polygon simplification would open gaps between wards on the map).
shapely is needed only here (dev extra); the app reads the derived files.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

import shapely
from shapely.geometry import mapping, shape
from shapely.ops import polylabel

OUT = Path(__file__).resolve().parents[1] / "places" / "data"
# About 60 m: below one pixel of a 420-pixel-wide map of the city (about 25 km across).
SIMPLIFY_DEGREES = 0.0006
CITY_PREFIX = "千葉市"


def build_towns(src: Path, out: Path) -> None:
    """Town (町丁目) centres: ward, town, lat, lon, rounded to 6 decimals (about 0.1 m)."""
    with (src / "chiba_city_towns_geolonia.csv").open(encoding="utf-8") as f:
        # A few 町丁目 have no published centre (都町四〜八丁目): the geocoder then uses the town.
        rows = [r for r in csv.DictReader(f) if not r["koaza"] and r["lat"] and r["lng"]]
    rows.sort(key=lambda r: (r["ward"], r["town"]))
    with (out / "chiba_city_towns.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["ward", "town", "lat", "lon"])
        for r in rows:
            w.writerow([r["ward"], r["town"], f"{float(r['lat']):.6f}", f"{float(r['lng']):.6f}"])


def build_postal(src: Path, out: Path) -> None:
    """Postal code → ward and town name as KEN_ALL writes it (parenthesised notes dropped)."""
    seen: dict[str, tuple[str, str]] = {}
    with (src / "postal_codes_chiba_city_KEN_ALL_201806.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            ward = r["city"].removeprefix(CITY_PREFIX)
            town = unicodedata.normalize("NFKC", r["town"])
            town = re.sub(r"\(.*?\)", "", town)
            if town.startswith("以下に掲載がない場合"):
                town = ""
            seen.setdefault(r["zip7"], (ward, town))
    with (out / "chiba_city_postal.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["postal_code", "ward", "town"])
        for code in sorted(seen):
            w.writerow([code, *seen[code]])


def build_wards(src: Path, out: Path) -> None:
    """Ward centres (polygon centroids) and simplified ward outlines as GeoJSON."""
    with (src / "chiba_city_ward_centroids.csv").open(encoding="utf-8") as f:
        centres = list(csv.DictReader(f))
    with (out / "chiba_city_wards.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["ward", "jis_code", "lat", "lon"])
        for r in centres:
            w.writerow(
                [r["ward"], r["jis_code"], r["polygon_centroid_lat"], r["polygon_centroid_lon"]]
            )
    source = json.loads((src / "chiba_city_wards_N03.geojson").read_text(encoding="utf-8"))
    parts: dict[str, list[shapely.Geometry]] = defaultdict(list)
    for feature in source["features"]:
        parts[feature["properties"]["N03_004"]].append(shape(feature["geometry"]))
    wards = list(parts)
    merged = [shapely.union_all(parts[w]) for w in wards]
    simplified = shapely.coverage_simplify(merged, SIMPLIFY_DEGREES)
    features = []
    for ward, geom in zip(wards, simplified, strict=True):
        geom = shapely.set_precision(geom, 1e-5)
        # The label goes at the pole of inaccessibility of the largest part (a centroid can
        # sit on a station name or, for a curved ward, outside it).
        parts_ = list(getattr(geom, "geoms", [geom]))
        label = polylabel(max(parts_, key=lambda g: g.area), tolerance=1e-4)
        props = {"ward": ward, "label_lat": round(label.y, 5), "label_lon": round(label.x, 5)}
        features.append({"type": "Feature", "properties": props, "geometry": mapping(geom)})
    collection = {"type": "FeatureCollection", "features": features}
    (out / "chiba_city_wards.geojson").write_text(
        json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )


def build_stations(src: Path, out: Path) -> None:
    """One point per station name (N02 has one per line): mean of its line points."""
    source = json.loads((src / "chiba_city_stations.geojson").read_text(encoding="utf-8"))
    points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    lines: dict[str, set[str]] = defaultdict(set)
    for feature in source["features"]:
        p = feature["properties"]
        lon, lat = feature["geometry"]["coordinates"]
        points[p["station_name"]].append((lat, lon))
        lines[p["station_name"]].add(p["line"])
    with (out / "chiba_city_stations.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["station", "lines", "lat", "lon"])
        for name in sorted(points):
            pts = points[name]
            lat = sum(p[0] for p in pts) / len(pts)
            lon = sum(p[1] for p in pts) / len(pts)
            w.writerow([name, "・".join(sorted(lines[name])), f"{lat:.6f}", f"{lon:.6f}"])


def main(argv: list[str] | None = None) -> None:
    """Write every derived table into places/data/."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[2] / "shared" / "data"
    parser.add_argument("--source", type=Path, default=default)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    build_towns(args.source, args.out)
    build_postal(args.source, args.out)
    build_wards(args.source, args.out)
    build_stations(args.source, args.out)


if __name__ == "__main__":
    main()
