"""Normalisation of Japanese addresses in Chiba City, so one town has one spelling.

Addresses arrive typed by hand, pasted from brochures or exported from other systems:
full-width digits, kanji numerals (二丁目), hyphen look-alikes (−, ー, ‐), ヶ/ケ/が and の/ノ
variants, spaces, with or without 千葉県 / 千葉市. The geocoder compares *keys* produced here,
never raw text.
"""

from __future__ import annotations

import re
import unicodedata

_KANJI_DIGITS = {ch: i for i, ch in enumerate("〇一二三四五六七八九")}
_KANJI_NUMBER = re.compile(r"[〇一二三四五六七八九十]+(?=丁目)")
# Hyphen look-alikes people and systems type between numbers (ー only between digits).
_DASHES = re.compile(r"[‐‑‒–—―−－﹣ｰ]")
_LONG_VOWEL_BETWEEN_DIGITS = re.compile(r"(?<=\d)[ー](?=\d)")
_SPACES = re.compile(r"\s+")
_PREFIXES = ("千葉県", "千葉市")
# 〒260-0001, 260-0001, 2600001 (7 digits not inside a longer number).
POSTAL_CODE = re.compile(r"〒?(?<!\d)(\d{3})-?(\d{4})(?!\d)")


def kanji_to_int(text: str) -> int:
    """二 → 2, 十二 → 12, 二十 → 20, 二十三 → 23 (the numbers of 丁目, at most 99)."""
    if "十" not in text:
        value = 0
        for ch in text:
            value = value * 10 + _KANJI_DIGITS[ch]
        return value
    tens, _, ones = text.partition("十")
    return (kanji_to_int(tens) if tens else 1) * 10 + (kanji_to_int(ones) if ones else 0)


def normalize_text(text: str) -> str:
    """NFKC, no spaces, one hyphen, Arabic 丁目 numbers; keeps every other character."""
    text = unicodedata.normalize("NFKC", text)
    text = _SPACES.sub("", text)
    text = _DASHES.sub("-", text)
    text = _LONG_VOWEL_BETWEEN_DIGITS.sub("-", text)
    return _KANJI_NUMBER.sub(lambda m: str(kanji_to_int(m.group(0))), text)


def strip_city(text: str) -> str:
    """Drop a leading 千葉県 and 千葉市 (both optional in what people write)."""
    changed = True
    while changed:
        changed = False
        for prefix in _PREFIXES:
            if text.startswith(prefix):
                text = text[len(prefix) :]
                changed = True
    return text


_KE = frozenset("ヶケがガヵ")
_NO = frozenset("の之ノ")


def match_key(text: str) -> str:
    """The comparison key of a town name (see ``match_key_positions``)."""
    return match_key_positions(text)[0]


def match_key_positions(text: str) -> tuple[str, list[int]]:
    """Key without ヶ/ケ/が (汐見ヶ丘町 = 汐見丘町 = 汐見が丘町), の/之 → ノ; and for each key
    character the length of ``text`` it covers, to report the matched original text."""
    key: list[str] = []
    ends: list[int] = []
    for i, ch in enumerate(text):
        if ch in _KE:
            continue
        key.append("ノ" if ch in _NO else ch)
        ends.append(i + 1)
    return "".join(key), ends


def normalize_address(text: str) -> str:
    """An address as the geocoder reads it: normalised, without 千葉県/千葉市 or postal code."""
    text = normalize_text(text)
    return strip_city(POSTAL_CODE.sub("", text))


def find_postal_code(text: str) -> str | None:
    """The first 7-digit postal code in the text (〒260-0001, 260-0001, 2600001), digits only."""
    m = POSTAL_CODE.search(normalize_text(text))
    return m.group(1) + m.group(2) if m else None
