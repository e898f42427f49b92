"""Pages with places: intake by address, the city map and distances that say from where."""

from __future__ import annotations

import re

from tests.web.conftest import Web, intake


def test_intake_takes_an_address_and_shows_where_the_point_comes_from(web: Web) -> None:
    web.login(web.add_user("coordinator"))
    form = web.client.get("/people/new").text
    assert 'name="address"' in form
    # Coordinates are an advanced, optional part of the form, folded away.
    assert re.search(r"<details[^>]*>\s*<summary>位置を緯度・経度で指定する", form)
    assert "Geolonia" in form and "国土数値情報" in form
    person_id = intake(web, ward="", address="千葉市若葉区桜木北2丁目15-1")
    page = web.client.get(f"/people/{person_id}").text
    assert "若葉区" in page and "地図・距離の位置: 町の中心" in page


def test_suggestions_page_draws_the_city_map_and_says_what_distances_are_from(web: Web) -> None:
    web.add_resources("R001", "R002")
    web.login(web.add_user("coordinator"))
    person_id = intake(web, ward="", address="千葉市若葉区桜木北2丁目")
    web.post(
        f"/people/{person_id}/consents/new",
        {"scope": "matching", "given_on": "2026-11-02", "method": "verbal"},
    )
    web.post(f"/people/{person_id}/profile", {"needs_text": "畑", "days": ["tue", "thu"]})
    web.post(f"/people/{person_id}/suggestions/run", {})
    page = web.client.get(f"/people/{person_id}/suggestions").text
    assert '<svg class="city-map"' in page
    assert len(re.findall(r'<path class="ward" data-ward="', page)) == 6
    assert 'class="place" data-rank="1"' in page
    places = re.findall(r"<dt>場所</dt><dd>(.*?)</dd>", page)
    assert places and all("自宅のある町の中心から約" in p for p in places if "km" in p)
    assert any("km" in p for p in places)
    assert "距離（自宅のある町の中心から）" in page
    assert "国土数値情報" in page


def test_catalog_import_preview_lists_rows_it_could_not_place(web: Web) -> None:
    web.login(web.add_user("catalog_maintainer"))
    body = "\n".join(
        [
            "resource_id,name,organization,ward,address",
            "P1,町まで,受入先,,千葉市若葉区桜木北2丁目",
            "P2,区まで,受入先,中央区,千葉市中央区架空町1-2",
        ]
    ).encode()
    preview = web.post("/catalog/import", {}, files={"file": ("c.csv", body, "text/csv")})
    assert preview.status_code == 200
    text = preview.text
    assert "位置を確かめてください" in text
    assert "3行目" in text and "架空町" in text and "区の中心" in text
    assert "桜木北" not in text.split("位置を確かめてください")[1].split("</section>")[0]
    token = text.split('name="token" value="')[1].split('"')[0]
    assert web.post("/catalog/import/apply", {"token": token, "mode": "all"}).status_code == 303
    detail = web.client.get("/catalog/P1").text
    assert "町の中心" in detail


def test_editing_the_address_moves_the_point_and_an_unplaceable_one_is_flagged(web: Web) -> None:
    web.login(web.add_user("coordinator"))
    person_id = intake(web, ward="", address="千葉市若葉区桜木北2丁目")
    form = web.client.get(f"/people/{person_id}/edit").text
    assert 'value="千葉市若葉区桜木北2丁目"' in form
    edited = {
        "name": "千葉 花子",
        "furigana": "ちば はなこ",
        "sex": "女性",
        "born_on": "1990-05-01",
        "ward": "美浜区",
        "address": "千葉市美浜区どこか1-1",
    }
    response = web.post(f"/people/{person_id}/edit", edited)
    assert response.status_code == 303
    page = web.client.get(f"/people/{person_id}").text
    assert "住所から町を特定できませんでした" in page
    assert "地図・距離の位置: 区の中心" in page
    web.post(f"/people/{person_id}/edit", {**edited, "address": "千葉市美浜区中瀬2丁目"})
    page = web.client.get(f"/people/{person_id}").text
    assert "地図・距離の位置: 町の中心" in page and "住所から町を特定できませんでした" not in page


def test_the_needs_profile_form_takes_a_starting_address(web: Web) -> None:
    web.login(web.add_user("coordinator"))
    person_id = intake(web, ward="", address="千葉市若葉区桜木北2丁目")
    assert 'name="home_address"' in web.client.get(f"/people/{person_id}/profile").text
    saved = web.post(
        f"/people/{person_id}/profile",
        {"needs_text": "畑", "days": ["tue"], "home_address": "千葉市美浜区中瀬2丁目"},
    )
    assert saved.status_code == 303
    form = web.client.get(f"/people/{person_id}/profile").text
    assert 'value="千葉市美浜区中瀬2丁目"' in form
