"""Offline geocoding: town (町丁目) first, then postal code, then the ward's centre."""

from __future__ import annotations

import csv

import pytest

from places import Gazetteer, geocode, haversine_km
from places.geocoder import add_town
from tests.conftest import shared_path

SAKURAGI_KITA_2 = (35.634764, 140.156782)  # Geolonia 桜木北二丁目


def _source_centre(ward: str, town: str) -> tuple[float, float]:
    """A town's centre as Geolonia publishes it (the source of the shipped table)."""
    path = shared_path("data", "chiba_city_towns_geolonia.csv")
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if (row["ward"], row["town"]) == (ward, town):
                return float(row["lat"]), float(row["lng"])
    raise AssertionError(f"{ward}{town} not in the source")


def test_done_when_sakuragi_kita_2_is_placed_at_its_town_centre() -> None:
    found = geocode("千葉市若葉区桜木北2丁目")
    assert found is not None
    assert found.source == "town"
    assert (found.ward, found.town) == ("若葉区", "桜木北二丁目")
    lat, lon = _source_centre("若葉区", "桜木北二丁目")
    assert haversine_km(found.lat, found.lon, lat, lon) < 1.0


@pytest.mark.parametrize(
    "typed",
    [
        "千葉市若葉区桜木北2丁目",
        "千葉県千葉市若葉区桜木北二丁目15番1号",
        "若葉区 桜木北２－１５－１",
        "若葉区桜木北2-15",
        "桜木北2丁目",  # no ward: the town name is unique in the city
    ],
)
def test_variants_of_one_address_find_the_same_town(typed: str) -> None:
    found = geocode(typed)
    assert found is not None
    assert (found.source, found.town) == ("town", "桜木北二丁目")
    assert (found.lat, found.lon) == SAKURAGI_KITA_2


def test_longest_town_name_wins() -> None:
    found = geocode("若葉区桜木2丁目")
    assert found is not None and found.town == "桜木二丁目"


def test_ke_variants_match_the_table_spelling() -> None:
    for typed, town in [
        ("緑区あすみヶ丘3丁目", "あすみが丘三丁目"),
        ("花見川区朝日が丘2丁目", "朝日ケ丘二丁目"),
        ("中央区汐見ヶ丘町7", "汐見丘町"),
    ]:
        found = geocode(typed)
        assert found is not None and (found.source, found.town) == ("town", town), typed


def test_town_without_chome_keeps_its_lot_number_out_of_the_match() -> None:
    found = geocode("中央区青葉町1208-3")
    assert found is not None
    assert (found.source, found.town, found.matched_text) == ("town", "青葉町", "中央区青葉町")


def test_machi_may_be_left_out() -> None:
    found = geocode("千葉市緑区誉田1丁目843")
    assert found is not None and (found.source, found.town) == ("town", "誉田町一丁目")


def test_town_without_its_chome_is_placed_at_the_mean_of_its_chome() -> None:
    found = geocode("若葉区桜木北")
    assert found is not None and (found.source, found.town) == ("town", "桜木北")
    assert haversine_km(found.lat, found.lon, *SAKURAGI_KITA_2) < 1.0


def test_postal_code_in_the_text_finds_the_town() -> None:
    found = geocode("〒264-0029")
    assert found is not None
    assert (found.source, found.ward, found.town) == ("postal", "若葉区", "桜木北")


def test_postal_code_given_apart_is_used_when_the_text_has_no_town() -> None:
    found = geocode("どこか", postal_code="264-0029")
    assert found is not None and found.source == "postal"


def test_address_text_wins_over_the_postal_code() -> None:
    found = geocode("千葉市若葉区桜木北2丁目", postal_code="2600001")
    assert found is not None and found.source == "town" and found.ward == "若葉区"


def test_unknown_town_falls_back_to_the_ward_centre() -> None:
    found = geocode("千葉市中央区架空町1-2")
    assert found is not None
    assert (found.source, found.ward, found.town) == ("ward", "中央区", None)
    assert (found.lat, found.lon) == (35.58435, 140.1294)


def test_a_shorter_town_is_not_taken_for_an_unknown_longer_one() -> None:
    # 中央 is a town of 中央区, but 中央区中央区村田町 must not land on it.
    found = geocode("千葉市中央区村田町893")
    assert found is None or found.town != "中央"


def test_ward_given_apart_is_the_last_resort() -> None:
    found = geocode("", ward="緑区")
    assert found is not None and found.source == "ward" and found.ward == "緑区"


def test_nothing_to_go_on_gives_none() -> None:
    assert geocode("") is None
    assert geocode(None) is None
    assert geocode("東京都千代田区永田町1-7-1") is None


def test_a_town_name_in_two_wards_is_not_guessed_unless_the_ward_is_given() -> None:
    towns: dict = {}
    add_town(towns, "中央区", "本町一丁目", 35.61, 140.12)
    add_town(towns, "緑区", "本町一丁目", 35.55, 140.22)
    gazetteer = Gazetteer(
        towns=towns,
        postal={},
        ward_centres={"中央区": (35.58, 140.13), "緑区": (35.54, 140.23)},
    )
    assert gazetteer.geocode("本町1丁目") is None
    found = gazetteer.geocode("本町1丁目", ward="緑区")
    assert found is not None and (found.source, found.ward, found.lat) == ("town", "緑区", 35.55)
