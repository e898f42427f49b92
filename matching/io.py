"""Readers for the evaluation contract files: catalog.csv, people.jsonl, labels.csv."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path

from matching.types import PersonProfile, Resource

_BOOL_TRUE = {"true", "1", "yes", "y", "t", "はい"}


def _bool(value: str | None) -> bool:
    return (value or "").strip().lower() in _BOOL_TRUE


def _int(value: str | None, default: int = 0) -> int:
    value = (value or "").strip()
    return int(float(value)) if value else default


def _opt_int(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(float(value)) if value else None


def _opt_float(value: str | None) -> float | None:
    value = (value or "").strip()
    return float(value) if value else None


def _list(value: str | None) -> list[str]:
    return [v.strip().lower() for v in (value or "").split(";") if v.strip()]


def resource_from_row(row: dict[str, str]) -> Resource:
    """Build a Resource from one catalog CSV row (strings, contract column names)."""
    return Resource(
        resource_id=row["resource_id"].strip(),
        name=row.get("name", "") or "",
        organization=row.get("organization", "") or "",
        description=row.get("description", "") or "",
        categories=_list(row.get("categories")),
        ward=(row.get("ward") or "").strip(),
        address=row.get("address", "") or "",
        lat=_opt_float(row.get("lat")),
        lon=_opt_float(row.get("lon")),
        days=_list(row.get("days")),
        start_time=(row.get("start_time") or "").strip(),
        end_time=(row.get("end_time") or "").strip(),
        capacity_total=_int(row.get("capacity_total")),
        capacity_remaining=_int(row.get("capacity_remaining")),
        min_age=_opt_int(row.get("min_age")),
        max_age=_opt_int(row.get("max_age")),
        requires_certificate=_bool(row.get("requires_certificate")),
        wheelchair_accessible=_bool(row.get("wheelchair_accessible")),
        quiet_environment=_bool(row.get("quiet_environment")),
        small_group=_bool(row.get("small_group")),
        visit_ok=_bool(row.get("visit_ok")),
        trial_ok=_bool(row.get("trial_ok")),
        paid=_bool(row.get("paid")),
        participant_cost_yen=_int(row.get("participant_cost_yen")),
        cooperation_fee_yen=_int(row.get("cooperation_fee_yen")),
        cooperation_fee_unit=(row.get("cooperation_fee_unit") or "none").strip() or "none",
        status=(row.get("status") or "active").strip().lower(),
    )


def load_catalog_csv(path: str | Path) -> list[Resource]:
    """Read a catalog CSV in the contract format."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return [resource_from_row(row) for row in csv.DictReader(fh)]


def load_people_jsonl(path: str | Path) -> list[PersonProfile]:
    """Read a people JSONL file in the contract format."""
    people = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                people.append(PersonProfile.from_contract(json.loads(line)))
    return people


def load_labels_csv(path: str | Path) -> dict[str, dict[str, int]]:
    """Read labels.csv into {person_id: {resource_id: grade}}."""
    labels: dict[str, dict[str, int]] = {}
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            labels.setdefault(row["person_id"].strip(), {})[row["resource_id"].strip()] = int(
                row["grade"]
            )
    return labels


CATALOG_COLUMNS = [
    "resource_id",
    "name",
    "organization",
    "description",
    "categories",
    "ward",
    "address",
    "lat",
    "lon",
    "days",
    "start_time",
    "end_time",
    "capacity_total",
    "capacity_remaining",
    "min_age",
    "max_age",
    "requires_certificate",
    "wheelchair_accessible",
    "quiet_environment",
    "small_group",
    "visit_ok",
    "trial_ok",
    "paid",
    "participant_cost_yen",
    "cooperation_fee_yen",
    "cooperation_fee_unit",
    "status",
    "contact_name",
    "phone",
    "email",
]


def resource_to_row(res: Resource) -> dict[str, str]:
    """The catalog CSV row for a Resource (contact columns left empty)."""

    def b(v: bool) -> str:
        return "true" if v else "false"

    def o(v: object) -> str:
        return "" if v is None else str(v)

    return {
        "resource_id": res.resource_id,
        "name": res.name,
        "organization": res.organization,
        "description": res.description,
        "categories": ";".join(res.categories),
        "ward": res.ward,
        "address": res.address,
        "lat": o(res.lat),
        "lon": o(res.lon),
        "days": ";".join(res.days),
        "start_time": res.start_time,
        "end_time": res.end_time,
        "capacity_total": str(res.capacity_total),
        "capacity_remaining": str(res.capacity_remaining),
        "min_age": o(res.min_age),
        "max_age": o(res.max_age),
        "requires_certificate": b(res.requires_certificate),
        "wheelchair_accessible": b(res.wheelchair_accessible),
        "quiet_environment": b(res.quiet_environment),
        "small_group": b(res.small_group),
        "visit_ok": b(res.visit_ok),
        "trial_ok": b(res.trial_ok),
        "paid": b(res.paid),
        "participant_cost_yen": str(res.participant_cost_yen),
        "cooperation_fee_yen": str(res.cooperation_fee_yen),
        "cooperation_fee_unit": res.cooperation_fee_unit,
        "status": res.status,
        "contact_name": "",
        "phone": "",
        "email": "",
    }


def write_catalog_csv(path: str | Path, resources: Iterable[Resource]) -> None:
    """Write resources as a catalog CSV in the contract format."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=CATALOG_COLUMNS)
        writer.writeheader()
        for res in resources:
            writer.writerow(resource_to_row(res))
