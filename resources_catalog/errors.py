"""Domain errors of the catalog; api/errors.py maps them to HTTP answers in one place."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from resources_catalog.validation import ImportReport, RowError


class CatalogError(Exception):
    """Base of catalog errors."""


class ResourceNotFound(CatalogError):
    """No resource with that id."""

    def __init__(self, resource_id: str) -> None:
        super().__init__(f"resource not found: {resource_id}")
        self.resource_id = resource_id


class ResourceAlreadyExists(CatalogError):
    """Create called with an id that is taken."""

    def __init__(self, resource_id: str) -> None:
        super().__init__(f"resource already exists: {resource_id}")
        self.resource_id = resource_id


class StaleVersion(CatalogError):
    """Optimistic concurrency: the client edited an older version (HTTP 412)."""

    def __init__(self, resource_id: str, expected: int, current: int) -> None:
        super().__init__(f"stale version for {resource_id}: expected {expected}, is {current}")
        self.resource_id = resource_id
        self.expected = expected
        self.current = current


class UnsupportedFile(CatalogError):
    """The uploaded file is not CSV, xlsx or HSDS JSON, or cannot be decoded."""


class ImportRejected(CatalogError):
    """An import had invalid rows and the caller did not ask for valid rows only."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(f"import rejected: {len(report.errors)} invalid row(s)")
        self.report = report


class InvalidResource(CatalogError):
    """A record that breaks a catalog rule (remaining > total, unknown category...)."""

    def __init__(self, resource_id: str, errors: list[RowError]) -> None:
        super().__init__(
            f"invalid resource {resource_id}: " + "; ".join(e.message_en for e in errors)
        )
        self.resource_id = resource_id
        self.errors = errors
