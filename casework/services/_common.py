"""Helpers shared by the casework services (loading with authorisation, clocks)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Protocol, TypeVar

from sqlalchemy.orm import Session

from casework import repository as repo
from casework.errors import InvalidDate, InvalidInput, NotFound
from casework.models import Person
from casework.permissions import Principal, authorize, authorize_found

# Japan keeps no daylight saving time: a fixed offset, built once (asked on every request).
_JST = timezone(timedelta(hours=9))


def today_in_japan() -> date:
    """Today's date in Japan (the centre's calendar), used when the caller gives no date."""
    return datetime.now(_JST).date()


def jp_date(day: date) -> str:
    """2026年12月6日: how a date reads in a message."""
    return f"{day.year}年{day.month}月{day.day}日"


def not_in_future(field: str, label_ja: str, day: date, today: date | None = None) -> None:
    """Refuse a date after today in Japan: something done cannot have happened tomorrow."""
    now = today or today_in_japan()
    if day > now:
        raise InvalidDate(
            field,
            f"{label_ja}（{jp_date(day)}）が未来の日付です。今日（{jp_date(now)}）までの日付を"
            "入力してください。",
            f"{day.isoformat()} is in the future (today in Japan is {now.isoformat()})",
        )


def load_person(session: Session, principal: Principal, person_id: int, permission: str) -> Person:
    """A live person the principal may act on with ``permission``; NotFound / Forbidden."""
    found = repo.get_person(session, person_id)
    return authorize_found(principal, permission, found, "person", person_id)


class NewCase(Protocol):
    """A case being recorded (a person at intake, a consultation): who leads it, which team."""

    primary_staff_id: int | None
    team: str | None


def assign_case_owner(
    session: Session, principal: Principal, case: NewCase, permission: str
) -> None:
    """Make the recorder the case's 主担当者 and team unless named; refuse what they cannot see.

    A named lead must be a staff account (422 otherwise), and a coordinator cannot record a
    case they would not then be allowed to read.
    """
    if case.primary_staff_id is None:
        case.primary_staff_id = principal.user_id
    if case.team is None:
        case.team = principal.team
    if (
        case.primary_staff_id is not None
        and repo.get_staff_user(session, case.primary_staff_id) is None
    ):
        raise InvalidInput(f"unknown primary staff member: {case.primary_staff_id}")
    authorize(principal, permission, person=case)


class PersonRecord(Protocol):
    """A record of one person's case (a plan, a placement, a progress note, a sheet)."""

    @property
    def person_id(self) -> int: ...


Record = TypeVar("Record", bound=PersonRecord)


def load_person_record(
    session: Session,
    principal: Principal,
    record: Record | None,
    kind: str,
    ident: int,
    permission: str,
) -> tuple[Record, Person]:
    """``record`` and its person when the principal may use ``permission`` on that person.

    A case's records are guarded by the access to their person. A missing record is reported
    only after the permission itself is checked (as for a person), so a caller without it
    cannot probe which ids exist.
    """
    if record is None:
        authorize(principal, permission)
        raise NotFound(kind, ident)
    return record, load_person(session, principal, record.person_id, permission)


def load_case_ref(
    session: Session, principal: Principal, person_id: int, permission: str
) -> repo.CaseRef:
    """As ``load_person``, for use cases that need only the id once authorised (no ORM load)."""
    ref = repo.get_case_ref(session, person_id)
    return authorize_found(principal, permission, ref, "person", person_id)


def case_scope(principal: Principal) -> tuple[int | None, str | None] | None:
    """(staff id, team) for coordinators, whose lists are limited to own/team cases."""
    if principal.kind == "user" and principal.role == "coordinator":
        return principal.id, principal.team
    return None


def require_active_staff(session: Session, staff_id: int | None, role_ja: str) -> None:
    """Check a chosen staff member (主担当者, 評価担当者) is an active account; 422 otherwise.

    These used to be free text; a typo or a disabled account must not become the named lead.
    """
    if staff_id is None:
        return
    staff = repo.get_staff_user(session, staff_id)
    if staff is None or not staff.active:
        raise InvalidInput(f"{role_ja}: no active staff account {staff_id}")
