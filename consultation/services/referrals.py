"""つなぎ to 支援関係機関 with a closed loop (要領 5(1)イ).

依頼済 (requested) → 受理 (accepted) → 対応中 (in_progress) → 完了 (completed), or 不成立
(failed, with a reason code) from any open status. Every change is an event with its date
and actor; a referral still 依頼済 after its reply due date is overdue.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from casework import repository as casework_repo
from casework.errors import InvalidInput, InvalidTransition, NotFound
from casework.models import Person
from casework.permissions import Principal, authorize
from casework.reference import CONSENT_MULTI_AGENCY, CONSENT_SCOPES
from casework.services import audit
from casework.services._common import case_scope, load_person, today_in_japan
from consultation import repository as repo
from consultation.errors import ReferralConsentMissing
from consultation.models import Consultation, Referral, ReferralEvent
from consultation.reference import CONSENT_BASES, REFERRAL_STATUSES, REFERRAL_TRANSITIONS
from consultation.schemas import ReferralIn, ReferralOut, ReferralTransitionIn
from consultation.services._common import load_consultation

# Days an agency has to answer when the caller sets no reply due date.
DEFAULT_REPLY_DAYS = 14
OPEN_STATUSES = ("requested", "accepted", "in_progress")
# Bases that say the person agreed: each must match a recorded, valid consent.
CONSENTED_BASES = ("consent_written", "consent_verbal")
# Consent methods that count as 書面 (a signed form, an electronic signature, a proxy's form).
WRITTEN_METHODS = ("written", "electronic", "proxy")


def is_overdue(referral: Referral, on: date) -> bool:
    """Still waiting for the agency's answer (依頼済) after the reply due date."""
    return (
        referral.status == "requested"
        and referral.reply_due_on is not None
        and referral.reply_due_on < on
    )


def referral_out(referral: Referral, *, on: date | None = None) -> ReferralOut:
    """The API shape with the Japanese status label and the overdue flag on ``on``."""
    out = ReferralOut.model_validate(referral)
    out.status_label = REFERRAL_STATUSES.get(referral.status, referral.status)
    out.overdue = is_overdue(referral, on or today_in_japan())
    return out


def agency_names(session: Session) -> dict[int, str]:
    """Agency id → name, for labels."""
    return {a.id: a.name for a in repo.list_agencies(session)}


def _permission_for_person(permission: str) -> str:
    return "person:write" if permission.endswith(":write") else "person:read"


def _load(session: Session, principal: Principal, referral_id: int, permission: str) -> Referral:
    """A referral the principal may act on: through its person, else its consultation."""
    authorize(principal, permission)
    referral = repo.get_referral(session, referral_id)
    if referral is None:
        raise NotFound("referral", referral_id)
    if referral.person_id is not None:
        load_person(session, principal, referral.person_id, _permission_for_person(permission))
    else:
        authorize(principal, permission, person=referral)
    return referral


def _check_consent_basis(session: Session, basis: str, person: Person | None, on: date) -> None:
    """A basis saying the person consented needs that consent recorded and in force on ``on``.

    Referring to a 支援関係機関 shares the case with another agency, which is the purpose of
    the ``multi_agency`` consent (多機関協働事業での情報共有); 本人の同意（書面） further needs
    that consent to have been given in writing (書面・電子・代理人の署名).
    """
    if basis not in CONSENTED_BASES:
        return
    label = CONSENT_BASES.get(basis, basis)
    purpose = CONSENT_SCOPES[CONSENT_MULTI_AGENCY]
    if person is None:
        raise ReferralConsentMissing(
            CONSENT_MULTI_AGENCY,
            f"情報提供の根拠が「{label}」ですが、相談がまだ本人に紐づいていないため"
            "同意を確認できません。本人に紐づけて同意（" + purpose + "）を記録するか、"
            "根拠を「匿名での相談」にしてください。",
        )
    valid = casework_repo.valid_consents(session, person.id, CONSENT_MULTI_AGENCY, on)
    if not valid:
        raise ReferralConsentMissing(
            CONSENT_MULTI_AGENCY,
            f"情報提供の根拠が「{label}」ですが、有効な本人の同意（{purpose}）が記録されて"
            "いません（未登録・期限切れ・撤回済み）。先に同意を記録するか、同意が得られない"
            "場合は支援会議（守秘義務）を根拠にしてください。",
        )
    if basis == "consent_written" and not any(c.method in WRITTEN_METHODS for c in valid):
        raise ReferralConsentMissing(
            CONSENT_MULTI_AGENCY,
            f"情報提供の根拠が「{label}」ですが、記録されている同意（{purpose}）は書面に"
            "よるものではありません。書面の同意を記録するか、根拠を「本人の同意（口頭）」に"
            "してください。",
        )


def create_referral(
    session: Session, principal: Principal, data: ReferralIn, *, today: date | None = None
) -> Referral:
    """Send a つなぎ request to an agency (status 依頼済, with a reply due date)."""
    authorize(principal, "consultation:write")
    if data.person_id is None and data.consultation_id is None:
        raise InvalidInput("a referral needs person_id or consultation_id")
    if repo.get_agency(session, data.agency_id) is None:
        raise InvalidInput(f"unknown agency: {data.agency_id}")
    person: Person | None = None
    consultation: Consultation | None = None
    if data.consultation_id is not None:
        consultation = load_consultation(
            session, principal, data.consultation_id, "consultation:write"
        )
    person_id = data.person_id or (consultation.person_id if consultation else None)
    if person_id is not None:
        person = load_person(session, principal, person_id, "person:write")
    if consultation is not None and consultation.person_id not in (None, person_id):
        raise InvalidInput("the consultation belongs to another person")
    if data.consent_basis == "anonymous" and person is not None:
        raise InvalidInput("a referral for an identified person needs a consent basis")
    if data.consent_basis == "support_meeting" and (
        person is None or not casework_repo.support_meetings(session, person.id)
    ):
        # 要領 5(2)イ: without consent, details are shared only within a recorded 支援会議.
        raise InvalidInput("consent_basis support_meeting needs a recorded 支援会議 of the person")
    requested_on = data.requested_on or today or today_in_japan()
    _check_consent_basis(session, data.consent_basis, person, requested_on)
    due = data.reply_due_on or requested_on + timedelta(days=DEFAULT_REPLY_DAYS)
    if due < requested_on:
        raise InvalidInput("reply_due_on is before requested_on")
    owner = person if person is not None else consultation
    assert owner is not None
    referral = Referral(
        person_id=person.id if person else None,
        consultation_id=consultation.id if consultation else None,
        agency_id=data.agency_id,
        request=data.request,
        consent_basis=data.consent_basis,
        status="requested",
        requested_on=requested_on,
        reply_due_on=due,
        primary_staff_id=owner.primary_staff_id,
        team=owner.team,
        created_by=principal.ref,
    )
    referral.events = [
        ReferralEvent(
            from_status=None, to_status="requested", happened_on=requested_on, actor=principal.ref
        )
    ]
    session.add(referral)
    session.flush()
    audit.record(
        session, principal, "referral.create", "referral", referral.id,
        {"agency_id": referral.agency_id, "person_id": referral.person_id,
         "consultation_id": referral.consultation_id},
    )  # fmt: skip
    return referral


def transition_referral(
    session: Session,
    principal: Principal,
    referral_id: int,
    data: ReferralTransitionIn,
    *,
    today: date | None = None,
) -> Referral:
    """Move a referral along its loop; 不成立 needs a reason code."""
    referral = _load(session, principal, referral_id, "consultation:write")
    if data.to not in REFERRAL_TRANSITIONS[referral.status]:
        raise InvalidTransition("referral", referral.status, data.to)
    if data.to == "failed" and data.reason_code is None:
        raise InvalidInput("不成立 needs a reason_code (person_declined, not_eligible, …)")
    if data.to != "failed" and data.reason_code is not None:
        raise InvalidInput("reason_code is only for 不成立 (failed)")
    on = data.on or today or today_in_japan()
    last = referral.events[-1].happened_on if referral.events else referral.requested_on
    if on < last:
        raise InvalidInput(f"the date {on} is before the previous change ({last})")
    referral.events.append(
        ReferralEvent(
            from_status=referral.status,
            to_status=data.to,
            happened_on=on,
            reason_code=data.reason_code,
            note=data.note,
            actor=principal.ref,
        )
    )
    if data.to == "accepted":
        referral.accepted_on = on
    if data.to in ("completed", "failed"):
        referral.closed_on = on
        referral.reason_code = data.reason_code
    referral.status = data.to
    session.flush()
    audit.record(
        session, principal, "referral.transition", "referral", referral.id,
        {"to": data.to, "reason_code": data.reason_code},
    )  # fmt: skip
    return referral


def get_referral(session: Session, principal: Principal, referral_id: int) -> Referral:
    """One referral with its history (audited)."""
    referral = _load(session, principal, referral_id, "consultation:read")
    audit.record(session, principal, "referral.read", "referral", referral.id)
    return referral


def list_referrals(
    session: Session,
    principal: Principal,
    *,
    person_id: int | None = None,
    consultation_id: int | None = None,
    status: str | None = None,
) -> list[Referral]:
    """Referrals the principal may see (coordinators: own and team), audited as a list."""
    authorize(principal, "consultation:read")
    if person_id is not None:
        load_person(session, principal, person_id, "person:read")
    if consultation_id is not None:
        load_consultation(session, principal, consultation_id, "consultation:read")
    rows = repo.list_referrals(
        session,
        scope=case_scope(principal),
        person_id=person_id,
        consultation_id=consultation_id,
        statuses=(status,) if status else (),
    )
    audit.record(
        session, principal, "referral.list", "referral", None, {"ids": [r.id for r in rows]}
    )
    return rows


def overdue_referrals(session: Session, principal: Principal, on: date) -> list[Referral]:
    """Referrals still 依頼済 after their reply due date, for the dashboard (audited)."""
    authorize(principal, "consultation:read")
    rows = repo.list_referrals(
        session, scope=case_scope(principal), statuses=("requested",), due_before=on
    )
    audit.record(
        session, principal, "referral.overdue", "referral", None, {"ids": [r.id for r in rows]}
    )
    return rows
