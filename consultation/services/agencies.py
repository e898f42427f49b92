"""支援関係機関 directory: records, CSV / xlsx exchange, the demo directory, and which fit.

The exchange format is one row per agency with ``;``-joined ward and town lists. An import
is all or nothing: any bad row refuses the whole file with row, column and reason in
Japanese and English. Exporting what was imported gives the same bytes back.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from casework.errors import CaseworkError, NotFound
from casework.permissions import Principal, authorize
from casework.reference import WARDS
from casework.services import audit
from consultation import repository as repo
from consultation.models import Agency
from consultation.reference import AGENCY_KINDS, DATA_DIR, ELDERLY_AGE, tags
from consultation.schemas import AgencyIn, AgencyOut
from resources_catalog.exporters.csv import cell
from resources_catalog.exporters.xlsx import table_xlsx

COLUMNS: tuple[str, ...] = (
    "code", "kind", "name", "wards", "towns", "phone", "email", "address", "hours", "note",
    "active",
)  # fmt: skip
COLUMN_LABELS: dict[str, str] = {
    "code": "コード", "kind": "種別", "name": "名称", "wards": "担当区", "towns": "担当町名",
    "phone": "電話", "email": "メール", "address": "所在地", "hours": "受付時間", "note": "備考",
    "active": "有効",
}  # fmt: skip
DEMO_DIRECTORY = DATA_DIR / "demo_agencies.csv"
XLSX_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class AgencyRowError:
    """A refused cell: row (header = 1), column, reason in Japanese and English."""

    row: int
    column: str
    message_ja: str
    message_en: str


class AgencyImportRejected(CaseworkError):
    """The file has bad rows; nothing was changed."""

    http_status = 422
    code = "import_rejected"

    def __init__(self, errors: list[AgencyRowError]) -> None:
        super().__init__(f"{len(errors)} error(s) in the agencies file; nothing was changed")
        self.errors = errors


@dataclass
class AgencyImportReport:
    """Codes created, updated and unchanged by an import."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def agency_out(agency: Agency) -> AgencyOut:
    """The API shape with the Japanese kind label."""
    out = AgencyOut.model_validate(agency)
    out.kind_label = AGENCY_KINDS.get(agency.kind, agency.kind)
    return out


# --- records ---------------------------------------------------------------------------


def list_agencies(
    session: Session,
    principal: Principal,
    *,
    kind: str | None = None,
    ward: str | None = None,
    active_only: bool = False,
) -> list[Agency]:
    """The directory (no personal data, so reads are not audited)."""
    authorize(principal, "agency:read")
    return repo.list_agencies(session, kind=kind, ward=ward, active_only=active_only)


def get_agency(session: Session, principal: Principal, agency_id: int) -> Agency:
    """One agency; NotFound."""
    authorize(principal, "agency:read")
    agency = repo.get_agency(session, agency_id)
    if agency is None:
        raise NotFound("agency", agency_id)
    return agency


def _fields(data: AgencyIn) -> dict[str, Any]:
    return data.model_dump()


def upsert_agency(session: Session, principal: Principal, data: AgencyIn) -> tuple[Agency, bool]:
    """Create the agency of this code or replace its fields; (agency, created)."""
    authorize(principal, "agency:write")
    agency = repo.agency_by_code(session, data.code)
    created = agency is None
    if agency is None:
        agency = Agency(updated_by=principal.ref, **_fields(data))
        session.add(agency)
    else:
        for name, value in _fields(data).items():
            setattr(agency, name, value)
        agency.updated_by = principal.ref
    session.flush()
    audit.record(
        session, principal, "agency.create" if created else "agency.update", "agency", agency.id
    )
    return agency, created


# --- exchange format -------------------------------------------------------------------


def _row_of(agency: AgencyIn | Agency) -> list[str]:
    return [cell(getattr(agency, col)) for col in COLUMNS]


def encode_csv(agencies: Iterable[AgencyIn | Agency]) -> bytes:
    """The exchange CSV (UTF-8 with BOM so Excel opens it, header row, ``\\n`` line ends)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for agency in agencies:
        writer.writerow(_row_of(agency))
    return out.getvalue().encode("utf-8-sig")


def encode_xlsx(agencies: Iterable[AgencyIn | Agency]) -> bytes:
    """The same table as an Excel workbook (one sheet, header row)."""
    return table_xlsx("agencies", COLUMNS, (_row_of(agency) for agency in agencies))


def export_agencies(session: Session, principal: Principal, *, fmt: str = "csv") -> bytes:
    """The whole directory, ordered by code, as CSV or xlsx."""
    authorize(principal, "agency:read")
    rows = repo.list_agencies(session)
    return encode_xlsx(rows) if fmt == "xlsx" else encode_csv(rows)


def _read_rows(content: bytes) -> list[list[str]]:
    if content.startswith(XLSX_MAGIC):
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        ws = wb.worksheets[0]
        return [
            ["" if v is None else str(v) for v in row] for row in ws.iter_rows(values_only=True)
        ]
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise AgencyImportRejected(
            [AgencyRowError(1, "", "文字コードは UTF-8 にしてください。", "The file is not UTF-8.")]
        ) from exc
    return [row for row in csv.reader(io.StringIO(text))]


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def _bool(value: str) -> bool | str:
    v = value.strip().lower()
    if v in ("", "true", "1", "yes", "有効"):
        return True
    if v in ("false", "0", "no", "無効"):
        return False
    return value  # refused by the schema as not a bool


def _message_ja(column: str, err: dict[str, Any]) -> str:
    kind = str(err.get("type", ""))
    label = COLUMN_LABELS.get(column, column)
    if kind == "missing" or (kind == "string_too_short" and column in ("code", "name")):
        return f"{label}は必須です。"
    if column == "kind":
        return f"{label}が不明です（{'・'.join(AGENCY_KINDS)} のいずれか）。"
    if column == "wards":
        return f"{label}に千葉市の区でない名前があります。"
    if column == "code":
        return f"{label}は英数字・ハイフン・下線で 32 文字までです。"
    if column == "active":
        return f"{label}は true / false で指定してください。"
    if kind == "string_too_long":
        return f"{label}が長すぎます。"
    return f"{label}の値が正しくありません。"


def parse_agencies(content: bytes) -> list[AgencyIn]:
    """Every row as a validated agency, or AgencyImportRejected listing each bad cell."""
    rows = _read_rows(content)
    if not rows or [h.strip() for h in rows[0]] != list(COLUMNS):
        raise AgencyImportRejected(
            [
                AgencyRowError(
                    1,
                    "",
                    f"1 行目は見出し（{','.join(COLUMNS)}）にしてください。",
                    f"Row 1 must be the header: {','.join(COLUMNS)}.",
                )
            ]
        )
    errors: list[AgencyRowError] = []
    parsed: list[AgencyIn] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = dict(zip(COLUMNS, [*row, *[""] * len(COLUMNS)], strict=False))
        raw: dict[str, Any] = {
            col: (cells[col].strip() or None)
            for col in COLUMNS
            if col not in ("wards", "towns", "active")
        }
        raw["code"] = cells["code"].strip()
        raw["name"] = cells["name"].strip()
        raw["kind"] = cells["kind"].strip()
        raw["wards"] = _split(cells["wards"])
        raw["towns"] = [unicodedata.normalize("NFKC", t) for t in _split(cells["towns"])]
        raw["active"] = _bool(cells["active"])
        try:
            agency = AgencyIn.model_validate(raw)
        except ValidationError as exc:
            for err in exc.errors():
                column = str(err["loc"][0]) if err.get("loc") else ""
                errors.append(
                    AgencyRowError(number, column, _message_ja(column, dict(err)), str(err["msg"]))
                )
            continue
        if agency.code in seen:
            errors.append(
                AgencyRowError(
                    number,
                    "code",
                    f"コード {agency.code} が {seen[agency.code]} 行目と重複しています。",
                    f"Code {agency.code} repeats row {seen[agency.code]}.",
                )
            )
            continue
        seen[agency.code] = number
        parsed.append(agency)
    if errors:
        raise AgencyImportRejected(errors)
    return parsed


def _unchanged(existing: Agency | None, data: AgencyIn) -> bool:
    return existing is not None and _fields(data) == {
        name: getattr(existing, name) for name in _fields(data)
    }


def preview_import(session: Session, principal: Principal, content: bytes) -> AgencyImportReport:
    """What an import of the file would create, update and leave unchanged; writes nothing.

    The upload page shows this before the coordinator applies the file, so a wrong file is
    caught while nothing has changed yet. AgencyImportRejected lists each bad cell.
    """
    authorize(principal, "agency:write")
    report = AgencyImportReport()
    for data in parse_agencies(content):
        existing = repo.agency_by_code(session, data.code)
        if _unchanged(existing, data):
            report.unchanged.append(data.code)
        else:
            (report.updated if existing is not None else report.created).append(data.code)
    return report


def import_agencies(session: Session, principal: Principal, content: bytes) -> AgencyImportReport:
    """Create or update agencies from a CSV / xlsx file; any bad row changes nothing."""
    authorize(principal, "agency:write")
    report = AgencyImportReport()
    for data in parse_agencies(content):
        existing = repo.agency_by_code(session, data.code)
        if _unchanged(existing, data):
            report.unchanged.append(data.code)
            continue
        _, created = _upsert_quietly(session, principal, data, existing)
        (report.created if created else report.updated).append(data.code)
    session.flush()
    audit.record(
        session, principal, "agency.import", "agency", None,
        {"created": len(report.created), "updated": len(report.updated)},
    )  # fmt: skip
    return report


def _upsert_quietly(
    session: Session, principal: Principal, data: AgencyIn, existing: Agency | None
) -> tuple[Agency, bool]:
    # One audit row for the whole import instead of one per agency.
    if existing is None:
        agency = Agency(updated_by=principal.ref, **_fields(data))
        session.add(agency)
        return agency, True
    for name, value in _fields(data).items():
        setattr(existing, name, value)
    existing.updated_by = principal.ref
    return existing, False


def load_demo_directory(session: Session, principal: Principal) -> AgencyImportReport | None:
    """Load the fictional directory of the six wards into an empty directory (else None)."""
    if repo.list_agencies(session):
        return None
    return import_agencies(session, principal, Path(DEMO_DIRECTORY).read_bytes())


# --- which agencies fit ----------------------------------------------------------------


def town_in(address: str | None, towns: Iterable[str]) -> str | None:
    """The longest known town name contained in the address (NFKC), or None."""
    if not address:
        return None
    text = unicodedata.normalize("NFKC", address)
    for ward in WARDS:
        # Town names follow the ward ("千葉市中央区弁天…"); the ward itself must not match "中央".
        if ward in text:
            text = text.split(ward, 1)[1]
            break
    found = [t for t in towns if t and t in text]
    return max(found, key=len) if found else None


@dataclass(frozen=True)
class AgencyFit:
    """An agency that fits and why (Japanese)."""

    agency: Agency
    reason: str


def fit(
    agencies: Sequence[Agency],
    *,
    ward: str | None,
    town: str | None = None,
    address: str | None = None,
    age: int | None = None,
    tag_codes: Sequence[str] = (),
) -> list[AgencyFit]:
    """Agencies whose kind the age or tags call for and whose area covers the person.

    あんしんケアセンター serve districts of towns: matched on the town (taken from the address
    when not given); others on the ward; an agency without areas serves the whole city.
    """
    wanted: dict[str, list[str]] = {}
    if age is not None and age >= ELDERLY_AGE:
        wanted.setdefault("anshin_care", []).append(f"{ELDERLY_AGE}歳以上（{age}歳）")
    table = tags()
    for code in tag_codes:
        tag = table.get(code)
        if tag is None:
            continue
        for kind in tag.agency_kinds:
            wanted.setdefault(kind, []).append(f"「{tag.label}」の相談")
    if town is None:
        town = town_in(address, {t for a in agencies for t in (a.towns or [])})
    if ward is None and address:
        ward = next((w for a in agencies for w in (a.wards or []) if w in address), None)
    order = list(wanted)
    fits: list[AgencyFit] = []
    for agency in agencies:
        if not agency.active or agency.kind not in wanted:
            continue
        why = "・".join(dict.fromkeys(wanted[agency.kind]))
        kind_label = AGENCY_KINDS.get(agency.kind, agency.kind)
        if agency.towns:
            if town is not None and town in agency.towns:
                area = f"お住まいの{town}を担当する"
            else:
                continue
        elif agency.wards:
            if ward is not None and ward in agency.wards:
                area = f"{ward}を担当する"
            else:
                continue
        else:
            area = "市内全域を担当する"
        fits.append(AgencyFit(agency, f"{why}のため、{area}{kind_label}です。"))
    fits.sort(key=lambda f: (order.index(f.agency.kind), f.agency.code))
    return fits


def fitting_agencies(
    session: Session,
    principal: Principal,
    *,
    ward: str | None = None,
    town: str | None = None,
    address: str | None = None,
    age: int | None = None,
    tag_codes: Sequence[str] = (),
) -> list[AgencyFit]:
    """Which active agencies fit these facts (not stored, not audited: no record is read)."""
    authorize(principal, "agency:read")
    agencies = repo.list_agencies(session, active_only=True)
    return fit(agencies, ward=ward, town=town, address=address, age=age, tag_codes=tag_codes)
