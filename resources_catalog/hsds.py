"""Mapping between a ResourceRecord and an Open Referral HSDS 3.1 service object.

Choices (the contract other directories see):

* ids are UUIDs from ``resources_catalog.hsds_ids``: the service id is the ``resource_id``
  when that is a UUID, else ``uuid5(NAMESPACE, "service:" + resource_id)``.
* the ``resource_id`` is recoverable from the attribute whose taxonomy term has
  ``taxonomy = "tsunagu-attribute"`` and ``code = "resource_id"`` (its ``value``); an HSDS
  service without it (another directory's) gets its HSDS ``id`` as resource_id.
* categories are attributes with ``taxonomy = "tsunagu-category"`` terms (code + Japanese
  name); the matching flags (requires_certificate, quiet_environment, small_group, visit_ok,
  trial_ok, paid, wheelchair_accessible) and the cooperation fee (協力費, yen and unit) are
  ``tsunagu-attribute`` attributes with ``value`` "true"/"false" or the number.
* one service_at_location → location (lat/lon, ``transportation`` = nearest station,
  ``addresses[0]`` with ``region`` = ward, city 千葉市, state 千葉県, country JP,
  ``accessibility`` "wheelchair" when accessible); one weekly schedule (``freq`` WEEKLY,
  ``byday`` "TU,TH", ``opens_at``/``closes_at`` HH:MM); one capacity (unit 人, maximum =
  capacity_total, available = capacity_remaining); one cost option (参加費, JPY) when the
  participant pays; one contact with one phone.
* status ``temporarily_closed`` is HSDS ``temporarily closed``.

Whatever an imported HSDS service carries beyond that is kept in ``record.extra`` by object
(``extra["service"]``, ``["organization"]``, ``["location"]``, ``["address"]``,
``["schedule"]``, ``["capacity"]``, ``["cost_option"]``, ``["contact"]``, ``["phone"]``,
``["service_at_location"]``), including further list items (a second schedule, foreign
attributes), and merged back on export when the value has the type HSDS gives the field.
Coordinates outside WGS84 ranges are kept there verbatim and the catalog's lat/lon stay
empty: a foreign geocode error should not block the service itself.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from resources_catalog.hsds_fields import FIELD_TYPES
from resources_catalog.hsds_ids import (
    NAMESPACE,
    as_uuid,
    category_term_id,
    child_id,
    flag_term_id,
    organization_id,
    service_id,
)
from resources_catalog.importers import aliases as a
from resources_catalog.records import CATEGORY_CODES, WARDS, WEEKDAYS, ResourceRecord
from resources_catalog.taxonomy import CATEGORY_NAMES_JA, TAXONOMY_ID, TAXONOMY_NAME

ATTRIBUTE_TAXONOMY = "tsunagu-attribute"
FLAGS = (
    "requires_certificate",
    "wheelchair_accessible",
    "quiet_environment",
    "small_group",
    "visit_ok",
    "trial_ok",
    "paid",
)
FLAG_NAMES_JA = {
    "resource_id": "資源ID",
    "requires_certificate": "受給者証・手帳が必要",
    "wheelchair_accessible": "車いす可",
    "quiet_environment": "静かな環境",
    "small_group": "少人数",
    "visit_ok": "見学可",
    "trial_ok": "体験可",
    "paid": "工賃あり",
    "cooperation_fee_yen": "協力費（円）",
    "cooperation_fee_unit": "協力費の単位",
}
STATUS_TO_HSDS = {
    "active": "active",
    "inactive": "inactive",
    "temporarily_closed": "temporarily closed",
}
STATUS_FROM_HSDS = {**{v: k for k, v in STATUS_TO_HSDS.items()}, "defunct": "inactive"}
BYDAY = dict(zip(WEEKDAYS, ("MO", "TU", "WE", "TH", "FR", "SA", "SU"), strict=True))
UNIT = {
    "id": child_id(str(NAMESPACE), "unit:person"),
    "name": "人",
    "scheme": "tsunagu",
    "identifier": "person",
}
WHEELCHAIR = "wheelchair"

# Keys that only point at a parent: rebuilt on export, never kept.
_BACKREFS = frozenset(
    {
        "service_id",
        "location_id",
        "service_at_location_id",
        "organization_id",
        "link_id",
        "contact_id",
        "phone_id",
        "unit_id",
        "taxonomy_term_id",
    }
)
# Constants the exporter writes; an imported value equal to them is not "extra".
_DEFAULTS: dict[str, dict[str, Any]] = {
    "organization": {"description": ""},
    "location": {"location_type": "physical"},
    "address": {
        "city": "千葉市",
        "state_province": "千葉県",
        "country": "JP",
        "postal_code": "",
        "address_type": "physical",
    },
    "schedule": {"freq": "WEEKLY", "wkst": "MO"},
    "capacity": {"unit": UNIT},
    "cost_option": {"option": "参加費", "currency": "JPY"},
}
_LIST_KEYS = {
    "service": (
        "service_at_locations",
        "schedules",
        "capacities",
        "cost_options",
        "contacts",
        "attributes",
    ),
    "location": ("addresses", "accessibility"),
    "contact": ("phones",),
}
_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "number": (int, float),
    "integer": (int,),
    "array": (list,),
    "object": (dict,),
    "boolean": (bool,),
}


def _valid(section: str, key: str, value: Any) -> bool:
    """Whether HSDS accepts ``value`` for ``key`` (unknown keys are extensions: allowed)."""
    expected = FIELD_TYPES.get(section, {}).get(key)
    if expected is None:
        return True
    if isinstance(value, bool) and expected != "boolean":
        return False
    return isinstance(value, _JSON_TYPES.get(expected, (object,)))


def _merge(base: dict[str, Any], extra: Any, section: str) -> dict[str, Any]:
    """Lay kept foreign fields over the generated object; list items are appended."""
    if not isinstance(extra, Mapping):
        return base
    lists = _LIST_KEYS.get(section, ())
    for key, value in extra.items():
        if not _valid(section, key, value):
            continue
        if key in lists and isinstance(value, list):
            base[key] = [*base.get(key, []), *value]
        else:
            base[key] = value
    return base


def _own_id(record: ResourceRecord, section: str, kind: str) -> str:
    kept = record.extra.get(section, {})
    value = kept.get("id") if isinstance(kept, Mapping) else None
    if isinstance(value, str) and as_uuid(value):
        return value
    return child_id(service_id(record.resource_id), kind)


def _attribute(sid: str, taxonomy: str, code: str, name: str, value: str | None) -> dict[str, Any]:
    term_id = category_term_id(code) if taxonomy == TAXONOMY_NAME else flag_term_id(code)
    term: dict[str, Any] = {
        "id": term_id,
        "code": code,
        "name": name,
        "description": name,
        "taxonomy": taxonomy,
    }
    if taxonomy == TAXONOMY_NAME:
        term["taxonomy_id"] = TAXONOMY_ID
    attribute: dict[str, Any] = {
        "id": child_id(sid, f"attribute:{taxonomy}:{code}"),
        "link_id": sid,
        "link_type": "service",
        "link_entity": "service",
        "taxonomy_term_id": term_id,
        "taxonomy_term": term,
    }
    if value is not None:
        attribute["value"] = value
    return attribute


def _iso(moment: datetime | None) -> str:
    moment = moment or datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat()


def to_hsds(record: ResourceRecord, *, updated_at: datetime | None = None) -> dict[str, Any]:
    """One HSDS 3.1 service object, fully nested, valid against compiled/service.json."""
    extra = record.extra
    sid = service_id(record.resource_id)
    kept_org = extra.get("organization", {})
    org_id = kept_org.get("id") if isinstance(kept_org, Mapping) else None
    if not (isinstance(org_id, str) and as_uuid(org_id)):
        org_id = organization_id(record.organization)
    organization = _merge(
        {"id": org_id, "name": record.organization, "description": ""}, kept_org, "organization"
    )
    service: dict[str, Any] = {
        "id": sid,
        "organization_id": org_id,
        "name": record.name,
        "description": record.description,
        "status": STATUS_TO_HSDS[record.status],
        "last_modified": _iso(updated_at),
        "organization": organization,
    }
    if record.email:
        service["email"] = record.email
    if record.min_age is not None:
        service["minimum_age"] = record.min_age
    if record.max_age is not None:
        service["maximum_age"] = record.max_age

    has_place = (
        record.address
        or record.ward
        or record.lat is not None
        or record.lon is not None
        or record.nearest_station
        or record.wheelchair_accessible
        or any(k in extra for k in ("location", "address", "service_at_location"))
    )
    if has_place:
        loc_id = _own_id(record, "location", "location")
        location: dict[str, Any] = {"id": loc_id, "location_type": "physical"}
        if record.lat is not None:
            location["latitude"] = record.lat
        if record.lon is not None:
            location["longitude"] = record.lon
        if record.nearest_station:
            location["transportation"] = record.nearest_station
        if record.address or record.ward or "address" in extra:
            address: dict[str, Any] = {
                "id": _own_id(record, "address", "address"),
                "location_id": loc_id,
                "address_1": record.address or "",
                **_DEFAULTS["address"],
            }
            if record.ward:
                address["region"] = record.ward
            location["addresses"] = [_merge(address, extra.get("address"), "address")]
        if record.wheelchair_accessible:
            location["accessibility"] = [
                {
                    "id": child_id(sid, "accessibility"),
                    "location_id": loc_id,
                    "description": "車いすで利用できます",
                    "details": WHEELCHAIR,
                }
            ]
        location = _merge(location, extra.get("location"), "location")
        sal_id = _own_id(record, "service_at_location", "service_at_location")
        sal = {"id": sal_id, "service_id": sid, "location_id": loc_id, "location": location}
        service["service_at_locations"] = [
            _merge(sal, extra.get("service_at_location"), "service_at_location")
        ]
    if record.days or record.start_time or record.end_time:
        schedule: dict[str, Any] = {
            "id": _own_id(record, "schedule", "schedule"),
            "service_id": sid,
            **_DEFAULTS["schedule"],
        }
        if record.days:
            schedule["byday"] = ",".join(BYDAY[d] for d in record.days)
        if record.start_time:
            schedule["opens_at"] = record.start_time
        if record.end_time:
            schedule["closes_at"] = record.end_time
        service["schedules"] = [_merge(schedule, extra.get("schedule"), "schedule")]
    if record.capacity_total or record.capacity_remaining:
        capacity = {
            "id": _own_id(record, "capacity", "capacity"),
            "service_id": sid,
            "unit": dict(UNIT),
            "available": record.capacity_remaining,
            "maximum": record.capacity_total,
            "updated": _iso(updated_at),
        }
        service["capacities"] = [_merge(capacity, extra.get("capacity"), "capacity")]
    if record.participant_cost_yen:
        cost = {
            "id": _own_id(record, "cost_option", "cost_option"),
            "service_id": sid,
            **_DEFAULTS["cost_option"],
            "amount": record.participant_cost_yen,
        }
        service["cost_options"] = [_merge(cost, extra.get("cost_option"), "cost_option")]
    if record.contact_name or record.phone or record.email or "contact" in extra:
        contact_id = _own_id(record, "contact", "contact")
        contact: dict[str, Any] = {"id": contact_id, "service_id": sid}
        if record.contact_name:
            contact["name"] = record.contact_name
        if record.email:
            contact["email"] = record.email
        if record.phone:
            phone = {
                "id": _own_id(record, "phone", "phone"),
                "contact_id": contact_id,
                "number": record.phone,
            }
            contact["phones"] = [_merge(phone, extra.get("phone"), "phone")]
        service["contacts"] = [_merge(contact, extra.get("contact"), "contact")]

    attributes = [_attribute(sid, ATTRIBUTE_TAXONOMY, "resource_id", "資源ID", record.resource_id)]
    attributes += [
        _attribute(sid, TAXONOMY_NAME, code, CATEGORY_NAMES_JA.get(code, code), None)
        for code in record.categories
    ]
    attributes += [
        _attribute(
            sid,
            ATTRIBUTE_TAXONOMY,
            flag,
            FLAG_NAMES_JA[flag],
            "true" if getattr(record, flag) else "false",
        )
        for flag in FLAGS
    ]
    attributes.append(
        _attribute(
            sid,
            ATTRIBUTE_TAXONOMY,
            "cooperation_fee_yen",
            FLAG_NAMES_JA["cooperation_fee_yen"],
            str(record.cooperation_fee_yen),
        )
    )
    attributes.append(
        _attribute(
            sid,
            ATTRIBUTE_TAXONOMY,
            "cooperation_fee_unit",
            FLAG_NAMES_JA["cooperation_fee_unit"],
            record.cooperation_fee_unit,
        )
    )
    service["attributes"] = attributes
    return _merge(service, extra.get("service"), "service")


# --------------------------------------------------------------------------- import


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
    defaults = _DEFAULTS.get(section, {})
    kept: dict[str, Any] = {}
    for key, value in obj.items():
        if key in consumed or key in _BACKREFS or value is None or value == "" or value == []:
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
