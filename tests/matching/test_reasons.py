"""Every reason's claim is checked against the data, for every dev and synthetic person."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from matching import HashingEncoder, PersonProfile, Ranker, Resource
from matching.io import load_catalog_csv, load_people_jsonl
from matching.rules import DAY_JA, distance_km
from matching.text import normalize, read_time_wishes
from tests.matching.conftest import DEV, EVALSETS

QUOTE = re.compile(r"^(?:避けたいこと)?『(?P<mine>[^』]+)』→ (?P<theirs>.+)$")
TIME = re.compile(r"^(?P<s>\d\d:\d\d)〜(?P<e>\d\d:\d\d)の活動$")
KM = re.compile(r"自宅から約(?P<km>[\d.]+)km")
JARGON = ("意味的", "スコア", "score", "§", "特徴量", "z=")


def sets() -> list[tuple[str, Path]]:
    out = [("dev", DEV), ("synth", EVALSETS / "synth")]
    return [(name, d) for name, d in out if (d / "catalog.csv").exists()]


def check_reason(text: str, p: PersonProfile, r: Resource, ranker: Ranker) -> None:
    said = normalize(p.needs_text) + "\n" + normalize(p.avoid_text)
    activity = normalize(f"{r.description}。{r.name}")
    times = read_time_wishes(p.needs_text, p.avoid_text)
    assert not any(j in text for j in JARGON), text
    assert not re.search(r"\d\.\d{3}", text), text  # no raw scores
    m = QUOTE.match(text)
    if m:
        mine, theirs = m["mine"], m["theirs"]
        # the person's words are the person's, verbatim (no internal word forms)
        assert mine in said, (text, said)
        if TIME.match(theirs):
            assert times.any_time, text  # no time reason without a time wish
            assert theirs == f"{r.start_time}〜{r.end_time}の活動"
        elif theirs.startswith("活動日は"):
            assert theirs[4:] == "・".join(DAY_JA[d] for d in r.days if d in DAY_JA) or set(
                theirs[4:].split("・")
            ) <= {DAY_JA[d] for d in r.days}
        elif KM.match(theirs):
            d = distance_km(p, r)
            assert d is not None and abs(float(KM.match(theirs)["km"]) - d) < 0.06
        elif theirs in ("静かな環境", "少人数", "静かな環境・少人数"):
            assert ("静か" not in theirs or r.quiet_environment) and (
                "少人数" not in theirs or r.small_group
            )
        elif theirs == "有償の活動":
            assert r.paid
        elif theirs.endswith("できる"):
            assert ("見学" not in theirs or r.visit_ok) and ("体験" not in theirs or r.trial_ok)
        else:
            assert theirs in activity, (text, activity)
        return
    if text.startswith("希望分野"):
        return  # checked against the ranker's categories below
    if text.startswith("希望の曜日"):
        days = text[text.index("（") + 1 : text.index("）")].split("・")
        want = {DAY_JA[d] for d in p.days}
        have = {DAY_JA[d] for d in r.days}
        assert set(days) <= want & have, text
        return
    km = KM.match(text)
    if km:
        d = distance_km(p, r)
        assert d is not None and abs(float(km["km"]) - d) < 0.06
        assert p.max_travel_km is not None and d <= p.max_travel_km
        return
    if "静かな環境" in text or "少人数" in text:
        assert "静か" not in text or r.quiet_environment
        assert "少人数" not in text or r.small_group
        return
    if text == "車椅子で利用できる":
        assert p.needs_wheelchair_access and r.wheelchair_accessible
        return
    if text.startswith("有償の活動"):
        assert r.paid
        return
    if text.startswith("「"):  # 「農作業」の希望 → activity words
        assert text.split("→ ", 1)[1] in activity
        return
    pytest.fail(f"unchecked reason: {text}")


@pytest.mark.parametrize(("name", "folder"), sets())
def test_every_reason_is_true(name: str, folder: Path) -> None:
    resources = load_catalog_csv(folder / "catalog.csv")
    people = load_people_jsonl(folder / "people.jsonl")[:200]
    ranker = Ranker(encoder=HashingEncoder(dim=64)).fit(resources)
    by_id = {r.resource_id: r for r in resources}
    lines: list[str] = []
    n = 0
    for p in people:
        for s in ranker.suggest(p, top_k=5):
            assert 1 <= len(s.reasons) <= 5 or not s.reasons
            for text in s.reasons:
                check_reason(text, p, by_id[s.resource_id], ranker)
                n += 1
            lines.extend(s.reasons)
    assert n > 3 * len(people)
    # no boilerplate: no single line on most cards
    most = max(lines.count(x) for x in set(lines))
    assert most < 0.25 * len(lines), name


def test_no_time_or_quiet_reason_without_the_wish() -> None:
    r = Resource(
        "q",
        name="読書会",
        description="図書館で本を読む。",
        quiet_environment=True,
        small_group=True,
        start_time="10:00",
        end_time="12:00",
        lat=35.64,
        lon=140.1,
        capacity_remaining=2,
        visit_ok=True,
    )
    rk = Ranker(encoder=HashingEncoder(dim=32)).fit([r])
    plain = rk.suggest(PersonProfile("p", needs_text="本を読みたい"), 1)[0].reasons
    assert plain == ["『本を読みたい』→ 図書館で本を読む"]
    wished = rk.suggest(PersonProfile("p", needs_text="本を読みたい。朝型、静かな所"), 1)[0]
    assert "『朝型』→ 10:00〜12:00の活動" in wished.reasons
    assert "『静かな所』→ 静かな環境" in wished.reasons  # quiet asked, small group not
