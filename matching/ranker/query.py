"""What the ranker reads from a person profile: wishes, avoidances, traits, time, query text."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from matching import text as _text_module
from matching.bridge import WordBridge
from matching.text import (
    CLAUSE_RE,
    Analyzer,
    Ontology,
    TextAnalysis,
    TimeWishes,
    normalize,
    read_time_wishes,
    without_busy_times,
    without_speakers,
)
from matching.types import PersonProfile

_NEAR_RE = re.compile(r"近所|近く|近い|近場|ちかく|ちかい|きんじょ|歩いて|徒歩|自転車で|家の近")
# 「遠いのは無理」「遠出×」: far refused is near wished
_FAR_RE = re.compile(r"遠い|遠く|遠出|遠方|とおい")

# a concept named only by loose words (趣味, 手伝い) weighs this share of a plain one
WEAK_TERM_WEIGHT = 0.35

# a note word this close (chiVe cosine) to an ontology word reaches its concept, at most
# with the weight of a concept told as history (0.5), reached at NEAR_FULL
NEAR_MIN, NEAR_FULL, NEAR_WEIGHT = 0.7, 0.85, 0.5

# encoder cost grows with length; the wish is stated well before 512 characters
QUERY_CHARS = 512


@dataclass
class Query:
    """What the ranker read from one person profile."""

    tokens: list[str]
    wish: dict[str, float]
    wish_words: dict[str, list[str]]
    avoid: dict[str, list[str]]
    avoid_tokens: list[str]
    wants_quiet: bool
    wants_small: bool
    wants_lively: bool
    wants_paid: bool
    time: TimeWishes
    categories: dict[str, float]
    preferred: set[str]
    text: str
    # trait id -> the person's words that asked for it (for reasons that quote them)
    trait_words: dict[str, list[str]] = field(default_factory=dict)
    # 「近所がいい」「歩いて行ける」: the person's words when closeness itself is a wish
    near: str = ""
    # the word bridge's view of the query: unit vectors, weights, words (set by the ranker)
    bridge: tuple[np.ndarray, np.ndarray, list[str]] | None = None


def query_text(profile: PersonProfile, ontology: Ontology) -> str:
    """The exact text the dense encoder gets for a profile (needs text + preferred fields).

    Clauses that say what to avoid (「人混み×」「土日NG」) are left out: an encoder reads
    「人混み×」 as being about crowds and would pull crowded places up. When every clause is an
    avoidance the whole note is kept (better than an empty query).
    """
    norm = normalize(without_speakers(normalize(profile.needs_text[:QUERY_CHARS])))
    kept = [c for c in CLAUSE_RE.split(norm) if c.strip() and not ontology.has_marker(c)]
    text = "、".join(c.strip() for c in kept) if kept else norm
    preferred = set(profile.preferred_categories)
    if preferred:
        labels = "・".join(ontology.category_labels.get(c, c) for c in sorted(preferred))
        text += "（希望分野: " + labels + "）"
    return text


def _qualified(analyzer: Analyzer, needs: TextAnalysis, avoid_text: str) -> set[str]:
    """Activities avoided only in a manner the note names, while the note wishes their kind.

    「急かされる雰囲気の厨房」 from a pastry cook who wants 粉や生地 avoids being rushed, not
    kitchens; 「人が多いカフェは無理」 avoids crowds. A clause qualifies an activity when it
    also names a way of working (pressure, crowds, phone, heavy loads: concepts without a
    category of their own, or traits), and the note wishes something of the same category.
    """
    onto = analyzer.ontology
    # needs.concepts holds what clauses without an avoid marker name
    wished = onto.categories_of(c for c in needs.concepts if onto.concepts[c].trait is None)
    if not wished:
        return set()
    clauses = [*needs.negated_clauses, *CLAUSE_RE.split(normalize(avoid_text))]
    out: set[str] = set()
    for clause in clauses:
        found = analyzer.analyze(clause).concepts if clause.strip() else {}
        manner = [c for c in found if onto.concepts[c].trait or not onto.concepts[c].categories]
        if not manner:
            continue
        for cid in found:
            concept = onto.concepts[cid]
            if concept.trait is None and set(concept.categories) & wished:
                out.add(cid)
    return out


def _narrower_refusal(onto: Ontology, needs: TextAnalysis, avoid: TextAnalysis) -> set[str]:
    """Wished concepts whose refusal is all in words that name a narrower thing refused.

    「身体介護はもう難しいが、お年寄りと話すのは好き」: 介護 names both `elderly` and
    `care_skills`; the note wishes `elderly` in other words, so the refusal is of care work.
    """
    refused = {**avoid.concepts, **needs.negated}
    out: set[str] = set()
    for cid, words in refused.items():
        if cid not in needs.concepts or onto.concepts[cid].trait is not None:
            continue
        others = [c for c in refused if c != cid and c not in needs.concepts and refused[c]]
        if words and all(any(w in refused[c] for c in others) for w in words):
            out.add(cid)
        elif _unrelated(words, needs.concepts[cid]):
            # 「将棋少し指す(囲碁×)」: one game wished, another refused; the refused word
            # still weighs against places that name it (avoid_lexical)
            out.add(cid)
    return out


def _unrelated(refused: list[str], wished: list[str]) -> bool:
    """No refused word is, or is part of, a wished word (子ども vs 子ども食堂 are related)."""
    return bool(refused) and not any(r in w or w in r for r in refused for w in wished)


# words that name the person's own age group: they mean seniors only for a senior
_PEER_WORDS = frozenset({"同年代", "同世代"})
_PEER_ELDERLY_AGE = 60


def build_query(analyzer: Analyzer, profile: PersonProfile) -> Query:
    """Read wishes, avoidances and traits from the needs and avoid texts of a profile."""
    onto = analyzer.ontology
    needs = analyzer.analyze(without_speakers(normalize(profile.needs_text)), detect_negation=True)
    avoid = analyzer.analyze(profile.avoid_text)
    wish: dict[str, float] = {}
    for cid, words in needs.concepts.items():
        if onto.concepts[cid].trait is None:
            wish[cid] = 1.0 if cid in needs.desired else onto.concepts[cid].mentioned
            if onto.is_weak(words):  # 「古着屋めぐりが趣味」 is about clothes, not a club
                wish[cid] *= WEAK_TERM_WEIGHT
    # 「求人見てるけど面接がこわい」: worry about a thing the note also wishes is not avoidance
    released = {c for c in needs.worried if c in needs.concepts and c not in avoid.concepts}
    released |= _qualified(analyzer, needs, profile.avoid_text)
    released |= _narrower_refusal(onto, needs, avoid)
    avoided = {
        cid: words
        for src in (needs.negated, avoid.concepts)
        for cid, words in src.items()
        if onto.concepts[cid].trait is None and cid not in released
    }
    for cid in avoided:
        wish.pop(cid, None)
    rest = without_busy_times(needs.normalized) if wish else None
    if rest is not None:
        # 「平日は母の介護」: a duty that keeps days busy is no wish
        for cid in set(wish) - set(analyzer.analyze(rest).concepts):
            wish.pop(cid)
    # 「同年代の居場所ほしい」 from an 18-year-old wishes young company, not seniors'
    young = profile.age is not None and profile.age < _PEER_ELDERLY_AGE
    if young and set(needs.concepts.get("elderly", ())) <= _PEER_WORDS:
        wish.pop("elderly", None)
    traits_pos = {c for c in needs.concepts if onto.concepts[c].trait}
    traits_neg = {c for c in needs.negated if onto.concepts[c].trait} | {
        c for c in avoid.concepts if onto.concepts[c].trait
    }
    crowd_avoided = "crowd" in traits_neg or "lively" in traits_neg
    wants_quiet = profile.prefers_quiet or "quiet" in traits_pos | traits_neg or crowd_avoided
    wants_small = profile.prefers_small_group or "small_group" in traits_pos or crowd_avoided
    wants_lively = "lively" in traits_pos and not wants_quiet
    categories: dict[str, float] = {}
    for cid, w in wish.items():
        for cat in onto.concepts[cid].categories:
            categories[cat] = max(categories.get(cat, 0.0), w)
    trait_words: dict[str, list[str]] = {}
    for src in (needs.concepts, needs.negated, avoid.concepts):
        for cid, words in src.items():
            if onto.concepts[cid].trait:
                trait_words.setdefault(cid, []).extend(words)
    # words only said in an avoid clause (「人混み×」) must not pull matching places up
    negated_only = set(needs.negated_tokens) - {
        t
        for c in CLAUSE_RE.split(needs.normalized)
        if not onto.has_marker(c)
        for t in analyzer.tokens(c)
    }
    released_tokens = set(needs.worried_tokens) if released else set()
    negated_only -= released_tokens
    wish_tokens = [t for t in needs.tokens if t not in negated_only]
    if crowd_avoided:
        # a crowded or noisy place is itself something to avoid
        for cid in ("crowd", "lively"):
            avoided.setdefault(cid, trait_words.get(cid, []))
    near = ""
    for clause in CLAUSE_RE.split(normalize(profile.needs_text)):
        refused = onto.has_marker(clause)
        if (_NEAR_RE.search(clause) and not refused) or (_FAR_RE.search(clause) and refused):
            near = clause.strip()
            break
    return Query(
        tokens=wish_tokens + [f"§{c}" for c in sorted(wish)],
        wish=wish,
        wish_words={c: needs.concepts[c] for c in wish},
        avoid=avoided,
        avoid_tokens=avoid.tokens
        + [t for t in needs.negated_tokens if t not in released_tokens]
        + [f"§{c}" for c in sorted(avoided)],
        wants_quiet=wants_quiet,
        wants_small=wants_small,
        wants_lively=wants_lively,
        wants_paid=profile.wants_paid or "paid" in traits_pos,
        time=read_time_wishes(profile.needs_text, profile.avoid_text),
        categories=categories,
        preferred=set(profile.preferred_categories),
        text=query_text(profile, onto),
        trait_words=trait_words,
        near=near,
    )


# --- stored readings ------------------------------------------------------------------------
# Reading a note (SudachiPy, clause rules, time words) costs 1–4 ms; the service stores it
# with the profile version, like the query vector, so a suggestion request does not read again.


def reading_inputs(profile: PersonProfile) -> tuple[object, ...]:
    """What :func:`build_query` reads of a profile: the same inputs give the same reading."""
    return (
        profile.needs_text,
        profile.avoid_text,
        profile.age is not None and profile.age < _PEER_ELDERLY_AGE,
        profile.prefers_quiet,
        profile.prefers_small_group,
        profile.wants_paid,
        tuple(sorted(profile.preferred_categories)),
    )


@lru_cache(maxsize=1)
def _reader_digest() -> str:
    """The reading code and the dictionary it runs on: a stored reading made by other code or
    another SudachiPy dictionary is read again rather than trusted."""
    h = hashlib.sha256()
    for source in (Path(_text_module.__file__ or ""), Path(__file__)):
        h.update(source.read_bytes())
    for package in ("sudachipy", "sudachidict-core"):
        try:
            h.update(f"{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{package}=?".encode())
    return h.hexdigest()


def reading_key(profile: PersonProfile, ontology: Ontology) -> str:
    """Key of a stored reading: the reading code, the ontology and the profile's inputs."""
    return _reading_key(reading_inputs(profile), ontology.fingerprint)


@lru_cache(maxsize=1024)
def _reading_key(inputs: tuple[object, ...], fingerprint: str) -> str:
    """Memoised: a request checks the key where the reading is loaded and again where it is
    used, and the note's JSON and hash are the costly part of both."""
    blob = json.dumps([_reader_digest(), fingerprint, *inputs])
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


_SET_FIELDS = {"preferred"}
_TIME_SETS = {"avoid_days", "wish_days"}


def dump_reading(q: Query) -> str:
    """A Query as JSON, without the word bridge's rows (they depend on the catalog)."""
    data: dict[str, Any] = {}
    for f in dataclasses.fields(q):
        value = getattr(q, f.name)
        if f.name == "bridge":
            continue
        if f.name in _SET_FIELDS:
            value = sorted(value)
        elif isinstance(value, TimeWishes):
            value = dataclasses.asdict(value)
            for name in _TIME_SETS:
                value[name] = sorted(value[name])
        data[f.name] = value
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def load_reading(raw: str) -> Query:
    """The Query :func:`dump_reading` wrote; ``ValueError`` when it is not one."""
    try:
        data = json.loads(raw)
        time = dict(data.pop("time"))
        for name in _TIME_SETS:
            time[name] = frozenset(time[name])
        if time["window"] is not None:
            time["window"] = (float(time["window"][0]), float(time["window"][1]))
        data["preferred"] = set(data["preferred"])
        return Query(**data, time=TimeWishes(**time))
    except (TypeError, KeyError, IndexError, json.JSONDecodeError) as err:
        raise ValueError(f"not a stored reading: {err}") from err


def concept_terms(analyzer: Analyzer) -> dict[str, list[str]]:
    """Activity concepts' one-word terms in the forms the analyser gives note words.

    Loose words (趣味) and terms of more than one content word are left out: a note word
    near 趣味 says nothing about which activity is meant.
    """
    onto = analyzer.ontology
    out: dict[str, list[str]] = {}
    for cid, concept in onto.concepts.items():
        if concept.trait is not None:
            continue
        for term in concept.terms:
            toks = analyzer.tokens(term)
            if len(toks) == 1 and not onto.is_weak([term]):
                out.setdefault(cid, []).append(toks[0])
    return out


def add_near_concepts(q: Query, bridge: WordBridge, onto: Ontology) -> None:
    """Wish the concepts whose words are close to the note's own (ポメラニアン → 犬 → 動物).

    The ontology lists the general words; people use specific and colloquial ones. A concept
    reached this way weighs at most NEAR_WEIGHT and never overrides one the note names or
    avoids. Runs once per profile reading, before the Query is shared.
    """
    if q.bridge is None:
        return
    qvecs, _, words = q.bridge
    # a word the ontology already uses, alone or inside a term (仕事 in 畑仕事, 中学 in 中学生),
    # was read by the exact pass or left general on purpose
    fresh = [i for i, w in enumerate(words) if w not in onto.term_text]
    if not fresh:
        return
    near = bridge.near_concepts(qvecs[fresh], [words[i] for i in fresh], NEAR_MIN)
    for cid, (sim, word, _term) in near.items():
        if cid in q.wish or cid in q.avoid:
            continue
        w = NEAR_WEIGHT * min(1.0, (sim - NEAR_MIN) / (NEAR_FULL - NEAR_MIN) + 0.25)
        q.wish[cid] = w
        q.wish_words[cid] = [word]
        for cat in onto.concepts[cid].categories:
            q.categories[cat] = max(q.categories.get(cat, 0.0), w)
