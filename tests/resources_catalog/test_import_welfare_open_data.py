"""WAM NET 障害福祉サービス and 介護サービス情報公表 CSVs as catalog entries (welfare services)."""

from __future__ import annotations

from typing import Any

import pytest

from resources_catalog.errors import UnsupportedFile
from resources_catalog.importers.welfare_open_data import parse_kaigo, parse_wam_shogai
from tests.conftest import shared_path

WAM_HEADER = (
    "source_file,都道府県コード又は市区町村コード,NO（※システム内の固有の番号、連番）,指定機関名,"
    "法人の名称,法人の名称_かな,法人番号,法人住所（市区町村）,法人住所（番地以降）,法人電話番号,"
    "法人FAX番号,法人URL,サービス種別,事業所の名称,事業所の名称_かな,事業所番号,"
    "事業所住所（市区町村）,事業所住所（番地以降）,事業所電話番号,事業所FAX番号,事業所URL,"
    "事業所緯度,事業所経度,利用可能な時間帯（平日）,利用可能な時間帯（土曜）,"
    "利用可能な時間帯（日曜）,利用可能な時間帯（祝日）,定休日,利用可能曜日特記事項（留意事項）,定員"
)


def _wam_row(no: str, place: str, **kw: str) -> str:
    values = {
        "no": no,
        "place": place,
        "weekday": kw.get("weekday", "09:00-16:00"),
        "saturday": kw.get("saturday", ""),
        "capacity": kw.get("capacity", "２０"),
        "lat": kw.get("lat", "35.6"),
    }
    return (
        f"x.csv,12100,{values['no']},千葉市,社会福祉法人　みどり会,,,,,,,,就労継続支援Ｂ型,"
        f"みどり工房,,1210100001,{values['place']},若松町１２３,043-000-0000,,,"
        f"{values['lat']},140.1,{values['weekday']},{values['saturday']},,,土日祝,,"
        f"{values['capacity']}"
    )


def _csv(*rows: str) -> bytes:
    return ("\n".join((WAM_HEADER, *rows)) + "\n").encode()


def test_wam_row_maps_to_a_welfare_service_entry() -> None:
    data = _csv(_wam_row("A1", "千葉県千葉市若葉区", saturday="10:00-15:00"))
    [record], errors, total = parse_wam_shogai(data, "千葉市")
    assert (errors, total) == ([], 1)
    assert record.resource_id == "wam-A1"
    assert record.name == "みどり工房（就労継続支援B型）"
    assert record.organization == "社会福祉法人 みどり会"
    assert record.categories == ["employment_training"]
    assert record.ward == "若葉区"
    assert record.address == "千葉県千葉市若葉区若松町123"
    assert (record.lat, record.lon) == (35.6, 140.1)
    assert record.days == ["mon", "tue", "wed", "thu", "fri", "sat"]
    assert (record.start_time, record.end_time) == ("09:00", "16:00")
    assert record.capacity_total == 20
    assert "capacity_remaining" not in record.model_fields_set  # never overwrites places
    assert record.requires_certificate is True
    assert record.extra["kind"] == "welfare_service"


def test_municipality_filter_and_bad_rows_are_reported_with_their_line() -> None:
    data = _csv(
        _wam_row("A1", "千葉県千葉市中央区"),
        _wam_row("A2", "千葉県船橋市"),
        _wam_row("A3", "千葉県千葉市緑区", lat="北緯35度"),
        _wam_row("A4", "千葉県千葉市緑区", weekday="18:00-09:00"),
    )
    records, errors, total = parse_wam_shogai(data, "千葉市")
    assert total == 3
    assert [r.resource_id for r in records] == ["wam-A1", "wam-A4"]
    assert records[1].start_time is None and records[1].days == []
    assert [(e.row, e.column) for e in errors] == [(4, "緯度・経度")]


def test_shared_wam_file_has_193_chiba_city_rows() -> None:
    data = shared_path("data", "wam_shogai_chiba_pref_202503.csv").read_bytes()
    records, errors, total = parse_wam_shogai(data, "千葉市")
    assert (len(records), errors, total) == (193, [], 193)
    assert len({r.resource_id for r in records}) == 193
    assert all(r.ward is not None and r.lat is not None for r in records)
    assert sum(r.categories == ["employment_training"] for r in records) == 31 + 25 + 20


@pytest.mark.parametrize("municipality", ["千葉市", "千葉市中央区"])
def test_shared_kaigo_file_filters_by_municipality(municipality: str) -> None:
    data = shared_path("data", "kaigo_jigyosho_chiba_pref.csv").read_bytes()
    records, errors, total = parse_kaigo(data, municipality)
    assert errors == []
    assert len(records) == total
    if municipality == "千葉市":
        assert total == 345
    assert all(r.address and r.categories == ["elderly"] for r in records)
    assert all(municipality in (r.address or "") or r.ward for r in records)


def test_shift_jis_is_read_and_undecodable_bytes_are_a_clear_error() -> None:
    from resources_catalog.errors import UnsupportedFile

    data = _csv(_wam_row("A1", "千葉県千葉市中央区")).decode().encode("cp932")
    [record], _, _ = parse_wam_shogai(data, "千葉市")
    assert record.organization == "社会福祉法人 みどり会"
    with pytest.raises(UnsupportedFile):
        parse_wam_shogai(b"\xff\xfe\x00\x81\xff" * 10, "千葉市")


@pytest.mark.parametrize("parse", [parse_wam_shogai, parse_kaigo])
@pytest.mark.parametrize("data", [b"true\n", b"", "名前,住所\nみどり工房,千葉市\n".encode()])
def test_a_file_without_the_office_columns_is_refused_not_read_as_empty(
    parse: Any, data: bytes
) -> None:
    with pytest.raises(UnsupportedFile, match="必要な列がありません"):
        parse(data)
