"""Time every web page with the demo data: ``python scripts/bench_pages.py [--people 30]``.

Builds a fresh SQLite database with the demo catalog (383 receivers), seeds staff users and a
caseload through the casework services (intake, consent, needs, decided plans, suggestion
runs, placements with retention contacts and fees), signs in through the login form and
requests each page several times with Starlette's TestClient (in-process, so the figure is
the server's time plus a little client overhead). Prints the median and worst time per page
and exits non-zero when a page's median is over the budget (300 ms).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from api.app import create_app  # noqa: E402
from api.settings import Settings  # noqa: E402
from casework import crypto  # noqa: E402
from casework.errors import NoCapacity  # noqa: E402
from casework.models import StaffUser  # noqa: E402
from casework.schemas import (  # noqa: E402
    ConsentIn,
    FeeIn,
    NeedsProfileIn,
    PersonIn,
    PlacementIn,
    PlanActionIn,
    PlanIn,
    RetentionContactIn,
    SuggestionIn,
    SuggestionRunIn,
    TransitionIn,
)
from casework.services import consent, fees, people, placements, plans, suggestions  # noqa: E402
from casework.services._common import today_in_japan  # noqa: E402
from casework.services.accounts import hash_password, principal_for_user  # noqa: E402
from storage.engine import unit_of_work  # noqa: E402

BUDGET_MS = 300.0
PASSWORD = "bench password 2026"
WARDS = ("中央区", "花見川区", "稲毛区", "若葉区", "緑区", "美浜区")
NEEDS = (
    "畑で土にふれたい",
    "料理の手伝いをしたい",
    "図書館で本の整理",
    "子どもと遊ぶ",
    "パソコン作業",
)


def seed(app: object, n_people: int) -> dict[str, int]:
    """Users and a caseload; returns ids used in page URLs."""
    factory = app.state.session_factory  # type: ignore[attr-defined]
    today = today_in_japan()  # the dates it writes must not lie ahead in Japan
    ids: dict[str, int] = {}
    with unit_of_work(factory) as session:
        pw = hash_password(PASSWORD)
        users = {}
        for username, role in (
            ("coord", "coordinator"),
            ("super", "supervisor"),
            ("finance", "finance"),
            ("catalog", "catalog_maintainer"),
        ):
            user = StaffUser(
                username=username,
                display_name=f"{role} 職員",
                role=role,
                team="team-a",
                password_hash=pw,
            )
            session.add(user)
            users[role] = user
        session.flush()
        coord = principal_for_user(users["coordinator"])
        boss = principal_for_user(users["supervisor"])
        ranker = app.state.ranker.current(session)  # type: ignore[attr-defined]

        for i in range(n_people):
            person = people.create_person(
                session,
                coord,
                PersonIn(
                    name=f"利用者 {i:03d}",
                    furigana="りようしゃ",
                    sex="女性" if i % 2 else "男性",
                    born_on=date(1970 + i % 30, 1 + i % 12, 1 + i % 27),
                    ward=WARDS[i % 6],
                    received_on=today - timedelta(days=60 - i),
                ),
            )
            consent.record_consent(
                session,
                coord,
                person.id,
                ConsentIn(scope="matching", given_on=today - timedelta(days=50), method="written"),
            )
            profile = people.put_profile(
                session,
                coord,
                person.id,
                NeedsProfileIn(
                    needs_text=NEEDS[i % len(NEEDS)],
                    days=["tue", "thu", "sat"],
                    max_travel_km=15,
                    prefers_quiet=bool(i % 3),
                ),
            )
            plan = plans.create_plan(
                session,
                coord,
                person.id,
                PlanIn(
                    issues_text="外出の機会がない",
                    goal_text="週1回外に出る",
                    actions=[
                        PlanActionIn(
                            actor_kind="agency",
                            actor_name="センター",
                            content="見学に同行",
                            period="3か月",
                            frequency="週1回",
                        )
                    ],
                    next_monitoring_on=today,
                ),
            )
            consent.record_consent(
                session,
                coord,
                person.id,
                ConsentIn(
                    scope="multi_agency", given_on=today - timedelta(days=50), method="written"
                ),
            )
            plans.submit_plan(session, coord, plan.id)
            plans.decide_plan(session, boss, plan.id, decided_on=today - timedelta(days=30))
            found = ranker.suggest(suggestions.to_person_profile(profile))
            run = suggestions.record_suggestion_run(
                session,
                coord,
                person.id,
                SuggestionRunIn(
                    ranker_version=ranker.version[:100],
                    items=[
                        SuggestionIn(resource_id=s.resource_id, score=s.score, reasons=s.reasons)
                        for s in found
                    ],
                ),
            )
            if found:
                # 連絡 and every later step need the consent to share with that receiver.
                consent.record_consent(
                    session,
                    coord,
                    person.id,
                    ConsentIn(
                        scope="share_with_receiver",
                        receiver_kind="resource",
                        receiver_id=found[0].resource_id,
                        given_on=today - timedelta(days=50),
                        method="written",
                    ),
                )
                placement = placements.propose_placement(
                    session,
                    coord,
                    person.id,
                    PlacementIn(
                        resource_id=found[0].resource_id, plan_id=plan.id, suggestion_run_id=run.id
                    ),
                )
                try:
                    placements.transition_placement(
                        session, coord, placement.id, TransitionIn(to_state="placed")
                    )
                except NoCapacity:
                    continue  # the ranker was fitted once; someone took the last slot
                placements.add_retention_contact(
                    session,
                    coord,
                    placement.id,
                    RetentionContactIn(
                        contacted_on=today - timedelta(days=i % 40),
                        party="person",
                        method="phone",
                        discussed="順調",
                    ),
                )
                fees.create_fee(
                    session,
                    coord,
                    placement.id,
                    FeeIn(
                        idempotency_key=f"bench-fee-{i:04d}",
                        activity_dates=[today],
                        unit_amount_yen=1000,
                        unit="per_session",
                    ),
                )
                ids.setdefault("placement", placement.id)
            ids.setdefault("person", person.id)
            ids.setdefault("plan", plan.id)
        session.flush()
    return ids


def login(client: TestClient, username: str) -> None:
    """Sign in through the form."""
    client.cookies.clear()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert token
    response = client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "csrf_token": token.group(1)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


def timed(client: TestClient, path: str, repeat: int) -> list[float]:
    """Milliseconds per request (after one warm-up request)."""
    first = client.get(path)
    assert first.status_code == 200, (path, first.status_code, first.text[:300])
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(path)
        out.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, path
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            _env_file=None,
            database_url=f"sqlite:///{tmp}/bench.db",
            load_demo_catalog=True,
            encryption_key=crypto.generate_key(),
            encoder="hashing",
            embedding_cache_dir=Path(tmp) / "emb",
        )
        app = create_app(settings)
        with TestClient(app) as client:
            ids = seed(app, args.people)
            pages = {
                "coord": [
                    "/dashboard",
                    "/people",
                    f"/people/{ids['person']}",
                    f"/people/{ids['person']}/profile",
                    f"/people/{ids['person']}/suggestions",
                    f"/placements/{ids['placement']}",
                    f"/plans/{ids['plan']}",
                    f"/plans/{ids['plan']}/print",
                    f"/people/{ids['person']}/evaluations/new",
                    "/catalog",
                    "/catalog?q=畑&ward=若葉区",
                    "/catalog/D0001",
                    "/fees",
                ],
                "finance": ["/dashboard", "/fees"],
                "catalog": ["/catalog/D0001/edit", "/catalog/import"],
            }
            worst = 0.0
            print(f"{'page':58s} {'median ms':>10s} {'max ms':>8s}")
            for user, paths in pages.items():
                login(client, user)
                for path in paths:
                    times = timed(client, path, args.repeat)
                    med = statistics.median(times)
                    worst = max(worst, med)
                    print(f"{user + ' ' + path:58s} {med:10.1f} {max(times):8.1f}")
    print(f"slowest median: {worst:.1f} ms (budget {BUDGET_MS:.0f} ms)")
    return 0 if worst <= BUDGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
