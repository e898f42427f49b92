"""Approved and paid 協力費 rows are frozen in the database itself: plain SQL cannot change
or delete them (triggers on SQLite and PostgreSQL), except the approved → paid transition
the app performs. Drafts stay editable, and corrections are reversal entries."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from casework.models import CooperationFee, Person, Placement
from casework.permissions import Principal
from casework.schemas import FeeIn, PlacementIn, TransitionIn
from casework.services import fees, placements
from tests.casework.conftest import share_consent

DATES = [date(2026, 11, 24), date(2026, 12, 1)]


@pytest.fixture
def placed(
    session: Session, coordinator: Principal, started_person: Person, resource: Callable[..., str]
) -> Placement:
    rid = resource(slots=2, fee_yen=1500, fee_unit="per_session")
    share_consent(session, coordinator, started_person.id, rid)
    start = date(2026, 11, 22)
    p = placements.propose_placement(
        session, coordinator, started_person.id, PlacementIn(resource_id=rid, occurred_on=start)
    )
    return placements.transition_placement(
        session, coordinator, p.id, TransitionIn(to_state="placed", occurred_on=start)
    )


def _fee(session: Session, coordinator: Principal, placed: Placement, key: str) -> CooperationFee:
    data = FeeIn.model_validate({"idempotency_key": key, "activity_dates": DATES})
    fee, _ = fees.create_fee(session, coordinator, placed.id, data)
    return fee


def _state(session: Session, fee_id: int) -> tuple[str, int]:
    row = session.execute(
        text("SELECT state, amount_yen FROM cooperation_fee WHERE id = :id"), {"id": fee_id}
    ).one()
    return row[0], row[1]


REFUSED_ON_APPROVED = [
    "UPDATE cooperation_fee SET amount_yen = 1 WHERE id = :id",
    "UPDATE cooperation_fee SET state = 'draft' WHERE id = :id",
    "UPDATE cooperation_fee SET state = 'rejected' WHERE id = :id",
    "UPDATE cooperation_fee SET receiver_id = 'other' WHERE id = :id",
    # paying while also changing the amount is not the app's transition
    "UPDATE cooperation_fee SET state = 'paid', paid_on = '2026-12-20', amount_yen = 1 "
    "WHERE id = :id",
    # paid without a payment date is not either
    "UPDATE cooperation_fee SET state = 'paid' WHERE id = :id",
    "DELETE FROM cooperation_fee WHERE id = :id",
]


@pytest.mark.parametrize("statement", REFUSED_ON_APPROVED)
def test_plain_sql_cannot_change_an_approved_fee(
    session: Session, coordinator: Principal, finance: Principal, placed: Placement, statement: str
) -> None:
    fee = _fee(session, coordinator, placed, "frozen-approved")
    fees.approve_fee(session, finance, fee.id)
    with pytest.raises(DBAPIError) as refused, session.begin_nested():
        session.execute(text(statement), {"id": fee.id})
    assert "frozen" in str(refused.value.orig)
    assert _state(session, fee.id) == ("approved", 3000)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE cooperation_fee SET amount_yen = 1 WHERE id = :id",
        "UPDATE cooperation_fee SET state = 'approved' WHERE id = :id",
        "UPDATE cooperation_fee SET paid_on = '2027-01-01' WHERE id = :id",
        "UPDATE cooperation_fee SET note = 'x' WHERE id = :id",
        "DELETE FROM cooperation_fee WHERE id = :id",
        "DELETE FROM cooperation_fee",
    ],
)
def test_plain_sql_cannot_change_a_paid_fee(
    session: Session, coordinator: Principal, finance: Principal, placed: Placement, statement: str
) -> None:
    fee = _fee(session, coordinator, placed, "frozen-paid")
    fees.approve_fee(session, finance, fee.id)
    fees.mark_fee_paid(session, finance, fee.id, paid_on=date(2026, 12, 20))
    with pytest.raises(DBAPIError) as refused, session.begin_nested():
        session.execute(text(statement), {"id": fee.id})
    assert "frozen" in str(refused.value.orig)
    assert _state(session, fee.id) == ("paid", 3000)


def test_the_pay_transition_is_allowed_in_plain_sql(
    session: Session, coordinator: Principal, finance: Principal, placed: Placement
) -> None:
    fee = _fee(session, coordinator, placed, "frozen-pay-sql")
    fees.approve_fee(session, finance, fee.id)
    session.execute(
        text(
            "UPDATE cooperation_fee SET state = 'paid', paid_on = '2026-12-20', "
            "paid_by = 'user:1', version = version + 1 WHERE id = :id"
        ),
        {"id": fee.id},
    )
    assert _state(session, fee.id) == ("paid", 3000)


def test_drafts_stay_editable_and_deletable(
    session: Session, coordinator: Principal, placed: Placement
) -> None:
    fee = _fee(session, coordinator, placed, "frozen-draft")
    session.execute(text("UPDATE cooperation_fee SET amount_yen = 10 WHERE id = :id"),
                    {"id": fee.id})  # fmt: skip
    assert _state(session, fee.id) == ("draft", 10)
    session.execute(text("DELETE FROM cooperation_fee WHERE id = :id"), {"id": fee.id})
    assert session.execute(text("SELECT count(*) FROM cooperation_fee")).scalar_one() == 0


def test_app_workflow_still_runs_and_corrections_are_reversals(
    session: Session, coordinator: Principal, finance: Principal, placed: Placement
) -> None:
    fee = _fee(session, coordinator, placed, "frozen-flow")
    fees.approve_fee(session, finance, fee.id)
    paid = fees.mark_fee_paid(session, finance, fee.id, paid_on=date(2026, 12, 20))
    assert paid.state == "paid"
    reversal, _ = fees.reverse_fee(
        session, coordinator, fee.id, idempotency_key="frozen-flow-rev", reason="二重計上"
    )
    fees.approve_fee(session, finance, reversal.id)
    assert _state(session, reversal.id) == ("approved", -3000)
    assert _state(session, fee.id) == ("paid", 3000)


@pytest.mark.parametrize("statement", ["TRUNCATE cooperation_fee", "TRUNCATE placement CASCADE"])
def test_truncate_of_the_ledger_is_refused_on_postgresql(
    session: Session, coordinator: Principal, placed: Placement, statement: str
) -> None:
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("TRUNCATE exists on PostgreSQL only")
    fee = _fee(session, coordinator, placed, "frozen-truncate")
    with pytest.raises(DBAPIError) as refused, session.begin_nested():
        session.execute(text(statement))
    assert "append-only" in str(refused.value.orig)
    assert _state(session, fee.id) == ("draft", 3000)
