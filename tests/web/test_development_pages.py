"""KPI, unmet-needs, what-if, prospects and receiver pages (server-rendered, no external asset)."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from casework.demo import build_demo_caseload
from casework.models import Person, Placement
from casework.schemas import ConsentIn
from casework.services import consent
from development import receiver
from resources_catalog.models import Service
from tests.api.conftest import SYSTEM
from tests.web.conftest import Web

EXTERNAL = re.compile(r"""(?:src|href)=["']https?://""", re.I)


def _demo(web: Web) -> None:
    build_demo_caseload(web.db, n_people=30, as_of=date(2026, 11, 1))
    for pid in web.db.scalars(select(Person.id).where(Person.status == "open")):
        consent.record_consent(
            web.db,
            SYSTEM,
            pid,
            ConsentIn(scope="matching", given_on=date(2025, 4, 1), method="written"),
        )
    web.db.flush()


def test_kpi_page_draws_svg_charts_without_external_assets(web: Web) -> None:
    _demo(web)
    web.login(web.add_user("supervisor"))
    page = web.client.get("/reports/kpis")
    assert page.status_code == 200, page.text
    assert page.text.count("<svg") == 9
    assert "相談受付件数（月別）" in page.text and "協力費 予算と執行額（年度別）" in page.text
    assert not EXTERNAL.search(page.text)
    assert "2025年度" in page.text
    csv = web.client.get("/reports/kpis.csv")
    assert csv.status_code == 200
    assert csv.text.startswith("\ufeffkpi,label,value,value2")
    assert "fees_budget_vs_spent_yen,2025年度,120000," in csv.text


def test_unmet_needs_and_what_if_pages_render(web: Web) -> None:
    _demo(web)
    web.login(web.add_user("supervisor"))
    unmet = web.client.get("/reports/unmet-needs")
    assert unmet.status_code == 200, unmet.text
    assert "満たされていないニーズ" in unmet.text
    what_if = web.client.get("/reports/what-if")
    assert what_if.status_code == 200, what_if.text
    assert "誰の参加先も登録していません" in what_if.text


def test_coordinator_cannot_open_the_what_if_page(web: Web) -> None:
    web.login(web.add_user("coordinator"))
    assert web.client.get("/reports/what-if").status_code == 403


def test_receiver_answers_a_referral_on_its_page(web: Web) -> None:
    _demo(web)
    placement = web.db.scalars(select(Placement).where(Placement.state == "proposed")).first()
    if placement is None:  # the demo ends every proposal; make one
        placement = web.db.scalars(select(Placement)).first()
        assert placement is not None
        placement.state = "proposed"
        web.db.flush()
    org = web.db.scalar(
        select(Service.organization_id).where(Service.resource_id == placement.resource_id)
    )
    user = web.add_user("receiver")
    receiver.link_account(web.db, SYSTEM, f"user:{user.id}", str(org))
    web.db.flush()
    web.login(user)
    page = web.client.get("/receiver")
    assert page.status_code == 200, page.text
    assert f"紹介 {placement.id}" in page.text
    response = web.post(f"/receiver/referrals/{placement.id}/answer", {"decision": "accepted"})
    assert response.status_code == 303
    assert "回答済み" in web.client.get("/receiver").text
    # its own listing: free places and days (counts as a confirmation)
    listing = web.post(
        f"/receiver/resources/{placement.resource_id}",
        {"capacity_remaining": "4", "days": ["mon", "wed"]},
    )
    assert listing.status_code == 303
    page = web.client.get("/receiver").text
    assert "空き状況を更新しました。" in page
    assert 'value="4"' in page and "未確認" not in page.split(placement.resource_id)[1][:2000]
    # the receiver has no casework pages
    assert web.client.get("/people").status_code == 403


def test_prospects_page_filters_by_theme(web: Web) -> None:
    from development import prospects
    from development.schemas import ProspectIn

    prospects.create_prospect(web.db, SYSTEM, ProspectIn(name="みどり農園", theme="farm"))
    prospects.create_prospect(web.db, SYSTEM, ProspectIn(name="こども食堂", theme="cooking"))
    web.db.flush()
    web.login(web.add_user("coordinator"))
    page = web.client.get("/prospects?theme=farm")
    assert page.status_code == 200
    assert "みどり農園" in page.text and "こども食堂" not in page.text
    assert web.client.get("/prospects?theme=<x>").status_code == 422


def test_coordinator_adds_a_prospect_and_moves_it_on_the_page(web: Web) -> None:
    web.login(web.add_user("coordinator"))
    created = web.post("/prospects", {"name": "いなげ農園", "ward": "稲毛区", "theme": "farm"})
    assert created.status_code == 303
    page = web.client.get("/prospects").text
    assert "候補「いなげ農園」を追加しました。" in page and "いなげ農園" in page
    from development.models import Prospect

    prospect = web.db.scalars(select(Prospect).where(Prospect.name == "いなげ農園")).one()
    moved = web.post(f"/prospects/{prospect.id}/moves", {"to": "contacted", "note": "電話した"})
    assert moved.status_code == 303
    assert "「接触」に進めました。" in web.client.get("/prospects").text
    # 見送り without a reason is refused with a message; nothing changes
    web.post(f"/prospects/{prospect.id}/moves", {"to": "declined"})
    assert "段階を変更できませんでした" in web.client.get("/prospects").text
    web.db.refresh(prospect)
    assert prospect.stage == "contacted"
    bad = web.post("/prospects", {"name": "", "ward": "東京"})
    assert bad.status_code == 303
    assert "登録できませんでした" in web.client.get("/prospects").text
