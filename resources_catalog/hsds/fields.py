"""HSDS 3.1 field vocabulary: the values the catalog writes and the JSON types of fields.

The constants (attribute taxonomy, flags, status and day spellings, exporter defaults) are
shared by ``export`` and ``parse``. FIELD_TYPES: JSON types of the HSDS 3.1 fields the
catalog may carry in ``extra``.

Derived from ``schema/compiled/service.json`` of HSDS 3.1 (the objects nested in a service
that the catalog maps). The exporter re-emits a kept foreign field only when its value has
the type the standard gives it, so an export stays valid whatever another directory sent.
"""

from __future__ import annotations

from typing import Any

from resources_catalog.hsds.ids import NAMESPACE, child_id
from resources_catalog.records import WEEKDAYS

FIELD_TYPES: dict[str, dict[str, str]] = {
    "service": {
        "id": "string",
        "organization_id": "string",
        "program_id": "string",
        "name": "string",
        "alternate_name": "string",
        "description": "string",
        "url": "string",
        "additional_urls": "array",
        "email": "string",
        "status": "string",
        "interpretation_services": "string",
        "application_process": "string",
        "fees_description": "string",
        "wait_time": "string",
        "fees": "string",
        "accreditations": "string",
        "eligibility_description": "string",
        "minimum_age": "number",
        "maximum_age": "number",
        "assured_date": "string",
        "assurer_email": "string",
        "licenses": "string",
        "alert": "string",
        "last_modified": "string",
        "phones": "array",
        "schedules": "array",
        "service_areas": "array",
        "service_at_locations": "array",
        "languages": "array",
        "organization": "object",
        "funding": "array",
        "cost_options": "array",
        "program": "object",
        "required_documents": "array",
        "contacts": "array",
        "capacities": "array",
        "attributes": "array",
        "metadata": "array",
    },
    "organization": {
        "id": "string",
        "name": "string",
        "alternate_name": "string",
        "description": "string",
        "email": "string",
        "website": "string",
        "additional_websites": "array",
        "tax_status": "string",
        "tax_id": "string",
        "year_incorporated": "number",
        "legal_status": "string",
        "logo": "string",
        "uri": "string",
        "parent_organization_id": "string",
        "funding": "array",
        "contacts": "array",
        "phones": "array",
        "locations": "array",
        "programs": "array",
        "organization_identifiers": "array",
        "attributes": "array",
        "metadata": "array",
    },
    "service_at_location": {
        "id": "string",
        "service_id": "string",
        "location_id": "string",
        "description": "string",
        "service_areas": "array",
        "contacts": "array",
        "phones": "array",
        "schedules": "array",
        "location": "object",
        "attributes": "array",
        "metadata": "array",
    },
    "location": {
        "id": "string",
        "location_type": "string",
        "url": "string",
        "organization_id": "string",
        "name": "string",
        "alternate_name": "string",
        "description": "string",
        "transportation": "string",
        "latitude": "number",
        "longitude": "number",
        "external_identifier": "string",
        "external_identifier_type": "string",
        "languages": "array",
        "addresses": "array",
        "contacts": "array",
        "accessibility": "array",
        "phones": "array",
        "schedules": "array",
        "attributes": "array",
        "metadata": "array",
    },
    "address": {
        "id": "string",
        "location_id": "string",
        "attention": "string",
        "address_1": "string",
        "address_2": "string",
        "city": "string",
        "region": "string",
        "state_province": "string",
        "postal_code": "string",
        "country": "string",
        "address_type": "string",
        "attributes": "array",
        "metadata": "array",
    },
    "schedule": {
        "id": "string",
        "service_id": "string",
        "location_id": "string",
        "service_at_location_id": "string",
        "valid_from": "string",
        "valid_to": "string",
        "dtstart": "string",
        "timezone": "number",
        "until": "string",
        "count": "number",
        "wkst": "string",
        "freq": "string",
        "interval": "number",
        "byday": "string",
        "byweekno": "string",
        "bymonthday": "string",
        "byyearday": "string",
        "description": "string",
        "opens_at": "string",
        "closes_at": "string",
        "schedule_link": "string",
        "attending_type": "string",
        "notes": "string",
        "attributes": "array",
        "metadata": "array",
    },
    "capacity": {
        "id": "string",
        "service_id": "string",
        "unit": "object",
        "unit_id": "string",
        "available": "number",
        "maximum": "number",
        "description": "string",
        "updated": "string",
        "attributes": "array",
        "metadata": "array",
    },
    "cost_option": {
        "id": "string",
        "service_id": "string",
        "valid_from": "string",
        "valid_to": "string",
        "option": "string",
        "currency": "string",
        "amount": "number",
        "amount_description": "string",
        "attributes": "array",
        "metadata": "array",
    },
    "contact": {
        "id": "string",
        "organization_id": "string",
        "service_id": "string",
        "service_at_location_id": "string",
        "location_id": "string",
        "name": "string",
        "title": "string",
        "department": "string",
        "email": "string",
        "phones": "array",
        "attributes": "array",
        "metadata": "array",
    },
}


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
BACKREFS = frozenset(
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
EXPORT_DEFAULTS: dict[str, dict[str, Any]] = {
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
LIST_KEYS = {
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
JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "number": (int, float),
    "integer": (int,),
    "array": (list,),
    "object": (dict,),
    "boolean": (bool,),
}
