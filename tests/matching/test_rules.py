"""Each hard rule, vectorised and scalar, and explain_exclusion."""

from __future__ import annotations

import math

import numpy as np
import pytest

from matching import Ranker, Resource, UnknownResourceError
from matching.rules import RuleColumns, check_rules
from tests.matching.conftest import person, res

CASES = [
    ("available", res("x", status="inactive"), person()),
    ("available", res("x", capacity_remaining=0), person()),
    ("age", res("x", min_age=40), person(age=30)),
    ("age", res("x", max_age=25), person(age=30)),
    ("certificate", res("x", requires_certificate=True), person(has_certificate=False)),
    ("days", res("x", days=["sat"]), person(days=["mon", "tue"])),
    ("wheelchair", res("x", wheelchair_accessible=False), person(needs_wheelchair_access=True)),
    ("distance", res("x", lat=35.55, lon=140.22), person(max_travel_km=3.0)),
    ("excluded", res("x"), person(excluded_resource_ids=["x"])),
]


@pytest.mark.parametrize(("rule", "resource", "profile"), CASES, ids=[c[0] for c in CASES])
def test_rule_break_is_detected_and_never_suggested(
    rule: str, resource: Resource, profile: object, tiny_catalog: list[Resource]
) -> None:
    assert [b.rule for b in check_rules(profile, resource)] == [rule]  # type: ignore[arg-type]
    cols = RuleColumns.from_resources([resource])
    assert not cols.mask(profile)[0]  # type: ignore[arg-type]
    cand, _ = cols.candidates(profile)  # type: ignore[arg-type]
    assert len(cand) == 0
    ranker = Ranker(encoder=None).__class__  # the class, to build with a fake encoder below
    from matching import HashingEncoder

    r = ranker(encoder=HashingEncoder(dim=32)).fit([*tiny_catalog, resource])
    assert "x" not in [s.resource_id for s in r.suggest(profile, top_k=10)]  # type: ignore[arg-type]


def test_rules_pass_where_sides_do_not_list_days_or_ages() -> None:
    assert check_rules(person(days=[]), res("x", days=["sat"])) == []
    assert check_rules(person(days=["mon"]), res("x", days=[])) == []
    assert check_rules(person(age=None), res("x", min_age=60)) == []


def test_no_travel_limit_means_any_distance() -> None:
    assert check_rules(person(max_travel_km=None), res("x", lat=35.0, lon=139.0)) == []


def test_explain_exclusion_lists_every_broken_rule_in_japanese(
    tiny_catalog: list[Resource],
) -> None:
    from matching import HashingEncoder

    bad = res("bad", status="inactive", requires_certificate=True, days=["sun"])
    r = Ranker(encoder=HashingEncoder(dim=32)).fit([*tiny_catalog, bad])
    breaks = r.explain_exclusion(person(days=["mon"]), "bad")
    assert [b.rule for b in breaks] == ["available", "certificate", "days"]
    assert "手帳" in breaks[1].message_ja
    assert r.explain_exclusion(person(), "farm") == []
    with pytest.raises(UnknownResourceError):
        r.explain_exclusion(person(), "nope")


@pytest.mark.parametrize("bearing", ["east", "west", "north", "south"])
def test_candidates_and_mask_agree_at_the_edge_of_the_travel_limit(bearing: str) -> None:
    """A place just inside the limit, due east, west, north or south, is a candidate."""
    from matching.rules import haversine_km

    home_lat, home_lon, limit = 35.641, 140.101, 3.0
    step = 0.9995 * limit / 111.195
    lat, lon = {
        "east": (home_lat, home_lon + step / math.cos(math.radians(home_lat))),
        "west": (home_lat, home_lon - step / math.cos(math.radians(home_lat))),
        "north": (home_lat + step, home_lon),
        "south": (home_lat - step, home_lon),
    }[bearing]
    inside = res("in", lat=lat, lon=lon)
    assert haversine_km(home_lat, home_lon, np.array([lat]), np.array([lon]))[0] < limit
    profile = person(home_lat=home_lat, home_lon=home_lon, max_travel_km=limit)
    cols = RuleColumns.from_resources([inside, res("far", lat=35.9, lon=140.5)])
    cand, _ = cols.candidates(profile)
    assert list(cand) == list(np.flatnonzero(cols.mask(profile))) == [0]
    assert check_rules(profile, inside) == []
