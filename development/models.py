"""Tables of 資源開拓: prospective receivers, their support log, receiver accounts and answers.

Organisations are not people: notes about them are plain text. Anything about a person
stays in casework (placements); here we only keep the placement id a receiver answered.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from casework.models import Timestamp, utcnow
from storage.base import Base


class Prospect(Base):
    """A prospective receiver (受入先候補) moving 候補 → 接触 → 協議中 → 合意 → 登録済 / 見送り."""

    __tablename__ = "prospect"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(32))
    source_ref: Mapped[str | None] = mapped_column(String(64))
    theme: Mapped[str | None] = mapped_column(String(64), index=True)
    ward: Mapped[str | None] = mapped_column(String(10))
    address: Mapped[str | None] = mapped_column(String(300))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    contact_name: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(50))
    email: Mapped[str | None] = mapped_column(String(254))
    stage: Mapped[str] = mapped_column(String(16), default="candidate", index=True)
    conditions: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    decline_reason: Mapped[str | None] = mapped_column(Text)
    resource_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow, onupdate=utcnow)
    created_by: Mapped[str] = mapped_column(String(64))


class ProspectEvent(Base):
    """One dated step of a prospect: a stage change, a contact or a note."""

    __tablename__ = "prospect_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    prospect_id: Mapped[int] = mapped_column(ForeignKey("prospect.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    from_stage: Mapped[str | None] = mapped_column(String(16))
    to_stage: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))


class ReceiverSupport(Base):
    """Support given to a receiver (受入先への支援): visits, advice, preparation, problems."""

    __tablename__ = "receiver_support"

    id: Mapped[int] = mapped_column(primary_key=True)
    receiver_ref: Mapped[str] = mapped_column(String(80), index=True)
    supported_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64))


class ReceiverAccount(Base):
    """Ties a receiver's login (``user:<id>`` of role receiver, or ``api_client:<id>`` with
    the receiver:self scope) to the one organisation it acts for."""

    __tablename__ = "receiver_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    principal_ref: Mapped[str] = mapped_column(String(64), unique=True)
    organization_id: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)


class ReferralResponse(Base):
    """A receiver's answer to a referral (a proposed placement): accepted or declined, why."""

    __tablename__ = "referral_response"

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id"), unique=True)
    organization_id: Mapped[str] = mapped_column(String(64), index=True)
    decision: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    referred_at: Mapped[datetime] = mapped_column(Timestamp)
    responded_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    responder: Mapped[str] = mapped_column(String(64))


class AttendanceDate(Base):
    """A date the receiver confirms the person attended (feeds the 協力費 per session)."""

    __tablename__ = "attendance_date"
    __table_args__ = (UniqueConstraint("placement_id", "attended_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id"), index=True)
    attended_on: Mapped[date] = mapped_column(Date)
    confirmed_by: Mapped[str] = mapped_column(String(64))
    confirmed_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
