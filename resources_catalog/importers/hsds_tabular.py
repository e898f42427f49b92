"""HSDS tabular data: a folder or zip of services.csv, organizations.csv, locations.csv...

The tables are joined back into nested service objects (as the HSDS API would serve them)
and go through the same mapping as HSDS JSON. Row numbers are those of services.csv.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import Any

from resources_catalog.errors import UnsupportedFile
from resources_catalog.importers.csv import decode
from resources_catalog.importers.hsds_json import services_to_records
from resources_catalog.records import ResourceRecord
from resources_catalog.validation import RowError

# Numeric HSDS fields: CSV cells are text, the nested objects want numbers.
NUMERIC = frozenset(
    {"minimum_age", "maximum_age", "latitude", "longitude", "timezone", "count", "interval",
     "extension", "year_incorporated", "amount", "available", "maximum"}
)  # fmt: skip
TABLES = (
    "services", "organizations", "locations", "service_at_location", "schedules", "addresses",
    "accessibility", "contacts", "phones", "cost_options", "service_capacity", "unit",
    "attributes", "taxonomy_terms", "languages", "service_areas", "required_documents",
    "funding", "programs",
)  # fmt: skip


def _cell(key: str, value: str) -> Any:
    if key in NUMERIC and value.strip():
        try:
            number = float(value)
        except ValueError:
            return value
        return int(number) if number.is_integer() else number
    return value


def _read(text: str) -> list[dict[str, Any]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    return [
        {k: _cell(k, v) for k, v in row.items() if k is not None and v not in (None, "")}
        for row in reader
    ]


def read_tables(source: Path | bytes) -> dict[str, list[dict[str, Any]]]:
    """Every known table of a folder or a zip (files may sit in a sub-folder of the zip)."""
    tables: dict[str, list[dict[str, Any]]] = {}
    if isinstance(source, Path):
        for name in TABLES:
            path = source / f"{name}.csv"
            if path.exists():
                tables[name] = _read(decode(path.read_bytes()))
    else:
        try:
            archive = zipfile.ZipFile(io.BytesIO(source))
        except zipfile.BadZipFile as exc:
            raise UnsupportedFile(f"zip として読めません: {exc}") from exc
        with archive:
            for member in archive.namelist():
                stem = Path(member).stem
                if member.endswith(".csv") and stem in TABLES:
                    tables[stem] = _read(decode(archive.read(member)))
    if "services" not in tables:
        raise UnsupportedFile("services.csv がありません（HSDS 表形式）")
    return tables


def _by(rows: list[dict[str, Any]], key: str) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if row.get(key):
            grouped[row[key]].append(row)
    return grouped


def nest_services(tables: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Nested HSDS service objects from the flat tables, joined on their ids."""
    t = defaultdict(list, tables)
    organizations = {o["id"]: o for o in t["organizations"] if "id" in o}
    locations = {loc["id"]: dict(loc) for loc in t["locations"] if "id" in loc}
    terms = {term["id"]: term for term in t["taxonomy_terms"] if "id" in term}
    units = {unit["id"]: unit for unit in t["unit"] if "id" in unit}
    programs = {p["id"]: p for p in t["programs"] if "id" in p}
    addresses, access = _by(t["addresses"], "location_id"), _by(t["accessibility"], "location_id")
    for loc_id, location in locations.items():
        if addresses.get(loc_id):
            location["addresses"] = addresses[loc_id]
        if access.get(loc_id):
            location["accessibility"] = access[loc_id]
    phones_by_contact = _by(t["phones"], "contact_id")
    contacts = []
    for contact in t["contacts"]:
        contact = dict(contact)
        if phones_by_contact.get(contact.get("id", "")):
            contact["phones"] = phones_by_contact[contact["id"]]
        contacts.append(contact)
    attributes = []
    for attribute in t["attributes"]:
        attribute = dict(attribute)
        if attribute.get("taxonomy_term_id") in terms:
            attribute["taxonomy_term"] = terms[attribute["taxonomy_term_id"]]
        attributes.append(attribute)
    capacities = []
    for capacity in t["service_capacity"]:
        capacity = dict(capacity)
        if capacity.get("unit_id") in units:
            capacity["unit"] = units[capacity["unit_id"]]
        capacities.append(capacity)
    children = {
        "schedules": _by(t["schedules"], "service_id"),
        "contacts": _by(contacts, "service_id"),
        "cost_options": _by(t["cost_options"], "service_id"),
        "capacities": _by(capacities, "service_id"),
        "attributes": _by(attributes, "link_id"),
        "languages": _by(t["languages"], "service_id"),
        "service_areas": _by(t["service_areas"], "service_id"),
        "required_documents": _by(t["required_documents"], "service_id"),
        "funding": _by(t["funding"], "service_id"),
        "phones": _by([p for p in t["phones"] if not p.get("contact_id")], "service_id"),
    }
    sal_by_service = _by(t["service_at_location"], "service_id")
    nested = []
    for row in t["services"]:
        service: dict[str, Any] = dict(row)
        sid = service.get("id", "")
        if service.get("organization_id") in organizations:
            service["organization"] = organizations[service["organization_id"]]
        if service.get("program_id") in programs:
            service["program"] = programs[service["program_id"]]
        for key, grouped in children.items():
            if grouped.get(sid):
                service[key] = grouped[sid]
        sals = []
        for sal in sal_by_service.get(sid, []):
            sal = dict(sal)
            if sal.get("location_id") in locations:
                sal["location"] = locations[sal["location_id"]]
            sals.append(sal)
        if sals:
            service["service_at_locations"] = sals
        nested.append(service)
    return nested


def parse_hsds_tabular(source: Path | bytes) -> tuple[list[ResourceRecord], list[RowError], int]:
    """Records, errors and the number of services of an HSDS tabular folder or zip."""
    services = nest_services(read_tables(source))
    return services_to_records((row, s) for row, s in enumerate(services, start=2))
