"""Queries of the development and reporting domain (read-only over casework and catalog)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Subquery, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from casework.models import (
    Consent,
    CooperationFee,
    EvaluationSheet,
    FeeBudget,
    NeedsProfile,
    Person,
    Placement,
)
from casework.reference import CONSENT_MATCHING
from development.models import Prospect, ProspectEvent, ReceiverAccount, ReceiverSupport

# Placement states that no longer hold the person (mirrors casework.services.placements).
_FINISHED_STATES = ("ended", "declined", "no_capacity", "withdrawn")


def _latest_profiles() -> Subquery:
    return (
        select(NeedsProfile.person_id, func.max(NeedsProfile.version).label("version"))
        .group_by(NeedsProfile.person_id)
        .subquery()
    )


def profiled_people(
    session: Session, *, on: date, open_only: bool = True
) -> list[tuple[Person, NeedsProfile, bool]]:
    """Live people with their latest needs profile, and whether they are in a placement now.

    Ordered by reception date (the waiting order). ``open_only`` skips closed cases.
    """
    latest = _latest_profiles()
    busy = exists().where(
        Placement.person_id == Person.id, Placement.state.not_in(_FINISHED_STATES)
    )
    stmt = (
        select(Person, NeedsProfile, busy.label("busy"))
        .join(latest, latest.c.person_id == Person.id)
        .join(
            NeedsProfile,
            and_(
                NeedsProfile.person_id == Person.id,
                NeedsProfile.version == latest.c.version,
            ),
        )
        .where(Person.deleted_at.is_(None))
        .order_by(Person.received_on, Person.id)
    )
    if open_only:
        stmt = stmt.where(Person.status == "open")
    return [(p, n, bool(b)) for p, n, b in session.execute(stmt).all()]


def people_with_matching_consent(session: Session, person_ids: list[int], on: date) -> set[int]:
    """Which of the people have a matching consent (マッチングへの同意) in force on ``on``."""
    if not person_ids:
        return set()
    stmt = select(Consent.person_id).where(
        Consent.person_id.in_(person_ids),
        Consent.scope == CONSENT_MATCHING,
        Consent.given_on <= on,
        or_(Consent.expires_on.is_(None), Consent.expires_on >= on),
        or_(Consent.withdrawn_on.is_(None), Consent.withdrawn_on > on),
    )
    return set(session.scalars(stmt))


def intake_dates(session: Session) -> list[date]:
    """Reception dates of every case (tombstones of erased people included: counts only)."""
    return list(session.scalars(select(Person.received_on)))


def placed_placements(session: Session) -> list[Placement]:
    """Placements that reached 定着支援中 (placed_at set), oldest first."""
    return list(
        session.scalars(
            select(Placement).where(Placement.placed_at.is_not(None)).order_by(Placement.placed_at)
        )
    )


def received_on_of(session: Session, person_ids: list[int]) -> dict[int, date]:
    """Reception date per person id."""
    if not person_ids:
        return {}
    rows = session.execute(
        select(Person.id, Person.received_on).where(Person.id.in_(person_ids))
    ).all()
    return {pid: day for pid, day in rows}


def evaluation_changes(session: Session) -> list[list[str]]:
    """The ticked 見られた変化 codes of every evaluation sheet."""
    return [list(c or []) for c in session.scalars(select(EvaluationSheet.changes))]


def fee_totals_by_year(session: Session) -> dict[int, int]:
    """Approved and paid 協力費 (reversals included as negatives) per fiscal year, in yen."""
    rows = session.execute(
        select(CooperationFee.fiscal_year, func.sum(CooperationFee.amount_yen))
        .where(CooperationFee.state.in_(("approved", "paid")))
        .group_by(CooperationFee.fiscal_year)
    ).all()
    return {int(fy): int(total or 0) for fy, total in rows}


def budgets(session: Session) -> dict[int, int]:
    """The 協力費 budget per fiscal year, in yen."""
    return {b.fiscal_year: b.budget_yen for b in session.scalars(select(FeeBudget))}


def prospects(session: Session, *, stage: str | None, theme: str | None) -> list[Prospect]:
    """Prospects, newest first, optionally of one stage and one unmet-needs theme."""
    stmt = select(Prospect).order_by(Prospect.id.desc())
    if stage is not None:
        stmt = stmt.where(Prospect.stage == stage)
    if theme is not None:
        stmt = stmt.where(Prospect.theme == theme)
    return list(session.scalars(stmt))


def prospect_events(session: Session, prospect_id: int) -> list[ProspectEvent]:
    """A prospect's history, oldest step first."""
    stmt = (
        select(ProspectEvent)
        .where(ProspectEvent.prospect_id == prospect_id)
        .order_by(ProspectEvent.id)
    )
    return list(session.scalars(stmt))


def receiver_support(session: Session, receiver_ref: str) -> list[ReceiverSupport]:
    """The support log of one receiver, oldest first."""
    stmt = (
        select(ReceiverSupport)
        .where(ReceiverSupport.receiver_ref == receiver_ref)
        .order_by(ReceiverSupport.supported_on, ReceiverSupport.id)
    )
    return list(session.scalars(stmt))


def prospect_source_refs(session: Session, source: str) -> set[str]:
    """The public-data ids already in the pipeline from one source."""
    stmt = select(Prospect.source_ref).where(Prospect.source == source)
    return {ref for ref in session.scalars(stmt) if ref is not None}


def receiver_account(session: Session, principal_ref: str) -> ReceiverAccount | None:
    """The receiver account linked to a user or API key, if any."""
    stmt = select(ReceiverAccount).where(ReceiverAccount.principal_ref == principal_ref)
    return session.scalar(stmt)
