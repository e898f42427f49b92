"""重層的支援会議 records (with multi-agency consent) beside the 支援会議 records of casework.

要領 5(2): a case is shared at the 重層的支援会議 only with the person's consent; without it
the 支援会議 (members bound by confidentiality) is the path, recorded by
``casework.services.consent.record_support_meeting``.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from casework import repository as casework_repo
from casework.errors import InvalidInput, MultiAgencyConsentRequired
from casework.permissions import Principal
from casework.services import audit, consent
from casework.services._common import load_person
from consultation import repository as repo
from consultation.models import MultiAgencyMeeting
from consultation.schemas import MultiAgencyMeetingIn


def record_multi_agency_meeting(
    session: Session, principal: Principal, person_id: int, data: MultiAgencyMeetingIn
) -> MultiAgencyMeeting:
    """Record a 重層的支援会議 discussion; needs the multi_agency consent on that day (409)."""
    person = load_person(session, principal, person_id, "person:write")
    if not consent.may_share_in_multi_agency(session, person.id, on=data.held_on):
        raise MultiAgencyConsentRequired()
    if data.plan_id is not None:
        plan = casework_repo.get_plan(session, data.plan_id)
        if plan is None or plan.person_id != person.id:
            raise InvalidInput(f"plan {data.plan_id} is not a plan of this person")
    row = MultiAgencyMeeting(person_id=person.id, created_by=principal.ref, **data.model_dump())
    session.add(row)
    session.flush()
    audit.record(
        session, principal, "multi_agency_meeting.create", "person", person.id,
        {"record_id": row.id, "plan_id": row.plan_id},
    )  # fmt: skip
    return row


def list_multi_agency_meetings(
    session: Session, principal: Principal, person_id: int
) -> list[MultiAgencyMeeting]:
    """A person's 重層的支援会議 records (audited)."""
    person = load_person(session, principal, person_id, "person:read")
    rows = repo.multi_agency_meetings(session, person.id)
    audit.record(session, principal, "multi_agency_meeting.list", "person", person.id)
    return rows
