"""The receiver pipeline (受入先開拓) and the support log per receiver."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, UploadFile, status

from api.deps import CurrentPrincipal, ResourceIdPath, SessionDep, guard
from api.schemas.catalog import ResourceOut
from api.schemas.common import error_responses
from development import freshness, prospects
from development.models import Prospect
from development.schemas import (
    AgreedConditions,
    MoveIn,
    ProspectDetailOut,
    ProspectEventOut,
    ProspectImportOut,
    ProspectIn,
    ProspectNoteIn,
    ProspectOut,
    RecheckOut,
    RegisterIn,
    Stage,
    SupportIn,
    SupportOut,
)
from resources_catalog.importers.welfare_open_data import parse_welfare_open_data

router = APIRouter(prefix="/api/v1", tags=["prospects"])

AUTH = error_responses(401, 403, 422)
ONE = error_responses(401, 403, 404, 409, 422)
ProspectId = Annotated[int, Path(ge=1, le=2_147_483_647)]
ReceiverRef = Annotated[
    str, Path(min_length=3, max_length=80, pattern=r"^(org|prospect):[^\x00/]+$")
]


def _out(p: Prospect) -> ProspectOut:
    out = ProspectOut.model_validate(p)
    out.stage_label = prospects.STAGE_LABELS[p.stage]
    return out


@router.post(
    "/prospects",
    status_code=status.HTTP_201_CREATED,
    response_model=ProspectOut,
    responses=AUTH,
    summary="Add a prospective receiver (候補)",
    **guard("prospect:write"),
)
def create(session: SessionDep, who: CurrentPrincipal, body: ProspectIn) -> ProspectOut:
    """From the centre's contacts, public data or an unmet-needs theme."""
    return _out(prospects.create_prospect(session, who, body))


@router.get(
    "/prospects",
    response_model=list[ProspectOut],
    responses=AUTH,
    summary="List prospects",
    **guard("prospect:read"),
)
def list_all(
    session: SessionDep,
    who: CurrentPrincipal,
    stage: Stage | None = None,
    theme: Annotated[str | None, Query(max_length=64, pattern=r"^[^\x00]*$")] = None,
) -> list[ProspectOut]:
    """Newest first; filter by stage or by unmet-needs theme (concept id)."""
    return [_out(p) for p in prospects.list_prospects(session, who, stage=stage, theme=theme)]


@router.get(
    "/prospects/{prospect_id}",
    response_model=ProspectDetailOut,
    responses=ONE,
    summary="A prospect with its history",
    **guard("prospect:read"),
)
def get_one(
    session: SessionDep, who: CurrentPrincipal, prospect_id: ProspectId
) -> ProspectDetailOut:
    """Stages, contacts, notes and conditions, oldest first."""
    p, events = prospects.get_prospect(session, who, prospect_id)
    return ProspectDetailOut(
        **_out(p).model_dump(), events=[ProspectEventOut.model_validate(e) for e in events]
    )


@router.post(
    "/prospects/{prospect_id}/moves",
    response_model=ProspectOut,
    responses=ONE,
    summary="Move to another stage (見送り needs a note)",
    **guard("prospect:write"),
)
def move(
    session: SessionDep, who: CurrentPrincipal, prospect_id: ProspectId, body: MoveIn
) -> ProspectOut:
    """候補 → 接触 → 協議中 → 合意 (steps may be skipped), or 見送り."""
    return _out(prospects.move(session, who, prospect_id, body))


@router.post(
    "/prospects/{prospect_id}/notes",
    response_model=ProspectEventOut,
    status_code=status.HTTP_201_CREATED,
    responses=ONE,
    summary="Log a contact or a note",
    **guard("prospect:write"),
)
def note(
    session: SessionDep, who: CurrentPrincipal, prospect_id: ProspectId, body: ProspectNoteIn
) -> ProspectEventOut:
    """Kept in the prospect's history."""
    return ProspectEventOut.model_validate(prospects.add_note(session, who, prospect_id, body))


@router.put(
    "/prospects/{prospect_id}/conditions",
    response_model=ProspectOut,
    responses=ONE,
    summary="Record the agreed conditions",
    **guard("prospect:write"),
)
def conditions(
    session: SessionDep, who: CurrentPrincipal, prospect_id: ProspectId, body: AgreedConditions
) -> ProspectOut:
    """本来業務に支障のない範囲, what is offered, to whom, when, how many."""
    return _out(prospects.set_conditions(session, who, prospect_id, body))


@router.post(
    "/prospects/{prospect_id}/register",
    response_model=ResourceOut,
    status_code=status.HTTP_201_CREATED,
    responses=ONE,
    summary="合意 → 登録済: create the catalog entry",
    **guard("prospect:write"),
)
def register(
    session: SessionDep, who: CurrentPrincipal, prospect_id: ProspectId, body: RegisterIn
) -> ResourceOut:
    """The new catalog entry, built from the prospect and its agreed conditions."""
    _, stored = prospects.register(session, who, prospect_id, body)
    return ResourceOut.from_stored(stored)


@router.post(
    "/receivers/{receiver_ref}/support",
    response_model=SupportOut,
    status_code=status.HTTP_201_CREATED,
    responses=ONE,
    summary="Log support given to a receiver",
    **guard("prospect:write"),
)
def add_support(
    session: SessionDep, who: CurrentPrincipal, receiver_ref: ReceiverRef, body: SupportIn
) -> SupportOut:
    """receiver_ref is org:<organization id> or prospect:<id>."""
    return SupportOut.model_validate(prospects.add_support(session, who, receiver_ref, body))


@router.get(
    "/receivers/{receiver_ref}/support",
    response_model=list[SupportOut],
    responses=AUTH,
    summary="A receiver's support log",
    **guard("prospect:read"),
)
def support_log(
    session: SessionDep, who: CurrentPrincipal, receiver_ref: ReceiverRef
) -> list[SupportOut]:
    """Oldest first."""
    return [
        SupportOut.model_validate(s) for s in prospects.list_support(session, who, receiver_ref)
    ]


@router.get(
    "/catalog-recheck",
    response_model=list[RecheckOut],
    responses=AUTH,
    summary="Catalog entries due for a re-check (not confirmed for N months)",
    **guard("catalog:read"),
)
def recheck(
    session: SessionDep,
    who: CurrentPrincipal,
    months: Annotated[int, Query(ge=1, le=120)] = freshness.DEFAULT_MONTHS,
) -> list[RecheckOut]:
    """Oldest confirmation first; never confirmed entries come first of all."""
    return [
        RecheckOut.model_validate(i) for i in freshness.recheck_queue(session, who, months=months)
    ]


@router.post(
    "/catalog-recheck/{resource_id}/confirm",
    response_model=ResourceOut,
    responses=ONE,
    summary="Record that an entry was checked today (assured_date)",
    **guard("prospect:write"),
)
def confirm(session: SessionDep, who: CurrentPrincipal, resource_id: ResourceIdPath) -> ResourceOut:
    """Sets HSDS assured_date / assurer on the entry."""
    return ResourceOut.from_stored(freshness.confirm(session, who, resource_id))


@router.post(
    "/prospects/import",
    response_model=ProspectImportOut,
    responses=AUTH,
    summary="Prospects from WAM NET / 介護サービス情報公表 CSV (skips offices already listed)",
    **guard("prospect:write"),
)
def import_open_data(
    session: SessionDep,
    who: CurrentPrincipal,
    file: UploadFile,
    format: Annotated[str, Query(pattern="^(wam|kaigo)$", description="wam or kaigo")],
    municipality: Annotated[str | None, Query(max_length=20, pattern=r"^[^\x00]*$")] = None,
) -> ProspectImportOut:
    """Each office becomes a 候補; rows that cannot be read are listed, nothing else lost."""
    records, errors, total = parse_welfare_open_data(file.file.read(), format, municipality)
    created, skipped = prospects.import_prospects(session, who, records, source=format)
    return ProspectImportOut(
        rows=total,
        created=len(created),
        already_listed=skipped,
        errors=[f"{e.row}行目 {e.column}: {e.message_ja}" for e in errors],
    )
