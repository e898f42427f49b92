"""Cooperation fees (協力費) paid to receivers, in integer yen.

draft → approved → paid, or draft → rejected (with a reason). Approved amounts never change:
a correction is a new negative entry reversing the original (``reverse_fee``). Every create
carries an idempotency key, so a retried call returns the entry made the first time.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from casework import capacity
from casework import repository as repo
from casework.errors import (
    BudgetExceeded,
    ConcurrentUpdate,
    FeeLocked,
    IdempotencyConflict,
    InvalidDate,
    InvalidInput,
    InvalidTransition,
    NotFound,
)
from casework.models import CooperationFee, FeeBudget, Placement, utcnow
from casework.permissions import Principal, authorize
from casework.reference import fiscal_year
from casework.schemas import FeeIn
from casework.services import audit
from casework.services._common import (
    jp_date,
    load_person,
    load_person_record,
    not_in_future,
    today_in_japan,
)
from resources_catalog.exporters.xlsx import table_xlsx

BILLABLE_STATES = ("visit", "trial", "placed", "ended")
COMMITTED_STATES = ("approved", "paid")

EXPORT_COLUMNS: tuple[str, ...] = (
    "fee_id", "fiscal_year", "state", "receiver_id", "resource_id", "placement_id",
    "person_id", "fee_unit", "unit_amount_yen", "quantity", "amount_yen", "covers_from_on",
    "covers_to_on", "activity_dates", "reverses_fee_id", "approved_at", "paid_on", "note",
)  # fmt: skip


def _quantity(unit: str, dates: list[date]) -> tuple[int, list[object]]:
    """How many units the dates make, and the billed units (days or months)."""
    if unit == "per_session":
        days = sorted(set(dates))
        return len(days), list(days)
    months = sorted({(d.year, d.month) for d in dates})
    return len(months), list(months)


def _billed_units(session: Session, placement_id: int, unit: str, exclude_id: int | None) -> set:
    """Days or months already covered by live (not rejected, not reversed) entries."""
    entries = repo.fees_of_placement(session, placement_id)
    reversed_ids = {
        f.reverses_fee_id for f in entries if f.reverses_fee_id and f.state != "rejected"
    }
    covered: set[object] = set()
    for fee in entries:
        if (
            fee.id == exclude_id
            or fee.state == "rejected"
            or fee.amount_yen < 0
            or fee.reverses_fee_id is not None
            or fee.id in reversed_ids
            or fee.fee_unit != unit
        ):
            continue
        _, units = _quantity(unit, [date.fromisoformat(d) for d in fee.activity_dates])
        covered.update(units)
    return covered


def _terms(
    session: Session, placement: Placement, data_unit: str | None, data_amount: int | None
) -> tuple[str, int, str]:
    """(unit, unit amount, receiver id): explicit values win, else the catalog's terms."""
    terms = capacity.fee_terms(session, placement.resource_id)
    unit = data_unit or (terms.unit if terms else None)
    amount = data_amount if data_amount is not None else (terms.amount_yen if terms else None)
    if unit not in ("per_session", "per_month") or amount is None:
        raise InvalidInput(
            f"resource {placement.resource_id} has no cooperation-fee terms; give unit and amount"
        )
    receiver = terms.receiver_id if terms else placement.resource_id
    return unit, amount, receiver


def _check_dates(dates: list[date]) -> int:
    years = {fiscal_year(d) for d in dates}
    if len(years) != 1:
        raise InvalidInput("one fee entry covers activity dates of one fiscal year only")
    return years.pop()


def _check_within_placement(
    session: Session, placement: Placement, dates: list[date], today: date | None
) -> None:
    """Activity dates lie between the first day at the receiver and the end, and not ahead.

    The first day is the first billable step (見学, 体験 or 定着支援中, whichever came first):
    the receiver cannot be paid for a day the person had not yet been there.
    """
    now = today or today_in_japan()
    for day in sorted(set(dates)):
        not_in_future("activity_dates", "活動日", day, now)
    steps = repo.transitions_of(session, placement.id)
    first = next((t.occurred_on for t in steps if t.to_state in BILLABLE_STATES), None)
    end = next((t.occurred_on for t in steps if t.to_state == "ended"), None)
    early = min(dates)
    if first is not None and early < first:
        raise InvalidDate(
            "activity_dates",
            f"活動日（{jp_date(early)}）が、この受入先での活動の始まり（{jp_date(first)}）"
            "より前です。",
            f"{early.isoformat()} is before the placement started ({first.isoformat()})",
        )
    late = max(dates)
    if end is not None and late > end:
        raise InvalidDate(
            "activity_dates",
            f"活動日（{jp_date(late)}）が、この受入先の利用終了日（{jp_date(end)}）より後です。",
            f"{late.isoformat()} is after the placement ended ({end.isoformat()})",
        )


def create_fee(
    session: Session,
    principal: Principal,
    placement_id: int,
    data: FeeIn,
    *,
    today: date | None = None,
) -> tuple[CooperationFee, bool]:
    """Create a draft fee entry; returns (entry, created). A repeated key returns the original."""
    authorize(principal, "fee:write")
    audit.lock_chain(session)
    existing = repo.fee_by_key(session, data.idempotency_key)
    if existing is not None:
        return _same_request(existing, placement_id, data), False
    found = repo.get_placement(session, placement_id)
    placement, _ = load_person_record(
        session, principal, found, "placement", placement_id, "fee:write"
    )
    if placement.state not in BILLABLE_STATES:
        raise InvalidTransition("placement", placement.state, "fee", "nothing to pay for yet")
    _check_within_placement(session, placement, data.activity_dates, today)
    unit, unit_amount, receiver = _terms(session, placement, data.unit, data.unit_amount_yen)
    fy = _check_dates(data.activity_dates)
    quantity, units = _quantity(unit, data.activity_dates)
    overlap = set(units) & _billed_units(session, placement.id, unit, None)
    if overlap:
        raise InvalidInput(f"{len(overlap)} day(s)/month(s) are already billed for this placement")
    fee = CooperationFee(
        idempotency_key=data.idempotency_key,
        placement_id=placement.id,
        person_id=placement.person_id,
        resource_id=placement.resource_id,
        receiver_id=receiver,
        fee_unit=unit,
        unit_amount_yen=unit_amount,
        quantity=quantity,
        amount_yen=unit_amount * quantity,
        activity_dates=[d.isoformat() for d in sorted(set(data.activity_dates))],
        covers_from_on=min(data.activity_dates),
        covers_to_on=max(data.activity_dates),
        fiscal_year=fy,
        state="draft",
        note=data.note,
        created_by=principal.ref,
    )
    stored = _insert_once(session, fee)
    if stored is not fee:
        return _same_request(stored, placement_id, data), False
    audit.record(
        session, principal, "fee.create", "cooperation_fee", fee.id,
        {"placement_id": placement.id, "amount_yen": fee.amount_yen},
    )  # fmt: skip
    return fee, True


def _insert_once(session: Session, fee: CooperationFee) -> CooperationFee:
    """Insert, or on a concurrent insert of the same key return the row that won."""
    try:
        with session.begin_nested():
            session.add(fee)
            session.flush()
    except IntegrityError:
        winner = repo.fee_by_key(session, fee.idempotency_key)
        if winner is None:
            raise
        return winner
    return fee


def _same_request(existing: CooperationFee, placement_id: int, data: FeeIn) -> CooperationFee:
    same = existing.placement_id == placement_id and existing.activity_dates == [
        d.isoformat() for d in sorted(set(data.activity_dates))
    ]
    if not same:
        raise IdempotencyConflict(
            f"idempotency key already used for fee {existing.id} with a different request"
        )
    return existing


def _load_fee(session: Session, fee_id: int) -> CooperationFee:
    fee = repo.get_fee(session, fee_id)
    if fee is None:
        raise NotFound("cooperation_fee", fee_id)
    return fee


def _fee_to_move(session: Session, fee_id: int, state: str, target: str) -> CooperationFee:
    """A fee in ``state``, about to move to ``target``; InvalidTransition from any other."""
    fee = _load_fee(session, fee_id)
    if fee.state != state:
        raise InvalidTransition("cooperation_fee", fee.state, target)
    return fee


def _flush(session: Session, fee: CooperationFee) -> None:
    try:
        session.flush()
    except StaleDataError as exc:
        raise ConcurrentUpdate(f"cooperation fee {fee.id} was changed by someone else") from exc


def update_draft_fee(
    session: Session,
    principal: Principal,
    fee_id: int,
    *,
    activity_dates: list[date] | None = None,
    unit_amount_yen: int | None = None,
    note: str | None = None,
    today: date | None = None,
) -> CooperationFee:
    """Correct a draft entry; approved, paid or rejected entries raise FeeLocked."""
    authorize(principal, "fee:write")
    fee = _load_fee(session, fee_id)
    load_person(session, principal, fee.person_id, "fee:write")
    if fee.state != "draft":
        raise FeeLocked(f"cooperation fee {fee_id} is {fee.state}; reverse it instead")
    if fee.amount_yen < 0:
        raise FeeLocked("a reversal entry mirrors its original and cannot be edited")
    if unit_amount_yen is not None:
        if unit_amount_yen < 0:
            raise InvalidInput("unit_amount_yen cannot be negative")
        fee.unit_amount_yen = unit_amount_yen
    if activity_dates is not None:
        if not activity_dates:
            raise InvalidInput("at least one activity date")
        placement = repo.get_placement(session, fee.placement_id)
        if placement is not None:
            _check_within_placement(session, placement, activity_dates, today)
        fee.fiscal_year = _check_dates(activity_dates)
        quantity, units = _quantity(fee.fee_unit, activity_dates)
        if set(units) & _billed_units(session, fee.placement_id, fee.fee_unit, fee.id):
            raise InvalidInput("some dates are already billed for this placement")
        fee.quantity = quantity
        fee.activity_dates = [d.isoformat() for d in sorted(set(activity_dates))]
        fee.covers_from_on, fee.covers_to_on = min(activity_dates), max(activity_dates)
    if note is not None:
        fee.note = note
    fee.amount_yen = fee.unit_amount_yen * fee.quantity
    _flush(session, fee)
    audit.record(session, principal, "fee.update", "cooperation_fee", fee.id)
    return fee


def approve_fee(session: Session, principal: Principal, fee_id: int) -> CooperationFee:
    """draft → approved; refused when it would take the year's committed total over budget."""
    authorize(principal, "fee:approve")
    audit.lock_chain(session)
    fee = _fee_to_move(session, fee_id, "draft", "approved")
    budget = repo.lock_budget(session, fee.fiscal_year)
    if budget is not None and fee.amount_yen > 0:
        committed = _committed(session, fee.fiscal_year)
        if committed + fee.amount_yen > budget.budget_yen:
            raise BudgetExceeded(
                f"fiscal year {fee.fiscal_year}: {committed} + {fee.amount_yen} yen "
                f"exceeds the budget of {budget.budget_yen} yen"
            )
    fee.state = "approved"
    fee.approved_at = utcnow()
    fee.approved_by = principal.ref
    _flush(session, fee)
    audit.record(session, principal, "fee.approve", "cooperation_fee", fee.id)
    return fee


def reject_fee(
    session: Session, principal: Principal, fee_id: int, *, reason: str
) -> CooperationFee:
    """draft → rejected, with the reason."""
    authorize(principal, "fee:approve")
    fee = _fee_to_move(session, fee_id, "draft", "rejected")
    if not reason.strip():
        raise InvalidInput("a rejection needs a reason")
    fee.state = "rejected"
    fee.rejection_reason = reason
    fee.rejected_at = utcnow()
    fee.rejected_by = principal.ref
    _flush(session, fee)
    audit.record(session, principal, "fee.reject", "cooperation_fee", fee.id)
    return fee


def mark_fee_paid(
    session: Session, principal: Principal, fee_id: int, *, paid_on: date
) -> CooperationFee:
    """approved → paid (支払済), with the payment date."""
    authorize(principal, "fee:pay")
    fee = _fee_to_move(session, fee_id, "approved", "paid")
    fee.state = "paid"
    fee.paid_on = paid_on
    fee.paid_at = utcnow()
    fee.paid_by = principal.ref
    _flush(session, fee)
    audit.record(session, principal, "fee.pay", "cooperation_fee", fee.id)
    return fee


def reversible_ids(entries: list[CooperationFee]) -> set[int]:
    """Which of these entries may still be reversed: approved or paid, not itself a reversal,
    and not reversed yet (the same rule ``reverse_fee`` enforces, for offering the button)."""
    reversed_ids = {f.reverses_fee_id for f in entries if f.reverses_fee_id is not None}
    return {
        f.id
        for f in entries
        if f.state in COMMITTED_STATES and f.amount_yen >= 0 and f.id not in reversed_ids
    }


def reverse_fee(
    session: Session,
    principal: Principal,
    fee_id: int,
    *,
    idempotency_key: str,
    reason: str,
) -> tuple[CooperationFee, bool]:
    """Cancel an approved/paid entry with a negative draft entry (approve it like any other)."""
    authorize(principal, "fee:write")
    audit.lock_chain(session)
    existing = repo.fee_by_key(session, idempotency_key)
    if existing is not None:
        if existing.reverses_fee_id != fee_id:
            raise IdempotencyConflict(f"idempotency key already used for fee {existing.id}")
        return existing, False
    original = _load_fee(session, fee_id)
    load_person(session, principal, original.person_id, "fee:write")
    if original.state not in COMMITTED_STATES:
        raise InvalidTransition(
            "cooperation_fee", original.state, "reversed", "only approved or paid entries"
        )
    if original.amount_yen < 0:
        raise InvalidInput("a reversal cannot itself be reversed")
    if any(
        f.reverses_fee_id == original.id
        for f in repo.fees_of_placement(session, original.placement_id)
    ):
        # One reversal per entry (unique in the table): a second tab or a resend with a fresh
        # key gets this answer instead of an integrity error.
        raise InvalidInput(f"cooperation fee {original.id} is already reversed")
    if not reason.strip():
        raise InvalidInput("a reversal needs a reason")
    reversal = CooperationFee(
        idempotency_key=idempotency_key,
        placement_id=original.placement_id,
        person_id=original.person_id,
        resource_id=original.resource_id,
        receiver_id=original.receiver_id,
        fee_unit=original.fee_unit,
        unit_amount_yen=original.unit_amount_yen,
        quantity=-original.quantity,
        amount_yen=-original.amount_yen,
        activity_dates=list(original.activity_dates),
        covers_from_on=original.covers_from_on,
        covers_to_on=original.covers_to_on,
        fiscal_year=original.fiscal_year,
        state="draft",
        reverses_fee_id=original.id,
        note=reason,
        created_by=principal.ref,
    )
    stored = _insert_once(session, reversal)
    if stored is not reversal:
        if stored.reverses_fee_id != fee_id:
            raise IdempotencyConflict(f"idempotency key already used for fee {stored.id}")
        return stored, False
    audit.record(
        session, principal, "fee.reverse", "cooperation_fee", reversal.id,
        {"reverses": original.id, "amount_yen": reversal.amount_yen},
    )  # fmt: skip
    return reversal, True


def list_fees(
    session: Session, principal: Principal, *, fiscal_year: int | None = None
) -> list[CooperationFee]:
    """Fee entries (of one fiscal year), oldest first."""
    authorize(principal, "fee:read")
    return repo.fees(session, fiscal_year=fiscal_year)


# --- totals and budget ---------------------------------------------------------------


@dataclass(frozen=True)
class FeeTotal:
    """Sums in yen for one receiver / person / fiscal year; committed = approved + paid."""

    key: str
    draft_yen: int
    approved_yen: int
    paid_yen: int
    rejected_yen: int

    @property
    def committed_yen(self) -> int:
        """Approved (to be paid) plus paid."""
        return self.approved_yen + self.paid_yen


def fee_totals(
    session: Session,
    principal: Principal,
    *,
    group_by: str,
    fiscal_year: int | None = None,
) -> list[FeeTotal]:
    """Totals per ``receiver``, ``person``, ``resource`` or ``fiscal_year``."""
    authorize(principal, "fee:read")
    if group_by not in repo.FEE_GROUP_COLUMNS:
        raise InvalidInput(f"group_by must be one of {', '.join(repo.FEE_GROUP_COLUMNS)}")
    sums: dict[str, dict[str, int]] = {}
    for key, state, amount in repo.fee_sums(session, group_by, fiscal_year=fiscal_year):
        sums.setdefault(str(key), {})[state] = amount
    return [
        FeeTotal(
            key=key,
            draft_yen=s.get("draft", 0),
            approved_yen=s.get("approved", 0),
            paid_yen=s.get("paid", 0),
            rejected_yen=s.get("rejected", 0),
        )
        for key, s in sums.items()
    ]


def _committed(session: Session, fy: int) -> int:
    return sum(
        amount
        for _key, state, amount in repo.fee_sums(session, "fiscal_year", fiscal_year=fy)
        if state in COMMITTED_STATES
    )


def set_budget(
    session: Session, principal: Principal, fiscal_year: int, *, budget_yen: int
) -> FeeBudget:
    """Set (or change) the cooperation-fee budget of a fiscal year."""
    authorize(principal, "fee:budget")
    if budget_yen < 0:
        raise InvalidInput("budget_yen cannot be negative")
    budget = repo.get_budget(session, fiscal_year)
    if budget is None:
        budget = FeeBudget(fiscal_year=fiscal_year, budget_yen=budget_yen, updated_by="")
        session.add(budget)
    budget.budget_yen = budget_yen
    budget.updated_by = principal.ref
    session.flush()
    audit.record(
        session, principal, "fee.budget", "fee_budget", fiscal_year, {"budget_yen": budget_yen}
    )
    return budget


@dataclass(frozen=True)
class BudgetStatus:
    """A fiscal year's budget, what is committed and paid, and what remains."""

    fiscal_year: int
    budget_yen: int | None
    committed_yen: int
    paid_yen: int
    draft_yen: int
    remaining_yen: int | None


def budget_status(session: Session, principal: Principal, fiscal_year: int) -> BudgetStatus:
    """Budget, committed (approved + paid), paid, pending drafts and remaining for the year."""
    authorize(principal, "fee:read")
    budget = repo.get_budget(session, fiscal_year)
    by_state: dict[str, int] = {}
    for _key, state, amount in repo.fee_sums(session, "fiscal_year", fiscal_year=fiscal_year):
        by_state[state] = by_state.get(state, 0) + amount
    committed = by_state.get("approved", 0) + by_state.get("paid", 0)
    return BudgetStatus(
        fiscal_year=fiscal_year,
        budget_yen=budget.budget_yen if budget else None,
        committed_yen=committed,
        paid_yen=by_state.get("paid", 0),
        draft_yen=by_state.get("draft", 0),
        remaining_yen=(budget.budget_yen - committed) if budget else None,
    )


# --- export --------------------------------------------------------------------------


def _rows(entries: list[CooperationFee]) -> list[list[object]]:
    return [
        [
            f.id, f.fiscal_year, f.state, f.receiver_id, f.resource_id, f.placement_id,
            f.person_id, f.fee_unit, f.unit_amount_yen, f.quantity, f.amount_yen,
            f.covers_from_on.isoformat(), f.covers_to_on.isoformat(), ";".join(f.activity_dates),
            f.reverses_fee_id,
            f.approved_at.isoformat() if f.approved_at else None,
            f.paid_on.isoformat() if f.paid_on else None,
            f.note,
        ]
        for f in entries
    ]  # fmt: skip


def export_fees(
    session: Session, principal: Principal, *, fmt: str, fiscal_year: int | None = None
) -> bytes:
    """Fee entries as CSV (UTF-8 with BOM, for Excel) or xlsx. No names: ids only."""
    authorize(principal, "fee:export")
    if fmt not in ("csv", "xlsx"):
        raise InvalidInput("format must be csv or xlsx")
    rows = _rows(repo.fees(session, fiscal_year=fiscal_year))
    audit.record(
        session, principal, "fee.export", "cooperation_fee", None,
        {"format": fmt, "fiscal_year": fiscal_year, "rows": len(rows)},
    )  # fmt: skip
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(EXPORT_COLUMNS)
        writer.writerows(["" if v is None else v for v in row] for row in rows)
        return buffer.getvalue().encode("utf-8-sig")
    return table_xlsx("cooperation_fee", EXPORT_COLUMNS, rows)
