"""Casework fixtures: an encryption key, staff principals, people, and catalog resources."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine, insert
from sqlalchemy.orm import Session

from casework import crypto
from casework.models import Person, StaffUser
from casework.permissions import Principal, Role
from casework.schemas import ConsentIn, PersonIn, PlanIn
from casework.services import consent, people, plans
from casework.services.accounts import principal_for_user
from storage.base import Base
from storage.engine import make_engine
from storage.migrate import upgrade
from tests.conftest import empty_database

# A precomputed argon2 hash keeps factories fast (hashing is tested in test_permissions).
_PASSWORD_HASH = (
    "$argon2id$v=19$m=65536,t=3,p=4$kmAjg5+qv/m/8StXWFF7xQ"
    "$PaY0UmLJVr6gfk3OFCycs3etzWNjaJm+jwXAeawbgaU"
)
_seq = itertools.count(1)
TODAY = date(2026, 11, 22)


@pytest.fixture(autouse=True, scope="session")
def encryption_key() -> Iterator[str]:
    """The app configures the cipher at start-up; tests do it once per session."""
    key = crypto.generate_key()
    crypto.configure(key)
    yield key
    crypto.reset()


def add_user(session: Session, role: Role, team: str | None = "team-a") -> StaffUser:
    """A staff account inserted directly."""
    n = next(_seq)
    user = StaffUser(
        username=f"{role}{n}",
        display_name=f"職員{n}",
        role=role,
        team=team,
        password_hash=_PASSWORD_HASH,
    )
    session.add(user)
    session.flush()
    return user


@pytest.fixture
def make_principal(session: Session) -> Callable[..., Principal]:
    """Factory: a principal of a new user with the role and team."""

    def make(role: Role = "coordinator", team: str | None = "team-a") -> Principal:
        return principal_for_user(add_user(session, role, team), ip="10.0.0.1", client="pytest")

    return make


@pytest.fixture
def coordinator(make_principal: Callable[..., Principal]) -> Principal:
    """A coordinator of team-a."""
    return make_principal("coordinator", "team-a")


@pytest.fixture
def supervisor(make_principal: Callable[..., Principal]) -> Principal:
    """A supervisor."""
    return make_principal("supervisor", "team-a")


@pytest.fixture
def finance(make_principal: Callable[..., Principal]) -> Principal:
    """A finance officer."""
    return make_principal("finance", None)


def person_in(**overrides: object) -> PersonIn:
    """Intake data with sensible defaults."""
    data: dict[str, object] = {
        "name": "千葉 花子",
        "furigana": "ちば はなこ",
        "sex": "女性",
        "born_on": date(1990, 5, 1),
        "ward": "稲毛区",
        "received_on": TODAY,
        "referral_source": "あんしんケアセンター",
        "referred_on": date(2026, 11, 1),
        "health_notes": "通院中",
    }
    data.update(overrides)
    return PersonIn.model_validate(data)


@pytest.fixture
def make_person(session: Session, coordinator: Principal) -> Callable[..., Person]:
    """Factory: an intake registered by the coordinator."""

    def make(principal: Principal | None = None, **overrides: object) -> Person:
        return people.create_person(session, principal or coordinator, person_in(**overrides))

    return make


@pytest.fixture
def started_person(
    session: Session, coordinator: Principal, make_person: Callable[..., Person]
) -> Person:
    """A person whose support has started (plan round 1 started early)."""
    person = make_person()
    plan = plans.create_plan(
        session,
        coordinator,
        person.id,
        PlanIn(issues_text="外出の機会がない", goal_text="週1回外に出る"),
        today=TODAY,
    )
    plans.start_early(session, coordinator, plan.id, started_on=TODAY, reason="早期に関わる必要")
    return person


def add_resource(
    session: Session | Engine,
    resource_id: str,
    *,
    slots: int,
    maximum: int | None = None,
    fee_yen: int = 1000,
    fee_unit: str = "per_session",
    organization: str | None = None,
) -> str:
    """Insert a catalog organization + service + capacity with core statements; org id."""
    tables = Base.metadata.tables
    now = datetime.now(UTC)
    org_id = organization or str(uuid.uuid4())
    service_id = str(uuid.uuid4())
    statements = []
    if organization is None:
        statements.append(
            insert(tables["organization"]).values(
                id=org_id, name=f"受入先 {resource_id}", description="", created_at=now
            )
        )
    statements += [
        insert(tables["service"]).values(
            id=service_id, resource_id=resource_id, organization_id=org_id, name=resource_id,
            description="", status="active", requires_certificate=False,
            quiet_environment=False, small_group=False, visit_ok=True, trial_ok=True,
            paid=False, cooperation_fee_yen=fee_yen, cooperation_fee_unit=fee_unit,
            version=1, extra={}, created_at=now, updated_at=now,
        ),
        insert(tables["service_capacity"]).values(
            service_id=service_id, unit="人",
            maximum=maximum if maximum is not None else slots, available=slots, updated_at=now,
        ),
    ]  # fmt: skip
    if isinstance(session, Session):
        for stmt in statements:
            session.execute(stmt)
    else:
        with session.begin() as conn:
            for stmt in statements:
                conn.execute(stmt)
    return org_id


@pytest.fixture
def resource(session: Session) -> Callable[..., str]:
    """Factory: a catalog resource with capacity (returns the resource_id)."""

    def make(resource_id: str | None = None, **kwargs: object) -> str:
        rid = resource_id or f"R{next(_seq):04d}"
        add_resource(session, rid, **kwargs)  # type: ignore[arg-type]
        return rid

    return make


@pytest.fixture
def isolated_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A separately migrated database for tests that must commit (concurrency)."""
    with empty_database(tmp_path_factory.mktemp("iso"), "tsunagu_iso") as url:
        eng = make_engine(url, pool_size=25, max_overflow=5)
        try:
            upgrade(eng)
            yield eng
        finally:
            eng.dispose()


def share_consent(
    session: Session,
    principal: Principal,
    person_id: int,
    resource_id: str,
    *,
    given_on: date = date(2026, 4, 1),
) -> None:
    """Record the person's consent to share with ``resource_id`` (needed for 連絡 and later)."""
    consent.record_consent(
        session,
        principal,
        person_id,
        ConsentIn(
            scope="share_with_receiver",
            receiver_kind="resource",
            receiver_id=resource_id,
            given_on=given_on,
            method="written",
        ),
    )
