"""Intake by address: coordinates come from the offline geocoder and say where they came from."""

from __future__ import annotations

import csv

from places import haversine_km
from tests.api.casework.conftest import PROFILE, Api
from tests.conftest import shared_path


def _town_centre(ward: str, town: str) -> tuple[float, float]:
    with shared_path("data", "chiba_city_towns_geolonia.csv").open(encoding="utf-8") as f:
        row = next(r for r in csv.DictReader(f) if (r["ward"], r["town"]) == (ward, town))
    return float(row["lat"]), float(row["lng"])


def test_done_when_an_address_without_coordinates_is_placed_at_its_town(api: Api) -> None:
    person = api.person(address="千葉市若葉区桜木北2丁目", ward=None)
    assert person["home_location_source"] == "town"
    assert person["ward"] == "若葉区"
    lat, lon = _town_centre("若葉区", "桜木北二丁目")
    assert haversine_km(person["home_lat"], person["home_lon"], lat, lon) < 1.0
    again = api.ok("coordinator", "GET", f"/api/v1/people/{person['id']}")
    assert (again["home_lat"], again["home_location_source"]) == (person["home_lat"], "town")


def test_typed_coordinates_win_and_are_marked_manual(api: Api) -> None:
    person = api.person(address="千葉市若葉区桜木北2丁目", home_lat=35.61, home_lon=140.2)
    assert (person["home_lat"], person["home_location_source"]) == (35.61, "manual")


def test_an_address_the_table_lacks_falls_back_to_the_ward_centre(api: Api) -> None:
    person = api.person(address="若葉区どこにもない町1-1", ward="若葉区")
    assert person["home_location_source"] == "ward"


def test_a_postal_code_in_the_address_places_the_town(api: Api) -> None:
    person = api.person(address="〒264-0029", ward=None)
    assert (person["home_location_source"], person["ward"]) == ("postal", "若葉区")


def test_changing_the_address_moves_derived_coordinates(api: Api) -> None:
    person = api.person(address="千葉市若葉区桜木北2丁目", ward=None)
    moved = api.ok(
        "coordinator",
        "PATCH",
        f"/api/v1/people/{person['id']}",
        json={"address": "千葉市美浜区中瀬2丁目", "ward": "美浜区"},
    )
    assert (moved["home_location_source"], moved["ward"]) == ("town", "美浜区")
    assert haversine_km(moved["home_lat"], moved["home_lon"], 35.648503, 140.035705) < 0.01


def test_the_profile_starts_from_the_geocoded_home_and_keeps_its_source(api: Api) -> None:
    person = api.person(address="千葉市若葉区桜木北2丁目", ward=None)
    profile = api.ok("coordinator", "PUT", f"/api/v1/people/{person['id']}/profile", json=PROFILE)
    # PROFILE names the person's own ward: the finer town point is kept, not the ward centre.
    assert (profile["home_lat"], profile["home_location_source"]) == (person["home_lat"], "town")


def test_the_address_is_not_written_to_the_audit_log(api: Api) -> None:
    person = api.person(address="千葉市若葉区桜木北2丁目", ward=None)
    rows = api.ok("auditor", "GET", "/api/v1/audit", params={"entity_id": str(person["id"])})
    assert rows and "桜木北" not in str(rows)


def test_a_profile_starting_from_another_ward_uses_that_wards_centre(api: Api) -> None:
    person = api.person(address="千葉市若葉区桜木北2丁目", ward=None)
    body = {**PROFILE, "home": {"ward": "緑区"}}
    profile = api.ok("coordinator", "PUT", f"/api/v1/people/{person['id']}/profile", json=body)
    assert (profile["home_lat"], profile["home_lon"]) == (35.54457, 140.22948)
    assert profile["home_location_source"] == "ward"


def test_typed_coordinates_survive_an_address_change(api: Api) -> None:
    person = api.person(address="千葉市若葉区桜木北2丁目", home_lat=35.61, home_lon=140.2)
    moved = api.ok(
        "coordinator",
        "PATCH",
        f"/api/v1/people/{person['id']}",
        json={"address": "千葉市若葉区桜木1丁目"},
    )
    assert (moved["home_lat"], moved["home_location_source"]) == (35.61, "manual")


def test_a_profile_may_start_from_an_address_of_its_own(api: Api) -> None:
    person = api.person(address="千葉市若葉区桜木北2丁目", ward=None)
    body = {**PROFILE, "home": {"address": "千葉市美浜区中瀬2丁目"}}
    profile = api.ok("coordinator", "PUT", f"/api/v1/people/{person['id']}/profile", json=body)
    assert (profile["home_location_source"], profile["home_ward"]) == ("town", "美浜区")
    assert haversine_km(profile["home_lat"], profile["home_lon"], 35.648503, 140.035705) < 0.01
    assert profile["home_address"] == "千葉市美浜区中瀬2丁目"
    # The person's own (intake) point is unchanged.
    again = api.ok("coordinator", "GET", f"/api/v1/people/{person['id']}")
    assert again["home_lat"] == person["home_lat"]


def test_an_address_in_another_ward_than_the_ward_field_uses_the_ward_field(api: Api) -> None:
    # Conflicting answers: the chosen ward's centre, not a point the coordinator did not pick.
    person = api.person(address="千葉市美浜区中瀬2丁目", ward="若葉区")
    assert (person["ward"], person["home_location_source"]) == ("若葉区", "ward")
