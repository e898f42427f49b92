"""Japanese reasons for a suggestion, built only from what carried it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from matching.ranker.query import Query
from matching.rules import DAY_BIT, DAY_JA, day_mask
from matching.types import WEEKDAYS, PersonProfile

if TYPE_CHECKING:
    from matching.ranker.core import Ranker


def write_reasons(
    rk: Ranker, profile: PersonProfile, q: Query, i: int, f: dict[str, float]
) -> list[str]:
    r = rk.resources_[i]
    onto = rk.analyzer_.ontology
    reasons: list[str] = []
    if f["concept"] > 0:
        res_concepts = rk.resource_concepts_[i]
        for cid in sorted(q.wish, key=lambda c: -q.wish[c]):
            if cid in res_concepts:
                mine = "・".join(q.wish_words.get(cid, [])[:3])
                theirs = "・".join(res_concepts[cid][:3])
                label = onto.concepts[cid].label
                reasons.append(f"希望「{mine}」が活動内容「{theirs}」と合う（{label}）")
            if len(reasons) >= 3:
                break
    if f["preferred_category"] > 0:
        labels = [onto.category_labels.get(c, c) for c in sorted(q.preferred)]
        hit = [
            lab
            for c, lab in zip(sorted(q.preferred), labels, strict=True)
            if c in resource_categories(rk, i)
        ]
        reasons.append(f"希望分野「{'・'.join(hit or labels)}」の活動")
    if not reasons and f["bm25"] > 1.0:
        words = [t for t in rk.bm25_.matched_terms(q.tokens, i) if not t.startswith("§")]
        if words:
            reasons.append(f"記述の言葉が重なる（{'・'.join(words[:4])}）")
    if not reasons and f["dense"] > 1.0:
        reasons.append("希望の内容と活動の説明が意味的に近い")
    pm, rm = day_mask(profile.days), day_mask(r.days)
    if pm and rm:
        both = [DAY_JA[d] for d in WEEKDAYS if pm & rm & DAY_BIT[d]]
        reasons.append(f"希望の曜日に活動あり（{'・'.join(both)}）")
    if "distance_km" in f:
        reasons.append(f"自宅から約{f['distance_km']:.1f}km")
    acc = []
    if q.wants_quiet and r.quiet_environment:
        acc.append("静かな環境")
    if q.wants_small and r.small_group:
        acc.append("少人数")
    if profile.needs_wheelchair_access and r.wheelchair_accessible:
        acc.append("車椅子対応")
    if acc:
        reasons.append("配慮: " + "・".join(acc))
    if q.wants_paid and r.paid:
        reasons.append("有償（収入につながる）")
    if f["time"] > 0 and r.start_time:
        reasons.append(f"希望の時間帯に合う（{r.start_time}〜{r.end_time}）")
    if r.visit_ok or r.trial_ok:
        kinds = "・".join(k for k, ok in (("見学", r.visit_ok), ("体験", r.trial_ok)) if ok)
        reasons.append(f"{kinds}できる")
    reasons.append(f"空き{r.capacity_remaining}名")
    return reasons


def resource_categories(rk: Ranker, i: int) -> set[str]:
    return {rk.category_ids_[j] for j in np.flatnonzero(rk.categories_T_[:, i])}
