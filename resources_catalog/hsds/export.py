"""HSDS 3.1 export: a ResourceRecord as one fully nested HSDS service object."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from resources_catalog.hsds.fields import (
    ATTRIBUTE_TAXONOMY,
    BYDAY,
    EXPORT_DEFAULTS,
    FIELD_TYPES,
    FLAG_NAMES_JA,
    FLAGS,
    JSON_TYPES,
    LIST_KEYS,
    STATUS_TO_HSDS,
    UNIT,
    WHEELCHAIR,
)
from resources_catalog.hsds.ids import (
    as_uuid,
    category_term_id,
    child_id,
    flag_term_id,
    organization_id,
    service_id,
)
from resources_catalog.records import ResourceRecord
from resources_catalog.taxonomy import CATEGORY_NAMES_JA, TAXONOMY_ID, TAXONOMY_NAME


def _valid(section: str, key: str, value: Any) -> bool:
    """Whether HSDS accepts ``value`` for ``key`` (unknown keys are extensions: allowed)."""
    expected = FIELD_TYPES.get(section, {}).get(key)
    if expected is None:
        return True
    if isinstance(value, bool) and expected != "boolean":
        return False
    return isinstance(value, JSON_TYPES.get(expected, (object,)))


def _merge(base: dict[str, Any], extra: Any, section: str) -> dict[str, Any]:
    """Lay kept foreign fields over the generated object; list items are appended."""
    if not isinstance(extra, Mapping):
        return base
    lists = LIST_KEYS.get(section, ())
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
                **EXPORT_DEFAULTS["address"],
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
            **EXPORT_DEFAULTS["schedule"],
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
            **EXPORT_DEFAULTS["cost_option"],
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
