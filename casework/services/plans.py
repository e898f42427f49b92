"""参加支援事業のプラン (様式第2号): rounds, the 重層的支援会議 decision, early start.

draft → submitted (to the 重層的支援会議) → decided (with the date) | returned (→ edit →
submitted again). Support may start before the decision when the person needs it early
(要領 4(2)ウ), with a reason. A new round copies the previous round.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from casework import repository as repo
from casework.errors import (
    InvalidInput,
    InvalidTransition,
    MultiAgencyConsentRequired,
)
from casework.models import Plan, PlanAction, utcnow
from casework.permissions import Principal, authorize
from casework.schemas import PlanActionIn, PlanActionOut, PlanForm, PlanIn
from casework.services import audit, consent
from casework.services._common import (
    load_person,
    load_person_record,
    require_active_staff,
    today_in_japan,
)

EDITABLE = ("draft", "returned")


def _month_start(day: date | None) -> date | None:
    return day.replace(day=1) if day else None


def _actions(rows: list[PlanActionIn]) -> list[PlanAction]:
    return [PlanAction(position=i, **row.model_dump()) for i, row in enumerate(rows, start=1)]


def _load_plan(session: Session, principal: Principal, plan_id: int, permission: str) -> Plan:
    found = repo.get_plan(session, plan_id)
    return load_person_record(session, principal, found, "plan", plan_id, permission)[0]


def create_plan(
    session: Session,
    principal: Principal,
    person_id: int,
    data: PlanIn | None = None,
    *,
    today: date | None = None,
) -> Plan:
    """Start the next round (第n回); copies the previous round, then applies what ``data`` sets."""
    person = load_person(session, principal, person_id, "person:write")
    previous = repo.latest_plan(session, person.id)
    plan = Plan(
        person_id=person.id,
        round=(previous.round + 1) if previous else 1,
        status="draft",
        created_on=today or today_in_japan(),
        primary_staff_id=person.primary_staff_id,
        created_by=principal.ref,
    )
    if previous is not None:
        plan.copied_from_plan_id = previous.id
        plan.primary_staff_id = previous.primary_staff_id
        plan.issues_text = previous.issues_text
        plan.goal_text = previous.goal_text
        plan.period_end_on = previous.period_end_on
        plan.next_monitoring_on = previous.next_monitoring_on
        plan.actions = [
            PlanAction(
                position=a.position,
                actor_kind=a.actor_kind,
                actor_name=a.actor_name,
                content=a.content,
                period=a.period,
                frequency=a.frequency,
            )
            for a in previous.actions
        ]
    else:
        plan.actions = []
    if data is not None:
        _apply(plan, data, session)
    session.add(plan)
    session.flush()
    audit.record(
        session, principal, "plan.create", "person", person.id,
        {"plan_id": plan.id, "round": plan.round, "copied_from": plan.copied_from_plan_id},
    )  # fmt: skip
    return plan


def _apply(plan: Plan, data: PlanIn, session: Session) -> None:
    sent = data.model_fields_set
    if "primary_staff_id" in sent:
        require_active_staff(session, data.primary_staff_id, "主担当者")
    for name in ("created_on", "primary_staff_id", "issues_text", "goal_text", "period_end_on"):
        if name in sent and (name != "created_on" or data.created_on is not None):
            setattr(plan, name, getattr(data, name))
    if "next_monitoring_on" in sent:
        plan.next_monitoring_on = _month_start(data.next_monitoring_on)
    if "actions" in sent:
        plan.actions = _actions(data.actions)


def update_plan(session: Session, principal: Principal, plan_id: int, data: PlanIn) -> Plan:
    """Edit a draft or returned plan (fields that were sent; actions are replaced whole)."""
    plan = _load_plan(session, principal, plan_id, "person:write")
    if plan.status not in EDITABLE:
        raise InvalidTransition("plan", plan.status, "edit", "only draft or returned plans")
    _apply(plan, data, session)
    session.flush()
    audit.record(
        session, principal, "plan.update", "person", plan.person_id,
        {"plan_id": plan.id, "fields": sorted(data.model_fields_set)},
    )  # fmt: skip
    return plan


def submit_plan(
    session: Session, principal: Principal, plan_id: int, *, on: date | None = None
) -> Plan:
    """Submit to the 重層的支援会議 (draft or returned → submitted); needs multi_agency consent."""
    plan = _load_plan(session, principal, plan_id, "person:write")
    if plan.status not in EDITABLE:
        raise InvalidTransition("plan", plan.status, "submitted")
    if not (plan.issues_text and plan.goal_text):
        raise InvalidInput("a plan needs 解決したい課題 and 目標 before it is submitted")
    # 要領 5(2): 多機関協働 only with the person's consent; otherwise the 支援会議 path.
    if not consent.may_share_in_multi_agency(session, plan.person_id, on=on or today_in_japan()):
        raise MultiAgencyConsentRequired()
    plan.status = "submitted"
    plan.submitted_at = utcnow()
    session.flush()
    audit.record(session, principal, "plan.submit", "person", plan.person_id, {"plan_id": plan.id})
    return plan


def _submitted_plan(session: Session, principal: Principal, plan_id: int, target: str) -> Plan:
    """A plan the 重層的支援会議 may act on: the decider holds plan:decide, it is submitted."""
    plan = _load_plan(session, principal, plan_id, "person:read")
    authorize(principal, "plan:decide")
    if plan.status != "submitted":
        raise InvalidTransition("plan", plan.status, target)
    return plan


def decide_plan(session: Session, principal: Principal, plan_id: int, *, decided_on: date) -> Plan:
    """Record the meeting's decision (submitted → decided, with the date)."""
    plan = _submitted_plan(session, principal, plan_id, "decided")
    plan.status = "decided"
    plan.decided_on = decided_on
    session.flush()
    audit.record(session, principal, "plan.decide", "person", plan.person_id, {"plan_id": plan.id})
    return plan


def return_plan(session: Session, principal: Principal, plan_id: int, *, reason: str) -> Plan:
    """The meeting sends the plan back for changes (submitted → returned)."""
    plan = _submitted_plan(session, principal, plan_id, "returned")
    if not reason.strip():
        raise InvalidInput("a returned plan needs a reason")
    plan.status = "returned"
    plan.returned_at = utcnow()
    plan.return_reason = reason
    session.flush()
    audit.record(session, principal, "plan.return", "person", plan.person_id, {"plan_id": plan.id})
    return plan


def start_early(
    session: Session, principal: Principal, plan_id: int, *, started_on: date, reason: str
) -> Plan:
    """Start support before the meeting's decision (決定前の支援開始), with the reason."""
    plan = _load_plan(session, principal, plan_id, "person:write")
    if plan.status == "decided":
        raise InvalidTransition("plan", plan.status, "early_start", "already decided")
    if plan.early_start_on is not None:
        raise InvalidTransition("plan", "early_started", "early_start", "already started")
    if not reason.strip():
        raise InvalidInput("an early start needs a reason")
    plan.early_start_on = started_on
    plan.early_start_reason = reason
    session.flush()
    audit.record(
        session, principal, "plan.early_start", "person", plan.person_id, {"plan_id": plan.id}
    )
    return plan


def list_plans(session: Session, principal: Principal, person_id: int) -> list[Plan]:
    """Every round of a person's plan with actions (audited)."""
    person = load_person(session, principal, person_id, "person:read")
    rows = repo.plans(session, person.id)
    audit.record(session, principal, "plan.list", "person", person.id)
    return rows


def started_plan(plans: list[Plan]) -> Plan | None:
    """The newest round under which support runs: decided, or started early with a reason.

    Proposals to receivers belong to it; before there is one, the person may see suggestions
    but nothing is proposed (003: support starts with the decided plan).
    """
    started = [p for p in plans if p.status == "decided" or p.early_start_on is not None]
    return started[-1] if started else None


def plan_form(session: Session, principal: Principal, plan_id: int) -> PlanForm:
    """Every field of 様式第2号 for one plan round (header from the intake record; audited)."""
    plan = _load_plan(session, principal, plan_id, "person:read")
    person = load_person(session, principal, plan.person_id, "person:read")
    staff = repo.get_staff_user(session, plan.primary_staff_id) if plan.primary_staff_id else None
    form = PlanForm(
        plan_id=plan.id,
        person_id=person.id,
        status=plan.status,
        reception_number=person.reception_number,
        referred_or_received_on=person.referred_on or person.received_on,
        round=plan.round,
        primary_staff_id=plan.primary_staff_id,
        primary_staff_name=staff.display_name if staff else None,
        furigana=person.furigana,
        name=person.name,
        sex=person.sex,
        born_on=person.born_on,
        age=person.age_on(plan.created_on),
        issues_text=plan.issues_text,
        goal_text=plan.goal_text,
        actions=[PlanActionOut.model_validate(a) for a in plan.actions],
        period_end_on=plan.period_end_on,
        next_monitoring_on=plan.next_monitoring_on,
        created_on=plan.created_on,
        submitted_at=plan.submitted_at,
        decided_on=plan.decided_on,
        returned_at=plan.returned_at,
        return_reason=plan.return_reason,
        early_start_on=plan.early_start_on,
        early_start_reason=plan.early_start_reason,
    )
    audit.record(session, principal, "plan.read", "person", person.id, {"plan_id": plan.id})
    return form


def plans_awaiting_decision(session: Session, principal: Principal) -> list[Plan]:
    """The supervisors' queue: plans submitted to the 重層的支援会議, not yet decided (audited)."""
    authorize(principal, "plan:decide")
    rows = repo.submitted_plans(session)
    audit.record(session, principal, "plan.queue", "plan", None, {"ids": [p.id for p in rows]})
    return rows
