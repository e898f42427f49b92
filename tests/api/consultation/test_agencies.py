"""支援関係機関 directory: all-or-nothing import with reasons, exact round trips, fitting."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from consultation.services.agencies import COLUMNS, DEMO_DIRECTORY
from tests.api.consultation.conftest import Staff

HEADER = ",".join(COLUMNS)
GOOD = (
    "\ufeff" + HEADER + "\n"
    "AC-1,anshin_care,あんしんケアセンターA,若葉区,貝塚町;桜木北,043-000-0001,,"
    "千葉市若葉区貝塚町1-1,月〜土 8:30〜17:30,,true\n"
    "DH-1,disability_hub,若葉区障害者基幹相談支援センター,若葉区,,043-000-0002,a@example.org,,"
    '"月〜金 9:00〜17:00, 祝日休み",備考あり,true\n'
).encode()


def _upload(staff: Staff, content: bytes, name: str = "agencies.csv") -> object:
    return staff.call(
        "catalog", "POST", "/api/v1/agencies/import", files={"file": (name, content, "text/csv")}
    )


def test_a_good_file_round_trips_through_export_unchanged(staff: Staff) -> None:
    response = _upload(staff, GOOD)
    assert response.status_code == 200, response.text  # type: ignore[attr-defined]
    assert response.json()["created"] == ["AC-1", "DH-1"]  # type: ignore[attr-defined]
    exported = staff.call("coord_a", "GET", "/api/v1/agencies/export?format=csv")
    assert exported.content == GOOD
    again = _upload(staff, exported.content)
    assert again.json() == {"created": [], "updated": [], "unchanged": ["AC-1", "DH-1"]}  # type: ignore[attr-defined]


def test_the_demo_directory_round_trips_through_xlsx(staff: Staff) -> None:
    assert _upload(staff, DEMO_DIRECTORY.read_bytes()).status_code == 200  # type: ignore[attr-defined]
    xlsx = staff.call("coord_a", "GET", "/api/v1/agencies/export?format=xlsx").content
    sheet = load_workbook(io.BytesIO(xlsx)).worksheets[0]
    assert [c.value for c in sheet[1]] == list(COLUMNS)
    report = _upload(staff, xlsx, "agencies.xlsx").json()  # type: ignore[attr-defined]
    assert report["created"] == report["updated"] == [] and len(report["unchanged"]) == 43
    csv_back = staff.call("coord_a", "GET", "/api/v1/agencies/export").content
    assert csv_back == DEMO_DIRECTORY.read_bytes()
    wards = {w for a in staff.ok("coord_a", "GET", "/api/v1/agencies") for w in a["wards"]}
    assert len(wards) == 6


def test_a_bad_row_refuses_the_file_with_row_column_and_reason(staff: Staff) -> None:
    assert _upload(staff, GOOD).status_code == 200  # type: ignore[attr-defined]
    before = staff.call("coord_a", "GET", "/api/v1/agencies/export").content
    bad = (
        HEADER + "\n"
        "AC-1,anshin_care,名前を変えた,若葉区,貝塚町,,,,,,true\n"
        "XX-2,fortune_teller,占いの館,若葉区,,,,,,,true\n"
        "XX-3,other,どこかの機関,横浜区,,,,,,,maybe\n"
    ).encode()
    response = _upload(staff, bad)
    assert response.status_code == 422  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert body["error"] == "import_rejected"
    found = {(e["row"], e["column"]) for e in body["detail"]["errors"]}
    assert found == {(3, "kind"), (4, "wards"), (4, "active")}
    kind_error = next(e for e in body["detail"]["errors"] if e["column"] == "kind")
    assert "種別" in kind_error["message_ja"] and kind_error["message_en"]
    # Nothing changed, not even the good first row.
    assert staff.call("coord_a", "GET", "/api/v1/agencies/export").content == before


def test_a_file_without_the_header_is_refused(staff: Staff) -> None:
    response = _upload(staff, b"code,name\nA,B\n")
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert response.json()["detail"]["errors"][0]["row"] == 1  # type: ignore[attr-defined]


def test_only_directory_maintainers_import(staff: Staff) -> None:
    response = staff.call(
        "coord_a", "POST", "/api/v1/agencies/import",
        files={"file": ("a.csv", GOOD, "text/csv")},
    )  # fmt: skip
    assert response.status_code == 403


def test_fit_by_ward_for_disability_and_citywide_for_hikikomori(staff: Staff) -> None:
    _upload(staff, DEMO_DIRECTORY.read_bytes())
    fits = staff.ok(
        "coord_a", "POST", "/api/v1/agencies/fit",
        json={"ward": "美浜区", "age": 30, "tags": ["disability", "hikikomori"]},
    )  # fmt: skip
    assert [(f["agency"]["kind"], f["agency"]["code"]) for f in fits] == [
        ("disability_hub", "DH-mihama"),
        ("hikikomori", "HK-city"),
    ]
    assert (
        fits[0]["reason"]
        == "「障害」の相談のため、美浜区を担当する障害者基幹相談支援センターです。"
    )
    assert "市内全域" in fits[1]["reason"]
