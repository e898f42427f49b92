"""Row-level validation results shared by every importer, the CLI and the API."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RowError:
    """One problem in one cell: row number as the user sees it (header = row 1), column, why."""

    row: int
    column: str
    message_ja: str
    message_en: str
    resource_id: str | None = None
    value: str | None = None


@dataclass
class ImportReport:
    """What an import did (or, on a dry run, would do), keyed by resource_id."""

    total_rows: int = 0
    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # Rows imported with a caveat (an address placed only at its ward centre, or not at all).
    warnings: list[RowError] = field(default_factory=list)
    dry_run: bool = False
    applied: bool = False

    @property
    def ok(self) -> bool:
        """True when no row was invalid."""
        return not self.errors
