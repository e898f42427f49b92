"""Browser scenario of 包括的相談 (Playwright + Chromium, marked ``browser``).

An anonymous phone consultation is recorded, linked to a new person a week later, two
progress notes are added, a つなぎ to the あんしんケアセンター covering the person's town goes
依頼済 → 受理 → 完了, and the timeline shows all of it in order. The live server loads the
demo catalog and the demo 支援関係機関 directory.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from consultation.reference import JST
from tests.web.browser import login, shot
from tests.web.test_browser import live_server, page  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def test_consultation_scenario_in_the_browser(page: Any) -> None:  # noqa: F811
    login(page, "coord")
    page.get_by_role("link", name="包括的相談").click()
    page.get_by_role("link", name="相談を受け付ける").click()
    today = datetime.now(JST).date()
    page.get_by_label("受付日").fill((today - timedelta(days=7)).isoformat())
    page.get_by_label("相談経路").select_option("phone")
    page.locator("#f-from_whom").select_option("family")
    page.get_by_label("年齢（おおよそ）").fill("72")
    page.get_by_label("区", exact=True).select_option("若葉区")
    page.get_by_label("町名").fill("貝塚町")
    page.get_by_label("主訴").fill("父が外出しなくなった")
    page.locator("#f-content").fill("退職後、家にこもりがち。祖母の介護も抱えている。")
    page.get_by_label("高齢", exact=True).check()
    page.get_by_label("1人目 続柄").fill("長女")
    page.get_by_label("1人目 年齢").fill("40")
    page.get_by_role("button", name="記録する").click()
    page.wait_for_url("**/consultations/*")
    assert "匿名の相談" in page.inner_text("main")
    assert "お住まいの貝塚町を担当する" in page.inner_text("main")
    shot(page, "c01-consultation-anonymous")

    page.get_by_label("氏名（新しく受付する場合）").fill("若葉 一郎")
    page.get_by_role("button", name="本人に紐づける").click()
    page.wait_for_url("**/people/*/timeline")
    timeline_url = page.url

    now = datetime.now(JST).replace(second=0, microsecond=0, tzinfo=None)
    for minutes, kind, content in (
        (1, "phone", "本人と電話で話した"),
        (2, "visit", "自宅を訪問した"),
    ):
        page.locator("#f-kind").select_option(kind)
        page.get_by_label("日時（日本時間）").fill((now + timedelta(minutes=minutes)).isoformat())
        page.locator("#f-content").fill(content)
        page.get_by_role("button", name="記録する").click()
        page.wait_for_url(timeline_url)

    later = (today + timedelta(days=2)).isoformat()
    care = page.locator("#f-agency_id option", has_text="あんしんケアセンター若葉")
    care_label = care.first.inner_text()

    def refer() -> None:
        page.get_by_label("つなぎ先").select_option(label=care_label)
        page.get_by_label("情報提供の根拠").select_option("consent_verbal")
        page.get_by_label("依頼日", exact=True).fill(later)
        page.get_by_role("button", name="つなぎを依頼する").click()
        page.wait_for_url(timeline_url)

    # 本人の同意 as the basis is checked: refused until the consent is recorded.
    refer()
    assert "多機関協働事業での情報共有" in page.inner_text("main")
    page.get_by_role("link", name="同意を記録する").click()
    page.get_by_label("同意の範囲").select_option("multi_agency")
    page.get_by_label("方法").select_option("verbal")
    page.get_by_role("button", name="記録する").click()
    page.wait_for_url("**/people/*")
    page.goto(timeline_url)
    refer()
    for to in ("accepted", "completed"):
        page.get_by_label("次の状態").select_option(to)
        page.get_by_label("日付", exact=True).fill(later)
        page.get_by_role("button", name="更新").click()
        page.wait_for_url(timeline_url)

    entries = page.locator("ol.timeline > li strong").all_inner_texts()
    kinds = [e.split(":")[-1].strip() for e in entries]
    assert entries[0].startswith("相談受付") and entries[1] == "相談を本人に紐づけ"
    assert entries[2:4] == ["電話", "訪問"]
    assert kinds[4:] == ["依頼済", "受理", "完了"]
    shot(page, "c02-timeline")

    # The person's own page embeds the same timeline, with links to the full one and print.
    page.get_by_role("link", name="本人の記録へ").click()
    embedded = page.locator("#timeline ol.timeline > li strong").all_inner_texts()
    assert embedded == entries
    assert page.locator('#timeline a[href$="/progress-notes/print"]').count() == 1
    page.locator("#timeline").get_by_label("訪問", exact=True).check()
    page.locator("#timeline").get_by_role("button", name="絞り込む").click()
    page.wait_for_url("**kind=visit**")
    assert page.locator("#timeline ol.timeline > li strong").all_inner_texts() == ["訪問"]
    shot(page, "c03-person-timeline")
