"""The day's agenda (今日の予定): what each role has to do today, what is late, the week ahead.

One function, :func:`agenda`, answers for the dashboard page and for ``GET /api/v1/agenda``
alike, so both show the same lines. Every line is an :class:`AgendaItem` with the page where
the work is done (``href``). Which lines a principal gets follows their permissions, not a
role name: a coordinator's own and team cases (retention next actions, follow-ups,
monitoring, replies waiting, recently decided plans); a supervisor also gets the plans awaiting
decision and the cases nobody has contacted for ``no_contact_days``; finance gets the fees
awaiting approval. Domains built on casework (consultation/) add their own lines through
:data:`AGENDA_SOURCES`, so casework never imports them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

from sqlalchemy.orm import Session

from casework import repository as repo
from casework.errors import InvalidInput
from casework.models import Person
from casework.permissions import Principal, has_permission
from casework.reference import fiscal_year
from casework.services import audit
from casework.services._common import case_scope, today_in_japan

AgendaKind = Literal[
    "retention_next_action",
    "follow_up",
    "monitoring",
    "referral_reply",
    "waiting_on_receiver",
    "placement_no_contact",
    "plan_awaiting_decision",
    "no_contact",
    "plan_decided",
    "fee_approval",
]
# overdue: its date has passed; today: due today (monitoring: this month); week: the next
# 7 days; queue: waiting for the reader (no date of its own); recent: news since last week.
AgendaSection = Literal["overdue", "today", "week", "queue", "recent"]

SECTION_LABELS: dict[str, str] = {
    "overdue": "期限を過ぎたもの",
    "today": "今日（今月）の対応",
    "week": "今後1週間",
    "queue": "判断・承認を待っているもの",
    "recent": "最近の決定",
}
KIND_LABELS: dict[str, str] = {
    "retention_next_action": "定着支援の次の対応日",
    "follow_up": "終結後の定期連絡",
    "monitoring": "プランのモニタリング月",
    "referral_reply": "返事の期限を過ぎたつなぎ",
    "waiting_on_receiver": "受入先の返事待ち",
    "placement_no_contact": "連絡の途絶えている定着支援",
    "plan_awaiting_decision": "決定待ちのプラン",
    "no_contact": "連絡の途絶えているケース",
    "plan_decided": "決定されたプラン",
    "fee_approval": "承認待ちの協力費",
}

WEEK_DAYS = 7
RECENT_DAYS = 14


@dataclass(frozen=True)
class AgendaItem:
    """One line of the agenda: what, for whom, by when, and where to act."""

    kind: AgendaKind
    section: AgendaSection
    title: str
    href: str
    due_on: date | None = None
    days_overdue: int = 0
    person_id: int | None = None
    person_name: str | None = None
    reception_number: str | None = None
    detail: str | None = None


@dataclass(frozen=True)
class AgendaContext:
    """What an agenda source needs: the day, the week's end and the caller's case scope."""

    today: date
    week_end: date
    scope: tuple[int | None, str | None] | None


@dataclass(frozen=True)
class Agenda:
    """The agenda of one principal on one day, lines ordered by section then date."""

    today: date
    week_end: date
    waiting_days: int
    no_contact_days: int
    items: list[AgendaItem] = field(default_factory=list)

    def section(self, name: AgendaSection) -> list[AgendaItem]:
        """The lines of one section, in order."""
        return [i for i in self.items if i.section == name]


# Other domains' lines: (session, principal, context) → items; each checks its own permission.
AGENDA_SOURCES: list[Callable[[Session, Principal, AgendaContext], list[AgendaItem]]] = []

_SECTION_ORDER = {"overdue": 0, "today": 1, "week": 2, "queue": 3, "recent": 4}


def section_of(due: date, today: date) -> AgendaSection:
    """overdue / today / week for a dated line (callers only pass dates up to the week's end)."""
    if due < today:
        return "overdue"
    return "today" if due == today else "week"


def _line(
    kind: AgendaKind,
    section: AgendaSection,
    href: str,
    person: Person | None,
    due: date | None,
    late: int = 0,
    detail: str | None = None,
) -> AgendaItem:
    return AgendaItem(
        kind=kind,
        section=section,
        title=KIND_LABELS[kind],
        href=href,
        due_on=due,
        days_overdue=max(late, 0),
        person_id=person.id if person else None,
        person_name=person.name if person else None,
        reception_number=person.reception_number if person else None,
        detail=detail,
    )


def agenda(
    session: Session,
    principal: Principal,
    *,
    today: date | None = None,
    waiting_days: int = 14,
    no_contact_days: int = 30,
) -> Agenda:
    """The principal's agenda for ``today`` (default: today in Japan), audited as one read."""
    if waiting_days < 1 or no_contact_days < 1:
        raise InvalidInput("waiting_days and no_contact_days must be at least 1")
    day = today or today_in_japan()
    ctx = AgendaContext(day, day + timedelta(days=WEEK_DAYS), case_scope(principal))
    items: list[AgendaItem] = []
    if has_permission(principal, "person:read"):
        items += _casework_items(session, principal, ctx, waiting_days, no_contact_days)
    if has_permission(principal, "plan:decide"):
        items += _supervisor_items(session, ctx, no_contact_days)
    if has_permission(principal, "fee:approve"):
        items += _fee_items(session, ctx)
    for source in AGENDA_SOURCES:
        items += source(session, principal, ctx)
    items.sort(key=lambda i: (_SECTION_ORDER[i.section], i.due_on or day, i.kind, i.person_id or 0))
    people_ids = sorted({i.person_id for i in items if i.person_id is not None})
    audit.record(session, principal, "agenda.read", "person", None, {"ids": people_ids})
    return Agenda(day, ctx.week_end, waiting_days, no_contact_days, items)


def _casework_items(
    session: Session,
    principal: Principal,
    ctx: AgendaContext,
    waiting_days: int,
    no_contact_days: int,
) -> list[AgendaItem]:
    day, until, scope = ctx.today, ctx.week_end, ctx.scope
    items: list[AgendaItem] = []
    for person, placement, contact in repo.retention_next_actions(session, until, scope):
        due = contact.next_action_on or day
        items.append(
            _line(
                "retention_next_action", section_of(due, day), f"/placements/{placement.id}",
                person, due, (day - due).days, f"前回の連絡 {contact.contacted_on.isoformat()}",
            )
        )  # fmt: skip
    for person, follow_up in repo.due_follow_ups(session, until, scope):
        due = follow_up.next_due_on
        items.append(
            _line(
                "follow_up", section_of(due, day), f"/people/{person.id}#follow-up",
                person, due, (day - due).days, f"{follow_up.interval_days}日ごとの連絡",
            )
        )  # fmt: skip
    month_start = day.replace(day=1)
    for person, plan in repo.due_monitoring(session, until, scope):
        due = plan.next_monitoring_on or month_start
        # A monitoring month is due all month long: late only once its month has passed.
        section: AgendaSection = (
            "overdue" if due < month_start else "today" if due <= day else "week"
        )
        items.append(
            _line(
                "monitoring", section, f"/plans/{plan.id}", person, due,
                (month_start - due).days, f"第{plan.round}回プラン {due.year}年{due.month}月",
            )
        )  # fmt: skip
    before = datetime.combine(day - timedelta(days=waiting_days), time.max, tzinfo=UTC)
    for person, placement, since in repo.waiting_on_receiver(session, before, scope):
        since_on = since.astimezone(UTC).date()
        waited = (day - since_on).days
        items.append(
            _line(
                "waiting_on_receiver", "overdue", f"/placements/{placement.id}", person,
                since_on + timedelta(days=waiting_days), waited - waiting_days,
                f"連絡から{waited}日、返事がありません",
            )
        )  # fmt: skip
    for person, placement in repo.placed_without_contact_since(
        session, day - timedelta(days=no_contact_days), scope
    ):
        last = placement.last_contact_on or (
            placement.placed_at.astimezone(UTC).date() if placement.placed_at else day
        )
        items.append(
            _line(
                "placement_no_contact", "overdue", f"/placements/{placement.id}", person, last,
                (day - last).days - no_contact_days,
                f"定着支援中、最後の連絡 {last.isoformat()}（{(day - last).days}日前）",
            )
        )  # fmt: skip
    # Coordinators are told when the 重層的支援会議 decided their plan; deciders know already.
    if not has_permission(principal, "plan:decide"):
        recent_from = day - timedelta(days=RECENT_DAYS)
        for person, plan in repo.plans_decided_since(session, recent_from, scope):
            decided = plan.decided_on or day
            items.append(
                _line(
                    "plan_decided", "recent", f"/plans/{plan.id}", person, decided, 0,
                    f"第{plan.round}回プラン {decided.isoformat()} 決定",
                )
            )  # fmt: skip
    return items


def _supervisor_items(
    session: Session, ctx: AgendaContext, no_contact_days: int
) -> list[AgendaItem]:
    day = ctx.today
    items: list[AgendaItem] = []
    contacts = repo.last_contacts(session, ctx.scope)
    persons = {p.id: p for p, _ in contacts}
    for plan in repo.submitted_plans(session):
        submitted = plan.submitted_at.astimezone(UTC).date() if plan.submitted_at else None
        items.append(
            _line(
                "plan_awaiting_decision", "queue", f"/plans/{plan.id}",
                persons.get(plan.person_id), submitted, 0,
                f"第{plan.round}回プラン（提出日）",
            )
        )  # fmt: skip
    cutoff = day - timedelta(days=no_contact_days)
    for person, last in contacts:
        since = last or person.received_on
        if since > cutoff:
            continue
        detail = (
            f"最後の連絡 {last.isoformat()}（{(day - last).days}日前）"
            if last is not None
            else f"受付 {person.received_on.isoformat()} から連絡の記録がありません"
        )
        items.append(
            _line(
                "no_contact", "overdue", f"/people/{person.id}", person, since,
                (day - since).days - no_contact_days, detail,
            )
        )  # fmt: skip
    return items


def _fee_items(session: Session, ctx: AgendaContext) -> list[AgendaItem]:
    fy = fiscal_year(ctx.today)
    return [
        _line(
            "fee_approval", "queue", f"/fees?fy={fy}&state=draft", None, fee.covers_to_on, 0,
            f"{fee.amount_yen:,}円（{fee.covers_from_on.isoformat()}〜{fee.covers_to_on.isoformat()}）",
        )
        for fee in repo.fees(session, fiscal_year=fy)
        if fee.state == "draft"
    ]  # fmt: skip
