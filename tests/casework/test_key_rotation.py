"""Key rotation re-encrypts every sensitive field, batch by batch, resumably, next to rows
the database has frozen; verification checks the new key alone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from cryptography.fernet import Fernet, MultiFernet
from sqlalchemy import Text, select, text, type_coerce
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from casework import crypto
from casework.models import CooperationFee, Person, Placement
from casework.permissions import Principal
from casework.schemas import FeeIn, PlacementIn, TransitionIn
from casework.services import fees, key_rotation, placements
from storage.base import Base
from tests.casework.conftest import share_consent


@pytest.fixture
def paid_fee(
    session: Session,
    coordinator: Principal,
    finance: Principal,
    started_person: Person,
    resource: Callable[..., str],
) -> CooperationFee:
    rid = resource(slots=2, fee_yen=1500, fee_unit="per_session")
    share_consent(session, coordinator, started_person.id, rid)
    start = date(2026, 11, 22)
    p = placements.propose_placement(
        session, coordinator, started_person.id, PlacementIn(resource_id=rid, occurred_on=start)
    )
    placed: Placement = placements.transition_placement(
        session, coordinator, p.id, TransitionIn(to_state="placed", occurred_on=start)
    )
    data = FeeIn.model_validate(
        {"idempotency_key": "rotate-fee", "activity_dates": [date(2026, 12, 1)], "note": "交通費込"}
    )
    fee, _ = fees.create_fee(session, coordinator, placed.id, data)
    fees.approve_fee(session, finance, fee.id)
    return fees.mark_fee_paid(session, finance, fee.id, paid_on=date(2026, 12, 20))


def _rotate_all(session: Session, new: Fernet, every: MultiFernet, batch_size: int) -> int:
    rewritten = 0
    for target in key_rotation.encrypted_tables(Base.metadata):
        after: int | None = None
        while True:
            batch = key_rotation.rotate_batch(
                session, target, new, every, after_id=after, batch_size=batch_size
            )
            rewritten += batch.rewritten
            if batch.last_id is None:
                break
            after = batch.last_id
    return rewritten


def _raw_note(session: Session, fee_id: int) -> str:
    return session.execute(
        select(type_coerce(CooperationFee.note, Text)).where(CooperationFee.id == fee_id)
    ).scalar_one()


def test_every_encrypted_column_is_found() -> None:
    names = {
        f"{t.table.name}.{c.name}"
        for t in key_rotation.encrypted_tables(Base.metadata)
        for c in t.columns
    }
    assert {"person.health_notes", "follow_up_contact.note", "staff_user.totp_secret"} <= names
    # Plain columns are left alone; frozen tables hold no encrypted column.
    assert not {"person.name", "cooperation_fee.note", "audit_log.detail"} & names


def test_rotation_rewrites_everything_and_verifies_with_the_new_key_alone(
    session: Session,
    encryption_key: str,
    make_person: Callable[..., Person],
    paid_fee: CooperationFee,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    people = [make_person(health_notes=f"通院{i}") for i in range(5)]
    new_key = crypto.generate_key()
    new, every = key_rotation.ciphers(new_key, [encryption_key])
    tables = key_rotation.encrypted_tables(Base.metadata)
    before = key_rotation.verify(session, tables, new)
    assert not before.ok and len(before.failures) == before.checked >= 9

    rewritten = _rotate_all(session, new, every, batch_size=2)

    assert rewritten == before.checked
    after = key_rotation.verify(session, tables, new)
    assert after.ok and after.checked == before.checked
    # The frozen fee is untouched and still guarded.
    assert _raw_note(session, paid_fee.id) == "交通費込"
    with pytest.raises(DBAPIError, match="frozen"), session.begin_nested():
        session.execute(text("UPDATE cooperation_fee SET amount_yen = 1 WHERE id = :id"),
                        {"id": paid_fee.id})  # fmt: skip
    # The app reads the values with the new key alone.
    monkeypatch.setattr(crypto, "_cipher", MultiFernet([new]))
    session.expire_all()
    assert session.get(Person, people[3].id).health_notes == "通院3"  # type: ignore[union-attr]


def test_an_interrupted_rotation_resumes_without_rewriting_done_rows(
    session: Session, encryption_key: str, make_person: Callable[..., Person]
) -> None:
    for i in range(4):
        make_person(health_notes=f"通院{i}")
    new, every = key_rotation.ciphers(crypto.generate_key(), [encryption_key])
    person_table = next(
        t for t in key_rotation.encrypted_tables(Base.metadata) if t.table.name == "person"
    )
    first = key_rotation.rotate_batch(session, person_table, new, every, after_id=None,
                                      batch_size=2)  # fmt: skip
    assert first.rewritten > 0 and first.already_new == 0
    # "Interrupted" here; a new run starts from the beginning and skips what is done.
    rerun = key_rotation.rotate_batch(session, person_table, new, every, after_id=None,
                                      batch_size=2)  # fmt: skip
    assert (rerun.rewritten, rerun.already_new) == (0, first.rewritten)
    _rotate_all(session, new, every, batch_size=3)
    assert key_rotation.verify(session, key_rotation.encrypted_tables(Base.metadata), new).ok


def test_a_value_under_an_unknown_key_stops_the_rotation(
    session: Session, encryption_key: str, make_person: Callable[..., Person]
) -> None:
    make_person(health_notes="通院")
    stranger = crypto.generate_key()
    new, every = key_rotation.ciphers(crypto.generate_key(), [stranger])
    person_table = next(
        t for t in key_rotation.encrypted_tables(Base.metadata) if t.table.name == "person"
    )
    with pytest.raises(key_rotation.RotationError, match="none of the keys"):
        key_rotation.rotate_batch(session, person_table, new, every, after_id=None,
                                  batch_size=10)  # fmt: skip


def test_a_malformed_key_is_refused_without_echoing_it() -> None:
    with pytest.raises(key_rotation.RotationError) as refused:
        key_rotation.ciphers("not-a-key", [])
    assert "not-a-key" not in str(refused.value)
