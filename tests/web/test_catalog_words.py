"""The catalog in the coordinator's words: history labels and the Japanese export."""

from __future__ import annotations

import csv
import io

from resources_catalog import service as catalog
from resources_catalog.records import ResourceRecord
from tests.api.factories import resource
from tests.web.conftest import Web


def test_catalog_history_shows_japanese_labels_and_category_names(web: Web) -> None:
    maintainer = web.add_user("catalog_maintainer")
    created = catalog.create_resource(
        web.db,
        ResourceRecord.model_validate(resource("R020", capacity_remaining=2)),
        actor=f"user:{maintainer.id}",
    )
    changed = resource(
        "R020", capacity_remaining=1, categories=["farm", "office_it"], days=["mon", "wed", "fri"]
    )
    catalog.update_resource(
        web.db,
        "R020",
        ResourceRecord.model_validate(changed),
        expected_version=created.version,
        actor=f"user:{maintainer.id}",
    )
    web.db.flush()
    web.login(web.add_user("coordinator"))
    history = web.client.get("/catalog/R020").text.split("編集履歴")[1]
    assert "空き: 2 → 1" in history
    assert "分類: 農業・園芸 → 農業・園芸、事務・IT" in history
    assert "曜日: 火・木 → 月・水・金" in history
    for technical in ("capacity_remaining", "office_it", "['", "mon"):
        assert technical not in history, technical


def test_the_export_offers_japanese_headers(web: Web) -> None:
    web.add_resources("R030")
    web.login(web.add_user("coordinator"))
    page = web.client.get("/catalog").text
    assert 'name="headers" value="ja"' in page and 'for="export-ja"' in page
    body = web.client.get("/catalog/export.csv?headers=ja").content.decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(body)))
    assert header[:3] == ["資源ID", "活動名", "受入先名"]
    english = web.client.get("/catalog/export.csv").content.decode("utf-8-sig")
    assert english.startswith("resource_id,")
    assert web.client.get("/catalog/export.csv?headers=fr").status_code == 422
