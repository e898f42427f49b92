"""本人一覧 / 本人の詳細: intake, consent, needs profile, and the history of the case."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import Response

from api.deps import RankerDep, SessionDep
from api.web.consult_view import jst_time
from api.web.forms import compact, labelled, many, text, validate, values
from api.web.helpers import parse_date, receiver_choices, resources_by_id, see_other, today
from api.web.routing import WebRoute, form_refusal, refusal_target
from api.web.session import FormDep, PrincipalDep, require, verify_csrf
from api.web.templating import flash, render
from casework.errors import CaseworkError
from casework.models import Person
from casework.permissions import Principal
from casework.reference import CONSENT_MATCHING, CONSENT_SHARE_RECEIVER, WARDS
from casework.schemas import ConsentIn, NeedsProfileIn, PersonIn, PersonUpdate
from casework.services import (
    audit,
    consent,
    evaluations,
    followup,
    people,
    placements,
    plans,
    suggestions,
)
from consultation.services import progress_notes
from consultation.services.progress_notes import TIMELINE_KINDS
from resources_catalog.records import CATEGORY_CODES, WEEKDAYS

router = APIRouter(route_class=WebRoute, include_in_schema=False)
CSRF = [Depends(verify_csrf)]

PERSON_FIELDS = (
    "name", "furigana", "sex", "born_on", "phone", "email", "address", "ward",
    "referral_source", "referred_on", "received_on", "health_notes", "disability_notes",
    "family_notes",
)  # fmt: skip


def _person_data(form: FormData, *, update: bool) -> dict[str, Any]:
    data: dict[str, Any] = {name: text(form, name) for name in PERSON_FIELDS}
    if data["sex"] == "other":
        data["sex"] = text(form, "sex_other")
    for name in ("home_lat", "home_lon"):
        data[name] = text(form, name)
    if update:
        data.pop("received_on")
        # Every field of the edit form is sent: an emptied field is cleared, not kept.
        data["name"] = data["name"] or ""
        return data
    return compact(data)


def _person_form(person: Any) -> dict[str, Any]:
    form = {name: getattr(person, name) for name in PERSON_FIELDS}
    for name in ("born_on", "referred_on", "received_on"):
        form[name] = form[name].isoformat() if form[name] else ""
    if person.sex and person.sex not in ("男性", "女性"):
        form["sex"], form["sex_other"] = "other", person.sex
    if person.home_location_source == "manual":
        form["home_lat"], form["home_lon"] = person.home_lat, person.home_lon
    return form


def _flash_unplaced(request: Request, person: Any) -> None:
    """Say so when an address typed at intake could not be placed at its town."""
    if person.address and person.home_location_source in ("ward", None):
        where = "区の中心を使います" if person.home_location_source == "ward" else "位置は不明です"
        flash(
            request,
            f"住所から町を特定できませんでした。地図と距離には{where}"
            "（住所の書き方と区の欄が合っているかを確かめるか、緯度・経度を指定してください）。",
            "warn",
        )


@router.get("/people")
def people_list(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    status: Annotated[str | None, Query(pattern="^(open|closed)?$")] = "open",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    q: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    """People the user may see (coordinators: own and team); ``q`` searches them."""
    require(principal, "person:read")
    size = 50
    query = (q or "").strip()
    if query:
        found = people.search_people(
            session, principal, query, status=status or None, limit=page * size + 1
        )
        rows = found[(page - 1) * size :]
    else:
        rows = people.list_people(
            session, principal, status=status or None, offset=(page - 1) * size, limit=size + 1
        )
    return render(
        request,
        "web/people_list.html",
        {
            "title": "本人一覧",
            "rows": rows[:size],
            "status": status or "",
            "q": query,
            "page": page,
            "has_next": len(rows) > size,
            "today": today(),
        },
    )


def _person_form_page(
    request: Request,
    form: dict[str, Any],
    errors: dict[str, str] | None = None,
    *,
    person: Person | None = None,
    duplicates: list[Any] | None = None,
    status: int = 200,
) -> Response:
    """The intake form: 新規受付 without ``person``, 受付内容の修正 with it."""
    shown = errors or {}
    return render(
        request,
        "web/person_form.html",
        {
            "title": "受付内容の修正" if person is not None else "新規受付",
            "person": person,
            "form": form,
            "errors": shown,
            "labelled": labelled(shown),
            "wards": WARDS,
            "duplicates": duplicates or [],
        },
        status_code=status,
    )


@router.get("/people/new")
def person_new(request: Request, principal: PrincipalDep) -> Response:
    """The intake form (相談受付・申込票)."""
    require(principal, "person:write")
    return _person_form_page(request, {"received_on": today().isoformat()})


@router.post("/people/new", dependencies=CSRF)
def person_create(
    request: Request, session: SessionDep, principal: PrincipalDep, form: FormDep
) -> Response:
    """Register the intake; on errors show the form again with what was typed."""
    require(principal, "person:write")
    data, errors = validate(PersonIn, _person_data(form, update=False))
    duplicates: list[Any] = []
    if data is not None and not form.get("confirm_new"):
        # Ask before registering the same person twice; 「別の人として受付する」 confirms.
        duplicates = people.possible_duplicates(
            session, principal, name=data.name, furigana=data.furigana, born_on=data.born_on,
            phone=data.phone,
        )  # fmt: skip
    if data is not None and not duplicates:
        try:
            person = people.create_person(session, principal, data, today=today())
        except CaseworkError as exc:
            errors = form_refusal(session, exc)
        else:
            flash(request, f"受付しました（受付番号 {person.reception_number}）。")
            _flash_unplaced(request, person)
            return see_other(f"/people/{person.id}")
    return _person_form_page(
        request,
        values(form),
        errors,
        duplicates=duplicates,
        status=409 if duplicates and not errors else 422,
    )


@router.get("/people/{person_id}")
def person_detail(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    person_id: int,
    kind: Annotated[list[str] | None, Query()] = None,
) -> Response:
    """Everything about one person on one page, the 支援経過 filtered by ``kind``."""
    require(principal, "person:read")
    with audit.page_view(session, principal, "person_detail", "person", person_id):
        context = detail_context(session, principal, person_id, kinds=kind or ())
    return render(request, "web/person_detail.html", context)


def detail_context(
    session: Session,
    principal: Principal,
    person_id: int,
    *,
    form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    which: str = "",
    kinds: Sequence[str] = (),
) -> dict[str, Any]:
    """The person detail page's context; ``form``/``errors`` re-display one posted form.

    The 支援経過 is embedded (filtered by ``kinds``) so the person's history is read where
    the case is, not on a separate page.
    """
    person = people.get_person(session, principal, person_id)
    day = today()
    errors = errors or {}
    shown = {k: v for k, v in errors.items() if not k.startswith("_")}
    base_form: dict[str, Any] = {
        "closed_on": day.isoformat(),
        "contacted_on": day.isoformat(),
        "method": "phone",
        "ended_on": day.isoformat(),
    }
    record = followup.get_follow_up(session, principal, person_id)
    if record.follow_up is not None:
        base_form["interval_days"] = record.follow_up.interval_days
    base_form.update(form or {})
    profile_rows = people.list_profile_versions(session, principal, person_id)
    consents = consent.list_consents(session, principal, person_id)
    plan_rows = plans.list_plans(session, principal, person_id)
    placement_rows = placements.list_placements(session, principal, person_id)
    return {
        "title": f"{person.name or '本人'}さんの詳細",
        "person": person,
        "age": person.age_on(day),
        "profile": profile_rows[-1] if profile_rows else None,
        "profile_count": len(profile_rows),
        "consents": consents,
        "may_match": consent.may_match(session, person.id, on=day),
        "today": day,
        "plans": plan_rows,
        "placements": placement_rows,
        "resources": resources_by_id(
            session,
            [p.resource_id for p in placement_rows]
            + [c.receiver_id for c in consents if c.receiver_kind == "resource" and c.receiver_id],
        ),
        "evaluations": evaluations.list_evaluations(session, principal, person_id),
        "meetings": consent.list_support_meetings(session, principal, person_id),
        "follow_up": record.follow_up,
        "follow_up_contacts": record.contacts,
        "closure_reasons": followup.CLOSURE_REASONS,
        "form": base_form,
        "errors": errors,
        "field_errors": shown,
        "labelled": labelled(shown),
        "which": which,
        "entries": progress_notes.timeline(session, principal, person_id, kinds=kinds),
        "kinds": list(kinds),
        "TIMELINE_KINDS": TIMELINE_KINDS,
        "jst": jst_time,
    }


@router.get("/people/{person_id}/edit")
def person_edit(
    request: Request, session: SessionDep, principal: PrincipalDep, person_id: int
) -> Response:
    """The intake form filled with the stored values."""
    require(principal, "person:write")
    person = people.get_person(session, principal, person_id)
    return _person_form_page(request, _person_form(person), person=person)


@router.post("/people/{person_id}/edit", dependencies=CSRF)
def person_update(
    request: Request, session: SessionDep, principal: PrincipalDep, form: FormDep, person_id: int
) -> Response:
    """Save the intake changes."""
    require(principal, "person:write")
    data, errors = validate(PersonUpdate, _person_data(form, update=True))
    if data is not None:
        try:
            updated = people.update_person(session, principal, person_id, data)
        except CaseworkError as exc:
            errors = form_refusal(session, exc)
        else:
            flash(request, "受付内容を保存しました。")
            _flash_unplaced(request, updated)
            return see_other(f"/people/{person_id}")
    person = people.get_person(session, principal, person_id)
    return _person_form_page(request, values(form), errors, person=person, status=422)


# --- needs profile ---------------------------------------------------------------------


def _profile_form(profile: Any) -> dict[str, Any]:
    if profile is None:
        return {"days": [], "preferred_categories": []}
    return {
        "needs_text": profile.needs_text or "",
        "avoid_text": profile.avoid_text or "",
        "age": profile.age,
        "days": list(profile.days or []),
        "home_ward": profile.home_ward or "",
        "home_address": profile.home_address or "",
        "max_travel_km": profile.max_travel_km,
        "has_certificate": profile.has_certificate,
        "needs_wheelchair_access": profile.needs_wheelchair_access,
        "prefers_quiet": profile.prefers_quiet,
        "prefers_small_group": profile.prefers_small_group,
        "wants_paid": profile.wants_paid,
        "preferred_categories": list(profile.preferred_categories or []),
        "excluded_resource_ids": ", ".join(profile.excluded_resource_ids or []),
    }


def _profile_data(form: FormData) -> dict[str, Any]:
    excluded = text(form, "excluded_resource_ids") or ""
    ward = text(form, "home_ward")
    address = text(form, "home_address")
    data: dict[str, Any] = {
        "needs_text": text(form, "needs_text") or "",
        "avoid_text": text(form, "avoid_text") or "",
        "age": text(form, "age"),
        "days": many(form, "days"),
        "max_travel_km": text(form, "max_travel_km"),
        "preferred_categories": many(form, "preferred_categories"),
        "excluded_resource_ids": [
            x.strip() for x in excluded.replace("、", ",").split(",") if x.strip()
        ],
        "home": compact({"ward": ward, "address": address}) if ward or address else None,
    }
    for name in PROFILE_FLAGS:
        data[name] = form.get(name) is not None
    return data


PROFILE_FLAGS = (
    "has_certificate",
    "needs_wheelchair_access",
    "prefers_quiet",
    "prefers_small_group",
    "wants_paid",
)


def _profile_page(
    request: Request,
    session: Session,
    principal: Principal,
    person_id: int,
    form: dict[str, Any] | None,
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    person = people.get_person(session, principal, person_id)
    versions = people.list_profile_versions(session, principal, person_id)
    latest = versions[-1] if versions else None
    return render(
        request,
        "web/profile_form.html",
        {
            "title": "希望・条件（ニーズ）",
            "person": person,
            "form": form if form is not None else _profile_form(latest),
            "errors": errors,
            "labelled": labelled(errors),
            "versions": versions,
            "weekdays": WEEKDAYS,
            "category_codes": CATEGORY_CODES,
            "wards": WARDS,
        },
        status_code=status,
    )


@router.get("/people/{person_id}/profile")
def profile_edit(
    request: Request, session: SessionDep, principal: PrincipalDep, person_id: int
) -> Response:
    """The needs profile form (each save is a new version)."""
    require(principal, "person:write")
    with audit.page_view(session, principal, "profile_form", "person", person_id):
        return _profile_page(request, session, principal, person_id, None, {})


@router.post("/people/{person_id}/profile", dependencies=CSRF)
def profile_save(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    form: FormDep,
    provider: RankerDep,
    person_id: int,
) -> Response:
    """Store a new profile version."""
    require(principal, "person:write")
    data, errors = validate(NeedsProfileIn, _profile_data(form))
    if data is not None:
        try:
            profile = suggestions.save_profile(
                session, principal, person_id, data, provider, today=today()
            )
        except CaseworkError as exc:
            errors = form_refusal(session, exc)
        else:
            flash(request, f"希望・条件を保存しました（第{profile.version}版）。")
            return see_other(f"/people/{person_id}")
    typed = values(form)
    typed["days"] = many(form, "days")
    typed["preferred_categories"] = many(form, "preferred_categories")
    for name in PROFILE_FLAGS:
        typed[name] = form.get(name) is not None
    return _profile_page(request, session, principal, person_id, typed, errors, 422)


# --- consent ---------------------------------------------------------------------------


def _consent_page(
    request: Request,
    session: Session,
    principal: Principal,
    person_id: int,
    form: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    person = people.get_person(session, principal, person_id)
    return render(
        request,
        "web/consent_form.html",
        {
            "title": "同意の記録",
            "person": person,
            "form": form,
            "errors": errors,
            "labelled": labelled(errors),
            "receivers": receiver_choices(session),
        },
        status_code=status,
    )


@router.get("/people/{person_id}/consents/new")
def consent_new(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    person_id: int,
    resource_id: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    """The consent form; ``?resource_id=`` (from a placement) preselects sharing with it."""
    require(principal, "person:write")
    form = {"scope": CONSENT_MATCHING, "given_on": today().isoformat(), "method": "written"}
    if resource_id:
        form.update(scope=CONSENT_SHARE_RECEIVER, receiver_id=resource_id)
    return _consent_page(request, session, principal, person_id, form, {})


@router.post("/people/{person_id}/consents/new", dependencies=CSRF)
def consent_create(
    request: Request, session: SessionDep, principal: PrincipalDep, form: FormDep, person_id: int
) -> Response:
    """Record a consent."""
    require(principal, "person:write")
    scope = text(form, "scope")
    receiver = text(form, "receiver_id")
    raw = {
        "scope": scope,
        "receiver_kind": "resource" if receiver else None,
        "receiver_id": receiver,
        "given_on": text(form, "given_on"),
        "method": text(form, "method"),
        "note": text(form, "note"),
        "expires_on": text(form, "expires_on"),
    }
    data, errors = validate(ConsentIn, compact(raw))
    if data is not None:
        try:
            consent.record_consent(session, principal, person_id, data)
        except CaseworkError as exc:
            errors = form_refusal(session, exc)
        else:
            flash(request, "同意を記録しました。")
            return see_other(f"/people/{person_id}")
    return _consent_page(request, session, principal, person_id, values(form), errors, 422)


@router.post("/consents/{consent_id}/withdraw", dependencies=CSRF)
def consent_withdraw(
    request: Request, session: SessionDep, principal: PrincipalDep, form: FormDep, consent_id: int
) -> Response:
    """Record the withdrawal of a consent (today unless a date is given)."""
    require(principal, "person:write")
    back = text(form, "back") or "/people"
    refusal_target(
        request, back if back.startswith("/") and not back.startswith("//") else "/people"
    )
    typed = text(form, "withdrawn_on")
    day = parse_date(typed) if typed else today()
    if day is None:
        flash(request, "日付が正しくありません。", "error")
        return see_other(back)
    row = consent.withdraw_consent(
        session, principal, consent_id, withdrawn_on=day, note=text(form, "note")
    )
    flash(request, "同意の撤回を記録しました。")
    return see_other(f"/people/{row.person_id}")
