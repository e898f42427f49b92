"""提案: ranked suggestions with reasons, receiver details, distances, propose / hide / compare.

Hiding a suggestion works at any stage of the case: it is its own record (reason and note),
not a proposal, so it needs no decided plan and leaves no 辞退 behind. The card leaves the
list; the hidden ones are listed below it and can be shown again.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.responses import Response

from api.deps import RankerDep, SessionDep
from api.web.forms import text
from api.web.helpers import parse_date, resources_by_id, see_other, today
from api.web.routing import WebRoute, on_refusal
from api.web.session import FormDep, PrincipalDep, require, verify_csrf
from api.web.suggestions_view import distance_km, suggestions_map
from api.web.templating import flash, render
from casework.errors import NotFound
from casework.models import Placement
from casework.permissions import Principal
from casework.reference import HIDE_REASONS
from casework.schemas import HideSuggestionIn, PlacementIn
from casework.services import audit, consent, people, placements, plans, suggestions

router = APIRouter(route_class=WebRoute, include_in_schema=False)
CSRF = [Depends(verify_csrf)]
BACK = [*CSRF, on_refusal("/people/{person_id}/suggestions")]
TOP_K = 10


def _latest_profile(session: Session, principal: Principal, person_id: int) -> Any:
    try:
        return people.get_profile(session, principal, person_id)
    except NotFound:
        return None


def _context(
    session: Session, principal: Principal, person_id: int
) -> tuple[dict[str, Any], dict[str, Placement]]:
    person = people.get_person(session, principal, person_id)
    profile = _latest_profile(session, principal, person_id)
    runs = suggestions.list_suggestion_runs(session, principal, person_id)
    run = runs[0] if runs else None
    existing = {p.resource_id: p for p in placements.list_placements(session, principal, person_id)}
    plan_rows = plans.list_plans(session, principal, person_id)
    home = (
        (profile.home_lat, profile.home_lon)
        if profile is not None and profile.home_lat is not None and profile.home_lon is not None
        else None
    )
    hidden = suggestions.list_hidden_suggestions(session, principal, person_id)
    hidden_ids = {h.resource_id for h in hidden}
    items = [i for i in run.items if i.resource_id not in hidden_ids] if run else []
    records = resources_by_id(session, [i.resource_id for i in items] + list(hidden_ids))
    rows: list[dict[str, Any]] = [
        {
            "rank": item.rank,
            "item": item,
            "r": records.get(item.resource_id),
            "km": distance_km(
                home,
                records[item.resource_id].lat if item.resource_id in records else None,
                records[item.resource_id].lon if item.resource_id in records else None,
            ),
            "placement": existing.get(item.resource_id),
        }
        for item in items
    ]
    map_svg = suggestions_map(
        home,
        [(row["rank"], row["r"].name, row["r"].lat, row["r"].lon) for row in rows if row["r"]],
        home_source=profile.home_location_source if profile is not None else None,
    )
    ctx = {
        "title": "提案",
        "person": person,
        "profile": profile,
        "run": run,
        "stale": run is not None and profile is not None and run.profile_version != profile.version,
        "rows": rows,
        "by_distance": sorted((r for r in rows if r["km"] is not None), key=lambda r: r["km"]),
        "may_match": consent.may_match(session, person.id, on=today()),
        "started_plan": plans.started_plan(plan_rows),
        "map_svg": map_svg,
        "hide_reasons": HIDE_REASONS,
        "hidden": hidden,
        "hidden_records": records,
        "hide_draft": None,
        "max_km": profile.max_travel_km if profile is not None else None,
    }
    return ctx, existing


@router.get("/people/{person_id}/suggestions")
def suggestions_page(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    provider: RankerDep,
    person_id: int,
    ask: Annotated[str, Query(max_length=100)] = "",
) -> Response:
    """The latest stored run with reasons, details, distances and the map; below it, what the
    hard rules keep out and the answer to 「この受入先は？」 (``ask``)."""
    require(principal, "suggestion:run")
    with audit.page_view(session, principal, "suggestions", "person", person_id):
        ctx, _ = _context(session, principal, person_id)
        why = None
        if ctx["profile"] is not None and ctx["may_match"]:
            why = suggestions.why_not(session, principal, person_id, provider, ask=ask)
    shown = (
        [e.resource_id for e in why.near_excluded]
        + [u.best.resource_id for u in why.unserved if u.best]
        + [a.resource_id for a in why.asked]
        if why
        else []
    )
    ctx.update(why=why, ask=ask, why_records=resources_by_id(session, shown))
    return render(request, "web/suggestions.html", ctx)


@router.post("/people/{person_id}/suggestions/run", dependencies=BACK)
def suggestions_run(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    provider: RankerDep,
    person_id: int,
) -> Response:
    """Rank for the latest profile and store the run (the same use case as the API)."""
    require(principal, "suggestion:run")
    try:
        result = suggestions.suggest_for_person(
            session, principal, person_id, provider, top_k=TOP_K, on=today()
        )
    except NotFound as exc:
        if exc.entity != "needs_profile":
            raise
        flash(request, "先に希望・条件（ニーズ）を入力してください。", "error")
        return see_other(f"/people/{person_id}/profile")
    flash(request, f"提案を{len(result.items)}件作成しました。")
    return see_other(f"/people/{person_id}/suggestions")


def _propose(
    session: Session,
    principal: Principal,
    person_id: int,
    resource_id: str,
    run_id: str | None,
    occurred_on: date | None = None,
) -> Placement:
    plan = plans.started_plan(plans.list_plans(session, principal, person_id))
    return placements.propose_placement(
        session,
        principal,
        person_id,
        PlacementIn(
            resource_id=resource_id,
            plan_id=plan.id if plan else None,
            suggestion_run_id=int(run_id) if run_id and run_id.isdecimal() else None,
            occurred_on=occurred_on,
        ),
    )


@router.post("/people/{person_id}/suggestions/propose", dependencies=BACK)
def suggestion_propose(
    request: Request, session: SessionDep, principal: PrincipalDep, form: FormDep, person_id: int
) -> Response:
    """Propose one suggested receiver (a placement in state 提案)."""
    require(principal, "person:write")
    resource_id = text(form, "resource_id") or ""
    typed_day = text(form, "occurred_on")
    day = parse_date(typed_day)
    if typed_day and day is None:
        flash(request, "提案日の形式が正しくありません（例: 2026-11-22）。", "error")
        return see_other(f"/people/{person_id}/suggestions")
    placement = _propose(session, principal, person_id, resource_id, text(form, "run_id"), day)
    flash(request, "提案しました。受入先への連絡などの段階をこの画面で進めます。")
    return see_other(f"/placements/{placement.id}")


@router.post("/people/{person_id}/suggestions/hide", dependencies=BACK)
def suggestion_hide(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    provider: RankerDep,
    form: FormDep,
    person_id: int,
) -> Response:
    """Hide a suggestion with a reason and note, at any stage of the case.

    A missing reason shows the page again with the note still typed in the form.
    """
    require(principal, "person:write")
    resource_id = text(form, "resource_id") or ""
    note = text(form, "note")
    try:
        data = HideSuggestionIn(
            resource_id=resource_id, reason_code=text(form, "reason_code") or "", note=note
        )
    except ValidationError:
        flash(request, "非表示にする理由を選んでください。", "error")
        with audit.page_view(session, principal, "suggestions", "person", person_id):
            ctx, _ = _context(session, principal, person_id)
        ctx.update(why=None, ask="", why_records={})
        ctx["hide_draft"] = {"resource_id": resource_id, "note": note or ""}
        return render(request, "web/suggestions.html", ctx, status_code=422)
    suggestions.hide_suggestion(session, principal, person_id, data)
    flash(request, "提案を非表示にしました。下の「非表示にした提案」から元に戻せます。")
    return see_other(f"/people/{person_id}/suggestions")


@router.post("/people/{person_id}/suggestions/unhide", dependencies=BACK)
def suggestion_unhide(
    request: Request, session: SessionDep, principal: PrincipalDep, form: FormDep, person_id: int
) -> Response:
    """Show a hidden suggestion again (it returns at the next 提案を作成)."""
    require(principal, "person:write")
    suggestions.unhide_suggestion(session, principal, person_id, text(form, "resource_id") or "")
    flash(request, "非表示を取り消しました。次に提案を作成すると候補に戻ります。")
    return see_other(f"/people/{person_id}/suggestions")


@router.get("/people/{person_id}/suggestions/compare")
def suggestions_compare(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    person_id: int,
    r: Annotated[list[str], Query(max_length=4)] = [],  # noqa: B006 (FastAPI reads the default)
) -> Response:
    """Two (or more) suggestions side by side."""
    require(principal, "suggestion:run")
    ctx, _ = _context(session, principal, person_id)
    chosen = [row for row in ctx["rows"] if row["item"].resource_id in r]
    if len(chosen) < 2:
        flash(request, "比べる提案を2つ選んでください。", "error")
        return see_other(f"/people/{person_id}/suggestions")
    ctx.update(title="提案の比較", chosen=chosen)
    return render(request, "web/suggestions_compare.html", ctx)
