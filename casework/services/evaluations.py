"""評価シート (様式第3号): goal attainment, the observed-change checklists, the person's wish."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from casework import repository as repo
from casework.checklists import CHANGE_ITEMS, NO_CHANGE_LABEL, OTHER_LABEL, WISHES
from casework.errors import InvalidInput, NotFound
from casework.models import EvaluationSheet
from casework.permissions import Principal, authorize
from casework.schemas import EvaluationIn
from casework.services import audit
from casework.services._common import load_person


def create_evaluation(
    session: Session, principal: Principal, person_id: int, data: EvaluationIn
) -> EvaluationSheet:
    """Record the next evaluation round (評価n回目)."""
    person = load_person(session, principal, person_id, "person:write")
    if data.plan_id is not None:
        plan = repo.get_plan(session, data.plan_id)
        if plan is None or plan.person_id != person.id:
            raise InvalidInput(f"plan {data.plan_id} is not a plan of this person")
    sheet = EvaluationSheet(
        person_id=person.id,
        round=repo.max_round(session, EvaluationSheet, person.id) + 1,
        evaluator_id=data.evaluator_id if data.evaluator_id is not None else principal.user_id,
        created_by=principal.ref,
        **data.model_dump(exclude={"evaluator_id"}),
    )
    session.add(sheet)
    session.flush()
    audit.record(
        session, principal, "evaluation.create", "person", person.id,
        {"evaluation_id": sheet.id, "round": sheet.round},
    )  # fmt: skip
    return sheet


@dataclass(frozen=True)
class ChecklistLine:
    """One checkbox as printed: code, label, ticked."""

    code: str
    label_ja: str
    checked: bool


@dataclass(frozen=True)
class EvaluationForm:
    """Every field of 様式第3号 for one sheet, ready to render."""

    evaluation_id: int
    reception_number: str | None  # 受付番号
    name: str | None  # 氏名
    round: int  # 評価回
    evaluator_id: int | None  # 評価担当者
    evaluator_name: str | None
    evaluated_on: str  # 評価記入日
    goal_attainment: str | None  # ■目標の達成状況
    life: list[ChecklistLine]  # 見られた変化 生活面
    social: list[ChecklistLine]  # 社会面
    other_label: str
    other_change: str | None  # 他 その他( )
    no_change_label: str
    no_change: bool  # この間に変化は見られなかった
    current_situation: str | None  # 現在の状況と残された課題
    wish: str | None  # 本人の希望 code: end / continue
    wish_label: str | None
    staff_opinion: str | None  # スタッフの意見


def evaluation_form(session: Session, principal: Principal, evaluation_id: int) -> EvaluationForm:
    """The sheet with every checklist line of the form (audited)."""
    sheet = repo.get_evaluation(session, evaluation_id)
    if sheet is None:
        authorize(principal, "person:read")
        raise NotFound("evaluation_sheet", evaluation_id)
    person = load_person(session, principal, sheet.person_id, "person:read")
    evaluator = repo.get_staff_user(session, sheet.evaluator_id) if sheet.evaluator_id else None
    ticked = set(sheet.changes or [])
    lines = {
        section: [
            ChecklistLine(i.code, i.label_ja, i.code in ticked)
            for i in CHANGE_ITEMS
            if i.section == section
        ]
        for section in ("life", "social")
    }
    audit.record(
        session, principal, "evaluation.read", "person", person.id, {"evaluation_id": sheet.id}
    )
    return EvaluationForm(
        evaluation_id=sheet.id,
        reception_number=person.reception_number,
        name=person.name,
        round=sheet.round,
        evaluator_id=sheet.evaluator_id,
        evaluator_name=evaluator.display_name if evaluator else None,
        evaluated_on=sheet.evaluated_on.isoformat(),
        goal_attainment=sheet.goal_attainment,
        life=lines["life"],
        social=lines["social"],
        other_label=OTHER_LABEL,
        other_change=sheet.other_change,
        no_change_label=NO_CHANGE_LABEL,
        no_change=sheet.no_change,
        current_situation=sheet.current_situation,
        wish=sheet.wish,
        wish_label=WISHES.get(sheet.wish) if sheet.wish else None,
        staff_opinion=sheet.staff_opinion,
    )


def list_evaluations(
    session: Session, principal: Principal, person_id: int
) -> list[EvaluationSheet]:
    """A person's evaluation sheets, oldest first (audited)."""
    person = load_person(session, principal, person_id, "person:read")
    rows = repo.evaluations(session, person.id)
    audit.record(session, principal, "evaluation.list", "person", person.id)
    return rows
