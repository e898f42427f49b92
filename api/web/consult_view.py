"""Shared view helpers of the 包括的相談 pages: labels, the page renderer, form parsing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import Request
from starlette.datastructures import FormData
from starlette.responses import Response

from api.web.forms import text
from api.web.templating import render
from casework.reference import WARDS
from consultation.reference import (
    AGENCY_KINDS,
    CHANNELS,
    CONSENT_BASES,
    FROM_WHOM,
    JST,
    NOTE_KINDS,
    OUTCOMES,
    REFERRAL_FAILURE_REASONS,
    REFERRAL_STATUSES,
    REFERRAL_TRANSITIONS,
    tags,
)
from consultation.services.progress_notes import TIMELINE_KINDS


def jst_time(value: datetime | None) -> str:
    """An instant as JST wall time (2026年11月22日 10:00); naive values are UTC (SQLite)."""
    if value is None:
        return ""
    at = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(JST)
    return f"{at.year}年{at.month}月{at.day}日 {at.hour:02d}:{at.minute:02d}"


LABELS: dict[str, Any] = {
    "CHANNELS": CHANNELS,
    "FROM_WHOM": FROM_WHOM,
    "OUTCOMES": OUTCOMES,
    "NOTE_KINDS": NOTE_KINDS,
    "AGENCY_KINDS": AGENCY_KINDS,
    "REFERRAL_STATUSES": REFERRAL_STATUSES,
    "REFERRAL_TRANSITIONS": REFERRAL_TRANSITIONS,
    "REFERRAL_FAILURE_REASONS": REFERRAL_FAILURE_REASONS,
    "CONSENT_BASES": CONSENT_BASES,
    "TIMELINE_KINDS": TIMELINE_KINDS,
    "JST": JST,
    "wards": WARDS,
    "jst": jst_time,
}


def page(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> Response:
    """Render a consultation page with the labels and the tag table."""
    return render(
        request,
        name,
        {
            **LABELS,
            "tag_table": tags(),
            "tag_options": [(t.code, t.label) for t in tags().values()],
            **context,
        },
        status_code=status_code,
    )


def int_or_text(value: str | None) -> int | str | None:
    """A number typed in a form, or the text as typed (the schema then says what is wrong)."""
    if value is None:
        return None
    return int(value) if value.isdecimal() else value


def back_to(form: FormData, default: str) -> str:
    """The posted ``next`` page when it is a local path, else ``default``."""
    # Only local paths: a posted "next" never sends the browser elsewhere.
    target = text(form, "next")
    return target if target and target.startswith("/") and not target.startswith("//") else default


def jst_instant(value: str | None) -> str | None:
    """A datetime-local value (JST wall time) as an ISO instant with +09:00."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=JST).isoformat()
    except ValueError:
        return value
