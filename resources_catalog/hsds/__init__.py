"""Mapping between a ResourceRecord and an Open Referral HSDS 3.1 service object.

Choices (the contract other directories see):

* ids are UUIDs from ``resources_catalog.hsds.ids``: the service id is the ``resource_id``
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

from importlib import import_module
from typing import TYPE_CHECKING, Any

from resources_catalog.hsds.fields import (
    ATTRIBUTE_TAXONOMY,
    BYDAY,
    FLAG_NAMES_JA,
    FLAGS,
    STATUS_FROM_HSDS,
    STATUS_TO_HSDS,
    UNIT,
    WHEELCHAIR,
)

if TYPE_CHECKING:
    from resources_catalog.hsds.export import to_hsds
    from resources_catalog.hsds.parse import HsdsProblem, from_hsds, is_hsds_uuid

# export and parse import the taxonomy, which imports hsds.ids: loading them on first use
# keeps ``import resources_catalog.hsds.ids`` free of that cycle.
_LAZY = {
    "to_hsds": "resources_catalog.hsds.export",
    "HsdsProblem": "resources_catalog.hsds.parse",
    "from_hsds": "resources_catalog.hsds.parse",
    "is_hsds_uuid": "resources_catalog.hsds.parse",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ATTRIBUTE_TAXONOMY",
    "BYDAY",
    "FLAGS",
    "FLAG_NAMES_JA",
    "STATUS_FROM_HSDS",
    "STATUS_TO_HSDS",
    "UNIT",
    "WHEELCHAIR",
    "HsdsProblem",
    "from_hsds",
    "is_hsds_uuid",
    "to_hsds",
]
