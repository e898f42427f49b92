"""Consultations (包括的相談支援): anyone's consultation, anonymous allowed, linked later.

Routes parse, call one service function of ``consultation.services`` (which checks own/team
access and writes the audit log) and shape the answer.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from api.deps import CurrentPrincipal, SessionDep, guard
from api.schemas.casework import IdPath
from api.schemas.common import error_responses
from consultation.schemas import (
    ConsultationIn,
    ConsultationOut,
    ConsultationUpdate,
    IntakeFormIn,
    IntakeFormOut,
    JointMeetingIn,
    LinkIn,
    MultiAgencyMeetingIn,
    MultiAgencyMeetingOut,
)
from consultation.services import consultations, intake_form, meetings

router = APIRouter(prefix="/api/v1", tags=["consultations"])

NOT_FOUND = error_responses(401, 403, 404, 422)
CONFLICT = error_responses(401, 403, 404, 409, 422)


@router.post(
    "/consultations",
    status_code=status.HTTP_201_CREATED,
    response_model=ConsultationOut,
    responses=error_responses(401, 403, 404, 422),
    summary="Record a consultation (相談受付; the person may be anonymous)",
    **guard("consultation:write"),
)
def create_consultation(
    body: ConsultationIn, session: SessionDep, who: CurrentPrincipal
) -> ConsultationOut:
    """Channel, from whom, 主訴 and 相談内容 (encrypted), tags, household, outcome."""
    return consultations.consultation_out(consultations.create_consultation(session, who, body))


@router.get(
    "/consultations",
    response_model=list[ConsultationOut],
    responses=NOT_FOUND,
    summary="List consultations (own and team for coordinators)",
    **guard("consultation:read"),
)
def list_consultations(
    session: SessionDep,
    who: CurrentPrincipal,
    person_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    unlinked: bool = False,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[ConsultationOut]:
    """Newest first; ``unlinked=true`` shows those not yet linked to a person."""
    rows = consultations.list_consultations(
        session, who, person_id=person_id, unlinked=unlinked, offset=offset, limit=limit
    )
    return [consultations.consultation_out(r) for r in rows]


@router.get(
    "/consultations/{consultation_id}",
    response_model=ConsultationOut,
    responses=NOT_FOUND,
    summary="Read a consultation",
    **guard("consultation:read"),
)
def get_consultation(
    consultation_id: IdPath, session: SessionDep, who: CurrentPrincipal
) -> ConsultationOut:
    """One consultation with its household members (the read is audited)."""
    row = consultations.get_consultation(session, who, consultation_id)
    return consultations.consultation_out(row)


@router.patch(
    "/consultations/{consultation_id}",
    response_model=ConsultationOut,
    responses=NOT_FOUND,
    summary="Change consultation fields",
    **guard("consultation:write"),
)
def update_consultation(
    consultation_id: IdPath, body: ConsultationUpdate, session: SessionDep, who: CurrentPrincipal
) -> ConsultationOut:
    """Only the fields sent change; ``household`` is replaced whole."""
    row = consultations.update_consultation(session, who, consultation_id, body)
    return consultations.consultation_out(row)


@router.post(
    "/consultations/{consultation_id}/link",
    response_model=ConsultationOut,
    responses=NOT_FOUND,
    summary="Link to an existing person or create the person from the consultation",
    **guard("consultation:write"),
)
def link_consultation(
    consultation_id: IdPath, body: LinkIn, session: SessionDep, who: CurrentPrincipal
) -> ConsultationOut:
    """``{"person_id": 3}`` or ``{"new_person": {...intake...}}``; nothing recorded is lost."""
    row = consultations.link_consultation(session, who, consultation_id, body)
    return consultations.consultation_out(row)


# --- 重層的支援会議 ----------------------------------------------------------------------


@router.post(
    "/people/{person_id}/multi-agency-meetings",
    status_code=status.HTTP_201_CREATED,
    response_model=MultiAgencyMeetingOut,
    responses=CONFLICT,
    summary="Record a 重層的支援会議 discussion (needs multi_agency consent; 409 otherwise)",
    **guard("person:write"),
)
def create_multi_agency_meeting(
    person_id: IdPath, body: MultiAgencyMeetingIn, session: SessionDep, who: CurrentPrincipal
) -> MultiAgencyMeetingOut:
    """Attendees, 役割分担 and decisions (encrypted), the plan decided there."""
    row = meetings.record_multi_agency_meeting(session, who, person_id, body)
    return MultiAgencyMeetingOut.model_validate(row)


@router.get(
    "/people/{person_id}/multi-agency-meetings",
    response_model=list[MultiAgencyMeetingOut],
    responses=NOT_FOUND,
    summary="A person's 重層的支援会議 records",
    **guard("person:read"),
)
def list_multi_agency_meetings(
    person_id: IdPath, session: SessionDep, who: CurrentPrincipal
) -> list[MultiAgencyMeetingOut]:
    """Oldest first (audited)."""
    rows = meetings.list_multi_agency_meetings(session, who, person_id)
    return [MultiAgencyMeetingOut.model_validate(r) for r in rows]


@router.post(
    "/multi-agency-meetings",
    status_code=status.HTTP_201_CREATED,
    response_model=MultiAgencyMeetingOut,
    responses=CONFLICT,
    summary="Record a 重層的支援会議 covering several cases (each needs multi_agency consent)",
    **guard("person:write"),
)
def create_joint_meeting(
    body: JointMeetingIn, session: SessionDep, who: CurrentPrincipal
) -> MultiAgencyMeetingOut:
    """Attendees, 役割分担, decisions, and per case the plan decided and its decisions."""
    row = meetings.record_joint_meeting(session, who, body)
    return MultiAgencyMeetingOut.model_validate(row)


@router.get(
    "/multi-agency-meetings/{meeting_id}",
    response_model=MultiAgencyMeetingOut,
    responses=NOT_FOUND,
    summary="One 重層的支援会議 record (access to every case it covers is needed)",
    **guard("person:read"),
)
def get_joint_meeting(
    meeting_id: IdPath, session: SessionDep, who: CurrentPrincipal
) -> MultiAgencyMeetingOut:
    """Audited once per case covered."""
    return MultiAgencyMeetingOut.model_validate(meetings.get_meeting(session, who, meeting_id))


# --- 相談受付・申込票 (様式第1号) ---------------------------------------------------------


@router.post(
    "/consultations/{consultation_id}/intake-form",
    status_code=status.HTTP_201_CREATED,
    response_model=IntakeFormOut,
    responses=NOT_FOUND,
    summary="Make the 様式第1号 from a consultation (who filled each part, declined items)",
    **guard("consultation:write"),
)
def create_intake_form(
    consultation_id: IdPath, body: IntakeFormIn, session: SessionDep, who: CurrentPrincipal
) -> IntakeFormOut:
    """Registers the person from the consultation when not linked yet (``new_person``)."""
    record = intake_form.create_from_consultation(session, who, consultation_id, body)
    return intake_form.intake_form(session, who, record.person_id)


@router.get(
    "/people/{person_id}/intake-form",
    response_model=IntakeFormOut,
    responses=NOT_FOUND,
    summary="A person's 様式第1号 with who filled each part",
    **guard("person:read"),
)
def get_intake_form(person_id: IdPath, session: SessionDep, who: CurrentPrincipal) -> IntakeFormOut:
    """Declined items show ``declined: true`` and no value."""
    return intake_form.intake_form(session, who, person_id)
