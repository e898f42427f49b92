"""Bodies of the catalog API (受入先カタログ): resources, pages, history, import reports."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from api.schemas.strict_numbers import reject_bool_numbers
from resources_catalog.records import ResourceRecord
from resources_catalog.service import ResourceChangeEntry, ResourcePage, StoredResource
from resources_catalog.validation import ImportReport, RowError

READ_ONLY_FIELDS = ("version", "created_at", "updated_at")

EXAMPLE_RESOURCE: dict[str, Any] = {
    "resource_id": "R001",
    "name": "貝塚ふれあい農園 平日の農作業ボランティア",
    "organization": "NPO法人 ちば土と人の会",
    "description": "若葉区の農園で、季節の野菜の種まき・除草・収穫を少人数で行います。",
    "categories": ["farm"],
    "ward": "若葉区",
    "address": "千葉市若葉区貝塚町812-3",
    "lat": 35.6262,
    "lon": 140.1538,
    "days": ["tue", "thu"],
    "start_time": "09:30",
    "end_time": "12:00",
    "capacity_total": 6,
    "capacity_remaining": 3,
    "quiet_environment": True,
    "small_group": True,
    "visit_ok": True,
    "trial_ok": True,
    "cooperation_fee_yen": 1000,
    "cooperation_fee_unit": "per_session",
    "status": "active",
    "contact_name": "石井 隆",
    "phone": "043-231-4478",
    "email": "noen@tsuchi-hito.example",
}
EXAMPLE_META: dict[str, Any] = {
    "version": 3,
    "created_at": "2025-04-01T09:00:00Z",
    "updated_at": "2025-05-12T15:30:00Z",
}


def _has_nul(value: Any) -> bool:
    """True when any string inside ``value`` holds a NUL (PostgreSQL text rejects it)."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


class ResourceIn(ResourceRecord):
    """A resource as sent by a client (create and replace).

    On PUT, fields left out keep their stored values (so a form that lacks a field never
    wipes it); send a field as null or empty to clear it. ``version``, ``created_at`` and
    ``updated_at`` are read-only: accepted and ignored, so a client may PUT back the body it
    got from GET. The version to check goes in the ``If-Match`` header.
    """

    # Every field, with its bounds (32-bit counts and yen), is the record's: only the
    # examples and the handling of read-only fields are the API's.
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [EXAMPLE_RESOURCE]})

    @model_validator(mode="before")
    @classmethod
    def _drop_read_only(cls, data: Any) -> Any:
        reject_bool_numbers(cls, data)
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if k not in READ_ONLY_FIELDS}
        return data

    @model_validator(mode="after")
    def _no_nul_characters(self) -> ResourceIn:
        if _has_nul(self.model_dump()):
            raise ValueError("NUL characters (\\x00) are not allowed in text")
        return self

    def to_record(self) -> ResourceRecord:
        """The plain domain record, with only the fields the client sent marked as set (the
        service keeps stored values of fields left out)."""
        return ResourceRecord.model_validate(self.model_dump(exclude_unset=True))


class ResourceOut(ResourceRecord):
    """A stored resource: every record field plus its version (the ETag) and times."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [EXAMPLE_RESOURCE | EXAMPLE_META]}
    )

    version: int = Field(description="Concurrency version; the ETag header is its quoted form.")
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_stored(cls, stored: StoredResource) -> ResourceOut:
        """Flatten a StoredResource."""
        return cls.model_validate(
            stored.record.model_dump()
            | {
                "version": stored.version,
                "created_at": stored.created_at,
                "updated_at": stored.updated_at,
            }
        )


class ResourcePageOut(BaseModel):
    """One page of resources ordered by resource_id; ``next_offset`` is null on the last page."""

    items: list[ResourceOut]
    total: int = Field(description="Number of resources matching the filters.")
    offset: int
    limit: int
    next_offset: int | None

    @classmethod
    def from_page(cls, page: ResourcePage) -> ResourcePageOut:
        """Shape a service page."""
        nxt = page.offset + len(page.items)
        return cls(
            items=[ResourceOut.from_stored(s) for s in page.items],
            total=page.total,
            offset=page.offset,
            limit=page.limit,
            next_offset=nxt if page.items and nxt < page.total else None,
        )


class FieldChangeOut(BaseModel):
    """One field's value before and after an edit."""

    field: str
    old: Any
    new: Any


class HistoryEntryOut(BaseModel):
    """One recorded edit (変更履歴)."""

    changed_at: datetime
    actor: str
    action: Literal["create", "update", "deactivate", "import"]
    changes: list[FieldChangeOut]


class HistoryOut(BaseModel):
    """Every recorded edit of one resource, oldest first."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "resource_id": "R001",
                    "entries": [
                        {
                            "changed_at": "2025-05-12T15:30:00Z",
                            "actor": "coordinator1",
                            "action": "update",
                            "changes": [{"field": "capacity_remaining", "old": 3, "new": 2}],
                        }
                    ],
                }
            ]
        }
    )

    resource_id: str
    entries: list[HistoryEntryOut]

    @classmethod
    def from_entries(cls, resource_id: str, entries: list[ResourceChangeEntry]) -> HistoryOut:
        """Shape the service's history entries."""
        return cls(
            resource_id=resource_id,
            entries=[HistoryEntryOut.model_validate(e, from_attributes=True) for e in entries],
        )


class RowErrorOut(BaseModel):
    """One invalid cell: row as the user sees it in the file (header = row 1)."""

    row: int
    column: str
    message_ja: str
    message_en: str
    resource_id: str | None = None
    value: str | None = None

    @classmethod
    def from_row_error(cls, error: RowError) -> RowErrorOut:
        """Shape one validation RowError."""
        return cls.model_validate(error, from_attributes=True)


class ImportCountsOut(BaseModel):
    """How many resources each outcome holds."""

    new: int
    updated: int
    unchanged: int
    deactivated: int
    errors: int


class ImportReportOut(BaseModel):
    """What an import did, or on a dry run would do (取込結果)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "ok": False,
                    "dry_run": True,
                    "applied": False,
                    "total_rows": 3,
                    "counts": {
                        "new": 1,
                        "updated": 1,
                        "unchanged": 0,
                        "deactivated": 0,
                        "errors": 1,
                    },
                    "new": ["R101"],
                    "updated": ["R001"],
                    "unchanged": [],
                    "deactivated": [],
                    "errors": [
                        {
                            "row": 4,
                            "column": "lat",
                            "message_ja": "緯度は -90〜90 の数値で入力してください",
                            "message_en": "lat must be a number between -90 and 90",
                            "resource_id": "R102",
                            "value": "135.9x",
                        }
                    ],
                }
            ]
        }
    )

    ok: bool
    dry_run: bool
    applied: bool
    total_rows: int
    counts: ImportCountsOut
    new: list[str]
    updated: list[str]
    unchanged: list[str]
    deactivated: list[str]
    errors: list[RowErrorOut]
    warnings: list[RowErrorOut] = Field(
        default_factory=list,
        description="rows imported with a caveat, e.g. an address placed only at its ward "
        "centre or not placed at all (no coordinates)",
    )

    @classmethod
    def from_report(cls, report: ImportReport) -> ImportReportOut:
        """Shape the service's ImportReport."""
        return cls(
            ok=report.ok,
            dry_run=report.dry_run,
            applied=report.applied,
            total_rows=report.total_rows,
            counts=ImportCountsOut(
                new=len(report.new),
                updated=len(report.updated),
                unchanged=len(report.unchanged),
                deactivated=len(report.deactivated),
                errors=len(report.errors),
            ),
            new=list(report.new),
            updated=list(report.updated),
            unchanged=list(report.unchanged),
            deactivated=list(report.deactivated),
            errors=[RowErrorOut.from_row_error(e) for e in report.errors],
            warnings=[RowErrorOut.from_row_error(w) for w in report.warnings],
        )
