"""受入先カタログ: search, detail with history, edit with version check, upload, export."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from starlette.datastructures import FormData
from starlette.responses import Response

from api.deps import SessionDep, SettingsDep
from api.web import uploads_view
from api.web.forms import labelled, many, text, validate, values
from api.web.helpers import see_other
from api.web.routing import WebRoute
from api.web.session import FormDep, PrincipalDep, require, verify_csrf
from api.web.templating import flash, render
from casework.permissions import Principal
from casework.services import accounts
from resources_catalog import service as catalog
from resources_catalog.errors import (
    ImportRejected,
    InvalidResource,
    ResourceAlreadyExists,
    StaleVersion,
    UnsupportedFile,
)
from resources_catalog.labels import field_label, value_ja
from resources_catalog.records import CATEGORY_CODES, WARDS, WEEKDAYS, ResourceRecord

router = APIRouter(route_class=WebRoute, include_in_schema=False)
CSRF = [Depends(verify_csrf)]
UPLOAD_SESSION_KEY = "upload"
PAGE_SIZE = 30

TEXT_FIELDS = (
    "name", "organization", "description", "ward", "address", "start_time", "end_time",
    "contact_name", "phone", "email",
)  # fmt: skip
NUMBER_FIELDS = (
    "lat", "lon", "capacity_total", "capacity_remaining", "min_age", "max_age",
    "participant_cost_yen", "cooperation_fee_yen",
)  # fmt: skip
FLAG_FIELDS = (
    "requires_certificate", "wheelchair_accessible", "quiet_environment", "small_group",
    "visit_ok", "trial_ok", "paid",
)  # fmt: skip
REQUIRED_NUMBERS = (
    "capacity_total",
    "capacity_remaining",
    "participant_cost_yen",
    "cooperation_fee_yen",
)
FLAG_LABELS = {
    "requires_certificate": "受給者証が必要",
    "wheelchair_accessible": "車椅子対応",
    "quiet_environment": "静かな環境",
    "small_group": "少人数",
    "visit_ok": "見学できる",
    "trial_ok": "体験できる",
    "paid": "有償（本人に収入がある）",
}


def _actor(request: Request, principal: Principal) -> str:
    name = request.session.get("name")
    return f"{name} ({principal.ref})" if name else principal.ref


def _record_data(form: FormData, resource_id: str) -> dict[str, Any]:
    """Every field of the form, explicitly: an emptied field clears the stored value."""
    data: dict[str, Any] = {"resource_id": resource_id}
    for name in TEXT_FIELDS:
        data[name] = text(form, name)
    data["description"] = data["description"] or ""
    for name in NUMBER_FIELDS:
        value = text(form, name)
        data[name] = value if value is not None else ("" if name in REQUIRED_NUMBERS else None)
    for name in FLAG_FIELDS:
        data[name] = form.get(name) is not None
    data["categories"] = many(form, "categories")
    data["days"] = many(form, "days")
    data["cooperation_fee_unit"] = text(form, "cooperation_fee_unit") or "none"
    data["status"] = text(form, "status") or "active"
    if data["name"] is None:
        data["name"] = ""
    if data["organization"] is None:
        data["organization"] = ""
    return data


def _form_of(record: ResourceRecord) -> dict[str, Any]:
    form: dict[str, Any] = record.model_dump(exclude={"extra"})
    for name, value in list(form.items()):
        if value is None:
            form[name] = ""
    return form


def _typed(form: FormData) -> dict[str, Any]:
    typed = values(form)
    typed["categories"] = many(form, "categories")
    typed["days"] = many(form, "days")
    for name in FLAG_FIELDS:
        typed[name] = form.get(name) is not None
    return typed


def _edit_page(
    request: Request,
    form: dict[str, Any],
    *,
    resource_id: str | None,
    version: int | None,
    errors: dict[str, str] | None = None,
    conflict: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    errors = errors or {}
    return render(
        request,
        "web/catalog_form.html",
        {
            "title": "受入先の編集" if resource_id else "受入先の登録",
            "resource_id": resource_id,
            "version": version,
            "form": form,
            "errors": errors,
            "field_errors": {k: v for k, v in errors.items() if k != "_form"},
            "labelled": labelled({k: v for k, v in errors.items() if k != "_form"}),
            "conflict": conflict,
            "wards": WARDS,
            "weekdays": WEEKDAYS,
            "category_codes": CATEGORY_CODES,
            "flag_labels": FLAG_LABELS,
        },
        status_code=status,
    )


@router.get("/catalog")
def catalog_list(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    q: Annotated[str | None, Query(max_length=200)] = None,
    ward: Annotated[str | None, Query(max_length=10)] = None,
    category: Annotated[str | None, Query(max_length=40)] = None,
    status: Annotated[str | None, Query(max_length=20)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """Search and filter the receivers."""
    require(principal, "catalog:read")
    result = catalog.list_resources(
        session,
        q=q or None,
        ward=ward or None,
        category=category or None,
        status=status or None,
        offset=(page - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
    )
    pages = max(1, (result.total + PAGE_SIZE - 1) // PAGE_SIZE)
    return render(
        request,
        "web/catalog_list.html",
        {
            "title": "受入先カタログ",
            "result": result,
            "filters": {
                "q": q or "",
                "ward": ward or "",
                "category": category or "",
                "status": status or "",
            },
            "page": page,
            "pages": pages,
            "wards": WARDS,
            "category_codes": CATEGORY_CODES,
        },
    )


@router.get("/catalog/export.{fmt}")
def catalog_export(
    session: SessionDep,
    principal: PrincipalDep,
    fmt: str,
    headers: Annotated[Literal["ja", "en"], Query()] = "en",
) -> Response:
    """The whole catalog as CSV (Excel-friendly) or xlsx; ``headers=ja`` in Japanese."""
    require(principal, "catalog:read")
    if fmt not in ("csv", "xlsx"):
        raise UnsupportedFile(f"対応していない出力形式です: {fmt}")
    body = catalog.export_catalog(
        session, "csv" if fmt == "csv" else "xlsx", japanese=headers == "ja"
    )
    media = (
        "text/csv; charset=utf-8"
        if fmt == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return Response(
        body,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="tsunagu-catalog.{fmt}"'},
    )


@router.get("/catalog/new")
def catalog_new(request: Request, principal: PrincipalDep) -> Response:
    """An empty receiver form."""
    require(principal, "catalog:write")
    form = {"status": "active", "cooperation_fee_unit": "none", "capacity_total": 0,
            "capacity_remaining": 0, "participant_cost_yen": 0, "cooperation_fee_yen": 0,
            "days": [], "categories": []}  # fmt: skip
    return _edit_page(request, form, resource_id=None, version=None)


@router.post("/catalog/new", dependencies=CSRF)
def catalog_create(
    request: Request, session: SessionDep, principal: PrincipalDep, form: FormDep
) -> Response:
    """Create a receiver."""
    require(principal, "catalog:write")
    rid = text(form, "resource_id") or ""
    record, errors = validate(ResourceRecord, _record_data(form, rid))
    if record is not None:
        try:
            stored = catalog.create_resource(session, record, actor=_actor(request, principal))
        except ResourceAlreadyExists:
            session.rollback()
            errors = {"resource_id": "この資源IDはすでに使われています。"}
        except InvalidResource as exc:
            session.rollback()
            errors = {e.column: e.message_ja for e in exc.errors}
        else:
            flash(request, f"{stored.record.name} を登録しました。")
            return see_other(f"/catalog/{stored.record.resource_id}")
    return _edit_page(
        request, _typed(form), resource_id=None, version=None, errors=errors, status=422
    )


@router.get("/catalog/import")
def import_form(request: Request, principal: PrincipalDep) -> Response:
    """The upload form."""
    require(principal, "catalog:write")
    return render(request, "web/catalog_import.html", {"title": "カタログの取り込み"})


def _upload_error(request: Request, message: str, status_code: int) -> Response:
    """The upload form again, saying why the file was not read."""
    return render(
        request,
        "web/catalog_import.html",
        {"title": "カタログの取り込み", "upload_error": message},
        status_code=status_code,
    )


def _preview(request: Request, data: bytes, filename: str, token: str, session: Any) -> Response:
    records, errors, total = catalog.parse_file(data, filename)
    report = catalog.import_records(
        session, records, errors, total_rows=total, actor="preview", dry_run=True
    )
    by_id = {r.resource_id: r for r in records}
    return render(
        request,
        "web/catalog_import.html",
        {
            "title": "取り込みの確認",
            "report": report,
            "filename": filename,
            "token": token,
            "records": by_id,
            "errors_sorted": sorted(report.errors, key=lambda e: (e.row, e.column)),
        },
    )


@router.post("/catalog/import", dependencies=CSRF)
def import_preview(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: PrincipalDep,
    form: FormDep,
) -> Response:
    """Dry run: show what the file would add, change, and which rows are invalid and why."""
    require(principal, "catalog:write")
    try:
        data, filename = uploads_view.read_upload(form, settings.upload_max_bytes)
    except uploads_view.UploadRefused as exc:
        return _upload_error(request, exc.message, exc.status_code)
    token = uploads_view.keep_for_apply(request, UPLOAD_SESSION_KEY, data, filename)
    try:
        return _preview(request, data, filename, token, session)
    except UnsupportedFile as exc:
        return _upload_error(request, str(exc), 422)


@router.post("/catalog/import/apply", dependencies=CSRF)
def import_apply(
    request: Request, session: SessionDep, principal: PrincipalDep, form: FormDep
) -> Response:
    """Apply the previewed file (all rows valid, or only the valid rows when asked)."""
    require(principal, "catalog:write")
    stored = uploads_view.previewed_upload(request, form, UPLOAD_SESSION_KEY)
    if stored is None:
        return see_other("/catalog/import")
    token, data, filename = stored
    valid_only = form.get("mode") == "valid_only"
    try:
        report = catalog.import_file(
            session, data, filename, actor=_actor(request, principal), valid_only=valid_only
        )
    except ImportRejected:
        session.rollback()
        flash(request, "エラーのある行があるため取り込みませんでした。", "error")
        return _preview(request, data, filename, token, session)
    uploads_view.forget_upload(request, UPLOAD_SESSION_KEY, token)
    flash(
        request,
        f"取り込みました: 新規 {len(report.new)}件・変更 {len(report.updated)}件"
        + (f"・エラーで除外 {len(report.errors)}行" if report.errors else "")
        + "。",
    )
    return see_other("/catalog")


@router.get("/catalog/{resource_id}")
def catalog_detail(
    request: Request, session: SessionDep, principal: PrincipalDep, resource_id: str
) -> Response:
    """A receiver with its edit history."""
    require(principal, "catalog:read")
    stored = catalog.get_resource(session, resource_id)
    history = catalog.resource_history(session, resource_id)
    return render(
        request,
        "web/catalog_detail.html",
        {
            "title": stored.record.name,
            "s": stored,
            "r": stored.record,
            "history": list(reversed(history)),
            "actor_names": accounts.staff_names_for_actors(session, [h.actor for h in history]),
            "flag_labels": FLAG_LABELS,
            "field_label": field_label,
            "value_ja": value_ja,
        },
    )


@router.get("/catalog/{resource_id}/edit")
def catalog_edit(
    request: Request, session: SessionDep, principal: PrincipalDep, resource_id: str
) -> Response:
    """The edit form with the version it was read at."""
    require(principal, "catalog:write")
    stored = catalog.get_resource(session, resource_id)
    return _edit_page(
        request, _form_of(stored.record), resource_id=resource_id, version=stored.version
    )


@router.post("/catalog/{resource_id}/edit", dependencies=CSRF)
def catalog_update(
    request: Request, session: SessionDep, principal: PrincipalDep, form: FormDep, resource_id: str
) -> Response:
    """Save with the version check: someone else's newer edit is never overwritten."""
    require(principal, "catalog:write")
    version_text = text(form, "version") or ""
    version = int(version_text) if version_text.isdecimal() else None
    record, errors = validate(ResourceRecord, _record_data(form, resource_id))
    conflict = None
    if record is not None:
        try:
            catalog.update_resource(
                session, resource_id, record,
                actor=_actor(request, principal), expected_version=version,
            )  # fmt: skip
        except StaleVersion as exc:
            session.rollback()
            current = catalog.get_resource(session, resource_id)
            conflict = {"current": current.version, "record": current.record}
            errors = {
                "_form": "他の人が先にこの受入先を更新しました（あなたが開いた版 "
                f"{exc.expected}、現在の版 {exc.current}）。保存していません。"
            }
        except InvalidResource as exc:
            session.rollback()
            errors = {e.column: e.message_ja for e in exc.errors}
        else:
            flash(request, "保存しました。")
            return see_other(f"/catalog/{resource_id}")
    return _edit_page(
        request, _typed(form), resource_id=resource_id, version=version,
        errors=errors, conflict=conflict, status=409 if conflict else 422,
    )  # fmt: skip
