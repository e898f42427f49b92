"""支援関係機関 pages: create and edit one agency, upload with a preview of bad rows, export."""

from __future__ import annotations

from consultation import repository as consultation_repo
from consultation.services.agencies import COLUMNS
from tests.web.conftest import Web

HEADER = ",".join(COLUMNS)
GOOD = (
    "\ufeff" + HEADER + "\n"
    "AC-1,anshin_care,あんしんケアセンターA,若葉区,貝塚町;桜木北,043-000-0001,,"
    "千葉市若葉区貝塚町1-1,月〜土 8:30〜17:30,,true\n"
    "DH-1,disability_hub,若葉区障害者基幹相談支援センター,若葉区,,043-000-0002,,,,,true\n"
).encode()
BAD = (
    "\ufeff" + HEADER + "\n"
    "AC-1,anshin_care,あんしんケアセンターA,若葉区,,,,,,,true\n"
    "XX-1,no_such_kind,どこか,若葉区,,,,,,,true\n"
).encode()


def _upload(web: Web, content: bytes, name: str = "agencies.csv") -> object:
    return web.post("/agencies/import", {}, files={"file": (name, content, "text/csv")})


def test_a_supervisor_creates_and_edits_an_agency(web: Web) -> None:
    web.login(web.add_user("supervisor"))
    listing = web.client.get("/agencies").text
    assert 'href="/agencies/new"' in listing and 'href="/agencies/import"' in listing

    refused = web.post("/agencies/save", {"code": "bad code", "kind": "anshin_care", "name": ""})
    assert refused.status_code == 422 and "名称" in refused.text
    assert consultation_repo.agency_by_code(web.db, "bad code") is None

    made = web.post(
        "/agencies/save",
        {"code": "AC-9", "kind": "anshin_care", "name": "あんしんケアセンター九",
         "wards": ["若葉区"], "towns": "貝塚町、桜木北", "active": "1"},
    )  # fmt: skip
    assert made.status_code == 303, made.text
    agency = consultation_repo.agency_by_code(web.db, "AC-9")
    assert agency is not None and agency.towns == ["貝塚町", "桜木北"] and agency.active

    form = web.client.get(f"/agencies/{agency.id}/edit").text
    assert "あんしんケアセンター九" in form and "貝塚町、桜木北" in form
    renamed = web.post(
        "/agencies/save",
        {"agency_id": str(agency.id), "code": "AC-9", "kind": "anshin_care",
         "name": "あんしんケアセンター九（移転）", "wards": ["若葉区"], "towns": "貝塚町"},
    )  # fmt: skip
    assert renamed.status_code == 303
    web.db.expire_all()
    again = consultation_repo.agency_by_code(web.db, "AC-9")
    assert again is not None and again.name.endswith("（移転）")
    assert again.towns == ["貝塚町"] and again.active is False
    moved = web.post(
        "/agencies/save",
        {"agency_id": str(agency.id), "code": "AC-10", "kind": "anshin_care", "name": "別"},
    )
    assert moved.status_code == 422 and "コードは変更できません" in moved.text


def test_upload_previews_errors_changes_nothing_then_applies_a_good_file(web: Web) -> None:
    web.login(web.add_user("catalog_maintainer"))
    bad = _upload(web, BAD)
    assert bad.status_code == 422  # type: ignore[attr-defined]
    assert "3行目" in bad.text and "no_such_kind" not in bad.text.split("エラーのある行")[0]  # type: ignore[attr-defined]
    assert "<code>kind</code>" in bad.text  # type: ignore[attr-defined]
    assert consultation_repo.list_agencies(web.db) == []

    preview = _upload(web, GOOD)
    assert preview.status_code == 200  # type: ignore[attr-defined]
    assert "AC-1" in preview.text and "DH-1" in preview.text  # type: ignore[attr-defined]
    assert consultation_repo.list_agencies(web.db) == []  # the preview writes nothing
    token = preview.text.split('name="token" value="')[1].split('"')[0]  # type: ignore[attr-defined]
    applied = web.post("/agencies/import/apply", {"token": token})
    assert applied.status_code == 303
    assert {a.code for a in consultation_repo.list_agencies(web.db)} == {"AC-1", "DH-1"}
    assert "新規 2 件" in web.client.get("/agencies").text

    exported = web.client.get("/agencies/export.csv")
    assert exported.status_code == 200 and exported.content == GOOD
    assert web.client.get("/agencies/export.xlsx").content[:4] == b"PK\x03\x04"
    unchanged = _upload(web, exported.content)
    assert "変更なし 2件" in unchanged.text  # type: ignore[attr-defined]
    assert "disabled" in unchanged.text.split("/agencies/import/apply")[1]  # type: ignore[attr-defined]


def test_a_coordinator_reads_but_cannot_edit_or_upload(web: Web) -> None:
    web.login(web.add_user("coordinator"))
    listing = web.client.get("/agencies")
    assert listing.status_code == 200 and 'href="/agencies/new"' not in listing.text
    assert web.client.get("/agencies/new").status_code == 403
    assert web.client.get("/agencies/import").status_code == 403
    assert (
        web.post("/agencies/save", {"code": "A", "kind": "other", "name": "x"}).status_code == 403
    )
    assert _upload(web, GOOD).status_code == 403  # type: ignore[attr-defined]
    assert consultation_repo.list_agencies(web.db) == []
    assert web.client.get("/agencies/export.csv").status_code == 200
