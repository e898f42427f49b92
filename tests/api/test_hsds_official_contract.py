"""The official HSDS 3.1 OpenAPI document, run with schemathesis against our ``/hsds``.

The document (``../shared/data/open_referral/hsds_3_1_schema/openapi.json``) points its
response schemas at ``raw.githubusercontent.com/.../schema/...``; ``_resolved_spec`` maps each
of those to the schema file beside it and inlines it (no network). The spec's paths are
relative to the API root, here ``/hsds`` (given as its ``servers`` entry, which it omits).

Every check schemathesis has runs, in positive and negative mode, on the demo catalog. The
only failures allowed are those that come from the document's own omissions, each listed in
``ALLOWED`` with its reason and recognised narrowly by ``_allowed``. Examples per operation
are bounded by ``TSUNAGU_HSDS_CONTRACT_EXAMPLES`` (default 5).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from jsonschema import Draft202012Validator
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from api.app import create_app
from tests.api.casework.conftest import app_settings
from tests.api.casework.test_schemathesis import own_database  # noqa: F401
from tests.api.conftest import make_settings
from tests.conftest import shared_path

MAX_EXAMPLES = int(os.environ.get("TSUNAGU_HSDS_CONTRACT_EXAMPLES", "5"))
REMOTE = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"

# The official document's omissions, and the answers they make schemathesis flag.
ALLOWED: dict[str, str] = {
    "no_error_responses": (
        "The document lists only 200 for every operation. A by-id path for an id that names "
        "nothing answers 404, and a page that is no integer, a boolean that is no boolean, or an "
        "unreadable modified_after or format 422, each with our error body; schemathesis "
        "calls these undocumented status codes."
    ),
    "existence_is_no_schema": (
        "{id} is any string by the document, so a random id is 'valid' data; it names no "
        "record, and 404 is the answer the document cannot state."
    ),
    "datetime_is_no_format": (
        "modified_after has format 'datetime', which is no JSON Schema format (date-time is), "
        "so any text is 'valid'; text that is no RFC 3339 date-time is refused with 422 "
        "rather than silently dropping the filter."
    ),
    "format_has_no_enum": (
        "format is any string by the document though its description allows json and "
        "ndjson only; other values are refused with 422."
    ),
    "ndjson_has_no_media_type": (
        "format=ndjson 'should stream all the results' but the document lists only "
        "application/json; we answer application/x-ndjson."
    ),
    "service_at_location_by_id_schema": (
        "GET /service_at_locations/{id} refers to compiled/service.json (a service) for a "
        "service_at_location; its answer is checked against compiled/service_at_location.json "
        "instead, which is what the operation's own description promises."
    ),
}


def _inline(node: Any, base: Path, seen: tuple[Path, ...] = ()) -> Any:
    """``node`` with every file ``$ref`` replaced by that file's (inlined) content."""
    if isinstance(node, list):
        return [_inline(item, base, seen) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and not ref.startswith("#"):
        path = (base / ref.removeprefix(REMOTE)).resolve()
        if path in seen:  # a cycle: leave it open (any object)
            return {"type": "object"}
        return _inline(json.loads(path.read_text()), path.parent, (*seen, path))
    return {key: _inline(value, base, seen) for key, value in node.items()}


def _resolved_spec() -> dict[str, Any]:
    """The official openapi.json with its remote schema refs mapped to the local files."""
    path = shared_path("data", "open_referral", "hsds_3_1_schema", "openapi.json")
    spec = _inline(json.loads(path.read_text()), path.parent)
    spec["servers"] = [{"url": "/hsds"}]
    return spec


def _validator(relative: str) -> Draft202012Validator:
    schema_dir = shared_path("data", "open_referral", "hsds_3_1_schema")
    path = schema_dir / relative
    return Draft202012Validator(_inline(json.loads(path.read_text()), path.parent))


def _error_body(response: Any) -> Any:
    """Our error body (``{"error", "detail"}``), or None when the answer is not one."""
    try:
        body = json.loads(response.content)
    except ValueError:
        return None
    return body if isinstance(body, dict) and {"error", "detail"} <= set(body) else None


def _refused_parameters(response: Any) -> set[str]:
    """The query parameters a 422 validation error names."""
    body = _error_body(response)
    if response.status_code != 422 or body is None or not isinstance(body["detail"], list):
        return set()
    return {
        str(d["loc"][1])
        for d in body["detail"]
        if isinstance(d, dict) and len(d.get("loc", [])) == 2 and d["loc"][0] == "query"
    }


def _allowed(check: str, response: Any, case: Any) -> str | None:
    """The ALLOWED reason that covers this failure, or None (a real failure)."""
    status = response.status_code
    by_id = case.path.endswith("{id}")
    refused = _refused_parameters(response)
    if check == "status_code" and status in (404, 422) and _error_body(response) is not None:
        return "no_error_responses"
    if check == "positive_data":
        if status == 404 and by_id and _error_body(response) is not None:
            return "existence_is_no_schema"
        if refused and refused <= {"modified_after", "format"}:
            return "datetime_is_no_format" if "modified_after" in refused else "format_has_no_enum"
    if check == "content_type":
        ctype = response.headers.get("content-type", [""])
        ctype = ctype[0] if isinstance(ctype, list) else ctype
        if dict(case.query or {}).get("format") == "ndjson" and ctype.startswith(
            "application/x-ndjson"
        ):
            return "ndjson_has_no_media_type"
    return None


def _tolerant(name: str, check: Callable[..., Any]) -> Callable[..., Any]:
    """``check``, except for the failures ``_allowed`` recognises."""

    def wrapped(ctx: Any, response: Any, case: Any) -> bool | None:
        if _allowed(name, response, case) is not None:
            return None
        return check(ctx, response, case)  # type: ignore[no-any-return]

    wrapped.__name__ = f"{check.__name__}_unless_the_spec_omits_it"
    return wrapped  # not registered: a registered check would join every other run's defaults


def _sal_schema(ctx: Any, response: Any, case: Any) -> bool | None:
    """``/service_at_locations/{id}``: checked against the schema its description promises."""
    if case.path != "/service_at_locations/{id}":
        return response_schema_conformance(ctx, response, case)  # type: ignore[no-any-return]
    if response.status_code == 200:
        errors = list(_validator("compiled/service_at_location.json").iter_errors(response.json()))
        assert not errors, [e.message for e in errors[:5]]
    return None


TOLERANT = [
    _tolerant("status_code", status_code_conformance),
    _tolerant("positive_data", positive_data_acceptance),
    _tolerant("content_type", content_type_conformance),
    _sal_schema,
]
REPLACED = [
    status_code_conformance,
    positive_data_acceptance,
    content_type_conformance,
    response_schema_conformance,
]

pytestmark = pytest.mark.contract


@pytest.fixture(scope="module")
def hsds_app(own_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:  # noqa: F811
    """The started app on the demo catalog (216 resources)."""
    tmp = tmp_path_factory.mktemp("hsds-contract")
    settings_ = make_settings(own_database, load_demo_catalog=True, **app_settings(Path(tmp)))
    app = create_app(settings_)
    with TestClient(app):
        yield app


def _failures(app: Any, mode: GenerationMode) -> list[str]:
    schema = schemathesis.openapi.from_dict(_resolved_spec())
    schema.app = app
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()  # type: ignore[union-attr]  # an Err raises here: fine

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Any) -> None:
            case.call_and_validate(excluded_checks=REPLACED, additional_checks=TOLERANT)

        try:
            run()
        except Unsatisfiable:
            continue  # negative mode: an operation without parameters has nothing invalid
        except (Exception, BaseExceptionGroup) as exc:  # collect every failure, report all
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}"[:3000])
    return failures


def test_official_spec_valid_requests_get_answers_within_it(hsds_app: Any) -> None:
    failures = _failures(hsds_app, GenerationMode.POSITIVE)
    assert failures == [], f"{len(failures)} operations:\n\n" + "\n\n".join(failures)


def test_official_spec_invalid_requests_are_refused(hsds_app: Any) -> None:
    failures = _failures(hsds_app, GenerationMode.NEGATIVE)
    assert failures == [], f"{len(failures)} operations:\n\n" + "\n\n".join(failures)


def test_every_official_path_answers_200_for_an_existing_id(hsds_app: Any) -> None:
    """Each by-id operation, with an id its listing gave, passes every check with 200."""
    schema = schemathesis.openapi.from_dict(_resolved_spec())
    schema.app = app = hsds_app
    checked = []
    client = TestClient(app)  # the fixture has started the app
    for listing in (
        "services",
        "organizations",
        "taxonomies",
        "taxonomy_terms",
        "service_at_locations",
    ):
        first = client.get(f"/hsds/{listing}", params={"per_page": 1}).json()["contents"][0]
        operation = schema[f"/{listing}/{{id}}"]["GET"]
        case = operation.Case(path_parameters={"id": first["id"]})
        response = case.call_and_validate(excluded_checks=REPLACED, additional_checks=TOLERANT)
        assert response.status_code == 200, (listing, response.text)
        assert response.json()["id"] == first["id"]
        checked.append(listing)
    assert len(checked) == 5
    # and every operation of the document is one our app serves (none left out)
    ours = app.openapi()["paths"]
    for path, item in _resolved_spec()["paths"].items():
        for method in item:
            if method in ("get", "post"):
                assert method in ours[f"/hsds{path}"], (method, path)
