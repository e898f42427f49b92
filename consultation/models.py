"""Consultation tables (SQLAlchemy 2 typed ORM); relationships are ``lazy="raise"``.

Free text about people (主訴, 相談内容, household needs, notes, what was asked of an agency)
is ``EncryptedText``. Actors are ``Principal.ref`` strings as in casework.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.crypto import EncryptedText
from casework.models import Timestamp, utcnow
from storage.base import Base


class Agency(Base):
    """A 支援関係機関 (要領 4(1)): kind, contact, hours and the wards or towns it covers."""

    __tablename__ = "agency"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(200))
    wards: Mapped[list[str]] = mapped_column(JSON, default=list)
    towns: Mapped[list[str]] = mapped_column(JSON, default=list)
    phone: Mapped[str | None] = mapped_column(String(50))
    email: Mapped[str | None] = mapped_column(String(254))
    address: Mapped[str | None] = mapped_column(String(300))
    hours: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str] = mapped_column(String(64))


class Consultation(Base):
    """A consultation received (相談受付記録), possibly anonymous, later linked to a person."""

    __tablename__ = "consultation"

    id: Mapped[int] = mapped_column(primary_key=True)
    received_on: Mapped[date] = mapped_column(Date, index=True)
    channel: Mapped[str] = mapped_column(String(16))
    from_whom: Mapped[str] = mapped_column(String(16))
    from_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"))
    caller_note: Mapped[str | None] = mapped_column(EncryptedText)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    name: Mapped[str | None] = mapped_column(EncryptedText)
    furigana: Mapped[str | None] = mapped_column(EncryptedText)
    sex: Mapped[str | None] = mapped_column(String(50))
    born_on: Mapped[date | None] = mapped_column(Date)
    age: Mapped[int | None] = mapped_column(Integer)
    phone: Mapped[str | None] = mapped_column(EncryptedText)
    address: Mapped[str | None] = mapped_column(EncryptedText)
    ward: Mapped[str | None] = mapped_column(String(10))
    town: Mapped[str | None] = mapped_column(String(50))
    chief_complaint: Mapped[str | None] = mapped_column(EncryptedText)
    content: Mapped[str | None] = mapped_column(EncryptedText)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    info_given: Mapped[str | None] = mapped_column(EncryptedText)
    outcome: Mapped[str | None] = mapped_column(String(32))
    primary_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), index=True)
    team: Mapped[str | None] = mapped_column(String(64), index=True)
    linked_at: Mapped[datetime | None] = mapped_column(Timestamp)
    linked_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow, onupdate=utcnow)
    created_by: Mapped[str] = mapped_column(String(64))

    household: Mapped[list[HouseholdMember]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="HouseholdMember.position"
    )

    def __repr__(self) -> str:
        return f"<Consultation id={self.id} person_id={self.person_id}>"


class HouseholdMember(Base):
    """A member of the household named in a consultation (世帯員), with their own needs."""

    __tablename__ = "household_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    relation: Mapped[str] = mapped_column(String(32))
    age: Mapped[int | None] = mapped_column(Integer)
    sex: Mapped[str | None] = mapped_column(String(50))
    needs: Mapped[str | None] = mapped_column(EncryptedText)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)


class ProgressNote(Base):
    """One version of a 支援経過 entry; a correction adds a version and keeps the old one."""

    __tablename__ = "progress_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    series_id: Mapped[int | None] = mapped_column(Integer, index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    current: Mapped[bool] = mapped_column(Boolean, default=True)
    kind: Mapped[str] = mapped_column(String(16))
    occurred_at: Mapped[datetime] = mapped_column(Timestamp, index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    involved: Mapped[str | None] = mapped_column(EncryptedText)
    content: Mapped[str | None] = mapped_column(EncryptedText)
    next_action: Mapped[str | None] = mapped_column(EncryptedText)
    next_action_on: Mapped[date | None] = mapped_column(Date)
    correction_reason: Mapped[str | None] = mapped_column(EncryptedText)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64))

    __table_args__ = (UniqueConstraint("series_id", "version"),)


class Referral(Base):
    """A つなぎ to a 支援関係機関 with a closed loop: 依頼済 → 受理 → 対応中 → 完了 / 不成立."""

    __tablename__ = "referral"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    consultation_id: Mapped[int | None] = mapped_column(ForeignKey("consultation.id"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    request: Mapped[str | None] = mapped_column(EncryptedText)
    consent_basis: Mapped[str] = mapped_column(String(24))
    status: Mapped[str] = mapped_column(String(16), default="requested", index=True)
    reason_code: Mapped[str | None] = mapped_column(String(32))
    requested_on: Mapped[date] = mapped_column(Date)
    reply_due_on: Mapped[date | None] = mapped_column(Date, index=True)
    accepted_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    primary_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    team: Mapped[str | None] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow, onupdate=utcnow)
    created_by: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)

    events: Mapped[list[ReferralEvent]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="ReferralEvent.id"
    )

    __mapper_args__: dict[str, Any] = {"version_id_col": version}  # noqa: RUF012


class ReferralEvent(Base):
    """One change of a referral's status: from, to, the date it happened, who, a note."""

    __tablename__ = "referral_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    happened_on: Mapped[date] = mapped_column(Date)
    reason_code: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(EncryptedText)
    at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))


class MultiAgencyMeeting(Base):
    """A case discussed at a 重層的支援会議 (with the person's multi-agency consent)."""

    __tablename__ = "multi_agency_meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plan.id"))
    held_on: Mapped[date] = mapped_column(Date)
    attendees: Mapped[str | None] = mapped_column(Text)
    role_sharing: Mapped[str | None] = mapped_column(EncryptedText)
    decisions: Mapped[str | None] = mapped_column(EncryptedText)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64))
    cases: Mapped[list[MultiAgencyMeetingCase]] = relationship(
        order_by="MultiAgencyMeetingCase.id", cascade="all, delete-orphan"
    )


class MultiAgencyMeetingCase(Base):
    """One case covered by a 重層的支援会議 record: the person, the plan decided, its decisions.

    A meeting discusses several cases; each covered case is a row here (the record's own
    ``person_id`` is its first case), so each person's page finds the meetings about them
    and every read checks access to each case.
    """

    __tablename__ = "multi_agency_meeting_case"
    __table_args__ = (UniqueConstraint("meeting_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("multi_agency_meeting.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plan.id"))
    decisions: Mapped[str | None] = mapped_column(EncryptedText)


class IntakeFormRecord(Base):
    """How a person's 相談受付・申込票 (様式第1号) was filled: by whom per part, what was declined.

    The answers themselves are the person's intake fields (casework ``Person``); this row
    records who filled each part (本人・代行・聞き取り) and the items the person chose not to
    answer (要領 4(2)ア: never forced).
    """

    __tablename__ = "intake_form_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), unique=True)
    consultation_id: Mapped[int | None] = mapped_column(ForeignKey("consultation.id"))
    filled_by: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    declined_items: Mapped[list[str]] = mapped_column(JSON, default=list)
    filled_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64))
