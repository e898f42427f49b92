"""Audit chain, encryption at rest, and erasure on request."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session

from casework import crypto
from casework.errors import NotFound
from casework.models import AuditLog, CooperationFee, Person, Placement, StaffUser
from casework.permissions import Principal
from casework.schemas import (
    ConsentIn,
    FeeIn,
    NeedsProfileIn,
    PersonIn,
    PlacementIn,
    TransitionIn,
)
from casework.services import accounts, audit, consent, fees, people, placements
from tests.audit_tampering import lift_audit_triggers
from tests.casework.conftest import share_consent


def test_reads_and_writes_of_a_person_are_audited(
    session: Session, coordinator: Principal, make_person: Callable[..., Person]
) -> None:
    person = make_person()
    people.get_person(session, coordinator, person.id)
    rows = audit.read_audit_log(
        session, Principal(kind="system", id=0), entity_type="person", entity_id=str(person.id)
    )
    assert [r.action for r in rows][::-1] == ["person.create", "person.read"]
    assert all(r.actor == coordinator.ref and r.source_ip == "10.0.0.1" for r in rows)


def test_audit_rows_hold_no_personal_data(
    session: Session, coordinator: Principal, make_person: Callable[..., Person]
) -> None:
    person = make_person()
    people.update_person(session, coordinator, person.id, people.PersonUpdate(name="別の名前"))
    dumped = " ".join(
        audit.canonical_json(r) for r in session.query(AuditLog).order_by(AuditLog.id)
    )
    assert "別の名前" not in dumped and "千葉" not in dumped and '"fields":["name"]' in dumped


def test_record_returns_the_row_as_stored_with_its_hash(session: Session) -> None:
    who = Principal(kind="system", id=0, client="pytest", ip="10.0.0.9")
    entry = audit.record(session, who, "test.event", "person", 7, {"items": 3})
    assert entry is not None
    stored = session.get(AuditLog, entry.id)
    assert stored is not None
    assert (stored.action, stored.entity_id, stored.source_ip, stored.detail, stored.hash) == (
        "test.event", "7", "10.0.0.9", {"items": 3}, entry.hash,
    )  # fmt: skip
    assert audit.row_hash(stored) == audit.row_hash(entry) == entry.hash


def test_chain_verifies(session: Session, make_person: Callable[..., Person]) -> None:
    for _ in range(3):
        make_person()
    assert audit.verify_chain(session) == (True, None)


def test_tampering_with_a_row_is_detected(
    session: Session, make_person: Callable[..., Person]
) -> None:
    for _ in range(3):
        make_person()
    rows = session.query(AuditLog).order_by(AuditLog.id).all()
    victim = rows[1].id
    lift_audit_triggers(session)
    session.execute(
        text("UPDATE audit_log SET action = 'person.read' WHERE id = :id"), {"id": victim}
    )
    session.expire_all()
    assert audit.verify_chain(session) == (False, victim)


def test_deleting_a_row_is_detected(session: Session, make_person: Callable[..., Person]) -> None:
    for _ in range(3):
        make_person()
    rows = session.query(AuditLog).order_by(AuditLog.id).all()
    lift_audit_triggers(session)
    session.execute(text("DELETE FROM audit_log WHERE id = :id"), {"id": rows[1].id})
    session.expire_all()
    assert audit.verify_chain(session) == (False, rows[2].id)


def test_orm_refuses_to_update_audit_rows(
    session: Session, make_person: Callable[..., Person]
) -> None:
    make_person()
    row = session.query(AuditLog).order_by(AuditLog.id.desc()).first()
    assert row is not None
    row.action = "x"
    with pytest.raises(audit.AuditLogIsAppendOnly), session.begin_nested():
        session.flush()


def test_sensitive_text_is_not_plaintext_in_the_database(
    session: Session, coordinator: Principal, make_person: Callable[..., Person]
) -> None:
    person = make_person(health_notes="うつ病で通院中", family_notes="母と二人暮らし")
    people.put_profile(session, coordinator, person.id, NeedsProfileIn(needs_text="静かな農園"))
    raw = session.execute(
        text("SELECT health_notes, family_notes FROM person WHERE id = :id"), {"id": person.id}
    ).one()
    needs = session.execute(
        text("SELECT needs_text FROM needs_profile WHERE person_id = :id"), {"id": person.id}
    ).scalar_one()
    for value, plain in ((raw[0], "うつ病"), (raw[1], "母と"), (needs, "農園")):
        assert plain not in value and value.startswith("gAAAA")
    session.expire_all()
    assert session.get(Person, person.id).health_notes == "うつ病で通院中"  # type: ignore[union-attr]


def test_unconfigured_cipher_fails_clearly(
    session: Session, coordinator: Principal, encryption_key: str
) -> None:
    crypto.reset()
    try:
        # SQLAlchemy wraps errors raised while binding parameters; the cause is kept.
        with pytest.raises(StatementError) as caught, session.begin_nested():
            people.create_person(session, coordinator, PersonIn(name="x", health_notes="y"))
        assert isinstance(caught.value.orig, crypto.CryptoNotConfigured)
    finally:
        crypto.configure(encryption_key)


def test_deletion_erases_personal_data_and_keeps_counts(
    session: Session,
    coordinator: Principal,
    supervisor: Principal,
    finance: Principal,
    started_person: Person,
    resource: Callable[..., str],
) -> None:
    pid = started_person.id
    people.put_profile(session, coordinator, pid, NeedsProfileIn(needs_text="n"))
    consent.record_consent(
        session, coordinator, pid,
        ConsentIn(scope="matching", given_on=date(2026, 11, 1), method="written"),
    )  # fmt: skip
    rid = resource(slots=1)
    share_consent(session, coordinator, pid, rid)
    start = date(2026, 11, 22)
    p = placements.propose_placement(
        session, coordinator, pid, PlacementIn(resource_id=rid, occurred_on=start)
    )
    placements.transition_placement(
        session, coordinator, p.id, TransitionIn(to_state="placed", occurred_on=start)
    )
    fees.create_fee(
        session, coordinator, p.id,
        FeeIn(idempotency_key="erase-0001", activity_dates=[date(2026, 12, 1)]),
    )  # fmt: skip
    before = people.case_counts(session, supervisor)

    people.delete_person(session, supervisor, pid)

    after = people.case_counts(session, supervisor)
    assert after.people_by_fiscal_year == before.people_by_fiscal_year
    assert after.placements_by_state == before.placements_by_state
    assert after.deleted_people == before.deleted_people + 1
    tomb = session.get(Person, pid)
    assert tomb is not None
    assert (tomb.name, tomb.furigana, tomb.born_on, tomb.reception_number) == (None,) * 4
    assert tomb.health_notes is None and tomb.fiscal_year == 2026
    placement = session.get(Placement, p.id)
    assert placement is not None and placement.profile_id is None
    assert session.query(CooperationFee).filter_by(person_id=pid).count() == 1
    assert fees.budget_status(session, finance, 2026).draft_yen == 1000
    with pytest.raises(NotFound):
        people.get_person(session, coordinator, pid)
    assert audit.verify_chain(session) == (True, None)


def test_coordinator_cannot_delete(
    session: Session, coordinator: Principal, make_person: Callable[..., Person]
) -> None:
    from casework.errors import Forbidden

    with pytest.raises(Forbidden):
        people.delete_person(session, coordinator, make_person().id)


def test_audit_log_pages_back_from_a_row(
    session: Session, make_principal: Callable[..., Principal]
) -> None:
    auditor = make_principal("auditor", None)
    for n in range(5):
        audit.record(session, auditor, "test.row", "thing", n)
    newest = audit.read_audit_log(session, auditor, limit=2)
    older = audit.read_audit_log(session, auditor, limit=2, before_id=newest[-1].id)
    assert [r.id for r in older] == [newest[-1].id - 1, newest[-1].id - 2]


def test_staff_names_for_actor_references(
    session: Session, make_principal: Callable[..., Principal]
) -> None:
    who = make_principal("coordinator")
    user = session.get(StaffUser, who.id)
    assert user is not None
    names = accounts.staff_names_for_actors(
        session, [who.ref, f"旧名 ({who.ref})", "user:999999", "api_client:1", "test"]
    )
    assert names == {who.ref: user.display_name, f"旧名 ({who.ref})": user.display_name}
