"""End-to-end in headless Chromium (Debian's package, driven by Playwright for Python).

A live uvicorn serves a fresh SQLite database with the demo catalog, the hashing encoder and
seeded users. Chromium is installed by the ``chromium`` fixture when it is missing (apt, as
root); the tests are skipped with the reason only when it cannot be installed. Screenshots of
every page go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from api.app import create_app
from casework.models import StaffUser
from resources_catalog.records import CSV_COLUMNS
from storage.engine import make_engine, make_session_factory, unit_of_work
from storage.migrate import upgrade
from tests.web.browser import LiveServer, browser_page, login, logout, serve_app, shot
from tests.web.conftest import web_settings

pytestmark = pytest.mark.browser

USERS = (
    ("coord", "相談 一郎", "coordinator"),
    ("super", "上司 花子", "supervisor"),
    ("catalog", "目録 次郎", "catalog_maintainer"),
    ("finance", "経理 三郎", "finance"),
)


@pytest.fixture(scope="module")
def live_server(
    tmp_path_factory: pytest.TempPathFactory, password_hash: str
) -> Iterator[LiveServer]:
    """uvicorn in a thread on a free port, with a fresh database of its own."""
    tmp = tmp_path_factory.mktemp("live")
    url = f"sqlite:///{tmp / 'live.db'}"
    engine = make_engine(url)
    upgrade(engine)
    with unit_of_work(make_session_factory(engine)) as session:
        for username, name, role in USERS:
            session.add(
                StaffUser(
                    username=username, display_name=name, role=role, team="team-a",
                    password_hash=password_hash,
                )
            )  # fmt: skip
    engine.dispose()
    settings = web_settings(url, tmp, load_demo_catalog=True)
    with serve_app(create_app(settings)) as live:
        yield live


@pytest.fixture
def page(chromium: Any, live_server: LiveServer) -> Iterator[Any]:
    """A fresh browser context at 1366×768 (the centre's laptops)."""
    with browser_page(chromium, live_server.url) as pg:
        yield pg


def test_coordinator_matches_a_person_and_prints_the_plan(page: Any) -> None:
    """Scenario 1: intake → consent → needs → plan (decided) → suggestions → placed → log →
    fee → printed plan and evaluation sheet."""
    page.goto("/login")
    shot(page, "01-login")
    login(page, "coord")
    shot(page, "02-dashboard-empty")

    page.get_by_role("link", name="新規受付").first.click()
    page.get_by_label("氏名").fill("")
    page.get_by_role("button", name="受付する").click()
    # The required name was left empty: the form says so in Japanese, nothing was stored.
    assert page.locator(".field-error").first.inner_text() == "入力してください。"
    shot(page, "03-intake-error")
    page.get_by_label("氏名").fill("稲毛 太郎")
    page.get_by_label("ふりがな").fill("いなげ たろう")
    page.get_by_label("男性", exact=True).check()
    page.get_by_label("生年月日").fill("1985-04-12")
    page.get_by_label("区", exact=True).select_option("稲毛区")
    page.get_by_label("紹介元").fill("稲毛区 保健福祉センター")
    page.get_by_role("button", name="受付する").click()
    page.wait_for_url("**/people/*")
    person_url = page.url

    page.get_by_role("link", name="同意を記録する").click()
    page.get_by_role("button", name="記録する").click()
    page.wait_for_url(person_url)
    # 多機関協働 consent: without it the plan could not go to the 重層的支援会議.
    page.get_by_role("link", name="同意を記録する").click()
    page.get_by_label("同意の範囲").select_option("multi_agency")
    page.get_by_role("button", name="記録する").click()
    page.wait_for_url(person_url)

    page.get_by_role("link", name="希望・条件を入力").click()
    page.get_by_label("やってみたいこと・希望（本人の言葉で）").fill(
        "畑や花壇で土にふれる作業をしたい。人が多いところは苦手。"
    )
    page.get_by_label("火", exact=True).check()
    page.get_by_label("木", exact=True).check()
    page.get_by_label("移動できる距離（km）").fill("12")
    page.get_by_label("静かな環境").check()
    shot(page, "04-needs-profile")
    page.get_by_role("button", name="保存する").click()
    page.wait_for_url(person_url)

    page.get_by_role("button", name="プランを作成").click()
    page.wait_for_url("**/plans/*")
    plan_url = page.url
    page.get_by_label("■解決したい課題").fill("日中に外へ出る機会がなく、生活リズムが乱れている。")
    page.get_by_label("■目標（目指す姿）＜本人が設定＞").fill("週2回、決まった曜日に外で活動する。")
    page.get_by_label("1行目 名称").fill("つなぐセンター")
    page.get_by_label("1行目 実施内容").fill("受入先の見学に同行し、体験の調整を行う")
    page.get_by_label("1行目 期間").fill("3か月")
    page.get_by_label("1行目 頻度").fill("週1回")
    page.get_by_label("2行目 実施者").select_option("person")
    page.get_by_label("2行目 実施内容").fill("火・木に受入先へ通う")
    page.get_by_label("■プラン期間（いつまで）").fill("2027-03-31")
    page.get_by_label("次回モニタリング時期（年月）").fill("2027-01")
    page.get_by_role("button", name="保存して重層的支援会議に提出").click()
    page.wait_for_url(plan_url)
    assert "重層的支援会議に提出済み" in page.inner_text("main")
    shot(page, "05-plan-submitted")

    logout(page)
    login(page, "super")
    page.goto(plan_url)
    page.get_by_role("button", name="重層的支援会議の決定を記録").click()
    page.wait_for_url(plan_url)
    assert "決定されました" in page.inner_text("main")
    logout(page)
    login(page, "coord")

    page.goto(person_url + "/suggestions")
    page.get_by_role("button", name="提案を作成する").click()
    page.wait_for_url("**/suggestions")
    cards = page.locator("li.suggestion")
    assert cards.count() >= 3
    assert cards.first.locator("ul.reasons li").count() >= 1
    shot(page, "06-suggestions")
    shot(page, "06b-suggestions-viewport", full_page=False)

    page.locator("input[form=compare-form]").nth(0).check()
    page.locator("input[form=compare-form]").nth(1).check()
    page.get_by_role("button", name="チェックした2件を比べる").click()
    page.wait_for_url("**/compare?*")
    assert page.locator(".compare section").count() == 2
    shot(page, "07-compare")
    page.go_back()

    third = cards.nth(2)
    hidden_name = third.locator("h2").inner_text()
    third.locator("summary", has_text="非表示にする").click()
    third.get_by_label("理由").select_option("conditions_mismatch")
    third.get_by_label("具体的に（今後の提案の参考になります）").fill("駅から遠い")
    third.get_by_role("button", name="非表示にする").click()
    page.wait_for_url("**/suggestions")
    hidden_panel = page.locator("#hidden-suggestions").inner_text()
    assert hidden_name in hidden_panel and "駅から遠い" in hidden_panel
    assert hidden_name not in [h.inner_text() for h in page.locator("li.suggestion h2").all()]

    page.locator("li.suggestion").first.get_by_role("button", name="この受入先を提案する").click()
    page.wait_for_url("**/placements/*")
    placement_url = page.url
    # 連絡 and later need the person's consent to share with this receiver, chosen by name.
    page.get_by_role("link", name="同意を記録").click()
    assert page.get_by_label("同意の範囲").input_value() == "share_with_receiver"
    assert page.get_by_label("情報提供する受入先（受入先への情報提供のときだけ）").input_value()
    page.get_by_role("button", name="記録する").click()
    page.wait_for_url(person_url)
    page.goto(placement_url)
    page.get_by_label("次の段階").select_option("placed")
    page.get_by_role("button", name="進める").click()
    page.wait_for_url(placement_url)
    assert page.locator("li.step.current").inner_text().startswith("定着支援中")

    page.get_by_label("相手").select_option("receiver")
    page.get_by_label("方法").select_option("phone")
    page.get_by_label("話したこと").fill("初日は緊張していたが、作業に集中できていた。")
    page.get_by_label("次の対応", exact=True).fill("2週間後に本人へ電話")
    page.get_by_role("button", name="記録を追加").click()
    page.wait_for_url(placement_url + "#retention")
    page.get_by_label("単価（円・空欄なら受入先の条件）").fill("1000")
    page.get_by_label("単位").select_option("per_session")
    page.get_by_role("button", name="協力費を登録（承認待ち）").click()
    page.wait_for_url(placement_url + "#fees")
    assert "承認待ち" in page.locator("#fees").inner_text()
    shot(page, "08-placement")

    page.goto(plan_url + "/print")
    assert "参加支援事業のプラン" in page.inner_text("h1")
    shot(page, "09-plan-print")
    page.emulate_media(media="print")
    shot(page, "09b-plan-print-media")
    page.emulate_media(media="screen")

    page.goto(person_url + "/evaluations/new")
    page.get_by_label("■目標の達成状況").fill("週2回の活動が定着してきた。")
    page.get_by_label("孤立の解消").check()
    page.get_by_label("社会参加機会の増加").check()
    page.get_by_label("継続を希望").check()
    page.get_by_label("スタッフの意見").fill("もう少し定着を見守る。")
    page.get_by_role("button", name="記録する").click()
    page.wait_for_url("**/evaluations/*/print")
    shot(page, "10-evaluation-print")

    page.goto(person_url)
    shot(page, "11-person-detail")
    page.goto("/dashboard")
    shot(page, "12-dashboard")
    page.goto("/fees")
    shot(page, "13-fee-ledger-coordinator")

    logout(page)
    login(page, "finance")
    page.goto("/fees")
    page.get_by_role("button", name="承認").first.click()
    page.wait_for_url("**/fees*")
    assert "承認しました" in page.inner_text("main")
    shot(page, "14-fee-ledger-finance")


def _catalog_xlsx(rows: list[dict[str, Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(CSV_COLUMNS))
    for row in rows:
        sheet.append([row.get(col, "") for col in CSV_COLUMNS])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _row(rid: str, name: str, ward: str) -> dict[str, Any]:
    return {
        "resource_id": rid, "name": name, "organization": "NPO法人 みどりの手",
        "description": "公園の花壇の手入れと水やりを少人数で行います。", "categories": "nature",
        "ward": ward, "address": "千葉市緑区おゆみ野1-1", "lat": 35.5443, "lon": 140.2295,
        "days": "tue;fri", "start_time": "10:00", "end_time": "12:00", "capacity_total": 5,
        "capacity_remaining": 2, "visit_ok": "true", "trial_ok": "true", "status": "active",
    }  # fmt: skip


def test_catalog_maintainer_fixes_a_bad_row_and_applies_the_upload(
    page: Any, tmp_path: Path
) -> None:
    """Scenario 2: an Excel file with one bad row → row-numbered error → fixed file → applied."""
    login(page, "catalog")
    shot(page, "20-dashboard-catalog-maintainer")
    assert page.get_by_role("link", name="本人一覧").count() == 0  # catalog role only

    bad = tmp_path / "receivers.xlsx"
    bad.write_bytes(
        _catalog_xlsx([_row("G9001", "おゆみ野 花壇ボランティア", "緑区"),
                       _row("G9002", "土気 里山の手入れ", "東京区")])
    )  # fmt: skip
    page.goto("/catalog/import")
    page.get_by_label("ファイル").set_input_files(str(bad))
    page.get_by_role("button", name="内容を確認する").click()
    errors = page.locator(".error-card")
    assert "3行目" in errors.inner_text() and "東京区" in errors.inner_text()
    shot(page, "21-import-preview-error")

    fixed = tmp_path / "receivers-fixed.xlsx"
    fixed.write_bytes(
        _catalog_xlsx([_row("G9001", "おゆみ野 花壇ボランティア", "緑区"),
                       _row("G9002", "土気 里山の手入れ", "緑区")])
    )  # fmt: skip
    page.get_by_role("link", name="別のファイルを選ぶ").click()
    page.get_by_label("ファイル").set_input_files(str(fixed))
    page.get_by_role("button", name="内容を確認する").click()
    assert page.locator(".error-card").count() == 0
    shot(page, "22-import-preview-ok")
    page.get_by_role("button", name="取り込む").click()
    page.wait_for_url("**/catalog")
    assert "新規 2件" in page.inner_text("main")

    page.get_by_label("キーワード").fill("花壇")
    page.get_by_role("button", name="検索").click()
    shot(page, "23-catalog-search")
    page.get_by_role("link", name="おゆみ野 花壇ボランティア").click()
    page.get_by_role("link", name="編集する").click()
    page.get_by_label("空き").fill("9")
    page.get_by_role("button", name="保存する").click()
    assert "空きが定員を超えています" in page.inner_text("main")
    shot(page, "24-catalog-edit-error")
    page.get_by_label("空き").fill("1")
    page.get_by_role("button", name="保存する").click()
    page.wait_for_url("**/catalog/G9001")
    shot(page, "25-catalog-detail-history")
