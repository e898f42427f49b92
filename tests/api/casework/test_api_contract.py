"""The OpenAPI document is the contract: schemathesis with every check, in process.

Every operation is exercised with a coordinator's key and an admin's key (the two callers a
case system and an administrator's tool are), with schema-valid and schema-violating
requests; every check schemathesis has is on (no server error, responses within their
schema and status codes, headers, content types, ``Allow`` on 405, negative data refused,
authentication enforced ...). Examples per operation are bounded by
``TSUNAGU_CONTRACT_EXAMPLES`` so the run takes a few minutes at most.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api.app import create_app
from casework.permissions import PERMISSIONS, ROLE_PERMISSIONS
from storage.engine import unit_of_work
from tests.api.casework.conftest import app_settings
from tests.api.casework.test_schemathesis import _seed, own_database  # noqa: F401
from tests.api.conftest import issue_api_key, make_settings

MAX_EXAMPLES = int(os.environ.get("TSUNAGU_CONTRACT_EXAMPLES", "8"))


def valid_data_accepted_unless_a_domain_rule_refuses(
    ctx: Any, response: Any, case: Any
) -> bool | None:
    """schemathesis' positive-data check, except for a 422 that states a rule across fields.

    Those answers are rules no JSON schema can state: ``invalid_input`` from a casework
    service or ``invalid_resource`` from the catalog (a withdrawal dated before the consent,
    activity dates across two fiscal years, a plan of another person), ``invalid_date`` (a date
    after today in Japan or before the step it follows: it depends on the clock and on the
    stored record, e.g. a fee's activity day before the placement started) or a
    ``validation_error`` of the whole body (``loc == ["body"]``: expiry before the given
    date, a receiver named on a consent that shares with none). A
    schema-valid request refused because of one field (a value outside an enum the schema
    does not show, a length or a pattern) still fails. An uploaded file whose content is no
    supported format (415) or whose rows break catalog rules (``import_rejected``) is likewise
    beyond a schema.

    Not registered with ``schemathesis.check``: a registered check joins every other test's
    default set, and would loosen (or tighten) the HSDS contract run as well.
    """
    if response.status_code == 412:
        return None  # a stale If-Match: like 409, an answer about the stored state
    if response.status_code == 415 and b"unsupported_file" in response.content:
        return None  # an uploaded file's content (empty, not CSV/xlsx/HSDS) is no schema matter
    if response.status_code == 422:
        try:
            body = json.loads(response.content)
        except ValueError:
            body = {}
        if body.get("error") in (
            "invalid_input",
            "invalid_date",
            "invalid_resource",
            "import_rejected",
        ):
            return None
        detail = body.get("detail")
        if (
            body.get("error") == "validation_error"
            and isinstance(detail, list)
            and detail
            and all(isinstance(d, dict) and d.get("loc") == ["body"] for d in detail)
        ):
            return None
    return positive_data_acceptance(ctx, response, case)


pytestmark = pytest.mark.contract


@pytest.fixture(scope="module")
def contract_app(own_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:  # noqa: F811
    """The started, seeded app with a coordinator's and an admin's key."""
    tmp = tmp_path_factory.mktemp("contract-app")
    app = create_app(make_settings(own_database, **app_settings(Path(tmp))))
    with TestClient(app) as client:
        keys = {}
        with unit_of_work(app.state.session_factory) as session:
            for role in ("coordinator", "admin"):
                keys[role] = issue_api_key(
                    session, sorted(ROLE_PERMISSIONS[role]), name=f"contract-{role}"
                )
            seed_key = issue_api_key(session, sorted(PERMISSIONS), name="contract-seed")
        client.headers["Authorization"] = f"Bearer {seed_key}"
        _seed(client)
        app.state.contract_keys = keys
        yield app


def _failures_of(app: Any, mode: GenerationMode) -> list[str]:
    """Run every operation in ``mode`` with each key; the failures, one message each."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    keys = app.state.contract_keys
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
            for key in keys.values():
                case.call_and_validate(
                    headers={"Authorization": f"Bearer {key}"},
                    excluded_checks=[positive_data_acceptance],
                    additional_checks=[valid_data_accepted_unless_a_domain_rule_refuses],
                )

        try:
            run()
        except Unsatisfiable:
            # Negative mode: an operation without parameters has no invalid input to send.
            continue
        except (Exception, BaseExceptionGroup) as exc:  # collect every failure, report all
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}"[:3000])
    return failures


def test_schema_valid_requests_get_answers_within_the_contract(contract_app: Any) -> None:
    failures = _failures_of(contract_app, GenerationMode.POSITIVE)
    assert failures == [], f"{len(failures)} operations:\n\n" + "\n\n".join(failures)


def test_schema_violating_requests_are_refused_within_the_contract(contract_app: Any) -> None:
    failures = _failures_of(contract_app, GenerationMode.NEGATIVE)
    assert failures == [], f"{len(failures)} operations:\n\n" + "\n\n".join(failures)
