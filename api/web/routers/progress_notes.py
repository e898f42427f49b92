"""支援経過 pages: the person's timeline (filterable), notes, corrections, A4 print."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from starlette.datastructures import FormData
from starlette.responses import Response

from api.deps import SessionDep
from api.web.consult_view import jst_instant, page
from api.web.forms import compact, labelled, text, validate
from api.web.helpers import see_other, today
from api.web.routing import WebRoute, on_refusal
from api.web.session import FormDep, PrincipalDep, require, verify_csrf
from api.web.templating import flash
from casework.services import audit, people
from consultation.reference import JST
from consultation.schemas import (
    ProgressNoteCorrection,
    ProgressNoteIn,
)
from consultation.services import (
    agencies,
    progress_notes,
    referrals,
)

router = APIRouter(route_class=WebRoute, include_in_schema=False)
CSRF = [Depends(verify_csrf)]


# --- 支援経過 -------------------------------------------------------------------------------


@router.get("/people/{person_id}/timeline")
def person_timeline(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    person_id: int,
    kind: Annotated[list[str] | None, Query()] = None,
) -> Response:
    """The person's 支援経過 and everything else in time order, filterable by kind."""
    require(principal, "person:read")
    with audit.page_view(session, principal, "timeline", "person", person_id):
        person = people.get_person(session, principal, person_id)
        entries = progress_notes.timeline(session, principal, person_id, kinds=kind or ())
        rows = referrals.list_referrals(session, principal, person_id=person_id)
    now = datetime.now(JST).replace(second=0, microsecond=0, tzinfo=None)
    return page(
        request,
        "web/consult_timeline.html",
        {
            "title": f"{person.name or '本人'}さんの支援経過",
            "person": person,
            "entries": entries,
            "kinds": kind or [],
            "referrals": rows,
            "agency_names": referrals.agency_names(session),
            "all_agencies": agencies.list_agencies(session, principal, active_only=True),
            "today": today(),
            "form": {"occurred_at": now.isoformat(timespec="minutes"), "kind": "interview",
                     "consent_basis": "consent_written"},
        },
    )  # fmt: skip


def _note_data(form: FormData) -> dict[str, Any]:
    return compact(
        {
            "kind": text(form, "kind"),
            "occurred_at": jst_instant(text(form, "occurred_at")),
            "involved": text(form, "involved"),
            "content": text(form, "content"),
            "next_action": text(form, "next_action"),
            "next_action_on": text(form, "next_action_on"),
            "correction_reason": text(form, "correction_reason"),
        }
    )


@router.post(
    "/people/{person_id}/progress-notes",
    dependencies=[*CSRF, on_refusal("/people/{person_id}/timeline")],
)
def note_create(
    request: Request, session: SessionDep, principal: PrincipalDep, person_id: int, form: FormDep
) -> Response:
    """Add a 支援経過 entry."""
    require(principal, "person:write")
    data_in = _note_data(form)
    data_in.pop("correction_reason", None)
    data, errors = validate(ProgressNoteIn, data_in)
    if data is None:
        flash(request, "支援経過: " + " ".join(labelled(errors)), "error")
        return see_other(f"/people/{person_id}/timeline")
    progress_notes.add_note(session, principal, person_id, data)
    flash(request, "支援経過を記録しました。")
    return see_other(f"/people/{person_id}/timeline")


@router.get("/progress-notes/{note_id}")
def note_versions(
    request: Request, session: SessionDep, principal: PrincipalDep, note_id: int
) -> Response:
    """Every version of a note and, for the current one, the correction form."""
    require(principal, "person:read")
    versions = progress_notes.note_history(session, principal, note_id)
    current = next(v for v in versions if v.current)
    stored = current.occurred_at
    at = (stored if stored.tzinfo else stored.replace(tzinfo=UTC)).astimezone(JST)
    return page(
        request,
        "web/consult_note_versions.html",
        {
            "title": "支援経過の訂正履歴",
            "versions": versions,
            "current": current,
            "form": {
                "kind": current.kind,
                "occurred_at": at.replace(tzinfo=None).isoformat(timespec="minutes"),
                "involved": current.involved,
                "content": current.content,
                "next_action": current.next_action,
                "next_action_on": current.next_action_on.isoformat()
                if current.next_action_on
                else "",
            },
        },
    )


@router.post(
    "/progress-notes/{note_id}/correct",
    dependencies=[*CSRF, on_refusal("/progress-notes/{note_id}")],
)
def note_correct(
    request: Request, session: SessionDep, principal: PrincipalDep, note_id: int, form: FormDep
) -> Response:
    """Save a corrected version; the old one stays readable."""
    require(principal, "person:write")
    data, errors = validate(ProgressNoteCorrection, _note_data(form))
    if data is None:
        flash(request, "訂正: " + " ".join(labelled(errors)), "error")
        return see_other(f"/progress-notes/{note_id}")
    new = progress_notes.correct_note(session, principal, note_id, data)
    flash(request, f"訂正しました（第{new.version}版）。元の記録も残っています。")
    return see_other(f"/progress-notes/{new.id}")


@router.get("/people/{person_id}/progress-notes/print")
def notes_print(
    request: Request, session: SessionDep, principal: PrincipalDep, person_id: int
) -> Response:
    """支援経過記録 for A4 printing (current versions, JST)."""
    require(principal, "person:read")
    person = people.get_person(session, principal, person_id)
    notes = progress_notes.list_notes(session, principal, person_id)
    return page(
        request,
        "web/consult_notes_print.html",
        {"title": "支援経過記録", "person": person, "notes": notes, "printed_on": today()},
    )
