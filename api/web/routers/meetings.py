"""支援会議 (without consent) and 重層的支援会議 (with consent) records, list and print."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from api.deps import SessionDep
from api.web.consult_view import int_or_text, page
from api.web.forms import compact, labelled, text, validate
from api.web.helpers import see_other, today
from api.web.routing import WebRoute, on_refusal
from api.web.session import FormDep, PrincipalDep, require, verify_csrf
from api.web.templating import flash
from casework.schemas import SupportMeetingIn
from casework.services import audit, consent, people
from consultation.schemas import JointMeetingIn, MultiAgencyMeetingIn
from consultation.services import meetings

router = APIRouter(route_class=WebRoute, include_in_schema=False)
CSRF = [Depends(verify_csrf)]


# --- 支援会議 / 重層的支援会議 --------------------------------------------------------------


def _meetings_context(
    session: SessionDep, principal: PrincipalDep, person_id: int
) -> dict[str, Any]:
    person = people.get_person(session, principal, person_id)
    return {
        "person": person,
        "support_meetings": consent.list_support_meetings(session, principal, person_id),
        "multi_meetings": meetings.list_multi_agency_meetings(session, principal, person_id),
        "has_multi_consent": consent.may_share_in_multi_agency(session, person_id, on=today()),
        "today": today(),
    }


@router.get("/people/{person_id}/meetings")
def meetingspage(
    request: Request, session: SessionDep, principal: PrincipalDep, person_id: int
) -> Response:
    """支援会議 (without consent) and 重層的支援会議 (with consent) records of a person."""
    require(principal, "person:read")
    with audit.page_view(session, principal, "meetings", "person", person_id):
        context = _meetings_context(session, principal, person_id)
    context["form"] = {"held_on": today().isoformat()}
    return page(request, "web/consult_meetings.html", {"title": "会議の記録", **context})


@router.post(
    "/people/{person_id}/meetings/support",
    dependencies=[*CSRF, on_refusal("/people/{person_id}/meetings")],
)
def support_meeting_create(
    request: Request, session: SessionDep, principal: PrincipalDep, person_id: int, form: FormDep
) -> Response:
    """Record a 支援会議 (members bound by confidentiality)."""
    require(principal, "person:write")
    if not form.get("confidentiality"):
        flash(request, "構成員の守秘義務を確認したことにチェックしてください。", "error")
        return see_other(f"/people/{person_id}/meetings")
    data, errors = validate(
        SupportMeetingIn,
        compact({"held_on": text(form, "held_on"), "members": text(form, "members"),
                 "summary": text(form, "summary")}),
    )  # fmt: skip
    if data is None:
        flash(request, "支援会議: " + " ".join(labelled(errors)), "error")
    else:
        consent.record_support_meeting(session, principal, person_id, data)
        flash(request, "支援会議を記録しました。")
    return see_other(f"/people/{person_id}/meetings")


@router.post(
    "/people/{person_id}/meetings/multi-agency",
    dependencies=[*CSRF, on_refusal("/people/{person_id}/meetings")],
)
def multi_agency_meeting_create(
    request: Request, session: SessionDep, principal: PrincipalDep, person_id: int, form: FormDep
) -> Response:
    """Record a 重層的支援会議 (needs the multi-agency consent)."""
    require(principal, "person:write")
    data, errors = validate(
        MultiAgencyMeetingIn,
        compact({"held_on": text(form, "held_on"), "plan_id": int_or_text(text(form, "plan_id")),
                 "attendees": text(form, "attendees"), "role_sharing": text(form, "role_sharing"),
                 "decisions": text(form, "decisions")}),
    )  # fmt: skip
    if data is None:
        flash(request, "重層的支援会議: " + " ".join(labelled(errors)), "error")
        return see_other(f"/people/{person_id}/meetings")
    meetings.record_multi_agency_meeting(session, principal, person_id, data)
    flash(request, "重層的支援会議を記録しました。")
    return see_other(f"/people/{person_id}/meetings")


@router.get("/people/{person_id}/meetings/print")
def meetings_print(
    request: Request, session: SessionDep, principal: PrincipalDep, person_id: int
) -> Response:
    """Both kinds of meeting records for A4 printing."""
    require(principal, "person:read")
    with audit.page_view(session, principal, "meetings_print", "person", person_id):
        context = _meetings_context(session, principal, person_id)
    return page(
        request,
        "web/consult_meetings_print.html",
        {"title": "会議の記録", "printed_on": today(), **context},
    )


# --- 重層的支援会議 covering several cases ----------------------------------------------------

CASE_ROWS = 5


@router.get("/multi-agency-meetings/new")
def joint_meeting_new(
    request: Request, principal: PrincipalDep, person_id: int | None = None
) -> Response:
    """The form for one meeting covering up to five cases (受付番号, plan, decisions)."""
    require(principal, "person:write")
    return page(
        request,
        "web/consult_joint_meeting_form.html",
        {"title": "重層的支援会議の記録（複数の事例）", "rows": range(CASE_ROWS),
         "form": {"held_on": today().isoformat()}, "first_person_id": person_id},
    )  # fmt: skip


@router.post(
    "/multi-agency-meetings/new",
    dependencies=[*CSRF, on_refusal("/multi-agency-meetings/new")],
)
def joint_meeting_create(
    request: Request, session: SessionDep, principal: PrincipalDep, form: FormDep
) -> Response:
    """Record the meeting; each case is resolved by 受付番号 and checked (access, consent)."""
    require(principal, "person:write")
    cases: list[dict[str, Any]] = []
    for n in range(CASE_ROWS):
        number = text(form, f"cases.{n}.reception_number")
        if not number:
            continue
        person = people.find_by_reception_number(session, principal, number)
        cases.append(
            compact({"person_id": person.id,
                     "plan_id": int_or_text(text(form, f"cases.{n}.plan_id")),
                     "decisions": text(form, f"cases.{n}.decisions")})
        )  # fmt: skip
    data, errors = validate(
        JointMeetingIn,
        compact({"held_on": text(form, "held_on"), "attendees": text(form, "attendees"),
                 "role_sharing": text(form, "role_sharing"), "decisions": text(form, "decisions"),
                 "cases": cases}),
    )  # fmt: skip
    if data is None:
        flash(request, "重層的支援会議: " + " ".join(labelled(errors)), "error")
        return see_other("/multi-agency-meetings/new")
    row = meetings.record_joint_meeting(session, principal, data)
    flash(request, f"重層的支援会議を記録しました（{len(data.cases)}事例）。")
    return see_other(f"/multi-agency-meetings/{row.id}")


def _joint_context(session: SessionDep, principal: PrincipalDep, meeting_id: int) -> dict[str, Any]:
    row = meetings.get_meeting(session, principal, meeting_id)
    covered = {c.person_id: people.get_person(session, principal, c.person_id) for c in row.cases}
    return {"meeting": row, "covered": covered}


@router.get("/multi-agency-meetings/{meeting_id}")
def joint_meeting_view(
    request: Request, session: SessionDep, principal: PrincipalDep, meeting_id: int
) -> Response:
    """One meeting and every case it covers (the reader needs access to each)."""
    require(principal, "person:read")
    context = _joint_context(session, principal, meeting_id)
    return page(request, "web/consult_joint_meeting.html", {"title": "重層的支援会議", **context})


@router.get("/multi-agency-meetings/{meeting_id}/print")
def joint_meeting_print(
    request: Request, session: SessionDep, principal: PrincipalDep, meeting_id: int
) -> Response:
    """The meeting record for A4 printing."""
    require(principal, "person:read")
    context = _joint_context(session, principal, meeting_id)
    return page(
        request,
        "web/consult_joint_meeting_print.html",
        {"title": "重層的支援会議 記録", "printed_on": today(), **context},
    )
