"""Catalog use cases. Services never commit: the caller's unit of work owns the transaction.

INTERFACE CONTRACT (shared by the API, the CLI and the tests). Implementations live here and
call ``resources_catalog.repository`` for every query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from sqlalchemy.orm import Session

from resources_catalog import geocoding, repository
from resources_catalog.bulk import paused_gc
from resources_catalog.errors import (
    ImportRejected,
    InvalidResource,
    ResourceAlreadyExists,
    ResourceNotFound,
    StaleVersion,
    UnsupportedFile,
)
from resources_catalog.exporters.csv import export_csv
from resources_catalog.exporters.hsds import export_hsds
from resources_catalog.exporters.xlsx import export_xlsx
from resources_catalog.history import FIELDS as _FIELDS
from resources_catalog.history import created, diff, expand
from resources_catalog.hsds import ids as hsds_ids
from resources_catalog.hsds import read as hsds_read
from resources_catalog.importers.csv import parse_csv
from resources_catalog.importers.hsds_json import parse_hsds_json
from resources_catalog.importers.hsds_tabular import parse_hsds_tabular
from resources_catalog.importers.xlsx import parse_xlsx
from resources_catalog.records import CATEGORY_CODES, WARDS, WEEKDAYS, ResourceRecord
from resources_catalog.validation import ImportReport, RowError

ExportFormat = Literal["csv", "xlsx", "hsds"]


@dataclass(frozen=True)
class StoredResource:
    """A resource as stored: the record plus its concurrency version (the ETag) and times."""

    record: ResourceRecord
    version: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class ResourcePage:
    """One page of a resource listing."""

    items: list[StoredResource]
    total: int
    offset: int
    limit: int


@dataclass(frozen=True)
class FieldChange:
    """One field's old and new value in one edit."""

    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class ResourceChangeEntry:
    """One edit of a resource (HSDS ``metadata`` style): who, when, what, which fields."""

    resource_id: str
    changed_at: datetime
    actor: str
    action: Literal["create", "update", "deactivate", "import"]
    changes: list[FieldChange]


@dataclass(frozen=True)
class CatalogRevision:
    """The catalog's write counters: ``content`` (what rankers index) and ``availability``
    (free places and status, read at query time)."""

    content: int
    availability: int


@dataclass(frozen=True)
class FeeTerms:
    """A receiver's cooperation-fee terms for one resource (協力費の単価と単位)."""

    resource_id: str
    receiver_id: str
    amount_yen: int
    unit: str  # per_session, per_month or none


# --------------------------------------------------------------------------- parsing


def parse_file(data: bytes, filename: str) -> tuple[list[ResourceRecord], list[RowError], int]:
    """Parse CSV / xlsx / HSDS JSON by extension and content; return records, errors, rows."""
    suffix = Path(filename).suffix.lower()
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if suffix in (".xlsx", ".xlsm") or (
        data[:2] == b"PK" and suffix not in (".zip",) and b"xl/" in data[:4096]
    ):
        return parse_xlsx(data)
    if suffix == ".zip" or data[:2] == b"PK":
        return parse_hsds_tabular(data)
    if suffix == ".json" or head[:1] in (b"[", b"{"):
        return parse_hsds_json(data)
    if suffix in (".csv", ".tsv", ".txt", ""):
        return parse_csv(data)
    raise UnsupportedFile(
        f"対応していない形式です: {filename}（CSV・Excel・HSDS JSON・HSDS 表形式 zip）"
    )


def parse_path(path: Path) -> tuple[list[ResourceRecord], list[RowError], int]:
    """Like parse_file, for a path on disk; a directory is read as HSDS tabular CSVs."""
    if path.is_dir():
        return parse_hsds_tabular(path)
    return parse_file(path.read_bytes(), path.name)


# ------------------------------------------------------------------------ internals

# Fields whose change moves the availability counter; the live one alone never moves content.
_AVAILABILITY_FIELDS = frozenset({"capacity_remaining", "status"})
_LIVE_FIELDS = frozenset({"capacity_remaining"})

_NO_VALUE: tuple[Any, ...] = ({}, [], None, "")


def _prepare(incoming: ResourceRecord, old: dict[str, Any] | None) -> dict[str, Any]:
    """The record to store: fields the caller did not set keep their stored values.

    A file or form that lacks a column (``nearest_station``, ``extra``) must not wipe it;
    ``extra`` is merged by top-level key, and empty sections are dropped so "nothing kept"
    has one spelling. Days go to week order so 水・月 and 月・水 are the same schedule.
    The record is flat, so a copy of its field values is what ``model_dump`` would build
    at four times the cost; the lists and the top level of ``extra`` are rebuilt below
    (values nested in ``extra`` stay shared with the record, which nothing changes later).
    """
    data = dict(vars(incoming))
    if old is not None:
        given = incoming.model_fields_set
        for name in _FIELDS:
            if name not in given:
                data[name] = old[name]
        if "extra" in given:
            data["extra"] = {**old["extra"], **incoming.extra}
    data["extra"] = {k: v for k, v in data["extra"].items() if v not in _NO_VALUE}
    data["days"] = [d for d in WEEKDAYS if d in data["days"]]
    data["categories"] = list(dict.fromkeys(data["categories"]))
    return data


def _rule_errors(data: dict[str, Any]) -> list[RowError]:
    """Rules an API caller can break even with a well-typed record."""
    rid = data["resource_id"]
    found = []
    if data["capacity_remaining"] > data["capacity_total"]:
        found.append(
            RowError(
                0,
                "capacity_remaining",
                "空きが定員を超えています",
                "capacity_remaining exceeds capacity_total",
                rid,
            )
        )
    low, high = data["min_age"], data["max_age"]
    if low is not None and high is not None and low > high:
        found.append(
            RowError(
                0,
                "min_age",
                "最低年齢が最高年齢を超えています",
                "min_age is greater than max_age",
                rid,
            )
        )
    if data["ward"] is not None and data["ward"] not in WARDS:
        found.append(
            RowError(
                0,
                "ward",
                f"千葉市の区ではありません: {data['ward']}",
                f"unknown ward: {data['ward']}",
                rid,
            )
        )
    for code in data["categories"]:
        if code not in CATEGORY_CODES:
            found.append(
                RowError(
                    0, "categories", f"不明な分類です: {code}", f"unknown category: {code}", rid
                )
            )
    if data["start_time"] and data["end_time"] and data["end_time"] <= data["start_time"]:
        found.append(
            RowError(
                0, "end_time", "終了時刻が開始時刻以前です", "end_time is not after start_time", rid
            )
        )
    return found


def _stored(row: repository.StoredRow) -> StoredResource:
    return StoredResource(
        record=ResourceRecord.model_validate(row.data),
        version=row.version,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _change_row(
    resource_id: str,
    actor: str,
    action: str,
    changes: list[dict[str, Any]] | dict[str, Any],
    now: datetime,
) -> dict[str, Any]:
    return {
        "resource_id": resource_id,
        "changed_at": now,
        "actor": actor,
        "action": action,
        "changes": changes,
    }


def _write(
    session: Session,
    *,
    new: list[dict[str, Any]],
    changed: list[tuple[repository.StoredRow, dict[str, Any]]],
    actor: str,
    action: str,
    now: datetime,
) -> None:
    """Insert and rewrite resources with their history rows, in bulk."""
    names = [d["organization"] for d in new] + [d["organization"] for _, d in changed]
    org_ids = repository.ensure_organizations(session, names, now) if names else {}
    term_ids = repository.taxonomy_term_ids(session)
    if new:
        repository.insert_resources(
            session,
            [(hsds_ids.service_id(d["resource_id"]), org_ids[d["organization"]], d) for d in new],
            term_ids,
            now,
        )
    if changed:
        repository.replace_resources(
            session,
            [(row.service_id, org_ids[d["organization"]], d) for row, d in changed],
            term_ids,
            now,
        )
    create_action = "create" if action == "create" else action
    history = [_change_row(d["resource_id"], actor, create_action, created(d), now) for d in new]
    changed_fields: set[str] = set()
    for row, d in changed:
        changes = diff(row.data, d)
        changed_fields.update(c["field"] for c in changes)
        history.append(_change_row(d["resource_id"], actor, action, changes, now))
    repository.add_changes(session, history)
    # A new resource is new content and a new entry in the availability map.
    repository.bump_revision(
        session,
        content=bool(new) or bool(changed_fields - _LIVE_FIELDS),
        availability=bool(new) or bool(changed_fields & _AVAILABILITY_FIELDS),
    )


def _check_version(row: repository.StoredRow, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != row.version:
        raise StaleVersion(row.data["resource_id"], expected_version, row.version)


# ------------------------------------------------------------------------ use cases


def import_records(
    session: Session,
    records: list[ResourceRecord],
    errors: list[RowError],
    *,
    total_rows: int,
    actor: str,
    dry_run: bool = False,
    valid_only: bool = False,
    deactivate_missing: bool = False,
) -> ImportReport:
    """Upsert by resource_id. With errors and not valid_only raise ImportRejected (no change).

    A dry run never raises: it reports the errors and what the valid rows would do. Rows
    that failed validation are never deactivated as "missing" (they are in the file).
    """
    with paused_gc():
        return _import_records(
            session,
            records,
            errors,
            total_rows=total_rows,
            actor=actor,
            dry_run=dry_run,
            valid_only=valid_only,
            deactivate_missing=deactivate_missing,
        )


def _import_records(
    session: Session,
    records: list[ResourceRecord],
    errors: list[RowError],
    *,
    total_rows: int,
    actor: str,
    dry_run: bool,
    valid_only: bool,
    deactivate_missing: bool,
) -> ImportReport:
    report = ImportReport(total_rows=total_rows, errors=list(errors), dry_run=dry_run)
    existing = repository.load_all(session)
    seen: set[str] = {e.resource_id for e in errors if e.resource_id}
    new: list[dict[str, Any]] = []
    changed: list[tuple[repository.StoredRow, dict[str, Any]]] = []
    for record in records:
        if record.resource_id in seen:
            continue  # a duplicate the parser did not catch (records from the API)
        seen.add(record.resource_id)
        old = existing.get(record.resource_id)
        data = _prepare(record, old.data if old else None)
        problems = _rule_errors(data)
        if problems:
            report.errors.extend(problems)
            continue
        warning = geocoding.place_record(record, data, old.data if old else None)
        if warning is not None:
            report.warnings.append(warning)
        if old is None:
            new.append(data)
            report.new.append(record.resource_id)
        elif data != old.data:
            changed.append((old, data))
            report.updated.append(record.resource_id)
        else:
            report.unchanged.append(record.resource_id)
    deactivate: list[tuple[repository.StoredRow, dict[str, Any]]] = []
    if deactivate_missing:
        for rid in sorted(existing.keys() - seen):
            row = existing[rid]
            if row.data["status"] != "inactive":
                deactivate.append((row, {**row.data, "status": "inactive"}))
                report.deactivated.append(rid)
    if dry_run:
        return report
    if report.errors and not valid_only:
        raise ImportRejected(report)
    now = datetime.now(UTC)
    with repository.bulk_write(session), repository.indexes_built_after(session, len(new)):
        _write(session, new=new, changed=changed, actor=actor, action="import", now=now)
        if deactivate:
            _write(session, new=[], changed=deactivate, actor=actor, action="deactivate", now=now)
    session.flush()
    report.applied = True
    return report


def import_file(
    session: Session,
    data: bytes,
    filename: str,
    *,
    actor: str,
    dry_run: bool = False,
    valid_only: bool = False,
    deactivate_missing: bool = False,
) -> ImportReport:
    """Parse an uploaded file (CSV / xlsx / HSDS) and import it: the one path every UI uses."""
    records, errors, total_rows = parse_file(data, filename)
    return import_records(
        session,
        records,
        errors,
        total_rows=total_rows,
        actor=actor,
        dry_run=dry_run,
        valid_only=valid_only,
        deactivate_missing=deactivate_missing,
    )


def list_resources(
    session: Session,
    *,
    ward: str | None = None,
    category: str | None = None,
    status: str | None = None,
    q: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> ResourcePage:
    """Filtered, paged listing ordered by resource_id."""
    offset, limit = max(offset, 0), max(min(limit, 1000), 1)
    ids, total = repository.page_service_ids(
        session, ward=ward, category=category, status=status, q=q, offset=offset, limit=limit
    )
    items = [_stored(row) for row in repository.load_by_service_ids(session, ids)]
    return ResourcePage(items=items, total=total, offset=offset, limit=limit)


def get_resource(session: Session, resource_id: str) -> StoredResource:
    """One resource; raises ResourceNotFound."""
    row = repository.load_one(session, resource_id)
    if row is None:
        raise ResourceNotFound(resource_id)
    return _stored(row)


def create_resource(session: Session, record: ResourceRecord, *, actor: str) -> StoredResource:
    """Create; raises ResourceAlreadyExists."""
    if repository.load_one(session, record.resource_id) is not None:
        raise ResourceAlreadyExists(record.resource_id)
    data = _prepare(record, None)
    problems = _rule_errors(data)
    if problems:
        raise InvalidResource(record.resource_id, problems)
    geocoding.place_record(record, data, None)
    _write(session, new=[data], changed=[], actor=actor, action="create", now=datetime.now(UTC))
    session.flush()
    return get_resource(session, record.resource_id)


def update_resource(
    session: Session,
    resource_id: str,
    record: ResourceRecord,
    *,
    actor: str,
    expected_version: int | None,
) -> StoredResource:
    """Replace the fields; raises StaleVersion when expected_version is not current.

    Fields the caller did not set keep their stored values (see ``_prepare``); an edit that
    changes nothing neither bumps the version nor writes history. The resource_id is the
    path's: a record carrying another id is refused rather than silently renamed.
    """
    row = repository.load_one(session, resource_id)
    if row is None:
        raise ResourceNotFound(resource_id)
    _check_version(row, expected_version)
    if record.resource_id != resource_id:
        raise InvalidResource(
            resource_id,
            [
                RowError(
                    0,
                    "resource_id",
                    "資源IDは変更できません",
                    "resource_id cannot change",
                    resource_id,
                    record.resource_id,
                )
            ],
        )
    data = _prepare(record, row.data)
    problems = _rule_errors(data)
    if problems:
        raise InvalidResource(resource_id, problems)
    geocoding.place_record(record, data, row.data)
    if data == row.data:
        return _stored(row)
    if not repository.guarded_bump(session, row.service_id, row.version):
        current = repository.load_one(session, resource_id)
        raise StaleVersion(resource_id, row.version, current.version if current else -1)
    _write(
        session, new=[], changed=[(row, data)], actor=actor, action="update", now=datetime.now(UTC)
    )
    session.flush()
    return get_resource(session, resource_id)


def deactivate_resource(
    session: Session, resource_id: str, *, actor: str, expected_version: int | None
) -> StoredResource:
    """Set status inactive (nothing is deleted)."""
    row = repository.load_one(session, resource_id)
    if row is None:
        raise ResourceNotFound(resource_id)
    _check_version(row, expected_version)
    if row.data["status"] == "inactive":
        return _stored(row)
    _write(
        session,
        new=[],
        changed=[(row, {**row.data, "status": "inactive"})],
        actor=actor,
        action="deactivate",
        now=datetime.now(UTC),
    )
    session.flush()
    return get_resource(session, resource_id)


def resource_history(session: Session, resource_id: str) -> list[ResourceChangeEntry]:
    """Every recorded change of one resource, oldest first."""
    return [
        ResourceChangeEntry(
            resource_id=change.resource_id,
            changed_at=repository.aware(change.changed_at),
            actor=change.actor,
            action=change.action,  # type: ignore[arg-type]
            changes=[FieldChange(*c) for c in expand(change.changes)],
        )
        for change in repository.history(session, resource_id)
    ]


def _all_rows(session: Session, *, active_only: bool = False) -> list[repository.StoredRow]:
    rows = sorted(repository.load_all(session).values(), key=lambda r: r.data["resource_id"])
    return [r for r in rows if r.data["status"] == "active"] if active_only else rows


def all_records(session: Session, *, active_only: bool = False) -> list[ResourceRecord]:
    """Every record (for matching and export)."""
    return [
        ResourceRecord.model_validate(r.data) for r in _all_rows(session, active_only=active_only)
    ]


def export_catalog(session: Session, fmt: ExportFormat, *, japanese: bool = False) -> bytes:
    """The whole catalog as CSV (UTF-8 with BOM for Excel), xlsx or HSDS 3.1 JSON.

    ``japanese`` (csv and xlsx) writes Japanese headers and values that re-import as they are.
    """
    rows = _all_rows(session)
    if fmt == "csv":
        return export_csv((ResourceRecord.model_validate(r.data) for r in rows), japanese=japanese)
    if fmt == "xlsx":
        return export_xlsx((ResourceRecord.model_validate(r.data) for r in rows), japanese=japanese)
    if fmt == "hsds":
        return export_hsds((ResourceRecord.model_validate(r.data), r.updated_at) for r in rows)
    raise UnsupportedFile(f"対応していない出力形式です: {fmt}")


# ------------------------------------------------------------------- HSDS read API


# The HSDS read API's logic is resources_catalog.hsds.read; these keep the catalog service's
# names for callers that page by plain numbers.


def hsds_services_page(
    session: Session, page: int = 1, per_page: int = 50, q: str | None = None
) -> dict[str, Any]:
    """One page of HSDS services (one-to-one fields, ordered by resource_id); ``q`` searches."""
    query = hsds_read.ServiceQuery(search=q)
    return hsds_read.services_page(session, query, hsds_read.paging(page, per_page, 1000))


def hsds_service(session: Session, service_id: str) -> dict[str, Any]:
    """One HSDS service by its HSDS id (UUID) or by resource_id; raises ResourceNotFound."""
    return hsds_read.service(session, service_id)


def hsds_organizations_page(
    session: Session, page: int = 1, per_page: int = 50, q: str | None = None
) -> dict[str, Any]:
    """One page of HSDS organizations (受入先), each with the ids of its services."""
    return hsds_read.organizations_page(session, hsds_read.paging(page, per_page, 1000), search=q)


def hsds_taxonomies_page(session: Session, page: int = 1, per_page: int = 50) -> dict[str, Any]:
    """The catalog's HSDS taxonomies: the 18 categories and the matching attributes."""
    return hsds_read.taxonomies_page(session, hsds_read.paging(page, per_page, 1000))


def hsds_taxonomy_terms_page(session: Session, page: int = 1, per_page: int = 50) -> dict[str, Any]:
    """The 18 category terms as HSDS taxonomy_term objects (Japanese names)."""
    return hsds_read.taxonomy_terms_page(session, hsds_read.paging(page, per_page, 1000))


# ------------------------------------------------- revision and free places (casework)


def catalog_revision(session: Session) -> CatalogRevision:
    """The catalog's two counters, from one single-row SELECT (cheap enough per request).

    A ranker fitted at ``content`` N is current while the counter still reads N; the
    availability map read at ``availability`` M is current while that one reads M.
    """
    counters = repository.revision_counters(session)
    if counters is None:
        return CatalogRevision(content=0, availability=0)
    return CatalogRevision(content=counters[0], availability=counters[1])


def availability(session: Session) -> dict[str, tuple[int, str]]:
    """resource_id → (free places now, status) for every resource, in one query."""
    return repository.availability_by_resource(session)


def take_slot(session: Session, resource_id: str) -> bool:
    """Take one free place atomically; False when none was left (nothing changed then)."""
    taken = repository.take_slot(session, resource_id)
    if taken:
        repository.bump_revision(session, content=False, availability=True)
    return taken


def free_slot(session: Session, resource_id: str) -> bool:
    """Give one place back (never above the maximum); False when there was none to give."""
    freed = repository.free_slot(session, resource_id)
    if freed:
        repository.bump_revision(session, content=False, availability=True)
    return freed


def available_slots(session: Session, resource_id: str) -> int | None:
    """Free places now, or None when the resource is unknown or has no capacity row."""
    return repository.available_slots(session, resource_id)


def resource_exists(session: Session, resource_id: str) -> bool:
    """True when the catalog holds a resource with this id (any status)."""
    return repository.resource_exists(session, resource_id)


def resources_of_organization(session: Session, organization_id: str) -> dict[str, str]:
    """resource_id → name of the resources a receiver organization offers (empty: unknown)."""
    return repository.resource_names_of_organization(session, organization_id)


def organization_of(session: Session, resource_id: str) -> str | None:
    """The receiver (organization id) offering a resource, or None if it is unknown."""
    return repository.organization_of(session, resource_id)


def fee_terms(session: Session, resource_id: str) -> FeeTerms | None:
    """The resource's cooperation fee and its receiver, or None when it is unknown."""
    row = repository.fee_row(session, resource_id)
    if row is None:
        return None
    receiver_id, amount_yen, unit = row
    return FeeTerms(
        resource_id=resource_id, receiver_id=receiver_id, amount_yen=amount_yen, unit=unit
    )


# -------------------------------------------------------------------------- demo

DEMO_CATALOG = Path(__file__).parent / "demo" / "demo_catalog.csv"


def load_demo_catalog(session: Session, actor: str = "demo") -> ImportReport | None:
    """Import the packaged demo catalog when the catalog is empty; None when it was not."""
    if repository.count_services(session) > 0:
        return None
    records, errors, total = parse_csv(DEMO_CATALOG.read_bytes())
    return import_records(session, records, errors, total_rows=total, actor=actor)
