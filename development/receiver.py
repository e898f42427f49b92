"""The receiver's own side (受入先): its referrals, answers, attendance and own listing.

A staff account of role ``receiver`` is tied to one catalog organisation by a
``ReceiverAccount`` row. It sees only referrals (placements still being proposed:
提案 / 受入先へ連絡) to resources of that organisation, each with the consented summary
(personal details only when the person consented to share with that receiver). A referral
of another organisation answers 404, exactly as one that does not exist.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.errors import InvalidInput, InvalidTransition, NotFound
from casework.models import ApiClient, Placement, StaffUser
from casework.permissions import Principal, authorize
from casework.schemas import TransitionIn
from casework.services import audit, consent, placements
from casework.services._common import load_person_record, today_in_japan
from development import repository
from development.models import AttendanceDate, ReceiverAccount, ReferralResponse
from development.schemas import AttendanceIn, ListingUpdateIn, ReferralAnswerIn
from resources_catalog import service as catalog
from resources_catalog.service import StoredResource

REFERRAL_STATES = ("proposed", "contacted")
ATTENDING_STATES = ("visit", "trial", "placed", "ended")


def link_account(
    session: Session, principal: Principal, principal_ref: str, organization_id: str
) -> ReceiverAccount:
    """Tie a receiver login (``user:<id>`` or ``api_client:<id>``) to its organisation."""
    authorize(principal, "user:admin")
    kind, _, raw_id = principal_ref.partition(":")
    if not raw_id.isdigit():
        raise InvalidInput("principal_ref: user:<id> または api_client:<id> の形式です")
    if kind == "user":
        user = session.get(StaffUser, int(raw_id))
        if user is None:
            raise NotFound("staff_user", raw_id)
        if user.role != "receiver":
            raise InvalidInput("role: 受入先アカウント(receiver)ではありません / not a receiver")
    elif kind == "api_client":
        client = session.get(ApiClient, int(raw_id))
        if client is None:
            raise NotFound("api_client", raw_id)
        if "receiver:self" not in client.scopes:
            raise InvalidInput("scopes: receiver:self がありません / the key lacks receiver:self")
    else:
        raise InvalidInput("principal_ref: user:<id> または api_client:<id> の形式です")
    if not catalog.resources_of_organization(session, organization_id):
        raise NotFound("organization", organization_id)
    account = repository.receiver_account(session, principal_ref)
    if account is None:
        account = ReceiverAccount(principal_ref=principal_ref, organization_id=organization_id)
        session.add(account)
    account.organization_id = organization_id
    session.flush()
    audit.record(
        session, principal, "receiver.link", "receiver", principal_ref, {"org": organization_id}
    )
    return account


def organization_of(session: Session, principal: Principal) -> str | None:
    """The organisation a receiver principal acts for (None: not linked yet, sees nothing)."""
    authorize(principal, "receiver:self")
    return session.scalar(
        select(ReceiverAccount.organization_id).where(
            ReceiverAccount.principal_ref == principal.ref
        )
    )


def _resources_of(session: Session, org: str | None) -> dict[str, str]:
    if org is None:
        return {}
    return catalog.resources_of_organization(session, org)


@dataclass
class Referral:
    """A referral as the receiver sees it: what, when, its answer and the consented summary."""

    placement_id: int
    resource_id: str
    resource_name: str
    state: str
    referred_at: datetime
    anonymised: bool
    summary: dict[str, Any] = field(default_factory=dict)
    decision: str | None = None
    reason: str | None = None
    responded_at: datetime | None = None
    attendance: list[date] = field(default_factory=list)


def _system_for(principal: Principal) -> Principal:
    # The summary is built with the centre's authority, in the receiver's name.
    return Principal(kind="system", id=0, client=f"receiver-portal {principal.ref}")


def _referral(session: Session, principal: Principal, placement: Placement, name: str) -> Referral:
    summary = consent.referral_summary(
        session, _system_for(principal), placement.person_id, resource_id=placement.resource_id
    )
    answer = session.scalar(
        select(ReferralResponse).where(ReferralResponse.placement_id == placement.id)
    )
    dates = session.scalars(
        select(AttendanceDate.attended_on)
        .where(AttendanceDate.placement_id == placement.id)
        .order_by(AttendanceDate.attended_on)
    )
    return Referral(
        placement_id=placement.id,
        resource_id=placement.resource_id,
        resource_name=name,
        state=placement.state,
        referred_at=placement.proposed_at,
        anonymised=summary.anonymised,
        summary=summary.details,
        decision=answer.decision if answer else None,
        reason=answer.reason if answer else None,
        responded_at=answer.responded_at if answer else None,
        attendance=list(dates),
    )


def _own_placement(
    session: Session, principal: Principal, placement_id: int
) -> tuple[Placement, str, str]:
    org = organization_of(session, principal)
    names = _resources_of(session, org)
    placement = session.get(Placement, placement_id)
    if org is None or placement is None or placement.resource_id not in names:
        raise NotFound("referral", placement_id)
    return placement, org, names[placement.resource_id]


def list_referrals(session: Session, principal: Principal) -> list[Referral]:
    """Referrals to the receiver's own organisation (proposals and active placements)."""
    org = organization_of(session, principal)
    names = _resources_of(session, org)
    rows = session.scalars(
        select(Placement)
        .where(
            Placement.resource_id.in_(list(names)),
            Placement.state.in_(REFERRAL_STATES + ATTENDING_STATES[:3]),
        )
        .order_by(Placement.proposed_at, Placement.id)
    )
    out = [_referral(session, principal, p, names[p.resource_id]) for p in rows]
    audit.record(
        session,
        principal,
        "receiver.referrals",
        "placement",
        None,
        {"ids": [r.placement_id for r in out]},
    )
    return out


def get_referral(session: Session, principal: Principal, placement_id: int) -> Referral:
    """One referral of the receiver's own organisation; another's is NotFound (404)."""
    placement, _, name = _own_placement(session, principal, placement_id)
    out = _referral(session, principal, placement, name)
    audit.record(session, principal, "receiver.referral", "placement", placement.id)
    return out


def answer(
    session: Session, principal: Principal, placement_id: int, data: ReferralAnswerIn
) -> Referral:
    """Accept or decline a referral (once); a decline closes the proposal as 受入先が辞退."""
    placement, org, name = _own_placement(session, principal, placement_id)
    if placement.state not in REFERRAL_STATES:
        raise InvalidTransition("referral", placement.state, data.decision, "no longer a proposal")
    if session.scalar(
        select(ReferralResponse.id).where(ReferralResponse.placement_id == placement.id)
    ):
        raise InvalidTransition("referral", "answered", data.decision, "already answered")
    if data.decision == "declined" and not data.reason:
        raise InvalidInput("reason: 辞退の理由を入力してください / a reason is required")
    session.add(
        ReferralResponse(
            placement_id=placement.id,
            organization_id=org,
            decision=data.decision,
            reason=data.reason,
            referred_at=placement.proposed_at,
            responded_at=datetime.now(UTC),
            responder=principal.ref,
        )
    )
    session.flush()
    if data.decision == "declined":
        placements.transition_placement(
            session,
            _system_for(principal),
            placement.id,
            TransitionIn(to_state="declined", reason_code="receiver_declined", note=data.reason),
        )
    audit.record(session, principal, f"receiver.{data.decision}", "placement", placement.id)
    return _referral(session, principal, placement, name)


def confirm_attendance(
    session: Session, principal: Principal, placement_id: int, data: AttendanceIn
) -> list[date]:
    """Record the dates the person attended (visit, trial or placed); repeats are ignored."""
    placement, _, _ = _own_placement(session, principal, placement_id)
    if placement.state not in ATTENDING_STATES:
        raise InvalidTransition("attendance", placement.state, "attended", "not attending yet")
    today = today_in_japan()
    if any(d > today for d in data.dates):
        raise InvalidInput("dates: 未来の日付は確認できません / dates cannot be in the future")
    have = set(
        session.scalars(
            select(AttendanceDate.attended_on).where(AttendanceDate.placement_id == placement.id)
        )
    )
    for day in sorted(set(data.dates) - have):
        session.add(
            AttendanceDate(placement_id=placement.id, attended_on=day, confirmed_by=principal.ref)
        )
    session.flush()
    audit.record(
        session,
        principal,
        "receiver.attendance",
        "placement",
        placement.id,
        {"n": len(set(data.dates) - have)},
    )
    return sorted(have | set(data.dates))


def own_resources(session: Session, principal: Principal) -> list[StoredResource]:
    """The receiver's own catalog entries (what it may update)."""
    org = organization_of(session, principal)
    return [catalog.get_resource(session, rid) for rid in sorted(_resources_of(session, org))]


def update_listing(
    session: Session, principal: Principal, resource_id: str, data: ListingUpdateIn
) -> StoredResource:
    """Change free places, days or hours of an own resource; counts as confirmation."""
    org = organization_of(session, principal)
    if resource_id not in _resources_of(session, org):
        raise NotFound("resource", resource_id)
    current = catalog.get_resource(session, resource_id).record
    changes = data.model_dump(exclude_unset=True)
    if data.capacity_remaining is not None and data.capacity_remaining > current.capacity_total:
        changes["capacity_total"] = data.capacity_remaining
    changes["extra"] = {
        **current.extra,
        "assured_date": today_in_japan().isoformat(),
        "assurer": principal.ref,
    }
    record = current.model_copy(update=changes)
    stored = catalog.update_resource(
        session, resource_id, record, actor=principal.ref, expected_version=None
    )
    audit.record(
        session,
        principal,
        "receiver.listing",
        "resource",
        resource_id,
        {"fields": sorted(changes)},
    )
    return stored


@dataclass(frozen=True)
class ReceiverStats:
    """How a receiver answers referrals: counts, acceptance rate, median hours to answer."""

    organization_id: str
    answered: int
    accepted: int
    acceptance_rate: float | None
    median_response_hours: float | None


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def receiver_stats(session: Session, principal: Principal) -> list[ReceiverStats]:
    """Response time and acceptance rate per receiver organisation (for coordinators)."""
    authorize(principal, "report:read")
    by_org: dict[str, list[ReferralResponse]] = {}
    for row in session.scalars(select(ReferralResponse).order_by(ReferralResponse.id)):
        by_org.setdefault(row.organization_id, []).append(row)
    out = []
    for org, rows in sorted(by_org.items()):
        accepted = sum(r.decision == "accepted" for r in rows)
        hours = [
            (_aware(r.responded_at) - _aware(r.referred_at)).total_seconds() / 3600 for r in rows
        ]
        out.append(
            ReceiverStats(
                organization_id=org,
                answered=len(rows),
                accepted=accepted,
                acceptance_rate=round(accepted / len(rows), 3),
                median_response_hours=round(statistics.median(hours), 1),
            )
        )
    return out


def _check_case_readable(session: Session, principal: Principal, placement_id: int) -> None:
    """The placement exists and the coordinator may read its case (answers, attendance)."""
    found = session.get(Placement, placement_id)
    load_person_record(session, principal, found, "placement", placement_id, "person:read")


def response_of(session: Session, principal: Principal, placement_id: int) -> ReferralResponse:
    """The receiver's answer to a placement, for the coordinator of the case."""
    _check_case_readable(session, principal, placement_id)
    row = session.scalar(
        select(ReferralResponse).where(ReferralResponse.placement_id == placement_id)
    )
    if row is None:
        raise NotFound("referral_response", placement_id)
    return row


def attendance_of(session: Session, principal: Principal, placement_id: int) -> list[date]:
    """Attendance dates the receiver confirmed, for the coordinator drafting the 協力費."""
    _check_case_readable(session, principal, placement_id)
    return list(
        session.scalars(
            select(AttendanceDate.attended_on)
            .where(AttendanceDate.placement_id == placement_id)
            .order_by(AttendanceDate.attended_on)
        )
    )
