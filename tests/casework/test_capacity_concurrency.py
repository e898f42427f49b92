"""20 coordinators confirm placements at once against 3 free slots: exactly 3 succeed.

Runs on a real file SQLite database, and on PostgreSQL when TSUNAGU_TEST_DATABASE_URL is set.
Every thread has its own session and connection and commits.
"""

from __future__ import annotations

import threading
from datetime import date

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from casework import capacity
from casework.errors import NoCapacity
from casework.models import StaffUser
from casework.schemas import PersonIn, PlacementIn, PlanIn, TransitionIn
from casework.services import audit, people, placements, plans
from casework.services.accounts import principal_for_user
from resources_catalog import service as catalog
from storage.engine import make_session_factory, unit_of_work
from tests.casework.conftest import share_consent

from .conftest import _PASSWORD_HASH, add_resource

THREADS = 20
SLOTS = 3


def test_twenty_confirmations_for_three_slots(isolated_engine: Engine) -> None:
    factory = make_session_factory(isolated_engine)
    add_resource(isolated_engine, "R-LAST", slots=SLOTS)
    with unit_of_work(factory) as session:
        user = StaffUser(
            username="c1", display_name="c1", role="coordinator", team="t",
            password_hash=_PASSWORD_HASH,
        )  # fmt: skip
        session.add(user)
        session.flush()
        who = principal_for_user(user)
        placement_ids = []
        for _ in range(THREADS):
            person = people.create_person(session, who, PersonIn(name="x"), today=date(2026, 5, 1))
            plan = plans.create_plan(session, who, person.id, PlanIn())
            plans.start_early(session, who, plan.id, started_on=date(2026, 5, 1), reason="r")
            share_consent(session, who, person.id, "R-LAST")
            placement = placements.propose_placement(
                session, who, person.id, PlacementIn(resource_id="R-LAST")
            )
            placement_ids.append(placement.id)

    with Session(isolated_engine) as s:
        before = catalog.catalog_revision(s)
    barrier = threading.Barrier(THREADS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def confirm(placement_id: int) -> None:
        barrier.wait()
        try:
            with unit_of_work(factory) as s:
                placements.transition_placement(
                    s, who, placement_id, TransitionIn(to_state="placed")
                )
            result = "placed"
        except NoCapacity:
            result = "no_capacity"
        except Exception as exc:  # surfaced in the assertion below
            result = f"error: {exc!r}"
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=confirm, args=(pid,)) for pid in placement_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert sorted(outcomes) == ["no_capacity"] * (THREADS - SLOTS) + ["placed"] * SLOTS
    with Session(isolated_engine) as s:
        assert capacity.available_slots(s, "R-LAST") == 0
        assert audit.verify_chain(s) == (True, None)
        after = catalog.catalog_revision(s)
    # Every place taken moved the availability counter once, and never the content one.
    assert after == catalog.CatalogRevision(
        content=before.content, availability=before.availability + SLOTS
    )
