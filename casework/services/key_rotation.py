"""Key rotation (暗号鍵の更新): re-encrypt every sensitive field with a new Fernet key.

The operator sets ``TSUNAGU_ENCRYPTION_KEY`` to the new key and
``TSUNAGU_ENCRYPTION_KEY_PREVIOUS`` to the old one; the service then reads both
(MultiFernet: the new key first) while ``tsunagu rotate-key`` rewrites the stored tokens
batch by batch. Each batch is its own transaction (the caller commits), and a value that
already opens with the new key alone is left as it is, so an interrupted run is simply
started again. At the end every value must open with the new key alone; only then may the
old key be dropped from the settings.

The audit log and approved / paid 協力費 rows are frozen by database triggers; neither holds
encrypted columns, so rotation never needs to write through those guards.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Column, MetaData, Table, Text, select, type_coerce, update
from sqlalchemy.orm import Session

from casework.crypto import EncryptedText
from casework.permissions import Principal
from casework.services import audit


class RotationError(RuntimeError):
    """Rotation cannot start or did not end with every value under the new key."""


@dataclass(frozen=True)
class EncryptedTable:
    """A table with its primary key and its Fernet-encrypted columns."""

    table: Table
    key: Column[int]
    columns: tuple[Column[str], ...]


@dataclass
class BatchResult:
    """What one batch did: the last primary key seen, values rewritten and already new."""

    last_id: int | None
    rewritten: int = 0
    already_new: int = 0


@dataclass
class VerifyReport:
    """Values checked against the new key alone; ``failures`` names table.column and id."""

    checked: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every stored value opens with the new key."""
        return not self.failures


def encrypted_tables(metadata: MetaData) -> list[EncryptedTable]:
    """Every table of ``metadata`` holding EncryptedText columns, in a stable order."""
    found = []
    for table in sorted(metadata.tables.values(), key=lambda t: t.name):
        columns = tuple(c for c in table.columns if isinstance(c.type, EncryptedText))
        if not columns:
            continue
        keys = list(table.primary_key.columns)
        if len(keys) != 1:
            raise RotationError(f"{table.name}: rotation needs a single-column primary key")
        found.append(EncryptedTable(table=table, key=keys[0], columns=columns))
    return found


def ciphers(new_key: str, previous_keys: list[str]) -> tuple[Fernet, MultiFernet]:
    """The new key alone (to check) and new + previous keys (to read and rewrite)."""
    try:
        new = Fernet(new_key)
        every = MultiFernet([new, *(Fernet(k) for k in previous_keys)])
    except (ValueError, TypeError) as exc:
        # Never echo a key.
        raise RotationError("invalid encryption key: expected 32-byte url-safe base64") from exc
    return new, every


def _opens_with(cipher: Fernet, token: str) -> bool:
    try:
        cipher.decrypt(token.encode("ascii"))
    except (InvalidToken, ValueError):
        return False
    return True


def _raw_rows(
    session: Session, target: EncryptedTable, after_id: int | None, limit: int | None
) -> Iterator[tuple[int, tuple[str | None, ...]]]:
    """Primary key and stored tokens (not decrypted: the columns are read as plain text)."""
    query = select(target.key, *(type_coerce(c, Text) for c in target.columns)).order_by(target.key)
    if after_id is not None:
        query = query.where(target.key > after_id)
    if limit is not None:
        query = query.limit(limit)
    for row in session.execute(query):
        yield row[0], tuple(row[1:])


def rotate_batch(
    session: Session,
    target: EncryptedTable,
    new: Fernet,
    every: MultiFernet,
    *,
    after_id: int | None,
    batch_size: int,
) -> BatchResult:
    """Rewrite one batch of rows under the new key; the caller commits the batch."""
    rows = list(_raw_rows(session, target, after_id, batch_size))
    result = BatchResult(last_id=rows[-1][0] if rows else None)
    changes: list[tuple[int, dict[str, str]]] = []
    for row_id, tokens in rows:
        values: dict[str, str] = {}
        for column, token in zip(target.columns, tokens, strict=True):
            if token is None:
                continue
            if _opens_with(new, token):
                result.already_new += 1
                continue
            try:
                values[column.name] = every.rotate(token.encode("ascii")).decode("ascii")
            except InvalidToken as exc:
                raise RotationError(
                    f"{target.table.name}.{column.name} id {row_id} opens with none of the keys"
                ) from exc
        if values:
            changes.append((row_id, values))
    if not changes:
        return result
    for row_id, values in changes:
        session.execute(
            update(target.table)
            .where(target.key == row_id)
            .values({name: type_coerce(token, Text) for name, token in values.items()})
        )
        result.rewritten += len(values)
    return result


def verify(session: Session, tables: list[EncryptedTable], new: Fernet) -> VerifyReport:
    """Check that every stored value opens with the new key alone."""
    report = VerifyReport()
    for target in tables:
        for row_id, tokens in _raw_rows(session, target, None, None):
            for column, token in zip(target.columns, tokens, strict=True):
                if token is None:
                    continue
                report.checked += 1
                if not _opens_with(new, token):
                    report.failures.append(f"{target.table.name}.{column.name} id {row_id}")
    return report


def record_rotation(
    session: Session, principal: Principal, *, rewritten: int, report: VerifyReport
) -> None:
    """One audit row for a finished run: counts only, never a key or a value."""
    audit.record(
        session,
        principal,
        "crypto.rotate_key" if report.ok else "crypto.rotate_key_incomplete",
        "database",
        None,
        {"rewritten": rewritten, "checked": report.checked, "failures": len(report.failures)},
    )
