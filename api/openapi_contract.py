"""Completes the OpenAPI document so it states everything the API can answer.

Routes document their own outcomes; what every operation of a kind can answer is added here
in one place rather than on each route:

* 400 on every operation with a body: the body could not be parsed (malformed JSON or form);
* 409 on every write: the change conflicts with the current state or a concurrent change
  (the database's last guard, ``api/errors.py``);
* 401 and 403 on every operation that needs an API key (``x-required-permission``);
* the character rules the validators apply to every text field of a body, as patterns:
  no NUL anywhere (PostgreSQL cannot store it), something besides white space where a
  casework text must not be empty (it is stripped first), and in catalog bodies no C0 control
  character but tab and line breaks (resources_catalog.records);
* header and query parameters without a ``null`` variant (absent is their "none");
* ``If-Match`` as required where its absence is answered 428;
* the configured page-size maximum (``TSUNAGU_PAGE_SIZE_MAX``) on ``limit`` / ``per_page``,
  which a route's static signature cannot know (not on ``/hsds``: the official HSDS document
  allows any integer there, and a larger page is cut to the maximum).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

from api.settings import Settings

ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}
WRITE_METHODS = ("post", "put", "patch", "delete")
PAGE_SIZE_PARAMETERS = ("limit", "per_page")
NO_NUL_PATTERN = "^[^\\x00]*$"
# Casework bodies strip surrounding whitespace before checking a minimum length of 1.
NO_NUL_NON_BLANK_PATTERN = "^[^\\x00]*[^\\x00\\s][^\\x00]*$"
NO_CONTROL_PATTERN = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f]*$"


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": ERROR_REF}}}


def complete(document: dict[str, Any], *, page_size_max: int) -> dict[str, Any]:
    """Add the statuses and limits every operation of a kind shares (in place)."""
    for path, path_item in document.get("paths", {}).items():
        for method, operation in path_item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            if "requestBody" in operation:
                responses.setdefault(
                    "400", _error("The body could not be parsed (malformed JSON or form data).")
                )
            if method in WRITE_METHODS:
                responses.setdefault(
                    "409",
                    _error("The change conflicts with the current state or a concurrent change."),
                )
            if operation.get("x-required-permission"):
                responses.setdefault("401", _error("No API key, or an unknown or revoked one."))
                responses.setdefault("403", _error("The key lacks the permission."))
            body = operation.get("requestBody", {}).get("content", {})
            pattern = NO_CONTROL_PATTERN if path.startswith("/api/v1/catalog") else NO_NUL_PATTERN
            for media in body.values():
                _text_patterns(document, media.get("schema", {}), pattern, set())
            for parameter in operation.get("parameters", []):
                _no_null_variant(parameter)
                if parameter.get("name") == "if-match" and "428" in responses:
                    # Sent without it, the operation answers 428: the header is required.
                    parameter["required"] = True
                if (
                    parameter.get("in") == "query"
                    and parameter.get("name") in PAGE_SIZE_PARAMETERS
                    and not path.startswith("/hsds")  # HSDS takes any integer and clamps it
                ):
                    parameter.setdefault("schema", {})["maximum"] = page_size_max
    document.setdefault("components", {}).setdefault("schemas", {}).setdefault(
        "ErrorOut",
        {
            "title": "ErrorOut",
            "type": "object",
            "required": ["error", "detail"],
            "properties": {"error": {"type": "string", "title": "Error"}, "detail": {}},
        },
    )
    return document


def _no_null_variant(parameter: dict[str, Any]) -> None:
    """A header or query value is text or absent, never JSON null: drop the null variant."""
    schema = parameter.get("schema", {})
    variants = schema.get("anyOf")
    if parameter.get("in") in ("header", "query") and isinstance(variants, list):
        kept = [v for v in variants if v.get("type") != "null"]
        if len(kept) == 1 and len(kept) < len(variants):
            del schema["anyOf"]
            schema.update(kept[0])


def _text_patterns(
    document: dict[str, Any], schema: dict[str, Any], pattern: str, seen: set[str]
) -> None:
    """Give every string in ``schema`` (following $refs once) ``pattern`` unless it has one."""
    ref = schema.get("$ref")
    if isinstance(ref, str):
        if ref in seen:
            return
        seen.add(ref)
        name = ref.rsplit("/", 1)[-1]
        target = document.get("components", {}).get("schemas", {}).get(name)
        if isinstance(target, dict):
            _text_patterns(document, target, pattern, seen)
        return
    if schema.get("type") == "string" and "pattern" not in schema and "format" not in schema:
        non_blank = pattern == NO_NUL_PATTERN and schema.get("minLength", 0) >= 1
        schema["pattern"] = NO_NUL_NON_BLANK_PATTERN if non_blank else pattern
    for key in ("anyOf", "oneOf", "allOf"):
        for variant in schema.get(key, []):
            _text_patterns(document, variant, pattern, seen)
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            _text_patterns(document, schema[key], pattern, seen)
    for prop in schema.get("properties", {}).values():
        _text_patterns(document, prop, pattern, seen)


def install(app: FastAPI, settings: Settings) -> None:
    """Make ``app.openapi()`` return the completed document (built once, then cached)."""
    build: Callable[[], dict[str, Any]] = app.openapi
    completed: list[dict[str, Any]] = []

    def openapi() -> dict[str, Any]:
        if not completed:
            completed.append(complete(build(), page_size_max=settings.page_size_max))
        return completed[0]

    app.openapi = openapi  # type: ignore[method-assign]
