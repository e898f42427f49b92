"""Contract and hard-rule checks for the real-place sets (real_brochure, real_casenotes) and
the hand-written held-out set on the same places (holdout_mixed)."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest

from matching import HashingEncoder, PersonProfile, Ranker, Resource
from matching.evaluation import RankingEvaluator
from matching.io import CATALOG_COLUMNS, load_catalog_csv, load_labels_csv, load_people_jsonl
from matching.rules import RULES, RuleColumns, check_rules
from tests.matching.conftest import EVALSETS

SETS = ("real_brochure", "real_casenotes")  # built by make_real
# written by hand; labels decided before the ranker was run on them
CHECKED = (
    *SETS,
    "holdout_mixed",
    "blind_brochure",
    "blind_brochure2",
    "blind_mixed3",
    "blind_casenotes4",
    "blind_family5",
    "blind_terse6",
    "blind_brochure7",
    "blind_casenotes8",
    "blind_quotes9",
    "blind_casenotes10",
    "blind_casenotes11",
    "blind_casenotes12",
    "blind_casenotes13",
    "blind_casenotes14",
    "blind_casenotes15",
    "blind_casenotes16",
    "blind_casenotes17",
    "blind_casenotes18",
    "blind_brochure19",
    "blind_brochure20",
    "blind_brochure21",
)
PERSON_KEYS = {
    "person_id", "needs_text", "avoid_text", "age", "has_certificate", "days", "home",
    "max_travel_km", "needs_wheelchair_access", "prefers_quiet", "prefers_small_group",
    "wants_paid", "preferred_categories", "excluded_resource_ids",
}  # fmt: skip
WARDS = {"中央区", "花見川区", "稲毛区", "若葉区", "緑区", "美浜区"}
CATEGORIES = {
    "farm", "light_work", "cooking", "kids", "elderly", "cleaning", "office_it", "crafts",
    "sports", "hobby", "place_to_be", "employment_training", "volunteer", "animals", "retail",
    "library", "nature", "music_art",
}  # fmt: skip


def infeasible_labels(
    people: list[PersonProfile], resources: list[Resource], labels: dict[str, dict[str, int]]
) -> list[tuple[str, str, list[str]]]:
    """Labelled (grade > 0) pairs that break a hard rule, by both rule implementations."""
    by_id = {r.resource_id: r for r in resources}
    cols = RuleColumns.from_resources(resources)
    bad = []
    for p in people:
        mask = cols.mask(p)
        for rid, grade in labels.get(p.person_id, {}).items():
            if grade <= 0:
                continue
            broken = [b.rule for b in check_rules(p, by_id[rid])]
            if broken or not mask[cols.index[rid]]:
                bad.append((p.person_id, rid, broken or ["mask"]))
    return bad


def _traps(folder: Path) -> list[dict[str, str]]:
    with (folder / "traps.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module", params=CHECKED)
def real_set(request: pytest.FixtureRequest):
    folder = EVALSETS / request.param
    return (
        folder,
        load_catalog_csv(folder / "catalog.csv"),
        load_people_jsonl(folder / "people.jsonl"),
        load_labels_csv(folder / "labels.csv"),
    )


def test_files_follow_the_contract(real_set) -> None:
    folder, _, people, labels = real_set
    with (folder / "catalog.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == CATALOG_COLUMNS
        rows = list(reader)
    assert 40 <= len(rows) <= 80
    ids = [r["resource_id"] for r in rows]
    assert len(ids) == len(set(ids))
    for r in rows:
        assert r["ward"] in WARDS and r["address"].startswith(f"千葉市{r['ward']}")
        assert 35.45 < float(r["lat"]) < 35.75 and 139.95 < float(r["lon"]) < 140.35
        assert set(filter(None, r["categories"].split(";"))) <= CATEGORIES
        assert r["status"] in {"active", "inactive"}
        assert r["description"].strip() and r["name"].strip()
    with (folder / "people.jsonl").open(encoding="utf-8") as fh:
        raw = [json.loads(line) for line in fh]
    assert 40 <= len(raw) <= 80
    assert all(set(p) == PERSON_KEYS for p in raw)
    pids = [p["person_id"] for p in raw]
    assert len(pids) == len(set(pids))
    with (folder / "labels.csv").open(encoding="utf-8", newline="") as fh:
        lab = list(csv.DictReader(fh))
    assert lab and set(lab[0]) == {"person_id", "resource_id", "grade"}
    assert {row["person_id"] for row in lab} <= set(pids)
    assert {row["resource_id"] for row in lab} <= set(ids)
    assert {int(row["grade"]) for row in lab} <= {1, 2}
    pairs = [(row["person_id"], row["resource_id"]) for row in lab]
    assert len(pairs) == len(set(pairs))
    # every person has a first choice, about two labels each
    assert all(2 in labels.get(p.person_id, {}).values() for p in people)
    assert 1.5 <= len(lab) / len(pids) <= 3.0


def test_labelled_resources_are_feasible(real_set) -> None:
    _, resources, people, labels = real_set
    assert infeasible_labels(people, resources, labels) == []


def test_feasibility_check_catches_a_labelled_trap(real_set) -> None:
    folder, resources, people, labels = real_set
    row = _traps(folder)[0]
    broken = {pid: dict(g) for pid, g in labels.items()}
    broken[row["person_id"]][row["resource_id"]] = 2
    bad = infeasible_labels(people, resources, broken)
    assert [(pid, rid) for pid, rid, _ in bad] == [(row["person_id"], row["resource_id"])]


def test_traps_break_the_rules_they_name(real_set) -> None:
    folder, resources, people, labels = real_set
    by_id = {r.resource_id: r for r in resources}
    by_person = {p.person_id: p for p in people}
    for row in _traps(folder):
        person, res = by_person[row["person_id"]], by_id[row["resource_id"]]
        assert {b.rule for b in check_rules(person, res)} == set(row["rules"].split(";"))
        assert row["resource_id"] not in labels.get(row["person_id"], {})


@pytest.mark.parametrize("name", SETS)
def test_generated_traps_cover_every_rule_with_the_same_activity(name: str) -> None:
    folder = EVALSETS / name
    resources = load_catalog_csv(folder / "catalog.csv")
    people = load_people_jsonl(folder / "people.jsonl")
    labels = load_labels_csv(folder / "labels.csv")
    by_id = {r.resource_id: r for r in resources}
    traps = _traps(folder)
    seen: Counter[str] = Counter()
    for row in traps:
        res = by_id[row["resource_id"]]
        rules = set(row["rules"].split(";"))
        # a trap is a resource of the same activity as one the person is labelled 2 for
        firsts = [by_id[rid] for rid, g in labels[row["person_id"]].items() if g == 2]
        assert any(f.categories == res.categories for f in firsts)
        seen.update(rules)
    assert set(RULES) <= set(seen), f"rules without a trap: {set(RULES) - set(seen)}"
    assert len({row["person_id"] for row in traps}) >= 0.4 * len(people)


def test_hashing_ranker_breaks_no_rule_and_finds_something(real_set) -> None:
    _, resources, people, labels = real_set
    ranker = Ranker(encoder=HashingEncoder(dim=128), diversity="off").fit(resources)
    out = RankingEvaluator(people, labels, resources)(ranker)
    assert out["hard_rule_breaks@10"] == 0
    assert out["n_people"] == len(people)
    assert out["mrr"] > 0.4  # hashing encoder: about 0.63 (brochure) and 0.70 (case notes)


def test_generator_rebuilds_the_committed_files(tmp_path: Path) -> None:
    from matching.evalsets.make_real import DEFAULT_DATA, build

    if not (DEFAULT_DATA / "wam_shogai_chiba_pref_202503.csv").exists():
        pytest.skip(f"public data not present: {DEFAULT_DATA}")
    build(DEFAULT_DATA, tmp_path)
    for name in SETS:
        for f in ("catalog.csv", "people.jsonl", "labels.csv", "traps.csv"):
            assert (tmp_path / name / f).read_bytes() == (EVALSETS / name / f).read_bytes(), f
