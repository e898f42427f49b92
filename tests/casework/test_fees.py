"""Cooperation fees: idempotency, states, frozen amounts, reversals, totals, budget, export."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from casework.errors import (
    BudgetExceeded,
    FeeLocked,
    Forbidden,
    IdempotencyConflict,
    InvalidInput,
    InvalidTransition,
)
from casework.models import CooperationFee, Person, Placement
from casework.permissions import Principal
from casework.schemas import FeeIn, PlacementIn, TransitionIn
from casework.services import fees, placements
from tests.casework.conftest import share_consent

DATES = [date(2026, 12, 1), date(2026, 12, 8), date(2026, 12, 15)]
STARTED = date(2026, 11, 22)  # proposed and placed on this day
LATER = date(2027, 6, 30)  # "today" of the fee entries: every date billed here is past


@pytest.fixture
def placed(
    session: Session, coordinator: Principal, started_person: Person, resource: Callable[..., str]
) -> Placement:
    rid = resource(slots=2, fee_yen=1500, fee_unit="per_session")
    share_consent(session, coordinator, started_person.id, rid)
    p = placements.propose_placement(
        session, coordinator, started_person.id, PlacementIn(resource_id=rid, occurred_on=STARTED)
    )
    return placements.transition_placement(
        session, coordinator, p.id, TransitionIn(to_state="placed", occurred_on=STARTED)
    )


def create_fee(
    session: Session, who: Principal, placement_id: int, data: FeeIn
) -> tuple[CooperationFee, bool]:
    """``fees.create_fee`` seen from LATER, so the dates of the next fiscal year are past."""
    return fees.create_fee(session, who, placement_id, data, today=LATER)


def fee_in(key: str, dates: list[date] = DATES, **kw: object) -> FeeIn:
    return FeeIn.model_validate({"idempotency_key": key, "activity_dates": dates, **kw})


def test_amount_uses_the_catalog_terms(
    session: Session, coordinator: Principal, placed: Placement
) -> None:
    fee, created = create_fee(session, coordinator, placed.id, fee_in("key-00001"))
    assert created
    assert (fee.fee_unit, fee.unit_amount_yen, fee.quantity, fee.amount_yen) == (
        "per_session", 1500, 3, 4500,
    )  # fmt: skip
    assert (fee.covers_from_on, fee.covers_to_on, fee.fiscal_year) == (
        date(2026, 12, 1), date(2026, 12, 15), 2026,
    )  # fmt: skip


def test_per_month_counts_months(
    session: Session, coordinator: Principal, placed: Placement
) -> None:
    data = fee_in("key-month", unit="per_month", unit_amount_yen=5000,
                  dates=[date(2026, 12, 1), date(2026, 12, 20), date(2027, 1, 5)])  # fmt: skip
    fee, _ = create_fee(session, coordinator, placed.id, data)
    assert (fee.quantity, fee.amount_yen) == (2, 10000)


def test_retried_call_returns_the_same_entry(
    session: Session, coordinator: Principal, placed: Placement
) -> None:
    first, created = create_fee(session, coordinator, placed.id, fee_in("key-00002"))
    again, created_again = create_fee(session, coordinator, placed.id, fee_in("key-00002"))
    assert (created, created_again, again.id) == (True, False, first.id)
    assert len(fees.list_fees(session, coordinator)) == 1


def test_reused_key_with_other_content_is_a_conflict(
    session: Session, coordinator: Principal, placed: Placement
) -> None:
    create_fee(session, coordinator, placed.id, fee_in("key-00003"))
    with pytest.raises(IdempotencyConflict):
        create_fee(session, coordinator, placed.id, fee_in("key-00003", [date(2027, 1, 5)]))


def test_the_same_day_cannot_be_billed_twice(
    session: Session, coordinator: Principal, placed: Placement
) -> None:
    create_fee(session, coordinator, placed.id, fee_in("key-00004"))
    with pytest.raises(InvalidInput, match="already billed"):
        create_fee(session, coordinator, placed.id, fee_in("key-00005", [DATES[0]]))


def test_one_entry_stays_within_one_fiscal_year(
    session: Session, coordinator: Principal, placed: Placement
) -> None:
    with pytest.raises(InvalidInput, match="fiscal year"):
        create_fee(
            session, coordinator, placed.id,
            fee_in("key-00006", [date(2027, 3, 31), date(2027, 4, 1)]),
        )  # fmt: skip


def test_draft_approved_paid(
    session: Session, coordinator: Principal, finance: Principal, placed: Placement
) -> None:
    fee, _ = create_fee(session, coordinator, placed.id, fee_in("key-00007"))
    fees.approve_fee(session, finance, fee.id)
    fees.mark_fee_paid(session, finance, fee.id, paid_on=date(2027, 1, 10))
    assert (fee.state, fee.approved_by, fee.paid_on) == ("paid", finance.ref, date(2027, 1, 10))
    with pytest.raises(InvalidTransition):
        fees.approve_fee(session, finance, fee.id)


def test_rejection_needs_a_reason_and_is_final(
    session: Session, coordinator: Principal, finance: Principal, placed: Placement
) -> None:
    fee, _ = create_fee(session, coordinator, placed.id, fee_in("key-00008"))
    with pytest.raises(InvalidInput):
        fees.reject_fee(session, finance, fee.id, reason="")
    fees.reject_fee(session, finance, fee.id, reason="日付の誤り")
    with pytest.raises(InvalidTransition):
        fees.approve_fee(session, finance, fee.id)


def test_coordinator_cannot_approve(
    session: Session, coordinator: Principal, placed: Placement
) -> None:
    fee, _ = create_fee(session, coordinator, placed.id, fee_in("key-00009"))
    with pytest.raises(Forbidden):
        fees.approve_fee(session, coordinator, fee.id)


def test_draft_can_be_corrected(
    session: Session, coordinator: Principal, placed: Placement
) -> None:
    fee, _ = create_fee(session, coordinator, placed.id, fee_in("key-00010"))
    fees.update_draft_fee(session, coordinator, fee.id, activity_dates=DATES[:2], today=LATER)
    assert (fee.quantity, fee.amount_yen) == (2, 3000)


def test_approved_amount_cannot_be_edited(
    session: Session, coordinator: Principal, finance: Principal, placed: Placement
) -> None:
    fee, _ = create_fee(session, coordinator, placed.id, fee_in("key-00011"))
    fees.approve_fee(session, finance, fee.id)
    with pytest.raises(FeeLocked):
        fees.update_draft_fee(session, coordinator, fee.id, unit_amount_yen=1)


def test_approved_amount_is_frozen_even_bypassing_the_service(
    session: Session, coordinator: Principal, finance: Principal, placed: Placement
) -> None:
    fee, _ = create_fee(session, coordinator, placed.id, fee_in("key-00012"))
    fees.approve_fee(session, finance, fee.id)
    fee.amount_yen = 1
    with pytest.raises(FeeLocked), session.begin_nested():
        session.flush()


def test_reversal_is_a_negative_entry_and_idempotent(
    session: Session, coordinator: Principal, finance: Principal, placed: Placement
) -> None:
    fee, _ = create_fee(session, coordinator, placed.id, fee_in("key-00013"))
    fees.approve_fee(session, finance, fee.id)
    rev, created = fees.reverse_fee(
        session, coordinator, fee.id, idempotency_key="rev-00013", reason="重複請求"
    )
    again, created_again = fees.reverse_fee(
        session, coordinator, fee.id, idempotency_key="rev-00013", reason="重複請求"
    )
    assert (rev.amount_yen, rev.reverses_fee_id, rev.state) == (-4500, fee.id, "draft")
    assert (created, created_again, again.id) == (True, False, rev.id)
    fees.approve_fee(session, finance, rev.id)
    [total] = fees.fee_totals(session, finance, group_by="fiscal_year", fiscal_year=2026)
    assert total.committed_yen == 0
    # The reversed days may be billed again, correctly.
    create_fee(session, coordinator, placed.id, fee_in("key-00014", DATES[:1]))


def test_a_draft_cannot_be_reversed(
    session: Session, coordinator: Principal, placed: Placement
) -> None:
    fee, _ = create_fee(session, coordinator, placed.id, fee_in("key-00015"))
    with pytest.raises(InvalidTransition):
        fees.reverse_fee(session, coordinator, fee.id, idempotency_key="rev-00015", reason="x")


def test_totals_and_budget_remaining(
    session: Session,
    coordinator: Principal,
    finance: Principal,
    placed: Placement,
    started_person: Person,
) -> None:
    a, _ = create_fee(session, coordinator, placed.id, fee_in("key-00016"))  # 4500
    b, _ = create_fee(
        session, coordinator, placed.id, fee_in("key-00017", [date(2027, 4, 6)])
    )  # 1500 in fiscal 2027
    c, _ = create_fee(
        session, coordinator, placed.id, fee_in("key-00018", [date(2027, 1, 5)])
    )  # 1500 stays draft
    fees.set_budget(session, finance, 2026, budget_yen=10000)
    fees.approve_fee(session, finance, a.id)
    fees.approve_fee(session, finance, b.id)
    fees.mark_fee_paid(session, finance, a.id, paid_on=date(2027, 1, 31))
    status = fees.budget_status(session, finance, 2026)
    assert (status.committed_yen, status.paid_yen, status.draft_yen, status.remaining_yen) == (
        4500, 4500, 1500, 5500,
    )  # fmt: skip
    by_year = {
        t.key: t.committed_yen for t in fees.fee_totals(session, finance, group_by="fiscal_year")
    }
    assert by_year == {"2026": 4500, "2027": 1500}
    [by_person] = fees.fee_totals(session, finance, group_by="person", fiscal_year=2026)
    assert (by_person.key, by_person.paid_yen, by_person.draft_yen) == (
        str(started_person.id), 4500, 1500,
    )  # fmt: skip
    [by_receiver] = fees.fee_totals(session, finance, group_by="receiver")
    assert by_receiver.key == a.receiver_id and by_receiver.committed_yen == 6000
    assert c.state == "draft"


def test_approval_over_budget_is_refused(
    session: Session, coordinator: Principal, finance: Principal, placed: Placement
) -> None:
    fee, _ = create_fee(session, coordinator, placed.id, fee_in("key-00019"))
    fees.set_budget(session, finance, 2026, budget_yen=4000)
    with pytest.raises(BudgetExceeded):
        fees.approve_fee(session, finance, fee.id)


def test_export_csv_and_xlsx(
    session: Session, coordinator: Principal, finance: Principal, placed: Placement
) -> None:
    fee, _ = create_fee(session, coordinator, placed.id, fee_in("key-00020"))
    raw = fees.export_fees(session, finance, fmt="csv", fiscal_year=2026)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [(r["fee_id"], r["amount_yen"], r["state"]) for r in rows] == [
        (str(fee.id), "4500", "draft")
    ]
    book = load_workbook(io.BytesIO(fees.export_fees(session, finance, fmt="xlsx")))
    sheet = book["cooperation_fee"]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:3] == ("fee_id", "fiscal_year", "state") and values[1][10] == 4500
    assert len(values) == 2


def test_amounts_are_integer_yen(
    session: Session, coordinator: Principal, placed: Placement
) -> None:
    fee, _ = create_fee(session, coordinator, placed.id, fee_in("key-00021"))
    stored = session.get(CooperationFee, fee.id)
    assert stored is not None and isinstance(stored.amount_yen, int)


def test_an_entry_is_reversed_once_even_with_a_fresh_key(
    session: Session, coordinator: Principal, finance: Principal, placed: Placement
) -> None:
    fee, _ = create_fee(session, coordinator, placed.id, fee_in("key-00016"))
    fees.approve_fee(session, finance, fee.id)
    fees.reverse_fee(session, coordinator, fee.id, idempotency_key="rev-00016a", reason="誤り")
    with pytest.raises(InvalidInput, match="already reversed"):
        fees.reverse_fee(session, coordinator, fee.id, idempotency_key="rev-00016b", reason="誤り")


def test_reversible_ids_offer_only_committed_unreversed_entries() -> None:
    from casework.models import CooperationFee
    from casework.services.fees import reversible_ids

    def fee(fid: int, state: str, amount: int, reverses: int | None = None) -> CooperationFee:
        return CooperationFee(id=fid, state=state, amount_yen=amount, reverses_fee_id=reverses)

    entries = [
        fee(1, "approved", 1000),
        fee(2, "paid", 2000),
        fee(3, "draft", 1000),
        fee(4, "paid", 500),
        fee(5, "approved", -500, reverses=4),  # 4 is reversed; a reversal is never reversible
    ]
    assert reversible_ids(entries) == {1, 2}
