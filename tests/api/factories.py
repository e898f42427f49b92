"""Small factories for API tests: resource bodies, exchange CSV bytes, API shortcuts."""

from __future__ import annotations

import csv
import io
from typing import Any

from fastapi.testclient import TestClient

from resources_catalog.records import CSV_COLUMNS


def resource(resource_id: str, **overrides: Any) -> dict[str, Any]:
    """A valid resource body; override any field."""
    body: dict[str, Any] = {
        "resource_id": resource_id,
        "name": f"受入先 {resource_id}",
        "organization": "NPO法人 テスト会",
        "description": "畑の草取りと収穫を少人数で行います。",
        "categories": ["farm"],
        "ward": "若葉区",
        "address": "千葉市若葉区貝塚町1-1",
        "lat": 35.6262,
        "lon": 140.1538,
        "days": ["tue", "thu"],
        "start_time": "09:30",
        "end_time": "12:00",
        "capacity_total": 6,
        "capacity_remaining": 3,
        "quiet_environment": True,
        "status": "active",
        "contact_name": "石井 隆",
        "phone": "043-231-4478",
        "email": "noen@example.org",
    }
    body.update(overrides)
    return body


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return str(value)


def catalog_csv(rows: list[dict[str, Any]]) -> bytes:
    """The exchange CSV (header = row 1) of these rows; cells may be raw strings."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([_cell(row.get(col)) for col in CSV_COLUMNS])
    return out.getvalue().encode("utf-8")


def create(client: TestClient, resource_id: str, **overrides: Any) -> dict[str, Any]:
    """Create a resource through the API and return its body."""
    response = client.post("/api/v1/catalog/resources", json=resource(resource_id, **overrides))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body
