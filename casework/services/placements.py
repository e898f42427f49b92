"""Placements (マッチング) and retention support (定着支援).

proposed → contacted → visit (見学) → trial (体験) → placed (定着支援中) → ended; before
placed a placement may instead end as declined, no_capacity or withdrawn (with a reason
code). Forward steps may be skipped; the skipped steps are recorded. Moving to placed takes a
capacity slot atomically (``casework.capacity``); ending gives it back.

Each step carries the day it happened (``occurred_on``, default today in Japan), which is
never in the future nor before the previous step; the entry instant stays in ``at`` and the
audit log. 連絡 and every later step tell the receiver who the person is, so they need a
consent to share with that receiver in force on that day. A closed case (終結) takes no new
proposals until it is reopened.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from casework import capacity
from casework import repository as repo
from casework.errors import (
    CaseClosed,
    ConcurrentUpdate,
    InvalidDate,
    InvalidInput,
    InvalidTransition,
    ShareConsentRequired,
    SupportNotStarted,
)
from casework.models import Placement, PlacementTransition, RetentionContact, utcnow
from casework.permissions import Principal
from casework.schemas import PlacementIn, RetentionContactIn, TransitionIn
from casework.services import audit, consent
from casework.services._common import (
    jp_date,
    load_person,
    load_person_record,
    not_in_future,
    today_in_japan,
)
from resources_catalog.errors import ResourceNotFound

PATH: tuple[str, ...] = ("proposed", "contacted", "visit", "trial", "placed")
# Steps from 連絡 on reveal the person to the receiver: they need a share consent.
NEEDS_SHARE_CONSENT: frozenset[str] = frozenset(PATH[1:])
ENDED = "ended"
CLOSED_BEFORE_PLACEMENT: tuple[str, ...] = ("declined", "no_capacity", "withdrawn")
TERMINAL: frozenset[str] = frozenset((ENDED, *CLOSED_BEFORE_PLACEMENT))
STATE_LABELS: dict[str, str] = {
    "proposed": "提案",
    "contacted": "受入先へ連絡",
    "visit": "見学",
    "trial": "体験",
    "placed": "定着支援中",
    "ended": "終了",
    "declined": "辞退・不成立",
    "no_capacity": "受入枠なし",
    "withdrawn": "取りやめ",
}


def allowed_targets(state: str) -> list[str]:
    """Every state a placement may move to from ``state``."""
    if state in TERMINAL:
        return []
    if state == "placed":
        return [ENDED]
    later = list(PATH[PATH.index(state) + 1 :])
    return later + list(CLOSED_BEFORE_PLACEMENT)


def _load(session: Session, principal: Principal, placement_id: int, permission: str) -> Placement:
    found = repo.get_placement(session, placement_id)
    return load_person_record(session, principal, found, "placement", placement_id, permission)[0]


def propose_placement(
    session: Session,
    principal: Principal,
    person_id: int,
    data: PlacementIn,
    *,
    at: datetime | None = None,
    today: date | None = None,
) -> Placement:
    """Propose a resource for a person once support has started (decided or early plan)."""
    person = load_person(session, principal, person_id, "person:write")
    if person.status == "closed":
        raise CaseClosed(person.id)
    if not repo.support_started(session, person.id):
        raise SupportNotStarted(person.id)
    _check_references(session, person.id, data)
    day = data.occurred_on or today or today_in_japan()
    not_in_future("occurred_on", "提案日", day, today)
    profile = repo.latest_profile(session, person.id)
    when = at or utcnow()
    placement = Placement(
        person_id=person.id,
        resource_id=data.resource_id,
        plan_id=data.plan_id,
        profile_id=profile.id if profile else None,
        suggestion_run_id=data.suggestion_run_id,
        state="proposed",
        proposed_at=when,
        created_by=principal.ref,
    )
    session.add(placement)
    session.flush()
    repo.add_transition(
        session,
        PlacementTransition(
            placement_id=placement.id,
            from_state=None,
            to_state="proposed",
            skipped=[],
            note=data.note,
            occurred_on=day,
            at=when,
            actor=principal.ref,
        ),
    )
    session.flush()
    audit.record(
        session, principal, "placement.propose", "person", person.id,
        {"placement_id": placement.id, "resource_id": data.resource_id},
    )  # fmt: skip
    return placement


def _check_references(session: Session, person_id: int, data: PlacementIn) -> None:
    """A placement names a receiver of the catalog (404 otherwise) and only this person's own
    plan and suggestion run."""
    if not capacity.resource_exists(session, data.resource_id):
        raise ResourceNotFound(data.resource_id)
    if data.plan_id is not None:
        plan = repo.get_plan(session, data.plan_id)
        if plan is None or plan.person_id != person_id:
            raise InvalidInput(f"plan {data.plan_id} is not a plan of this person")
    if data.suggestion_run_id is not None:
        run = repo.get_suggestion_run(session, data.suggestion_run_id)
        if run is None or run.person_id != person_id:
            raise InvalidInput(
                f"suggestion run {data.suggestion_run_id} is not a run of this person"
            )


def transition_placement(
    session: Session,
    principal: Principal,
    placement_id: int,
    data: TransitionIn,
    *,
    at: datetime | None = None,
    today: date | None = None,
) -> Placement:
    """Move a placement; placed takes a slot (NoCapacity when none), ended frees it.

    連絡 or later needs a share consent for the receiver (ShareConsentRequired); the day of
    the step may be given (``occurred_on``) and is checked against today and the last step.
    """
    # Audit lock first: every transaction takes locks in the same order (no deadlock).
    audit.lock_chain(session)
    placement = _load(session, principal, placement_id, "person:write")
    if data.expected_version is not None and data.expected_version != placement.version:
        raise ConcurrentUpdate(
            f"placement {placement_id} changed (version {placement.version}, "
            f"expected {data.expected_version})"
        )
    current, target = placement.state, data.to_state
    if target not in allowed_targets(current):
        raise InvalidTransition("placement", current, target)
    reason = data.reason_code
    if target == "no_capacity" and reason is None:
        reason = "no_capacity"
    if (target in TERMINAL) and reason is None:
        raise InvalidInput(f"a move to {target} needs a reason_code")
    day = data.occurred_on or today or today_in_japan()
    not_in_future("occurred_on", "この段階の日付", day, today)
    _check_after_previous(session, placement, day)
    if target in NEEDS_SHARE_CONSENT and not may_contact_receiver(session, placement, day):
        raise ShareConsentRequired(
            placement.resource_id, capacity.resource_name(session, placement.resource_id)
        )
    _move(session, principal, placement, target, reason, data.note, day, at or utcnow())
    return placement


def may_contact_receiver(session: Session, placement: Placement, day: date) -> bool:
    """Is there a consent to share with this placement's receiver on ``day`` (連絡 or later)?"""
    return consent.may_share_with(
        session, placement.person_id, resource_id=placement.resource_id, on=day
    )


def _later_last_step(
    session: Session, placement: Placement, day: date
) -> PlacementTransition | None:
    """The placement's last step when it is dated after ``day`` (a step cannot precede it)."""
    previous = repo.transitions_of(session, placement.id)
    return previous[-1] if previous and day < previous[-1].occurred_on else None


def _check_after_previous(session: Session, placement: Placement, day: date) -> None:
    """A step cannot have happened before the step it follows."""
    last = _later_last_step(session, placement, day)
    if last is not None:
        label = STATE_LABELS.get(last.to_state, last.to_state)
        raise InvalidDate(
            "occurred_on",
            f"この段階の日付（{jp_date(day)}）が、前の段階「{label}」の日付"
            f"（{jp_date(last.occurred_on)}）より前です。",
            f"{day.isoformat()} is before the previous step {last.to_state} "
            f"({last.occurred_on.isoformat()})",
        )


def _move(
    session: Session,
    principal: Principal,
    placement: Placement,
    target: str,
    reason: str | None,
    note: str | None,
    day: date,
    when: datetime,
) -> None:
    """Apply a checked move: slot, dates, the history row, the audit row."""
    current = placement.state
    skipped = list(PATH[PATH.index(current) + 1 : PATH.index(target)]) if target in PATH else []
    if target == "placed":
        capacity.take_slot(session, placement.resource_id)
        placement.holds_slot = True
        placement.placed_at = when
    if target in TERMINAL:
        if placement.holds_slot:
            capacity.free_slot(session, placement.resource_id)
            placement.holds_slot = False
        placement.ended_at = when
        placement.reason_code = reason
        placement.reason_text = note
    placement.state = target
    repo.add_transition(
        session,
        PlacementTransition(
            placement_id=placement.id,
            from_state=current,
            to_state=target,
            skipped=skipped,
            reason_code=reason,
            note=note,
            occurred_on=day,
            at=when,
            actor=principal.ref,
        ),
    )
    try:
        session.flush()
    except StaleDataError as exc:
        raise ConcurrentUpdate(f"placement {placement.id} was changed by someone else") from exc
    audit.record(
        session, principal, "placement.transition", "person", placement.person_id,
        {"placement_id": placement.id, "from": current, "to": target, "skipped": skipped,
         "occurred_on": day.isoformat()},
    )  # fmt: skip


def end_for_closure(
    session: Session, principal: Principal, person_id: int, *, closed_on: date
) -> list[Placement]:
    """終結: end every active placement of the person (reason ``case_closed``), freeing slots.

    A placed one ends (終了); one still before placement is withdrawn (取りやめ). The step is
    dated the closure day, which must not precede the placement's last step. The caller
    (``followup.close_case``) has loaded the person and taken the audit lock.
    """
    ended: list[Placement] = []
    for placement in repo.active_placements_of(session, person_id, tuple(TERMINAL)):
        target = ENDED if placement.state == "placed" else "withdrawn"
        last = _later_last_step(session, placement, closed_on)
        if last is not None:
            raise InvalidDate(
                "closed_on",
                f"終結日（{jp_date(closed_on)}）が、利用中の受入先の最後の段階"
                f"「{STATE_LABELS.get(last.to_state, last.to_state)}」の日付"
                f"（{jp_date(last.occurred_on)}）より前です。",
                f"{closed_on.isoformat()} is before the last step of placement {placement.id} "
                f"({last.occurred_on.isoformat()})",
            )
        _move(session, principal, placement, target, "case_closed", None, closed_on, utcnow())
        ended.append(placement)
    return ended


def get_placement(session: Session, principal: Principal, placement_id: int) -> Placement:
    """A placement with its transitions (audited)."""
    found = repo.get_placement(session, placement_id, transitions=True)
    placement, _ = load_person_record(
        session, principal, found, "placement", placement_id, "person:read"
    )
    audit.record(
        session, principal, "placement.read", "person", placement.person_id,
        {"placement_id": placement.id},
    )  # fmt: skip
    return placement


def list_placements(session: Session, principal: Principal, person_id: int) -> list[Placement]:
    """A person's placements with transitions (audited)."""
    person = load_person(session, principal, person_id, "person:read")
    rows = repo.placements_of(session, person.id)
    audit.record(session, principal, "placement.list", "person", person.id)
    return rows


# --- retention support (定着支援) ------------------------------------------------------


def add_retention_contact(
    session: Session,
    principal: Principal,
    placement_id: int,
    data: RetentionContactIn,
    *,
    today: date | None = None,
) -> RetentionContact:
    """Log a dated contact with the person or the receiver during 定着支援 (not a future day)."""
    placement = _load(session, principal, placement_id, "person:write")
    not_in_future("contacted_on", "連絡日", data.contacted_on, today)
    if placement.state not in ("trial", "placed", "ended"):
        raise InvalidTransition(
            "placement", placement.state, "retention_contact", "not yet on trial or placed"
        )
    contact = RetentionContact(
        placement_id=placement.id, created_by=principal.ref, **data.model_dump()
    )
    session.add(contact)
    if placement.last_contact_on is None or data.contacted_on > placement.last_contact_on:
        placement.last_contact_on = data.contacted_on
    try:
        session.flush()
    except StaleDataError as exc:
        raise ConcurrentUpdate(f"placement {placement_id} was changed by someone else") from exc
    audit.record(
        session, principal, "retention.create", "person", placement.person_id,
        {"placement_id": placement.id, "contact_id": contact.id},
    )  # fmt: skip
    return contact


def list_retention_contacts(
    session: Session, principal: Principal, placement_id: int
) -> list[RetentionContact]:
    """A placement's 定着支援 log, oldest first (audited)."""
    placement = _load(session, principal, placement_id, "person:read")
    rows = repo.retention_contacts(session, placement.id)
    audit.record(
        session, principal, "retention.list", "person", placement.person_id,
        {"placement_id": placement.id},
    )  # fmt: skip
    return rows


def days_since_contact(placement: Placement, today: date) -> int | None:
    """Days since the last retention contact (or the placement), None before placement."""
    last = placement.last_contact_on or (
        placement.placed_at.date() if placement.placed_at else None
    )
    return (today - last).days if last else None
