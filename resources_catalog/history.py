"""Field-level differences between two versions of a resource (変更履歴の中身)."""

from __future__ import annotations

from typing import Any

from resources_catalog.records import ResourceRecord

FIELDS: tuple[str, ...] = tuple(ResourceRecord.model_fields)
_DEFAULTS: dict[str, Any] = {
    name: field.get_default(call_default_factory=True)
    for name, field in ResourceRecord.model_fields.items()
}


def diff(old: dict[str, Any] | None, new: dict[str, Any]) -> list[dict[str, Any]]:
    """``{"field", "old", "new"}`` for every field that differs, in record order.

    A creation lists the fields that differ from the defaults, with ``old`` None, so the
    history shows what the resource started with without storing thirty empty values.
    """
    if old is None:
        return [
            {"field": name, "old": None, "new": new[name]}
            for name in FIELDS
            if new[name] != _DEFAULTS[name]
        ]
    return [
        {"field": name, "old": old[name], "new": new[name]}
        for name in FIELDS
        if old[name] != new[name]
    ]
