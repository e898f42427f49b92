"""Catalog imports place rows that have an address but no coordinates, and warn per row."""

from __future__ import annotations

from sqlalchemy.orm import Session

from api.schemas.catalog import ImportReportOut
from places import haversine_km
from resources_catalog import service
from tests.resources_catalog.factories import import_csv

HEADER = "resource_id,name,organization,ward,address,lat,lon"
ROWS = "\n".join(
    [
        HEADER,
        "G1,町まで,受入先,,千葉市若葉区桜木北2丁目15-1,,",
        "G2,区まで,受入先,中央区,千葉市中央区架空町1-2,,",
        "G3,場所不明,受入先,,どこか遠く,,",
        "G4,座標あり,受入先,緑区,千葉市緑区誉田町1丁目,35.5,140.2",
        "G5,住所なし,受入先,美浜区,,,",
    ]
).encode()


def test_rows_with_an_address_are_placed_and_unplaced_rows_are_warned(session: Session) -> None:
    report = import_csv(session, ROWS)
    assert report.applied and not report.errors
    by_id = {r.resource_id: r for r in service.all_records(session)}

    g1 = by_id["G1"]
    assert (g1.location_source, g1.ward) == ("town", "若葉区")
    assert g1.lat is not None and g1.lon is not None
    assert haversine_km(g1.lat, g1.lon, 35.634764, 140.156782) < 1.0

    assert by_id["G2"].location_source == "ward"
    assert (by_id["G2"].lat, by_id["G2"].lon) == (35.58435, 140.1294)
    assert (by_id["G3"].lat, by_id["G3"].location_source) == (None, None)
    assert (by_id["G4"].lat, by_id["G4"].location_source) == (35.5, "manual")
    assert (by_id["G5"].lat, by_id["G5"].location_source) == (None, None)

    warned = {(w.row, w.resource_id, w.column) for w in report.warnings}
    assert warned == {(3, "G2", "address"), (4, "G3", "address")}
    for w in report.warnings:
        assert w.message_ja and w.message_en and w.value


def test_a_dry_run_reports_the_same_warnings_and_writes_nothing(session: Session) -> None:
    report = import_csv(session, ROWS, dry_run=True)
    assert not report.applied
    assert {w.resource_id for w in report.warnings} == {"G2", "G3"}
    assert service.all_records(session) == []


def test_a_file_without_coordinates_keeps_typed_ones_and_a_new_address_moves_derived_ones(
    session: Session,
) -> None:
    import_csv(session, ROWS)
    again = "\n".join(
        [
            "resource_id,name,organization,address",
            "G1,町まで,受入先,千葉市美浜区中瀬2丁目",
            "G4,座標あり,受入先,千葉市若葉区桜木北2丁目",
        ]
    ).encode()
    import_csv(session, again)
    by_id = {r.resource_id: r for r in service.all_records(session)}
    assert (by_id["G1"].location_source, by_id["G1"].ward) == ("town", "美浜区")
    assert by_id["G1"].lat is not None and by_id["G1"].lon is not None
    assert haversine_km(by_id["G1"].lat, by_id["G1"].lon, 35.648503, 140.035705) < 0.01
    assert (by_id["G4"].lat, by_id["G4"].location_source) == (35.5, "manual")


def test_the_api_report_carries_the_warnings(session: Session) -> None:
    out = ImportReportOut.from_report(import_csv(session, ROWS, dry_run=True))
    assert [w.row for w in out.warnings] == [3, 4]
    assert "区の中心" in out.warnings[0].message_ja


def test_an_address_in_another_ward_than_the_ward_column_is_warned(session: Session) -> None:
    rows = "\n".join([HEADER, "W1,区が違う,受入先,緑区,千葉市若葉区桜木北2丁目,,"]).encode()
    report = import_csv(session, rows)
    assert [(w.row, w.column, w.value) for w in report.warnings] == [(2, "ward", "緑区")]
    (record,) = service.all_records(session)
    assert (record.location_source, record.ward) == ("town", "緑区")
