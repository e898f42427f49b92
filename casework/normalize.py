"""Normal forms of what people type at intake: phone, e-mail, names and their readings.

Full-width digits, half-width katakana and the many dash characters of Japanese input
methods are folded with NFKC first, so that ``０４３－１２３－４５６７`` and ``043-123-4567``
are the same number and ``ﾔﾏﾀﾞ``, ``ヤマダ``, ``やまだ`` and ``yamada`` are the same reading.
"""

from __future__ import annotations

import re
import unicodedata

import jaconv

# Dashes and long-vowel marks typed between digits of a phone number.
_DASHES = "‐‑‒–—―−－ー─━ｰ"
_DASH_RE = re.compile(f"[{_DASHES}]")
_SPACE_RE = re.compile(r"[\s・･]+")
_PHONE_RE = re.compile(r"^\+?[0-9]+(-[0-9]+)*$")
_EMAIL_RE = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)
_ROMAJI_RE = re.compile(r"^[a-z' -]+$")

PHONE_ERROR = (
    "invalid phone number: 電話番号は0から始まる10桁または11桁の数字で入力してください"
    "（例: 043-123-4567）。"
)
EMAIL_ERROR = (
    "invalid e-mail address: メールアドレスの形式が正しくありません（例: hanako@example.jp）。"
)


def phone(value: str) -> str:
    """A phone number with NFKC digits and ASCII hyphens; ValueError when it is not one.

    Japanese numbers have 10 digits (fixed line) or 11 (mobile, 050), starting with 0;
    ``+81`` numbers drop that 0.
    """
    text = unicodedata.normalize("NFKC", value).strip()
    text = _DASH_RE.sub("-", text)
    text = re.sub(r"[\s()（）]+", "-", text).strip("-")
    text = re.sub(r"-{2,}", "-", text)
    if not _PHONE_RE.match(text):
        raise ValueError(PHONE_ERROR)
    digits = phone_digits(text)
    if text.startswith("+81"):
        ok = 9 <= len(digits) - 2 <= 10
    else:
        ok = digits.startswith("0") and len(digits) in (10, 11)
    if not ok:
        raise ValueError(PHONE_ERROR)
    return text


def phone_digits(value: str) -> str:
    """Only the digits of a phone number (how two numbers are compared)."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", value) if ch.isdigit())


def email(value: str) -> str:
    """An e-mail address folded with NFKC, the domain lower-cased; ValueError when malformed."""
    text = unicodedata.normalize("NFKC", value).strip()
    if not _EMAIL_RE.match(text) or ".." in text or len(text) > 254:
        raise ValueError(EMAIL_ERROR)
    local, domain = text.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


def name_key(value: str) -> str:
    """A name for comparison: NFKC, case-folded, without spaces or middle dots."""
    return _SPACE_RE.sub("", unicodedata.normalize("NFKC", value)).casefold()


def reading_key(value: str) -> str:
    """A reading (ふりがな) for comparison, in hiragana: ``ﾔﾏﾀﾞ ﾊﾅｺ`` → ``やまだはなこ``."""
    return jaconv.kata2hira(name_key(value))


def reading_romaji(value: str) -> str:
    """The Hepburn romaji of a reading (``やまだ`` → ``yamada``), for queries typed in latin."""
    return str(jaconv.kana2alphabet(reading_key(value)))


def query_forms(q: str) -> tuple[str, str, str | None]:
    """(name form, hiragana form, romaji form or None) of a search query."""
    key = name_key(q)
    romaji = key.replace("'", "") if _ROMAJI_RE.match(key) else None
    hira = jaconv.kata2hira(key)
    if romaji is not None:
        hira = str(jaconv.alphabet2kana(romaji))
    return key, hira, romaji
