"""The prospect page: register with contacts, log contacts and notes, agree conditions, 登録."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from casework.models import AuditLog
from development.models import Prospect, ProspectEvent
from resources_catalog import service as catalog
from resources_catalog.errors import ResourceNotFound
from tests.web.conftest import Web


def _add(web: Web) -> Prospect:
    created = web.post(
        "/prospects",
        {
            "name": "いなげ農園",
            "ward": "稲毛区",
            "theme": "farm",
            "address": "千葉市稲毛区稲毛東3丁目",
            "contact_name": "山田",
            "phone": "043-000-0000",
        },
    )
    assert created.status_code == 303
    return web.db.scalars(select(Prospect).where(Prospect.name == "いなげ農園")).one()


def test_prospect_goes_from_form_to_catalog_entry_on_the_pages(web: Web) -> None:
    web.login(web.add_user("coordinator"))
    prospect = _add(web)
    assert (prospect.contact_name, prospect.phone) == ("山田", "043-000-0000")
    assert f'href="/prospects/{prospect.id}"' in web.client.get("/prospects").text

    edited = web.post(
        f"/prospects/{prospect.id}/contact",
        {"contact_name": "佐藤", "phone": "043-111-2222", "email": "farm@example.jp"},
    )
    assert edited.status_code == 303 and edited.headers["location"] == f"/prospects/{prospect.id}"
    web.post(f"/prospects/{prospect.id}/notes", {"kind": "contact", "note": "畑を見学した"})
    web.post(f"/prospects/{prospect.id}/moves", {"to": "negotiating", "back": "detail"})
    saved = web.post(
        f"/prospects/{prospect.id}/conditions",
        {
            "within_core_business": "1",
            "offer": "畑の草取りと収穫",
            "for_whom": "体を動かしたい方",
            "place": "千葉市稲毛区長沼町",
            "days": ["tue", "fri"],
            "start_time": "09:00",
            "end_time": "12:00",
            "capacity": "2",
            "cooperation_fee_yen": "500",
        },
    )
    assert saved.status_code == 303
    page = web.client.get(f"/prospects/{prospect.id}").text
    assert "合意した条件を保存しました。" in page
    assert "佐藤" in page and "畑を見学した" in page and "連絡・訪問" in page
    assert 'value="畑の草取りと収穫"' in page and "本来業務に支障のない範囲" in page
    assert "登録済にする" not in page  # not yet 合意

    web.post(f"/prospects/{prospect.id}/moves", {"to": "agreed", "back": "detail"})
    assert "登録済にする" in web.client.get(f"/prospects/{prospect.id}").text
    done = web.post(
        f"/prospects/{prospect.id}/register", {"resource_id": "DEV-FARM-1", "categories": []}
    )
    assert done.status_code == 303
    page = web.client.get(f"/prospects/{prospect.id}").text
    assert "受入先カタログに「DEV-FARM-1」を作成しました。" in page
    assert 'href="/catalog/DEV-FARM-1"' in page
    web.db.refresh(prospect)
    assert prospect.stage == "registered" and prospect.email == "farm@example.jp"
    record = catalog.get_resource(web.db, "DEV-FARM-1").record
    assert record.organization == "いなげ農園" and record.name == "畑の草取りと収穫"
    assert record.days == ["tue", "fri"] and record.capacity_remaining == 2
    assert record.address == "千葉市稲毛区長沼町"  # the place agreed, not the office
    assert "本来業務に支障のない範囲" in (record.description or "")
    kinds = web.db.scalars(
        select(ProspectEvent.kind).where(ProspectEvent.prospect_id == prospect.id)
    ).all()
    assert {"contact_details", "contact", "conditions", "stage"} <= set(kinds)
    actions = set(
        web.db.scalars(select(AuditLog.action).where(AuditLog.entity_id == str(prospect.id)))
    )
    assert {"prospect.contact_details", "prospect.conditions", "prospect.register"} <= actions


def test_bad_values_on_the_prospect_page_come_back_as_messages(web: Web) -> None:
    web.login(web.add_user("coordinator"))
    prospect = _add(web)
    attempts = [
        ("conditions", {"offer": "", "capacity": "2"}, "条件を保存できませんでした"),
        (
            "conditions",
            {"offer": "清掃", "start_time": "12:00", "end_time": "09:00"},
            "条件を保存できませんでした",
        ),
        ("conditions", {"offer": "清掃", "capacity": "多い"}, "条件を保存できませんでした"),
        ("notes", {"kind": "note", "note": ""}, "記録できませんでした"),
        ("contact", {"email": "x" * 300}, "連絡先を保存できませんでした"),
        ("register", {"resource_id": "X-1"}, "登録できませんでした"),
    ]
    for action, data, message in attempts:
        assert web.post(f"/prospects/{prospect.id}/{action}", data).status_code == 303
        assert message in web.client.get(f"/prospects/{prospect.id}").text, (action, data)
    web.db.refresh(prospect)
    assert prospect.conditions in ({}, None) and prospect.stage == "candidate"
    with pytest.raises(ResourceNotFound):
        catalog.get_resource(web.db, "X-1")
    assert web.client.get("/prospects/99999").status_code == 404


def test_a_receiver_cannot_open_the_prospect_page(web: Web) -> None:
    web.login(web.add_user("coordinator"))
    prospect = _add(web)
    web.client.cookies.clear()
    web.login(web.add_user("finance"))
    assert web.client.get(f"/prospects/{prospect.id}").status_code == 403
