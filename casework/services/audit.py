"""Append-only, hash-chained audit log (監査ログ).

Each row stores ``prev_hash`` (the previous row's hash, or 64 zeros for the first) and
``hash = sha256(prev_hash + canonical JSON of the row)``. Editing, deleting or reordering a
row breaks the chain at that row. Rows carry ids and codes only, never personal data.
Writers are serialised (PostgreSQL advisory lock; SQLite's write lock) so the chain never
forks; ``prev_hash`` is also unique as a last guard.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.orm import Session

from casework import repository as repo
from casework.models import AuditLog, utcnow
from casework.permissions import Principal, authorize

GENESIS_HASH = "0" * 64
# Any constant; identifies the audit chain's advisory lock on PostgreSQL.
_PG_LOCK_KEY = 0x7453_7541  # "tsuA"


class AuditLogIsAppendOnly(RuntimeError):
    """An audit row was about to be updated or deleted through the ORM."""


@event.listens_for(AuditLog, "before_update")
def _no_update(*_args: Any) -> None:
    raise AuditLogIsAppendOnly("audit_log rows are never updated")


@event.listens_for(AuditLog, "before_delete")
def _no_delete(*_args: Any) -> None:
    raise AuditLogIsAppendOnly("audit_log rows are never deleted")


def _ts(value: datetime) -> str:
    # Naive values come back from SQLite; every stored value is UTC.
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# The columns the hash covers, in one place for the hash and for the insert.
_HASHED = (
    "id", "occurred_at", "actor", "action", "entity_type", "entity_id", "source_ip",
    "client", "detail", "prev_hash",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """An audit row as ``record`` wrote it (the same fields as ``AuditLog``).

    A plain value, not a mapped object: building an ``AuditLog`` only to read its fields back
    cost more than hashing the row, and every audited request writes one.
    """

    id: int
    occurred_at: datetime
    actor: str
    action: str
    entity_type: str
    entity_id: str | None
    source_ip: str | None
    client: str | None
    detail: dict[str, Any] | None
    prev_hash: str
    hash: str


def _values(row: AuditLog | AuditEntry) -> dict[str, Any]:
    return {name: getattr(row, name) for name in _HASHED}


def _canonical(values: dict[str, Any]) -> str:
    payload = {**values, "occurred_at": _ts(values["occurred_at"])}
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _hash(values: dict[str, Any]) -> str:
    return hashlib.sha256((values["prev_hash"] + _canonical(values)).encode("utf-8")).hexdigest()


def canonical_json(row: AuditLog | AuditEntry) -> str:
    """The row's hashed content as canonical JSON (sorted keys, no spaces, UTF-8)."""
    return _canonical(_values(row))


def row_hash(row: AuditLog | AuditEntry) -> str:
    """sha256 over prev_hash + canonical JSON."""
    return _hash(_values(row))


def lock_chain(session: Session) -> None:
    """Serialise audit writers until the transaction ends (re-entrant; no-op on SQLite).

    Services that also lock other rows (capacity, counters, budgets) call this first, so every
    transaction takes the locks in the same order and cannot deadlock.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})


_READ_SUFFIXES = (".read", ".list")
_VIEW_KEY = "audit_page_view"


@contextmanager
def page_view(
    session: Session, principal: Principal, page: str, entity_type: str, entity_id: object
) -> Iterator[None]:
    """Record the reads a page makes as ONE row (``page.view`` with the reads in ``detail``).

    A page that shows a person, their placements, plans and runs would otherwise append a
    row per service call; the auditor's question is who looked at whose case, and when.
    Writes are never folded in: they keep their own rows.
    """
    if _VIEW_KEY in session.info:  # nested: the outer view collects the reads
        yield
        return
    reads: list[str] = []
    session.info[_VIEW_KEY] = reads
    try:
        yield
    finally:
        del session.info[_VIEW_KEY]
    record(
        session,
        principal,
        "page.view",
        entity_type,
        entity_id,
        {"page": page, "reads": sorted(set(reads))},
    )


def record(
    session: Session,
    principal: Principal,
    action: str,
    entity_type: str,
    entity_id: object | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry | None:
    """Append one audit row (ids and codes only in ``detail``).

    Inside ``page_view`` a read is collected into the page's row instead (returns None).
    """
    reads = session.info.get(_VIEW_KEY)
    if reads is not None and action.endswith(_READ_SUFFIXES):
        reads.append(action)
        return None
    lock_chain(session)
    last = repo.last_audit_link(session)
    last_id, last_hash = last if last else (0, GENESIS_HASH)
    values: dict[str, Any] = {
        "id": last_id + 1,
        "occurred_at": utcnow(),
        "actor": principal.ref,
        "action": action,
        "entity_type": entity_type,
        "entity_id": None if entity_id is None else str(entity_id),
        "source_ip": principal.ip,
        "client": principal.client,
        "detail": detail,
        "prev_hash": last_hash,
    }
    values["hash"] = _hash(values)
    # The row is written with a Core insert (no unit-of-work flush for an append-only row).
    repo.insert_audit_row(session, values)
    return AuditEntry(**values)


@dataclass(frozen=True)
class ChainReport:
    """Result of verifying the chain: ok, the first bad row, how many rows were checked."""

    ok: bool
    first_bad_id: int | None
    rows_checked: int
    head_hash: str


def verify_chain(session: Session, *, batch: int = 1000) -> tuple[bool, int | None]:
    """Recompute every hash in order; ``(True, None)`` or ``(False, first bad row id)``."""
    report = check_chain(session, batch=batch)
    return report.ok, report.first_bad_id


def check_chain(session: Session, *, batch: int = 1000) -> ChainReport:
    """Like verify_chain, also returning the row count and the head hash (to anchor outside)."""
    expected_prev = GENESIS_HASH
    expected_id = 1
    checked = 0
    after = 0
    while True:
        rows = repo.audit_rows(session, after_id=after, limit=batch)
        if not rows:
            return ChainReport(True, None, checked, expected_prev)
        for row in rows:
            if row.id != expected_id or row.prev_hash != expected_prev or row_hash(row) != row.hash:
                return ChainReport(False, row.id, checked, expected_prev)
            expected_prev = row.hash
            expected_id += 1
            checked += 1
        after = rows[-1].id


def verify_audit_chain(session: Session, principal: Principal) -> ChainReport:
    """Verify the chain for an auditor (writes its own audit row after checking)."""
    authorize(principal, "audit:read")
    report = check_chain(session)
    record(session, principal, "audit.verify", "audit_log", None, {"ok": report.ok})
    return report


def read_audit_log(
    session: Session,
    principal: Principal,
    *,
    entity_type: str | None = None,
    entity_id: str | None = None,
    limit: int = 500,
    before_id: int | None = None,
    actor_user_id: int | None = None,
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[AuditLog]:
    """Audit rows for an auditor, newest first (``before_id`` pages to older rows).

    Filters narrow to one record, one staff member, one action code and a period.
    """
    authorize(principal, "audit:read")
    rows = repo.audit_rows_for(
        session,
        entity_type,
        entity_id,
        limit=limit,
        before_id=before_id,
        actor_user_id=actor_user_id,
        action=action,
        since=since,
        until=until,
    )
    record(session, principal, "audit.read", "audit_log", None, {"rows": len(rows)})
    return rows


def audit_filter_choices(
    session: Session, principal: Principal
) -> tuple[list[str], list[tuple[int, str]]]:
    """The action codes and the staff members an auditor can filter the log by."""
    authorize(principal, "audit:read")
    return repo.audit_actions(session), repo.staff_names_by_id(session)


def find_recorded_head(session: Session, head_hash: str) -> int | None:
    """The row a head recorded outside the database points at, or None when it is gone.

    An intact chain that no longer holds a recorded head was cut short: its last rows were
    deleted (or the chain was rebuilt), which the chain alone cannot show.
    """
    if head_hash == GENESIS_HASH:
        return 0
    return repo.audit_row_id_with_hash(session, head_hash)
