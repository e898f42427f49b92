"""The app factory, lifespan, health check, landing page, OpenAPI and the session dependency."""

from __future__ import annotations

import inspect
import time

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from api.app import MissingEncryptionKey, create_app
from api.deps import SessionDep, get_principal
from api.routers import catalog as catalog_router
from api.routers import hsds as hsds_router
from api.routers import system as system_router
from resources_catalog import service as catalog
from resources_catalog.errors import ResourceNotFound
from resources_catalog.records import ResourceRecord
from tests.api.conftest import SYSTEM, make_settings
from tests.api.factories import resource


def test_health_reports_database_ok(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_root_leads_to_sign_in(client: TestClient) -> None:
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login"


def test_landing_page_is_japanese_html_linking_the_apis(client: TestClient) -> None:
    response = client.get("/about")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert 'lang="ja"' in html
    assert "参加支援" in html
    for link in ('href="/docs"', 'href="/api/v1/catalog/resources"', 'href="/hsds/services"'):
        assert link in html
    assert "http://" not in html and "https://" not in html  # no external assets


def test_openapi_documents_catalog_and_hsds_with_examples(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for path in (
        "/health",
        "/api/v1/catalog/resources",
        "/api/v1/catalog/resources/{resource_id}",
        "/api/v1/catalog/resources/{resource_id}/deactivate",
        "/api/v1/catalog/resources/{resource_id}/history",
        "/api/v1/catalog/import",
        "/api/v1/catalog/export",
        "/hsds/services",
        "/hsds/services/{id}",
        "/hsds/organizations",
        "/hsds/taxonomies",
        "/hsds/taxonomy_terms",
    ):
        assert path in paths, path
    assert spec["components"]["schemas"]["ResourceIn"]["examples"]
    assert spec["components"]["schemas"]["ImportReportOut"]["examples"]


def test_lifespan_migrates_a_fresh_database_and_loads_the_demo_catalog(
    fresh_database_url: str,
) -> None:
    app = create_app(make_settings(fresh_database_url, load_demo_catalog=True))
    with TestClient(app) as client:
        first = client.get("/api/v1/catalog/resources", params={"limit": 1}).json()["total"]
        # The fictional 支援関係機関 directory of the six wards comes with the demo.
        from consultation import repository as consultation_repo
        from storage.engine import unit_of_work

        with unit_of_work(app.state.session_factory) as session:
            assert len(consultation_repo.list_agencies(session)) == 43
    assert first > 0
    # A second start does not load the demo twice.
    with TestClient(create_app(make_settings(fresh_database_url, load_demo_catalog=True))) as c:
        assert c.get("/api/v1/catalog/resources", params={"limit": 1}).json()["total"] == first


def test_request_session_commits_on_success(fresh_database_url: str) -> None:
    settings = make_settings(fresh_database_url)
    app = create_app(settings)
    app.dependency_overrides[get_principal] = lambda: SYSTEM
    with TestClient(app) as client:
        assert client.post("/api/v1/catalog/resources", json=resource("C1")).status_code == 201
    with TestClient(create_app(settings)) as client:
        assert client.get("/api/v1/catalog/resources/C1").status_code == 200


def test_request_session_rolls_back_when_the_route_fails(fresh_database_url: str) -> None:
    app = create_app(make_settings(fresh_database_url))

    @app.post("/test-only/create-then-fail")
    def create_then_fail(session: SessionDep) -> None:
        record = ResourceRecord.model_validate(resource("C2"))
        catalog.create_resource(session, record, actor="test")
        raise ResourceNotFound("nothing")

    with TestClient(app) as client:
        assert client.post("/test-only/create-then-fail").status_code == 404
        assert client.get("/api/v1/catalog/resources/C2").status_code == 404


def test_every_api_route_is_sync_so_blocking_work_runs_in_the_thread_pool() -> None:
    routes = [
        r
        for router in (catalog_router.router, hsds_router.router, system_router.router)
        for r in router.routes
        if isinstance(r, APIRoute)
    ]
    assert len(routes) >= 15
    for route in routes:
        assert not inspect.iscoroutinefunction(route.endpoint), route.path


def test_a_malformed_encryption_key_stops_the_start(fresh_database_url: str) -> None:
    app = create_app(make_settings(fresh_database_url, encryption_key="not-a-key"))
    with pytest.raises(ValueError, match="invalid encryption key"), TestClient(app):
        pass


def test_a_missing_encryption_key_stops_the_start(fresh_database_url: str) -> None:
    app = create_app(make_settings(fresh_database_url, encryption_key=None))
    with pytest.raises(MissingEncryptionKey, match="TSUNAGU_ENCRYPTION_KEY"), TestClient(app):
        pass


def test_warm_up_fits_the_ranker_in_the_background(fresh_database_url: str) -> None:
    settings = make_settings(fresh_database_url, encoder="hashing", warm_ranker=True)
    with TestClient(create_app(settings)) as client:
        provider = client.app.state.ranker  # type: ignore[attr-defined]
        for _ in range(200):
            if provider.is_fitted:
                break
            time.sleep(0.05)
        assert provider.is_fitted
