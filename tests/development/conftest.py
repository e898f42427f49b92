"""Development fixtures: the demo caseload once per module, with matching consents given."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from casework.demo import DemoCaseload, build_demo_caseload
from matching import HashingEncoder, Ranker
from resources_catalog import service as catalog
from tests.casework.conftest import encryption_key  # noqa: F401  (autouse fixture)

AS_OF = date(2026, 11, 30)


@dataclass
class Demo:
    """The demo caseload in a rolled-back transaction, and a ranker fitted on its catalog."""

    session: Session
    caseload: DemoCaseload
    ranker: Ranker


def fitted_ranker(session: Session) -> Ranker:
    """The hashing-encoder ranker on the stored catalog (as casework.ranker_provider builds it)."""
    from casework.ranker_provider import to_matching_resource

    resources = [to_matching_resource(r) for r in catalog.all_records(session)]
    return Ranker(encoder=HashingEncoder()).fit(resources)


@pytest.fixture(scope="module")
def demo(engine: Engine) -> Iterator[Demo]:
    """The seeded demo caseload, as built: every person gave a matching consent at intake."""
    connection = engine.connect()
    outer = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint")
    try:
        caseload = build_demo_caseload(session, n_people=40, as_of=AS_OF)
        session.flush()
        yield Demo(session, caseload, fitted_ranker(session))
    finally:
        session.close()
        outer.rollback()
        connection.close()
