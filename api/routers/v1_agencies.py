"""支援関係機関 directory: list, read, upsert, CSV / xlsx import and export, which fit."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response, UploadFile
from pydantic import BaseModel, ConfigDict, Field

from api.deps import CurrentPrincipal, SessionDep, SettingsDep, guard
from api.errors import ApiError
from api.routers._common import read_upload
from api.schemas.casework import IdPath
from api.schemas.common import error_responses
from consultation.schemas import AgencyFitOut, AgencyIn, AgencyOut
from consultation.services import agencies

router = APIRouter(prefix="/api/v1", tags=["agencies"])

NOT_FOUND = error_responses(401, 403, 404, 422)
MEDIA = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


class AgencyImportOut(BaseModel):
    """Codes created, updated and unchanged."""

    created: list[str]
    updated: list[str]
    unchanged: list[str]


class FitIn(BaseModel):
    """Facts about a person (sent in the body so an address never lands in a URL)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    address: str | None = Field(default=None, max_length=300)
    ward: str | None = Field(default=None, max_length=10)
    town: str | None = Field(default=None, max_length=50)
    age: int | None = Field(default=None, ge=0, le=130)
    tags: list[str] = Field(default_factory=list, max_length=30)


@router.get(
    "/agencies",
    response_model=list[AgencyOut],
    responses=error_responses(401, 403, 422),
    summary="The 支援関係機関 directory",
    **guard("agency:read"),
)
def list_agencies(
    session: SessionDep,
    who: CurrentPrincipal,
    kind: Annotated[str | None, Query(max_length=32)] = None,
    ward: Annotated[str | None, Query(max_length=10)] = None,
) -> list[AgencyOut]:
    """Ordered by code; filter by kind or by a ward an agency covers."""
    rows = agencies.list_agencies(session, who, kind=kind, ward=ward)
    return [agencies.agency_out(a) for a in rows]


@router.put(
    "/agencies",
    response_model=AgencyOut,
    responses=error_responses(401, 403, 422),
    summary="Create or replace the agency of a code",
    **guard("agency:write"),
)
def upsert_agency(body: AgencyIn, session: SessionDep, who: CurrentPrincipal) -> AgencyOut:
    """Upsert by ``code``."""
    agency, _ = agencies.upsert_agency(session, who, body)
    return agencies.agency_out(agency)


@router.get(
    "/agencies/export",
    response_class=Response,
    responses=error_responses(401, 403, 422),
    summary="Export the directory as CSV or xlsx",
    **guard("agency:read"),
)
def export_agencies(
    session: SessionDep,
    who: CurrentPrincipal,
    fmt: Annotated[Literal["csv", "xlsx"], Query(alias="format")] = "csv",
) -> Response:
    """The exchange format the import reads (``;`` joins ward and town lists)."""
    media_type, ext = MEDIA[fmt]
    return Response(
        content=agencies.export_agencies(session, who, fmt=fmt),
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="agencies.{ext}"'},
    )


@router.post(
    "/agencies/import",
    response_model=AgencyImportOut,
    responses=error_responses(401, 403, 413, 422),
    summary="Import a CSV or xlsx directory (all or nothing)",
    **guard("agency:write"),
)
def import_agencies(
    file: UploadFile, session: SessionDep, who: CurrentPrincipal, settings: SettingsDep
) -> AgencyImportOut:
    """A bad row refuses the file: 422 with row, column and reason (日本語 / English)."""
    data = read_upload(file, settings.upload_max_bytes)
    try:
        report = agencies.import_agencies(session, who, data)
    except agencies.AgencyImportRejected as exc:
        raise ApiError(
            422,
            "import_rejected",
            {
                "message": (
                    f"{len(exc.errors)} 件の誤りがあるため取り込みませんでした(変更なし) / "
                    f"Import rejected: {len(exc.errors)} error(s), nothing was changed."
                ),
                "errors": [
                    {
                        "row": e.row,
                        "column": e.column,
                        "message_ja": e.message_ja,
                        "message_en": e.message_en,
                    }
                    for e in exc.errors
                ],
            },
        ) from exc
    return AgencyImportOut(
        created=report.created, updated=report.updated, unchanged=report.unchanged
    )


@router.post(
    "/agencies/fit",
    response_model=list[AgencyFitOut],
    responses=error_responses(401, 403, 422),
    summary="Which agencies fit a person's address, age and tags, with the reason",
    **guard("agency:read"),
)
def fitting_agencies(body: FitIn, session: SessionDep, who: CurrentPrincipal) -> list[AgencyFitOut]:
    """E.g. the あんしんケアセンター covering the town for 65+, the ward's 基幹相談支援センター."""
    fits = agencies.fitting_agencies(
        session, who, ward=body.ward, town=body.town, address=body.address, age=body.age,
        tag_codes=body.tags,
    )  # fmt: skip
    return [AgencyFitOut(agency=agencies.agency_out(f.agency), reason=f.reason) for f in fits]


@router.get(
    "/agencies/{agency_id}",
    response_model=AgencyOut,
    responses=NOT_FOUND,
    summary="Read an agency",
    **guard("agency:read"),
)
def get_agency(agency_id: IdPath, session: SessionDep, who: CurrentPrincipal) -> AgencyOut:
    """One agency."""
    return agencies.agency_out(agencies.get_agency(session, who, agency_id))
