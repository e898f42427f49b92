"""The KPI page in headless Chromium: nine charts drawn, and not one request leaves the server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from api.app import create_app
from casework import crypto
from casework.demo import build_demo_caseload
from casework.models import Person, StaffUser
from casework.schemas import ConsentIn
from casework.services import consent
from storage.engine import make_engine, make_session_factory, unit_of_work
from storage.migrate import upgrade
from tests.web.browser import LiveServer, login, serve_app, shot
from tests.web.conftest import ENCRYPTION_KEY, web_settings


@pytest.fixture(scope="module")
def demo_server(
    tmp_path_factory: pytest.TempPathFactory, password_hash: str
) -> Iterator[LiveServer]:
    """uvicorn on a free port over a fresh database holding the demo caseload."""
    tmp = tmp_path_factory.mktemp("kpis")
    url = f"sqlite:///{tmp / 'kpis.db'}"
    engine = make_engine(url)
    upgrade(engine)
    crypto.configure(ENCRYPTION_KEY)
    with unit_of_work(make_session_factory(engine)) as session:
        caseload = build_demo_caseload(session, n_people=30, as_of=date(2026, 11, 1))
        for pid in session.scalars(select(Person.id).where(Person.status == "open")):
            consent.record_consent(
                session,
                caseload.staff.coordinator,
                pid,
                ConsentIn(scope="matching", given_on=date(2025, 4, 1), method="written"),
            )
        session.add(
            StaffUser(
                username="super", display_name="上司 花子", role="supervisor", team="team-a",
                password_hash=password_hash,
            )
        )  # fmt: skip
    engine.dispose()
    with serve_app(create_app(web_settings(url, tmp))) as live:
        yield live


def test_kpi_page_renders_its_charts_with_no_external_request(
    chromium: Any,
    demo_server: LiveServer,
) -> None:
    context = chromium.new_context(
        viewport={"width": 1366, "height": 768}, base_url=demo_server.url, locale="ja-JP"
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    try:
        login(page, "super")
        page.goto("/reports/kpis")
        page.wait_for_load_state("networkidle")
        charts = page.locator("figure.chart svg")
        assert charts.count() == 9
        for i in range(charts.count()):
            box = charts.nth(i).bounding_box()
            assert box is not None and box["width"] > 100 and box["height"] > 20
        assert page.locator("figure.chart svg rect").count() > 20
        shot(page, "20-kpis")
        page.goto("/reports/unmet-needs")
        assert page.get_by_role("heading", name="満たされていないニーズ").count() == 1
        assert page.locator("table.list tbody tr").count() >= 1
        shot(page, "21-unmet-needs")
        outside = [u for u in requested if not u.startswith(demo_server.url)]
        assert outside == []
    finally:
        context.close()
