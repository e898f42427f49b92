"""Erasure on request (casework's ``delete_person``) reaches the consultation records too.

Progress notes, 重層的支援会議 records and household members are deleted; consultations and
referrals stay for counts (date, channel, tags, outcome, agency, status) with every personal
field cleared.
"""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from consultation.models import (
    Consultation,
    HouseholdMember,
    IntakeFormRecord,
    MultiAgencyMeeting,
    MultiAgencyMeetingCase,
    ProgressNote,
    Referral,
    ReferralEvent,
)

PERSONAL_CONSULTATION_FIELDS = (
    "caller_note", "name", "furigana", "sex", "born_on", "age", "phone", "address", "town",
    "chief_complaint", "content", "info_given",
)  # fmt: skip


def erase_person_records(session: Session, person_id: int) -> None:
    """Delete or clear every consultation-domain row about ``person_id``."""
    consultation_ids = select(Consultation.id).where(Consultation.person_id == person_id)
    referral_ids = select(Referral.id).where(Referral.person_id == person_id)
    session.execute(delete(ProgressNote).where(ProgressNote.person_id == person_id))
    session.execute(delete(IntakeFormRecord).where(IntakeFormRecord.person_id == person_id))
    _erase_meeting_cases(session, person_id)
    session.execute(
        delete(HouseholdMember).where(HouseholdMember.consultation_id.in_(consultation_ids))
    )
    session.execute(
        update(Consultation)
        .where(Consultation.person_id == person_id)
        .values(dict.fromkeys(PERSONAL_CONSULTATION_FIELDS))
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(ReferralEvent)
        .where(ReferralEvent.referral_id.in_(referral_ids))
        .values(note=None)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(Referral)
        .where(Referral.person_id == person_id)
        .values(request=None)
        .execution_options(synchronize_session=False)
    )


def _erase_meeting_cases(session: Session, person_id: int) -> None:
    """Drop the person's case from every 重層的支援会議 record; a record left with no case goes.

    A record that also covered other people stays for them, now owned by its next case.
    """
    session.execute(
        delete(MultiAgencyMeetingCase).where(MultiAgencyMeetingCase.person_id == person_id)
    )
    owned = session.scalars(
        select(MultiAgencyMeeting.id).where(MultiAgencyMeeting.person_id == person_id)
    ).all()
    for meeting_id in owned:
        next_case = session.execute(
            select(MultiAgencyMeetingCase.person_id, MultiAgencyMeetingCase.plan_id)
            .where(MultiAgencyMeetingCase.meeting_id == meeting_id)
            .order_by(MultiAgencyMeetingCase.id)
            .limit(1)
        ).first()
        if next_case is None:
            session.execute(delete(MultiAgencyMeeting).where(MultiAgencyMeeting.id == meeting_id))
        else:
            session.execute(
                update(MultiAgencyMeeting)
                .where(MultiAgencyMeeting.id == meeting_id)
                .values(person_id=next_case.person_id, plan_id=next_case.plan_id)
                .execution_options(synchronize_session=False)
            )
