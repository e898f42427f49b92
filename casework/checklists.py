"""評価シート (様式第3号) 見られた変化 checklists as data: stable codes and the form's labels."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Section = Literal["life", "social"]


@dataclass(frozen=True)
class ChangeItem:
    """One checkbox of the evaluation sheet."""

    code: str
    section: Section
    label_ja: str


# Order and wording follow the form exactly; codes never change once stored.
CHANGE_ITEMS: tuple[ChangeItem, ...] = (
    # 生活面
    ChangeItem("welfare_benefit_started", "life", "生活保護適用"),
    ChangeItem("housing_secured", "life", "住まいの確保・安定"),
    ChangeItem("medical_care_started", "life", "医療機関受診開始"),
    ChangeItem("health_improved", "life", "健康状態の改善"),
    ChangeItem("disability_certificate_obtained", "life", "障害者手帳取得"),
    ChangeItem("motivation_improved", "life", "自立意欲の向上・改善"),
    ChangeItem("relationships_improved", "life", "対人関係・家族関係の改善"),
    ChangeItem("lifestyle_improved", "life", "生活習慣の改善"),
    ChangeItem("isolation_resolved", "life", "孤立の解消"),
    ChangeItem("mental_stability", "life", "精神の安定"),
    ChangeItem("household_finances_improved", "life", "家計の改善"),
    ChangeItem("debt_settled", "life", "債務の整理"),
    ChangeItem("insurance_income_increased", "life", "保険関係収入の増加"),
    ChangeItem("pension_income_increased", "life", "年金関係収入の増加"),
    ChangeItem("other_income_increased", "life", "その他収入増加(一般就労以外)"),
    ChangeItem(
        "earned_income_increased",
        "life",
        "就労収入増加(一般就労において、転職・勤務時間の増加等により増収した場合)",
    ),
    # 社会面
    ChangeItem("job_retention", "social", "職場定着"),
    ChangeItem(
        "employment_started_continuing",
        "social",
        "一般就労開始(目的が継続的な就労(障害者雇用含む))",
    ),
    ChangeItem("employment_started_temporary", "social", "一般就労開始(目的が時限的)"),
    ChangeItem(
        "supported_employment_with_contract",
        "social",
        "雇用契約を伴う支援付き就労(就労訓練事業、就労継続A型等)",
    ),
    ChangeItem(
        "disability_services_used", "social", "障害者サービス活用(就労継続B型、就労移行支援等)"
    ),
    ChangeItem("self_employment_started", "social", "自営業等雇用外での就労開始"),
    ChangeItem("job_search_started", "social", "就職活動開始"),
    ChangeItem("training_or_school_started", "social", "職業訓練の開始、就学"),
    ChangeItem("social_participation_increased", "social", "社会参加機会の増加"),
)
CHANGE_ITEMS_BY_CODE: dict[str, ChangeItem] = {item.code: item for item in CHANGE_ITEMS}

# The form's other two boxes: 他 その他(自由記述) and この間に変化は見られなかった.
OTHER_LABEL = "その他"
NO_CHANGE_LABEL = "この間に変化は見られなかった"

# ■プランの終結・継続に関する本人希望
WISHES: dict[str, str] = {"end": "終結を希望", "continue": "継続を希望"}


def items_in(section: Section) -> list[ChangeItem]:
    """The checklist items of one section in form order."""
    return [item for item in CHANGE_ITEMS if item.section == section]
