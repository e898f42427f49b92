"""What the ranker reads from a person profile: wishes, avoidances, traits, time, query text."""

from __future__ import annotations

from dataclasses import dataclass, field

from matching.text import Analyzer, TimeWishes, read_time_wishes
from matching.types import PersonProfile

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


def query_text(profile: PersonProfile, category_labels: dict[str, str]) -> str:
    """The exact text the dense encoder gets for a profile (needs text + preferred fields)."""
    text = profile.needs_text[:QUERY_CHARS]
    preferred = set(profile.preferred_categories)
    if preferred:
        labels = "・".join(category_labels.get(c, c) for c in sorted(preferred))
        text += "（希望分野: " + labels + "）"
    return text


def build_query(analyzer: Analyzer, profile: PersonProfile) -> Query:
    """Read wishes, avoidances and traits from the needs and avoid texts of a profile."""
    onto = analyzer.ontology
    needs = analyzer.analyze(profile.needs_text, detect_negation=True)
    avoid = analyzer.analyze(profile.avoid_text)
    wish: dict[str, float] = {}
    for cid in needs.concepts:
        if onto.concepts[cid].trait is None:
            wish[cid] = 1.0 if cid in needs.desired else 0.5
    avoided = {
        cid: words
        for src in (needs.negated, avoid.concepts)
        for cid, words in src.items()
        if onto.concepts[cid].trait is None
    }
    for cid in avoided:
        wish.pop(cid, None)
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
    return Query(
        tokens=needs.tokens + [f"§{c}" for c in sorted(wish)],
        wish=wish,
        wish_words={c: needs.concepts[c] for c in wish},
        avoid=avoided,
        avoid_tokens=avoid.tokens + [f"§{c}" for c in sorted(avoided)],
        wants_quiet=wants_quiet,
        wants_small=wants_small,
        wants_lively=wants_lively,
        wants_paid=profile.wants_paid or "paid" in traits_pos,
        time=read_time_wishes(profile.needs_text, profile.avoid_text),
        categories=categories,
        preferred=set(profile.preferred_categories),
        text=query_text(profile, onto.category_labels),
        trait_words=trait_words,
    )
