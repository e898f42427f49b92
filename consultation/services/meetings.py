"""重層的支援会議 records (with multi-agency consent) beside the 支援会議 records of casework.

要領 5(2): a case is shared at the 重層的支援会議 only with the person's consent; without it
the 支援会議 (members bound by confidentiality) is the path, recorded by
``casework.services.consent.record_support_meeting``.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from casework import repository as casework_repo
from casework.errors import InvalidInput, MultiAgencyConsentRequired, NotFound
from casework.permissions import Principal
from casework.services import audit, consent
from casework.services._common import load_person
from consultation import repository as repo
from consultation.models import MultiAgencyMeeting, MultiAgencyMeetingCase
from consultation.schemas import JointMeetingIn, MultiAgencyMeetingIn


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
    row.cases = [MultiAgencyMeetingCase(person_id=person.id, plan_id=data.plan_id)]
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


def record_joint_meeting(
    session: Session, principal: Principal, data: JointMeetingIn
) -> MultiAgencyMeeting:
    """Record one 重層的支援会議 covering several cases (each checked on its own).

    The recorder must have write access to every case, each person needs the multi_agency
    consent on that day (409 names the person's reception number), and each plan must be
    that person's. The record's own person and plan are its first case.
    """
    cases: list[MultiAgencyMeetingCase] = []
    for case in data.cases:
        person = load_person(session, principal, case.person_id, "person:write")
        if not consent.may_share_in_multi_agency(session, person.id, on=data.held_on):
            raise MultiAgencyConsentRequired(person.reception_number)
        if case.plan_id is not None:
            plan = casework_repo.get_plan(session, case.plan_id)
            if plan is None or plan.person_id != person.id:
                raise InvalidInput(f"plan {case.plan_id} is not a plan of person {person.id}")
        cases.append(
            MultiAgencyMeetingCase(
                person_id=person.id, plan_id=case.plan_id, decisions=case.decisions
            )
        )
    first = data.cases[0]
    row = MultiAgencyMeeting(
        person_id=first.person_id,
        plan_id=first.plan_id,
        held_on=data.held_on,
        attendees=data.attendees,
        role_sharing=data.role_sharing,
        decisions=data.decisions,
        created_by=principal.ref,
    )
    row.cases = cases
    session.add(row)
    session.flush()
    for case_row in cases:
        audit.record(
            session, principal, "multi_agency_meeting.create", "person", case_row.person_id,
            {"record_id": row.id, "plan_id": case_row.plan_id},
        )  # fmt: skip
    return row


def get_meeting(session: Session, principal: Principal, meeting_id: int) -> MultiAgencyMeeting:
    """One 重層的支援会議 record; the reader needs access to every case it covers (audited)."""
    row = repo.get_multi_agency_meeting(session, meeting_id)
    if row is None:
        raise NotFound("multi_agency_meeting", meeting_id)
    people = [c.person_id for c in row.cases] or [row.person_id]
    for person_id in people:
        load_person(session, principal, person_id, "person:read")
    for person_id in people:
        audit.record(
            session, principal, "multi_agency_meeting.read", "person", person_id,
            {"record_id": row.id},
        )  # fmt: skip
    return row
