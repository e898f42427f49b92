"""資源開拓 and reporting pages: KPIs with SVG charts, unmet needs, the what-if, receivers.

Each page calls the same service function as its JSON twin under /api/v1.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from markupsafe import Markup
from starlette.responses import Response

from api.deps import RankerDep, SessionDep
from api.web.forms import checked, many, text
from api.web.helpers import see_other
from api.web.routing import WebRoute
from api.web.session import FormDep, PrincipalDep, require, verify_csrf
from api.web.templating import flash, render
from casework.errors import CaseworkError
from development import kpis, prospects, receiver, service
from development.schemas import (
    AgreedConditions,
    ListingUpdateIn,
    MoveIn,
    ProspectContactIn,
    ProspectIn,
    ProspectNoteIn,
    ReferralAnswerIn,
    RegisterIn,
)
from development.unmet import RULE_LABELS
from resources_catalog.errors import CatalogError
from resources_catalog.records import WARDS
from resources_catalog.taxonomy import CATEGORY_NAMES_JA

WEEKDAYS_JA = {
    "mon": "月",
    "tue": "火",
    "wed": "水",
    "thu": "木",
    "fri": "金",
    "sat": "土",
    "sun": "日",
}

router = APIRouter(route_class=WebRoute, include_in_schema=False)
CSRF = [Depends(verify_csrf)]


@router.get("/reports/kpis")
def kpi_page(
    request: Request, session: SessionDep, principal: PrincipalDep, provider: RankerDep
) -> Response:
    """KPIs with server-rendered SVG charts (no script, no external asset) and a CSV link."""
    require(principal, "report:read")
    report = kpis.kpi_report(session, principal, ranker=provider.current(session))
    # Safe: the chart functions escape every text they draw.
    charts = {k: Markup(v) for k, v in kpis.kpi_charts(report).items()}
    return render(
        request, "web/dev_kpis.html", {"title": "実績・KPI", "r": report, "charts": charts}
    )


@router.get("/reports/kpis.csv")
def kpi_csv(request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    """The KPIs as an Excel-ready CSV (same rows as the API's format=csv)."""
    require(principal, "report:read")
    return Response(
        kpis.kpi_csv(kpis.kpi_report(session, principal)),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": "attachment; filename=tsunagu-kpis.csv",
            "Cache-Control": "no-store",
        },
    )


@router.get("/reports/unmet-needs")
def unmet_page(
    request: Request, session: SessionDep, principal: PrincipalDep, provider: RankerDep
) -> Response:
    """Wishes the catalog cannot serve, by theme: the 資源開拓 worklist."""
    require(principal, "report:read")
    ranker = provider.current(session)
    report = service.unmet_needs_report(session, principal, ranker)
    return render(
        request,
        "web/dev_unmet_needs.html",
        {"title": "満たされていないニーズ", "r": report, "RULE_LABELS": RULE_LABELS},
    )


@router.get("/reports/what-if")
def what_if_page(
    request: Request, session: SessionDep, principal: PrincipalDep, provider: RankerDep
) -> Response:
    """Greedy one-by-one against the optimal batch assignment (a proposal only)."""
    require(principal, "waitlist:whatif")
    ranker = provider.current(session)
    report = service.run_what_if(session, principal, ranker, cap_per_receiver=1)
    return render(request, "web/dev_what_if.html", {"title": "待機者の一括割当案", "r": report})


@router.get("/prospects")
def prospects_page(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    theme: Annotated[str | None, Query(max_length=64, pattern=r"^[\w-]*$")] = None,
) -> Response:
    """The receiver pipeline, optionally for one unmet-needs theme."""
    require(principal, "prospect:read")
    rows = prospects.list_prospects(session, principal, theme=theme or None)
    return render(
        request,
        "web/dev_prospects.html",
        {
            "title": "受入先開拓",
            "rows": rows,
            "STAGES": prospects.STAGE_LABELS,
            "moves": {p.id: prospects.allowed_moves(p.stage) for p in rows},
            "theme": theme,
            "WARDS": WARDS,
        },
    )


@router.post("/prospects", dependencies=CSRF)
def prospects_create(
    request: Request, session: SessionDep, principal: PrincipalDep, form: FormDep
) -> Response:
    """Add a 候補 from the form; a bad value comes back as a message."""
    require(principal, "prospect:write")
    names = ("name", "ward", "theme", "address", "contact_name", "phone", "email")
    fields = {k: text(form, k) for k in names}
    try:
        prospects.create_prospect(session, principal, ProspectIn.model_validate(fields))
    except (ValueError, CaseworkError) as exc:
        flash(request, f"登録できませんでした: {exc}", "error")
        return see_other("/prospects")
    flash(request, f"候補「{fields['name']}」を追加しました。")
    return see_other("/prospects")


ProspectId = Annotated[int, Path(ge=1, le=2_147_483_647)]
EVENT_LABELS = {
    "created": "追加",
    "stage": "段階の変更",
    "contact": "連絡・訪問",
    "note": "メモ",
    "conditions": "条件の記録",
    "contact_details": "連絡先の変更",
}


@router.get("/prospects/{prospect_id}")
def prospect_page(
    request: Request, session: SessionDep, principal: PrincipalDep, prospect_id: ProspectId
) -> Response:
    """One prospect: contacts, notes, agreed conditions and 登録 (creates the catalog entry)."""
    require(principal, "prospect:read")
    prospect, events = prospects.get_prospect(session, principal, prospect_id)
    cond = prospect.conditions or {}
    return render(
        request,
        "web/dev_prospect.html",
        {
            "title": f"受入先開拓: {prospect.name}",
            "p": prospect,
            "events": events,
            "cond": cond,
            "STAGES": prospects.STAGE_LABELS,
            "EVENTS": EVENT_LABELS,
            "moves": prospects.allowed_moves(prospect.stage),
            "WEEKDAYS_JA": WEEKDAYS_JA,
            "open": prospect.stage not in ("registered", prospects.DECLINED),
            "CATEGORIES": CATEGORY_NAMES_JA,
        },
    )


def _on_prospect(
    request: Request,
    prospect_id: int,
    change: Callable[[], str],
    failed: str,
    refused: tuple[type[Exception], ...] = (ValueError, CaseworkError),
) -> Response:
    """Run one change to a prospect and go back to its page with what happened.

    ``change`` validates the form and calls the service, returning the message to show; a
    refusal (a bad value, a domain rule) is shown as ``failed: reason``. Every form on the
    prospect page answers this way, so none of them can forget the message or the way back.
    """
    try:
        done = change()
    except refused as exc:
        flash(request, f"{failed}: {exc}", "error")
    else:
        flash(request, done)
    return see_other(f"/prospects/{prospect_id}")


@router.post("/prospects/{prospect_id}/contact", dependencies=CSRF)
def prospect_contact(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    form: FormDep,
    prospect_id: ProspectId,
) -> Response:
    """Edit the contact details."""
    require(principal, "prospect:write")
    fields = {k: text(form, k) for k in ("contact_name", "phone", "email", "address")}

    def change() -> str:
        data = ProspectContactIn.model_validate(fields)
        prospects.update_contact(session, principal, prospect_id, data)
        return "連絡先を保存しました。"

    return _on_prospect(request, prospect_id, change, "連絡先を保存できませんでした")


@router.post("/prospects/{prospect_id}/notes", dependencies=CSRF)
def prospect_note(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    form: FormDep,
    prospect_id: ProspectId,
) -> Response:
    """Log a contact (連絡・訪問) or a note."""
    require(principal, "prospect:write")

    def change() -> str:
        data = ProspectNoteIn.model_validate(
            {"kind": text(form, "kind") or "note", "note": text(form, "note") or ""}
        )
        prospects.add_note(session, principal, prospect_id, data)
        return "記録しました。"

    return _on_prospect(request, prospect_id, change, "記録できませんでした")


@router.post("/prospects/{prospect_id}/conditions", dependencies=CSRF)
def prospect_conditions(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    form: FormDep,
    prospect_id: ProspectId,
) -> Response:
    """Record the agreed conditions (本来業務に支障のない範囲, offer, for whom, days, hours)."""
    require(principal, "prospect:write")

    def change() -> str:
        data = AgreedConditions.model_validate(
            {
                "within_core_business": checked(form, "within_core_business"),
                "offer": text(form, "offer") or "",
                "for_whom": text(form, "for_whom"),
                "place": text(form, "place"),
                "days": many(form, "days"),
                "start_time": text(form, "start_time"),
                "end_time": text(form, "end_time"),
                "capacity": int(text(form, "capacity") or "1"),
                "cooperation_fee_yen": int(text(form, "cooperation_fee_yen") or "0"),
            }
        )
        prospects.set_conditions(session, principal, prospect_id, data)
        return "合意した条件を保存しました。"

    return _on_prospect(request, prospect_id, change, "条件を保存できませんでした")


@router.post("/prospects/{prospect_id}/register", dependencies=CSRF)
def prospect_register(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    form: FormDep,
    prospect_id: ProspectId,
) -> Response:
    """合意 → 登録済: the catalog entry is created from the agreed conditions."""
    require(principal, "prospect:write")

    def change() -> str:
        data = RegisterIn.model_validate(
            {
                "resource_id": text(form, "resource_id") or "",
                "categories": many(form, "categories"),
                "description": text(form, "description"),
            }
        )
        prospects.register(session, principal, prospect_id, data)
        return f"登録しました。受入先カタログに「{data.resource_id}」を作成しました。"

    refused = (ValueError, CaseworkError, CatalogError)
    return _on_prospect(request, prospect_id, change, "登録できませんでした", refused)


@router.post("/prospects/{prospect_id}/moves", dependencies=CSRF)
def prospects_move(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    form: FormDep,
    prospect_id: Annotated[int, Path(ge=1, le=2_147_483_647)],
) -> Response:
    """Move a prospect to another stage (見送り needs a note)."""
    require(principal, "prospect:write")
    back = f"/prospects/{prospect_id}" if form.get("back") == "detail" else "/prospects"
    note = str(form.get("note") or "").strip() or None
    try:
        data = MoveIn.model_validate({"to": str(form.get("to")), "note": note})
        prospects.move(session, principal, prospect_id, data)
    except (ValueError, CaseworkError) as exc:
        flash(request, f"段階を変更できませんでした: {exc}", "error")
        return see_other(back)
    flash(request, f"「{prospects.STAGE_LABELS[data.to]}」に進めました。")
    return see_other(back)


@router.get("/receiver")
def receiver_home(request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    """A receiver's referrals (own organisation only) with accept / decline forms."""
    require(principal, "receiver:self")
    rows = receiver.list_referrals(session, principal)
    own = receiver.own_resources(session, principal)
    return render(
        request,
        "web/dev_receiver.html",
        {"title": "受入先の窓口", "rows": rows, "own": own, "WEEKDAYS_JA": WEEKDAYS_JA},
    )


@router.post("/receiver/resources/{resource_id}", dependencies=CSRF)
def receiver_listing(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    form: FormDep,
    resource_id: Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[^\x00/]+$")],
) -> Response:
    """Update free places and days; a bad value comes back as a message."""
    require(principal, "receiver:self")
    try:
        data = ListingUpdateIn.model_validate(
            {
                "capacity_remaining": int(str(form.get("capacity_remaining") or "0")),
                "days": [str(d) for d in form.getlist("days")],
            }
        )
        receiver.update_listing(session, principal, resource_id, data)
    except (ValueError, CaseworkError, CatalogError) as exc:
        flash(request, f"更新できませんでした: {exc}", "error")
        return see_other("/receiver")
    flash(request, "空き状況を更新しました。")
    return see_other("/receiver")


@router.post("/receiver/referrals/{placement_id}/answer", dependencies=CSRF)
def receiver_answer(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    form: FormDep,
    placement_id: Annotated[int, Path(ge=1, le=2_147_483_647)],
) -> Response:
    """Accept or decline; errors come back as a message, nothing is lost."""
    require(principal, "receiver:self")
    reason = str(form.get("reason") or "").strip() or None
    try:
        data = ReferralAnswerIn.model_validate(
            {"decision": str(form.get("decision")), "reason": reason}
        )
        receiver.answer(session, principal, placement_id, data)
    except (ValueError, CaseworkError) as exc:
        flash(request, f"回答できませんでした: {exc}", "error")
        return see_other("/receiver")
    flash(request, "回答を送りました。")
    return see_other("/receiver")
