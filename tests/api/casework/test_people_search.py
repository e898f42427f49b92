"""Finding people (one search over name, reading, 受付番号, phone) and duplicate warnings."""

from __future__ import annotations

import pytest

from tests.api.casework.conftest import Api


def _ids(api: Api, q: str, role: str = "coordinator") -> list[int]:
    body = api.ok(role, "GET", "/api/v1/people", params={"q": q})  # type: ignore[arg-type]
    return [p["id"] for p in body["items"]]


@pytest.mark.parametrize("q", ["ﾔﾏﾀﾞ", "ヤマダ", "やまだ", "yamada", "YAMADA", "山田", "山田花子"])
def test_done_when_every_form_of_the_reading_finds_yamada(api: Api, q: str) -> None:
    yamada = api.person(name="山田 花子", furigana="やまだ はなこ")
    other = api.person(name="千葉 太郎", furigana="ちば たろう")
    found = _ids(api, q)
    assert yamada["id"] in found
    assert other["id"] not in found


def test_a_katakana_reading_is_found_by_hiragana_and_romaji(api: Api) -> None:
    person = api.person(name="佐藤 一郎", furigana="サトウ イチロウ")
    assert person["id"] in _ids(api, "さとう")
    assert person["id"] in _ids(api, "satou")
    assert person["id"] not in _ids(api, "やまだ")


def test_reception_number_and_phone_digits_find_the_person(api: Api) -> None:
    person = api.person(name="鈴木 次郎", phone="043-245-1111")
    other = api.person(name="高橋 三郎", phone="090-0000-2222")
    assert _ids(api, person["reception_number"]) == [person["id"]]
    assert _ids(api, "2451111") == [person["id"]]
    assert _ids(api, "０４３２４５") == [person["id"]]
    assert other["id"] not in _ids(api, "245-1111")


def test_done_when_a_second_intake_with_the_same_reading_and_birth_date_is_warned(
    api: Api,
) -> None:
    first = api.person(name="山田 花子", furigana="やまだ はなこ", born_on="1990-05-01")
    second = api.ok(
        "coordinator", "POST", "/api/v1/people", 201,
        json={"name": "山田 はなこ", "furigana": "ﾔﾏﾀﾞ ﾊﾅｺ", "born_on": "1990-05-01"},
    )  # fmt: skip
    assert second["possible_duplicates"] == [
        {
            "id": first["id"],
            "name": "山田 花子",
            "reception_number": first["reception_number"],
            "matched_on": ["reading_and_birth_date"],
            "readable": True,
        }
    ]


def test_a_different_birth_date_is_not_a_duplicate(api: Api) -> None:
    api.person(name="山田 花子", furigana="やまだ はなこ", born_on="1990-05-01")
    second = api.ok(
        "coordinator", "POST", "/api/v1/people", 201,
        json={"name": "山田 花子", "furigana": "やまだ はなこ", "born_on": "1991-05-01"},
    )  # fmt: skip
    assert second["possible_duplicates"] == []


def test_the_same_phone_in_another_form_is_a_duplicate(api: Api) -> None:
    first = api.person(name="鈴木 次郎", phone="043-245-1111")
    second = api.ok(
        "coordinator", "POST", "/api/v1/people", 201,
        json={"name": "すずき じろう", "phone": "０４３（２４５）１１１１"},
    )  # fmt: skip
    assert second["phone"] == "043-245-1111"
    assert [(d["id"], d["matched_on"]) for d in second["possible_duplicates"]] == [
        (first["id"], ["phone"])
    ]


def test_full_width_phone_and_email_are_stored_normalised(api: Api) -> None:
    person = api.person(phone="０９０ー１２３４ー５６７８", email="ｈａｎａｋｏ＠Example.JP")
    assert (person["phone"], person["email"]) == ("090-1234-5678", "hanako@example.jp")


@pytest.mark.parametrize(
    ("field", "value", "japanese"),
    [
        ("email", "hanako@@example", "メールアドレスの形式が正しくありません"),
        ("email", "hanako@example", "メールアドレスの形式が正しくありません"),
        ("phone", "12345", "電話番号は0から始まる10桁または11桁"),
        ("phone", "043-123-45a7", "電話番号は0から始まる10桁または11桁"),
    ],
)
def test_malformed_contact_details_are_refused_in_japanese(
    api: Api, field: str, value: str, japanese: str
) -> None:
    response = api.call("coordinator", "POST", "/api/v1/people", json={"name": "x", field: value})
    assert response.status_code == 422
    assert japanese in response.text


def test_a_patch_normalises_the_phone_too(api: Api) -> None:
    person = api.person(name="x")
    patched = api.ok(
        "coordinator",
        "PATCH",
        f"/api/v1/people/{person['id']}",
        json={"phone": "０４３－１１１－２２２２"},
    )
    assert patched["phone"] == "043-111-2222"


def test_the_agenda_api_answers_the_dashboards_lines(api: Api) -> None:
    person = api.person(name="山田 花子", received_on="2026-10-01")
    body = api.ok(
        "supervisor", "GET", "/api/v1/agenda",
        params={"on": "2026-11-22", "no_contact_days": 30},
    )  # fmt: skip
    assert (body["today"], body["week_end"]) == ("2026-11-22", "2026-11-29")
    [line] = [i for i in body["items"] if i["person_id"] == person["id"]]
    assert (line["kind"], line["section"], line["href"]) == (
        "no_contact", "overdue", f"/people/{person['id']}",
    )  # fmt: skip
    assert line["title"] == "連絡の途絶えているケース"
    assert api.call("finance", "GET", "/api/v1/agenda").status_code == 403
