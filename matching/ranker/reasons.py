"""Japanese reasons for a suggestion, written the way a coordinator would write them.

Each reason says which of the person's wishes the activity meets, quoting the person's own
words and the activity's own words: 「『土に触れたい』→ 畑の手入れ」. A reason is written only
when the person asked for the thing (no time reason without a time wish, no 静か without the
wish) and the activity has it; quotes are cut from the original texts (NFKC-normalised), never
from internal word forms; no scores, no jargon.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np

from matching.ranker.query import Query
from matching.rules import DAY_BIT, DAY_JA, day_mask
from matching.text import CLAUSE_RE, normalize, sudachi_tokens
from matching.types import WEEKDAYS, PersonProfile, Resource

if TYPE_CHECKING:
    from matching.ranker.core import Ranker

QUOTE_CHARS = 20  # longest quote, person's or activity's
MAX_MATCH_REASONS = 2
MAX_REASONS = 5  # a card shows the few reasons that matter, most telling first
_NOT_A_START = {"助詞", "助動詞", "補助記号", "接尾辞", "記号", "空白"}
_WORRY_RE = re.compile(r"不安|緊張|初めて|はじめて|自信がない|見学|体験|慣れ")


class Quotes:
    """:func:`normalize` and :func:`quote_around` remembered for the reasons of one list.

    Ten suggestions for one person quote the same note with the same words again and again
    (its clause cut into morphemes each time); pass one ``Quotes`` to every
    :func:`write_reasons` call of a list so each quote is cut once.
    """

    def __init__(self) -> None:
        self._norm: dict[str, str] = {}
        self._quote: dict[tuple[str, tuple[str, ...]], str] = {}

    def norm(self, text: str) -> str:
        """``normalize(text)``."""
        found = self._norm.get(text)
        if found is None:
            found = self._norm[text] = normalize(text)
        return found

    def around(self, text: str, words: list[str]) -> str:
        """``quote_around(text, words)``."""
        key = (text, tuple(words))
        found = self._quote.get(key)
        if found is None:
            found = self._quote[key] = quote_around(text, words)
        return found


def write_reasons(
    rk: Ranker,
    profile: PersonProfile,
    q: Query,
    i: int,
    f: dict[str, float],
    quotes: Quotes | None = None,
) -> list[str]:
    """Reasons for suggesting resource ``i`` (features ``f``) to this person, most telling first.

    ``quotes``: shared by the calls for one list (see :class:`Quotes`).
    """
    quotes = quotes if quotes is not None else Quotes()
    r = rk.resources_[i]
    onto = rk.analyzer_.ontology
    needs = quotes.norm(profile.needs_text)
    avoid = quotes.norm(profile.avoid_text)
    activity = normalize(f"{r.description}。{r.name}")  # the description's words first
    reasons: list[str] = []

    # what they want to do -> what the activity does
    if f.get("concept", 0.0) > 0:
        res_concepts = rk.resource_concepts_[i]
        for cid in sorted(q.wish, key=lambda c: -q.wish[c]):
            if cid not in res_concepts:
                continue
            narrow = [c for c in q.wish if onto.concepts[c].parent == cid]
            if narrow and not any(c in res_concepts for c in narrow):
                continue  # a clarinet is music: a pottery class shares only "music and art"
            said = q.wish_words.get(cid, [])
            mine = quotes.around(needs, said)
            # the person's own word when the activity uses it too, else the activity's word
            theirs = quotes.around(activity, [w for w in said if w in activity] + res_concepts[cid])
            if mine and theirs:
                reasons.append(f"『{mine}』→ {theirs}")
            elif theirs:
                reasons.append(f"「{onto.concepts[cid].label}」の希望 → {theirs}")
            if len(reasons) >= MAX_MATCH_REASONS:
                break
    if not reasons and f.get("bm25", 0.0) > 1.0:
        # shared words only when they are literally in both texts
        words = [
            t
            for t in rk.bm25_.matched_terms(q.tokens, i)
            if not t.startswith("§") and t in needs and t in activity
        ]
        if words:
            mine, theirs = quotes.around(needs, words), quotes.around(activity, words)
            if mine and theirs:
                reasons.append(f"『{mine}』→ {theirs}")
    if rk.bridge_ is not None and q.bridge is not None and f.get("semantic_bridge", 0.0) > 0.3:
        pair = rk.bridge_.best_pair(q.bridge[0], q.bridge[2], i) if not reasons else None
        if pair is not None:
            mine, theirs = quotes.around(needs, [pair[0]]), quotes.around(activity, [pair[1]])
            if mine and theirs:
                reasons.append(f"『{mine}』→ {theirs}")

    if f.get("preferred_category", 0.0) > 0:
        cats = resource_categories(rk, i)
        hit = [onto.category_labels.get(c, c) for c in sorted(q.preferred) if c in cats]
        if hit:
            reasons.append(f"希望分野「{'・'.join(hit)}」の活動")

    reasons.extend(_schedule_reasons(profile, q, r, needs, avoid))
    reasons.extend(_place_reasons(profile, q, r, needs, avoid, f, quotes))
    return list(dict.fromkeys(reasons))[:MAX_REASONS]


def _schedule_reasons(
    profile: PersonProfile, q: Query, r: Resource, needs: str, avoid: str
) -> list[str]:
    out: list[str] = []
    pm, rm = day_mask(profile.days), day_mask(r.days)
    if pm and rm and pm & rm:
        both = "・".join(DAY_JA[d] for d in WEEKDAYS if pm & rm & DAY_BIT[d])
        out.append(f"希望の曜日（{both}）に活動がある")
    t = q.time
    if t.avoid_days and rm and not rm & day_mask(sorted(t.avoid_days)):
        days = "・".join(DAY_JA[d] for d in WEEKDAYS if rm & DAY_BIT[d])
        out.append(f"『{t.clauses['avoid_days']}』→ 活動日は{days}")
    elif not pm and t.wish_days and rm & day_mask(sorted(t.wish_days)):
        days = "・".join(
            DAY_JA[d] for d in WEEKDAYS if rm & day_mask(sorted(t.wish_days)) & DAY_BIT[d]
        )
        out.append(f"『{t.clauses['wish_days']}』→ 活動日は{days}")
    if not (r.start_time and r.end_time) or not t.any_time:
        return out
    hours = f"{r.start_time}〜{r.end_time}"
    s, e = _hours(r.start_time), _hours(r.end_time)
    if s is None or e is None:
        return out
    met = [
        key
        for key, ok in (
            ("window", t.window is not None and t.window[0] <= s and e <= t.window[1]),
            ("morning", t.morning and s < 12),
            ("afternoon", t.afternoon and e > 13 and s >= 11),
            ("evening", t.evening and e >= 17),
            ("avoid_morning", t.avoid_morning and s >= 12),
            ("avoid_afternoon", t.avoid_afternoon and e <= 13),
            ("avoid_night", t.avoid_night and e <= t.night_from),
            ("avoid_early", t.avoid_early and s >= 8),
        )
        if ok and key in t.clauses
    ]
    if met:
        said = t.clauses[met[0]]
        avoided = met[0].startswith("avoid_") and said in avoid and said not in needs
        out.append(f"{'避けたいこと' if avoided else ''}『{said[:QUOTE_CHARS]}』→ {hours}の活動")
    return out


def _place_reasons(
    profile: PersonProfile,
    q: Query,
    r: Resource,
    needs: str,
    avoid: str,
    f: dict[str, float],
    quotes: Quotes,
) -> list[str]:
    out: list[str] = []
    said = f"{needs}\n{avoid}"
    if "distance_km" in f and (profile.max_travel_km or q.near):
        km = f"自宅から約{f['distance_km']:.1f}km"
        if q.near:
            out.append(f"『{q.near[:QUOTE_CHARS]}』→ {km}")
        elif profile.max_travel_km:
            out.append(f"{km}（上限{profile.max_travel_km:g}km以内）")
    calm = []
    if q.wants_quiet and r.quiet_environment:
        calm.append("静かな環境")
    if q.wants_small and r.small_group:
        calm.append("少人数")
    if calm:
        words = [
            w for c in ("quiet", "small_group", "crowd", "lively") for w in q.trait_words.get(c, [])
        ]
        mine = quotes.around(said, words)
        if mine:
            out.append(f"『{mine}』→ {'・'.join(calm)}")
        else:
            out.append(f"{'・'.join(calm)}（希望どおり）")
    if profile.needs_wheelchair_access and r.wheelchair_accessible:
        out.append("車椅子で利用できる")
    if q.wants_paid and r.paid:
        mine = quotes.around(needs, q.trait_words.get("paid", []))
        out.append(f"『{mine}』→ 有償の活動" if mine else "有償の活動（収入の希望）")
    worry = _WORRY_RE.search(needs)
    if worry and (r.visit_ok or r.trial_ok):
        kinds = "・".join(k for k, ok in (("見学", r.visit_ok), ("体験", r.trial_ok)) if ok)
        mine = quotes.around(needs, [worry.group(0)])
        out.append(f"『{mine}』→ {kinds}できる")
    return out


def quote_around(text: str, words: list[str]) -> str:
    """A short phrase of ``text`` around the first of ``words`` found literally in it.

    The whole clause when it is short; otherwise whole morphemes from up to two before the
    word to about ``QUOTE_CHARS`` characters, so a quote never starts or ends mid-word.
    Empty when none of the words is in the text (a word found only in dictionary form is not
    quoted: the person did not write it).
    """
    low = text.lower()
    for w in words:
        k = low.find(w.lower()) if w else -1
        if k < 0:
            continue
        start, end = 0, len(text)
        for m in CLAUSE_RE.finditer(text):
            if m.end() <= k:
                start = m.end()
            elif m.start() >= k + len(w):
                end = m.start()
                break
        clause = text[start:end]
        lead = len(clause) - len(clause.lstrip())
        clause, k = clause.strip(), k - start - lead
        if len(clause) <= QUOTE_CHARS:
            return clause
        spans, tags, pos = [], [], 0
        for surface, _lemma, tag in sudachi_tokens(clause):
            spans.append((pos, pos + len(surface)))
            tags.append(tag)
            pos += len(surface)
        first = next((j for j, (_a, e) in enumerate(spans) if e > k), 0)
        j0 = max(0, first - 2)
        while j0 < first and tags[j0] in _NOT_A_START:
            j0 += 1
        out_end = spans[j0][0]
        for _a, e in spans[j0:]:
            if e - spans[j0][0] > QUOTE_CHARS:
                break
            out_end = e
        out_end = max(out_end, min(k + len(w), len(clause)))
        return clause[spans[j0][0] : out_end].strip()
    return ""


def _hours(hhmm: str) -> float | None:
    m = re.match(r"^\s*(\d{1,2}):(\d{2})", hhmm)
    return int(m.group(1)) + int(m.group(2)) / 60 if m else None


def resource_categories(rk: Ranker, i: int) -> set[str]:
    """Catalog categories of resource ``i``: its own plus those its text implies."""
    return {rk.category_ids_[j] for j in np.flatnonzero(rk.categories_T_[:, i])}
