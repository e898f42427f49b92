"""The audit log for auditors: rows with filters and the hash-chain check (these reads
write their own audit rows).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import CurrentPrincipal, SessionDep, guard
from api.schemas.common import error_responses
from casework.schemas import AuditRowOut, ChainReportOut
from casework.services import audit

router = APIRouter(prefix="/api/v1")

AUTH = error_responses(401, 403, 422)
NoNulText = Annotated[str | None, Query(min_length=1, max_length=64, pattern=r"^[^\x00]*$")]


@router.get(
    "/audit",
    response_model=list[AuditRowOut],
    responses=AUTH,
    summary="Read the audit log (auditors)",
    tags=["audit"],
    **guard("audit:read"),
)
def read_audit_log(
    session: SessionDep,
    who: CurrentPrincipal,
    entity_type: Annotated[NoNulText, Query(description="e.g. person")] = None,
    entity_id: Annotated[NoNulText, Query(description="e.g. 12")] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> list[AuditRowOut]:
    """Newest first; rows carry ids and codes, never personal data."""
    rows = audit.read_audit_log(
        session, who, entity_type=entity_type, entity_id=entity_id, limit=limit
    )
    return [AuditRowOut.model_validate(r) for r in rows]


@router.post(
    "/audit/verify",
    response_model=ChainReportOut,
    responses=AUTH,
    summary="Verify the audit log's hash chain",
    tags=["audit"],
    **guard("audit:read"),
)
def verify_audit_chain(session: SessionDep, who: CurrentPrincipal) -> ChainReportOut:
    """Recomputes every hash; ``ok`` false names the first row that does not match."""
    return ChainReportOut.model_validate(audit.verify_audit_chain(session, who))
