"""Address normalisation: one spelling per town whatever was typed."""

from __future__ import annotations

import pytest

from places.normalize import (
    find_postal_code,
    kanji_to_int,
    match_key,
    normalize_address,
    normalize_text,
)


@pytest.mark.parametrize(
    ("kanji", "number"), [("一", 1), ("二", 2), ("九", 9), ("十", 10), ("十二", 12), ("二十三", 23)]
)
def test_kanji_numerals_become_numbers(kanji: str, number: int) -> None:
    assert kanji_to_int(kanji) == number


@pytest.mark.parametrize(
    "typed",
    [
        "千葉市若葉区桜木北2丁目",
        "千葉県千葉市若葉区桜木北二丁目",
        "若葉区桜木北２丁目",
        "千葉県 千葉市 若葉区 桜木北 ２丁目",
        "千葉市　若葉区　桜木北二丁目",
    ],
)
def test_chome_forms_and_optional_prefecture_and_city_agree(typed: str) -> None:
    assert normalize_address(typed) == "若葉区桜木北2丁目"


def test_hyphen_look_alikes_become_one_hyphen() -> None:
    assert normalize_text("新宿2−15−1") == "新宿2-15-1"
    assert normalize_text("新宿２－１５－１") == "新宿2-15-1"
    assert normalize_text("新宿2ー15") == "新宿2-15"


def test_long_vowel_mark_inside_names_is_kept() -> None:
    assert normalize_text("センター2-1") == "センター2-1"


def test_ke_ga_and_no_variants_share_one_key() -> None:
    assert match_key("汐見ヶ丘町") == match_key("汐見丘町") == match_key("汐見が丘町")
    assert match_key("あすみが丘") == match_key("あすみケ丘") == match_key("あすみヶ丘")
    assert match_key("都賀の台") == match_key("都賀ノ台")


def test_postal_code_is_found_in_every_usual_form_and_removed_from_the_address() -> None:
    assert find_postal_code("〒264-0029 千葉市若葉区桜木北") == "2640029"
    assert find_postal_code("2640029") == "2640029"
    assert find_postal_code("〒２６４－００２９") == "2640029"
    assert find_postal_code("若葉区桜木北2-15-1") is None
    assert normalize_address("〒264-0029 千葉市若葉区桜木北2丁目") == "若葉区桜木北2丁目"
