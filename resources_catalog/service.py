"""Catalog use cases. Services never commit: the caller's unit of work owns the transaction.

INTERFACE CONTRACT (shared by the API, the CLI and the tests). Implementations live here and
call ``resources_catalog.repository`` for every query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy.orm import Session

from resources_catalog.records import ResourceRecord
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


def parse_file(data: bytes, filename: str) -> tuple[list[ResourceRecord], list[RowError], int]:
    """Parse CSV / xlsx / HSDS JSON by extension and content; return records, errors, rows."""
    raise NotImplementedError


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
    """Upsert by resource_id. With errors and not valid_only raise ImportRejected (no change)."""
    raise NotImplementedError


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
    raise NotImplementedError


def get_resource(session: Session, resource_id: str) -> StoredResource:
    """One resource; raises ResourceNotFound."""
    raise NotImplementedError


def create_resource(session: Session, record: ResourceRecord, *, actor: str) -> StoredResource:
    """Create; raises ResourceAlreadyExists."""
    raise NotImplementedError


def update_resource(
    session: Session,
    resource_id: str,
    record: ResourceRecord,
    *,
    actor: str,
    expected_version: int | None,
) -> StoredResource:
    """Replace the fields; raises StaleVersion when expected_version is not current."""
    raise NotImplementedError


def deactivate_resource(
    session: Session, resource_id: str, *, actor: str, expected_version: int | None
) -> StoredResource:
    """Set status inactive (nothing is deleted)."""
    raise NotImplementedError


def resource_history(session: Session, resource_id: str) -> list[ResourceChangeEntry]:
    """Every recorded change of one resource, oldest first."""
    raise NotImplementedError


def all_records(session: Session, *, active_only: bool = False) -> list[ResourceRecord]:
    """Every record (for matching and export)."""
    raise NotImplementedError


def export_catalog(session: Session, fmt: ExportFormat) -> bytes:
    """The whole catalog as CSV (UTF-8 with BOM for Excel), xlsx or HSDS 3.1 JSON."""
    raise NotImplementedError
