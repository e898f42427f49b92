"""包括的相談 pages: consultations, linking to a person, つなぎ, and 様式第1号.

Each handler parses the form, calls one ``consultation.services`` function (the same ones
the JSON API calls) and renders or redirects.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from starlette.datastructures import FormData
from starlette.responses import Response

from api.deps import SessionDep
from api.web.consult_view import back_to, int_or_text, page
from api.web.forms import compact, labelled, many, text, validate, values
from api.web.helpers import see_other, today
from api.web.routing import WebRoute, form_refusal, on_refusal, refusal_target
from api.web.session import FormDep, PrincipalDep, require, verify_csrf
from api.web.templating import flash
from casework.errors import CaseworkError
from casework.schemas import PersonIn
from casework.services import people
from consultation.reference import REFERRAL_STATUSES, intake_form_layout
from consultation.schemas import (
    ConsultationIn,
    IntakeFormIn,
    LinkIn,
    ReferralIn,
    ReferralTransitionIn,
)
from consultation.services import (
    agencies,
    consultations,
    intake_form,
    referrals,
)

router = APIRouter(route_class=WebRoute, include_in_schema=False)
CSRF = [Depends(verify_csrf)]
HOUSEHOLD_ROWS = 3


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
    return page(
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
    data["age"] = int_or_text(text(form, "age"))
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
                    "age": int_or_text(text(form, f"household.{i}.age")),
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
    return page(
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
            errors = form_refusal(session, exc)
        else:
            flash(request, "相談を記録しました。")
            return see_other(f"/consultations/{row.id}")
    return page(
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
    return page(
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


@router.post(
    "/consultations/{consultation_id}/link",
    dependencies=[*CSRF, on_refusal("/consultations/{consultation_id}")],
)
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
    flash(request, "相談を本人に紐づけました。相談の内容はそのまま残っています。")
    return see_other(f"/people/{row.person_id}/timeline")


# --- referrals -----------------------------------------------------------------------------


@router.post("/referrals/new", dependencies=CSRF)
def referral_create(
    request: Request, session: SessionDep, principal: PrincipalDep, form: FormDep
) -> Response:
    """Send a つなぎ to an agency from a consultation or a person's page."""
    require(principal, "consultation:write")
    back = back_to(form, "/consultations")
    refusal_target(request, back)
    data, errors = validate(
        ReferralIn,
        compact(
            {
                "agency_id": int_or_text(text(form, "agency_id")),
                "consultation_id": int_or_text(text(form, "consultation_id")),
                "person_id": int_or_text(text(form, "person_id")),
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
    referrals.create_referral(session, principal, data, today=today())
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
    back = back_to(form, "/consultations")
    refusal_target(request, back)
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
    moved = referrals.transition_referral(session, principal, referral_id, data, today=today())
    flash(request, f"つなぎを「{REFERRAL_STATUSES[moved.status]}」にしました。")
    return see_other(back)


# --- 相談受付・申込票 (様式第1号) ---------------------------------------------------------


@router.post(
    "/consultations/{consultation_id}/intake-form",
    dependencies=[*CSRF, on_refusal("/consultations/{consultation_id}")],
)
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
    record = intake_form.create_from_consultation(
        session, principal, consultation_id, data, today=today()
    )
    flash(request, "相談受付・申込票（様式第1号）を作成しました。")
    return see_other(f"/people/{record.person_id}/intake-form/print")


@router.get("/people/{person_id}/intake-form/print")
def intake_form_print(
    request: Request, session: SessionDep, principal: PrincipalDep, person_id: int
) -> Response:
    """The filled 様式第1号 for A4 printing."""
    require(principal, "person:read")
    sheet = intake_form.intake_form(session, principal, person_id)
    return page(
        request,
        "web/consult_intake_print.html",
        {"title": "相談受付・申込票", "sheet": sheet, "modes": intake_form_layout()[0]},
    )


@router.get("/intake-form/blank")
def intake_form_blank(request: Request, principal: PrincipalDep) -> Response:
    """The blank 様式第1号 for A4 printing."""
    require(principal, "person:read")
    return page(
        request,
        "web/consult_intake_print.html",
        {"title": "相談受付・申込票", "sheet": intake_form.blank_form(), "blank": True,
         "modes": intake_form_layout()[0]},
    )  # fmt: skip
