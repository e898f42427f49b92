"""Unmet needs (満たされていないニーズ): the wishes the catalog cannot serve, for 資源開拓.

A waiting person's need is unmet when

* a wished kind of activity (an ontology concept with catalog categories, read by the
  ranker's own analyser) is offered somewhere in the catalog but every such resource breaks
  a hard rule for them ("ruled out everywhere"), or is offered nowhere at all; or
* their best feasible suggestion is weak (no suggestion, or a score under a threshold).

Unmet people are grouped into themes (the concepts), by ward, age band, binding rule and
month, with anonymised example phrases (proper nouns and digits removed; examples only for
themes shared by at least two people). Pure: plain profiles and a fitted ranker in.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from matching import PersonProfile, Ranker, Resource
from matching.rules import RULES, check_rules
from matching.text import normalize

__all__ = [
    "NO_SUPPLY",
    "RULE_LABELS",
    "UNCLASSIFIED",
    "WEAK_FIT",
    "NeedRecord",
    "Theme",
    "UnmetNeeds",
    "age_band",
    "anonymise_phrase",
    "binding_rule",
    "unmet_needs",
]

WEAK_FIT = "weak_fit"
NO_SUPPLY = "no_supply"
UNCLASSIFIED = "unclassified"
RULE_LABELS: dict[str, str] = {
    "available": "受入枠なし・募集停止",
    "age": "年齢",
    "certificate": "手帳・受給者証",
    "days": "曜日",
    "wheelchair": "車椅子対応",
    "distance": "移動距離",
    "excluded": "候補から除外",
    WEAK_FIT: "適合度が低い",
    NO_SUPPLY: "該当する受入先がない",
}
DEFAULT_WEAK_SCORE = 1.0
_CLAUSE = re.compile(r"[。．！？!?\n、，,]")
_DIGITS = re.compile(
    r"[0-9０-９一二三四五六七八九十百千万]+(?=[回時分日歳才年月週人円]|$)|[0-9０-９]+"
)


@dataclass(frozen=True)
class NeedRecord:
    """One waiting person as the report sees them: profile, ward, age and month (YYYY-MM)."""

    profile: PersonProfile
    ward: str
    age: int | None
    month: str


@dataclass
class Theme:
    """A concept many unmet wishes share, with breakdowns and anonymised phrases."""

    concept_id: str
    label: str
    categories: list[str]
    count: int = 0
    by_ward: dict[str, int] = field(default_factory=dict)
    by_age_band: dict[str, int] = field(default_factory=dict)
    by_rule: dict[str, int] = field(default_factory=dict)
    by_month: dict[str, int] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)


@dataclass
class UnmetNeeds:
    """The whole report: how many were looked at, how many unmet, themes and totals."""

    people: int
    unmet: int
    weak_score: float
    themes: list[Theme]
    by_ward: dict[str, int]
    by_age_band: dict[str, int]
    by_rule: dict[str, int]
    by_month: dict[str, int]


def age_band(age: int | None) -> str:
    """10-year band as coordinators write it: 「20代」, 「60代」; 「不明」 when unknown."""
    if age is None:
        return "不明"
    if age < 20:
        return "10代以下"
    return f"{min(age // 10 * 10, 80)}代" + ("以上" if age >= 80 else "")


@functools.cache
def _tokenizer() -> Any:
    from sudachipy import dictionary, tokenizer

    return dictionary.Dictionary(dict="core").tokenizer(mode=tokenizer.Tokenizer.SplitMode.C)


def anonymise_phrase(text: str, max_chars: int = 40) -> str:
    """The phrase with proper nouns (names, places, organisations) as ○○ and numbers as ＊."""
    out: list[str] = []
    for m in _tokenizer().tokenize(normalize(text)):
        pos = m.part_of_speech()
        if pos[1] == "固有名詞":
            if not out or out[-1] != "○○":
                out.append("○○")
        elif pos[1] == "数詞":
            out.append("＊")
        else:
            out.append(m.surface())
    phrase = _DIGITS.sub("＊", "".join(out)).strip()
    return phrase if len(phrase) <= max_chars else phrase[: max_chars - 1] + "…"


def binding_rule(profile: PersonProfile, resources: Iterable[Resource]) -> str:
    """The hard rule that keeps the person from these resources.

    The rule that alone blocks the most of them (relaxing it would open those); failing that,
    the rule broken most often; ties follow the contract's rule order.
    """
    sole: Counter[str] = Counter()
    any_: Counter[str] = Counter()
    for r in resources:
        rules = {b.rule for b in check_rules(profile, r)}
        any_.update(rules)
        if len(rules) == 1:
            sole.update(rules)
    counts = sole or any_
    if not counts:
        return WEAK_FIT
    return max(RULES, key=lambda rule: (counts.get(rule, 0), -RULES.index(rule)))


def _phrases(text: str, words: Sequence[str]) -> list[str]:
    return [c for c in _CLAUSE.split(normalize(text)) if c and any(w in c.lower() for w in words)]


def unmet_needs(
    ranker: Ranker,
    people: Sequence[NeedRecord],
    *,
    weak_score: float = DEFAULT_WEAK_SCORE,
    max_examples: int = 3,
) -> UnmetNeeds:
    """Group the unmet wishes of ``people`` (waiting people) into themes with breakdowns."""
    onto = ranker.analyzer_.ontology
    resources: list[Resource] = list(ranker.resources_)
    kinds = {cid: set(c.categories) for cid, c in onto.concepts.items() if c.categories}
    offering = {
        cid: [r for r in resources if cats & set(r.categories)] for cid, cats in kinds.items()
    }
    themes: dict[str, Theme] = {}
    phrases: dict[str, list[str]] = {}
    totals: dict[str, Counter[str]] = {k: Counter() for k in ("ward", "age", "rule", "month")}
    unmet = 0
    for rec in people:
        p = rec.profile
        analysis = ranker.analyzer_.analyze(p.needs_text, detect_negation=True)
        wished = {cid: w for cid, w in analysis.concepts.items() if cid in kinds}
        blocked: dict[str, str] = {}
        for cid in wished:
            supply = offering[cid]
            if not supply:
                blocked[cid] = NO_SUPPLY
            elif all(check_rules(p, r) for r in supply):
                blocked[cid] = binding_rule(p, supply)
        top = ranker.suggest(p, top_k=1)
        weak = not top or top[0].score < weak_score
        if not blocked and not weak:
            continue
        unmet += 1
        if blocked:
            person_themes = dict(blocked)
        else:
            rule = binding_rule(p, resources) if not top else WEAK_FIT
            person_themes = {cid: rule for cid in wished} or {UNCLASSIFIED: rule}
        band = age_band(rec.age)
        for key, value in (("ward", rec.ward or "不明"), ("age", band), ("month", rec.month)):
            totals[key][value] += 1
        totals["rule"].update(set(person_themes.values()))
        for cid, rule in sorted(person_themes.items()):
            theme = themes.get(cid)
            if theme is None:
                concept = onto.concepts.get(cid)
                theme = themes[cid] = Theme(
                    concept_id=cid,
                    label=concept.label if concept else "分類できない希望",
                    categories=sorted(kinds.get(cid, ())),
                )
            theme.count += 1
            _bump(theme.by_ward, rec.ward or "不明")
            _bump(theme.by_age_band, band)
            _bump(theme.by_rule, rule)
            _bump(theme.by_month, rec.month)
            words = wished.get(cid) or [p.needs_text]
            phrases.setdefault(cid, []).extend(_phrases(p.needs_text, words)[:1])
    for cid, theme in themes.items():
        if theme.count >= 2:
            seen: list[str] = []
            for text in phrases.get(cid, []):
                phrase = anonymise_phrase(text)
                if phrase and phrase not in seen:
                    seen.append(phrase)
            theme.examples = seen[:max_examples]
    ordered = sorted(themes.values(), key=lambda t: (-t.count, t.concept_id))
    return UnmetNeeds(
        people=len(people),
        unmet=unmet,
        weak_score=weak_score,
        themes=ordered,
        by_ward=dict(sorted(totals["ward"].items())),
        by_age_band=dict(sorted(totals["age"].items())),
        by_rule=dict(sorted(totals["rule"].items())),
        by_month=dict(sorted(totals["month"].items())),
    )


def _bump(counts: dict[str, int], key: str) -> None:
    counts[key] = counts.get(key, 0) + 1
