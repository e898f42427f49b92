"""終結 and フォローアップ on the person page: close, reopen, contacts, interval, end."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from api.web.helpers import today
from tests.web.conftest import Web, intake


def _close(web: Web, person_id: int, **overrides: str) -> Any:
    data = {"closed_on": "2026-12-01", "reason": "stable", "follow_up_interval_days": "90"}
    data.update(overrides)
    return web.post(f"/people/{person_id}/close", data)


def test_closing_shows_the_closed_status_and_the_next_follow_up_date(web: Web) -> None:
    web.login(web.add_user("coordinator"))
    person_id = intake(web)
    page = web.client.get(f"/people/{person_id}")
    assert f'action="/people/{person_id}/close"' in page.text
    assert '<label for="f-reason">' in page.text

    response = _close(web, person_id, note="他機関へ")
    assert response.status_code == 303
    assert response.headers["location"] == f"/people/{person_id}#follow-up"
    page = web.client.get(f"/people/{person_id}")
    assert "2026年12月1日付けで終結しました" in page.text
    assert "終結（2026年12月1日）" in page.text
    assert "つながりができ関係が安定した" in page.text
    assert "90日ごと" in page.text and "2027年3月1日" in page.text  # next due = +90 days
    assert f'action="/people/{person_id}/reopen"' in page.text
    assert f'action="/people/{person_id}/close"' not in page.text


def test_closure_errors_are_in_japanese_and_keep_what_was_typed(web: Web) -> None:
    web.login(web.add_user("coordinator"))
    person_id = intake(web)
    response = _close(web, person_id, reason="", follow_up_interval_days="0", note="メモ残す")
    assert response.status_code == 422
    text = response.text
    assert "終結の理由" in text and "入力してください。" in text
    assert "フォローアップ間隔: 1以上の値を入力してください。" in text
    assert 'value="0"' in text and "メモ残す" in text and 'value="2026-12-01"' in text
    assert "支援中" in web.client.get(f"/people/{person_id}").text


def test_unknown_closure_reason_is_refused_by_the_service_in_japanese(web: Web) -> None:
    web.login(web.add_user("coordinator"))
    person_id = intake(web)
    response = _close(web, person_id, reason="bored")
    assert response.status_code == 422
    assert "終結の理由を選択肢から選んでください。" in response.text


def test_closing_without_the_csrf_token_is_refused(web: Web) -> None:
    web.login(web.add_user("coordinator"))
    person_id = intake(web)
    response = web.client.post(
        f"/people/{person_id}/close", data={"closed_on": "2026-12-01", "reason": "stable"}
    )
    assert response.status_code == 403
    assert "支援中" in web.client.get(f"/people/{person_id}").text


def test_only_roles_with_the_case_may_close_it(web: Web) -> None:
    web.login(web.add_user("coordinator", team="team-a"))
    person_id = intake(web)
    web.login(web.add_user("finance"))
    assert _close(web, person_id).status_code == 403
    web.login(web.add_user("coordinator", team="team-b"))
    response = _close(web, person_id)
    assert response.status_code == 403
    assert "担当またはチームのケースではない" in response.text
    web.login(web.add_user("supervisor"))
    page = web.client.get(f"/people/{person_id}")
    assert "支援中" in page.text and f'action="/people/{person_id}/close"' in page.text


def test_reopen_resumes_support_and_ends_the_follow_up(web: Web) -> None:
    web.login(web.add_user("coordinator"))
    person_id = intake(web)
    _close(web, person_id)
    assert web.post(f"/people/{person_id}/reopen", {}).status_code == 303
    page = web.client.get(f"/people/{person_id}")
    assert "支援を再開しました" in page.text
    assert f'action="/people/{person_id}/close"' in page.text
    again = web.post(f"/people/{person_id}/reopen", {})
    assert (
        "現在の状態（支援中）からは「再開」の操作はできません"
        in web.client.get(again.headers["location"]).text
    )


def test_follow_up_contact_moves_the_next_due_date(web: Web) -> None:
    web.login(web.add_user("coordinator"))
    person_id = intake(web)
    _close(web, person_id, follow_up_interval_days="30")
    response = web.post(
        f"/people/{person_id}/follow-up/contacts",
        {"contacted_on": "2026-12-05", "method": "phone", "note": "元気に通っている"},
    )
    assert response.status_code == 303
    page = web.client.get(f"/people/{person_id}")
    assert "フォローアップの連絡を記録しました" in page.text
    assert "元気に通っている" in page.text and "電話" in page.text
    assert "2027年1月4日" in page.text  # 2026-12-05 + 30 days

    assert (
        web.post(f"/people/{person_id}/follow-up/interval", {"interval_days": "60"}).status_code
        == 303
    )
    page = web.client.get(f"/people/{person_id}")
    assert "60日ごと" in page.text and "2027年2月3日" in page.text


def test_follow_up_errors_keep_the_typed_values(web: Web) -> None:
    web.login(web.add_user("coordinator"))
    person_id = intake(web)
    _close(web, person_id)
    bad = web.post(
        f"/people/{person_id}/follow-up/contacts",
        {"contacted_on": "2027-13-01", "method": "phone", "note": "書きかけ"},
    )
    assert bad.status_code == 422
    assert "連絡日: 日付の形式が正しくありません" in bad.text
    assert "書きかけ" in bad.text and 'value="2027-13-01"' in bad.text
    interval = web.post(f"/people/{person_id}/follow-up/interval", {"interval_days": "abc"})
    assert interval.status_code == 422
    assert (
        "連絡の間隔: 整数で入力してください。" in interval.text and 'value="abc"' in interval.text
    )


def test_ending_the_follow_up_removes_the_forms(web: Web) -> None:
    web.login(web.add_user("coordinator"))
    person_id = intake(web)
    _close(web, person_id)
    assert (
        web.post(f"/people/{person_id}/follow-up/end", {"ended_on": "2027-04-01"}).status_code
        == 303
    )
    page = web.client.get(f"/people/{person_id}")
    assert "フォローアップは2027年4月1日に終了しました" in page.text
    assert "/follow-up/contacts" not in page.text
    gone = web.post(f"/people/{person_id}/follow-up/end", {"ended_on": "2027-04-02"})
    assert gone.status_code == 422 and "対象が見つかりません" in gone.text


def test_dashboard_links_an_overdue_follow_up_to_the_section(web: Web) -> None:
    web.login(web.add_user("coordinator"))
    person_id = intake(web)
    closed_on = (today() - timedelta(days=40)).isoformat()
    _close(web, person_id, closed_on=closed_on, follow_up_interval_days="30")
    page = web.client.get("/dashboard")
    assert re.search(rf'href="/people/{person_id}#follow-up"', page.text)
    assert "10日超過" in page.text
