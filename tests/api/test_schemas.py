"""Each domain owns its schemas once; ``api.schemas`` extends them and never copies them.

A model in ``api.schemas`` that declares, as its own fields, most of the fields of a domain
model it does not inherit from (four or more, and at least 80 % of the smaller of the two) is
a second copy of that shape: the two drift, a bound added to one and a description to the
other, as the casework bodies once did. Where the HTTP contract really differs, the API model
subclasses the domain one and adds only what differs. A few shared names are left to review:
shapes of different things share words such as ``person_id`` and ``due_on``, a partial update
repeats a few fields, a body with its own wire names (``to``, ``reason``) shares the rest.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

from pydantic import BaseModel

import api.schemas

DOMAIN_SCHEMA_MODULES = (
    "casework.schemas",
    "consultation.schemas",
    "development.schemas",
    "resources_catalog.records",
)
MIN_SHARED_FIELDS = 4
MIN_SHARED_SHARE = 0.8


def _models(module: ModuleType) -> list[type[BaseModel]]:
    """The pydantic models defined in ``module`` (not those it imports)."""
    return [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, BaseModel)
        and value.__module__ == module.__name__
    ]


def _own_fields(model: type[BaseModel]) -> set[str]:
    """The fields ``model`` adds to those of the pydantic models it inherits from."""
    inherited: set[str] = set()
    for base in model.__mro__[1:]:
        if isinstance(base, type) and issubclass(base, BaseModel):
            inherited |= set(base.model_fields)
    return set(model.model_fields) - inherited


def _copies(api_models: list[type[BaseModel]], domain_models: list[type[BaseModel]]) -> list[str]:
    found = []
    for api_model in api_models:
        own = _own_fields(api_model)
        for domain_model in domain_models:
            if issubclass(api_model, domain_model):
                continue
            shared = own & set(domain_model.model_fields)
            smaller = min(len(own), len(domain_model.model_fields))
            if len(shared) >= MIN_SHARED_FIELDS and len(shared) >= MIN_SHARED_SHARE * smaller:
                found.append(
                    f"{api_model.__module__}.{api_model.__name__} repeats "
                    f"{domain_model.__module__}.{domain_model.__name__}: {sorted(shared)}"
                )
    return found


def _api_models() -> list[type[BaseModel]]:
    modules = [
        importlib.import_module(f"{api.schemas.__name__}.{info.name}")
        for info in pkgutil.iter_modules(api.schemas.__path__)
    ]
    return [model for module in modules for model in _models(module)]


def _domain_models() -> list[type[BaseModel]]:
    return [
        model for name in DOMAIN_SCHEMA_MODULES for model in _models(importlib.import_module(name))
    ]


def test_api_schemas_do_not_copy_domain_field_lists() -> None:
    assert _copies(_api_models(), _domain_models()) == []


def test_the_check_sees_a_copied_field_list() -> None:
    from casework.schemas import PlacementIn, PlacementOut

    class PlacementCopy(BaseModel):
        resource_id: str
        plan_id: int | None = None
        suggestion_run_id: int | None = None
        note: str | None = None

    class PlacementBody(PlacementIn):
        person_id: int

    assert _copies([PlacementCopy], [PlacementIn, PlacementOut]) == [
        f"{__name__}.PlacementCopy repeats casework.schemas.PlacementIn: "
        "['note', 'plan_id', 'resource_id', 'suggestion_run_id']"
    ]
    assert _copies([PlacementBody], [PlacementIn, PlacementOut]) == []
