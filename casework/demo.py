"""A seeded demo caseload built through the casework services, for reports and trying things out.

People are received across two fiscal years (年度), get a needs profile and a plan (decided by
the 重層的支援会議 or started early), and are matched with resources of the demo catalog.
Placements run through the real state machine with explicit dates; cooperation fees (協力費)
are drafted per placement and month, approved within the year's budget and paid later. Only
for throwaway databases: the accounts it creates have random passwords nobody knows.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from casework.errors import BudgetExceeded, NoCapacity
from casework.models import Placement
from casework.permissions import Principal, Role
from casework.reference import WARDS, fiscal_year
from casework.schemas import (
    ClosureIn,
    ConsentIn,
    FeeIn,
    HomeIn,
    NeedsProfileIn,
    PersonIn,
    PlacementIn,
    PlanIn,
    TransitionIn,
    UserIn,
)
from casework.services import accounts, consent, fees, followup, people, placements, plans
from resources_catalog import service as catalog

DEMO_FIRST_DAY = date(2025, 4, 1)
# A day already past: every date the demo writes (stage days, contacts, fee activity days)
# is one that could really have happened, since the services refuse future dates.
DEMO_AS_OF = date(2026, 11, 30)
# 協力費 budgets per fiscal year; the second year's is tight so some approvals wait.
DEMO_BUDGETS_YEN: dict[int, int] = {2025: 120_000, 2026: 140_000}

_SYSTEM = Principal(kind="system", id=0, client="demo-caseload")
_SURNAMES = (
    "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤",
    "吉田", "山田", "佐々木", "松本", "井上", "木村", "林", "清水", "山崎", "森",
)  # fmt: skip
_GIVEN = (
    "大翔", "蓮", "湊", "悠真", "陽斗", "結衣", "陽菜", "葵", "凛", "美咲",
    "健太", "誠", "直樹", "恵", "由美", "拓也", "翔", "彩", "真由美", "浩二",
)  # fmt: skip
_REFERRALS = (
    "あんしんケアセンター", "生活自立・仕事相談センター", "区役所保健福祉センター",
    "民生委員", "家族からの相談", "本人からの相談", "ひきこもり地域支援センター",
)  # fmt: skip
_NEEDS = (
    "人と話さずにできる作業がしたい",
    "週1回から外に出るきっかけがほしい",
    "動物と関わる活動に興味がある",
    "体を動かす活動をしたい",
    "将来の就労に向けて練習したい",
    "子どもや地域の人と関わりたい",
)
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat")

# Where a placement ends up, with weights: a path and the reasons drawn for its last step.
_SCENARIOS: tuple[tuple[str, int, tuple[str, ...]], ...] = (
    ("placed", 30, ()),
    ("ended_stable", 14, ("stable",)),
    ("ended_early", 14, ("early_end", "health", "lost_contact")),
    ("declined", 18, ("person_declined", "receiver_declined", "conditions_mismatch")),
    ("no_capacity", 6, ("no_capacity",)),
    ("withdrawn", 8, ("moved", "other_support", "health")),
)


@dataclass(frozen=True)
class DemoStaff:
    """The principals the demo caseload was built with (use them to read it back)."""

    coordinator: Principal
    supervisor: Principal
    finance: Principal


@dataclass
class DemoCaseload:
    """What was built: staff, the report date and counts of what the services created."""

    staff: DemoStaff
    as_of: date
    fiscal_years: tuple[int, ...]
    people: int = 0
    placements: int = 0
    fees: int = 0
    budget_refusals: int = 0
    states: dict[str, int] = field(default_factory=dict)


def _at(day: date) -> datetime:
    """10:00 in Japan on ``day`` (01:00 UTC, the same calendar date in both zones)."""
    return datetime(day.year, day.month, day.day, 1, 0, tzinfo=UTC)


def _staff(session: Session, seed: int) -> DemoStaff:
    made: dict[str, Principal] = {}
    roles: tuple[tuple[Role, str, str | None], ...] = (
        ("coordinator", "デモ 相談支援員", "demo"),
        ("supervisor", "デモ 主任相談支援員", "demo"),
        ("finance", "デモ 経理担当", None),
    )
    for role, display_name, team in roles:
        user = accounts.create_user(
            session,
            _SYSTEM,
            UserIn(
                username=f"caseload{seed}-{role}",
                display_name=display_name,
                role=role,
                team=team,
                password=secrets.token_urlsafe(24),
            ),
        )
        made[role] = accounts.principal_for_user(user, client="demo-caseload")
    return DemoStaff(made["coordinator"], made["supervisor"], made["finance"])


def _resource_pool(session: Session) -> tuple[list[str], list[str]]:
    """Active resources with free places: (with a cooperation fee, without)."""
    page = catalog.list_resources(session, status="active", limit=1000)
    paid: list[str] = []
    unpaid: list[str] = []
    for item in page.items:
        record = item.record
        if record.capacity_remaining < 1:
            continue
        target = unpaid if record.cooperation_fee_unit == "none" else paid
        target.append(record.resource_id)
    return paid, unpaid


def _move(
    session: Session,
    principal: Principal,
    placement: Placement,
    to_state: str,
    day: date,
    reason: str | None = None,
) -> None:
    placements.transition_placement(
        session,
        principal,
        placement.id,
        TransitionIn.model_validate(
            {"to_state": to_state, "reason_code": reason, "occurred_on": day}
        ),
        at=_at(day),
        today=day,
    )


def _run_placement(
    session: Session,
    staff: DemoStaff,
    rng: random.Random,
    placement: Placement,
    start: date,
    as_of: date,
) -> tuple[date | None, date | None, date]:
    """Walk one placement to its drawn end (or as far as ``as_of`` allows).

    Returns (placed on, ended on, the day the person is free for another proposal).
    """
    name, _weight, reasons = rng.choices(_SCENARIOS, weights=[s[1] for s in _SCENARIOS])[0]
    who = staff.coordinator
    day = start
    steps = ("contacted", "visit", "trial", "placed")
    stop_before = {"declined": rng.choice(steps[:3]), "withdrawn": rng.choice(steps)}
    stop_before["no_capacity"] = "visit"
    placed_on: date | None = None
    for step in steps:
        day += timedelta(days=rng.randint(4, 14))
        if day > as_of:
            return placed_on, None, as_of
        if name in stop_before and step == stop_before[name]:
            _move(session, who, placement, name, day, rng.choice(reasons))
            return None, None, day
        if step == "placed":
            try:
                _move(session, who, placement, "placed", day)
            except NoCapacity:
                _move(session, who, placement, "no_capacity", day, "no_capacity")
                return None, None, day
            placed_on = day
        else:
            _move(session, who, placement, step, day)
    assert placed_on is not None
    if name == "placed":
        return placed_on, None, as_of
    weeks = rng.randint(14, 40) if name == "ended_stable" else rng.randint(2, 10)
    ended_on = placed_on + timedelta(weeks=weeks)
    if ended_on > as_of:
        return placed_on, None, as_of
    _move(session, who, placement, "ended", ended_on, rng.choice(reasons))
    return placed_on, ended_on, ended_on


def _month_end(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _months(first: date, last: date) -> list[tuple[date, date]]:
    """(first, last) day of each calendar month overlapping [first, last], clipped to it."""
    spans: list[tuple[date, date]] = []
    month = first.replace(day=1)
    while month <= last:
        spans.append((max(month, first), min(_month_end(month), last)))
        month = _month_end(month) + timedelta(days=1)
    return spans


def _activity_dates(rng: random.Random, unit: str, span: tuple[date, date]) -> list[date]:
    """Session days of one month (weekly, some missed) or one day for a monthly fee."""
    first, last = span
    if unit == "per_month":
        return [first]
    offset = rng.randint(0, 6)
    days = [
        first + timedelta(days=offset + 7 * k)
        for k in range(5)
        if first + timedelta(days=offset + 7 * k) <= last
    ]
    kept = [d for d in days if rng.random() > 0.2]
    return kept or days[:1] or [first]


def build_demo_caseload(
    session: Session,
    seed: int = 2025,
    *,
    n_people: int = 30,
    as_of: date = DEMO_AS_OF,
    budgets_yen: dict[int, int] | None = None,
) -> DemoCaseload:
    """Fill an empty database with a reproducible caseload; the caller commits.

    Loads the demo catalog when the catalog is empty. Fees are approved in date order while
    the fiscal year's budget allows (BudgetExceeded leaves them as drafts), and paid when the
    month is more than two months before ``as_of``.
    """
    rng = random.Random(seed)
    catalog.load_demo_catalog(session, actor="demo-caseload")
    staff = _staff(session, seed)
    budgets = DEMO_BUDGETS_YEN if budgets_yen is None else budgets_yen
    years = tuple(sorted({fiscal_year(DEMO_FIRST_DAY), fiscal_year(as_of), *budgets}))
    result = DemoCaseload(staff=staff, as_of=as_of, fiscal_years=years)
    for year, amount in sorted(budgets.items()):
        fees.set_budget(session, staff.finance, year, budget_yen=amount)
    paid_pool, unpaid_pool = _resource_pool(session)
    # Intakes spread evenly over the period: one random day in each of n equal slots.
    slot = max((as_of - timedelta(days=10) - DEMO_FIRST_DAY).days // n_people, 1)
    received = [
        DEMO_FIRST_DAY + timedelta(days=i * slot + rng.randint(0, slot - 1))
        for i in range(n_people)
    ]
    billable: list[tuple[Placement, date, date]] = []
    for received_on in received:
        ward = rng.choice(WARDS)
        person = people.create_person(
            session,
            staff.coordinator,
            PersonIn(
                name=f"{rng.choice(_SURNAMES)} {rng.choice(_GIVEN)}",
                sex=rng.choice(("男性", "女性", "男性", "女性", "回答しない")),
                born_on=date(rng.randint(1962, 2006), rng.randint(1, 12), rng.randint(1, 28)),
                ward=ward,
                received_on=received_on,
                referral_source=rng.choice(_REFERRALS),
                referred_on=received_on - timedelta(days=rng.randint(0, 20)),
                health_notes=rng.choice((None, "通院中", "服薬あり")),
            ),
        )
        result.people += 1
        # Matching consent is taken at intake, so the waiting list (and its what-if) has people.
        consent.record_consent(
            session,
            staff.coordinator,
            person.id,
            ConsentIn(scope="matching", given_on=received_on, method="written"),
        )
        people.put_profile(
            session,
            staff.coordinator,
            person.id,
            NeedsProfileIn(
                needs_text=rng.choice(_NEEDS),
                days=sorted(rng.sample(_DAYS, rng.randint(1, 3)), key=_DAYS.index),
                home=HomeIn(ward=ward),
                max_travel_km=float(rng.choice((3, 5, 8, 12))),
                prefers_quiet=rng.random() < 0.4,
            ),
            today=received_on,
        )
        plan_on = received_on + timedelta(days=rng.randint(7, 21))
        if plan_on > as_of:
            continue
        plan = plans.create_plan(
            session,
            staff.coordinator,
            person.id,
            PlanIn(
                issues_text="社会とのつながりが少ない",
                goal_text="自分のペースで通える活動を見つける",
                next_monitoring_on=plan_on + timedelta(days=90),
            ),
            today=plan_on,
        )
        if rng.random() < 0.25:
            plans.start_early(
                session, staff.coordinator, plan.id, started_on=plan_on, reason="早期の関わりが必要"
            )
            start = plan_on
        else:
            # The 重層的支援会議 hears the plan only with the person's multi-agency consent.
            consent.record_consent(
                session,
                staff.coordinator,
                person.id,
                ConsentIn(scope="multi_agency", given_on=plan_on, method="written"),
            )
            plans.submit_plan(session, staff.coordinator, plan.id, on=plan_on)
            start = plan_on + timedelta(days=rng.randint(10, 30))
            if start > as_of:
                continue
            plans.decide_plan(session, staff.supervisor, plan.id, decided_on=start)
        free_on = start
        last: tuple[Placement, date | None] | None = None
        for _ in range(rng.choice((1, 1, 2, 2, 3))):
            propose_on = free_on + timedelta(days=rng.randint(3, 20))
            if propose_on > as_of or (last is not None and last[0].state == "placed"):
                break
            pool = paid_pool if (rng.random() < 0.8 or not unpaid_pool) else unpaid_pool
            resource_id = rng.choice(pool)
            # The person agrees, at the proposal, that the receiver may be told who they are
            # (連絡 and every later step need it).
            consent.record_consent(
                session,
                staff.coordinator,
                person.id,
                ConsentIn(
                    scope="share_with_receiver",
                    receiver_kind="resource",
                    receiver_id=resource_id,
                    given_on=propose_on,
                    method="written",
                ),
            )
            placement = placements.propose_placement(
                session,
                staff.coordinator,
                person.id,
                PlacementIn(resource_id=resource_id, plan_id=plan.id, occurred_on=propose_on),
                at=_at(propose_on),
                today=propose_on,
            )
            result.placements += 1
            placed_on, ended_on, free_on = _run_placement(
                session, staff, rng, placement, propose_on, as_of
            )
            if placed_on is not None:
                billable.append((placement, placed_on, ended_on or as_of))
            last = (placement, ended_on)
        if last is not None and last[0].state == "ended" and last[1] is not None:
            closed_on = last[1] + timedelta(days=14)
            if last[0].reason_code == "stable" and closed_on <= as_of:
                followup.close_case(
                    session,
                    staff.coordinator,
                    person.id,
                    ClosureIn(closed_on=closed_on, reason="stable", follow_up_interval_days=90),
                    today=as_of,
                )
    _bill(session, staff, rng, billable, as_of, seed, result)
    result.states = _count_states(session, staff)
    return result


class _NoTerms(Exception):
    """The placement's resource has no cooperation-fee terms (協力費なし)."""


def _unit_of(session: Session, placement: Placement) -> str:
    unit = catalog.get_resource(session, placement.resource_id).record.cooperation_fee_unit
    if unit == "none":
        raise _NoTerms(placement.resource_id)
    return unit


def _bill(
    session: Session,
    staff: DemoStaff,
    rng: random.Random,
    billable: list[tuple[Placement, date, date]],
    as_of: date,
    seed: int,
    result: DemoCaseload,
) -> None:
    """Draft one fee per placement and month; approve in date order, pay older months."""
    drafted = []
    for placement, first, last in billable:
        for span in _months(first, last):
            # Only the fee-bearing catalog terms apply; resources without terms are skipped.
            try:
                fee, _ = fees.create_fee(
                    session,
                    staff.coordinator,
                    placement.id,
                    FeeIn(
                        idempotency_key=f"demo-{seed}-{placement.id}-{span[0]:%Y%m}",
                        activity_dates=_activity_dates(rng, _unit_of(session, placement), span),
                    ),
                    today=as_of,
                )
            except _NoTerms:
                break
            drafted.append(fee)
            result.fees += 1
    drafted.sort(key=lambda f: (f.covers_to_on, f.id))
    for fee in drafted:
        month_end = _month_end(fee.covers_from_on)
        if month_end + timedelta(days=10) > as_of:
            continue  # this month's claim has not been checked yet
        if rng.random() < 0.04:
            fees.reject_fee(session, staff.finance, fee.id, reason="活動実績の確認が取れない")
            continue
        try:
            fees.approve_fee(session, staff.finance, fee.id)
        except BudgetExceeded:
            result.budget_refusals += 1
            continue
        paid_on = month_end + timedelta(days=rng.randint(20, 40))
        if paid_on <= as_of - timedelta(days=30):
            fees.mark_fee_paid(session, staff.finance, fee.id, paid_on=paid_on)


def _count_states(session: Session, staff: DemoStaff) -> dict[str, int]:
    counts = people.case_counts(session, staff.supervisor)
    return dict(sorted(counts.placements_by_state.items()))
