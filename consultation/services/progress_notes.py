"""支援経過 (要領 6): every contact with or about a person, corrections keep history.

A correction never overwrites: it adds version n+1 of the note and marks the old version
not current; every version stays readable. The timeline merges the notes with the person's
consultations and referral status changes, in time order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy.orm import Session

from casework import repository as casework_repo
from casework.errors import InvalidInput, InvalidTransition
from casework.permissions import Principal
from casework.services import audit
from casework.services._common import load_person, load_person_record
from consultation import repository as repo
from consultation.models import ProgressNote
from consultation.reference import (
    CHANNELS,
    JST,
    NOTE_KINDS,
    REFERRAL_FAILURE_REASONS,
    REFERRAL_STATUSES,
)
from consultation.schemas import ProgressNoteCorrection, ProgressNoteIn
from consultation.services import referrals as referral_service

# Timeline kinds beyond the note kinds.
TIMELINE_KINDS: dict[str, str] = {
    **NOTE_KINDS,
    "consultation": "相談受付",
    "link": "本人との紐づけ",
    "referral": "つなぎ",
}


def _utc(value: datetime) -> datetime:
    # Stored in UTC: SQLite keeps the wall time of whatever offset it is given.
    return value.astimezone(UTC)


def _check_staff(session: Session, staff_id: int | None) -> None:
    if staff_id is not None and casework_repo.get_staff_user(session, staff_id) is None:
        raise InvalidInput(f"unknown staff member: {staff_id}")


def add_note(
    session: Session, principal: Principal, person_id: int, data: ProgressNoteIn
) -> ProgressNote:
    """Record a contact of the 支援経過 (version 1 of a new note)."""
    person = load_person(session, principal, person_id, "person:write")
    staff_id = data.staff_id if data.staff_id is not None else principal.user_id
    _check_staff(session, staff_id)
    note = ProgressNote(
        person_id=person.id,
        version=1,
        current=True,
        **data.model_dump(exclude={"staff_id", "occurred_at"}),
        occurred_at=_utc(data.occurred_at),
        staff_id=staff_id,
        created_by=principal.ref,
    )
    session.add(note)
    session.flush()
    note.series_id = note.id
    session.flush()
    audit.record(
        session, principal, "progress_note.create", "person", person.id,
        {"note_id": note.id, "kind": note.kind},
    )  # fmt: skip
    return note


def _load_note(
    session: Session, principal: Principal, note_id: int, permission: str
) -> ProgressNote:
    found = repo.get_note(session, note_id)
    return load_person_record(session, principal, found, "progress_note", note_id, permission)[0]


def correct_note(
    session: Session, principal: Principal, note_id: int, data: ProgressNoteCorrection
) -> ProgressNote:
    """Correct a note: a new version replaces it in the timeline; the old one is kept."""
    old = _load_note(session, principal, note_id, "person:write")
    if not old.current:
        raise InvalidTransition(
            "progress_note", "superseded", "corrected", "correct the current version"
        )
    staff_id = data.staff_id if data.staff_id is not None else old.staff_id
    _check_staff(session, staff_id)
    old.current = False
    session.flush()
    new = ProgressNote(
        person_id=old.person_id,
        series_id=old.series_id,
        version=old.version + 1,
        current=True,
        **data.model_dump(exclude={"staff_id", "occurred_at"}),
        occurred_at=_utc(data.occurred_at),
        staff_id=staff_id,
        created_by=principal.ref,
    )
    session.add(new)
    session.flush()
    audit.record(
        session, principal, "progress_note.correct", "person", old.person_id,
        {"note_id": new.id, "replaces": old.id, "version": new.version},
    )  # fmt: skip
    return new


def list_notes(
    session: Session, principal: Principal, person_id: int, *, kinds: Sequence[str] = ()
) -> list[ProgressNote]:
    """A person's current notes in time order, optionally of some kinds (audited)."""
    person = load_person(session, principal, person_id, "person:read")
    rows = repo.notes_of(session, person.id, kinds=kinds)
    audit.record(
        session, principal, "progress_note.list", "person", person.id, {"notes": len(rows)}
    )
    return rows


def note_history(session: Session, principal: Principal, note_id: int) -> list[ProgressNote]:
    """Every version of a note, oldest first (audited)."""
    note = _load_note(session, principal, note_id, "person:read")
    rows = repo.note_versions(session, note.series_id or note.id)
    audit.record(
        session, principal, "progress_note.history", "person", note.person_id,
        {"note_id": note.id},
    )  # fmt: skip
    return rows


@dataclass(frozen=True)
class TimelineEntry:
    """One line of a person's timeline (the instant is aware, UTC)."""

    at: datetime
    kind: str
    label: str
    summary: str | None
    ref_type: str
    ref_id: int


def _aware(value: datetime) -> datetime:
    # SQLite hands back naive values; every stored instant is UTC.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=JST).astimezone(UTC)


def timeline(
    session: Session, principal: Principal, person_id: int, *, kinds: Sequence[str] = ()
) -> list[TimelineEntry]:
    """Consultations, the link, notes and referral changes of a person in time order (audited).

    A dated event without a time (a consultation received on a day, a referral accepted on a
    day) sorts at the recorded instant when it was recorded that same JST day, else at the
    start of that day.
    """
    person = load_person(session, principal, person_id, "person:read")
    entries: list[TimelineEntry] = []
    for c in repo.consultations_of(session, person.id):
        recorded = _aware(c.created_at)
        at = (
            recorded
            if recorded.astimezone(JST).date() == c.received_on
            else _day_start(c.received_on)
        )
        label = f"相談受付（{CHANNELS.get(c.channel, c.channel)}）"
        entries.append(
            TimelineEntry(at, "consultation", label, c.chief_complaint, "consultation", c.id)
        )
        if c.linked_at is not None:
            entries.append(
                TimelineEntry(
                    _aware(c.linked_at), "link", "相談を本人に紐づけ", None, "consultation", c.id
                )
            )
    for n in repo.notes_of(session, person.id):
        label = NOTE_KINDS.get(n.kind, n.kind)
        if n.version > 1:
            label += f"（訂正 第{n.version}版）"
        entries.append(
            TimelineEntry(_aware(n.occurred_at), n.kind, label, n.content, "progress_note", n.id)
        )
    agencies = referral_service.agency_names(session)
    for r in repo.list_referrals(session, scope=None, person_id=person.id):
        name = agencies.get(r.agency_id, "")
        for e in r.events:
            recorded = _aware(e.at)
            at = (
                recorded
                if recorded.astimezone(JST).date() == e.happened_on
                else _day_start(e.happened_on)
            )
            label = f"つなぎ {name}: {REFERRAL_STATUSES.get(e.to_status, e.to_status)}"
            if e.reason_code:
                label += f"（{REFERRAL_FAILURE_REASONS.get(e.reason_code, e.reason_code)}）"
            entries.append(TimelineEntry(at, "referral", label, e.note, "referral", r.id))
    if kinds:
        entries = [e for e in entries if e.kind in kinds]
    entries.sort(key=lambda e: e.at)
    audit.record(
        session, principal, "timeline.read", "person", person.id, {"entries": len(entries)}
    )
    return entries
