"""The Open Referral HSDS 3.1 read API: every operation of the official OpenAPI document.

Why the parameters are lenient: the official document types ``page`` and ``per_page`` as
plain integers and every other filter as a plain string, so a case system following it may
send ``page=0``, ``per_page=0``, a negative number or any text. Such a request is valid by the
contract and gets a page: ``page`` below 1 is the first page, ``per_page`` below 1 is the
default and above the limit is the limit, and a filter value that names nothing (or holds a
NUL, which no stored text contains) matches nothing. Only a ``modified_after`` that is no
date-time and a ``format`` other than ``json``/``ndjson`` are refused (422, by the router's
types), because answering them with a page would silently drop the caller's filter.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy.orm import Session

from resources_catalog import repository
from resources_catalog.errors import ResourceNotFound
from resources_catalog.hsds import ids as hsds_ids
from resources_catalog.hsds.export import to_hsds
from resources_catalog.hsds.fields import ATTRIBUTE_TAXONOMY
from resources_catalog.records import ResourceRecord
from resources_catalog.repository import HsdsServiceFilter
from resources_catalog.taxonomy import TAXONOMY_ID, TAXONOMY_NAME

HSDS_VERSION = "3.1"
PROFILE_URL = "https://docs.openreferral.org/en/latest/hsds/overview.html"
DEFAULT_PER_PAGE = 50
MAX_PAGE = 1_000_000_000  # far below any integer limit of OFFSET on either database
ATTRIBUTE_TAXONOMY_ID = hsds_ids.flag_term_id("taxonomy")
# The one-to-one fields of a service (HSDS service_list): no nested lists.
SERVICE_LIST_DROP = (
    "phones",
    "schedules",
    "service_areas",
    "service_at_locations",
    "languages",
    "funding",
    "cost_options",
    "required_documents",
    "contacts",
    "capacities",
    "attributes",
    "metadata",
    "additional_urls",
)


@dataclass(frozen=True)
class Paging:
    """The effective page after the lenient reading of ``page`` / ``per_page``."""

    page: int
    per_page: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def paging(page: int | None, per_page: int | None, limit: int) -> Paging:
    """``page`` below 1 is the first page; ``per_page`` below 1 the default, above it the limit."""
    p = min(max(page or 1, 1), MAX_PAGE)
    n = per_page if per_page is not None and per_page >= 1 else DEFAULT_PER_PAGE
    return Paging(page=p, per_page=min(n, limit))


def utc(when: datetime | None) -> datetime | None:
    """A zone-less instant is read as UTC (stored instants are UTC)."""
    if when is None or when.tzinfo is not None:
        return when
    return when.replace(tzinfo=UTC)


def _impossible(*values: str | None) -> bool:
    """Stored text never holds NUL (PostgreSQL refuses it): such a value matches nothing."""
    return any(v is not None and "\x00" in v for v in values)


def _page(contents: list[dict[str, Any]], total: int, paging: Paging) -> dict[str, Any]:
    """The HSDS 3.1 OpenAPI ``Page`` envelope around ``contents``."""
    total_pages = math.ceil(total / paging.per_page) if total else 0
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": paging.page,
        "size": len(contents),
        "first_page": paging.page == 1,
        "last_page": paging.page >= total_pages,
        "empty": not contents,
        "contents": contents,
    }


def api_info(openapi_url: str) -> dict[str, str]:
    """HSDS ``GET /``: the HSDS version, its profile and where the OpenAPI document is."""
    return {"version": HSDS_VERSION, "profile": PROFILE_URL, "openapi_url": openapi_url}


# ------------------------------------------------------------------------------ services


@dataclass(frozen=True)
class ServiceQuery:
    """The service filters of ``/services`` and ``/service_at_locations``, as sent."""

    search: str | None = None
    taxonomy_term_id: str | None = None
    taxonomy_id: str | None = None
    organization_id: str | None = None
    modified_after: datetime | None = None
    postcode: str | None = None


def _service_filter(query: ServiceQuery) -> HsdsServiceFilter | None:
    """The repository filter, or None when the query can match nothing."""
    if _impossible(
        query.search,
        query.taxonomy_term_id,
        query.taxonomy_id,
        query.organization_id,
        query.postcode,
    ):
        return None
    taxonomy: str | None = None
    if query.taxonomy_id is not None:
        if query.taxonomy_id == TAXONOMY_ID:
            taxonomy = TAXONOMY_NAME
        elif query.taxonomy_id != ATTRIBUTE_TAXONOMY_ID:  # every service has attributes
            return None
    return HsdsServiceFilter(
        search=query.search,
        taxonomy_term_id=query.taxonomy_term_id,
        taxonomy_id=taxonomy,
        organization_id=query.organization_id,
        modified_after=utc(query.modified_after),
        address_contains=query.postcode.strip() or None if query.postcode else None,
    )


def _services(session: Session, service_ids: list[str]) -> list[dict[str, Any]]:
    rows = repository.load_by_service_ids(session, service_ids)
    return [to_hsds(ResourceRecord.model_validate(r.data), updated_at=r.updated_at) for r in rows]


def service_list_item(service: dict[str, Any], *, full: bool, minimal: bool) -> dict[str, Any]:
    """One service as ``/services`` lists it: minimal, one-to-one fields, or fully nested."""
    if minimal:
        return {"id": service["id"], "name": service["name"], "status": service["status"],
                "last_modified": service.get("last_modified")}  # fmt: skip
    if full:
        return service
    return {k: v for k, v in service.items() if k not in SERVICE_LIST_DROP}


def services_page(
    session: Session,
    query: ServiceQuery,
    paging: Paging,
    *,
    full: bool = False,
    minimal: bool = False,
) -> dict[str, Any]:
    """One page of services (ordered by resource_id) matching ``query``."""
    wanted = _service_filter(query)
    if wanted is None:
        return _page([], 0, paging)
    ids, total = repository.hsds_page_service_ids(
        session, wanted, offset=paging.offset, limit=paging.per_page
    )
    contents = [service_list_item(s, full=full, minimal=minimal) for s in _services(session, ids)]
    return _page(contents, total, paging)


def service(session: Session, service_id: str) -> dict[str, Any]:
    """One fully nested service by its HSDS id or resource_id; raises ResourceNotFound."""
    sid = None if _impossible(service_id) else repository.service_id_for(session, service_id)
    if sid is None:
        raise ResourceNotFound(service_id)
    return _services(session, [sid])[0]


# ------------------------------------------------------------------ service_at_locations


def _service_at_location(service: dict[str, Any], *, full: bool) -> dict[str, Any] | None:
    """The service's one service_at_location, with its service (one-to-one or nested)."""
    sals = service.get("service_at_locations") or []
    if not sals:
        return None
    sal = dict(sals[0])
    sal["service"] = service_list_item(service, full=full, minimal=False)
    return sal


def service_at_locations_page(
    session: Session, query: ServiceQuery, paging: Paging, *, full: bool = False
) -> dict[str, Any]:
    """One page of service_at_locations (one per located service, by resource_id)."""
    wanted = _service_filter(query)
    if wanted is None:
        return _page([], 0, paging)
    ids, total = repository.hsds_page_service_ids(
        session, replace(wanted, located_only=True), offset=paging.offset, limit=paging.per_page
    )
    contents = [
        sal
        for s in _services(session, ids)
        if (sal := _service_at_location(s, full=full)) is not None
    ]
    return _page(contents, total, paging)


def _sal_id(service_id: str, extra: dict[str, Any]) -> str:
    kept = extra.get("service_at_location")
    value = kept.get("id") if isinstance(kept, dict) else None
    if isinstance(value, str) and hsds_ids.as_uuid(value):
        return value
    return hsds_ids.child_id(service_id, "service_at_location")


def service_at_location(session: Session, sal_id: str) -> dict[str, Any]:
    """One fully nested service_at_location by its id; raises ResourceNotFound."""
    if not _impossible(sal_id):
        for sid, _, extra in repository.located_service_keys(session):
            if _sal_id(sid, extra) == sal_id:
                found = _service_at_location(_services(session, [sid])[0], full=True)
                if found is not None:
                    return found
    raise ResourceNotFound(sal_id)


# ---------------------------------------------------------------------- organizations


def _organization(
    session: Session, org: Any, services: list[str], *, full_service: bool, listed: bool = False
) -> dict[str, Any]:
    """An organization with its services: nested, or as short as its schema allows.

    A listed organization (organization_list, which defines no ``services``) names its
    services by id only; one read by id carries each service's required id, name and status.
    """
    if full_service:
        nested = _services(session, services)
    elif listed:
        nested = [{"id": s} for s in services]
    else:
        nested = [
            {"id": s["id"], "name": s["name"], "status": s["status"]}
            for s in _services(session, services)
        ]
    return {
        "id": org.id,
        "name": org.name,
        "description": org.description or "",
        "services": nested,
    }


def organizations_page(
    session: Session,
    paging: Paging,
    *,
    search: str | None = None,
    taxonomy_term_id: str | None = None,
    taxonomy_id: str | None = None,
    full_service: bool = False,
) -> dict[str, Any]:
    """One page of organizations (受入先, by name), each with its services' ids or services."""
    if _impossible(search, taxonomy_term_id, taxonomy_id):
        return _page([], 0, paging)
    taxonomy: str | None = None
    if taxonomy_id is not None:
        if taxonomy_id == TAXONOMY_ID:
            taxonomy = TAXONOMY_NAME
        elif taxonomy_id != ATTRIBUTE_TAXONOMY_ID:
            return _page([], 0, paging)
    organizations, total = repository.hsds_page_organizations(
        session,
        search=search,
        taxonomy_term_id=taxonomy_term_id,
        taxonomy_id=taxonomy,
        offset=paging.offset,
        limit=paging.per_page,
    )
    services = repository.services_of_organizations(session, [o.id for o in organizations])
    contents = [
        _organization(session, o, services.get(o.id, []), full_service=full_service, listed=True)
        for o in organizations
    ]
    return _page(contents, total, paging)


def organization(session: Session, org_id: str, *, full_service: bool = False) -> dict[str, Any]:
    """One organization with its services (ids, or fully nested); raises ResourceNotFound."""
    org = None if _impossible(org_id) else repository.organization_by_id(session, org_id)
    if org is None:
        raise ResourceNotFound(org_id)
    services = repository.services_of_organizations(session, [org.id]).get(org.id, [])
    return _organization(session, org, services, full_service=full_service)


# ---------------------------------------------------------------------- taxonomies


def _taxonomies() -> list[dict[str, Any]]:
    return [
        {
            "id": TAXONOMY_ID,
            "name": TAXONOMY_NAME,
            "version": "1",
            "description": "つなぐ 活動分類（18分類）: farm, cooking, kids, ...",
        },
        {
            "id": ATTRIBUTE_TAXONOMY_ID,
            "name": ATTRIBUTE_TAXONOMY,
            "version": "1",
            "description": "つなぐ 属性（資源ID・受給者証要否・静かな環境・協力費など）",
        },
    ]


def _matches(item: dict[str, Any], search: str | None) -> bool:
    if not search:
        return True
    text = " ".join(str(item.get(k) or "") for k in ("code", "name", "description")).casefold()
    return all(word.casefold() in text for word in search.split())


def taxonomies_page(
    session: Session, paging: Paging, *, search: str | None = None
) -> dict[str, Any]:
    """The catalog's two taxonomies: the 18 categories and the matching attributes."""
    found = [t for t in _taxonomies() if _matches(t, search)]
    window = found[paging.offset : paging.offset + paging.per_page]
    return _page(window, len(found), paging)


def taxonomy(session: Session, taxonomy_id: str) -> dict[str, Any]:
    """One taxonomy by id; raises ResourceNotFound."""
    for t in _taxonomies():
        if t["id"] == taxonomy_id:
            return t
    raise ResourceNotFound(taxonomy_id)


def _terms(session: Session) -> list[dict[str, Any]]:
    return [
        {
            "id": t.id,
            "code": t.code,
            "name": t.name,
            "description": t.description or "",
            "taxonomy": t.taxonomy,
            "taxonomy_id": TAXONOMY_ID,
            "language": "ja",
        }
        for t in repository.taxonomy_terms(session)
    ]


def taxonomy_terms_page(
    session: Session,
    paging: Paging,
    *,
    search: str | None = None,
    taxonomy_id: str | None = None,
    top_only: bool = False,
    parent_id: str | None = None,
) -> dict[str, Any]:
    """The 18 category terms (Japanese names); the vocabulary is flat, so every term is top."""
    found = [
        t
        for t in _terms(session)
        if _matches(t, search)
        and (taxonomy_id is None or t["taxonomy_id"] == taxonomy_id)
        and parent_id is None  # no term has a parent
    ]
    del top_only  # every term is a top term: the filter keeps them all
    window = found[paging.offset : paging.offset + paging.per_page]
    return _page(window, len(found), paging)


def taxonomy_term(session: Session, term_id: str) -> dict[str, Any]:
    """One taxonomy term by id; raises ResourceNotFound."""
    for t in _terms(session):
        if t["id"] == term_id:
            return t
    raise ResourceNotFound(term_id)


# -------------------------------------------------------------------------- ndjson


def ndjson_lines(page_of: Any, limit: int) -> Iterator[bytes]:
    """Every result of a listing, one JSON object a line (``format=ndjson``: no paging).

    ``page_of(paging)`` is the listing's page function; pages of ``limit`` are read in turn.
    """
    page = 1
    while True:
        result = page_of(Paging(page=page, per_page=limit))
        for item in result["contents"]:
            yield orjson.dumps(item) + b"\n"
        if result["last_page"] or not result["contents"]:
            return
        page += 1
