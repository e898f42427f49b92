"""つなぎ (referrals) to 支援関係機関 with a closed loop and the history of every change."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from api.deps import CurrentPrincipal, SessionDep, guard
from api.schemas.casework import IdPath
from api.schemas.common import error_responses
from consultation.schemas import ReferralIn, ReferralOut, ReferralStatus, ReferralTransitionIn
from consultation.services import referrals

router = APIRouter(prefix="/api/v1", tags=["referrals"])

NOT_FOUND = error_responses(401, 403, 404, 422)
CONFLICT = error_responses(401, 403, 404, 409, 422)


@router.post(
    "/referrals",
    status_code=status.HTTP_201_CREATED,
    response_model=ReferralOut,
    responses=NOT_FOUND,
    summary="Refer to an agency (依頼済, with a reply due date)",
    **guard("consultation:write"),
)
def create_referral(body: ReferralIn, session: SessionDep, who: CurrentPrincipal) -> ReferralOut:
    """From a consultation and/or for a person; the reply is due in 14 days unless set."""
    return referrals.referral_out(referrals.create_referral(session, who, body))


@router.get(
    "/referrals",
    response_model=list[ReferralOut],
    responses=NOT_FOUND,
    summary="List referrals (own and team for coordinators)",
    **guard("consultation:read"),
)
def list_referrals(
    session: SessionDep,
    who: CurrentPrincipal,
    person_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    consultation_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    status_: Annotated[ReferralStatus | None, Query(alias="status")] = None,
) -> list[ReferralOut]:
    """Oldest first, each with its history and the overdue flag."""
    rows = referrals.list_referrals(
        session, who, person_id=person_id, consultation_id=consultation_id, status=status_
    )
    return [referrals.referral_out(r) for r in rows]


@router.get(
    "/referrals/{referral_id}",
    response_model=ReferralOut,
    responses=NOT_FOUND,
    summary="Read a referral with its history",
    **guard("consultation:read"),
)
def get_referral(referral_id: IdPath, session: SessionDep, who: CurrentPrincipal) -> ReferralOut:
    """The read is audited."""
    return referrals.referral_out(referrals.get_referral(session, who, referral_id))


@router.post(
    "/referrals/{referral_id}/transitions",
    response_model=ReferralOut,
    responses=CONFLICT,
    summary="Move a referral: 受理, 対応中, 完了 or 不成立 (with a reason code)",
    **guard("consultation:write"),
)
def transition_referral(
    referral_id: IdPath, body: ReferralTransitionIn, session: SessionDep, who: CurrentPrincipal
) -> ReferralOut:
    """409 for a move the loop does not allow (e.g. 完了 → 受理)."""
    return referrals.referral_out(referrals.transition_referral(session, who, referral_id, body))
