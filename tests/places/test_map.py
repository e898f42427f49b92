"""The offline city map: six wards to scale, stations, home and numbered places, escaped."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from places import distance_label
from places.map import Projection, city_map_data, render_city_map

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def _view(root: ET.Element) -> tuple[float, float]:
    _, _, w, h = (float(v) for v in root.attrib["viewBox"].split())
    return w, h


def test_the_six_wards_are_drawn_as_paths_with_japanese_labels() -> None:
    root = _parse(render_city_map())
    wards = [p for p in root.iter(f"{SVG}path") if p.get("class") == "ward"]
    assert sorted(p.get("data-ward") for p in wards) == sorted(
        ["中央区", "花見川区", "稲毛区", "若葉区", "緑区", "美浜区"]
    )
    assert all(len(p.get("d", "")) > 200 for p in wards)
    labels = {t.text for t in root.iter(f"{SVG}text") if t.get("class") == "ward-label"}
    assert "若葉区" in labels and "美浜区" in labels


def test_ward_outlines_fill_the_view_to_scale() -> None:
    root = _parse(render_city_map())
    w, h = _view(root)
    numbers = [float(n) for p in root.iter(f"{SVG}path") if p.get("class") == "ward"
               for n in re.findall(r"-?\d+(?:\.\d+)?", p.get("d", ""))]  # fmt: skip
    xs, ys = numbers[0::2], numbers[1::2]
    assert min(xs) >= 0 and max(xs) <= w and min(ys) >= 0 and max(ys) <= h
    # Chiba City is about 23 km east-west and 24 km north-south: a near-square drawing.
    assert 0.8 < (max(ys) - min(ys)) / (max(xs) - min(xs)) < 1.4


def test_home_and_numbered_places_are_inside_the_view_at_their_positions() -> None:
    home = (35.634764, 140.156782)
    svg = render_city_map(
        home=home, points=[(1, "農園", 35.6073, 140.1063), (2, "図書館", 35.64, 140.05)]
    )
    root = _parse(svg)
    w, h = _view(root)
    proj = Projection.fit(city_map_data())
    places = {g.get("data-rank"): g for g in root.iter(f"{SVG}g") if g.get("class") == "place"}
    assert set(places) == {"1", "2"}
    circle = places["1"].find(f"{SVG}circle")
    assert circle is not None
    x, y = float(circle.get("cx", "nan")), float(circle.get("cy", "nan"))
    assert (x, y) == proj.xy(35.6073, 140.1063)
    assert 0 < x < w and 0 < y < h
    rect = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "home").find(f"{SVG}rect")
    assert rect is not None
    hx, hy = float(rect.get("x", "nan")) + 6, float(rect.get("y", "nan")) + 6
    assert (hx, hy) == proj.xy(*home)


def test_a_place_far_outside_the_city_is_kept_inside_the_view_and_says_so() -> None:
    root = _parse(render_city_map(points=[(3, "成田", 35.776, 140.318)]))
    w, h = _view(root)
    group = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "place")
    circle = group.find(f"{SVG}circle")
    assert circle is not None
    assert 0 < float(circle.get("cx", "nan")) < w and 0 < float(circle.get("cy", "nan")) < h
    title = circle.find(f"{SVG}title")
    assert title is not None and "地図の端" in (title.text or "")


def test_points_without_coordinates_are_left_out() -> None:
    root = _parse(render_city_map(points=[(1, "住所なし", None, None)]))
    assert not [g for g in root.iter(f"{SVG}g") if g.get("class") == "place"]


def test_names_are_escaped() -> None:
    svg = render_city_map(points=[(1, '<script>alert("x")</script>&', 35.6, 140.12)])
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg and "&amp;" in svg
    _parse(svg)  # still well-formed XML


def test_stations_are_landmarks_and_the_map_credits_mlit() -> None:
    svg = render_city_map()
    root = _parse(svg)
    stations = [g for g in root.iter(f"{SVG}g") if g.get("class") == "station"]
    assert len(stations) >= 40
    assert "千葉駅" in svg and "海浜幕張" in svg
    assert "国土数値情報" in svg and "国土交通省" in svg


def test_scale_bar_is_five_km_long_at_the_map_scale() -> None:
    svg = render_city_map()
    proj = Projection.fit(city_map_data())
    m = re.search(r'<g class="scale".*?d="M([\d.]+),[\d.]+ V[\d.]+ H([\d.]+)', svg)
    assert m is not None
    assert abs(float(m.group(2)) - float(m.group(1)) - 5 * proj.px_per_km()) < 0.2
    assert "5 km" in svg


def test_no_external_asset_is_referenced() -> None:
    svg = render_city_map(home=(35.6, 140.1))
    assert (
        "href" not in svg
        and "url(" not in svg
        and "http://" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    )


def test_distance_labels_say_what_a_distance_is_measured_from() -> None:
    assert "住所から" in distance_label("address")
    assert "町の中心から" in distance_label("town")
    assert "区の中心から" in distance_label("ward")
    assert "住所" not in distance_label(None)
