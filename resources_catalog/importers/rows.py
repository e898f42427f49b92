"""Spreadsheet rows (CSV or xlsx) to ResourceRecords, reporting every bad cell.

Only columns present in the header are set on the record, so ``model_fields_set`` tells the
service which fields the file speaks about: a file without ``nearest_station`` leaves the
stored station alone. Columns we do not know are kept under ``extra["columns"]``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from pydantic import ValidationError

from resources_catalog.bulk import paused_gc
from resources_catalog.importers import cells as a
from resources_catalog.importers.headers import canonical_column
from resources_catalog.records import ResourceRecord, control_characters_message
from resources_catalog.validation import RowError

REQUIRED = ("resource_id", "name", "organization")

_LABEL_JA = {
    "resource_id": "資源ID",
    "name": "活動名",
    "organization": "受入先",
    "description": "活動内容",
    "categories": "分類",
    "ward": "区",
    "address": "住所",
    "lat": "緯度",
    "lon": "経度",
    "nearest_station": "最寄り駅",
    "days": "曜日",
    "start_time": "開始時刻",
    "end_time": "終了時刻",
    "capacity_total": "定員",
    "capacity_remaining": "空き",
    "min_age": "最低年齢",
    "max_age": "最高年齢",
    "participant_cost_yen": "参加費",
    "cooperation_fee_yen": "協力費",
    "cooperation_fee_unit": "協力費の単位",
    "status": "状態",
}

_BOOLEANS = (
    "requires_certificate",
    "wheelchair_accessible",
    "quiet_environment",
    "small_group",
    "visit_ok",
    "trial_ok",
    "paid",
)


def _int(value: Any) -> int | None:
    return a.integer(value)


def _lat(value: Any) -> float | None:
    return a.coordinate(value, limit=90, name_ja="緯度", name_en="latitude")


def _lon(value: Any) -> float | None:
    return a.coordinate(value, limit=180, name_ja="経度", name_en="longitude")


def _end(value: Any) -> str | None:
    return a.clock(value, allow_24=True)


PARSERS: dict[str, Callable[[Any], Any]] = {
    "resource_id": a.text,
    "name": a.text,
    "organization": a.text,
    "description": a.text,
    "categories": a.categories,
    "ward": a.ward,
    "address": a.text,
    "lat": _lat,
    "lon": _lon,
    "nearest_station": a.text,
    "days": a.days,
    "start_time": a.clock,
    "end_time": _end,
    "capacity_total": _int,
    "capacity_remaining": _int,
    "min_age": _int,
    "max_age": _int,
    **{name: a.boolean for name in _BOOLEANS},
    "participant_cost_yen": _int,
    "cooperation_fee_yen": _int,
    "cooperation_fee_unit": a.fee_unit,
    "status": a.status,
    "contact_name": a.text,
    "phone": a.text,
    "email": a.text,
}

# Empty cells of these columns fall back to the record's default instead of None.
_DEFAULTED = frozenset(
    {
        "description",
        "capacity_total",
        "capacity_remaining",
        *_BOOLEANS,
        "participant_cost_yen",
        "cooperation_fee_yen",
        "cooperation_fee_unit",
        "status",
    }
)
_DEFAULTS: dict[str, Any] = {
    name: field.get_default(call_default_factory=True)
    for name, field in ResourceRecord.model_fields.items()
}


def _error(row: int, column: str, ja: str, en: str, rid: str | None, value: Any) -> RowError:
    shown = None if value is None else str(value)
    return RowError(
        row=row, column=column, message_ja=ja, message_en=en, resource_id=rid, value=shown
    )


def _cross_checks(row_no: int, data: dict[str, Any], rid: str | None) -> list[RowError]:
    """Rules between cells, which no single parser can see."""
    found: list[RowError] = []
    total, remaining = data.get("capacity_total"), data.get("capacity_remaining")
    if total is not None and remaining is not None and remaining > total:
        found.append(
            _error(
                row_no,
                "capacity_remaining",
                f"空き（{remaining}）が定員（{total}）を超えています",
                f"capacity_remaining ({remaining}) exceeds capacity_total ({total})",
                rid,
                remaining,
            )
        )
    low, high = data.get("min_age"), data.get("max_age")
    if low is not None and high is not None and low > high:
        found.append(
            _error(
                row_no,
                "min_age",
                f"最低年齢（{low}）が最高年齢（{high}）を超えています",
                f"min_age ({low}) is greater than max_age ({high})",
                rid,
                low,
            )
        )
    start, end = data.get("start_time"), data.get("end_time")
    if start and end and end <= start:
        found.append(
            _error(
                row_no,
                "end_time",
                f"終了時刻（{end}）が開始時刻（{start}）以前です",
                f"end_time ({end}) is not after start_time ({start})",
                rid,
                end,
            )
        )
    return found


def _columns(rows: Sequence[Sequence[Any]], width: int) -> list[tuple[Any, ...]]:
    """The cells column by column; short rows (ragged CSV, trimmed xlsx) read as None."""
    padded = [
        raw_row if len(raw_row) == width else [*raw_row, *([None] * (width - len(raw_row)))]
        for raw_row in rows
    ]
    if not padded:
        return [() for _ in range(width)]
    return list(zip(*padded, strict=True))  # tuples: read only, no second copy of each column


def _parse_column(
    parse: Callable[[Any], Any], cells: Sequence[Any], column: str
) -> tuple[list[Any], list[int]]:
    """Each cell parsed or the CellError it raised, and the positions that failed.

    Every distinct cell is parsed once.

    A column of 100,000 cells holds a few hundred distinct days, times, flags and wards,
    so parsing the distinct values and mapping them back costs a dictionary lookup per
    cell. Keys carry the cell's type for non-text cells (xlsx): ``True == 1`` in Python,
    but they are different cells. Empty cells of defaulted columns read as the default.
    """
    defaulted = column in _DEFAULTED
    if parse is a.text:
        texts = _plain_texts(cells, _DEFAULTS[column] if defaulted else None)
        if texts is not None:
            return texts, []
    results: dict[Any, Any] = {}
    out: list[Any] = []
    append = out.append
    failed: list[int] = []
    get = results.get
    for position, cell in enumerate(cells):
        key = cell if type(cell) is str else (type(cell), cell)
        value = get(key, _UNSEEN)
        if value is _UNSEEN:
            try:
                value = parse(cell)
            except a.CellError as exc:
                value = exc
            if value is None and defaulted:
                value = _DEFAULTS[column]
            results[key] = value
        if value.__class__ is a.CellError:
            failed.append(position)
        append(value)
    return out, failed


_UNSEEN = object()


def _plain_texts(cells: Sequence[Any], empty: str | None) -> list[str | None] | None:
    """``a.text`` of a whole column of strings at once, or None to parse it cell by cell.

    A CSV column is all strings, and the free-text ones (ids, descriptions, addresses,
    phone numbers) are nearly all distinct, so the per-cell path was a parser call and a
    cache entry for each of them. Here one search over the joined column finds whether any
    cell holds a control character (the newline that joins them is not one); when none
    does, every cell reads as ``a.text`` reads it, trimmed, and an empty one as ``empty``
    (None, or the default of a defaulted column). Otherwise, and
    for the mixed cells of xlsx, the caller parses cell by cell and reports each bad cell.
    """
    if not cells or set(map(type, cells)) != {str}:
        return None
    if a.CONTROL_CHARACTERS.search("\n".join(cells)):
        return None
    # Equal cells end as one string object, as through the per-cell cache (a receiver's
    # name repeats on every one of its rows).
    shared: dict[str, str] = {}
    keep = shared.setdefault
    return [keep(text, text) if (text := cell.strip()) else empty for cell in cells]


def _rid(parsed: Any) -> str | None:
    return parsed if isinstance(parsed, str) else None


def _blank(raw_row: Sequence[Any]) -> bool:
    """True when no cell holds anything but spaces (one join for the all-text CSV rows)."""
    try:
        return not "".join(raw_row).strip()
    except TypeError:  # xlsx cells: numbers, dates, None
        return not any(v is not None and str(v).strip() for v in raw_row)


def parse_rows(
    header: Sequence[Any], rows: Iterable[Sequence[Any]], *, first_row: int = 2
) -> tuple[list[ResourceRecord], list[RowError], int]:
    """Records, errors and the number of data rows; row numbers count the header as row 1."""
    with paused_gc():
        return _parse_rows(header, rows, first_row)


def _parse_rows(
    header: Sequence[Any], rows: Iterable[Sequence[Any]], first_row: int
) -> tuple[list[ResourceRecord], list[RowError], int]:
    columns: list[str | None] = []
    unknown: dict[int, str] = {}
    for index, cell in enumerate(header):
        label = "" if cell is None else str(cell).strip().lstrip("\ufeff")
        column = canonical_column(label) if label else None
        if column is not None and column in columns:
            column = None  # a second column with the same meaning: the first one wins
        columns.append(column)
        if column is None and label:
            unknown[index] = label
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        header_errors = [
            _error(
                1,
                c,
                f"必須の列「{_LABEL_JA[c]}」（{c}）がありません",
                f"required column missing: {c}",
                None,
                None,
            )
            for c in missing
        ]
        return [], header_errors, sum(1 for _ in rows)

    present = [(i, c) for i, c in enumerate(columns) if c is not None]
    numbered = [
        (first_row + offset, raw_row)
        for offset, raw_row in enumerate(rows)
        if not _blank(raw_row)  # blank lines at the end of hand-made sheets are not rows
    ]
    total = len(numbered)
    width = max([len(columns), *(len(raw_row) for _, raw_row in numbered)])
    cells_by_index = _columns([raw_row for _, raw_row in numbered], width)
    rid_column = cells_by_index[columns.index("resource_id")]
    rids, rid_failed = _parse_column(a.text, rid_column, "resource_id")
    cell_errors: dict[int, list[RowError]] = defaultdict(list)
    names: list[str] = []
    values: list[list[Any]] = []
    for index, column in present:
        if column == "resource_id":  # parsed above, for the ids of the other errors
            parsed, failed = rids, rid_failed
        else:
            parsed, failed = _parse_column(PARSERS[column], cells_by_index[index], column)
        for position in failed:
            value = parsed[position]
            if isinstance(value, a.CellError):
                row_no = numbered[position][0]
                rid = _rid(rids[position])
                cell_errors[position].append(
                    _error(
                        row_no,
                        column,
                        value.message_ja,
                        value.message_en,
                        rid,
                        cells_by_index[index][position],
                    )
                )
        names.append(column)
        values.append(parsed)

    records: list[ResourceRecord] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for position, row_values in enumerate(zip(*values, strict=True) if values else ()):
        row_no, raw_row = numbered[position]
        rid = _rid(rids[position])
        row_errors = cell_errors.get(position, [])
        if row_errors:
            data = {
                name: value
                for name, value in zip(names, row_values, strict=True)
                if not isinstance(value, a.CellError)
            }
        else:
            data = dict(zip(names, row_values, strict=True))
        if unknown:
            data["extra"] = {
                "columns": {
                    label: a.text(raw_row[i])
                    for i, label in unknown.items()
                    if i < len(raw_row) and a.text(raw_row[i]) is not None
                }
            }
        for column in REQUIRED:
            if column in data and data[column] is None:
                row_errors.append(
                    _error(
                        row_no,
                        column,
                        f"{_LABEL_JA[column]}が空です",
                        f"missing {column}",
                        rid,
                        None,
                    )
                )
        if rid is not None:
            if rid in seen:
                row_errors.append(
                    _error(
                        row_no,
                        "resource_id",
                        f"資源IDが重複しています（{seen[rid]}行目と同じ）",
                        f"duplicate resource_id in file (same as row {seen[rid]})",
                        rid,
                        rid,
                    )
                )
            else:
                seen[rid] = row_no
        row_errors.extend(_cross_checks(row_no, data, rid))
        if row_errors:
            errors.extend(row_errors)
            continue
        try:
            # The dict as it is (``**data`` would copy it into keyword arguments first).
            record = ResourceRecord.model_validate(data)
        except ValidationError as exc:
            for problem in exc.errors():
                field = str(problem["loc"][0]) if problem["loc"] else ""
                control = control_characters_message(problem)
                errors.append(
                    _error(
                        row_no,
                        field,
                        a.CONTROL_CHARACTERS_JA if control else f"値が不正です: {problem['msg']}",
                        control or problem["msg"],
                        rid,
                        problem.get("input"),
                    )
                )
        else:
            record._source_row = row_no  # for warnings about this row (geocoding)
            records.append(record)
    return records, errors, total
