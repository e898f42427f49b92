"""評価シート (様式第3号): goal attainment, the observed-change checklists, the person's wish."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from casework import repository as repo
from casework.checklists import CHANGE_ITEMS, NO_CHANGE_LABEL, OTHER_LABEL, WISHES
from casework.errors import InvalidInput
from casework.models import EvaluationRevision, EvaluationSheet, Person
from casework.permissions import Principal
from casework.schemas import EvaluationIn
from casework.services import audit
from casework.services._common import load_person, load_person_record, require_active_staff
from casework.services.accounts import actor_labels


def create_evaluation(
    session: Session, principal: Principal, person_id: int, data: EvaluationIn
) -> EvaluationSheet:
    """Record the next evaluation round (評価n回目)."""
    person = load_person(session, principal, person_id, "person:write")
    if data.plan_id is not None:
        plan = repo.get_plan(session, data.plan_id)
        if plan is None or plan.person_id != person.id:
            raise InvalidInput(f"plan {data.plan_id} is not a plan of this person")
    require_active_staff(session, data.evaluator_id, "評価担当者")
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
    person_id: int
    plan_id: int | None
    changes: list[str]  # ticked checklist codes (to prefill the correction form)
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


def _load_sheet(
    session: Session, principal: Principal, evaluation_id: int, permission: str
) -> tuple[EvaluationSheet, Person]:
    found = repo.get_evaluation(session, evaluation_id)
    return load_person_record(
        session, principal, found, "evaluation_sheet", evaluation_id, permission
    )


def evaluation_form(session: Session, principal: Principal, evaluation_id: int) -> EvaluationForm:
    """The sheet with every checklist line of the form (audited)."""
    sheet, person = _load_sheet(session, principal, evaluation_id, "person:read")
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
        person_id=person.id,
        plan_id=sheet.plan_id,
        changes=list(sheet.changes or []),
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


# The fields a correction may change, in the order of the printed form.
CORRECTABLE = (
    "plan_id",
    "evaluator_id",
    "evaluated_on",
    "goal_attainment",
    "changes",
    "other_change",
    "no_change",
    "current_situation",
    "wish",
    "staff_opinion",
)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def correct_evaluation(
    session: Session, principal: Principal, evaluation_id: int, data: EvaluationIn
) -> EvaluationSheet:
    """Correct a sheet (書き直し): the sheet holds the new values, a revision keeps the old.

    Same permission as writing a sheet. ``evaluator_id`` left empty keeps the current
    evaluator. A correction that changes nothing stores no revision.
    """
    sheet, person = _load_sheet(session, principal, evaluation_id, "person:write")
    if data.plan_id is not None:
        plan = repo.get_plan(session, data.plan_id)
        if plan is None or plan.person_id != person.id:
            raise InvalidInput(f"plan {data.plan_id} is not a plan of this person")
    require_active_staff(session, data.evaluator_id, "評価担当者")
    new = data.model_dump()
    if new["evaluator_id"] is None:
        new["evaluator_id"] = sheet.evaluator_id
    diff: dict[str, list[Any]] = {}
    for name in CORRECTABLE:
        old = getattr(sheet, name)
        if name == "changes":
            old = list(old or [])
        if old != new[name]:
            diff[name] = [_plain(old), _plain(new[name])]
            setattr(sheet, name, new[name])
    if diff:
        session.add(
            EvaluationRevision(
                evaluation_id=sheet.id,
                changes=json.dumps(diff, ensure_ascii=False),
                changed_by=principal.ref,
            )
        )
        session.flush()
    audit.record(
        session, principal, "evaluation.correct", "person", person.id,
        {"evaluation_id": sheet.id, "fields": sorted(diff)},
    )  # fmt: skip
    return sheet


@dataclass(frozen=True)
class FieldChange:
    """One field of one correction: its Japanese label, the value before and after."""

    field: str
    label_ja: str
    old: Any
    new: Any
    old_ja: str  # as a coordinator reads it (checklist labels, staff names)
    new_ja: str


@dataclass(frozen=True)
class EvaluationCorrection:
    """One correction of a sheet, for the history (訂正履歴)."""

    changed_at: datetime
    changed_by: str
    changed_by_name: str
    fields: list[FieldChange]


FIELD_LABELS = {
    "plan_id": "対象プラン",
    "evaluator_id": "評価担当者",
    "evaluated_on": "評価記入日",
    "goal_attainment": "目標の達成状況",
    "changes": "見られた変化",
    "other_change": "その他の変化",
    "no_change": "変化は見られなかった",
    "current_situation": "現在の状況と残された課題",
    "wish": "本人の希望",
    "staff_opinion": "スタッフの意見",
}


def evaluation_history(
    session: Session, principal: Principal, evaluation_id: int
) -> list[EvaluationCorrection]:
    """Every correction of a sheet, oldest first, with staff names (audited)."""
    sheet, person = _load_sheet(session, principal, evaluation_id, "person:read")
    rows = repo.evaluation_revisions(session, sheet.id)
    names = actor_labels(session, [r.changed_by for r in rows])
    diffs = [json.loads(r.changes) for r in rows]
    staff_ids = [v for d in diffs for v in d.get("evaluator_id", []) if isinstance(v, int)]
    staff = repo.staff_display_names(session, staff_ids)
    audit.record(
        session, principal, "evaluation.history", "person", person.id,
        {"evaluation_id": sheet.id},
    )  # fmt: skip
    return [
        EvaluationCorrection(
            changed_at=r.changed_at,
            changed_by=r.changed_by,
            changed_by_name=names[r.changed_by],
            fields=[
                FieldChange(
                    name,
                    FIELD_LABELS.get(name, name),
                    old,
                    new,
                    _shown(name, old, staff),
                    _shown(name, new, staff),
                )
                for name, (old, new) in diff.items()
            ],
        )
        for r, diff in zip(rows, diffs, strict=True)
    ]


def _shown(name: str, value: Any, staff: dict[int, str]) -> str:
    """A stored value as the page shows it."""
    if value is None or value == []:
        return "（空欄）"
    if name == "changes":
        return "・".join(CHANGE_LABELS.get(c, c) for c in value)
    if name == "evaluator_id":
        return staff.get(value, "職員（削除済み）")
    if name == "wish":
        return WISHES.get(value, value)
    if name == "no_change":
        return "はい" if value else "いいえ"
    if name == "plan_id":
        return f"プラン（ID {value}）"
    return str(value)


CHANGE_LABELS = {i.code: i.label_ja for i in CHANGE_ITEMS}
