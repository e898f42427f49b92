"""Every page's ids are unique and every visible form field has a label (issue 10 item 5):
duplicated ids break the labels that point at them and what a screen reader announces."""

from __future__ import annotations

from collections import Counter
from datetime import date
from html.parser import HTMLParser

from casework.permissions import Principal
from casework.schemas import ConsentIn
from casework.services import consent
from tests.web.conftest import Web, intake

UNLABELLED_TYPES = {"hidden", "submit", "button", "reset", "image"}


class _Fields(HTMLParser):
    """Collects ids, labels' targets, and the form fields a person fills in."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.label_for: set[str] = set()
        self.fields: list[dict[str, str | None]] = []
        self._label_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.append(str(a["id"]))
        if tag == "label":
            self._label_depth += 1
            if a.get("for"):
                self.label_for.add(str(a["for"]))
        if tag in ("input", "select", "textarea") and a.get("type") not in UNLABELLED_TYPES:
            self.fields.append({**a, "_wrapped": "1" if self._label_depth else None})

    def handle_endtag(self, tag: str) -> None:
        if tag == "label" and self._label_depth:
            self._label_depth -= 1


def problems(html: str) -> list[str]:
    """Duplicated ids and fields without a label (for=, wrapping label, aria-label(ledby))."""
    parser = _Fields()
    parser.feed(html)
    out = [f"duplicate id {i}" for i, n in Counter(parser.ids).items() if n > 1]
    for field in parser.fields:
        labelled = (
            field.get("_wrapped")
            or field.get("aria-label")
            or field.get("aria-labelledby")
            or (field.get("id") and field["id"] in parser.label_for)
            or field.get("title")
        )
        if not labelled:
            out.append(f"unlabelled field name={field.get('name')}")
    return out


def test_the_coordinators_pages_have_unique_ids_and_labelled_fields(web: Web) -> None:
    web.add_resources("R001", "R002", cooperation_fee_yen=1000, cooperation_fee_unit="per_session")
    coordinator = web.add_user("coordinator", "coord")
    web.login(coordinator)
    person_id = intake(web)
    for scope in ("matching", "multi_agency"):
        web.post(
            f"/people/{person_id}/consents/new",
            {"scope": scope, "given_on": "2026-11-02", "method": "written"},
        )
    consent.record_consent(
        web.db,
        Principal(kind="user", id=coordinator.id, role="coordinator", team="team-a"),
        person_id,
        ConsentIn(
            scope="share_with_receiver",
            receiver_kind="resource",
            receiver_id="R001",
            given_on=date(2026, 11, 2),
            method="written",
        ),
    )
    web.db.flush()
    web.post(
        f"/people/{person_id}/profile", {"needs_text": "畑で作業したい", "max_travel_km": "30"}
    )
    plan_path = web.post(f"/people/{person_id}/plans/new", {}).headers["location"]
    web.post(f"{plan_path}/early-start", {"started_on": "2026-11-05", "reason": "早く関わる必要"})
    web.post(f"/people/{person_id}/suggestions/run", {})
    placement_path = web.post(
        f"/people/{person_id}/suggestions/propose", {"resource_id": "R001"}
    ).headers["location"]
    assert placement_path.startswith("/placements/")
    # 体験中 shows every form of the placement page: stage, retention log, fee entry.
    moved = web.post(f"{placement_path}/transition", {"to_state": "trial"})
    assert moved.status_code == 303
    history = web.client.get(placement_path).text
    assert "体験" in history
    # The placement history names the staff member, never a raw reference such as user:1.
    assert coordinator.display_name in history and "user:" not in history
    pages = [
        "/dashboard",
        "/people",
        "/people/new",
        f"/people/{person_id}",
        f"/people/{person_id}/edit",
        f"/people/{person_id}/profile",
        f"/people/{person_id}/consents/new",
        f"/people/{person_id}/suggestions",
        f"/people/{person_id}/timeline",
        f"/people/{person_id}/meetings",
        f"/people/{person_id}/evaluations/new",
        plan_path,
        placement_path,
        "/consultations/new",
        "/catalog",
        "/multi-agency-meetings/new",
        "/account/password",
    ]
    found = _walk(web, pages)
    web.login(web.add_user("catalog_maintainer", "cat"))
    found.update(
        _walk(
            web,
            [
                "/catalog/new",
                "/catalog/R001/edit",
                "/catalog/import",
                "/agencies/new",
                "/agencies/import",
            ],
        )
    )
    web.login(web.add_user("admin", "adm"))
    found.update(_walk(web, ["/audit"]))
    assert found == {}


def _walk(web: Web, pages: list[str]) -> dict[str, list[str]]:
    found = {}
    for path in pages:
        response = web.client.get(path)
        assert response.status_code == 200, path
        if issues := problems(response.text):
            found[path] = issues
    return found
