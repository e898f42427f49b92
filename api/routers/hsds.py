"""Open Referral HSDS 3.1 read API under ``/hsds`` (the standard's paths and page envelope).

Pages are HSDS style: ``page`` (1-based) and ``per_page``; each answer is
``{"total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty",
"contents"}``. Only reading is offered; the catalog API edits.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from api.deps import NO_NUL, PageNumberPagingDep, SessionDep
from api.schemas.common import Responses, error_responses
from resources_catalog import service as catalog

router = APIRouter(prefix="/hsds", tags=["hsds"])

HSDS_VERSION = "3.1"
SearchQuery = Annotated[
    str | None, Query(max_length=200, pattern=NO_NUL, description="Full text search.")
]
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
        "description": "One HSDS page.",
        "content": {"application/json": {"example": PAGE_EXAMPLE}},
    }
}


@router.get("/", summary="About this HSDS API")
def hsds_root(request: Request) -> dict[str, str]:
    """HSDS version and where the OpenAPI document is (HSDS ``GET /``)."""
    return {
        "version": HSDS_VERSION,
        "profile": "https://docs.openreferral.org/en/latest/hsds/overview.html",
        "openapi_url": str(request.url_for("openapi")),
    }


@router.get(
    "/services",
    summary="Services, one page (HSDS service_list)",
    responses=error_responses(422, extra=PAGE_RESPONSE),
)
def hsds_services(
    session: SessionDep,
    paging: PageNumberPagingDep,
    search: SearchQuery = None,
) -> dict[str, Any]:
    """A page of services (ordered by resource_id)."""
    return catalog.hsds_services_page(session, paging.page, paging.per_page, q=search)


@router.get(
    "/services/{service_id}",
    summary="One fully nested service (HSDS service)",
    responses=error_responses(404),
)
def hsds_service(
    session: SessionDep,
    service_id: Annotated[str, Path(min_length=1, max_length=100, pattern=NO_NUL)],
) -> dict[str, Any]:
    """One fully nested service, by its HSDS id (UUID) or by the catalog's resource_id."""
    return catalog.hsds_service(session, service_id)


@router.get(
    "/organizations",
    summary="Organizations, one page",
    responses=error_responses(422, extra=PAGE_RESPONSE),
)
def hsds_organizations(
    session: SessionDep, paging: PageNumberPagingDep, search: SearchQuery = None
) -> dict[str, Any]:
    """A page of organizations (the receivers' operators), each with its service ids."""
    return catalog.hsds_organizations_page(session, paging.page, paging.per_page, q=search)


@router.get(
    "/taxonomies",
    summary="Taxonomies, one page",
    responses=error_responses(422, extra=PAGE_RESPONSE),
)
def hsds_taxonomies(session: SessionDep, paging: PageNumberPagingDep) -> dict[str, Any]:
    """A page of taxonomies (the category vocabulary used by services)."""
    return catalog.hsds_taxonomies_page(session, paging.page, paging.per_page)


@router.get(
    "/taxonomy_terms",
    summary="Taxonomy terms, one page",
    responses=error_responses(422, extra=PAGE_RESPONSE),
)
def hsds_taxonomy_terms(session: SessionDep, paging: PageNumberPagingDep) -> dict[str, Any]:
    """A page of taxonomy terms (the 18 activity categories, Japanese names)."""
    return catalog.hsds_taxonomy_terms_page(session, paging.page, paging.per_page)
