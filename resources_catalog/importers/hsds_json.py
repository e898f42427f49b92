"""HSDS 3.1 JSON: a list of service objects, one service, or a page ``{"contents": [...]}``.

Row numbers are the 1-based position of the service in the list (JSON has no header row).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import ValidationError

from resources_catalog.errors import UnsupportedFile
from resources_catalog.hsds import from_hsds
from resources_catalog.records import ResourceRecord
from resources_catalog.validation import RowError


def services_to_records(
    services: Iterable[tuple[int, Mapping[str, Any]]],
) -> tuple[list[ResourceRecord], list[RowError], int]:
    """Records and errors from (row number, HSDS service object) pairs."""
    records: list[ResourceRecord] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    total = 0
    for row, service in services:
        total += 1
        data, problems = from_hsds(service)
        rid = data.get("resource_id")
        row_errors = [
            RowError(
                row,
                p.column,
                p.message_ja,
                p.message_en,
                rid,
                None if p.value is None else str(p.value),
            )
            for p in problems
        ]
        if rid:
            if rid in seen:
                row_errors.append(
                    RowError(
                        row,
                        "id",
                        f"資源IDが重複しています（{seen[rid]}件目と同じ）",
                        f"duplicate resource_id (same as item {seen[rid]})",
                        rid,
                        rid,
                    )
                )
            seen.setdefault(rid, row)
        total_cap, remaining = data.get("capacity_total"), data.get("capacity_remaining")
        if total_cap is not None and remaining is not None and remaining > total_cap:
            row_errors.append(
                RowError(
                    row,
                    "capacities.available",
                    f"空き（{remaining}）が定員（{total_cap}）を超えています",
                    "capacity available exceeds maximum",
                    rid,
                    str(remaining),
                )
            )
        low, high = data.get("min_age"), data.get("max_age")
        if low is not None and high is not None and low > high:
            row_errors.append(
                RowError(
                    row,
                    "minimum_age",
                    "最低年齢が最高年齢を超えています",
                    "minimum_age is greater than maximum_age",
                    rid,
                    str(low),
                )
            )
        if row_errors:
            errors.extend(row_errors)
            continue
        try:
            records.append(ResourceRecord(**data))
        except ValidationError as exc:
            for problem in exc.errors():
                field = ".".join(str(p) for p in problem["loc"])
                errors.append(
                    RowError(row, field, f"値が不正です: {problem['msg']}", problem["msg"], rid)
                )
    return records, errors, total


def parse_hsds_json(data: bytes) -> tuple[list[ResourceRecord], list[RowError], int]:
    """Records, errors and the number of services in an HSDS JSON document."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UnsupportedFile(f"JSON として読めません: {exc}") from exc
    if isinstance(document, dict) and isinstance(document.get("contents"), list):
        items = document["contents"]
    elif isinstance(document, dict) and "name" in document:
        items = [document]
    elif isinstance(document, list):
        items = document
    else:
        raise UnsupportedFile("HSDS のサービス一覧（配列または contents）ではありません")
    services = [(i, item) for i, item in enumerate(items, start=1) if isinstance(item, dict)]
    if len(services) != len(items):
        raise UnsupportedFile("HSDS のサービスはオブジェクトである必要があります")
    return services_to_records(services)
