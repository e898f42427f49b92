"""Consent (同意): scopes, expiry, withdrawal, and whether details may be shared now.

Without a valid consent naming the receiver only an anonymised summary leaves the centre.
Cases discussed at a 支援会議 without consent are recorded as such (members are bound by
confidentiality under the 支援会議運営要領).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from casework import capacity
from casework import repository as repo
from casework.errors import InvalidInput, NotFound
from casework.models import Consent, Person, SupportMeetingRecord
from casework.permissions import Principal
from casework.reference import CONSENT_MATCHING, CONSENT_MULTI_AGENCY, CONSENT_SHARE_RECEIVER
from casework.schemas import ConsentIn, SupportMeetingIn
from casework.services import audit
from casework.services._common import load_person, today_in_japan


def record_consent(
    session: Session, principal: Principal, person_id: int, data: ConsentIn
) -> Consent:
    """Record a consent the person gave."""
    person = load_person(session, principal, person_id, "person:write")
    consent = Consent(person_id=person.id, created_by=principal.ref, **data.model_dump())
    session.add(consent)
    session.flush()
    audit.record(
        session,
        principal,
        "consent.create",
        "person",
        person.id,
        {"consent_id": consent.id, "scope": consent.scope},
    )
    return consent


def withdraw_consent(
    session: Session,
    principal: Principal,
    consent_id: int,
    *,
    withdrawn_on: date,
    note: str | None = None,
) -> Consent:
    """Record the withdrawal (撤回) of a consent from a date on."""
    consent = repo.get_consent(session, consent_id)
    if consent is None:
        raise NotFound("consent", consent_id)
    load_person(session, principal, consent.person_id, "person:write")
    if consent.withdrawn_on is not None:
        raise InvalidInput(f"consent {consent_id} was already withdrawn")
    if withdrawn_on < consent.given_on:
        raise InvalidInput("withdrawn_on is before the consent was given")
    consent.withdrawn_on = withdrawn_on
    consent.withdrawal_note = note
    session.flush()
    audit.record(
        session, principal, "consent.withdraw", "person", consent.person_id,
        {"consent_id": consent.id},
    )  # fmt: skip
    return consent


def list_consents(session: Session, principal: Principal, person_id: int) -> list[Consent]:
    """Every consent of a person (audited)."""
    person = load_person(session, principal, person_id, "person:read")
    rows = repo.consents(session, person.id)
    audit.record(session, principal, "consent.list", "person", person.id)
    return rows


def has_consent(session: Session, person_id: int, scope: str, *, on: date) -> bool:
    """True when a consent of that scope is in force on ``on`` (given, not expired/withdrawn)."""
    return bool(repo.valid_consents(session, person_id, scope, on))


def may_match(session: Session, person_id: int, *, on: date) -> bool:
    """May the person's data be used for matching within the centre on ``on``?"""
    return has_consent(session, person_id, CONSENT_MATCHING, on=on)


def may_share_in_multi_agency(session: Session, person_id: int, *, on: date) -> bool:
    """May the case be shared at the 重層的支援会議 (多機関協働事業) on ``on``?"""
    return has_consent(session, person_id, CONSENT_MULTI_AGENCY, on=on)


def may_share_with(
    session: Session,
    person_id: int,
    *,
    resource_id: str | None = None,
    organization_id: str | None = None,
    on: date,
) -> bool:
    """May details be shared with this receiver now?

    A consent naming the resource covers that resource; one naming the organization covers
    every resource it offers. Give the resource, the organization, or both.
    """
    if resource_id is None and organization_id is None:
        raise ValueError("name the receiver: resource_id and/or organization_id")
    receivers: list[tuple[str, str]] = []
    if resource_id is not None:
        receivers.append(("resource", resource_id))
        if organization_id is None:
            organization_id = capacity.organization_of(session, resource_id)
    if organization_id is not None:
        receivers.append(("organization", organization_id))
    return bool(
        repo.valid_consents(session, person_id, CONSENT_SHARE_RECEIVER, on, receivers=receivers)
    )


@dataclass(frozen=True)
class ReferralSummary:
    """What may be sent to a receiver: full details with consent, else an anonymised sketch."""

    anonymised: bool
    resource_id: str
    details: dict[str, Any] = field(default_factory=dict)


def _age_band(age: int | None) -> str | None:
    if age is None:
        return None
    return f"{(age // 10) * 10}代"


def referral_summary(
    session: Session,
    principal: Principal,
    person_id: int,
    *,
    resource_id: str,
    on: date | None = None,
) -> ReferralSummary:
    """Prepare what goes to a receiver; personal details only with a consent naming it."""
    person = load_person(session, principal, person_id, "person:read")
    day = on or today_in_japan()
    profile = repo.latest_profile(session, person.id)
    shared = may_share_with(session, person.id, resource_id=resource_id, on=day)
    age = profile.age if profile and profile.age is not None else person.age_on(day)
    details: dict[str, Any] = {
        "age_band": _age_band(age),
        "ward": person.ward,
        "days": list(profile.days) if profile else [],
        "preferred_categories": list(profile.preferred_categories) if profile else [],
        "needs_wheelchair_access": profile.needs_wheelchair_access if profile else False,
        "prefers_quiet": profile.prefers_quiet if profile else False,
        "prefers_small_group": profile.prefers_small_group if profile else False,
    }
    if shared:
        details.update(_identifying(person, day))
        details["needs_text"] = profile.needs_text if profile else None
    audit.record(
        session,
        principal,
        "person.share" if shared else "person.share_anonymised",
        "person",
        person.id,
        {"resource_id": resource_id},
    )
    return ReferralSummary(anonymised=not shared, resource_id=resource_id, details=details)


def _identifying(person: Person, day: date) -> dict[str, Any]:
    return {
        "reception_number": person.reception_number,
        "name": person.name,
        "furigana": person.furigana,
        "sex": person.sex,
        "age": person.age_on(day),
        "phone": person.phone,
    }


def record_support_meeting(
    session: Session, principal: Principal, person_id: int, data: SupportMeetingIn
) -> SupportMeetingRecord:
    """Record that the case was discussed at a 支援会議 without the person's consent."""
    person = load_person(session, principal, person_id, "person:write")
    row = SupportMeetingRecord(
        person_id=person.id,
        held_on=data.held_on,
        members=data.members,
        summary=data.summary,
        without_consent=True,
        confidentiality_bound=True,
        created_by=principal.ref,
    )
    session.add(row)
    session.flush()
    audit.record(
        session, principal, "support_meeting.create", "person", person.id, {"record_id": row.id}
    )
    return row


def list_support_meetings(
    session: Session, principal: Principal, person_id: int
) -> list[SupportMeetingRecord]:
    """支援会議 records of a person (audited)."""
    person = load_person(session, principal, person_id, "person:read")
    rows = repo.support_meetings(session, person.id)
    audit.record(session, principal, "support_meeting.list", "person", person.id)
    return rows
