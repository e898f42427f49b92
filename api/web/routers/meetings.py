"""支援会議 (without consent) and 重層的支援会議 (with consent) records, list and print."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from api.deps import SessionDep
from api.web.consult_view import int_or_text, page
from api.web.forms import compact, domain_message, labelled, text, validate
from api.web.helpers import see_other, today
from api.web.routing import WebRoute
from api.web.session import FormDep, PrincipalDep, require, verify_csrf
from api.web.templating import flash
from casework.errors import CaseworkError, MultiAgencyConsentRequired
from casework.schemas import SupportMeetingIn
from casework.services import audit, consent, people
from consultation.schemas import MultiAgencyMeetingIn
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


@router.post("/people/{person_id}/meetings/support", dependencies=CSRF)
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


@router.post("/people/{person_id}/meetings/multi-agency", dependencies=CSRF)
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
    try:
        meetings.record_multi_agency_meeting(session, principal, person_id, data)
    except MultiAgencyConsentRequired as exc:
        session.rollback()
        flash(request, exc.MESSAGE_JA, "error")
    except CaseworkError as exc:
        session.rollback()
        flash(request, domain_message(exc), "error")
    else:
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
