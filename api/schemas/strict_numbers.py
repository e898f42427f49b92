"""JSON ``true``/``false`` is not a number: refuse it where the schema says number.

Pydantic's lax mode reads ``true`` as 1 for ``int`` and ``float`` fields, so a body the
OpenAPI schema calls invalid (``"lat": false``) was stored as 0. Request bodies call
``reject_bool_numbers`` from a before-validator; nested models check their own fields.
"""

from __future__ import annotations

import types
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel


def _numeric(annotation: Any) -> bool:
    if annotation in (int, float):
        return True
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        arms = [a for a in get_args(annotation) if a is not type(None)]
        return bool(arms) and all(_numeric(a) for a in arms)
    if origin is not None and getattr(origin, "__name__", "") == "Annotated":
        return _numeric(get_args(annotation)[0])
    return False


def reject_bool_numbers(model: type[BaseModel], data: Any) -> None:
    """Raise ValueError naming the fields where ``data`` gives a bool for a number."""
    if not isinstance(data, dict):
        return
    wrong = [
        name
        for name, field in model.model_fields.items()
        if isinstance(data.get(field.alias or name), bool) and _numeric(field.annotation)
    ]
    if wrong:
        raise ValueError(f"true/false is not a number: {', '.join(sorted(wrong))}")
