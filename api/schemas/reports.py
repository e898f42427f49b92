"""Response shapes of the reports API (what-if, unmet needs)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from development.schemas import ReceiverStatsOut


class WhatIfPairOut(BaseModel):
    """One proposed pairing (reception number only, never a name)."""

    model_config = ConfigDict(from_attributes=True)

    person_id: int
    reception_number: str | None
    resource_id: str
    resource_name: str
    organization: str
    fit: float


class WhatIfOut(BaseModel):
    """Greedy one-by-one suggestion against the optimal batch assignment; places nobody."""

    model_config = ConfigDict(from_attributes=True)

    on: date
    waiting: int = Field(description="People waiting: profile, matching consent, no placement.")
    cap_per_receiver: int | None
    free_places: int = Field(description="Places usable under the free counts and the cap.")
    greedy_placed: int
    optimal_placed: int
    greedy_total_fit: float
    optimal_total_fit: float
    greedy: list[WhatIfPairOut]
    optimal: list[WhatIfPairOut]
    proposal_only: bool = Field(True, description="Always true: nothing has been placed.")


class ThemeOut(BaseModel):
    """An unmet-needs theme: an ontology concept with counts and anonymised phrases."""

    model_config = ConfigDict(from_attributes=True)

    concept_id: str
    label: str
    categories: list[str]
    count: int
    by_ward: dict[str, int]
    by_age_band: dict[str, int]
    by_rule: dict[str, int]
    by_month: dict[str, int]
    examples: list[str]
    prospects_url: str = Field(description="The receiver pipeline filtered to this theme.")


class UnmetNeedsOut(BaseModel):
    """Unmet needs of the people waiting: themes and totals (people counted once per key)."""

    people: int
    unmet: int
    weak_score: float
    rule_labels: dict[str, str]
    themes: list[ThemeOut]
    by_ward: dict[str, int]
    by_age_band: dict[str, int]
    by_rule: dict[str, int]
    by_month: dict[str, int]


class KpiOut(BaseModel):
    """KPI series as (label, value) pairs; money in integer yen."""

    on: date
    intakes_by_month: list[tuple[str, float]]
    placements_by_month: list[tuple[str, float]]
    days_to_placement_median: float | None
    days_to_placement_n: int
    retention: list[tuple[str, float]]
    retention_counts: dict[str, tuple[int, int]]
    evaluation_changes: list[tuple[str, float]]
    placements_by_category: list[tuple[str, float]]
    placements_by_ward: list[tuple[str, float]]
    fees_vs_budget: list[tuple[str, float, float]]
    receivers: list[ReceiverStatsOut]
    unmet_themes: list[tuple[str, float]]
