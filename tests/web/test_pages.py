"""Page behaviour with TestClient: sign-in, roles, CSRF, error re-display, uploads, conflicts."""

from __future__ import annotations

import re

import pytest

from tests.api.factories import catalog_csv, resource
from tests.web.conftest import Web, csrf_of, intake
from tests.web.test_workflow import (
    test_coordinator_goes_from_intake_to_a_fee_and_a_printed_plan as coordinator_flow,
)


def test_pages_redirect_to_login_when_signed_out(web: Web) -> None:
    response = web.client.get("/people?status=open", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/people%3Fstatus%3Dopen"


def test_wrong_password_says_so_in_japanese_and_keeps_the_user_name(web: Web) -> None:
    web.add_user("coordinator", "coord")
    page = web.client.get("/login")
    response = web.client.post(
        "/login",
        data={"username": "coord", "password": "nope", "csrf_token": csrf_of(page.text)},
    )
    assert response.status_code == 401
    assert "ユーザー名またはパスワードが違います" in response.text
    assert 'value="coord"' in response.text


def test_login_then_logout_ends_the_session(web: Web) -> None:
    web.login(web.add_user("coordinator"))
    assert web.client.get("/dashboard").status_code == 200
    assert web.post("/logout", {}).status_code == 303
    assert web.client.get("/dashboard", follow_redirects=False).status_code == 303


def test_login_does_not_redirect_to_another_site(web: Web) -> None:
    user = web.add_user("coordinator", "coord")
    page = web.client.get("/login?next=//evil.example/")
    response = web.client.post(
        "/login",
        data={"username": user.username, "password": "correct horse battery",
              "next": "//evil.example/", "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )  # fmt: skip
    assert response.headers["location"] == "/dashboard"


def test_post_without_csrf_token_is_refused(web: Web) -> None:
    web.login(web.add_user("coordinator"))
    response = web.client.post("/people/new", data={"name": "千葉 花子"})
    assert response.status_code == 403
    assert "送信を受け付けられませんでした" in response.text
    assert web.client.get("/people").text.count("千葉 花子") == 0


def test_login_form_needs_the_csrf_token_too(web: Web) -> None:
    web.add_user("coordinator", "coord")
    response = web.client.post(
        "/login", data={"username": "coord", "password": "correct horse battery"}
    )
    assert response.status_code == 403


def test_session_cookie_is_http_only_and_same_site(web: Web) -> None:
    web.add_user("coordinator", "coord")
    response = web.client.get("/login")
    cookie = response.headers["set-cookie"]
    assert "tsunagu_session=" in cookie
    assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
    # The cookie lives as long as a sign-in may (10 h); idleness is checked on the server,
    # so an idle session can be told apart and the sign-in page says why.
    assert "Max-Age=36000" in cookie


@pytest.mark.parametrize(
    ("role", "visible", "hidden"),
    [
        ("coordinator", ["本人一覧", "受入先カタログ", "協力費台帳"], []),
        ("catalog_maintainer", ["受入先カタログ"], ["本人一覧", "協力費台帳"]),
        ("finance", ["協力費台帳", "受入先カタログ"], ["本人一覧", "新規受付"]),
        ("auditor", [], ["本人一覧", "受入先カタログ", "協力費台帳"]),
    ],
)
def test_menu_shows_only_what_the_role_allows(
    web: Web, role: str, visible: list[str], hidden: list[str]
) -> None:
    web.login(web.add_user(role))  # type: ignore[arg-type]
    nav = web.client.get("/dashboard").text.split("</nav>")[0]
    for label in visible:
        assert f">{label}<" in nav
    for label in hidden:
        assert f">{label}<" not in nav


@pytest.mark.parametrize(
    ("role", "path"),
    [("catalog_maintainer", "/people"), ("finance", "/people/new"), ("coordinator", "/catalog/new"),
     ("auditor", "/fees"), ("coordinator", "/catalog/import")],
)  # fmt: skip
def test_pages_outside_the_role_are_forbidden(web: Web, role: str, path: str) -> None:
    web.login(web.add_user(role))  # type: ignore[arg-type]
    response = web.client.get(path)
    assert response.status_code == 403
    assert "権限がありません" in response.text


def test_coordinator_cannot_open_another_teams_person(web: Web) -> None:
    web.login(web.add_user("coordinator", team="team-a"))
    person_id = intake(web)
    web.login(web.add_user("coordinator", team="team-b"))
    response = web.client.get(f"/people/{person_id}")
    assert response.status_code == 403
    assert "担当またはチームのケースではない" in response.text


def test_intake_errors_keep_what_was_typed_and_name_the_field(web: Web) -> None:
    web.login(web.add_user("coordinator"))
    response = web.post(
        "/people/new",
        {"name": "", "furigana": "ちば はなこ", "born_on": "1990-13-45", "ward": "東京区",
         "phone": "043-000-0000"},
    )  # fmt: skip
    assert response.status_code == 422
    text = response.text
    assert "氏名: 入力してください。" in text
    assert "生年月日: 日付の形式が正しくありません" in text
    assert "区: 千葉市の区" in text
    assert 'value="ちば はなこ"' in text and 'value="043-000-0000"' in text


def test_needs_profile_keeps_ticked_days_when_invalid(web: Web) -> None:
    web.login(web.add_user("coordinator"))
    person_id = intake(web)
    response = web.post(
        f"/people/{person_id}/profile",
        {"needs_text": "料理", "days": ["mon", "fri"], "max_travel_km": "-3"},
    )
    assert response.status_code == 422
    assert "移動できる距離: 0より大きい値を入力してください。" in response.text
    assert 'value="mon" checked' in response.text and 'value="fri" checked' in response.text
    assert 'value="tue" checked' not in response.text


def test_suggestions_need_consent_first(web: Web) -> None:
    web.add_resources("R001")
    web.login(web.add_user("coordinator"))
    person_id = intake(web)
    web.post(f"/people/{person_id}/profile", {"needs_text": "畑", "days": ["tue"]})
    web.post(f"/people/{person_id}/suggestions/run", {})
    page = web.client.get(f"/people/{person_id}/suggestions")
    assert "本人の同意（マッチングのためのセンター内での利用）が登録されていない" in page.text


def test_proposing_before_the_plan_is_decided_is_explained(web: Web) -> None:
    web.add_resources("R001")
    web.login(web.add_user("coordinator"))
    person_id = intake(web)
    web.post(
        f"/people/{person_id}/consents/new",
        {"scope": "matching", "given_on": "2026-11-02", "method": "verbal"},
    )
    web.post(f"/people/{person_id}/profile", {"needs_text": "畑", "days": ["tue", "thu"]})
    web.post(f"/people/{person_id}/suggestions/run", {})
    response = web.post(f"/people/{person_id}/suggestions/propose", {"resource_id": "R001"})
    assert response.status_code == 303
    page = web.client.get(response.headers["location"])
    assert "支援がまだ始まっていません" in page.text


def test_plan_submit_without_issues_says_what_is_missing(web: Web) -> None:
    web.login(web.add_user("coordinator"))
    person_id = intake(web)
    plan_path = web.post(f"/people/{person_id}/plans/new", {}).headers["location"]
    response = web.post(f"{plan_path}/submit", {})
    page = web.client.get(response.headers["location"])
    assert "「解決したい課題」と「目標」を入力してください" in page.text


def test_plan_action_row_error_names_the_row(web: Web) -> None:
    web.login(web.add_user("coordinator"))
    person_id = intake(web)
    plan_path = web.post(f"/people/{person_id}/plans/new", {}).headers["location"]
    response = web.post(
        plan_path,
        {"issues_text": "課題", "actions.0.actor_kind": "nobody", "actions.0.content": "同行",
         "period_end_on": "2027-02-30"},
    )  # fmt: skip
    assert response.status_code == 422
    assert "実施内容 1行目 実施者: 選択肢から選んでください。" in response.text
    assert "プラン期間: 日付の形式が正しくありません" in response.text
    assert ">課題</textarea>" in response.text


def test_evaluation_no_change_with_ticks_is_refused_in_japanese(web: Web) -> None:
    web.login(web.add_user("coordinator"))
    person_id = intake(web)
    response = web.post(
        f"/people/{person_id}/evaluations/new",
        {"evaluated_on": "2026-11-20", "changes": ["isolation_resolved"], "no_change": "1"},
    )
    assert response.status_code == 422
    assert "「この間に変化は見られなかった」と他の変化は同時に選べません" in response.text
    assert 'value="isolation_resolved" checked' in response.text


def test_evaluation_print_has_every_checklist_item(web: Web) -> None:
    from casework.checklists import CHANGE_ITEMS

    web.login(web.add_user("coordinator"))
    person_id = intake(web)
    created = web.post(
        f"/people/{person_id}/evaluations/new",
        {"evaluated_on": "2026-11-20", "changes": ["job_retention"], "wish": "continue"},
    )
    page = web.client.get(created.headers["location"])
    assert page.status_code == 200
    for item in CHANGE_ITEMS:
        assert item.label_ja in page.text
    for label in (
        "評価シート",
        "評価記入日",
        "現在の状況と",
        "本人の希望",
        "スタッフの意見",
        "終結を希望",
    ):
        assert label in page.text
    assert "☑</span>職場定着" in page.text


def test_catalog_upload_previews_new_changed_and_invalid_rows(web: Web) -> None:
    web.add_resources("R001")
    web.login(web.add_user("catalog_maintainer"))
    body = catalog_csv(
        [resource("R001", name="名前を変えた"), resource("R002"),
         resource("R003", ward="東京区")]
    )  # fmt: skip
    response = web.post("/catalog/import", {}, files={"file": ("c.csv", body, "text/csv")})
    assert response.status_code == 200
    text = response.text
    assert "新規 <strong>1</strong>件" in text and "変更 <strong>1</strong>件" in text
    assert "4行目" in text and "東京区" in text
    # Nothing was written by the preview.
    assert web.client.get("/catalog/R002").status_code == 404


def test_catalog_apply_valid_rows_only(web: Web) -> None:
    web.login(web.add_user("catalog_maintainer"))
    body = catalog_csv([resource("R002"), resource("R003", ward="東京区")])
    preview = web.post("/catalog/import", {}, files={"file": ("c.csv", body, "text/csv")})
    token = preview.text.split('name="token" value="')[1].split('"')[0]
    applied = web.post("/catalog/import/apply", {"token": token, "mode": "valid_only"})
    assert applied.status_code == 303
    assert web.client.get("/catalog/R002").status_code == 200
    assert web.client.get("/catalog/R003").status_code == 404


def test_catalog_apply_needs_the_uploaders_session(web: Web) -> None:
    web.login(web.add_user("catalog_maintainer"))
    body = catalog_csv([resource("R002")])
    preview = web.post("/catalog/import", {}, files={"file": ("c.csv", body, "text/csv")})
    token = preview.text.split('name="token" value="')[1].split('"')[0]
    web.login(web.add_user("catalog_maintainer"))
    response = web.post("/catalog/import/apply", {"token": token, "mode": "all"})
    assert web.client.get(response.headers["location"]).text.count("もう一度アップロード") == 1
    assert web.client.get("/catalog/R002").status_code == 404


def test_catalog_edit_of_a_stale_version_is_refused_with_a_clear_message(web: Web) -> None:
    web.add_resources("R001")
    web.login(web.add_user("catalog_maintainer"))
    form = web.client.get("/catalog/R001/edit").text
    assert 'name="version" value="1"' in form
    data = {k: v for k, v in resource("R001").items() if isinstance(v, str | int | float)}
    data.pop("resource_id")
    data.update({"days": ["tue"], "categories": ["farm"], "version": "1"})
    data.update({"participant_cost_yen": "0", "cooperation_fee_yen": "0"})
    first = web.post("/catalog/R001/edit", {**data, "name": "一人目の変更"})
    assert first.status_code == 303
    second = web.post("/catalog/R001/edit", {**data, "name": "二人目の変更"})
    assert second.status_code == 409
    assert "他の人が先にこの受入先を更新しました" in second.text
    assert 'value="二人目の変更"' in second.text
    assert "一人目の変更" in web.client.get("/catalog/R001").text


def test_catalog_edit_rule_errors_are_shown_beside_the_field(web: Web) -> None:
    web.add_resources("R001")
    web.login(web.add_user("catalog_maintainer"))
    data = {"name": "畑", "organization": "NPO", "capacity_total": "2",
            "capacity_remaining": "5", "participant_cost_yen": "0", "cooperation_fee_yen": "0",
            "start_time": "9時", "version": "1"}  # fmt: skip
    response = web.post("/catalog/R001/edit", data)
    assert response.status_code == 422
    assert "開始時刻: 形式が正しくありません" in response.text


def test_catalog_search_and_export(web: Web) -> None:
    web.add_resources("R001", "R002", name="農園の手伝い")
    web.login(web.add_user("coordinator"))
    page = web.client.get("/catalog?q=農園&ward=若葉区")
    assert page.status_code == 200 and "2件中" in page.text
    export = web.client.get("/catalog/export.xlsx")
    assert export.status_code == 200 and export.content[:2] == b"PK"


def test_finance_approves_and_rejects_fees_and_downloads_xlsx(web: Web) -> None:
    coordinator_flow(web)
    web.login(web.add_user("finance"))
    ledger = web.client.get("/fees?fy=2026")
    assert "承認待ち" in ledger.text and "2,000円" in ledger.text
    found = re.search(r'action="/fees/(\d+)/approve"', ledger.text)
    assert found
    fee_id = found.group(1)
    assert web.post("/fees/budget", {"fy": "2026", "budget_yen": "1500"}).status_code == 303
    over = web.post(f"/fees/{fee_id}/approve", {"fy": "2026"})
    assert "予算を超えます" in web.client.get(over.headers["location"]).text
    web.post("/fees/budget", {"fy": "2026", "budget_yen": "100000"})
    web.post(f"/fees/{fee_id}/approve", {"fy": "2026"})
    ledger = web.client.get("/fees?fy=2026&state=approved")
    assert "承認済み" in ledger.text and "98,000円" in ledger.text
    export = web.client.get("/fees/export.xlsx?fy=2026")
    assert export.status_code == 200 and export.content[:2] == b"PK"


def test_dashboard_lists_quiet_placements(web: Web) -> None:
    coordinator_flow(web)
    page = web.client.get("/dashboard?no_contact_days=1")
    assert page.status_code == 200
    assert "1日以上連絡のない定着支援" in page.text
