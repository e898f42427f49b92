"""Importing the exchange CSV: validation, all-or-nothing, dry runs and idempotence."""

from __future__ import annotations

import pytest
from pydantic import model_validator
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from resources_catalog import service
from resources_catalog.errors import ImportRejected
from resources_catalog.importers import rows
from resources_catalog.importers.cells import CONTROL_CHARACTERS_JA, CellError, text
from resources_catalog.models import ResourceChange, Service
from resources_catalog.records import ResourceRecord
from tests.conftest import shared_path
from tests.resources_catalog.factories import csv_of, import_csv, make_record

HEADER = (
    "resource_id,name,organization,ward,lat,lon,days,start_time,end_time,"
    "capacity_total,capacity_remaining"
)
BAD_ROWS = "\n".join(
    [
        HEADER,
        "B1,良い行,受入先,若葉区,35.6,140.1,tue,09:00,12:00,5,2",
        "B2,緯度が変,受入先,若葉区,135.6,140.1,tue,09:00,12:00,5,2",
        "B3,曜日が変,受入先,若葉区,35.6,140.1,tuesday-ish,09:00,12:00,5,2",
        "B4,定員が負,受入先,若葉区,35.6,140.1,tue,09:00,12:00,-5,0",
        ",IDなし,受入先,若葉区,35.6,140.1,tue,09:00,12:00,5,2",
        "B6,良い行2,受入先,緑区,35.5,140.2,月・水,9:00,12:00,4,4",
    ]
).encode()


def _count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Service)) or 0


def test_dev_catalog_loads_all_forty_resources(session: Session) -> None:
    data = shared_path("eval", "dev", "catalog.csv").read_bytes()
    report = import_csv(session, data)
    assert report.ok and report.applied
    assert len(report.new) == 40
    assert _count(session) == 40
    assert service.get_resource(session, "R001").record.days == ["tue", "thu"]


def test_bad_rows_are_refused_with_row_numbers_and_nothing_changes(session: Session) -> None:
    with pytest.raises(ImportRejected) as caught:
        import_csv(session, BAD_ROWS)
    found = {(e.row, e.column) for e in caught.value.report.errors}
    assert found == {(3, "lat"), (4, "days"), (5, "capacity_total"), (6, "resource_id")}
    assert all(e.message_ja and e.message_en for e in caught.value.report.errors)
    assert _count(session) == 0


def test_valid_only_imports_the_good_rows(session: Session) -> None:
    report = import_csv(session, BAD_ROWS, valid_only=True)
    assert sorted(report.new) == ["B1", "B6"]
    assert len(report.errors) == 4
    assert _count(session) == 2


def test_remaining_above_total_and_inverted_ages_are_row_errors(session: Session) -> None:
    data = (
        b"resource_id,name,organization,capacity_total,capacity_remaining,min_age,max_age\n"
        b"X1,a,b,3,5,,\nX2,a,b,3,1,40,20\nX1,a,b,3,1,,\n"
    )
    records, errors, total = service.parse_file(data, "x.csv")
    assert total == 3 and records == []
    assert {(e.row, e.column) for e in errors} == {
        (2, "capacity_remaining"),
        (3, "min_age"),
        (4, "resource_id"),
    }


def test_unknown_ward_and_category_are_errors(session: Session) -> None:
    data = "resource_id,name,organization,ward,categories\nW1,a,b,港区,farm;宇宙\n".encode()
    _, errors, _ = service.parse_file(data, "x.csv")
    assert {e.column for e in errors} == {"ward", "categories"}


def test_dry_run_reports_every_outcome_and_writes_nothing(session: Session) -> None:
    import_csv(session, csv_of(make_record("K1"), make_record("K2"), make_record("K3")))
    history_before = session.scalar(select(func.count()).select_from(ResourceChange))
    data = csv_of(make_record("K1"), make_record("K2", name="改名"), make_record("K4"))
    report = import_csv(session, data, dry_run=True, deactivate_missing=True)
    assert (report.new, report.updated, report.unchanged, report.deactivated) == (
        ["K4"],
        ["K2"],
        ["K1"],
        ["K3"],
    )
    assert report.dry_run and not report.applied
    assert _count(session) == 3
    assert service.get_resource(session, "K2").record.name == make_record().name
    assert session.scalar(select(func.count()).select_from(ResourceChange)) == history_before


def test_deactivate_missing_sets_absent_resources_inactive(session: Session) -> None:
    import_csv(session, csv_of(make_record("K1"), make_record("K2")))
    report = import_csv(session, csv_of(make_record("K1")), deactivate_missing=True)
    assert report.deactivated == ["K2"]
    assert service.get_resource(session, "K2").record.status == "inactive"


def test_reimporting_the_same_file_changes_nothing(session: Session) -> None:
    data = shared_path("eval", "dev", "catalog.csv").read_bytes()
    import_csv(session, data)
    history_before = session.scalar(select(func.count()).select_from(ResourceChange))
    report = import_csv(session, data)
    assert len(report.unchanged) == 40 and not report.new and not report.updated
    assert session.scalar(select(func.count()).select_from(ResourceChange)) == history_before
    assert service.get_resource(session, "R001").version == 1


def test_japanese_headers_and_messy_values_import(session: Session) -> None:
    data = (
        "資源ID,活動名,受入先名,区,緯度,経度,曜日,開始時刻,終了時刻,定員,空き,見学可,参加費,分類\n"
        "J1,畑しごと,ちば農園,千葉市若葉区,３５．６２,１４０．１５,月・水,９：３０,12時,６,２,○,３００円,農園・自然\n"
        "J2,図書整理,ちば文庫,稲毛,35.64,140.11,火;木,10:00,12:00,3,0,×,0,図書\n"
    ).encode("cp932")
    report = import_csv(session, data)
    assert report.ok, report.errors
    j1 = service.get_resource(session, "J1").record
    assert (j1.ward, j1.lat, j1.lon) == ("若葉区", 35.62, 140.15)
    assert (j1.days, j1.start_time, j1.end_time) == (["mon", "wed"], "09:30", "12:00")
    assert (j1.capacity_total, j1.capacity_remaining, j1.visit_ok) == (6, 2, True)
    assert (j1.participant_cost_yen, j1.categories) == (300, ["farm", "nature"])
    j2 = service.get_resource(session, "J2").record
    assert (j2.ward, j2.days, j2.visit_ok, j2.categories) == (
        "稲毛区",
        ["tue", "thu"],
        False,
        ["library"],
    )


def test_columns_missing_from_a_file_keep_their_stored_values(session: Session) -> None:
    service.create_resource(session, make_record("N1", nearest_station="都賀駅"), actor="t")
    data = "resource_id,name,organization\nN1,改名した活動,NPO法人 テストの会\n".encode()
    report = import_csv(session, data)
    stored = service.get_resource(session, "N1").record
    assert report.updated == ["N1"]
    assert (stored.name, stored.nearest_station, stored.ward) == (
        "改名した活動",
        "都賀駅",
        "若葉区",
    )


def test_unknown_columns_are_kept_in_extra(session: Session) -> None:
    data = "resource_id,name,organization,備考\nU1,a,b,駐車場あり\n".encode()
    import_csv(session, data)
    assert service.get_resource(session, "U1").record.extra == {"columns": {"備考": "駐車場あり"}}


def test_out_of_range_numbers_and_nul_characters_are_row_errors(session: Session) -> None:
    data = "\n".join(
        [
            HEADER,
            "H1,大きすぎる定員,受入先,若葉区,35.6,140.1,tue,09:00,12:00,1000000000000,1",
            "H2,NUL入り\x00\x1b,受入先,若葉区,35.6,140.1,tue,09:00,12:00,5,1",
        ]
    ).encode()
    records, errors, total = service.parse_file(data, "bad.csv")
    assert total == 2 and records == []
    assert {(e.row, e.column) for e in errors} == {(2, "capacity_total"), (3, "name")}
    with pytest.raises(ImportRejected):
        import_csv(session, data)
    assert _count(session) == 0


def test_a_control_character_in_the_resource_id_is_a_row_error(session: Session) -> None:
    data = "\n".join([HEADER, "H\x01,活動,受入先,若葉区,35.6,140.1,tue,09:00,12:00,5,1"]).encode()
    records, errors, total = service.parse_file(data, "bad.csv")
    assert total == 1 and records == []
    assert [(e.row, e.column, e.resource_id) for e in errors] == [(2, "resource_id", None)]


def test_short_rows_and_blank_lines_keep_their_file_row_numbers(session: Session) -> None:
    data = "\n".join(
        [HEADER, "", "S1,短い行,受入先", ",,,,,,,,,,", "S2,定員が負,受入先,若葉区,,,,,,-1,0"]
    ).encode()
    records, errors, total = service.parse_file(data, "short.csv")
    assert [r.resource_id for r in records] == ["S1"]
    assert total == 2
    assert [(e.row, e.column) for e in errors] == [(5, "capacity_total")]


def test_every_row_goes_through_the_record_model_and_its_model_validators(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A guard for speed-ups of the parser: a rule added to the record model later
    # (a model_validator) must still see every row, including rows whose cells repeat.
    class RecordWithRule(ResourceRecord):
        @model_validator(mode="after")
        def _no_test_names(self) -> RecordWithRule:
            if self.name == "規則違反":
                raise ValueError("name refused by a model rule")
            return self

    monkeypatch.setattr(rows, "ResourceRecord", RecordWithRule)
    data = "\n".join(
        [
            HEADER,
            "V1,良い行,受入先,若葉区,35.6,140.1,tue,09:00,12:00,5,2",
            "V2,規則違反,受入先,若葉区,35.6,140.1,tue,09:00,12:00,5,2",
            "V3,規則違反,受入先,若葉区,35.6,140.1,tue,09:00,12:00,5,2",
        ]
    ).encode()
    records, errors, total = service.parse_file(data, "rule.csv")
    assert total == 3 and [r.resource_id for r in records] == ["V1"]
    assert [(e.row, e.resource_id) for e in errors] == [(3, "V2"), (4, "V3")]
    assert all("name refused by a model rule" in e.message_en for e in errors)


# Free-text columns of a CSV are read a whole column at a time (rows._plain_texts); these
# cells must read exactly as the cell parser reads them one by one.
_TEXT_CELLS = ["  前後に空白  ", "", "   ", "\tタブ\r\n", "改行\nあり", "全角　空白　", "\x85x"]
# A vertical tab or form feed is a control character inside a cell but space at its ends.
_EDGE_CELLS = [*_TEXT_CELLS, "\x0b縦タブは空白\x0c"]


@pytest.mark.parametrize("cells", [_TEXT_CELLS, _EDGE_CELLS], ids=["plain", "edges"])
@pytest.mark.parametrize("column", ["name", "description", "address", "phone"])
def test_a_text_column_reads_as_its_cells_read_one_by_one(column: str, cells: list[str]) -> None:
    parsed, failed = rows._parse_column(rows.PARSERS[column], cells, column)
    empty = "" if column == "description" else None  # a defaulted column
    expected = [a_text if a_text is not None else empty for a_text in map(text, cells)]
    assert parsed == expected and failed == []


def test_a_control_character_in_one_text_cell_fails_that_cell_alone() -> None:
    cells = ["一行目", "二行目\x07ベル", " 三行目 "]
    parsed, failed = rows._parse_column(rows.PARSERS["description"], cells, "description")
    assert failed == [1]
    assert parsed[0] == "一行目" and parsed[2] == "三行目"
    assert isinstance(parsed[1], CellError)


def test_a_control_character_in_a_description_is_an_error_of_its_row_only() -> None:
    header = "resource_id,name,organization,description"
    lines = [f"D{i},活動{i},受入先,説明{i}" for i in range(5)]
    lines[3] = "D3,活動3,受入先,説明\x1b3"
    records, errors, total = service.parse_file("\n".join([header, *lines]).encode(), "d.csv")
    assert total == 5 and [r.resource_id for r in records] == ["D0", "D1", "D2", "D4"]
    assert [(e.row, e.column, e.resource_id, e.message_ja) for e in errors] == [
        (5, "description", "D3", CONTROL_CHARACTERS_JA)
    ]
