"""監査ログ page (auditors and admins): rows without personal data, paging, verification;
and staff display names in the catalog edit history."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from api.web.templating import JST
from casework.permissions import Principal
from casework.services import audit
from resources_catalog import service as catalog
from resources_catalog.records import ResourceRecord
from tests.api.factories import resource
from tests.audit_tampering import lift_audit_triggers
from tests.web.conftest import Web, intake


@pytest.mark.parametrize(
    ("role", "shown"),
    [("auditor", True), ("admin", True), ("coordinator", False), ("finance", False)],
)
def test_audit_log_is_in_the_menu_only_for_roles_that_may_read_it(
    web: Web, role: str, shown: bool
) -> None:
    web.login(web.add_user(role))  # type: ignore[arg-type]
    nav = web.client.get("/dashboard").text.split("</nav>")[0]
    assert (">監査ログ<" in nav) is shown
    assert web.client.get("/audit").status_code == (200 if shown else 403)


def test_audit_rows_name_the_staff_member_and_hold_no_personal_values(web: Web) -> None:
    coordinator = web.add_user("coordinator")
    web.login(coordinator)
    person_id = intake(web, name="監査 太郎", phone="043-000-0000")
    web.login(web.add_user("auditor"))
    page = web.client.get("/audit")
    assert page.status_code == 200
    assert "coordinator 職員" in page.text and f"user:{coordinator.id}" not in page.text
    assert "本人情報の登録" in page.text and f"本人情報 {person_id}" in page.text
    assert "testclient" in page.text  # where from
    assert "監査 太郎" not in page.text and "043-000-0000" not in page.text


def test_audit_log_pages_to_older_rows(web: Web) -> None:
    system = Principal(kind="system", id=0)
    for n in range(60):
        audit.record(web.db, system, "test.row", "thing", n)
    web.db.flush()
    web.login(web.add_user("auditor"))
    first = web.client.get("/audit").text
    older = re.search(r'href="/audit\?before=(\d+)"', first)
    assert older, "no link to older rows"
    ids = [int(i) for i in re.findall(r"<tr>\s*<td>(\d+)</td>", first)]
    assert len(ids) == 50 and ids == sorted(ids, reverse=True)
    second = web.client.get(f"/audit?before={older.group(1)}").text
    second_ids = [int(i) for i in re.findall(r"<tr>\s*<td>(\d+)</td>", second)]
    assert second_ids and max(second_ids) < min(ids)
    assert 'href="/audit">最新へ' in second


def test_audit_log_rejects_a_bad_page_parameter(web: Web) -> None:
    web.login(web.add_user("auditor"))
    assert web.client.get("/audit?before=0").status_code == 422


def test_verify_says_ok_on_an_intact_chain(web: Web) -> None:
    web.login(web.add_user("auditor"))
    response = web.post("/audit/verify", {})
    assert response.status_code == 303 and response.headers["location"] == "/audit"
    assert "検証OK" in web.client.get("/audit").text


def test_verify_names_the_first_bad_row(web: Web) -> None:
    web.login(web.add_user("auditor"))
    web.client.get("/audit")
    bad_id = web.db.execute(text("SELECT min(id) + 1 FROM audit_log")).scalar_one()
    # Tamper below the ORM (its hooks refuse updates), as an attacker with SQL access would.
    lift_audit_triggers(web.db)
    web.db.execute(text("UPDATE audit_log SET action = 'x' WHERE id = :i"), {"i": bad_id})
    web.db.flush()
    web.post("/audit/verify", {})
    page = web.client.get("/audit").text
    assert f"検証NG: 記録 ID {bad_id} から先" in page


def test_verify_needs_the_csrf_token(web: Web) -> None:
    web.login(web.add_user("auditor"))
    response = web.client.post("/audit/verify", data={})
    assert response.status_code == 403
    assert "送信を受け付けられませんでした" in response.text


def test_catalog_history_shows_the_staff_members_name(web: Web) -> None:
    maintainer = web.add_user("catalog_maintainer")
    record = ResourceRecord.model_validate(resource("R009"))
    catalog.create_resource(web.db, record, actor=f"user:{maintainer.id}")
    catalog.create_resource(
        web.db, ResourceRecord.model_validate(resource("R010")), actor="api_client:7"
    )
    web.db.flush()
    web.login(web.add_user("coordinator"))
    page = web.client.get("/catalog/R009").text.split("編集履歴")[1]
    assert "catalog_maintainer 職員" in page and f"user:{maintainer.id}" not in page
    other = web.client.get("/catalog/R010").text.split("編集履歴")[1]
    assert "api_client:7" in other


def test_a_person_page_view_writes_one_audit_row_naming_its_reads(web: Web) -> None:
    from sqlalchemy import select

    from casework.models import AuditLog

    web.login(web.add_user("coordinator"))
    person_id = intake(web, name="閲覧 花子")
    before = web.db.scalar(select(AuditLog.id).order_by(AuditLog.id.desc()).limit(1))
    assert web.client.get(f"/people/{person_id}").status_code == 200
    rows = web.db.scalars(select(AuditLog).where(AuditLog.id > before)).all()
    assert [(r.action, r.entity_id) for r in rows] == [("page.view", str(person_id))]
    assert rows[0].detail is not None and "person.read" in rows[0].detail["reads"]


def test_action_codes_read_in_japanese() -> None:
    from api.web.audit_labels import action_label

    assert action_label("person.read") == "本人情報の閲覧"
    assert action_label("plan.decide") == "支援プランの決定"
    assert action_label("page.view") == "画面の閲覧"
    assert action_label("fee.approve") == "協力費の承認"
    assert action_label("mystery.thing") == "mystery.thing"  # unknown: the code, not a guess


def _row_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r"<tr>\s*<td>(\d+)</td>", html)]


def test_audit_log_filters_by_person_staff_action_and_period(web: Web) -> None:
    first = web.add_user("coordinator", username="c-first")
    second = web.add_user("coordinator", username="c-second")
    web.login(first)
    one = intake(web, name="一 太郎")
    web.login(second)
    two = intake(web, name="二 花子", born_on="1985-01-01")
    web.client.get(f"/people/{one}")
    web.login(web.add_user("auditor"))
    rows = {
        r.id: r for r in audit.read_audit_log(web.db, Principal(kind="system", id=0), limit=1000)
    }

    by_person = web.client.get(f"/audit?person={one}").text
    ids = _row_ids(by_person)
    assert ids and all(rows[i].entity_id == str(one) for i in ids if i in rows)
    assert all(rows[i].entity_type == "person" for i in ids if i in rows)

    by_staff = web.client.get(f"/audit?staff={second.id}").text
    ids = _row_ids(by_staff)
    assert ids and all(f"user:{second.id}" in rows[i].actor for i in ids if i in rows)
    assert {rows[i].entity_id for i in ids if i in rows} >= {str(one), str(two)}

    created = web.client.get("/audit?action=person.create").text
    ids = _row_ids(created)
    assert len(ids) == 2 and all(rows[i].action == "person.create" for i in ids)
    assert '<option value="person.create" selected>本人情報の登録</option>' in created

    assert _row_ids(web.client.get("/audit?to=2000-01-01").text) == []
    today = rows[max(rows)].occurred_at.astimezone(JST).date().isoformat()
    assert _row_ids(web.client.get(f"/audit?from={today}&to={today}").text)


def test_paging_keeps_the_filters(web: Web) -> None:
    system = Principal(kind="system", id=0)
    for n in range(55):
        audit.record(web.db, system, "test.row", "thing", n)
        audit.record(web.db, system, "test.other", "thing", n)
    web.db.flush()
    web.login(web.add_user("auditor"))
    first = web.client.get("/audit?action=test.row").text
    older = re.search(r'href="/audit\?action=test.row&amp;before=(\d+)"', first)
    assert older, "the older-rows link lost the filter"
    second = web.client.get(f"/audit?action=test.row&before={older.group(1)}").text
    assert len(_row_ids(second)) == 5


def test_one_page_view_writes_one_audit_row(web: Web) -> None:
    web.login(web.add_user("coordinator"))
    person_id = intake(web)
    pages = [
        f"/people/{person_id}",
        f"/people/{person_id}/suggestions",
        f"/people/{person_id}/edit",
        f"/people/{person_id}/profile",
        f"/people/{person_id}/consents/new",
        f"/people/{person_id}/timeline",
        f"/people/{person_id}/meetings",
        f"/people/{person_id}/evaluations/new",
        "/people",
        # /dashboard is being rebuilt (wt10a); it still writes one row per list it reads.
    ]
    for path in pages:
        before = web.db.execute(text("SELECT count(*) FROM audit_log")).scalar_one()
        response = web.client.get(path)
        assert response.status_code == 200, path
        after = web.db.execute(text("SELECT count(*) FROM audit_log")).scalar_one()
        assert after - before <= 1, f"{path} wrote {after - before} audit rows"
