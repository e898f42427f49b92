"""The suggestions route serialises its own body: the bytes FastAPI would have sent."""

from __future__ import annotations

from fastapi.routing import APIRoute

from api.routers import v1_matching
from tests.api.casework.conftest import Api


def test_suggestions_body_is_what_the_response_model_would_serialise(api: Api) -> None:
    for rid in ("R001", "R002", "R003"):
        api.resource(rid)
    pid = api.matchable_person()
    response = api.call("coordinator", "POST", f"/api/v1/people/{pid}/suggestions")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    route = next(
        r
        for r in v1_matching.router.routes
        if isinstance(r, APIRoute) and r.endpoint is v1_matching.suggest
    )
    field = route.response_field
    assert field is not None
    value, errors = field.validate(response.json(), {}, loc=("response",))
    assert not errors
    assert response.json()["suggestions"]
    assert response.content == field.serialize_json(value)
