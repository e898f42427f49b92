"""取消（訂正）of approved or paid cooperation fees, from the ledger and the placement page."""

from __future__ import annotations

import re

from sqlalchemy import select

from casework.models import StaffUser
from tests.web.conftest import Web
from tests.web.test_workflow import (
    test_coordinator_goes_from_intake_to_a_fee_and_a_printed_plan as coordinator_flow,
)


def _approved_fee(web: Web) -> tuple[int, str]:
    """The workflow's 2,000円 fee, approved by finance; (fee id, placement path)."""
    coordinator_flow(web)
    placement_path = re.search(r'href="(/placements/\d+)"', web.client.get("/fees?fy=2026").text)
    assert placement_path
    web.login(web.add_user("finance"))
    ledger = web.client.get("/fees?fy=2026").text
    found = re.search(r'action="/fees/(\d+)/approve"', ledger)
    assert found
    assert web.post(f"/fees/{found.group(1)}/approve", {"fy": "2026"}).status_code == 303
    return int(found.group(1)), placement_path.group(1)


def _as_coordinator(web: Web) -> None:
    web.login(web.db.scalars(select(StaffUser).where(StaffUser.username == "coord")).one())


def _key(html: str, fee_id: int, action: str) -> str:
    form = html.split(f'action="{action}"')[1].split("</form>")[0]
    found = re.search(r'name="idempotency_key" value="([^"]+)"', form)
    assert found, f"no idempotency key in the form of fee {fee_id}"
    return found.group(1)


def test_only_fee_writers_see_the_reverse_button_on_approved_entries(web: Web) -> None:
    fee_id, _ = _approved_fee(web)
    assert f"/fees/{fee_id}/reverse" not in web.client.get("/fees?fy=2026").text  # finance
    _as_coordinator(web)
    ledger = web.client.get("/fees?fy=2026").text
    assert f'action="/fees/{fee_id}/reverse"' in ledger and "取消（訂正）" in ledger
    assert f'<label for="rv-{fee_id}">取消の理由</label>' in ledger


def test_reversal_from_the_ledger_is_a_negative_draft_and_a_resend_is_not_doubled(
    web: Web,
) -> None:
    fee_id, _ = _approved_fee(web)
    _as_coordinator(web)
    action = f"/fees/{fee_id}/reverse"
    key = _key(web.client.get("/fees?fy=2026").text, fee_id, action)
    data = {"fy": "2026", "reason": "活動日の誤り", "idempotency_key": key}
    first = web.post(action, data)
    assert first.status_code == 303 and first.headers["location"] == "/fees?fy=2026"
    ledger = web.client.get("/fees?fy=2026").text
    assert f"協力費 {fee_id} の取消（-2,000円）を登録しました" in ledger
    assert f"取消: {fee_id}" in ledger and "-2,000円" in ledger
    assert action not in ledger  # already reversed: no second button
    web.post(action, data)
    ledger = web.client.get("/fees?fy=2026").text
    assert "この取消はすでに登録されています" in ledger
    assert ledger.count(f"取消: {fee_id}") == 1


def test_reversal_without_a_reason_is_shown_again_with_the_key_kept(web: Web) -> None:
    fee_id, _ = _approved_fee(web)
    _as_coordinator(web)
    response = web.post(
        f"/fees/{fee_id}/reverse", {"fy": "2026", "reason": " ", "idempotency_key": "key-12345678"}
    )
    assert response.status_code == 422
    assert f"協力費 {fee_id} の取消: 取消の理由: 入力してください。" in response.text
    assert (
        'value="key-12345678"' in response.text
        and '<details class="inline-details" open>' in response.text
    )


def test_reversal_needs_the_csrf_token(web: Web) -> None:
    fee_id, _ = _approved_fee(web)
    _as_coordinator(web)
    response = web.client.post(
        f"/fees/{fee_id}/reverse", data={"reason": "x", "idempotency_key": "key-12345678"}
    )
    assert response.status_code == 403
    assert f"取消: {fee_id}" not in web.client.get("/fees?fy=2026").text


def test_finance_may_not_reverse(web: Web) -> None:
    fee_id, _ = _approved_fee(web)
    response = web.post(
        f"/fees/{fee_id}/reverse", {"reason": "x", "idempotency_key": "key-12345678"}
    )
    assert response.status_code == 403


def test_a_draft_cannot_be_reversed_and_says_why(web: Web) -> None:
    coordinator_flow(web)
    fee_id = re.search(r"<td>(\d+)</td>", web.client.get("/fees?fy=2026").text)
    assert fee_id
    response = web.post(
        f"/fees/{fee_id.group(1)}/reverse",
        {"fy": "2026", "reason": "誤り", "idempotency_key": "key-12345678"},
    )
    assert response.status_code == 422
    assert "現在の状態（承認待ち）からは「取消」の操作はできません" in response.text


def test_reversal_from_the_placement_page(web: Web) -> None:
    fee_id, placement_path = _approved_fee(web)
    _as_coordinator(web)
    action = f"{placement_path}/fees/{fee_id}/reverse"
    page = web.client.get(placement_path).text
    assert f'action="{action}"' in page
    key = _key(page, fee_id, action)
    empty = web.post(action, {"reason": "", "idempotency_key": key})
    assert empty.status_code == 422 and "取消の理由: 入力してください。" in empty.text
    assert f'value="{key}"' in empty.text
    done = web.post(action, {"reason": "受入先の請求取り下げ", "idempotency_key": key})
    assert done.status_code == 303 and done.headers["location"] == f"{placement_path}#fees"
    page = web.client.get(placement_path).text
    assert "-2,000円" in page and "受入先の請求取り下げ" in page
    twice = web.post(action, {"reason": "もう一度", "idempotency_key": "another-key-123"})
    assert twice.status_code == 422
    assert "この協力費にはすでに取消の記録があります。" in twice.text
    assert f'action="{action}"' not in twice.text  # nothing left to reverse
