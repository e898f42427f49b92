"""Closure (終結), follow-up after closure, and the due list of what needs attention."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from sqlalchemy.orm import Session

from casework import repository as repo
from casework.errors import InvalidInput, InvalidTransition, NotFound
from casework.models import FollowUp, FollowUpContact, Person
from casework.permissions import Principal, authorize
from casework.reference import CLOSURE_REASONS
from casework.schemas import ClosureIn, FollowUpContactIn
from casework.services import audit, placements
from casework.services._common import case_scope, load_person, not_in_future, today_in_japan


def close_case(
    session: Session,
    principal: Principal,
    person_id: int,
    data: ClosureIn,
    *,
    today: date | None = None,
) -> Person:
    """Close the plan-based support; with an interval the person joins the follow-up list.

    Every active placement ends with the reason ``case_closed`` (its slot is freed): a closed
    case cannot stay 定着支援中 at a receiver nor keep a place another person could take.
    """
    # Audit lock first, as in every placement move (same lock order: no deadlock).
    audit.lock_chain(session)
    person = load_person(session, principal, person_id, "person:write")
    if person.status != "open":
        raise InvalidTransition("person", person.status, "closed")
    if data.reason not in CLOSURE_REASONS:
        raise InvalidInput(f"closure reason must be one of {', '.join(CLOSURE_REASONS)}")
    not_in_future("closed_on", "終結日", data.closed_on, today)
    ended = placements.end_for_closure(session, principal, person.id, closed_on=data.closed_on)
    person.status = "closed"
    person.closed_on = data.closed_on
    person.closure_reason = data.reason
    person.closure_note = data.note
    if data.follow_up_interval_days is not None:
        _start_follow_up(session, principal, person, data.closed_on, data.follow_up_interval_days)
    session.flush()
    audit.record(
        session, principal, "person.close", "person", person.id,
        {"reason": data.reason, "follow_up_days": data.follow_up_interval_days,
         "ended_placements": [p.id for p in ended]},
    )  # fmt: skip
    return person


def reopen_case(session: Session, principal: Principal, person_id: int) -> Person:
    """Reopen a closed case (support resumes; follow-up stops)."""
    person = load_person(session, principal, person_id, "person:write")
    if person.status != "closed":
        raise InvalidTransition("person", person.status, "open")
    person.status = "open"
    follow_up = repo.get_follow_up(session, person.id)
    if follow_up is not None and follow_up.ended_on is None:
        follow_up.ended_on = today_in_japan()
    session.flush()
    audit.record(session, principal, "person.reopen", "person", person.id)
    return person


def _start_follow_up(
    session: Session, principal: Principal, person: Person, start: date, interval_days: int
) -> FollowUp:
    follow_up = repo.get_follow_up(session, person.id)
    if follow_up is None:
        follow_up = FollowUp(person_id=person.id, created_by=principal.ref)
        session.add(follow_up)
    follow_up.interval_days = interval_days
    follow_up.started_on = start
    follow_up.next_due_on = start + timedelta(days=interval_days)
    follow_up.ended_on = None
    return follow_up


def set_follow_up_interval(
    session: Session, principal: Principal, person_id: int, *, interval_days: int
) -> FollowUp:
    """Change how often a closed case is contacted; the next due date moves accordingly."""
    person = load_person(session, principal, person_id, "person:write")
    if interval_days < 1:
        raise InvalidInput("interval_days must be at least 1")
    follow_up = repo.get_follow_up(session, person.id)
    if follow_up is None or follow_up.ended_on is not None:
        raise NotFound("follow_up", person_id)
    contacts = repo.follow_up_contacts(session, person.id)
    last = contacts[-1].contacted_on if contacts else follow_up.started_on
    follow_up.interval_days = interval_days
    follow_up.next_due_on = last + timedelta(days=interval_days)
    session.flush()
    audit.record(
        session, principal, "follow_up.interval", "person", person.id, {"days": interval_days}
    )
    return follow_up


def record_follow_up_contact(
    session: Session,
    principal: Principal,
    person_id: int,
    data: FollowUpContactIn,
    *,
    today: date | None = None,
) -> FollowUpContact:
    """Log a follow-up contact (not a future day); the next one falls due one interval later."""
    person = load_person(session, principal, person_id, "person:write")
    not_in_future("contacted_on", "連絡日", data.contacted_on, today)
    follow_up = repo.get_follow_up(session, person.id)
    if follow_up is None or follow_up.ended_on is not None:
        raise NotFound("follow_up", person_id)
    contact = FollowUpContact(person_id=person.id, created_by=principal.ref, **data.model_dump())
    session.add(contact)
    candidate = data.contacted_on + timedelta(days=follow_up.interval_days)
    if candidate > follow_up.next_due_on:
        follow_up.next_due_on = candidate
    session.flush()
    audit.record(
        session, principal, "follow_up.contact", "person", person.id, {"contact_id": contact.id}
    )
    return contact


@dataclass(frozen=True)
class FollowUpRecord:
    """A closed case's follow-up schedule (None when none was set) and its contacts."""

    follow_up: FollowUp | None
    contacts: list[FollowUpContact]


def get_follow_up(session: Session, principal: Principal, person_id: int) -> FollowUpRecord:
    """Read a person's follow-up schedule and contacts, oldest first (audited)."""
    person = load_person(session, principal, person_id, "person:read")
    record = FollowUpRecord(
        repo.get_follow_up(session, person.id), repo.follow_up_contacts(session, person.id)
    )
    audit.record(session, principal, "follow_up.read", "person", person.id)
    return record


def end_follow_up(
    session: Session, principal: Principal, person_id: int, *, ended_on: date
) -> FollowUp:
    """Stop periodic contacts for a person."""
    person = load_person(session, principal, person_id, "person:write")
    follow_up = repo.get_follow_up(session, person.id)
    if follow_up is None or follow_up.ended_on is not None:
        raise NotFound("follow_up", person_id)
    follow_up.ended_on = ended_on
    session.flush()
    audit.record(session, principal, "follow_up.end", "person", person.id)
    return follow_up


DueKind = Literal["monitoring", "follow_up", "placement_no_contact"]


@dataclass(frozen=True)
class DueItem:
    """Something a coordinator must do: which person, what, since when, how late."""

    kind: DueKind
    person_id: int
    reception_number: str | None
    due_on: date
    overdue: bool
    days_overdue: int
    plan_id: int | None = None
    placement_id: int | None = None
    resource_id: str | None = None


def due_list(
    session: Session,
    principal: Principal,
    *,
    today: date | None = None,
    no_contact_days: int = 30,
) -> list[DueItem]:
    """Monitoring due this month or earlier, follow-ups due, placed people not contacted lately.

    Coordinators see their own and their team's cases. Ordered by due date.
    """
    authorize(principal, "person:read")
    day = today or today_in_japan()
    scope = case_scope(principal)
    month_start = day.replace(day=1)
    items: list[DueItem] = []
    for person, plan in repo.due_monitoring(session, month_start, scope):
        due = plan.next_monitoring_on or month_start
        items.append(
            DueItem(
                "monitoring", person.id, person.reception_number, due,
                overdue=due < month_start, days_overdue=max((day - due).days, 0),
                plan_id=plan.id,
            )
        )  # fmt: skip
    for person, follow_up in repo.due_follow_ups(session, day, scope):
        due = follow_up.next_due_on
        items.append(
            DueItem(
                "follow_up", person.id, person.reception_number, due,
                overdue=due < day, days_overdue=(day - due).days,
            )
        )  # fmt: skip
    cutoff = day - timedelta(days=no_contact_days)
    for person, placement in repo.placed_without_contact_since(session, cutoff, scope):
        last = placement.last_contact_on or (
            placement.placed_at.date() if placement.placed_at else cutoff
        )
        due = last + timedelta(days=no_contact_days)
        items.append(
            DueItem(
                "placement_no_contact", person.id, person.reception_number, due,
                overdue=due < day, days_overdue=(day - due).days,
                placement_id=placement.id, resource_id=placement.resource_id,
            )
        )  # fmt: skip
    items.sort(key=lambda i: (i.due_on, i.kind, i.person_id))
    audit.record(
        session, principal, "person.due_list", "person", None,
        {"ids": sorted({i.person_id for i in items})},
    )  # fmt: skip
    return items
