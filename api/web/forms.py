"""Form handling for the pages: read posted values, validate with the domain's pydantic
schemas, and say in Japanese which field is wrong and why."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

from casework.errors import (
    AuthenticationFailed,
    BudgetExceeded,
    CaseworkError,
    ConcurrentUpdate,
    ConsentRequired,
    FeeLocked,
    Forbidden,
    IdempotencyConflict,
    InvalidInput,
    InvalidTransition,
    NoCapacity,
    NotFound,
    SupportNotStarted,
)
from casework.reference import CONSENT_SCOPES
from casework.services.placements import STATE_LABELS

M = TypeVar("M", bound=BaseModel)

# Japanese names of form fields, used in messages ("生年月日: 日付の形式が…").
FIELD_LABELS: dict[str, str] = {
    "name": "氏名",
    "furigana": "ふりがな",
    "sex": "性別",
    "born_on": "生年月日",
    "phone": "電話番号",
    "email": "メールアドレス",
    "address": "住所",
    "ward": "区",
    "home_lat": "自宅の緯度",
    "home_lon": "自宅の経度",
    "referral_source": "紹介元",
    "referred_on": "紹介日",
    "received_on": "相談受付日",
    "health_notes": "健康面のメモ",
    "disability_notes": "障害に関するメモ",
    "family_notes": "家族の状況",
    "needs_text": "やってみたいこと・希望",
    "avoid_text": "避けたいこと",
    "age": "年齢",
    "days": "参加できる曜日",
    "max_travel_km": "移動できる距離",
    "preferred_categories": "希望する分野",
    "excluded_resource_ids": "除外する受入先",
    "scope": "同意の範囲",
    "receiver_id": "受入先",
    "receiver_kind": "受入先の種類",
    "given_on": "同意日",
    "method": "方法",
    "expires_on": "有効期限",
    "withdrawn_on": "撤回日",
    "created_on": "作成日",
    "issues_text": "解決したい課題",
    "goal_text": "目標",
    "actions": "実施内容",
    "actor_kind": "実施者",
    "period_end_on": "プラン期間",
    "next_monitoring_on": "次回モニタリング時期",
    "decided_on": "決定日",
    "started_on": "支援開始日",
    "reason": "理由",
    "reason_code": "理由",
    "to_state": "次の段階",
    "note": "メモ",
    "contacted_on": "連絡日",
    "party": "相手",
    "discussed": "話したこと",
    "next_action": "次の対応",
    "next_action_on": "次の対応日",
    "evaluated_on": "評価記入日",
    "goal_attainment": "目標の達成状況",
    "changes": "見られた変化",
    "other_change": "その他の変化",
    "no_change": "この間に変化は見られなかった",
    "current_situation": "現在の状況と残された課題",
    "wish": "本人の希望",
    "staff_opinion": "スタッフの意見",
    "activity_dates": "活動日",
    "unit_amount_yen": "単価",
    "unit": "単位",
    "budget_yen": "予算額",
    "resource_id": "資源ID",
    "organization": "団体名",
    "description": "活動内容",
    "categories": "分類",
    "lat": "緯度",
    "lon": "経度",
    "start_time": "開始時刻",
    "end_time": "終了時刻",
    "capacity_total": "定員",
    "capacity_remaining": "空き",
    "min_age": "最低年齢",
    "max_age": "最高年齢",
    "participant_cost_yen": "参加費",
    "cooperation_fee_yen": "協力費",
    "cooperation_fee_unit": "協力費の単位",
    "status": "状態",
    "contact_name": "担当者名",
    "closed_on": "終結日",
    "follow_up_interval_days": "フォローアップ間隔",
    "interval_days": "連絡の間隔",
    "ended_on": "終了日",
    "occurred_on": "この段階の日付",
}

# Names of the states of the other state machines in "cannot go from … to …" messages.
_TRANSITION_LABELS: dict[str, dict[str, str]] = {
    "person": {"open": "支援中", "closed": "終結"},
    "cooperation_fee": {
        "draft": "承認待ち",
        "approved": "承認済み",
        "paid": "支払済み",
        "rejected": "却下",
        "reversed": "取消",
    },
}
# …and of the operation, where it is not named by the state it leads to.
_TRANSITION_TARGETS: dict[str, dict[str, str]] = {"person": {"open": "再開", "closed": "終結"}}


def _num(value: Any) -> str:
    """5.0 → 5 in messages."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _message(error: dict[str, Any]) -> str:
    """A Japanese sentence for one pydantic error."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "入力してください。"
    if kind == "string_too_short":
        return (
            "入力してください。"
            if ctx.get("min_length") == 1
            else (f"{ctx.get('min_length')}文字以上で入力してください。")
        )
    if kind == "string_too_long":
        return f"{ctx.get('max_length')}文字以内で入力してください。"
    if kind == "too_short":
        return "少なくとも1つ入力してください。"
    if kind.startswith("date"):
        return "日付の形式が正しくありません（例: 2026-11-22）。"
    if kind in ("int_parsing", "int_from_float"):
        return "整数で入力してください。"
    if kind == "float_parsing":
        return "数値で入力してください。"
    if kind in ("greater_than", "greater_than_equal"):
        bound = _num(ctx.get("gt", ctx.get("ge")))
        return (
            f"{bound}{'より大きい' if kind == 'greater_than' else '以上の'}値を入力してください。"
        )
    if kind in ("less_than", "less_than_equal"):
        bound = _num(ctx.get("lt", ctx.get("le")))
        return f"{bound}{'未満の' if kind == 'less_than' else '以下の'}値を入力してください。"
    if kind == "literal_error" or kind == "enum":
        return "選択肢から選んでください。"
    if kind == "string_pattern_mismatch":
        return "形式が正しくありません（時刻は 09:30 のように入力）。"
    if kind == "bool_parsing":
        return "はい・いいえで選んでください。"
    if kind == "extra_forbidden":
        return "この項目は入力できません。"
    return _value_error_ja(str(error.get("msg", "")))


# English messages of the domain's validators → Japanese.
_VALUE_ERRORS: tuple[tuple[str, str], ...] = (
    (
        "ward must be one of",
        "千葉市の区（中央区・花見川区・稲毛区・若葉区・緑区・美浜区）から選んでください。",
    ),
    ("home_lat and home_lon go together", "緯度と経度は両方入力してください。"),
    (
        "invalid phone number",
        "電話番号は0から始まる10桁または11桁の数字で入力してください（例: 043-123-4567）。",
    ),
    ("invalid e-mail address", "メールアドレスの形式が正しくありません（例: hanako@example.jp）。"),
    (
        "sharing with a receiver names the receiver",
        "受入先への情報提供の同意には受入先を指定してください。",
    ),
    (
        "only share_with_receiver consents name a receiver",
        "受入先を指定できるのは「受入先への情報提供」の同意だけです。",
    ),
    ("expires_on is before given_on", "有効期限が同意日より前です。"),
    ("method must be one of", "選択肢から選んでください。"),
    ("actor_kind must be one of", "選択肢から選んでください。"),
    ("reason_code must be one of", "選択肢から選んでください。"),
    ("unknown checklist codes", "不明な変化の項目があります。"),
    ("is ticked twice", "同じ項目が2回選ばれています。"),
    ("excludes ticked changes", "「この間に変化は見られなかった」と他の変化は同時に選べません。"),
)


def _value_error_ja(message: str) -> str:
    for needle, japanese in _VALUE_ERRORS:
        if needle in message:
            return japanese
    return "入力内容を確認してください。"


# Validators at the model level report no field: name the field they are about.
_MODEL_ERROR_FIELDS: tuple[tuple[str, str], ...] = (
    ("home_lat and home_lon", "home_lat"),
    ("invalid phone number", "phone"),
    ("invalid e-mail address", "email"),
    ("sharing with a receiver", "receiver_id"),
    ("only share_with_receiver", "receiver_id"),
    ("expires_on is before", "expires_on"),
    ("method must be one of", "method"),
    ("excludes ticked changes", "no_change"),
    ("unknown checklist codes", "changes"),
    ("is ticked twice", "changes"),
)


def field_errors(exc: ValidationError) -> dict[str, str]:
    """{field: Japanese message}; nested locations become dotted names (actions.0.content)."""
    found: dict[str, str] = {}
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body",)]
        field = ".".join(loc) if loc else ""
        if not field:
            msg = str(err.get("msg", ""))
            field = next((f for needle, f in _MODEL_ERROR_FIELDS if needle in msg), "_form")
        message = _message(dict(err))
        found.setdefault(field, message)
    return found


def labelled(errors: dict[str, str]) -> list[str]:
    """Messages with the field's Japanese name, for the summary box at the top of a form."""
    out = []
    for field, message in errors.items():
        head = field.split(".")[0]
        label = FIELD_LABELS.get(head, "")
        if head == "actions" and "." in field:
            parts = field.split(".")
            label = f"実施内容 {int(parts[1]) + 1}行目 {FIELD_LABELS.get(parts[-1], '')}"
        out.append(f"{label}: {message}" if label else message)
    return out


def validate(model: type[M], data: dict[str, Any]) -> tuple[M | None, dict[str, str]]:
    """(model, {}) when valid, else (None, {field: Japanese message})."""
    try:
        return model.model_validate(data), {}
    except ValidationError as exc:
        return None, field_errors(exc)


def text(form: FormData, name: str) -> str | None:
    """A trimmed text field; empty → None."""
    value = form.get(name)
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value or None


def many(form: FormData, name: str) -> list[str]:
    """Every value of a multi-valued field (checkboxes), empty ones dropped."""
    return [v.strip() for v in form.getlist(name) if isinstance(v, str) and v.strip()]


def checked(form: FormData, name: str) -> bool:
    """A checkbox."""
    return form.get(name) not in (None, "", "0", "false")


def values(form: FormData) -> dict[str, Any]:
    """The posted values as typed (for re-display), multi-valued fields as lists."""
    out: dict[str, Any] = {}
    for key in form:
        items = [v for v in form.getlist(key) if isinstance(v, str)]
        out[key] = items if len(items) > 1 else (items[0] if items else "")
    return out


def compact(data: dict[str, Any]) -> dict[str, Any]:
    """Drop None values so the schema's defaults apply and 'unset' stays unset."""
    return {k: v for k, v in data.items() if v is not None}


def domain_message(exc: CaseworkError) -> str:
    """What went wrong, in Japanese, for a domain error shown on a page."""
    if isinstance(getattr(exc, "message_ja", None), str):
        return str(exc.message_ja)  # type: ignore[attr-defined]  # a domain's own wording
    if isinstance(exc, ConsentRequired):
        scope = CONSENT_SCOPES.get(exc.scope, exc.scope)
        return (
            f"本人の同意（{scope}）が登録されていないか、期限切れ・撤回済みです。"
            "先に同意を記録してください。"
        )
    if isinstance(exc, SupportNotStarted):
        return (
            "支援がまだ始まっていません。プランが重層的支援会議で決定されるか、"
            "決定前の支援開始（理由つき）を記録してから提案してください。"
        )
    if isinstance(exc, NoCapacity):
        return "受入先の空きがありません（他の人が先に最後の枠を確定しました）。"
    if isinstance(exc, ConcurrentUpdate):
        return "他の人が先に更新しました。画面を読み込み直してからもう一度操作してください。"
    if isinstance(exc, InvalidTransition):
        labels = _TRANSITION_LABELS.get(exc.entity, STATE_LABELS)
        current = labels.get(exc.current, exc.current)
        target = _TRANSITION_TARGETS.get(exc.entity, labels).get(exc.target, exc.target)
        return f"現在の状態（{current}）からは「{target}」の操作はできません。"
    if isinstance(exc, FeeLocked):
        return "承認済み・支払済みの協力費は修正できません。取消の記録を作成してください。"
    if isinstance(exc, BudgetExceeded):
        return f"承認すると年度の予算を超えます（{exc}）。"
    if isinstance(exc, IdempotencyConflict):
        return "同じ送信キーで別の内容が送られました。画面を読み込み直してください。"
    if isinstance(exc, Forbidden):
        if "own or your team" in str(exc):
            return "担当またはチームのケースではないため操作できません。"
        return "この操作をする権限がありません。"
    if isinstance(exc, NotFound):
        return "対象が見つかりません（削除された可能性があります）。"
    if isinstance(exc, AuthenticationFailed):
        return "ユーザー名またはパスワードが違います。"
    if isinstance(exc, InvalidInput):
        return _invalid_input_ja(str(exc))
    return f"処理できませんでした（{exc.code}）。"


_INVALID_INPUT: tuple[tuple[str, str], ...] = (
    (
        "needs 解決したい課題 and 目標",
        "提出するには「解決したい課題」と「目標」を入力してください。",
    ),
    ("needs a reason_code", "この段階に進むには理由を選んでください。"),
    ("needs a reason", "理由を入力してください。"),
    ("already billed", "同じ活動日（月）の協力費がすでに登録されています。"),
    ("one fiscal year only", "1件の協力費に入れられるのは同じ年度の活動日だけです。"),
    (
        "no cooperation-fee terms",
        "この受入先には協力費の単価がありません。単価と単位を入力してください。",
    ),
    ("already withdrawn", "この同意はすでに撤回されています。"),
    ("withdrawn_on is before", "撤回日が同意日より前です。"),
    ("is not a plan of this person", "この本人のプランではありません。"),
    ("unknown primary staff", "主担当者が見つかりません。"),
    ("closure reason", "終結の理由を選択肢から選んでください。"),
    ("is already reversed", "この協力費にはすでに取消の記録があります。"),
    ("reversal cannot itself be reversed", "取消の記録をさらに取り消すことはできません。"),
)


def _invalid_input_ja(message: str) -> str:
    for needle, japanese in _INVALID_INPUT:
        if needle in message:
            return japanese
    return "入力内容を確認してください。"
