"""Evaluation sheet (様式第3号): the checklists as data and the stored sheet."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy.orm import Session

from casework.checklists import CHANGE_ITEMS, items_in
from casework.models import Person
from casework.permissions import Principal
from casework.schemas import EvaluationIn
from casework.services import evaluations


def test_checklists_follow_the_form() -> None:
    assert [i.label_ja for i in items_in("life")][:4] == [
        "生活保護適用", "住まいの確保・安定", "医療機関受診開始", "健康状態の改善",
    ]  # fmt: skip
    assert len(items_in("life")) == 16 and len(items_in("social")) == 9
    assert items_in("social")[-1].label_ja == "社会参加機会の増加"
    assert len({i.code for i in CHANGE_ITEMS}) == len(CHANGE_ITEMS)


def test_sheet_renders_every_checkbox(
    session: Session, coordinator: Principal, make_person: Callable[..., Person]
) -> None:
    person = make_person()
    sheet = evaluations.create_evaluation(
        session, coordinator, person.id,
        EvaluationIn(
            evaluated_on=date(2027, 2, 1), goal_attainment="週1回通えている",
            changes=["isolation_resolved", "social_participation_increased"],
            other_change="表情が明るくなった", current_situation="体力面の不安",
            wish="continue", staff_opinion="継続が望ましい",
        ),
    )  # fmt: skip
    form = evaluations.evaluation_form(session, coordinator, sheet.id)
    assert (form.round, form.reception_number, form.name) == (
        1,
        person.reception_number,
        person.name,
    )
    assert [line.label_ja for line in form.life if line.checked] == ["孤立の解消"]
    assert [line.code for line in form.social if line.checked] == ["social_participation_increased"]
    assert len(form.life) + len(form.social) == len(CHANGE_ITEMS)
    assert (form.wish_label, form.no_change) == ("継続を希望", False)
    assert form.evaluator_id == coordinator.id


def test_rounds_count_up(
    session: Session, coordinator: Principal, make_person: Callable[..., Person]
) -> None:
    person = make_person()
    for _ in range(2):
        evaluations.create_evaluation(
            session,
            coordinator,
            person.id,
            EvaluationIn(evaluated_on=date(2027, 2, 1), no_change=True),
        )
    assert [s.round for s in evaluations.list_evaluations(session, coordinator, person.id)] == [
        1,
        2,
    ]


def test_unknown_checklist_code_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown checklist"):
        EvaluationIn(evaluated_on=date(2027, 2, 1), changes=["made_up"])


def test_no_change_excludes_ticked_changes() -> None:
    with pytest.raises(ValueError, match="変化"):
        EvaluationIn(evaluated_on=date(2027, 2, 1), changes=["debt_settled"], no_change=True)
