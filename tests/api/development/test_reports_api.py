"""Reports API on the demo caseload: unmet-needs counts derived independently, what-if."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from casework.demo import build_demo_caseload
from casework.models import Consent, NeedsProfile, Person, Placement
from casework.ranker_provider import to_matching_resource
from casework.schemas import ConsentIn
from casework.services import consent
from matching import PersonProfile
from matching.rules import check_rules
from matching.text import Analyzer, Ontology
from resources_catalog import service as catalog
from storage.engine import unit_of_work
from tests.api.casework.conftest import Api, app_settings
from tests.api.conftest import ClientFactory

FINISHED = {"ended", "declined", "no_capacity", "withdrawn"}


@pytest.fixture
def demo_api(make_client: ClientFactory, tmp_path: Path) -> Iterator[Api]:
    """The API over the demo caseload; open people with odd ids gave a matching consent."""
    with make_client(**app_settings(tmp_path)) as client:
        factory = client.app.state.test_session_factory  # type: ignore[attr-defined]
        with unit_of_work(factory) as session:
            caseload = build_demo_caseload(session, n_people=40, as_of=date(2026, 11, 1))
            for pid in session.scalars(select(Person.id).where(Person.status == "open")):
                if pid % 4 != 0:
                    consent.record_consent(
                        session,
                        caseload.staff.coordinator,
                        pid,
                        ConsentIn(scope="matching", given_on=date(2025, 4, 1), method="written"),
                    )
        yield Api(client)


def _expected_themes(api: Api) -> tuple[Counter[str], int]:
    """Unmet themes from the tables and the catalog, without the report's code."""
    factory = api.client.app.state.test_session_factory  # type: ignore[attr-defined]
    onto = Ontology.load()
    analyzer = Analyzer(onto)
    expected: Counter[str] = Counter()
    people = 0
    with unit_of_work(factory) as s:
        resources = [to_matching_resource(r) for r in catalog.all_records(s)]
        for person in s.scalars(select(Person).where(Person.status == "open")):
            if not s.scalar(
                select(func.count(Consent.id)).where(
                    Consent.person_id == person.id, Consent.scope == "matching"
                )
            ):
                continue
            states = s.scalars(select(Placement.state).where(Placement.person_id == person.id))
            if any(st not in FINISHED for st in states):
                continue
            row = s.scalars(
                select(NeedsProfile)
                .where(NeedsProfile.person_id == person.id)
                .order_by(NeedsProfile.version.desc())
            ).first()
            if row is None:
                continue
            profile = PersonProfile(
                str(person.id),
                needs_text=row.needs_text or "",
                age=row.age,
                has_certificate=row.has_certificate,
                days=list(row.days),
                home_ward=row.home_ward or "",
                home_lat=row.home_lat,
                home_lon=row.home_lon,
                max_travel_km=row.max_travel_km,
                needs_wheelchair_access=row.needs_wheelchair_access,
                excluded_resource_ids=list(row.excluded_resource_ids),
            )
            found = analyzer.analyze(profile.needs_text, detect_negation=True).concepts
            blocked = 0
            for cid in found:
                cats = set(onto.concepts[cid].categories)
                if not cats:
                    continue
                supply = [r for r in resources if cats & set(r.categories)]
                if not supply or all(check_rules(profile, r) for r in supply):
                    expected[cid] += 1
                    blocked += 1
            people += blocked > 0
    return expected, people


def test_unmet_needs_counts_match_an_independent_derivation(demo_api: Api) -> None:
    body = demo_api.ok("supervisor", "GET", "/api/v1/reports/unmet-needs?weak_score=-100")
    got = Counter({t["concept_id"]: t["count"] for t in body["themes"]})
    expected, people = _expected_themes(demo_api)
    assert expected, "the demo caseload should have some unmet wish"
    assert got == expected
    assert body["unmet"] == people
    for theme in body["themes"]:
        assert sum(theme["by_ward"].values()) == theme["count"]
        assert sum(theme["by_month"].values()) == theme["count"]
        assert theme["prospects_url"].endswith(theme["concept_id"])
        for phrase in theme["examples"]:
            assert not any(ch.isdigit() for ch in phrase)


def test_unmet_needs_needs_report_permission(demo_api: Api) -> None:
    response = demo_api.call("finance", "GET", "/api/v1/reports/unmet-needs")
    assert response.status_code == 403


def test_what_if_endpoint_beats_greedy_and_places_nobody(demo_api: Api) -> None:
    factory = demo_api.client.app.state.test_session_factory  # type: ignore[attr-defined]
    with unit_of_work(factory) as s:
        before = s.scalar(select(func.count(Placement.id)))
    body = demo_api.ok("supervisor", "GET", "/api/v1/reports/what-if?cap_per_receiver=1")
    assert body["proposal_only"] is True
    assert body["waiting"] >= 5
    assert body["optimal_placed"] >= body["greedy_placed"] > 0
    assert body["optimal_total_fit"] >= body["greedy_total_fit"]
    per_resource = Counter(p["resource_id"] for p in body["optimal"])
    assert max(per_resource.values()) <= 1
    assert all("name" not in p for p in body["optimal"])
    with unit_of_work(factory) as s:
        assert s.scalar(select(func.count(Placement.id))) == before
    assert demo_api.call("coordinator", "GET", "/api/v1/reports/what-if").status_code == 403


def test_kpis_json_includes_the_unmet_themes_and_csv_rows(demo_api: Api) -> None:
    unmet = demo_api.ok("supervisor", "GET", "/api/v1/reports/unmet-needs")
    body = demo_api.ok("supervisor", "GET", "/api/v1/reports/kpis")
    assert body["unmet_themes"] == [[t["label"], t["count"]] for t in unmet["themes"]][:12]
    assert sum(v for _, v in body["intakes_by_month"]) == 40
    assert [label for label, _, _ in body["fees_vs_budget"]] == ["2025年度", "2026年度"]
    csv = demo_api.call("auditor", "GET", "/api/v1/reports/kpis?format=csv")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert "intakes_by_month,2025-04," in csv.text
    assert demo_api.call("finance", "GET", "/api/v1/reports/kpis").status_code == 403
