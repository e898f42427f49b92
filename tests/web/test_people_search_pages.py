"""本人一覧's search box and the intake's duplicate notice (server-rendered, no browser)."""

from __future__ import annotations

from tests.web.conftest import Web, intake


def test_the_search_box_finds_a_reading_typed_in_half_width_kana(web: Web) -> None:
    web.login(web.add_user("coordinator"))
    yamada = intake(web, name="山田 花子", furigana="やまだ はなこ")
    chiba = intake(web, name="千葉 太郎", furigana="ちば たろう", born_on="1980-01-01")
    page = web.client.get("/people", params={"q": "ﾔﾏﾀﾞ"})
    assert page.status_code == 200
    assert f'href="/people/{yamada}"' in page.text
    assert f'href="/people/{chiba}"' not in page.text
    assert 'value="ﾔﾏﾀﾞ"' in page.text


def test_a_search_with_no_match_says_so(web: Web) -> None:
    web.login(web.add_user("coordinator"))
    intake(web)
    page = web.client.get("/people", params={"q": "さとう"})
    assert "「さとう」に当てはまる本人はいません" in page.text


def test_a_second_intake_with_the_same_reading_and_birth_date_shows_a_notice(web: Web) -> None:
    web.login(web.add_user("coordinator"))
    first = intake(web, name="山田 花子", furigana="やまだ はなこ", born_on="1990-05-01")
    again = {"name": "山田 花子", "furigana": "ヤマダ ハナコ", "born_on": "1990-05-01"}
    response = web.post("/people/new", again)
    assert response.status_code == 409
    assert "同じ人がすでに登録されているかもしれません" in response.text
    assert f'<a href="/people/{first}">山田 花子' in response.text
    assert 'name="confirm_new" value="1"' in response.text
    # Nothing was registered yet; confirming registers the second record.
    assert web.client.get("/people").text.count("山田 花子") == 1
    confirmed = web.post("/people/new", {**again, "confirm_new": "1"})
    assert confirmed.status_code == 303


def test_malformed_email_and_full_width_phone_at_intake(web: Web) -> None:
    web.login(web.add_user("coordinator"))
    refused = web.post("/people/new", {"name": "x", "email": "hanako@@example"})
    assert refused.status_code == 422
    assert "メールアドレス: メールアドレスの形式が正しくありません" in refused.text
    person_id = intake(
        web, name="電話 太郎", phone="０４３－２４５－１１１１", born_on="1970-01-01"
    )
    assert "043-245-1111" in web.client.get(f"/people/{person_id}").text
