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
    session.execute(delete(MultiAgencyMeeting).where(MultiAgencyMeeting.person_id == person_id))
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
