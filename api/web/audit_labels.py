"""Audit action codes in the coordinator's words: ``person.read`` → 本人情報の閲覧.

Codes are ``<record>.<verb>``. Most labels are composed from the record and the verb, so a
code added later still reads in Japanese; the few that do not compose are named whole.
"""

from __future__ import annotations

RECORD_LABELS: dict[str, str] = {
    "agency": "支援関係機関",
    "api_client": "APIキー",
    "audit": "監査ログ",
    "audit_log": "監査ログ",
    "auth": "サインイン",
    "catalog": "受入先カタログ",
    "consent": "同意",
    "consultation": "相談",
    "evaluation": "評価シート",
    "exclusion": "除外理由",
    "fee": "協力費",
    "follow_up": "定着支援",
    "intake_form": "様式第1号",
    "multi_agency_meeting": "重層的支援会議",
    "page": "画面",
    "person": "本人情報",
    "placement": "受入",
    "plan": "支援プラン",
    "profile": "本人の希望",
    "progress_note": "支援経過",
    "prospect": "開拓先",
    "receiver": "受入先の窓口",
    "referral": "つなぎ先への依頼",
    "report": "実績報告",
    "retention": "定着支援の記録",
    "suggestion": "提案",
    "support_meeting": "支援会議",
    "timeline": "支援の経過一覧",
    "user": "職員アカウント",
}

VERB_LABELS: dict[str, str] = {
    "read": "閲覧",
    "list": "一覧の閲覧",
    "create": "登録",
    "update": "変更",
    "delete": "削除",
    "submit": "提出",
    "decide": "決定",
    "return": "差し戻し",
    "queue": "決定待ち一覧の閲覧",
    "approve": "承認",
    "reject": "却下",
    "pay": "支払",
    "end": "終了",
    "reopen": "再開",
    "move": "段階の変更",
    "conditions": "条件の記録",
    "confirm": "内容確認",
    "verify": "改ざん検証",
    "revoke": "失効",
    "deactivate": "停止",
    "password": "パスワード変更",
    "role": "役割の変更",
    "login": "サインイン",
    "logout": "サインアウト",
    "view": "閲覧",
    "referral": "依頼への回答",
    "support": "支援の記録",
    "kpis": "KPIの閲覧",
    "unmet_needs": "未充足ニーズの閲覧",
    "close": "終結",
    "correct": "訂正",
    "hide": "非表示",
    "export": "書き出し",
    "import": "取り込み",
}

# Codes whose words do not compose from their parts.
WHOLE_LABELS: dict[str, str] = {
    "page.view": "画面の閲覧",
    "auth.login": "サインイン",
    "auth.logout": "サインアウト",
    "auth.failed": "サインイン失敗",
    "audit.read": "監査ログの閲覧",
    "user.totp_enable": "二段階認証の有効化",
    "user.totp_disable": "二段階認証の無効化",
    "user.totp_reset": "二段階認証のリセット（管理者）",
}

# Page codes recorded in a ``page.view`` row's detail.
PAGE_LABELS: dict[str, str] = {
    "person_detail": "本人の記録",
    "suggestions": "提案",
    "profile_form": "本人の希望の入力",
    "timeline": "支援の経過一覧",
    "meetings": "支援会議の記録",
    "evaluation_form": "評価シートの入力",
    "meetings_print": "会議の記録の印刷",
}


def action_label(action: str) -> str:
    """Japanese for an audit action code; an unknown part is shown as its code."""
    if action in WHOLE_LABELS:
        return WHOLE_LABELS[action]
    record, _, verb = action.partition(".")
    if record in RECORD_LABELS and verb in VERB_LABELS:
        return f"{RECORD_LABELS[record]}の{VERB_LABELS[verb]}"
    if record in RECORD_LABELS:
        return f"{RECORD_LABELS[record]}（{verb}）" if verb else RECORD_LABELS[record]
    return action


def record_label(entity_type: str) -> str:
    """Japanese for the kind of record an audit row is about."""
    return RECORD_LABELS.get(entity_type, entity_type)
