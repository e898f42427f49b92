"""Every query of the consultation domain; services call these, nothing else builds SQL."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, false, or_, select
from sqlalchemy.orm import Session, selectinload

from consultation.models import (
    Agency,
    Consultation,
    MultiAgencyMeeting,
    MultiAgencyMeetingCase,
    ProgressNote,
    Referral,
)

Scope = tuple[int | None, str | None] | None


def _scoped(staff_col: Any, team_col: Any, scope: Scope) -> list[ColumnElement[bool]]:
    # Coordinators see their own and their team's records (as casework's case lists).
    if scope is None:
        return []
    staff_id, team = scope
    conds: list[ColumnElement[bool]] = []
    if staff_id is not None:
        conds.append(staff_col == staff_id)
    if team is not None:
        conds.append(team_col == team)
    # A coordinator with neither id nor team sees nothing.
    return [or_(*conds)] if conds else [false()]


# --- consultations ---------------------------------------------------------------------


def get_consultation(session: Session, consultation_id: int) -> Consultation | None:
    """A consultation with its household members."""
    return session.scalars(
        select(Consultation)
        .where(Consultation.id == consultation_id)
        .options(selectinload(Consultation.household))
    ).one_or_none()


def list_consultations(
    session: Session,
    *,
    scope: Scope,
    person_id: int | None = None,
    unlinked: bool = False,
    offset: int = 0,
    limit: int = 50,
) -> list[Consultation]:
    """Consultations, newest first, limited to own/team for coordinators."""
    stmt = select(Consultation).options(selectinload(Consultation.household))
    for cond in _scoped(Consultation.primary_staff_id, Consultation.team, scope):
        stmt = stmt.where(cond)
    if person_id is not None:
        stmt = stmt.where(Consultation.person_id == person_id)
    if unlinked:
        stmt = stmt.where(Consultation.person_id.is_(None))
    stmt = stmt.order_by(Consultation.received_on.desc(), Consultation.id.desc())
    return list(session.scalars(stmt.offset(offset).limit(limit)))


def consultations_of(session: Session, person_id: int) -> list[Consultation]:
    """Every consultation linked to a person, oldest first."""
    stmt = (
        select(Consultation)
        .where(Consultation.person_id == person_id)
        .options(selectinload(Consultation.household))
        .order_by(Consultation.received_on, Consultation.id)
    )
    return list(session.scalars(stmt))


# --- progress notes --------------------------------------------------------------------


def get_note(session: Session, note_id: int) -> ProgressNote | None:
    """One note version by id."""
    return session.get(ProgressNote, note_id)


def notes_of(
    session: Session, person_id: int, *, kinds: Sequence[str] = (), current_only: bool = True
) -> list[ProgressNote]:
    """A person's notes in time order (current versions unless asked)."""
    stmt = select(ProgressNote).where(ProgressNote.person_id == person_id)
    if current_only:
        stmt = stmt.where(ProgressNote.current.is_(True))
    if kinds:
        stmt = stmt.where(ProgressNote.kind.in_(list(kinds)))
    return list(session.scalars(stmt.order_by(ProgressNote.occurred_at, ProgressNote.id)))


def note_versions(session: Session, series_id: int) -> list[ProgressNote]:
    """Every version of one note, oldest first."""
    stmt = (
        select(ProgressNote)
        .where(ProgressNote.series_id == series_id)
        .order_by(ProgressNote.version)
    )
    return list(session.scalars(stmt))


# --- agencies --------------------------------------------------------------------------


def get_agency(session: Session, agency_id: int) -> Agency | None:
    """An agency by id."""
    return session.get(Agency, agency_id)


def agency_by_code(session: Session, code: str) -> Agency | None:
    """An agency by its code."""
    return session.scalars(select(Agency).where(Agency.code == code)).one_or_none()


def list_agencies(
    session: Session, *, kind: str | None = None, ward: str | None = None, active_only: bool = False
) -> list[Agency]:
    """Agencies ordered by code; the ward filter is applied by the caller (JSON lists)."""
    stmt = select(Agency)
    if kind is not None:
        stmt = stmt.where(Agency.kind == kind)
    if active_only:
        stmt = stmt.where(Agency.active.is_(True))
    # Sorted in Python: database collations order "AC-x" / "ACx" differently; exports must not.
    rows = sorted(session.scalars(stmt), key=lambda a: a.code)
    if ward is not None:
        rows = [a for a in rows if ward in (a.wards or [])]
    return rows


# --- referrals -------------------------------------------------------------------------


def get_referral(session: Session, referral_id: int) -> Referral | None:
    """A referral with its events."""
    return session.scalars(
        select(Referral).where(Referral.id == referral_id).options(selectinload(Referral.events))
    ).one_or_none()


def list_referrals(
    session: Session,
    *,
    scope: Scope,
    person_id: int | None = None,
    consultation_id: int | None = None,
    statuses: Sequence[str] = (),
    due_before: date | None = None,
    limit: int = 200,
) -> list[Referral]:
    """Referrals with events, oldest first, limited to own/team for coordinators."""
    stmt = select(Referral).options(selectinload(Referral.events))
    for cond in _scoped(Referral.primary_staff_id, Referral.team, scope):
        stmt = stmt.where(cond)
    if person_id is not None:
        stmt = stmt.where(Referral.person_id == person_id)
    if consultation_id is not None:
        stmt = stmt.where(Referral.consultation_id == consultation_id)
    if statuses:
        stmt = stmt.where(Referral.status.in_(list(statuses)))
    if due_before is not None:
        stmt = stmt.where(Referral.reply_due_on < due_before)
    return list(session.scalars(stmt.order_by(Referral.requested_on, Referral.id).limit(limit)))


# --- 重層的支援会議 ----------------------------------------------------------------------


def multi_agency_meetings(session: Session, person_id: int) -> list[MultiAgencyMeeting]:
    """The 重層的支援会議 records covering the person (as first or any case), oldest first."""
    covering = select(MultiAgencyMeetingCase.meeting_id).where(
        MultiAgencyMeetingCase.person_id == person_id
    )
    stmt = (
        select(MultiAgencyMeeting)
        .where(or_(MultiAgencyMeeting.person_id == person_id, MultiAgencyMeeting.id.in_(covering)))
        .order_by(MultiAgencyMeeting.held_on, MultiAgencyMeeting.id)
    )
    return list(session.scalars(stmt))


def get_multi_agency_meeting(session: Session, meeting_id: int) -> MultiAgencyMeeting | None:
    """One 重層的支援会議 record with its cases."""
    return session.get(MultiAgencyMeeting, meeting_id)
