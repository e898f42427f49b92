"""Consultations (包括的相談の受け止め, 要領 5(1)): anyone, any subject, anonymous allowed.

A consultation may come before anyone knows who the person is. It is linked later to an
existing person or to a new intake made from it; nothing recorded on the consultation is
changed by the link, and what the intake leaves empty is filled from the consultation.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from casework.errors import InvalidInput
from casework.models import Person, utcnow
from casework.permissions import Principal, authorize
from casework.services import audit, people
from casework.services._common import assign_case_owner, case_scope, load_person, today_in_japan
from consultation import repository as repo
from consultation.models import Consultation, HouseholdMember
from consultation.reference import CHANNELS
from consultation.schemas import (
    ConsultationIn,
    ConsultationOut,
    ConsultationUpdate,
    HouseholdMemberIn,
    LinkIn,
)
from consultation.services._common import load_consultation


def _household(rows: list[HouseholdMemberIn]) -> list[HouseholdMember]:
    return [HouseholdMember(position=i, **r.model_dump()) for i, r in enumerate(rows, start=1)]


def consultation_out(row: Consultation) -> ConsultationOut:
    """The API shape; ``anonymous`` when no name is known and no person is linked."""
    out = ConsultationOut.model_validate(row)
    out.anonymous = row.person_id is None and not row.name
    return out


def create_consultation(
    session: Session, principal: Principal, data: ConsultationIn, *, today: date | None = None
) -> Consultation:
    """Record a consultation as received (the person may stay anonymous)."""
    authorize(principal, "consultation:write")
    if data.person_id is not None:
        load_person(session, principal, data.person_id, "person:write")
    if data.from_agency_id is not None and repo.get_agency(session, data.from_agency_id) is None:
        raise InvalidInput(f"unknown agency: {data.from_agency_id}")
    fields = data.model_dump(exclude={"household", "received_on"})
    row = Consultation(
        **fields,
        received_on=data.received_on or today or today_in_japan(),
        household=_household(data.household),
        created_by=principal.ref,
    )
    assign_case_owner(session, principal, row, "consultation:write")
    if row.person_id is not None:
        row.linked_at, row.linked_by = utcnow(), principal.ref
    session.add(row)
    session.flush()
    audit.record(
        session, principal, "consultation.create", "consultation", row.id,
        {"person_id": row.person_id, "channel": row.channel, "tags": len(row.tags)},
    )  # fmt: skip
    return row


def get_consultation(session: Session, principal: Principal, consultation_id: int) -> Consultation:
    """One consultation (audited)."""
    row = load_consultation(session, principal, consultation_id, "consultation:read")
    audit.record(session, principal, "consultation.read", "consultation", row.id)
    return row


def list_consultations(
    session: Session,
    principal: Principal,
    *,
    person_id: int | None = None,
    unlinked: bool = False,
    offset: int = 0,
    limit: int = 50,
) -> list[Consultation]:
    """Consultations the principal may see, newest first (audited as one list read)."""
    authorize(principal, "consultation:read")
    if person_id is not None:
        load_person(session, principal, person_id, "person:read")
    rows = repo.list_consultations(
        session,
        scope=case_scope(principal),
        person_id=person_id,
        unlinked=unlinked,
        offset=offset,
        limit=limit,
    )
    audit.record(
        session, principal, "consultation.list", "consultation", None,
        {"ids": [r.id for r in rows]},
    )  # fmt: skip
    return rows


def update_consultation(
    session: Session, principal: Principal, consultation_id: int, data: ConsultationUpdate
) -> Consultation:
    """Change the fields that were sent (audited with field names, never values)."""
    row = load_consultation(session, principal, consultation_id, "consultation:write")
    changes = data.model_dump(exclude_unset=True, exclude={"household"})
    for name, value in changes.items():
        if name in ("channel", "from_whom", "tags") and value is None:
            raise InvalidInput(f"{name} cannot be emptied")
        setattr(row, name, value)
    if data.household is not None:
        row.household = _household(data.household)
    session.flush()
    audit.record(
        session, principal, "consultation.update", "consultation", row.id,
        {"fields": sorted(data.model_fields_set)},
    )  # fmt: skip
    return row


def _intake_defaults(row: Consultation) -> dict[str, Any]:
    """What a new intake takes over from the consultation when the intake leaves it empty."""
    return {
        "furigana": row.furigana,
        "sex": row.sex,
        "born_on": row.born_on,
        "phone": row.phone,
        "address": row.address,
        "ward": row.ward,
        "received_on": row.received_on,
        "referral_source": f"包括的相談（{CHANNELS.get(row.channel, row.channel)}）",
        "referred_on": row.received_on,
    }


def link_consultation(
    session: Session,
    principal: Principal,
    consultation_id: int,
    data: LinkIn,
    *,
    today: date | None = None,
) -> Consultation:
    """Link to an existing person, or create the person from the consultation (nothing lost).

    The consultation keeps every field; its referrals follow it to the person.
    """
    row = load_consultation(session, principal, consultation_id, "consultation:write")
    if (data.person_id is None) == (data.new_person is None):
        raise InvalidInput("give either person_id or new_person")
    if row.person_id is not None:
        raise InvalidInput(f"consultation {row.id} is already linked to person {row.person_id}")
    person: Person
    if data.person_id is not None:
        person = load_person(session, principal, data.person_id, "person:write")
    else:
        assert data.new_person is not None
        intake = data.new_person
        sent = intake.model_fields_set
        for name, value in _intake_defaults(row).items():
            if name not in sent and value is not None:
                setattr(intake, name, value)
        if "primary_staff_id" not in sent and row.primary_staff_id is not None:
            intake.primary_staff_id = row.primary_staff_id
        if "team" not in sent and row.team is not None:
            intake.team = row.team
        person = people.create_person(session, principal, intake, today=today)
    row.person_id = person.id
    row.linked_at, row.linked_by = utcnow(), principal.ref
    for referral in repo.list_referrals(session, scope=None, consultation_id=row.id):
        if referral.person_id is None:
            referral.person_id = person.id
    session.flush()
    audit.record(
        session, principal, "consultation.link", "consultation", row.id,
        {"person_id": person.id, "new_person": data.new_person is not None},
    )  # fmt: skip
    return row
