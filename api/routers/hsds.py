"""Open Referral HSDS 3.1 read API under ``/hsds``: every operation of the official OpenAPI.

The paths, parameters and page envelope are the official document's (``GET /``, services,
service_at_locations, organizations, taxonomies and taxonomy terms, each list also as POST);
``resources_catalog.hsds.read`` holds what they mean. Parameters are typed exactly as the
official document types them (plain integers and strings), so every request valid by it gets
an answer; only reading is offered, the catalog API edits.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BeforeValidator

from api.deps import SessionDep, SettingsDep
from api.schemas.common import Responses, error_responses
from resources_catalog.hsds import read

router = APIRouter(prefix="/hsds", tags=["hsds"])

NDJSON = "application/x-ndjson"
PAGE_EXAMPLE: dict[str, Any] = {
    "total_items": 1,
    "total_pages": 1,
    "page_number": 1,
    "size": 1,
    "first_page": True,
    "last_page": True,
    "empty": False,
    "contents": [
        {"id": "…", "name": "貝塚ふれあい農園 平日の農作業ボランティア", "status": "active"}
    ],
}
PAGE_RESPONSE: Responses = {
    200: {
        "description": "One HSDS page (json), or every result one a line (format=ndjson).",
        "content": {
            "application/json": {"example": PAGE_EXAMPLE},
            NDJSON: {"schema": {"type": "string"}},
        },
    }
}
LIST_RESPONSES = error_responses(422, extra=PAGE_RESPONSE)
ONE_RESPONSES = error_responses(404, 422)

Id = Annotated[str, Path(description="The HSDS id (a UUID; a service also by resource_id).")]
Search = Annotated[str | None, Query(description="Full text search.")]
_INTEGER = re.compile(r"-?[0-9]+")


def _whole_number(value: object) -> object:
    """Refuse what lax parsing would turn into an integer (``+0.0``, ``1e3``, ``٣``).

    The official document types page numbers as plain integers; a query value that is not
    written as one is outside it and gets a 422 rather than a page it did not ask for.
    """
    if isinstance(value, str) and not _INTEGER.fullmatch(value):
        raise ValueError("an integer written in digits is expected")
    return value


Page = Annotated[
    int | None,
    BeforeValidator(_whole_number),
    Query(description="Page number (below 1: the first page)."),
]
PerPage = Annotated[
    int | None,
    BeforeValidator(_whole_number),
    Query(description="Results per page (below 1: 50; above page_size_max: page_size_max)."),
]
Format = Annotated[
    Literal["json", "ndjson"] | None,
    Query(description="json (default) or ndjson (every result, one JSON object a line)."),
]
TermId = Annotated[str | None, Query(description="Only records with this taxonomy_term.")]
TaxonomyId = Annotated[str | None, Query(description="Only records with a term of this taxonomy.")]
OrganizationId = Annotated[str | None, Query(description="Only services of this organization.")]
ModifiedAfter = Annotated[
    datetime | None,
    Query(description="RFC 3339 date-time (no zone: UTC): only records modified on or after it."),
]
Minimal = Annotated[bool | None, Query(description="Only id, name, status and last_modified.")]
Full = Annotated[bool | None, Query(description="Fully nested records.")]
FullService = Annotated[bool | None, Query(description="Organizations' services fully nested.")]
Postcode = Annotated[str | None, Query(description="Only services whose address contains it.")]
Proximity = Annotated[str | None, Query(description="Accepted; places are matched by postcode.")]
TopOnly = Annotated[bool | None, Query(description="Only top terms (every term is one here).")]
ParentId = Annotated[str | None, Query(description="Only children of this term (none have one).")]


def _listing(
    fmt: Literal["json", "ndjson"] | None,
    page: int | None,
    per_page: int | None,
    page_size_max: int,
    page_of: Callable[[read.Paging], dict[str, Any]],
) -> Any:
    """One page as JSON, or every result as NDJSON, from the listing's one page function.

    Every list operation answers through here, so its filters and its paging rules (a page
    below 1, a size above ``page_size_max``) cannot differ between operations or formats.
    """
    if fmt == "ndjson":
        return Response(b"".join(read.ndjson_lines(page_of, page_size_max)), media_type=NDJSON)
    return JSONResponse(page_of(read.paging(page, per_page, page_size_max)))


@router.get("/", summary="About this HSDS API")
def hsds_root(request: Request) -> dict[str, str]:
    """HSDS version, profile and where the OpenAPI document is (HSDS ``GET /``)."""
    return read.api_info(str(request.url_for("openapi")))


@router.get("/services", summary="Services, one page (HSDS service_list)", responses=LIST_RESPONSES)
@router.post(
    "/services", summary="Services, one page (HSDS service_list)", responses=LIST_RESPONSES
)
def hsds_services(
    session: SessionDep,
    settings: SettingsDep,
    search: Search = None,
    page: Page = None,
    per_page: PerPage = None,
    format: Format = None,
    taxonomy_term_id: TermId = None,
    taxonomy_id: TaxonomyId = None,
    organization_id: OrganizationId = None,
    modified_after: ModifiedAfter = None,
    minimal: Minimal = None,
    full: Full = None,
) -> Any:
    """A page of services ordered by resource_id, one-to-one fields unless ``full``."""
    query = read.ServiceQuery(
        search, taxonomy_term_id, taxonomy_id, organization_id, modified_after
    )
    return _listing(
        format,
        page,
        per_page,
        settings.page_size_max,
        lambda p: read.services_page(session, query, p, full=bool(full), minimal=bool(minimal)),
    )


@router.get("/services/{id}", summary="One fully nested service", responses=ONE_RESPONSES)
def hsds_service(session: SessionDep, id: Id) -> dict[str, Any]:
    """One fully nested service, by its HSDS id (UUID) or by the catalog's resource_id."""
    return read.service(session, id)


@router.get(
    "/service_at_locations", summary="Service at locations, one page", responses=LIST_RESPONSES
)
@router.post(
    "/service_at_locations", summary="Service at locations, one page", responses=LIST_RESPONSES
)
def hsds_service_at_locations(
    session: SessionDep,
    settings: SettingsDep,
    search: Search = None,
    taxonomy_term_id: TermId = None,
    taxonomy_id: TaxonomyId = None,
    organization_id: OrganizationId = None,
    modified_after: ModifiedAfter = None,
    full: Full = None,
    page: Page = None,
    per_page: PerPage = None,
    format: Format = None,
    postcode: Postcode = None,
    proximity: Proximity = None,
) -> Any:
    """A page of service_at_locations (one per located service), each with its service."""
    del proximity  # places are matched by postcode only (no postcode centroids offline)
    query = read.ServiceQuery(
        search, taxonomy_term_id, taxonomy_id, organization_id, modified_after, postcode
    )
    return _listing(
        format,
        page,
        per_page,
        settings.page_size_max,
        lambda p: read.service_at_locations_page(session, query, p, full=bool(full)),
    )


@router.get(
    "/service_at_locations/{id}",
    summary="One fully nested service_at_location",
    responses=ONE_RESPONSES,
)
def hsds_service_at_location(session: SessionDep, id: Id) -> dict[str, Any]:
    """One service_at_location with its location and its fully nested service."""
    return read.service_at_location(session, id)


@router.get("/organizations", summary="Organizations, one page", responses=LIST_RESPONSES)
@router.post("/organizations", summary="Organizations, one page", responses=LIST_RESPONSES)
def hsds_organizations(
    session: SessionDep,
    settings: SettingsDep,
    search: Search = None,
    full_service: FullService = None,
    full: Full = None,
    taxonomy_term_id: TermId = None,
    taxonomy_id: TaxonomyId = None,
    page: Page = None,
    per_page: PerPage = None,
    format: Format = None,
) -> Any:
    """A page of organizations (受入先), each with its services' ids (or services)."""
    del full  # an organization here has no nested lists beyond its services
    return _listing(
        format,
        page,
        per_page,
        settings.page_size_max,
        lambda p: read.organizations_page(
            session,
            p,
            search=search,
            taxonomy_term_id=taxonomy_term_id,
            taxonomy_id=taxonomy_id,
            full_service=bool(full_service),
        ),
    )


@router.get("/organizations/{id}", summary="One organization", responses=ONE_RESPONSES)
def hsds_organization(
    session: SessionDep, id: Id, full_service: FullService = None
) -> dict[str, Any]:
    """One organization with its services' ids, or its fully nested services."""
    return read.organization(session, id, full_service=bool(full_service))


@router.get("/taxonomies", summary="Taxonomies, one page", responses=LIST_RESPONSES)
@router.post("/taxonomies", summary="Taxonomies, one page", responses=LIST_RESPONSES)
def hsds_taxonomies(
    session: SessionDep,
    settings: SettingsDep,
    search: Search = None,
    page: Page = None,
    per_page: PerPage = None,
    format: Format = None,
) -> Any:
    """A page of taxonomies (the category vocabulary and the matching attributes)."""
    return _listing(
        format,
        page,
        per_page,
        settings.page_size_max,
        lambda p: read.taxonomies_page(session, p, search=search),
    )


@router.get("/taxonomies/{id}", summary="One taxonomy", responses=ONE_RESPONSES)
def hsds_taxonomy(session: SessionDep, id: Id) -> dict[str, Any]:
    """One taxonomy by its id."""
    return read.taxonomy(session, id)


@router.get("/taxonomy_terms", summary="Taxonomy terms, one page", responses=LIST_RESPONSES)
@router.post("/taxonomy_terms", summary="Taxonomy terms, one page", responses=LIST_RESPONSES)
def hsds_taxonomy_terms(
    session: SessionDep,
    settings: SettingsDep,
    search: Search = None,
    page: Page = None,
    per_page: PerPage = None,
    format: Format = None,
    taxonomy_id: TaxonomyId = None,
    top_only: TopOnly = None,
    parent_id: ParentId = None,
) -> Any:
    """A page of taxonomy terms (the 18 activity categories, Japanese names)."""
    return _listing(
        format,
        page,
        per_page,
        settings.page_size_max,
        lambda p: read.taxonomy_terms_page(
            session,
            p,
            search=search,
            taxonomy_id=taxonomy_id,
            top_only=bool(top_only),
            parent_id=parent_id,
        ),
    )


@router.get("/taxonomy_terms/{id}", summary="One taxonomy term", responses=ONE_RESPONSES)
def hsds_taxonomy_term(session: SessionDep, id: Id) -> dict[str, Any]:
    """One taxonomy term by its id."""
    return read.taxonomy_term(session, id)
