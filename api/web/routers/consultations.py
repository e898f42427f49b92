"""包括的相談 pages: consultations, linking to a person, つなぎ, 支援経過 timeline and print,
支援会議 / 重層的支援会議 records, and the 支援関係機関 directory.

Each handler parses the form, calls one ``consultation.services`` function (the same ones
the JSON API calls) and renders or redirects.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from starlette.datastructures import FormData
from starlette.responses import Response

from api.deps import SessionDep
from api.web.forms import compact, domain_message, labelled, many, text, validate, values
from api.web.helpers import see_other, today
from api.web.routing import WebRoute
from api.web.session import FormDep, PrincipalDep, require, verify_csrf
from api.web.templating import flash, render
from casework.errors import CaseworkError, MultiAgencyConsentRequired
from casework.reference import WARDS
from casework.schemas import PersonIn, SupportMeetingIn
from casework.services import consent, people
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
    intake_form_layout,
    tags,
)
from consultation.schemas import (
    ConsultationIn,
    IntakeFormIn,
    LinkIn,
    MultiAgencyMeetingIn,
    ProgressNoteCorrection,
    ProgressNoteIn,
    ReferralIn,
    ReferralTransitionIn,
)
from consultation.services import (
    agencies,
    consultations,
    intake_form,
    meetings,
    progress_notes,
    referrals,
)
from consultation.services.progress_notes import TIMELINE_KINDS

router = APIRouter(route_class=WebRoute, include_in_schema=False)
CSRF = [Depends(verify_csrf)]
HOUSEHOLD_ROWS = 3

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
}


def _page(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> Response:
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


def _int(value: str | None) -> int | str | None:
    if value is None:
        return None
    return int(value) if value.isdecimal() else value


def _back(form: FormData, default: str) -> str:
    # Only local paths: a posted "next" never sends the browser elsewhere.
    target = text(form, "next")
    return target if target and target.startswith("/") and not target.startswith("//") else default


def _jst_instant(value: str | None) -> str | None:
    """A datetime-local value (JST wall time) as an ISO instant with +09:00."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=JST).isoformat()
    except ValueError:
        return value


# --- consultations -----------------------------------------------------------------------


@router.get("/consultations")
def consultation_list(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    unlinked: Annotated[bool, Query()] = False,
) -> Response:
    """Consultations the user may see, and referrals whose reply is overdue."""
    require(principal, "consultation:read")
    rows = consultations.list_consultations(session, principal, unlinked=unlinked, limit=200)
    overdue = referrals.overdue_referrals(session, principal, today())
    return _page(
        request,
        "web/consult_list.html",
        {
            "title": "包括的相談",
            "rows": rows,
            "unlinked": unlinked,
            "overdue": overdue,
            "agency_names": referrals.agency_names(session),
        },
    )


def _consultation_data(form: FormData) -> dict[str, Any]:
    data: dict[str, Any] = {
        name: text(form, name)
        for name in (
            "received_on", "channel", "from_whom", "caller_note", "name", "furigana", "sex",
            "born_on", "phone", "address", "ward", "town", "chief_complaint", "content",
            "info_given", "outcome",
        )
    }  # fmt: skip
    data["age"] = _int(text(form, "age"))
    data["tags"] = many(form, "tags")
    household = []
    for i in range(HOUSEHOLD_ROWS):
        relation = text(form, f"household.{i}.relation")
        if relation is None:
            continue
        household.append(
            compact(
                {
                    "relation": relation,
                    "age": _int(text(form, f"household.{i}.age")),
                    "needs": text(form, f"household.{i}.needs"),
                }
            )
        )
    data["household"] = household
    return compact(data)


@router.get("/consultations/new")
def consultation_new(request: Request, principal: PrincipalDep) -> Response:
    """The consultation form; every field about the person may stay empty (anonymous)."""
    require(principal, "consultation:write")
    form = {"received_on": today().isoformat(), "channel": "phone", "from_whom": "self"}
    return _page(
        request,
        "web/consult_form.html",
        {"title": "相談を受け付ける", "form": form, "rows": range(HOUSEHOLD_ROWS), "selected": []},
    )


@router.post("/consultations/new", dependencies=CSRF)
def consultation_create(
    request: Request, session: SessionDep, principal: PrincipalDep, form: FormDep
) -> Response:
    """Record the consultation; on errors show the form again with what was typed."""
    require(principal, "consultation:write")
    data, errors = validate(ConsultationIn, _consultation_data(form))
    if data is not None:
        try:
            row = consultations.create_consultation(session, principal, data, today=today())
        except CaseworkError as exc:
            session.rollback()
            errors = {"_form": domain_message(exc)}
        else:
            flash(request, "相談を記録しました。")
            return see_other(f"/consultations/{row.id}")
    return _page(
        request,
        "web/consult_form.html",
        {
            "title": "相談を受け付ける",
            "form": values(form),
            "selected": many(form, "tags"),
            "rows": range(HOUSEHOLD_ROWS),
            "errors": errors,
            "labelled": labelled(errors),
        },
        status_code=422,
    )


@router.get("/consultations/{consultation_id}")
def consultation_detail(
    request: Request, session: SessionDep, principal: PrincipalDep, consultation_id: int
) -> Response:
    """One consultation: household, link to a person, agencies that fit, referrals."""
    require(principal, "consultation:read")
    row = consultations.get_consultation(session, principal, consultation_id)
    fits = agencies.fitting_agencies(
        session, principal, ward=row.ward, town=row.town, address=row.address, age=row.age,
        tag_codes=row.tags,
    )  # fmt: skip
    rows = referrals.list_referrals(session, principal, consultation_id=row.id)
    return _page(
        request,
        "web/consult_detail.html",
        {
            "title": "相談の記録",
            "c": row,
            "fits": fits,
            "referrals": rows,
            "all_agencies": agencies.list_agencies(session, principal, active_only=True),
            "agency_names": referrals.agency_names(session),
            "today": today(),
            "form": {"reply_due_on": "", "consent_basis": "consent_verbal"},
            "intake_layout": intake_form_layout(),
        },
    )


@router.post("/consultations/{consultation_id}/link", dependencies=CSRF)
def consultation_link(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    consultation_id: int,
    form: FormDep,
) -> Response:
    """Link to an existing person (受付番号) or register a new person from the consultation."""
    require(principal, "consultation:write")
    number = text(form, "reception_number")
    try:
        if number:
            person = people.find_by_reception_number(session, principal, number)
            link = LinkIn(person_id=person.id)
        else:
            intake, _errors = validate(
                PersonIn,
                compact({"name": text(form, "name"), "furigana": text(form, "furigana"),
                         "born_on": text(form, "born_on")}),
            )  # fmt: skip
            if intake is None:
                flash(request, "氏名を入力するか、既存の受付番号を指定してください。", "error")
                return see_other(f"/consultations/{consultation_id}")
            link = LinkIn(new_person=intake)
        row = consultations.link_consultation(session, principal, consultation_id, link)
    except CaseworkError as exc:
        session.rollback()
        flash(request, domain_message(exc), "error")
        return see_other(f"/consultations/{consultation_id}")
    flash(request, "相談を本人に紐づけました。相談の内容はそのまま残っています。")
    return see_other(f"/people/{row.person_id}/timeline")


# --- referrals -----------------------------------------------------------------------------


@router.post("/referrals/new", dependencies=CSRF)
def referral_create(
    request: Request, session: SessionDep, principal: PrincipalDep, form: FormDep
) -> Response:
    """Send a つなぎ to an agency from a consultation or a person's page."""
    require(principal, "consultation:write")
    back = _back(form, "/consultations")
    data, errors = validate(
        ReferralIn,
        compact(
            {
                "agency_id": _int(text(form, "agency_id")),
                "consultation_id": _int(text(form, "consultation_id")),
                "person_id": _int(text(form, "person_id")),
                "request": text(form, "request"),
                "consent_basis": text(form, "consent_basis"),
                "requested_on": text(form, "requested_on"),
                "reply_due_on": text(form, "reply_due_on"),
            }
        ),
    )
    if data is None:
        flash(
            request,
            "つなぎ先と情報提供の根拠を選んでください。" + " ".join(labelled(errors)),
            "error",
        )
        return see_other(back)
    try:
        referrals.create_referral(session, principal, data, today=today())
    except CaseworkError as exc:
        session.rollback()
        flash(request, domain_message(exc), "error")
        return see_other(back)
    flash(request, "つなぎを依頼済として記録しました。")
    return see_other(back)


@router.post("/referrals/{referral_id}/transition", dependencies=CSRF)
def referral_transition(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    referral_id: int,
    form: FormDep,
) -> Response:
    """受理・対応中・完了・不成立 (with a reason code)."""
    require(principal, "consultation:write")
    back = _back(form, "/consultations")
    data, errors = validate(
        ReferralTransitionIn,
        compact(
            {
                "to": text(form, "to"),
                "on": text(form, "on"),
                "reason_code": text(form, "reason_code"),
                "note": text(form, "note"),
            }
        ),
    )
    if data is None:
        flash(request, " ".join(labelled(errors)) or "入力内容を確認してください。", "error")
        return see_other(back)
    try:
        moved = referrals.transition_referral(session, principal, referral_id, data, today=today())
    except CaseworkError as exc:
        session.rollback()
        flash(request, domain_message(exc), "error")
        return see_other(back)
    flash(request, f"つなぎを「{REFERRAL_STATUSES[moved.status]}」にしました。")
    return see_other(back)


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
    person = people.get_person(session, principal, person_id)
    entries = progress_notes.timeline(session, principal, person_id, kinds=kind or ())
    rows = referrals.list_referrals(session, principal, person_id=person_id)
    now = datetime.now(JST).replace(second=0, microsecond=0, tzinfo=None)
    return _page(
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
            "occurred_at": _jst_instant(text(form, "occurred_at")),
            "involved": text(form, "involved"),
            "content": text(form, "content"),
            "next_action": text(form, "next_action"),
            "next_action_on": text(form, "next_action_on"),
            "correction_reason": text(form, "correction_reason"),
        }
    )


@router.post("/people/{person_id}/progress-notes", dependencies=CSRF)
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
    return _page(
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


@router.post("/progress-notes/{note_id}/correct", dependencies=CSRF)
def note_correct(
    request: Request, session: SessionDep, principal: PrincipalDep, note_id: int, form: FormDep
) -> Response:
    """Save a corrected version; the old one stays readable."""
    require(principal, "person:write")
    data, errors = validate(ProgressNoteCorrection, _note_data(form))
    if data is None:
        flash(request, "訂正: " + " ".join(labelled(errors)), "error")
        return see_other(f"/progress-notes/{note_id}")
    try:
        new = progress_notes.correct_note(session, principal, note_id, data)
    except CaseworkError as exc:
        session.rollback()
        flash(request, domain_message(exc), "error")
        return see_other(f"/progress-notes/{note_id}")
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
    return _page(
        request,
        "web/consult_notes_print.html",
        {"title": "支援経過記録", "person": person, "notes": notes, "printed_on": today()},
    )


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
def meetings_page(
    request: Request, session: SessionDep, principal: PrincipalDep, person_id: int
) -> Response:
    """支援会議 (without consent) and 重層的支援会議 (with consent) records of a person."""
    require(principal, "person:read")
    context = _meetings_context(session, principal, person_id)
    context["form"] = {"held_on": today().isoformat()}
    return _page(request, "web/consult_meetings.html", {"title": "会議の記録", **context})


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
        compact({"held_on": text(form, "held_on"), "plan_id": _int(text(form, "plan_id")),
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
    context = _meetings_context(session, principal, person_id)
    return _page(
        request,
        "web/consult_meetings_print.html",
        {"title": "会議の記録", "printed_on": today(), **context},
    )


# --- 支援関係機関 ---------------------------------------------------------------------------


@router.get("/agencies")
def agency_list(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    kind: Annotated[str | None, Query(max_length=32)] = None,
    ward: Annotated[str | None, Query(max_length=10)] = None,
) -> Response:
    """The directory, filterable by kind and ward."""
    require(principal, "agency:read")
    rows = agencies.list_agencies(session, principal, kind=kind or None, ward=ward or None)
    return _page(
        request,
        "web/consult_agencies.html",
        {"title": "支援関係機関", "rows": rows, "kind": kind or "", "ward": ward or ""},
    )


def jst_time(value: datetime | None) -> str:
    """An instant as JST wall time (2026年11月22日 10:00); naive values are UTC (SQLite)."""
    if value is None:
        return ""
    at = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(JST)
    return f"{at.year}年{at.month}月{at.day}日 {at.hour:02d}:{at.minute:02d}"


LABELS["jst"] = jst_time


# --- 相談受付・申込票 (様式第1号) ---------------------------------------------------------


@router.post("/consultations/{consultation_id}/intake-form", dependencies=CSRF)
def intake_form_create(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    consultation_id: int,
    form: FormDep,
) -> Response:
    """Record who filled each part and the declined items; the person must be linked first."""
    require(principal, "consultation:write")
    _modes, parts = intake_form_layout()
    data, errors = validate(
        IntakeFormIn,
        {
            "filled_by": {
                p.code: text(form, f"filled_by.{p.code}")
                for p in parts
                if text(form, f"filled_by.{p.code}")
            },
            "declined_items": many(form, "declined"),
        },
    )
    if data is None:
        flash(request, "様式第1号: " + " ".join(labelled(errors)), "error")
        return see_other(f"/consultations/{consultation_id}")
    try:
        record = intake_form.create_from_consultation(
            session, principal, consultation_id, data, today=today()
        )
    except CaseworkError as exc:
        session.rollback()
        flash(request, domain_message(exc), "error")
        return see_other(f"/consultations/{consultation_id}")
    flash(request, "相談受付・申込票（様式第1号）を作成しました。")
    return see_other(f"/people/{record.person_id}/intake-form/print")


@router.get("/people/{person_id}/intake-form/print")
def intake_form_print(
    request: Request, session: SessionDep, principal: PrincipalDep, person_id: int
) -> Response:
    """The filled 様式第1号 for A4 printing."""
    require(principal, "person:read")
    sheet = intake_form.intake_form(session, principal, person_id)
    return _page(
        request,
        "web/consult_intake_print.html",
        {"title": "相談受付・申込票", "sheet": sheet, "modes": intake_form_layout()[0]},
    )


@router.get("/intake-form/blank")
def intake_form_blank(request: Request, principal: PrincipalDep) -> Response:
    """The blank 様式第1号 for A4 printing."""
    require(principal, "person:read")
    return _page(
        request,
        "web/consult_intake_print.html",
        {"title": "相談受付・申込票", "sheet": intake_form.blank_form(), "blank": True,
         "modes": intake_form_layout()[0]},
    )  # fmt: skip
