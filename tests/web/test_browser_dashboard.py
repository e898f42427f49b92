"""Each role's dashboard, people search and the duplicate notice in headless Chromium, at the
centre's laptop width and at 390 px (a phone). Screenshots go to ``$TSUNAGU_ARTIFACTS`` (or
the test's temporary directory) under ``dashboard/``."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from api.app import create_app
from casework import crypto
from casework.models import StaffUser
from casework.schemas import (
    ClosureIn,
    ConsentIn,
    NeedsProfileIn,
    PersonIn,
    PlacementIn,
    PlanIn,
    SuggestionIn,
    SuggestionRunIn,
    TransitionIn,
)
from casework.services import consent, followup, people, placements, plans, suggestions
from casework.services._common import today_in_japan
from casework.services.accounts import principal_for_user
from resources_catalog import service as catalog
from storage.engine import make_engine, make_session_factory, unit_of_work
from storage.migrate import upgrade
from tests.resources_catalog.factories import make_record
from tests.web.browser import LiveServer, login, serve_app
from tests.web.conftest import ENCRYPTION_KEY, web_settings

pytestmark = pytest.mark.browser

USERS = (
    ("coord", "相談 一郎", "coordinator"),
    ("super", "上司 花子", "supervisor"),
    ("finance", "経理 三郎", "finance"),
    ("auditor", "監査 四郎", "auditor"),
    ("admin", "管理 五郎", "admin"),
)
WIDTHS = {"desktop": 1366, "phone": 390}


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the screenshots are kept."""
    root = os.environ.get("TSUNAGU_ARTIFACTS")
    base = Path(root) if root else tmp_path_factory.mktemp("artifacts")
    path = base / "dashboard"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def day_server(
    tmp_path_factory: pytest.TempPathFactory, password_hash: str
) -> Iterator[tuple[LiveServer, dict[str, int]]]:
    """A live server over a caseload with something due for every casework role."""
    tmp = tmp_path_factory.mktemp("day")
    url = f"sqlite:///{tmp / 'day.db'}"
    engine = make_engine(url)
    upgrade(engine)
    crypto.configure(ENCRYPTION_KEY)
    today = today_in_japan()
    ids: dict[str, int] = {}
    with unit_of_work(make_session_factory(engine)) as session:
        users = {}
        for username, name, role in USERS:
            user = StaffUser(
                username=username, display_name=name, role=role, team="team-a",
                password_hash=password_hash,
            )  # fmt: skip
            session.add(user)
            session.flush()
            users[role] = principal_for_user(user, ip="127.0.0.1", client="pytest")
        coord = users["coordinator"]
        yamada = people.create_person(
            session, coord,
            PersonIn(name="山田 花子", furigana="やまだ はなこ", born_on=date(1990, 5, 1),
                     phone="043-245-1111", received_on=today - timedelta(days=60)),
        )  # fmt: skip
        consent.record_consent(
            session, coord, yamada.id,
            ConsentIn(scope="multi_agency", given_on=today - timedelta(days=50), method="written"),
        )  # fmt: skip
        plan = plans.create_plan(
            session, coord, yamada.id, PlanIn(issues_text="外出の機会がない", goal_text="週1回外出")
        )
        plans.submit_plan(session, coord, plan.id)
        closed = people.create_person(
            session, coord,
            PersonIn(name="千葉 太郎", furigana="ちば たろう",
                     received_on=today - timedelta(days=90)),
        )  # fmt: skip
        followup.close_case(
            session, coord, closed.id,
            ClosureIn(closed_on=today - timedelta(days=28), reason="stable",
                      follow_up_interval_days=30),
        )  # fmt: skip
        ids.update(yamada=yamada.id, plan=plan.id, closed=closed.id)
        ids.update(_refusal_cases(session, coord, today))
    engine.dispose()
    with serve_app(create_app(web_settings(url, tmp))) as live:
        yield live, ids


def _refusal_cases(session: Any, coord: Any, today: date) -> dict[str, int]:
    """A case with one proposal lacking a share consent and one placement in 体験, and a
    closed case that still shows a stored suggestion: each refusal of the case file."""
    for rid, name in (("B1", "みどり農園"), ("B2", "こども食堂ひまわり")):
        catalog.create_resource(
            session,
            make_record(
                rid, name=name, cooperation_fee_yen=1000, cooperation_fee_unit="per_session"
            ),
            actor="test",
        )
    start = today - timedelta(days=30)

    def started(name: str, furigana: str) -> int:
        person = people.create_person(
            session, coord, PersonIn(name=name, furigana=furigana, received_on=start)
        )
        consent.record_consent(
            session, coord, person.id,
            ConsentIn(scope="matching", given_on=start, method="written"),
        )  # fmt: skip
        people.put_profile(session, coord, person.id, NeedsProfileIn(needs_text="畑で作業したい"))
        plan = plans.create_plan(
            session, coord, person.id, PlanIn(issues_text="課題", goal_text="目標")
        )
        plans.start_early(session, coord, plan.id, started_on=start, reason="早く関わる必要")
        return person.id

    sato = started("佐藤 一", "さとう はじめ")
    unconsented = placements.propose_placement(
        session, coord, sato, PlacementIn(resource_id="B1"), today=start
    )
    consent.record_consent(
        session, coord, sato,
        ConsentIn(scope="share_with_receiver", receiver_kind="resource", receiver_id="B2",
                  given_on=start, method="written"),
    )  # fmt: skip
    trial = placements.propose_placement(
        session, coord, sato, PlacementIn(resource_id="B2"), today=start
    )
    placements.transition_placement(
        session, coord, trial.id, TransitionIn(to_state="trial", occurred_on=start), today=today
    )
    suzuki = started("鈴木 二郎", "すずき じろう")
    suggestions.record_suggestion_run(
        session, coord, suzuki,
        SuggestionRunIn(ranker_version="test", items=[SuggestionIn(resource_id="B1", score=1.0)]),
    )  # fmt: skip
    followup.close_case(session, coord, suzuki, ClosureIn(closed_on=today, reason="stable"))
    return {"unconsented": unconsented.id, "trial": trial.id, "suzuki": suzuki}


@pytest.fixture(params=list(WIDTHS), ids=list(WIDTHS))
def width(request: pytest.FixtureRequest) -> str:
    """Which viewport the test runs at."""
    return str(request.param)


@pytest.fixture
def page(chromium: Any, day_server: tuple[LiveServer, dict[str, int]], width: str) -> Iterator[Any]:
    """A fresh browser context at the width under test."""
    live, _ = day_server
    context = chromium.new_context(
        viewport={"width": WIDTHS[width], "height": 800}, base_url=live.url, locale="ja-JP"
    )
    context.set_default_timeout(15_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def _fits(page: Any, selector: str, width: str) -> None:
    box = page.locator(selector).bounding_box()
    assert box is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTHS[width] + 1, (selector, box)


@pytest.mark.parametrize(
    ("username", "expected", "absent"),
    [
        ("coord", ["終結後の定期連絡：千葉 太郎", "今後1週間"], ["決定待ちのプラン"]),
        ("super", ["決定待ちのプラン：山田 花子", "連絡の途絶えているケース：山田 花子"], []),
        ("finance", ["協力費"], ["山田 花子", "千葉 太郎"]),
        ("auditor", ["監査ログ"], ["山田 花子", "千葉 太郎"]),
        ("admin", ["監査ログ", "受入先カタログ"], ["山田 花子", "千葉 太郎"]),
    ],
)
def test_each_roles_dashboard_plans_the_day(
    page: Any,
    day_server: tuple[LiveServer, dict[str, int]],
    artifacts: Path,
    width: str,
    username: str,
    expected: list[str],
    absent: list[str],
) -> None:
    _, ids = day_server
    login(page, username)
    main = page.locator("main")
    assert page.get_by_role("heading", name="今日の予定").is_visible()
    text = main.inner_text()
    for phrase in expected:
        assert phrase in text, (username, phrase)
    for phrase in absent:
        assert phrase not in text, (username, phrase)
    _fits(page, "#agenda", width)
    page.screenshot(path=str(artifacts / f"dashboard-{username}-{width}.png"), full_page=True)
    if username == "coord":
        # The line links to the place to act: the follow-up card of the person's page.
        page.get_by_role("link", name="終結後の定期連絡：千葉 太郎").click()
        page.wait_for_url(f"**/people/{ids['closed']}#follow-up")
    if username == "super":
        page.get_by_role("link", name="決定待ちのプラン：山田 花子").click()
        page.wait_for_url(f"**/plans/{ids['plan']}")


def test_search_and_the_duplicate_notice(
    page: Any, day_server: tuple[LiveServer, dict[str, int]], artifacts: Path, width: str
) -> None:
    _, ids = day_server
    login(page, "coord")
    page.goto("/people")
    page.get_by_label("検索").fill("ﾔﾏﾀﾞ")
    page.get_by_role("button", name="検索・絞り込み").click()
    page.wait_for_url("**/people?*q=*")
    rows = page.locator("table.list tbody tr")
    assert "山田 花子" in rows.first.inner_text()
    assert "千葉 太郎" not in page.locator("table.list").inner_text()
    _fits(page, "form.filters", width)
    page.screenshot(path=str(artifacts / f"search-{width}.png"), full_page=True)

    page.goto("/people/new")
    page.get_by_label("氏名").fill("山田 はなこ")
    page.get_by_label("ふりがな").fill("ヤマダ ハナコ")
    page.get_by_label("生年月日").fill("1990-05-01")
    page.get_by_role("button", name="受付する").click()
    notice = page.locator("#possible-duplicates")
    assert notice.is_visible()
    assert "同じ人がすでに登録されているかもしれません" in notice.inner_text()
    link = notice.get_by_role("link", name="山田 花子", exact=False).first
    assert link.get_attribute("href") == f"/people/{ids['yamada']}"
    _fits(page, "#possible-duplicates", width)
    page.screenshot(path=str(artifacts / f"duplicate-notice-{width}.png"), full_page=True)
    # What was typed is kept; confirming registers a new record.
    assert page.get_by_label("ふりがな").input_value() == "ヤマダ ハナコ"
    page.get_by_role("button", name="別の人として受付する").click()
    page.wait_for_url("**/people/*")
    assert "受付しました" in page.locator("main").inner_text()


def test_the_case_file_refuses_impossible_states_in_japanese(
    page: Any, day_server: tuple[LiveServer, dict[str, int]], artifacts: Path, width: str
) -> None:
    """連絡 without a share consent, a fee dated in the future, a proposal on a closed case."""
    _, ids = day_server
    login(page, "coord")
    page.goto(f"/placements/{ids['unconsented']}")
    page.get_by_label("次の段階").select_option("contacted")
    page.get_by_role("button", name="進める").click()
    alert = page.locator(".error-summary").first
    assert "受入先「みどり農園」への情報提供の同意が記録されていない" in alert.inner_text()
    _fits(page, ".error-summary", width)
    page.screenshot(path=str(artifacts / f"refused-contact-{width}.png"), full_page=True)

    page.goto(f"/placements/{ids['trial']}")
    page.get_by_label("活動日（複数はカンマか改行で区切る）").fill("2099-01-05")
    page.get_by_role("button", name="協力費を登録（承認待ち）").click()
    assert "未来の日付です" in page.locator("main").inner_text()
    page.screenshot(path=str(artifacts / f"refused-fee-{width}.png"), full_page=True)

    page.goto(f"/people/{ids['suzuki']}/suggestions")
    page.get_by_role("button", name="この受入先を提案する").first.click()
    page.wait_for_url(f"**/people/{ids['suzuki']}/suggestions")
    assert "このケースは終結しています" in page.locator("main").inner_text()
    page.screenshot(path=str(artifacts / f"refused-closed-{width}.png"), full_page=True)
