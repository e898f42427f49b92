"""相談受付・申込票 (様式第1号) made from a consultation (参加支援事業実施要領 4(2)ア).

The person fills the form in; what they cannot write is helped with (代行) or taken down by
interview (聞き取り), and items they do not want to answer are never forced. The answers are
the person's intake record; this records who filled each part and which items were declined.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.errors import InvalidInput, NotFound
from casework.models import Person
from casework.permissions import Principal
from casework.services import audit
from casework.services._common import load_person, today_in_japan
from consultation.models import IntakeFormRecord
from consultation.reference import intake_form_layout
from consultation.schemas import (
    IntakeFormIn,
    IntakeFormOut,
    IntakeItemOut,
    IntakePartOut,
    LinkIn,
)
from consultation.services import consultations
from consultation.services._common import load_consultation


def _record_of(session: Session, person_id: int) -> IntakeFormRecord | None:
    return session.scalars(
        select(IntakeFormRecord).where(IntakeFormRecord.person_id == person_id)
    ).one_or_none()


def create_from_consultation(
    session: Session,
    principal: Principal,
    consultation_id: int,
    data: IntakeFormIn,
    *,
    today: date | None = None,
) -> IntakeFormRecord:
    """Make the form of the consultation's person (registering the person when needed)."""
    row = load_consultation(session, principal, consultation_id, "consultation:write")
    if row.person_id is None:
        if data.new_person is None:
            raise InvalidInput("the consultation has no person yet: send new_person")
        consultations.link_consultation(
            session, principal, row.id, LinkIn(new_person=data.new_person), today=today
        )
    elif data.new_person is not None:
        raise InvalidInput(f"the consultation is already linked to person {row.person_id}")
    assert row.person_id is not None
    person = load_person(session, principal, row.person_id, "person:write")
    if _record_of(session, person.id) is not None:
        raise InvalidInput(f"person {person.id} already has a 様式第1号 record")
    record = IntakeFormRecord(
        person_id=person.id,
        consultation_id=row.id,
        filled_by=dict(data.filled_by),
        declined_items=list(data.declined_items),
        filled_on=data.filled_on or today or today_in_japan(),
        created_by=principal.ref,
    )
    session.add(record)
    session.flush()
    audit.record(
        session, principal, "intake_form.create", "person", person.id,
        {"consultation_id": row.id, "declined": len(record.declined_items)},
    )  # fmt: skip
    return record


def _value(person: Person, field: str) -> str | None:
    value = getattr(person, field)
    if value is None or value == "":
        return None
    return value.isoformat() if isinstance(value, date) else str(value)


def intake_form(session: Session, principal: Principal, person_id: int) -> IntakeFormOut:
    """The filled form of a person (audited); NotFound when none was recorded."""
    person = load_person(session, principal, person_id, "person:read")
    record = _record_of(session, person.id)
    if record is None:
        raise NotFound("intake_form", person_id)
    modes, parts = intake_form_layout()
    declined = set(record.declined_items)
    out = IntakeFormOut(
        person_id=person.id,
        consultation_id=record.consultation_id,
        reception_number=person.reception_number,
        filled_on=record.filled_on,
        parts=[
            IntakePartOut(
                code=part.code,
                label=part.label,
                filled_by=record.filled_by.get(part.code),
                filled_by_label=modes.get(record.filled_by.get(part.code, ""), None),
                items=[
                    IntakeItemOut(
                        code=item.code,
                        label=item.label,
                        value=None if item.code in declined else _value(person, item.field),
                        declined=item.code in declined,
                    )
                    for item in part.items
                ],
            )
            for part in parts
        ],
    )
    audit.record(session, principal, "intake_form.read", "person", person.id)
    return out


def blank_form() -> IntakeFormOut:
    """The blank form for printing (no person data)."""
    _, parts = intake_form_layout()
    return IntakeFormOut(
        person_id=0,
        consultation_id=None,
        reception_number=None,
        filled_on=today_in_japan(),
        parts=[
            IntakePartOut(
                code=p.code,
                label=p.label,
                filled_by=None,
                filled_by_label=None,
                items=[
                    IntakeItemOut(code=i.code, label=i.label, value=None, declined=False)
                    for i in p.items
                ],
            )
            for p in parts
        ],
    )
