"""Jinja2 templates of the web pages, their filters, and the one ``render`` helper."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from api.web.session import csrf_token
from casework.checklists import WISHES
from casework.permissions import Principal, has_permission
from casework.reference import (
    CONSENT_METHODS,
    CONSENT_SCOPES,
    CONTACT_METHODS,
    CONTACT_PARTIES,
    PLACEMENT_REASONS,
    PLAN_ACTORS,
)
from casework.services.accounts import actor_labels
from casework.services.placements import STATE_LABELS
from places import DATA_CREDIT_JA, distance_label, location_source_label
from resources_catalog.taxonomy import CATEGORY_NAMES_JA

TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "templates"
JST = timezone(timedelta(hours=9))

WEEKDAY_LABELS: dict[str, str] = {
    "mon": "月", "tue": "火", "wed": "水", "thu": "木", "fri": "金", "sat": "土", "sun": "日",
}  # fmt: skip
ROLE_LABELS: dict[str, str] = {
    "coordinator": "相談支援員",
    "supervisor": "スーパーバイザー",
    "catalog_maintainer": "カタログ管理者",
    "finance": "経理担当",
    "auditor": "監査担当",
    "admin": "管理者",
    "receiver": "受入先",
}
PLAN_STATUS_LABELS: dict[str, str] = {
    "draft": "下書き",
    "submitted": "重層的支援会議に提出済み",
    "decided": "決定",
    "returned": "差し戻し",
}
FEE_STATE_LABELS: dict[str, str] = {
    "draft": "承認待ち",
    "approved": "承認済み",
    "paid": "支払済み",
    "rejected": "却下",
}
FEE_UNIT_LABELS: dict[str, str] = {
    "per_session": "1回あたり",
    "per_month": "1か月あたり",
    "none": "なし",
}
PERSON_STATUS_LABELS: dict[str, str] = {"open": "支援中", "closed": "終結", "deleted": "削除済み"}
RESOURCE_STATUS_LABELS: dict[str, str] = {
    "active": "受入中",
    "inactive": "終了",
    "temporarily_closed": "休止中",
}


def fmt_date(value: date | datetime | str | None, style: str = "ymd") -> str:
    """2026年11月22日 (or 2026年11月 with style='ym', 時刻つき with 'ymdhm'); empty for None.

    The one filter for dates and instants on every page: instants are shown in JST.
    """
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        # Every instant is stored in UTC (storage.types.UTCDateTime); pages show Japan time.
        value = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(JST)
        if style == "ymdhm":
            return f"{value.year}年{value.month}月{value.day}日 {value.hour:02d}:{value.minute:02d}"
        value = value.date()
    if style == "ym":
        return f"{value.year}年{value.month}月"
    return f"{value.year}年{value.month}月{value.day}日"


def fmt_yen(value: int | None) -> str:
    """1,234円; empty for None."""
    return "" if value is None else f"{value:,}円"


def iso(value: date | None) -> str:
    """The value of a date input."""
    return value.isoformat() if value else ""


def days_ja(days: list[str] | None) -> str:
    """['mon', 'wed'] → 月・水."""
    return "・".join(WEEKDAY_LABELS.get(d, d) for d in (days or []))


def categories_ja(codes: list[str] | None) -> str:
    """Category codes → Japanese names."""
    return "・".join(CATEGORY_NAMES_JA.get(c, c) for c in (codes or []))


def zip_labels(codes: list[str], labels: dict[str, str]) -> list[tuple[str, str]]:
    """[(code, label)] for option lists."""
    return [(c, labels.get(c, c)) for c in codes]


templates = Jinja2Templates(directory=str(TEMPLATE_DIR))
templates.env.filters.update(
    {
        "d": fmt_date,
        "yen": fmt_yen,
        "iso": iso,
        "days_ja": days_ja,
        "cats_ja": categories_ja,
        "zip_labels": zip_labels,
    }
)
templates.env.globals.update(
    {
        "WEEKDAY_LABELS": WEEKDAY_LABELS,
        "ROLE_LABELS": ROLE_LABELS,
        "PLAN_STATUS_LABELS": PLAN_STATUS_LABELS,
        "FEE_STATE_LABELS": FEE_STATE_LABELS,
        "FEE_UNIT_LABELS": FEE_UNIT_LABELS,
        "PERSON_STATUS_LABELS": PERSON_STATUS_LABELS,
        "RESOURCE_STATUS_LABELS": RESOURCE_STATUS_LABELS,
        "STATE_LABELS": STATE_LABELS,
        "PLACEMENT_REASONS": PLACEMENT_REASONS,
        "CONTACT_METHODS": CONTACT_METHODS,
        "CONTACT_PARTIES": CONTACT_PARTIES,
        "CONSENT_SCOPES": CONSENT_SCOPES,
        "CONSENT_METHODS": CONSENT_METHODS,
        "PLAN_ACTORS": PLAN_ACTORS,
        "CATEGORY_NAMES_JA": CATEGORY_NAMES_JA,
        "WISHES": WISHES,
    }
)
# Places: every distance says what it is measured from; maps and positions credit their data.
templates.env.globals.update(
    {
        "distance_label": distance_label,
        "location_source_label": location_source_label,
        "PLACES_CREDIT": DATA_CREDIT_JA,
    }
)


def flash(request: Request, message: str, kind: str = "ok") -> None:
    """A one-time message shown on the next page."""
    messages = list(request.session.get("flash", []))
    messages.append([kind, message])
    request.session["flash"] = messages[-5:]


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
) -> Response:
    """Render a page with the layout's context: who is signed in, CSRF token, messages."""
    principal: Principal | None = getattr(request.state, "principal", None)

    def can(permission: str) -> bool:
        return principal is not None and has_permission(principal, permission)

    session = getattr(request.state, "db_session", None)
    names: dict[str, str] = {}

    def staff_name(ref: str | None) -> str:
        """「相談 一郎」 for ``user:3``: no page prints a raw actor reference."""
        if not ref:
            return ""
        if ref not in names and session is not None:
            names.update(actor_labels(session, [ref]))
        return names.get(ref, "")

    ctx: dict[str, Any] = {
        "principal": principal,
        "user_name": request.session.get("name"),
        "csrf_token": csrf_token(request),
        "messages": request.session.pop("flash", []),
        "can": can,
        "staff_name": staff_name,
        "errors": {},
        "form": {},
    }
    ctx.update(context or {})
    response = templates.TemplateResponse(request, name, ctx, status_code=status_code)
    # Personal data: never keep a copy in shared caches or the browser's back/forward cache.
    response.headers["Cache-Control"] = "no-store"
    return response
