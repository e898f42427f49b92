"""The 支援関係機関 directory pages: list, create/edit one agency, upload with preview, export."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from starlette.datastructures import FormData
from starlette.responses import Response

from api.deps import SessionDep, SettingsDep
from api.web import uploads_view
from api.web.consult_view import page
from api.web.forms import labelled, many, text, validate, values
from api.web.helpers import see_other
from api.web.routing import WebRoute, form_refusal
from api.web.session import FormDep, PrincipalDep, require, verify_csrf
from api.web.templating import flash
from casework.errors import CaseworkError
from consultation.schemas import AgencyIn
from consultation.services import agencies
from consultation.services.agencies import COLUMN_LABELS, AgencyImportRejected

router = APIRouter(route_class=WebRoute, include_in_schema=False)
CSRF = [Depends(verify_csrf)]
UPLOAD_SESSION_KEY = "agency_upload"


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
    return page(
        request,
        "web/consult_agencies.html",
        {"title": "支援関係機関", "rows": rows, "kind": kind or "", "ward": ward or ""},
    )


@router.get("/agencies/export.{fmt}")
def agency_export(session: SessionDep, principal: PrincipalDep, fmt: str) -> Response:
    """The whole directory as CSV (the import format) or xlsx."""
    require(principal, "agency:read")
    if fmt not in ("csv", "xlsx"):
        return Response(
            "対応していない出力形式です（csv または xlsx）。",
            status_code=404,
            media_type="text/plain; charset=utf-8",
        )
    body = agencies.export_agencies(session, principal, fmt=fmt)
    media = (
        "text/csv; charset=utf-8"
        if fmt == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return Response(
        body,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="tsunagu-agencies.{fmt}"'},
    )


# --- one agency ------------------------------------------------------------------------------


def _agency_data(form: FormData) -> dict[str, Any]:
    return {
        "code": text(form, "code") or "",
        "kind": text(form, "kind") or "",
        "name": text(form, "name") or "",
        "wards": many(form, "wards"),
        "towns": [t.strip() for t in (text(form, "towns") or "").replace("、", ",").split(",")
                  if t.strip()],
        "phone": text(form, "phone"),
        "email": text(form, "email"),
        "address": text(form, "address"),
        "hours": text(form, "hours"),
        "note": text(form, "note"),
        "active": form.get("active") is not None,
    }  # fmt: skip


def _form_page(
    request: Request,
    form: dict[str, Any],
    errors: dict[str, str],
    *,
    agency_id: int | None,
    status: int = 200,
) -> Response:
    return page(
        request,
        "web/consult_agency_form.html",
        {
            "title": "支援関係機関の修正" if agency_id else "支援関係機関の登録",
            "agency_id": agency_id,
            "form": form,
            "errors": errors,
            "labelled": labelled(errors),
        },
        status_code=status,
    )


@router.get("/agencies/new")
def agency_new(request: Request, principal: PrincipalDep) -> Response:
    """The form for a new agency."""
    require(principal, "agency:write")
    return _form_page(request, {"active": True, "wards": []}, {}, agency_id=None)


@router.get("/agencies/{agency_id}/edit")
def agency_edit(
    request: Request, session: SessionDep, principal: PrincipalDep, agency_id: int
) -> Response:
    """The form filled with the agency's current values."""
    require(principal, "agency:write")
    agency = agencies.get_agency(session, principal, agency_id)
    form = {
        name: getattr(agency, name)
        for name in ("code", "kind", "name", "wards", "phone", "email", "address", "hours",
                     "note", "active")
    }  # fmt: skip
    form["towns"] = "、".join(agency.towns)
    return _form_page(request, form, {}, agency_id=agency.id)


@router.post("/agencies/save", dependencies=CSRF)
def agency_save(
    request: Request, session: SessionDep, principal: PrincipalDep, form: FormDep
) -> Response:
    """Create the agency of this code or update it (the code is the agency's key)."""
    require(principal, "agency:write")
    raw = _agency_data(form)
    agency_id = int(text(form, "agency_id") or 0) or None
    data, errors = validate(AgencyIn, raw)
    shown = {**values(form), "wards": raw["wards"], "active": raw["active"]}
    if data is None:
        return _form_page(request, shown, errors, agency_id=agency_id, status=422)
    if agency_id is not None and agencies.get_agency(session, principal, agency_id).code != (
        data.code
    ):
        errors = {"code": "コードは変更できません（別の機関として登録してください）。"}
        return _form_page(request, shown, errors, agency_id=agency_id, status=422)
    try:
        agency, created = agencies.upsert_agency(session, principal, data)
    except CaseworkError as exc:
        return _form_page(
            request, shown, form_refusal(session, exc), agency_id=agency_id, status=409
        )
    flash(request, f"{agency.name}を{'登録' if created else '更新'}しました。")
    return see_other("/agencies")


# --- upload with preview ---------------------------------------------------------------------


def _import_page(request: Request, context: dict[str, Any], status: int = 200) -> Response:
    return page(
        request,
        "web/consult_agency_import.html",
        {"title": "支援関係機関の取り込み", "COLUMN_LABELS": COLUMN_LABELS, **context},
        status_code=status,
    )


@router.get("/agencies/import")
def agency_import_form(request: Request, principal: PrincipalDep) -> Response:
    """The upload form."""
    require(principal, "agency:write")
    return _import_page(request, {})


@router.post("/agencies/import", dependencies=CSRF)
def agency_import_preview(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: PrincipalDep,
    form: FormDep,
) -> Response:
    """Check the file: each bad row with column and reason, or what it would change."""
    require(principal, "agency:write")
    try:
        data, filename = uploads_view.read_upload(form, settings.upload_max_bytes)
    except uploads_view.UploadRefused as exc:
        return _import_page(request, {"upload_error": exc.message}, exc.status_code)
    try:
        report = agencies.preview_import(session, principal, data)
    except AgencyImportRejected as exc:
        context = {"filename": filename, "row_errors": exc.errors}
        return _import_page(request, context, 422)
    token = uploads_view.keep_for_apply(request, UPLOAD_SESSION_KEY, data, filename)
    return _import_page(request, {"filename": filename, "report": report, "token": token})


@router.post("/agencies/import/apply", dependencies=CSRF)
def agency_import_apply(
    request: Request, session: SessionDep, principal: PrincipalDep, form: FormDep
) -> Response:
    """Apply the previewed file (all or nothing)."""
    require(principal, "agency:write")
    stored = uploads_view.previewed_upload(request, form, UPLOAD_SESSION_KEY)
    if stored is None:
        return see_other("/agencies/import")
    token, data, filename = stored
    try:
        report = agencies.import_agencies(session, principal, data)
    except AgencyImportRejected as exc:
        session.rollback()  # nothing of a refused file is kept
        return _import_page(request, {"filename": filename, "row_errors": exc.errors}, 422)
    uploads_view.forget_upload(request, UPLOAD_SESSION_KEY, token)
    flash(
        request,
        f"取り込みました: 新規 {len(report.created)} 件、更新 {len(report.updated)} 件、"
        f"変更なし {len(report.unchanged)} 件。",
    )
    return see_other("/agencies")
