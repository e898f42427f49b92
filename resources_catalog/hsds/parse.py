"""HSDS 3.1 import: one HSDS service object to ResourceRecord fields and problems."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from resources_catalog.hsds.fields import (
    ATTRIBUTE_TAXONOMY,
    BACKREFS,
    EXPORT_DEFAULTS,
    FLAG_NAMES_JA,
    FLAGS,
    STATUS_FROM_HSDS,
    WHEELCHAIR,
)
from resources_catalog.hsds.ids import (
    as_uuid,
    child_id,
    organization_id,
    service_id,
)
from resources_catalog.importers import cells as a
from resources_catalog.records import CATEGORY_CODES, WARDS
from resources_catalog.taxonomy import TAXONOMY_NAME


class HsdsProblem(ValueError):
    """One field of an HSDS object the catalog cannot accept."""

    def __init__(self, column: str, message_ja: str, message_en: str, value: Any = None) -> None:
        super().__init__(message_en)
        self.column = column
        self.message_ja = message_ja
        self.message_en = message_en
        self.value = value


def _leftover(
    obj: Mapping[str, Any], section: str, consumed: set[str], own_id: str | None
) -> dict[str, Any]:
    defaults = EXPORT_DEFAULTS.get(section, {})
    kept: dict[str, Any] = {}
    for key, value in obj.items():
        if key in consumed or key in BACKREFS or value is None or value == "" or value == []:
            continue
        if key == "id" and value == own_id:
            continue
        if key in defaults and defaults[key] == value:
            continue
        kept[key] = value
    return kept


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _find_ward(*texts: Any) -> str | None:
    joined = " ".join(t for t in texts if isinstance(t, str))
    for ward in WARDS:
        if ward in joined and ("千葉市" in joined or ward in texts):
            return ward
    return None


def _int_or_problem(column: str, value: Any, *, minimum: int | None = 0) -> int | None:
    try:
        return a.integer(value, minimum=minimum)
    except a.CellError as exc:
        raise HsdsProblem(column, exc.message_ja, exc.message_en, value) from None


def from_hsds(obj: Mapping[str, Any]) -> tuple[dict[str, Any], list[HsdsProblem]]:
    """The ResourceRecord fields of one HSDS service and the problems found in it."""
    problems: list[HsdsProblem] = []
    extra: dict[str, Any] = {}
    data: dict[str, Any] = {}

    attributes = _dicts(obj.get("attributes"))
    foreign_attributes: list[dict[str, Any]] = []
    categories: list[str] = []
    flags: dict[str, Any] = {}
    for attribute in attributes:
        term = attribute.get("taxonomy_term") or {}
        taxonomy, code = term.get("taxonomy"), term.get("code")
        if taxonomy == TAXONOMY_NAME:
            if code in CATEGORY_CODES:
                categories.append(code)
            else:
                problems.append(
                    HsdsProblem(
                        "attributes", f"不明な分類です: {code}", f"unknown category: {code}", code
                    )
                )
        elif taxonomy == ATTRIBUTE_TAXONOMY and code in FLAG_NAMES_JA:
            flags[code] = attribute.get("value")
        else:
            foreign_attributes.append(attribute)

    hsds_id = obj.get("id")
    resource_id = flags.pop("resource_id", None) or hsds_id
    if not isinstance(resource_id, str) or not resource_id.strip():
        problems.append(HsdsProblem("id", "id（資源ID）がありません", "missing resource_id"))
        resource_id = None
    data["resource_id"] = resource_id.strip() if isinstance(resource_id, str) else None
    sid = service_id(data["resource_id"]) if data["resource_id"] else None

    data["name"] = a.text(obj.get("name"))
    if not data["name"]:
        problems.append(HsdsProblem("name", "名称がありません", "missing name"))
    data["description"] = a.text(obj.get("description")) or ""
    raw_org = obj.get("organization")
    organization: dict[str, Any] = raw_org if isinstance(raw_org, dict) else {}
    data["organization"] = a.text(organization.get("name"))
    if not data["organization"]:
        problems.append(
            HsdsProblem(
                "organization.name", "受入先（organization）がありません", "missing organization"
            )
        )
    org_default_id = organization_id(data["organization"] or "")
    extra["organization"] = _leftover(organization, "organization", {"name"}, org_default_id)

    raw_status = obj.get("status") or "active"
    if raw_status not in STATUS_FROM_HSDS:
        problems.append(
            HsdsProblem(
                "status",
                f"状態が不明です: {raw_status}",
                f"unknown status: {raw_status}",
                raw_status,
            )
        )
    data["status"] = STATUS_FROM_HSDS.get(raw_status, "active")
    data["min_age"] = _collect(problems, "minimum_age", obj.get("minimum_age"))
    data["max_age"] = _collect(problems, "maximum_age", obj.get("maximum_age"))
    data["categories"] = categories

    # -- location (first service_at_location that has one)
    sals = _dicts(obj.get("service_at_locations"))
    sal = sals[0] if sals else None
    location = sal.get("location") if sal and isinstance(sal.get("location"), dict) else None
    data.update(ward=None, address=None, lat=None, lon=None, nearest_station=None)
    wheelchair_from_text = False
    if sal is not None:
        extra["service_at_location"] = _leftover(
            sal,
            "service_at_location",
            {"location"},
            child_id(sid, "service_at_location") if sid else None,
        )
    if location is not None:
        consumed = {"latitude", "longitude", "transportation", "addresses", "accessibility"}
        for key, limit, field in (("latitude", 90, "lat"), ("longitude", 180, "lon")):
            try:
                data[field] = a.coordinate(location.get(key), limit=limit, name_ja=key, name_en=key)
            except a.CellError:
                consumed.discard(key)  # kept verbatim in extra, see the module docstring
        data["nearest_station"] = a.text(location.get("transportation"))
        addresses = _dicts(location.get("addresses"))
        loc_extra = _leftover(
            location, "location", consumed, child_id(sid, "location") if sid else None
        )
        if addresses:
            first = addresses[0]
            data["address"] = a.text(first.get("address_1"))
            region = first.get("region")
            data["ward"] = (
                region
                if region in WARDS
                else _find_ward(first.get("city"), first.get("address_1"), first.get("address_2"))
            )
            used = {"address_1"} | ({"region"} if region in WARDS else set())
            extra["address"] = _leftover(
                first, "address", used, child_id(sid, "address") if sid else None
            )
            if len(addresses) > 1:
                loc_extra["addresses"] = addresses[1:]
        foreign_access = []
        for item in _dicts(location.get("accessibility")):
            if item.get("details") == WHEELCHAIR:
                flags.setdefault("wheelchair_accessible", "true")
                continue
            text = f"{item.get('description', '')} {item.get('details', '')}".lower()
            wheelchair_from_text |= any(w in text for w in ("wheelchair", "車いす", "車椅子"))
            foreign_access.append(item)
        if foreign_access:
            loc_extra["accessibility"] = foreign_access
        extra["location"] = loc_extra
    if len(sals) > 1:
        extra.setdefault("service", {})["service_at_locations"] = sals[1:]

    # -- schedule (first weekly one we can read)
    data.update(days=[], start_time=None, end_time=None)
    rest: list[dict[str, Any]] = []
    mapped = False
    for schedule in _dicts(obj.get("schedules")):
        if mapped or schedule.get("freq") not in (None, "", "WEEKLY"):
            rest.append(schedule)
            continue
        try:
            byday = schedule.get("byday") or ""
            data["days"] = a.days(byday)
            data["start_time"] = a.clock(schedule.get("opens_at"))
            data["end_time"] = a.clock(schedule.get("closes_at"), allow_24=True)
        except a.CellError as exc:
            problems.append(HsdsProblem("schedules", exc.message_ja, exc.message_en, schedule))
            continue
        mapped = True
        extra["schedule"] = _leftover(
            schedule,
            "schedule",
            {"byday", "opens_at", "closes_at"},
            child_id(sid, "schedule") if sid else None,
        )
    if rest:
        extra.setdefault("service", {})["schedules"] = rest

    # -- capacity
    data.update(capacity_total=0, capacity_remaining=0)
    capacities = _dicts(obj.get("capacities"))
    if capacities:
        first = capacities[0]
        data["capacity_total"] = _collect(problems, "capacities.maximum", first.get("maximum")) or 0
        data["capacity_remaining"] = (
            _collect(problems, "capacities.available", first.get("available")) or 0
        )
        extra["capacity"] = _leftover(
            first,
            "capacity",
            {"maximum", "available", "updated"},
            child_id(sid, "capacity") if sid else None,
        )
        if len(capacities) > 1:
            extra.setdefault("service", {})["capacities"] = capacities[1:]

    # -- participant cost: the first option in yen
    data["participant_cost_yen"] = 0
    costs = _dicts(obj.get("cost_options"))
    other_costs = []
    for cost in costs:
        currency = str(cost.get("currency") or "JPY").upper()
        if data["participant_cost_yen"] or currency != "JPY" or cost.get("amount") is None:
            other_costs.append(cost)
            continue
        data["participant_cost_yen"] = _collect(problems, "cost_options.amount", cost.get("amount"))
        extra["cost_option"] = _leftover(
            cost, "cost_option", {"amount"}, child_id(sid, "cost_option") if sid else None
        )
    if other_costs:
        extra.setdefault("service", {})["cost_options"] = other_costs

    # -- contact
    data.update(contact_name=None, phone=None, email=a.text(obj.get("email")))
    contacts = _dicts(obj.get("contacts"))
    if contacts:
        first = contacts[0]
        data["contact_name"] = a.text(first.get("name"))
        data["email"] = data["email"] or a.text(first.get("email"))
        phones = _dicts(first.get("phones"))
        contact_extra = _leftover(
            first, "contact", {"name", "email", "phones"}, child_id(sid, "contact") if sid else None
        )
        if phones:
            data["phone"] = a.text(phones[0].get("number"))
            extra["phone"] = _leftover(
                phones[0], "phone", {"number"}, child_id(sid, "phone") if sid else None
            )
            if len(phones) > 1:
                contact_extra["phones"] = phones[1:]
        extra["contact"] = contact_extra
        if len(contacts) > 1:
            extra.setdefault("service", {})["contacts"] = contacts[1:]
    if data["phone"] is None:
        service_phones = _dicts(obj.get("phones"))
        if service_phones:
            data["phone"] = a.text(service_phones[0].get("number"))

    # -- flags and fees
    for flag in FLAGS:
        try:
            data[flag] = bool(a.boolean(flags.get(flag)))
        except a.CellError as exc:
            problems.append(HsdsProblem(f"attributes.{flag}", exc.message_ja, exc.message_en))
    if "wheelchair_accessible" not in flags:
        data["wheelchair_accessible"] = wheelchair_from_text
    data["cooperation_fee_yen"] = (
        _collect(problems, "attributes.cooperation_fee_yen", flags.get("cooperation_fee_yen")) or 0
    )
    try:
        data["cooperation_fee_unit"] = a.fee_unit(flags.get("cooperation_fee_unit")) or "none"
    except a.CellError as exc:
        problems.append(
            HsdsProblem("attributes.cooperation_fee_unit", exc.message_ja, exc.message_en)
        )

    consumed_service = {
        "name",
        "description",
        "status",
        "minimum_age",
        "maximum_age",
        "email",
        "organization",
        "service_at_locations",
        "schedules",
        "capacities",
        "cost_options",
        "contacts",
        "attributes",
        "last_modified",
    }
    service_extra = _leftover(obj, "service", consumed_service, sid)
    if hsds_id == resource_id or (isinstance(hsds_id, str) and as_uuid(hsds_id) == sid):
        service_extra.pop("id", None)
    if foreign_attributes:
        service_extra["attributes"] = foreign_attributes
    extra["service"] = {**service_extra, **extra.get("service", {})}
    data["extra"] = extra
    return data, problems


def _collect(problems: list[HsdsProblem], column: str, value: Any) -> int | None:
    """An integer field; a bad one is recorded and read as empty."""
    try:
        return _int_or_problem(column, value)
    except HsdsProblem as problem:
        problems.append(problem)
        return None


def is_hsds_uuid(value: str) -> bool:
    """Whether ``value`` looks like an HSDS id (a UUID) rather than a catalog resource_id."""
    return bool(re.fullmatch(r"[0-9a-fA-F-]{36}", value)) and as_uuid(value) is not None
