"""The receiver's own side (受入先) and what coordinators see of its answers.

Receiver accounts (role ``receiver``) see only their own organisation's referrals; any other
placement id answers 404 whether it exists or not.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, status

from api.deps import CurrentPrincipal, ResourceIdPath, SessionDep, guard
from api.schemas.catalog import ResourceOut
from api.schemas.common import error_responses
from development import receiver
from development.schemas import (
    AttendanceIn,
    AttendanceOut,
    ListingUpdateIn,
    ReceiverLinkIn,
    ReceiverLinkOut,
    ReceiverStatsOut,
    ReferralAnswerIn,
    ReferralOut,
    ReferralResponseOut,
)

router = APIRouter(prefix="/api/v1", tags=["receiver"])

AUTH = error_responses(401, 403, 422)
ONE = error_responses(401, 403, 404, 409, 422)
PlacementId = Annotated[int, Path(ge=1, le=2_147_483_647)]


@router.get(
    "/receiver/referrals",
    response_model=list[ReferralOut],
    responses=AUTH,
    summary="Referrals to my organisation",
    **guard("receiver:self"),
)
def my_referrals(session: SessionDep, who: CurrentPrincipal) -> list[ReferralOut]:
    """Proposals and current placements, each with the consented summary only."""
    return [ReferralOut.model_validate(r) for r in receiver.list_referrals(session, who)]


@router.get(
    "/receiver/referrals/{placement_id}",
    response_model=ReferralOut,
    responses=ONE,
    summary="One referral to my organisation",
    **guard("receiver:self"),
)
def my_referral(
    session: SessionDep, who: CurrentPrincipal, placement_id: PlacementId
) -> ReferralOut:
    """404 for a referral to another organisation."""
    return ReferralOut.model_validate(receiver.get_referral(session, who, placement_id))


@router.post(
    "/receiver/referrals/{placement_id}/answer",
    response_model=ReferralOut,
    responses=ONE,
    summary="Accept or decline a referral",
    **guard("receiver:self"),
)
def answer(
    session: SessionDep, who: CurrentPrincipal, placement_id: PlacementId, body: ReferralAnswerIn
) -> ReferralOut:
    """Once per referral; a decline (with its reason) closes the proposal."""
    return ReferralOut.model_validate(receiver.answer(session, who, placement_id, body))


@router.post(
    "/receiver/referrals/{placement_id}/attendance",
    response_model=AttendanceOut,
    responses=ONE,
    summary="Confirm attendance dates",
    **guard("receiver:self"),
)
def attendance(
    session: SessionDep, who: CurrentPrincipal, placement_id: PlacementId, body: AttendanceIn
) -> AttendanceOut:
    """Dates the person attended (they feed the 協力費 per session)."""
    dates = receiver.confirm_attendance(session, who, placement_id, body)
    return AttendanceOut(placement_id=placement_id, dates=dates)


@router.patch(
    "/receiver/resources/{resource_id}",
    response_model=ResourceOut,
    responses=ONE,
    summary="Update my free places, days and hours",
    **guard("receiver:self"),
)
def update_listing(
    session: SessionDep, who: CurrentPrincipal, resource_id: ResourceIdPath, body: ListingUpdateIn
) -> ResourceOut:
    """Counts as confirmation of the listing (assured_date)."""
    return ResourceOut.from_stored(receiver.update_listing(session, who, resource_id, body))


@router.post(
    "/receiver-accounts",
    response_model=ReceiverLinkOut,
    status_code=status.HTTP_201_CREATED,
    responses=ONE,
    summary="Tie a receiver account to its organisation",
    **guard("user:admin"),
)
def link(session: SessionDep, who: CurrentPrincipal, body: ReceiverLinkIn) -> ReceiverLinkOut:
    """Administrators only."""
    account = receiver.link_account(session, who, body.principal_ref, body.organization_id)
    return ReceiverLinkOut.model_validate(account)


@router.get(
    "/reports/receivers",
    response_model=list[ReceiverStatsOut],
    responses=AUTH,
    summary="Response time and acceptance rate per receiver",
    **guard("report:read"),
)
def stats(session: SessionDep, who: CurrentPrincipal) -> list[ReceiverStatsOut]:
    """Answered referrals, accepted share and median hours from referral to answer."""
    return [ReceiverStatsOut.model_validate(s) for s in receiver.receiver_stats(session, who)]


@router.get(
    "/placements/{placement_id}/receiver-answer",
    response_model=ReferralResponseOut,
    responses=ONE,
    summary="The receiver's answer to a referral",
    **guard("person:read"),
)
def receiver_answer(
    session: SessionDep, who: CurrentPrincipal, placement_id: PlacementId
) -> ReferralResponseOut:
    """For the coordinator of the case; 404 while unanswered."""
    return ReferralResponseOut.model_validate(receiver.response_of(session, who, placement_id))


@router.get(
    "/placements/{placement_id}/attendance",
    response_model=AttendanceOut,
    responses=ONE,
    summary="Attendance dates confirmed by the receiver (for the 協力費)",
    **guard("person:read"),
)
def confirmed_attendance(
    session: SessionDep, who: CurrentPrincipal, placement_id: PlacementId
) -> AttendanceOut:
    """Dates in order; use them as the fee entry's activity dates."""
    dates = receiver.attendance_of(session, who, placement_id)
    return AttendanceOut(placement_id=placement_id, dates=dates)
