"""Cooperation fees (協力費): entries per placement, approval, payment, budgets and reports.

draft → approved → paid, or rejected with a reason. Approved amounts never change; a
correction is a reversing entry. Creating an entry needs an ``Idempotency-Key`` header: a
retry with the same key returns the first entry (200 instead of 201), never a duplicate.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response, status

from api.deps import CurrentPrincipal, IdempotencyKeyDep, SessionDep, guard
from api.schemas.casework import BudgetIn, FeeCreate, FeePatch, IdPath, PayIn, ReasonIn
from api.schemas.common import Responses, error_responses
from casework.schemas import BudgetStatusOut, FeeIn, FeeOut, FeeTotalOut
from casework.services import fees

router = APIRouter(prefix="/api/v1", tags=["fees"])

CONFLICT = error_responses(401, 403, 404, 409, 422)
FiscalYearQuery = Annotated[int | None, Query(ge=2000, le=2100, description="年度")]
FiscalYearPath = Annotated[int, Path(ge=2000, le=2100, description="年度", examples=[2026])]

CREATED_OR_REPLAYED: Responses = {
    200: {"model": FeeOut, "description": "A retry: the entry made the first time."},
    **CONFLICT,
}
EXPORT_MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@router.post(
    "/placements/{placement_id}/fees",
    status_code=status.HTTP_201_CREATED,
    response_model=FeeOut,
    responses=CREATED_OR_REPLAYED,
    summary="Create a fee entry (Idempotency-Key required)",
    **guard("fee:write"),
)
def create_fee(
    placement_id: IdPath,
    body: FeeCreate,
    key: IdempotencyKeyDep,
    session: SessionDep,
    who: CurrentPrincipal,
    response: Response,
) -> FeeOut:
    """201 with the new entry; 200 with the same entry when the key was used before for the
    same request; 409 ``idempotency_conflict`` when it was used for a different one. 422
    ``invalid_date`` (``detail.field`` = ``activity_dates``) when an activity date is in the
    future (Japan time), before the placement's first day at the receiver or after its end."""
    data = FeeIn.model_validate(body.model_dump() | {"idempotency_key": key})
    fee, created = fees.create_fee(session, who, placement_id, data)
    if not created:
        response.status_code = status.HTTP_200_OK
    return FeeOut.model_validate(fee)


@router.get(
    "/fees",
    response_model=list[FeeOut],
    responses=error_responses(401, 403, 422),
    summary="Fee entries",
    **guard("fee:read"),
)
def list_fees(
    session: SessionDep, who: CurrentPrincipal, fiscal_year: FiscalYearQuery = None
) -> list[FeeOut]:
    """Every entry (of one fiscal year), oldest first."""
    return [FeeOut.model_validate(f) for f in fees.list_fees(session, who, fiscal_year=fiscal_year)]


@router.patch(
    "/fees/{fee_id}",
    response_model=FeeOut,
    responses=CONFLICT,
    summary="Correct a draft fee entry",
    **guard("fee:write"),
)
def update_fee(
    fee_id: IdPath, body: FeePatch, session: SessionDep, who: CurrentPrincipal
) -> FeeOut:
    """409 ``fee_locked`` once approved: reverse it instead."""
    fee = fees.update_draft_fee(
        session,
        who,
        fee_id,
        activity_dates=body.activity_dates,
        unit_amount_yen=body.unit_amount_yen,
        note=body.note,
    )
    return FeeOut.model_validate(fee)


@router.post(
    "/fees/{fee_id}/approve",
    response_model=FeeOut,
    responses=CONFLICT,
    summary="Approve a fee entry",
    **guard("fee:approve"),
)
def approve_fee(fee_id: IdPath, session: SessionDep, who: CurrentPrincipal) -> FeeOut:
    """draft → approved; 409 ``budget_exceeded`` when it would go over the year's budget."""
    return FeeOut.model_validate(fees.approve_fee(session, who, fee_id))


@router.post(
    "/fees/{fee_id}/reject",
    response_model=FeeOut,
    responses=CONFLICT,
    summary="Reject a fee entry",
    **guard("fee:approve"),
)
def reject_fee(
    fee_id: IdPath, body: ReasonIn, session: SessionDep, who: CurrentPrincipal
) -> FeeOut:
    """draft → rejected, with the reason."""
    return FeeOut.model_validate(fees.reject_fee(session, who, fee_id, reason=body.reason))


@router.post(
    "/fees/{fee_id}/pay",
    response_model=FeeOut,
    responses=CONFLICT,
    summary="Mark a fee entry paid",
    **guard("fee:pay"),
)
def pay_fee(fee_id: IdPath, body: PayIn, session: SessionDep, who: CurrentPrincipal) -> FeeOut:
    """approved → paid, with the payment date."""
    return FeeOut.model_validate(fees.mark_fee_paid(session, who, fee_id, paid_on=body.paid_on))


@router.post(
    "/fees/{fee_id}/reverse",
    status_code=status.HTTP_201_CREATED,
    response_model=FeeOut,
    responses=CREATED_OR_REPLAYED,
    summary="Reverse an approved or paid entry (Idempotency-Key required)",
    **guard("fee:write"),
)
def reverse_fee(
    fee_id: IdPath,
    body: ReasonIn,
    key: IdempotencyKeyDep,
    session: SessionDep,
    who: CurrentPrincipal,
    response: Response,
) -> FeeOut:
    """A negative draft entry mirroring the original (approve it like any other)."""
    fee, created = fees.reverse_fee(session, who, fee_id, idempotency_key=key, reason=body.reason)
    if not created:
        response.status_code = status.HTTP_200_OK
    return FeeOut.model_validate(fee)


@router.put(
    "/budgets/{fiscal_year}",
    response_model=BudgetStatusOut,
    responses=error_responses(401, 403, 422),
    summary="Set the cooperation-fee budget of a fiscal year",
    **guard("fee:budget"),
)
def set_budget(
    fiscal_year: FiscalYearPath, body: BudgetIn, session: SessionDep, who: CurrentPrincipal
) -> BudgetStatusOut:
    """Returns the year's budget status after the change."""
    fees.set_budget(session, who, fiscal_year, budget_yen=body.budget_yen)
    return BudgetStatusOut.model_validate(fees.budget_status(session, who, fiscal_year))


@router.get(
    "/budgets/{fiscal_year}",
    response_model=BudgetStatusOut,
    responses=error_responses(401, 403, 422),
    summary="Budget, committed, paid and remaining for a fiscal year",
    **guard("fee:read"),
)
def budget_status(
    fiscal_year: FiscalYearPath, session: SessionDep, who: CurrentPrincipal
) -> BudgetStatusOut:
    """Committed = approved + paid; remaining = budget − committed."""
    return BudgetStatusOut.model_validate(fees.budget_status(session, who, fiscal_year))


@router.get(
    "/reports/fees",
    response_model=list[FeeOut],
    responses=error_responses(
        401,
        403,
        422,
        extra={
            200: {
                "description": "JSON entries, or a CSV / xlsx download for the city's accounting.",
                "content": {
                    "application/json": {},
                    **{m.split(";")[0]: {} for m in EXPORT_MEDIA_TYPES.values()},
                },
            }
        },
    ),
    summary="Fee entries of a fiscal year as JSON, CSV or xlsx",
    **guard("fee:read"),
)
def fee_report(
    session: SessionDep,
    who: CurrentPrincipal,
    fiscal_year: FiscalYearQuery = None,
    fmt: Annotated[Literal["json", "csv", "xlsx"], Query(alias="format")] = "json",
) -> list[FeeOut] | Response:
    """JSON for programs; CSV (UTF-8 with BOM, for Excel) and xlsx need ``fee:export``."""
    if fmt == "json":
        return [
            FeeOut.model_validate(f) for f in fees.list_fees(session, who, fiscal_year=fiscal_year)
        ]
    content = fees.export_fees(session, who, fmt=fmt, fiscal_year=fiscal_year)
    year = fiscal_year if fiscal_year is not None else "all"
    filename = f"tsunagu_fees_{year}_{date.today():%Y%m%d}.{fmt}"
    return Response(
        content=content,
        media_type=EXPORT_MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get(
    "/reports/fee-totals",
    response_model=list[FeeTotalOut],
    responses=error_responses(401, 403, 422),
    summary="Fee totals per receiver, person, resource or fiscal year",
    **guard("fee:read"),
)
def fee_totals(
    session: SessionDep,
    who: CurrentPrincipal,
    group_by: Annotated[
        Literal["receiver", "person", "resource", "fiscal_year"], Query()
    ] = "receiver",
    fiscal_year: FiscalYearQuery = None,
) -> list[FeeTotalOut]:
    """Draft, approved, paid, rejected and committed sums in yen."""
    totals = fees.fee_totals(session, who, group_by=group_by, fiscal_year=fiscal_year)
    return [
        FeeTotalOut(
            key=t.key,
            draft_yen=t.draft_yen,
            approved_yen=t.approved_yen,
            paid_yen=t.paid_yen,
            rejected_yen=t.rejected_yen,
            committed_yen=t.committed_yen,
        )
        for t in totals
    ]
