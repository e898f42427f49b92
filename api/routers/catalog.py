"""Catalog JSON API (受入先カタログ), versioned under ``/api/v1/catalog``.

Paging is ``offset`` / ``limit`` (``limit`` at most ``page_size_max``); the list is ordered by
resource_id. Concurrency: every resource carries a version; GET, POST and PUT return it as
a strong ETag (``"3"``). PUT requires ``If-Match`` (428 without it, 412 when stale);
deactivate checks ``If-Match`` only when sent.

Every route is a plain ``def``: database work and file parsing block, so FastAPI runs them
in its thread pool instead of stalling the event loop.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Header, Query, Response, UploadFile, status

from api.deps import (
    NO_NUL,
    ActorDep,
    OffsetPagingDep,
    OptionalIfMatchDep,
    RequiredIfMatchDep,
    ResourceIdPath,
    SessionDep,
    SettingsDep,
    ValidResourceDep,
    guard,
)
from api.errors import etag_for
from api.routers._common import read_upload
from api.schemas.catalog import (
    HistoryOut,
    ImportReportOut,
    ResourceIn,
    ResourceOut,
    ResourcePageOut,
)
from api.schemas.common import Responses, error_responses
from resources_catalog import service as catalog
from resources_catalog.records import Status

router = APIRouter(prefix="/api/v1/catalog", tags=["catalog"])

TextFilter = Annotated[str | None, Query(max_length=200, pattern=NO_NUL)]

EXPORT_MEDIA_TYPES: dict[str, tuple[str, str]] = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "hsds": ("application/json", "json"),
}

EXPORT_RESPONSE: Responses = {
    200: {
        "description": "The whole catalog as a download (Content-Disposition: attachment).",
        "content": {media_type.split(";")[0]: {} for media_type, _ in EXPORT_MEDIA_TYPES.values()},
    }
}


def _resource_url(resource_id: str) -> str:
    return f"{router.prefix}/resources/{quote(resource_id, safe='')}"


@router.get(
    "/resources",
    response_model=ResourcePageOut,
    responses=error_responses(422),
    summary="List resources (受入先一覧)",
)
def list_resources(
    session: SessionDep,
    paging: OffsetPagingDep,
    ward: Annotated[TextFilter, Query(description="Ward, e.g. 若葉区.")] = None,
    category: Annotated[TextFilter, Query(description="Category code, e.g. farm.")] = None,
    status: Annotated[Status | None, Query(description="active, inactive, …")] = None,
    q: Annotated[TextFilter, Query(description="Text in name, organization, description.")] = None,
) -> ResourcePageOut:
    """A filtered page of resources ordered by resource_id."""
    page = catalog.list_resources(
        session,
        ward=ward,
        category=category,
        status=status,
        q=q,
        offset=paging.offset,
        limit=paging.limit,
    )
    return ResourcePageOut.from_page(page)


@router.post(
    "/resources",
    response_model=ResourceOut,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(401, 403, 409, 422),
    summary="Create a resource (受入先の登録)",
    **guard("catalog:write"),
)
def create_resource(
    body: ResourceIn, session: SessionDep, actor: ActorDep, response: Response
) -> ResourceOut:
    """Create a resource; 409 when the resource_id is taken. Returns Location and ETag."""
    stored = catalog.create_resource(session, body.to_record(), actor=actor)
    response.headers["Location"] = _resource_url(stored.record.resource_id)
    response.headers["ETag"] = etag_for(stored.version)
    return ResourceOut.from_stored(stored)


@router.get(
    "/resources/{resource_id}",
    response_model=ResourceOut,
    responses=error_responses(
        404, extra={304: {"description": "Not modified (If-None-Match matched)"}}
    ),
    summary="Get one resource",
)
def get_resource(
    stored: ValidResourceDep,
    response: Response,
    if_none_match: Annotated[str | None, Header(max_length=200)] = None,
) -> ResourceOut | Response:
    """One resource with its ETag; 304 when If-None-Match names the current version."""
    etag = etag_for(stored.version)
    if if_none_match is not None and {etag, "*"} & {
        t.strip().removeprefix("W/") for t in if_none_match.split(",")
    }:
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
    response.headers["ETag"] = etag
    return ResourceOut.from_stored(stored)


@router.put(
    "/resources/{resource_id}",
    response_model=ResourceOut,
    responses=error_responses(404, 412, 422, 428),
    summary="Replace a resource (requires If-Match)",
    **guard("catalog:write"),
)
def update_resource(
    resource_id: ResourceIdPath,
    body: ResourceIn,
    expected_version: RequiredIfMatchDep,
    session: SessionDep,
    actor: ActorDep,
    response: Response,
) -> ResourceOut:
    """Replace the fields sent (others keep their values); the body's resource_id must be the
    URL's. Send the ETag you read as If-Match: 412 if someone edited since, 428 without it."""
    stored = catalog.update_resource(
        session, resource_id, body.to_record(), actor=actor, expected_version=expected_version
    )
    response.headers["ETag"] = etag_for(stored.version)
    return ResourceOut.from_stored(stored)


@router.post(
    "/resources/{resource_id}/deactivate",
    response_model=ResourceOut,
    responses=error_responses(404, 412),
    summary="Deactivate a resource (nothing is deleted)",
    **guard("catalog:write"),
)
def deactivate_resource(
    resource_id: ResourceIdPath,
    expected_version: OptionalIfMatchDep,
    session: SessionDep,
    actor: ActorDep,
    response: Response,
) -> ResourceOut:
    """Set status to inactive; checks If-Match when sent."""
    stored = catalog.deactivate_resource(
        session, resource_id, actor=actor, expected_version=expected_version
    )
    response.headers["ETag"] = etag_for(stored.version)
    return ResourceOut.from_stored(stored)


@router.get(
    "/resources/{resource_id}/history",
    response_model=HistoryOut,
    responses=error_responses(404),
    summary="Edit history of a resource (変更履歴)",
)
def resource_history(stored: ValidResourceDep, session: SessionDep) -> HistoryOut:
    """Every recorded change with old and new values, oldest first."""
    resource_id = stored.record.resource_id
    return HistoryOut.from_entries(resource_id, catalog.resource_history(session, resource_id))


@router.post(
    "/import",
    response_model=ImportReportOut,
    responses=error_responses(413, 415, 422),
    summary="Import a CSV, xlsx or HSDS JSON file (一括取込)",
    **guard("catalog:write"),
)
def import_catalog(
    file: UploadFile,
    session: SessionDep,
    actor: ActorDep,
    settings: SettingsDep,
    dry_run: Annotated[bool, Query(description="Validate and report; change nothing.")] = False,
    valid_only: Annotated[
        bool, Query(description="Import the valid rows even when some rows are invalid.")
    ] = False,
    deactivate_missing: Annotated[
        bool, Query(description="Deactivate resources that the file does not list.")
    ] = False,
) -> ImportReportOut:
    """Upsert by resource_id. With an invalid row (and not valid_only) nothing changes: 422
    carries the row-numbered report (row 1 is the header)."""
    data = read_upload(file, settings.upload_max_bytes)
    report = catalog.import_file(
        session,
        data,
        file.filename or "upload",
        actor=actor,
        dry_run=dry_run,
        valid_only=valid_only,
        deactivate_missing=deactivate_missing,
    )
    return ImportReportOut.from_report(report)


@router.get(
    "/export",
    response_class=Response,
    responses=error_responses(422, extra=EXPORT_RESPONSE),
    summary="Export the catalog (CSV for Excel, xlsx, or HSDS 3.1 JSON)",
)
def export_catalog(
    session: SessionDep,
    fmt: Annotated[Literal["csv", "xlsx", "hsds"], Query(alias="format")] = "csv",
) -> Response:
    """Download every resource; the CSV is UTF-8 with BOM so Excel opens it correctly."""
    media_type, ext = EXPORT_MEDIA_TYPES[fmt]
    content = catalog.export_catalog(session, fmt)
    filename = f"tsunagu_catalog_{date.today():%Y%m%d}.{ext}"
    return Response(
        content=content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
