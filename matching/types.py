"""Plain records exchanged with the ranker: resources, person profiles, suggestions, outcomes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

OUTCOME_KINDS = ("placed_stable", "placed", "ended_early", "declined", "no_show")


@dataclass
class Resource:
    """An activity or slot a receiver (受け入れ先) offers, as in the catalog CSV contract."""

    resource_id: str
    name: str = ""
    organization: str = ""
    description: str = ""
    categories: list[str] = field(default_factory=list)
    ward: str = ""
    address: str = ""
    lat: float | None = None
    lon: float | None = None
    days: list[str] = field(default_factory=list)
    start_time: str = ""
    end_time: str = ""
    capacity_total: int = 0
    capacity_remaining: int = 0
    min_age: int | None = None
    max_age: int | None = None
    requires_certificate: bool = False
    wheelchair_accessible: bool = False
    quiet_environment: bool = False
    small_group: bool = False
    visit_ok: bool = False
    trial_ok: bool = False
    paid: bool = False
    participant_cost_yen: int = 0
    cooperation_fee_yen: int = 0
    cooperation_fee_unit: str = "none"
    status: str = "active"

    def text(self) -> str:
        """The free text the text scorers read: name, organization and description."""
        return "\n".join(t for t in (self.name, self.organization, self.description) if t)


@dataclass
class PersonProfile:
    """A person seeking participation support (参加支援の対象者), per the people JSONL contract."""

    person_id: str
    needs_text: str = ""
    avoid_text: str = ""
    age: int | None = None
    has_certificate: bool = False
    days: list[str] = field(default_factory=list)
    home_ward: str = ""
    home_lat: float | None = None
    home_lon: float | None = None
    max_travel_km: float | None = None
    needs_wheelchair_access: bool = False
    prefers_quiet: bool = False
    prefers_small_group: bool = False
    wants_paid: bool = False
    preferred_categories: list[str] = field(default_factory=list)
    excluded_resource_ids: list[str] = field(default_factory=list)

    @classmethod
    def from_contract(cls, data: dict[str, Any]) -> PersonProfile:
        """Build a profile from one people.jsonl object (nested ``home``)."""
        home = data.get("home") or {}
        age = data.get("age")
        mtk = data.get("max_travel_km")
        return cls(
            person_id=str(data["person_id"]),
            needs_text=str(data.get("needs_text") or ""),
            avoid_text=str(data.get("avoid_text") or ""),
            age=int(age) if age is not None else None,
            has_certificate=bool(data.get("has_certificate", False)),
            days=[str(d).strip().lower() for d in data.get("days") or []],
            home_ward=str(home.get("ward") or ""),
            home_lat=_opt_float(home.get("lat")),
            home_lon=_opt_float(home.get("lon")),
            max_travel_km=float(mtk) if mtk is not None else None,
            needs_wheelchair_access=bool(data.get("needs_wheelchair_access", False)),
            prefers_quiet=bool(data.get("prefers_quiet", False)),
            prefers_small_group=bool(data.get("prefers_small_group", False)),
            wants_paid=bool(data.get("wants_paid", False)),
            preferred_categories=[str(c) for c in data.get("preferred_categories") or []],
            excluded_resource_ids=[str(r) for r in data.get("excluded_resource_ids") or []],
        )

    def to_contract(self) -> dict[str, Any]:
        """The people.jsonl object for this profile."""
        return {
            "person_id": self.person_id,
            "needs_text": self.needs_text,
            "avoid_text": self.avoid_text,
            "age": self.age,
            "has_certificate": self.has_certificate,
            "days": list(self.days),
            "home": {"ward": self.home_ward, "lat": self.home_lat, "lon": self.home_lon},
            "max_travel_km": self.max_travel_km,
            "needs_wheelchair_access": self.needs_wheelchair_access,
            "prefers_quiet": self.prefers_quiet,
            "prefers_small_group": self.prefers_small_group,
            "wants_paid": self.wants_paid,
            "preferred_categories": list(self.preferred_categories),
            "excluded_resource_ids": list(self.excluded_resource_ids),
        }


@dataclass
class Suggestion:
    """One proposed resource for a person, with its score, Japanese reasons and features."""

    resource_id: str
    score: float
    reasons: list[str]
    features: dict[str, float]


@dataclass(frozen=True)
class RuleBreak:
    """A hard rule a resource breaks for a person, with a message for coordinators."""

    rule: str
    message_ja: str


@dataclass
class Excluded:
    """A resource the hard rules keep out although its score would have placed it high.

    ``would_rank`` is its 1-based position if no hard rule applied to anyone (the whole
    catalog ranked by score); ``rules`` says, in plain Japanese, what keeps it out.
    """

    resource_id: str
    score: float
    would_rank: int
    rules: list[RuleBreak]


@dataclass
class Located:
    """Where one named resource stands for a person: feasible or not, its rank, why."""

    resource_id: str
    feasible: bool
    rank: int | None  # 1-based among feasible resources, None when a hard rule keeps it out
    score: float
    reasons: list[str]  # when feasible
    rules: list[RuleBreak]  # when not


@dataclass
class UnservedPreference:
    """A preferred category with no feasible resource, and the rules that empty it."""

    category: str
    label_ja: str
    n_resources: int  # resources of this category in the catalog
    rule_counts: dict[str, int]  # rule -> how many of them break it
    best: Excluded | None  # the best-scoring excluded one, None when the category is empty

    @property
    def message_ja(self) -> str:
        """One line for the suggestions page: why nothing of this category is proposed."""
        if self.n_resources == 0:
            return f"希望分野「{self.label_ja}」の活動は登録されていません"
        from matching.rules import RULE_LABELS_JA

        parts = "、".join(
            f"{RULE_LABELS_JA.get(rule, rule)} {n}件"
            for rule, n in sorted(self.rule_counts.items(), key=lambda kv: -kv[1])
        )
        return (
            f"希望分野「{self.label_ja}」の活動は{self.n_resources}件ありますが、"
            f"すべて条件に合いません（{parts}）"
        )


@dataclass
class Outcome:
    """What happened after a suggestion (マッチング結果): used to learn scoring weights.

    ``outcome`` is one of placed_stable, placed, ended_early, declined, no_show.
    """

    profile: PersonProfile
    resource_id: str
    outcome: str
    reason: str = ""

    @property
    def positive(self) -> bool:
        """True when the person started and stayed (a good match to learn from)."""
        return self.outcome in ("placed_stable", "placed")


# Outcome of one shown resource within a suggestion run, worst to best (graded relevance).
SHOWN_OUTCOMES = ("declined", "shown", "ended_early", "proposed", "placed", "stable")


@dataclass(frozen=True)
class ShownItem:
    """One resource as a coordinator saw it in a suggestion run, and what came of it.

    ``position`` is the 1-based place it was shown at; ``outcome`` one of
    :data:`SHOWN_OUTCOMES` (``shown``: nothing was done with it).
    """

    resource_id: str
    position: int
    outcome: str = "shown"
    reason: str = ""


@dataclass(frozen=True)
class SuggestionLog:
    """A stored suggestion run (提案の記録): the person as shown and the list they were shown.

    Pairs are only ever formed inside one log: two resources shown together to the same
    person at the same time are the only fair comparison a coordinator's decision makes.
    """

    run_id: str
    profile: PersonProfile
    items: tuple[ShownItem, ...]


def _opt_float(value: Any) -> float | None:
    if value is None or value == "":
        return None
    return float(value)
