"""Offline geocoding of Chiba City addresses to town (町丁目) level.

The order of evidence, most precise first: ward + town in the address text (the longest town
name that starts the text after the ward, with its 丁目 when given), the postal code (in the
text or given apart) → its town, then the ward's centre. Every result says which one it used
(``source``) so a distance can say what it is measured from.

Data (``places/data/``, built by ``scripts/build_places_data.py``): town centres from Geolonia
japanese-addresses (CC BY 4.0), postal codes from 日本郵便 KEN_ALL, ward centres from
国土数値情報 N03 (MLIT).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Literal

from places.normalize import (
    find_postal_code,
    match_key,
    match_key_positions,
    normalize_address,
    normalize_text,
)

GeocodeSource = Literal["address", "town", "postal", "ward"]
# Where stored coordinates came from: a geocode source, or typed by hand ("manual").
LocationSource = Literal["address", "town", "postal", "ward", "manual"]
LOCATION_SOURCES: tuple[str, ...] = ("address", "town", "postal", "ward", "manual")

WARDS: tuple[str, ...] = ("中央区", "花見川区", "稲毛区", "若葉区", "緑区", "美浜区")
_CHOME = re.compile(r"^(.*?)(\d+)丁目$")
_AFTER_TOWN = re.compile(r"^(\d+)(丁目|-|$)")
# What may follow a town name: a number, 字 (a sub-area), 番地, the end, or non-kanji text.
_KANJI = re.compile(r"[\u4e00-\u9fff]")
_AFTER_TOWN_KANJI_OK = frozenset("町字番丁号外地")


@dataclass(frozen=True)
class GeocodeResult:
    """A point for an address and how it was found (``source``: the precision it has).

    ``source`` is ``town`` (a 町丁目 centre, or a town's centre when no 丁目 was given),
    ``postal`` (the town of the postal code) or ``ward`` (the ward's centre); ``address`` is
    reserved for a house-number table, which the shipped data does not have.
    """

    lat: float
    lon: float
    source: GeocodeSource
    ward: str
    town: str | None
    matched_text: str


@dataclass
class _Town:
    """A town name without its 丁目 (桜木北), with the centres of its 丁目 or its own centre."""

    name: str
    own: tuple[float, float] | None = None
    chome: dict[int, tuple[str, float, float]] = field(default_factory=dict)

    def centre(self) -> tuple[float, float]:
        """Its own centre, else the mean of its 丁目 centres."""
        if self.own is not None:
            return self.own
        points = [(lat, lon) for _, lat, lon in self.chome.values()]
        return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


@dataclass
class Gazetteer:
    """The town, postal-code and ward-centre tables, indexed for prefix matching."""

    towns: dict[str, dict[str, _Town]]
    postal: dict[str, tuple[str, str]]
    ward_centres: dict[str, tuple[float, float]]

    @classmethod
    def from_package(cls) -> Gazetteer:
        """Load the tables shipped in ``places/data``."""
        data = resources.files("places") / "data"
        towns: dict[str, dict[str, _Town]] = {w: {} for w in WARDS}
        with (data / "chiba_city_towns.csv").open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                add_town(towns, row["ward"], row["town"], float(row["lat"]), float(row["lon"]))
        add_town_aliases(towns)
        with (data / "chiba_city_postal.csv").open(encoding="utf-8") as f:
            postal = {r["postal_code"]: (r["ward"], r["town"]) for r in csv.DictReader(f)}
        with (data / "chiba_city_wards.csv").open(encoding="utf-8") as f:
            centres = {r["ward"]: (float(r["lat"]), float(r["lon"])) for r in csv.DictReader(f)}
        return cls(towns=towns, postal=postal, ward_centres=centres)

    # --- matching -----------------------------------------------------------------------

    def match_town(self, ward: str, text: str) -> tuple[str, float, float, str] | None:
        """(town name, lat, lon, matched text) for the longest town starting ``text``."""
        index = self.towns.get(ward, {})
        key, ends = match_key_positions(text)
        for n in range(len(key), 0, -1):
            town = index.get(key[:n])
            if town is None:
                continue
            rest = key[n:]
            if rest and _KANJI.match(rest) and rest[0] not in _AFTER_TOWN_KANJI_OK:
                # 中央 + 区村田町…: a longer town this table lacks, not the shorter one.
                return None
            tail = _AFTER_TOWN.match(rest)
            if tail and town.chome:
                number = int(tail.group(1))
                if number in town.chome and (tail.group(2) or town.own is None):
                    name, lat, lon = town.chome[number]
                    suffix = tail.group(2) if tail.group(2) == "丁目" else ""
                    return name, lat, lon, text[: ends[n - 1] + len(tail.group(1)) + len(suffix)]
            lat, lon = town.centre()
            return town.name, lat, lon, text[: ends[n - 1]]
        return None

    def geocode(
        self, address: str | None, *, postal_code: str | None = None, ward: str | None = None
    ) -> GeocodeResult | None:
        """The best point for an address (town, else postal code, else ward centre) or None."""
        text = normalize_address(address or "")
        text_ward = next((w for w in WARDS if text.startswith(w)), None)
        if text_ward is not None:
            rest = text[len(text_ward) :]
            rest = rest.removeprefix(text_ward)  # 中央区中央区村田町 (a doubled ward in exports)
            found = self.match_town(text_ward, rest)
            if found:
                name, lat, lon, matched = found
                return GeocodeResult(lat, lon, "town", text_ward, name, text_ward + matched)
        elif text:
            unique = self._match_any_ward(text, prefer=ward)
            if unique is not None:
                return unique
        code = postal_code_digits(postal_code) or find_postal_code(address or "")
        if code is not None and code in self.postal:
            postal_ward, postal_town = self.postal[code]
            found = self.match_town(postal_ward, normalize_text(postal_town))
            if found:
                name, lat, lon, _ = found
                return GeocodeResult(lat, lon, "postal", postal_ward, name, f"〒{code}")
        for candidate in (text_ward, ward, self.postal.get(code or "", (None,))[0]):
            if candidate in self.ward_centres:
                lat, lon = self.ward_centres[candidate]
                return GeocodeResult(lat, lon, "ward", candidate, None, candidate)
        return None

    def _match_any_ward(self, text: str, *, prefer: str | None) -> GeocodeResult | None:
        """A town named without its ward: accepted when one ward has the longest match."""
        wards = [prefer] if prefer in self.towns else []
        wards += [w for w in WARDS if w not in wards]
        best: list[tuple[int, str, tuple[str, float, float, str]]] = []
        for w in wards:
            found = self.match_town(w, text)
            if found:
                best.append((len(found[3]), w, found))
        if not best:
            return None
        longest = max(b[0] for b in best)
        top = [b for b in best if b[0] == longest]
        if len(top) > 1 and not (prefer and top[0][1] == prefer):
            return None  # the same town name in two wards: do not guess
        _, w, (name, lat, lon, matched) = top[0]
        return GeocodeResult(lat, lon, "town", w, name, matched)


def add_town(
    towns: dict[str, dict[str, _Town]], ward: str, name: str, lat: float, lon: float
) -> None:
    """Index one 町丁目 row under its town name without the 丁目 (keys use ``match_key``)."""
    normal = normalize_text(name)
    m = _CHOME.match(normal)
    base = m.group(1) if m else normal
    town = towns.setdefault(ward, {}).setdefault(match_key(base), _Town(name=base))
    if m:
        town.chome[int(m.group(2))] = (name, lat, lon)
    else:
        town.own = (lat, lon)


def add_town_aliases(towns: dict[str, dict[str, _Town]]) -> None:
    """Let 誉田1丁目 find 誉田町一丁目: a town ending in 町 is also found without it."""
    for index in towns.values():
        for key, town in list(index.items()):
            if key.endswith("町") and len(key) > 2:
                index.setdefault(key[:-1], town)


def postal_code_digits(value: str | None) -> str | None:
    """``〒260-0001`` / ``260-0001`` / ``2600001`` → ``2600001``; None when not a postal code."""
    if not value:
        return None
    return find_postal_code(value)


@cache
def default_gazetteer() -> Gazetteer:
    """The shipped tables, loaded once on first use (a few hundred rows)."""
    return Gazetteer.from_package()


def geocode(
    address: str | None, *, postal_code: str | None = None, ward: str | None = None
) -> GeocodeResult | None:
    """Geocode a Chiba City address with the shipped tables (see ``Gazetteer.geocode``)."""
    return default_gazetteer().geocode(address, postal_code=postal_code, ward=ward)
