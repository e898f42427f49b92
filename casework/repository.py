"""Every query of the casework domain. Services call these; nothing else builds SQL here.

Functions take a Session and plain values, return ORM rows or plain values, and never
commit. Person queries skip deleted (anonymised) tombstones unless asked.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, NamedTuple, cast

from sqlalchemy import (
    ColumnElement,
    String,
    Table,
    and_,
    bindparam,
    delete,
    func,
    insert,
    literal_column,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.orm import Session, selectinload

from casework.models import (
    ApiClient,
    AuditLog,
    Consent,
    CooperationFee,
    EvaluationRevision,
    EvaluationSheet,
    FeeBudget,
    FollowUp,
    FollowUpContact,
    HiddenSuggestion,
    NeedsProfile,
    Person,
    Placement,
    PlacementTransition,
    Plan,
    PlanAction,
    ReceptionCounter,
    RetentionContact,
    SignInAttempt,
    StaffUser,
    SuggestionItem,
    SuggestionRun,
    SupportMeetingRecord,
)

# --- people --------------------------------------------------------------------------


def next_reception_seq(session: Session, fiscal_year: int) -> int:
    """Reserve the next reception sequence number of a fiscal year (row-locked counter)."""
    bumped = session.execute(
        update(ReceptionCounter)
        .where(ReceptionCounter.fiscal_year == fiscal_year)
        .values(last_seq=ReceptionCounter.last_seq + 1)
        .returning(ReceptionCounter.last_seq)
    ).scalar_one_or_none()
    if bumped is not None:
        return int(bumped)
    # First intake of the year. A concurrent first intake fails on the primary key and the
    # caller's retry then finds the row (see services.people.create_person).
    with session.begin_nested():
        session.add(ReceptionCounter(fiscal_year=fiscal_year, last_seq=1))
    return 1


def get_person(session: Session, person_id: int, *, include_deleted: bool = False) -> Person | None:
    """A person by id (None when absent, or deleted unless include_deleted)."""
    person = session.get(Person, person_id)
    if person is None or (person.deleted_at is not None and not include_deleted):
        return None
    return person


class CaseRef(NamedTuple):
    """A live person as authorisation sees them: the id, the primary staff member, the team."""

    id: int
    primary_staff_id: int | None
    team: str | None


_CASE_REF = select(Person.id, Person.primary_staff_id, Person.team).where(
    Person.id == bindparam("person_id"), Person.deleted_at.is_(None)
)


def get_case_ref(session: Session, person_id: int) -> CaseRef | None:
    """The live person's id, primary staff member and team, without loading the person.

    For use cases that need only to authorise (suggestions, on every request): loading the
    mapped ``Person`` builds an object of 30 columns and decrypts its notes (~0.2 ms); this
    is one Core row (~0.04 ms). Pending ORM changes are flushed first, as a query would.
    """
    session.flush()
    row = session.connection().execute(_CASE_REF, {"person_id": person_id}).first()
    return None if row is None else CaseRef(*row)


def get_person_by_reception_number(session: Session, reception_number: str) -> Person | None:
    """A live person by 受付番号."""
    return session.scalars(
        select(Person).where(
            Person.reception_number == reception_number, Person.deleted_at.is_(None)
        )
    ).one_or_none()


def _case_scope(staff_id: int | None, team: str | None) -> ColumnElement[bool]:
    own = Person.primary_staff_id == staff_id if staff_id is not None else None
    mine = Person.team == team if team is not None else None
    clauses = [c for c in (own, mine) if c is not None]
    return or_(*clauses) if clauses else Person.id.is_(None)


def list_people(
    session: Session,
    *,
    status: str | None = None,
    scope: tuple[int | None, str | None] | None = None,
    offset: int = 0,
    limit: int = 50,
) -> list[Person]:
    """Live people ordered by reception; ``scope`` = (staff id, team) limits to own/team."""
    stmt = select(Person).where(Person.deleted_at.is_(None))
    if status is not None:
        stmt = stmt.where(Person.status == status)
    if scope is not None:
        stmt = stmt.where(_case_scope(*scope))
    stmt = stmt.order_by(Person.fiscal_year, Person.reception_seq).offset(offset).limit(limit)
    return list(session.scalars(stmt))


def search_candidates(
    session: Session,
    *,
    status: str | None = None,
    scope: tuple[int | None, str | None] | None = None,
) -> list[tuple[int, str | None, str | None, str | None, str | None]]:
    """(id, name, furigana, reception number, phone) of the live people a search looks through.

    Only these columns: a search compares them and never decrypts anyone's notes.
    """
    stmt = select(
        Person.id, Person.name, Person.furigana, Person.reception_number, Person.phone
    ).where(Person.deleted_at.is_(None))
    if status is not None:
        stmt = stmt.where(Person.status == status)
    if scope is not None:
        stmt = stmt.where(_case_scope(*scope))
    stmt = stmt.order_by(Person.fiscal_year, Person.reception_seq)
    return [(i, n, f, r, ph) for i, n, f, r, ph in session.execute(stmt).all()]


def people_by_ids(session: Session, ids: Sequence[int]) -> list[Person]:
    """People by id, in the order of ``ids``."""
    if not ids:
        return []
    found = {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(ids)))}
    return [found[i] for i in ids if i in found]


def people_born_on_or_with_phone(
    session: Session, born_on: date | None, phone_digits: str | None
) -> list[Person]:
    """Live people born on ``born_on`` or whose phone has exactly these digits (any scope)."""
    clauses: list[ColumnElement[bool]] = []
    if born_on is not None:
        clauses.append(Person.born_on == born_on)
    if phone_digits:
        digits = func.replace(func.replace(func.replace(Person.phone, "-", ""), "+", ""), " ", "")
        clauses.append(digits == phone_digits)
    if not clauses:
        return []
    stmt = select(Person).where(Person.deleted_at.is_(None), or_(*clauses)).order_by(Person.id)
    return list(session.scalars(stmt))


def get_staff_user(session: Session, user_id: int) -> StaffUser | None:
    """A staff account by id."""
    return session.get(StaffUser, user_id)


def staff_display_names(session: Session, user_ids: Sequence[int]) -> dict[int, str]:
    """Display names of the staff accounts among ``user_ids`` (unknown ids are left out)."""
    if not user_ids:
        return {}
    rows = session.execute(
        select(StaffUser.id, StaffUser.display_name).where(StaffUser.id.in_(set(user_ids)))
    )
    return {user_id: name for user_id, name in rows.all()}


def list_staff_users(session: Session) -> list[StaffUser]:
    """Every staff account, by login name (for the administrators' pages)."""
    return list(session.scalars(select(StaffUser).order_by(StaffUser.username)))


def has_staff_users(session: Session) -> bool:
    """True once any staff account exists."""
    return session.scalars(select(StaffUser.id).limit(1)).first() is not None


def get_staff_user_by_username(session: Session, username: str) -> StaffUser | None:
    """A staff account by login name."""
    return session.scalars(select(StaffUser).where(StaffUser.username == username)).one_or_none()


# Queries run on every suggestion request are built once here, with bound parameters:
# building a ``select()`` costs more than running it on SQLite (measured ~0.15 ms of
# ~0.35 ms per query), and the load test of issue 8 runs eleven of them per request.
class ApiKeyHolder(NamedTuple):
    """What authenticating an API key needs of its client."""

    id: int
    name: str
    scopes: list[str]
    revoked_at: datetime | None


_API_CLIENT_BY_HASH = select(
    ApiClient.id, ApiClient.name, ApiClient.scopes, ApiClient.revoked_at
).where(ApiClient.key_hash == bindparam("key_hash"))


def get_api_client_by_hash(session: Session, key_hash: str) -> ApiKeyHolder | None:
    """The client holding the key with this sha256 (read on every API request).

    A prebuilt Core select of four columns on the session's connection, not an ORM load:
    nothing in a request changes a client before it is authenticated, and the unit of work's
    per-statement steps cost more than the query. Pending changes are flushed first all the
    same (a test may create a key and authenticate it in one session).
    """
    session.flush()
    row = session.connection().execute(_API_CLIENT_BY_HASH, {"key_hash": key_hash}).first()
    return None if row is None else ApiKeyHolder(*row)


def get_api_client(session: Session, client_id: int) -> ApiClient | None:
    """An API client by id."""
    return session.get(ApiClient, client_id)


# --- profiles and suggestions --------------------------------------------------------


_LATEST_PROFILE = (
    select(NeedsProfile)
    .where(NeedsProfile.person_id == bindparam("person_id"))
    .order_by(NeedsProfile.version.desc())
    .limit(1)
)


def latest_profile(session: Session, person_id: int) -> NeedsProfile | None:
    """The newest profile version of a person."""
    return session.scalars(_LATEST_PROFILE, {"person_id": person_id}).first()


class MatchingProfile(NamedTuple):
    """Of the newest profile version, what suggesting reads (the matching contract's person,
    its stored query vector, and what a run records)."""

    id: int
    person_id: int
    version: int
    needs_text: str | None
    avoid_text: str | None
    age: int | None
    has_certificate: bool
    days: list[str] | None
    home_ward: str | None
    home_lat: float | None
    home_lon: float | None
    max_travel_km: float | None
    needs_wheelchair_access: bool
    prefers_quiet: bool
    prefers_small_group: bool
    wants_paid: bool
    preferred_categories: list[str] | None
    excluded_resource_ids: list[str] | None
    query_encoder: str | None
    query_vector: str | None
    query_reading: str | None


_LATEST_MATCHING_PROFILE = (
    select(*(getattr(NeedsProfile, name) for name in MatchingProfile._fields))
    .where(NeedsProfile.person_id == bindparam("person_id"))
    .order_by(NeedsProfile.version.desc())
    .limit(1)
)


def latest_matching_profile(session: Session, person_id: int) -> MatchingProfile | None:
    """The newest profile version as one Core row of the columns suggesting reads.

    Read on every suggestion request: loading the mapped ``NeedsProfile`` built an object
    and decrypted its home address too, which matching never reads. Pending ORM changes are
    flushed first, as a query would.
    """
    session.flush()
    params = {"person_id": person_id}
    row = session.connection().execute(_LATEST_MATCHING_PROFILE, params).first()
    return None if row is None else MatchingProfile(*row)


def store_query(session: Session, profile_id: int, values: dict[str, str]) -> None:
    """Keep a profile version's encoded query or reading (columns named in ``values``)."""
    allowed = {"query_encoder", "query_vector", "query_reading"}
    if not values or not set(values) <= allowed:
        raise ValueError(f"store_query takes {sorted(allowed)}, got {sorted(values)}")
    session.execute(update(NeedsProfile).where(NeedsProfile.id == profile_id).values(**values))


def profile_version(session: Session, person_id: int, version: int) -> NeedsProfile | None:
    """One profile version of a person."""
    return session.scalars(
        select(NeedsProfile).where(
            NeedsProfile.person_id == person_id, NeedsProfile.version == version
        )
    ).one_or_none()


def profile_versions(session: Session, person_id: int) -> list[NeedsProfile]:
    """Every profile version of a person, oldest first."""
    return list(
        session.scalars(
            select(NeedsProfile)
            .where(NeedsProfile.person_id == person_id)
            .order_by(NeedsProfile.version)
        )
    )


def get_profile(session: Session, profile_id: int) -> NeedsProfile | None:
    """A profile by id."""
    return session.get(NeedsProfile, profile_id)


def get_profiles(session: Session, profile_ids: Sequence[int]) -> dict[int, NeedsProfile]:
    """Profiles by id."""
    if not profile_ids:
        return {}
    rows = session.scalars(select(NeedsProfile).where(NeedsProfile.id.in_(set(profile_ids))))
    return {p.id: p for p in rows}


def get_suggestion_run(session: Session, run_id: int) -> SuggestionRun | None:
    """A suggestion run with its items."""
    return session.scalars(
        select(SuggestionRun)
        .where(SuggestionRun.id == run_id)
        .options(selectinload(SuggestionRun.items))
    ).one_or_none()


def suggestion_runs(session: Session, person_id: int) -> list[SuggestionRun]:
    """A person's suggestion runs, newest first, with items."""
    return list(
        session.scalars(
            select(SuggestionRun)
            .where(SuggestionRun.person_id == person_id)
            .options(selectinload(SuggestionRun.items))
            .order_by(SuggestionRun.id.desc())
        )
    )


# --- consent -------------------------------------------------------------------------


def consents(session: Session, person_id: int) -> list[Consent]:
    """Every consent of a person, oldest first."""
    return list(
        session.scalars(select(Consent).where(Consent.person_id == person_id).order_by(Consent.id))
    )


def get_consent(session: Session, consent_id: int) -> Consent | None:
    """A consent by id."""
    return session.get(Consent, consent_id)


def valid_consents(
    session: Session,
    person_id: int,
    scope: str,
    on: date,
    *,
    receivers: Sequence[tuple[str, str]] = (),
) -> list[Consent]:
    """Consents in force on ``on`` for the scope (and one of the receivers when given)."""
    stmt = select(Consent).where(
        Consent.person_id == person_id,
        Consent.scope == scope,
        Consent.given_on <= on,
        or_(Consent.expires_on.is_(None), Consent.expires_on >= on),
        or_(Consent.withdrawn_on.is_(None), Consent.withdrawn_on > on),
    )
    if receivers:
        stmt = stmt.where(
            or_(
                *(
                    and_(Consent.receiver_kind == kind, Consent.receiver_id == rid)
                    for kind, rid in receivers
                )
            )
        )
    return list(session.scalars(stmt))


def support_meetings(session: Session, person_id: int) -> list[SupportMeetingRecord]:
    """支援会議 records of a person."""
    return list(
        session.scalars(
            select(SupportMeetingRecord)
            .where(SupportMeetingRecord.person_id == person_id)
            .order_by(SupportMeetingRecord.held_on, SupportMeetingRecord.id)
        )
    )


# --- plans ---------------------------------------------------------------------------


def get_plan(session: Session, plan_id: int) -> Plan | None:
    """A plan with its action rows."""
    return session.scalars(
        select(Plan).where(Plan.id == plan_id).options(selectinload(Plan.actions))
    ).one_or_none()


def latest_plan(session: Session, person_id: int) -> Plan | None:
    """A person's highest plan round, with its action rows."""
    return session.scalars(
        select(Plan)
        .where(Plan.person_id == person_id)
        .options(selectinload(Plan.actions))
        .order_by(Plan.round.desc())
        .limit(1)
    ).first()


def plans(session: Session, person_id: int) -> list[Plan]:
    """Every plan round of a person with actions, oldest first."""
    return list(
        session.scalars(
            select(Plan)
            .where(Plan.person_id == person_id)
            .options(selectinload(Plan.actions))
            .order_by(Plan.round)
        )
    )


def support_started(session: Session, person_id: int) -> bool:
    """True when a plan of the person was decided or started early (利用開始)."""
    return (
        session.scalar(
            select(func.count())
            .select_from(Plan)
            .where(
                Plan.person_id == person_id,
                or_(Plan.status == "decided", Plan.early_start_on.is_not(None)),
            )
        )
        or 0
    ) > 0


# --- placements ----------------------------------------------------------------------


def get_placement(
    session: Session, placement_id: int, *, transitions: bool = False
) -> Placement | None:
    """A placement, optionally with its transitions loaded."""
    stmt = select(Placement).where(Placement.id == placement_id)
    if transitions:
        stmt = stmt.options(selectinload(Placement.transitions))
    return session.scalars(stmt).one_or_none()


def placements_of(session: Session, person_id: int) -> list[Placement]:
    """A person's placements with transitions, oldest first."""
    return list(
        session.scalars(
            select(Placement)
            .where(Placement.person_id == person_id)
            .options(selectinload(Placement.transitions))
            .order_by(Placement.id)
        )
    )


def add_transition(session: Session, transition: PlacementTransition) -> None:
    """Store a transition row."""
    session.add(transition)


def transitions_of(session: Session, placement_id: int) -> list[PlacementTransition]:
    """A placement's transitions in the order they were entered."""
    return list(
        session.scalars(
            select(PlacementTransition)
            .where(PlacementTransition.placement_id == placement_id)
            .order_by(PlacementTransition.id)
        )
    )


def active_placements_of(
    session: Session, person_id: int, ended: tuple[str, ...]
) -> list[Placement]:
    """A person's placements not yet in one of the ``ended`` states, oldest first."""
    return list(
        session.scalars(
            select(Placement)
            .where(Placement.person_id == person_id, Placement.state.not_in(ended))
            .order_by(Placement.id)
        )
    )


def retention_contacts(session: Session, placement_id: int) -> list[RetentionContact]:
    """A placement's retention contacts, oldest first."""
    return list(
        session.scalars(
            select(RetentionContact)
            .where(RetentionContact.placement_id == placement_id)
            .order_by(RetentionContact.contacted_on, RetentionContact.id)
        )
    )


def outcome_placements(session: Session) -> list[Placement]:
    """Placements of live people in a state that can carry an outcome."""
    return list(
        session.scalars(
            select(Placement)
            .join(Person, Person.id == Placement.person_id)
            .where(
                Person.deleted_at.is_(None),
                Placement.state.in_(("placed", "ended", "declined", "no_capacity", "withdrawn")),
            )
            .order_by(Placement.id)
        )
    )


def learning_placements(session: Session) -> list[Placement]:
    """Every placement of live people, in any state (each is a decision on a shown list)."""
    return list(
        session.scalars(
            select(Placement)
            .join(Person, Person.id == Placement.person_id)
            .where(Person.deleted_at.is_(None))
            .order_by(Placement.id)
        )
    )


def suggestion_runs_of(session: Session, person_ids: Sequence[int]) -> list[SuggestionRun]:
    """The suggestion runs of these people with their items, oldest first."""
    if not person_ids:
        return []
    return list(
        session.scalars(
            select(SuggestionRun)
            .where(SuggestionRun.person_id.in_(set(person_ids)))
            .options(selectinload(SuggestionRun.items))
            .order_by(SuggestionRun.id)
        )
    )


# --- evaluations ---------------------------------------------------------------------


def evaluations(session: Session, person_id: int) -> list[EvaluationSheet]:
    """A person's evaluation sheets, oldest first."""
    return list(
        session.scalars(
            select(EvaluationSheet)
            .where(EvaluationSheet.person_id == person_id)
            .order_by(EvaluationSheet.round)
        )
    )


def get_evaluation(session: Session, sheet_id: int) -> EvaluationSheet | None:
    """An evaluation sheet by id."""
    return session.get(EvaluationSheet, sheet_id)


def evaluation_revisions(session: Session, sheet_id: int) -> list[EvaluationRevision]:
    """The corrections of an evaluation sheet, oldest first."""
    return list(
        session.scalars(
            select(EvaluationRevision)
            .where(EvaluationRevision.evaluation_id == sheet_id)
            .order_by(EvaluationRevision.id)
        )
    )


def active_staff(session: Session) -> list[StaffUser]:
    """Active staff accounts by display name (the choices for 主担当者 / 評価担当者)."""
    return list(
        session.scalars(
            select(StaffUser).where(StaffUser.active.is_(True)).order_by(StaffUser.display_name)
        )
    )


def max_round(session: Session, model: type[Plan] | type[EvaluationSheet], person_id: int) -> int:
    """The highest round number of plans or evaluations of a person (0 when none)."""
    value = session.scalar(select(func.max(model.round)).where(model.person_id == person_id))
    return int(value or 0)


def max_profile_version(session: Session, person_id: int) -> int:
    """The highest profile version of a person (0 when none)."""
    value = session.scalar(
        select(func.max(NeedsProfile.version)).where(NeedsProfile.person_id == person_id)
    )
    return int(value or 0)


# --- follow-up and due list ----------------------------------------------------------


def get_follow_up(session: Session, person_id: int) -> FollowUp | None:
    """A person's follow-up schedule."""
    return session.scalars(select(FollowUp).where(FollowUp.person_id == person_id)).one_or_none()


def follow_up_contacts(session: Session, person_id: int) -> list[FollowUpContact]:
    """A person's follow-up contacts, oldest first."""
    return list(
        session.scalars(
            select(FollowUpContact)
            .where(FollowUpContact.person_id == person_id)
            .order_by(FollowUpContact.contacted_on, FollowUpContact.id)
        )
    )


def due_monitoring(
    session: Session, month_start: date, scope: tuple[int | None, str | None] | None
) -> list[tuple[Person, Plan]]:
    """Open people whose latest started plan has its next monitoring in or before the month."""
    latest = (
        select(Plan.person_id, func.max(Plan.round).label("round"))
        .group_by(Plan.person_id)
        .subquery()
    )
    stmt = (
        select(Person, Plan)
        .join(Plan, Plan.person_id == Person.id)
        .join(latest, and_(latest.c.person_id == Plan.person_id, latest.c.round == Plan.round))
        .where(
            Person.deleted_at.is_(None),
            Person.status == "open",
            or_(Plan.status == "decided", Plan.early_start_on.is_not(None)),
            Plan.next_monitoring_on.is_not(None),
            Plan.next_monitoring_on <= month_start,
        )
        .order_by(Plan.next_monitoring_on, Person.id)
    )
    if scope is not None:
        stmt = stmt.where(_case_scope(*scope))
    return [(p, plan) for p, plan in session.execute(stmt).all()]


def due_follow_ups(
    session: Session, today: date, scope: tuple[int | None, str | None] | None
) -> list[tuple[Person, FollowUp]]:
    """Active follow-ups due on or before today."""
    stmt = (
        select(Person, FollowUp)
        .join(FollowUp, FollowUp.person_id == Person.id)
        .where(
            Person.deleted_at.is_(None),
            FollowUp.ended_on.is_(None),
            FollowUp.next_due_on <= today,
        )
        .order_by(FollowUp.next_due_on, Person.id)
    )
    if scope is not None:
        stmt = stmt.where(_case_scope(*scope))
    return [(p, f) for p, f in session.execute(stmt).all()]


def placed_without_contact_since(
    session: Session, cutoff: date, scope: tuple[int | None, str | None] | None
) -> list[tuple[Person, Placement]]:
    """Placed placements whose last retention contact (or placement) is on/before cutoff."""
    stmt = (
        select(Person, Placement)
        .join(Placement, Placement.person_id == Person.id)
        .where(Person.deleted_at.is_(None), Placement.state == "placed")
        .order_by(Placement.id)
    )
    if scope is not None:
        stmt = stmt.where(_case_scope(*scope))
    rows = []
    for person, placement in session.execute(stmt).all():
        # Compared in Python: date-of-timestamp arithmetic differs between SQLite and PG.
        last = placement.last_contact_on or (
            placement.placed_at.date() if placement.placed_at else None
        )
        if last is not None and last <= cutoff:
            rows.append((person, placement))
    return rows


# --- fees ----------------------------------------------------------------------------


def get_fee(session: Session, fee_id: int) -> CooperationFee | None:
    """A fee entry by id."""
    return session.get(CooperationFee, fee_id)


def fee_by_key(session: Session, idempotency_key: str) -> CooperationFee | None:
    """A fee entry by its idempotency key."""
    return session.scalars(
        select(CooperationFee).where(CooperationFee.idempotency_key == idempotency_key)
    ).one_or_none()


def fees_of_placement(session: Session, placement_id: int) -> list[CooperationFee]:
    """A placement's fee entries, oldest first."""
    return list(
        session.scalars(
            select(CooperationFee)
            .where(CooperationFee.placement_id == placement_id)
            .order_by(CooperationFee.id)
        )
    )


def fees(session: Session, *, fiscal_year: int | None = None) -> list[CooperationFee]:
    """Fee entries (of one fiscal year), ordered by id."""
    stmt = select(CooperationFee).order_by(CooperationFee.id)
    if fiscal_year is not None:
        stmt = stmt.where(CooperationFee.fiscal_year == fiscal_year)
    return list(session.scalars(stmt))


FEE_GROUP_COLUMNS: dict[str, Any] = {
    "receiver": CooperationFee.receiver_id,
    "person": CooperationFee.person_id,
    "fiscal_year": CooperationFee.fiscal_year,
    "resource": CooperationFee.resource_id,
}


def fee_sums(
    session: Session, group_by: str, *, fiscal_year: int | None = None
) -> list[tuple[Any, str, int]]:
    """(group key, state, sum of amount_yen) for every group and state."""
    key = FEE_GROUP_COLUMNS[group_by]
    stmt = select(key, CooperationFee.state, func.coalesce(func.sum(CooperationFee.amount_yen), 0))
    if fiscal_year is not None:
        stmt = stmt.where(CooperationFee.fiscal_year == fiscal_year)
    stmt = stmt.group_by(key, CooperationFee.state).order_by(key)
    return [(k, str(s), int(v)) for k, s, v in session.execute(stmt).all()]


def get_budget(session: Session, fiscal_year: int) -> FeeBudget | None:
    """The fee budget of a fiscal year."""
    return session.get(FeeBudget, fiscal_year)


def lock_budget(session: Session, fiscal_year: int) -> FeeBudget | None:
    """The budget row locked for update (serialises approvals against the same budget)."""
    return session.scalars(
        select(FeeBudget).where(FeeBudget.fiscal_year == fiscal_year).with_for_update()
    ).one_or_none()


# --- audit ---------------------------------------------------------------------------


_LAST_AUDIT_LINK = select(AuditLog.id, AuditLog.hash).order_by(AuditLog.id.desc()).limit(1)


def last_audit_link(session: Session) -> tuple[int, str] | None:
    """Id and hash of the newest audit row: all a new row needs to chain on (no detail load)."""
    # On the session's connection: an audit row is never a pending ORM object, so the
    # session's autoflush and ORM execution steps (~0.1 ms a statement) are not needed.
    row = session.connection().execute(_LAST_AUDIT_LINK).first()
    return None if row is None else (int(row[0]), str(row[1]))


_INSERT_AUDIT_ROW = insert(cast(Table, AuditLog.__table__))


def insert_audit_row(session: Session, values: dict[str, Any]) -> None:
    """Append one audit row with a Core insert (every audited request writes one).

    Pending ORM changes are flushed first, so a row is never written before what it records.
    """
    session.flush()
    session.connection().execute(_INSERT_AUDIT_ROW, values)


def audit_rows(session: Session, *, after_id: int = 0, limit: int = 1000) -> list[AuditLog]:
    """Audit rows with id > after_id, oldest first."""
    return list(
        session.scalars(
            select(AuditLog).where(AuditLog.id > after_id).order_by(AuditLog.id).limit(limit)
        )
    )


def audit_rows_for(
    session: Session,
    entity_type: str | None,
    entity_id: str | None,
    *,
    limit: int = 500,
    before_id: int | None = None,
    actor_user_id: int | None = None,
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[AuditLog]:
    """Audit rows about one entity (or all), newest first; older than ``before_id`` if given.

    ``actor_user_id`` matches the staff member's reference as the API (``user:3``) and the
    pages (``山田 (user:3)``) record it; ``since``/``until`` bound the instant (until exclusive).
    """
    stmt = select(AuditLog)
    if before_id is not None:
        stmt = stmt.where(AuditLog.id < before_id)
    if actor_user_id is not None:
        ref = f"user:{actor_user_id}"
        stmt = stmt.where(or_(AuditLog.actor == ref, AuditLog.actor.like(f"%({ref})")))
    if action is not None:
        stmt = stmt.where(AuditLog.action == action)
    if since is not None:
        stmt = stmt.where(AuditLog.occurred_at >= since)
    if until is not None:
        stmt = stmt.where(AuditLog.occurred_at < until)
    if entity_type is not None:
        stmt = stmt.where(AuditLog.entity_type == entity_type)
    if entity_id is not None:
        stmt = stmt.where(AuditLog.entity_id == entity_id)
    return list(session.scalars(stmt.order_by(AuditLog.id.desc()).limit(limit)))


def audit_actions(session: Session) -> list[str]:
    """Every action code the audit log holds (for the auditor's filter)."""
    return list(session.scalars(select(AuditLog.action).distinct().order_by(AuditLog.action)))


def staff_names_by_id(session: Session) -> list[tuple[int, str]]:
    """(id, display name) of every staff account, by name (for the auditor's filter)."""
    rows = session.execute(
        select(StaffUser.id, StaffUser.display_name).order_by(StaffUser.display_name)
    )
    return [(user_id, name) for user_id, name in rows.all()]


# --- deletion and counts -------------------------------------------------------------


def delete_personal_rows(session: Session, person_id: int) -> None:
    """Delete the rows that are nothing but personal data about one person."""
    plan_ids = select(Plan.id).where(Plan.person_id == person_id)
    run_ids = select(SuggestionRun.id).where(SuggestionRun.person_id == person_id)
    placement_ids = select(Placement.id).where(Placement.person_id == person_id)
    session.execute(
        update(Placement)
        .where(Placement.person_id == person_id)
        .values(
            profile_id=None,
            plan_id=None,
            suggestion_run_id=None,
            reason_text=None,
        )
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(PlacementTransition)
        .where(PlacementTransition.placement_id.in_(placement_ids))
        .values(note=None)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        delete(RetentionContact).where(RetentionContact.placement_id.in_(placement_ids))
    )
    session.execute(delete(EvaluationSheet).where(EvaluationSheet.person_id == person_id))
    session.execute(
        update(Plan)
        .where(Plan.person_id == person_id)
        .values(copied_from_plan_id=None)
        .execution_options(synchronize_session=False)
    )
    session.execute(delete(PlanAction).where(PlanAction.plan_id.in_(plan_ids)))
    session.execute(delete(Plan).where(Plan.person_id == person_id))
    session.execute(delete(SuggestionItem).where(SuggestionItem.run_id.in_(run_ids)))
    session.execute(delete(SuggestionRun).where(SuggestionRun.person_id == person_id))
    session.execute(delete(NeedsProfile).where(NeedsProfile.person_id == person_id))
    session.execute(delete(Consent).where(Consent.person_id == person_id))
    session.execute(delete(SupportMeetingRecord).where(SupportMeetingRecord.person_id == person_id))
    session.execute(delete(FollowUpContact).where(FollowUpContact.person_id == person_id))
    session.execute(delete(FollowUp).where(FollowUp.person_id == person_id))


def count_people(session: Session) -> list[tuple[int, str, bool, int]]:
    """(fiscal year, status, deleted, n) over every person row including tombstones."""
    stmt = (
        select(
            Person.fiscal_year,
            Person.status,
            Person.deleted_at.is_not(None),
            func.count(),
        )
        .group_by(Person.fiscal_year, Person.status, Person.deleted_at.is_not(None))
        .order_by(Person.fiscal_year, Person.status)
    )
    return [(int(fy), str(st), bool(d), int(n)) for fy, st, d, n in session.execute(stmt).all()]


def count_placements(session: Session) -> dict[str, int]:
    """Placements per state (tombstoned people included)."""
    stmt = select(Placement.state, func.count()).group_by(Placement.state)
    return {str(state): int(n) for state, n in session.execute(stmt).all()}


_LEFT_OUT_RESOURCE_IDS = union_all(
    select(literal_column("'proposed'", String), Placement.resource_id).where(
        Placement.person_id == bindparam("person_id")
    ),
    select(literal_column("'hidden'", String), HiddenSuggestion.resource_id).where(
        HiddenSuggestion.person_id == bindparam("person_id")
    ),
)


def left_out_resource_ids(session: Session, person_id: int) -> tuple[set[str], set[str]]:
    """(proposed, hidden): resources already proposed to (or tried by) a person, in any
    placement state, and those a coordinator hid from their suggestions (one query)."""
    proposed: set[str] = set()
    hidden: set[str] = set()
    session.flush()
    rows = session.connection().execute(_LEFT_OUT_RESOURCE_IDS, {"person_id": person_id})
    for kind, resource_id in rows:
        (proposed if kind == "proposed" else hidden).add(resource_id)
    return proposed, hidden


class ConsentInForce(NamedTuple):
    """Of a consent in force, what matching needs: its scope and the receiver it names."""

    scope: str
    receiver_kind: str | None
    receiver_id: str | None


# No ``scope IN (...)``: an expanding parameter rewrites the cached SQL on every execution
# (~0.07 ms, as long as the rest of the query); a person has a handful of consents, so the
# scopes are picked in Python.
_CONSENTS_IN_FORCE = select(Consent.scope, Consent.receiver_kind, Consent.receiver_id).where(
    Consent.person_id == bindparam("person_id"),
    Consent.given_on <= bindparam("on"),
    or_(Consent.expires_on.is_(None), Consent.expires_on >= bindparam("on")),
    or_(Consent.withdrawn_on.is_(None), Consent.withdrawn_on > bindparam("on")),
)


def consents_in_force(
    session: Session, person_id: int, scopes: Sequence[str], on: date
) -> list[ConsentInForce]:
    """Consents of any of ``scopes`` in force on ``on`` (one query for several scopes).

    Three columns on the session's connection after a flush: loading ``Consent`` objects
    decrypted their notes, which matching never reads, on every suggestion request.
    """
    wanted = set(scopes)
    session.flush()
    rows = session.connection().execute(_CONSENTS_IN_FORCE, {"person_id": person_id, "on": on})
    return [ConsentInForce(*row) for row in rows if row[0] in wanted]


_SUGGESTION_RUN = cast(Table, SuggestionRun.__table__)
_INSERT_SUGGESTION_RUN = insert(_SUGGESTION_RUN).returning(_SUGGESTION_RUN.c.id)


def insert_suggestion_run(session: Session, values: dict[str, Any]) -> int:
    """Store a run's row and return its id (a run is written on every suggestion request).

    A Core insert: the unit of work's flush of one new object cost ~0.5 ms, more than the
    ranking. Pending ORM changes are flushed first, so the order of writes is unchanged.
    """
    session.flush()
    return int(session.connection().execute(_INSERT_SUGGESTION_RUN, values).scalar_one())


_INSERT_SUGGESTION_ITEMS = insert(cast(Table, SuggestionItem.__table__))


def insert_suggestion_items(session: Session, run_id: int, rows: Sequence[dict[str, Any]]) -> None:
    """The items of a run in one executemany (a run is written on every suggestion request).

    Against the table, not the mapped class: ORM bulk inserts add their own per-row work.
    """
    if rows:
        session.connection().execute(
            _INSERT_SUGGESTION_ITEMS,
            [{**row, "run_id": run_id} for row in rows],
        )


def submitted_plans(session: Session, *, limit: int = 200) -> list[Plan]:
    """Plans submitted to the 重層的支援会議 and not decided yet, oldest submission first."""
    return list(
        session.scalars(
            select(Plan)
            .join(Person, Person.id == Plan.person_id)
            .where(Plan.status == "submitted", Person.deleted_at.is_(None))
            .order_by(Plan.submitted_at, Plan.id)
            .limit(limit)
        )
    )


# --- sign-in attempts ---------------------------------------------------------------------


def last_sign_in_reset(
    session: Session, *, account: str | None = None, address: str | None = None
) -> datetime | None:
    """When counting restarts for an account (its last success or unlock) or an address
    (its last unlock: a success from a shared address does not excuse guesses at others)."""
    if account is not None:
        where = [SignInAttempt.account == account, SignInAttempt.outcome.in_(("success", "unlock"))]
    else:
        where = [
            SignInAttempt.address == address,
            SignInAttempt.account.is_(None),
            SignInAttempt.outcome == "unlock",
        ]
    return session.scalar(select(func.max(SignInAttempt.occurred_at)).where(*where))


def sign_in_failures(
    session: Session,
    *,
    since: datetime,
    account: str | None = None,
    address: str | None = None,
) -> tuple[int, datetime | None]:
    """(count, latest) of failed attempts after ``since`` for an account or an address."""
    column = SignInAttempt.account if account is not None else SignInAttempt.address
    value = account if account is not None else address
    count, latest = session.execute(
        select(func.count(), func.max(SignInAttempt.occurred_at)).where(
            column == value,
            SignInAttempt.outcome == "failure",
            SignInAttempt.occurred_at > since,
        )
    ).one()
    return int(count), latest


def audit_row_id_with_hash(session: Session, row_hash: str) -> int | None:
    """The id of the audit row whose hash is ``row_hash`` (None when no row has it)."""
    return session.scalar(select(AuditLog.id).where(AuditLog.hash == row_hash))


# --- agenda (the dashboard's day plan) ---------------------------------------------------

Scope = tuple[int | None, str | None] | None
ACTIVE_PLACEMENT_STATES = ("contacted", "visit", "trial", "placed")


def retention_next_actions(
    session: Session, until: date, scope: Scope
) -> list[tuple[Person, Placement, RetentionContact]]:
    """Active placements whose latest 定着支援 contact set a 次の対応日 on or before ``until``."""
    latest = (
        select(RetentionContact.placement_id, func.max(RetentionContact.id).label("id"))
        .group_by(RetentionContact.placement_id)
        .subquery()
    )
    stmt = (
        select(Person, Placement, RetentionContact)
        .join(Placement, Placement.person_id == Person.id)
        .join(latest, latest.c.placement_id == Placement.id)
        .join(RetentionContact, RetentionContact.id == latest.c.id)
        .where(
            Person.deleted_at.is_(None),
            Placement.state.in_(ACTIVE_PLACEMENT_STATES),
            RetentionContact.next_action_on.is_not(None),
            RetentionContact.next_action_on <= until,
        )
        .order_by(RetentionContact.next_action_on, Placement.id)
    )
    if scope is not None:
        stmt = stmt.where(_case_scope(*scope))
    return [(p, pl, c) for p, pl, c in session.execute(stmt).all()]


def waiting_on_receiver(
    session: Session, before: datetime, scope: Scope
) -> list[tuple[Person, Placement, datetime]]:
    """Placements still 連絡済 (waiting for the receiver) since a move dated before ``before``."""
    latest = (
        select(PlacementTransition.placement_id, func.max(PlacementTransition.id).label("id"))
        .group_by(PlacementTransition.placement_id)
        .subquery()
    )
    stmt = (
        select(Person, Placement, PlacementTransition.at)
        .join(Placement, Placement.person_id == Person.id)
        .join(latest, latest.c.placement_id == Placement.id)
        .join(PlacementTransition, PlacementTransition.id == latest.c.id)
        .where(
            Person.deleted_at.is_(None),
            Placement.state == "contacted",
            PlacementTransition.at <= before,
        )
        .order_by(PlacementTransition.at, Placement.id)
    )
    if scope is not None:
        stmt = stmt.where(_case_scope(*scope))
    return [(p, pl, at) for p, pl, at in session.execute(stmt).all()]


def plans_decided_since(session: Session, since: date, scope: Scope) -> list[tuple[Person, Plan]]:
    """Plans decided (決定) on or after ``since``, newest first."""
    stmt = (
        select(Person, Plan)
        .join(Plan, Plan.person_id == Person.id)
        .where(Person.deleted_at.is_(None), Plan.status == "decided", Plan.decided_on >= since)
        .order_by(Plan.decided_on.desc(), Plan.id.desc())
    )
    if scope is not None:
        stmt = stmt.where(_case_scope(*scope))
    return [(p, plan) for p, plan in session.execute(stmt).all()]


def last_contacts(session: Session, scope: Scope) -> list[tuple[Person, date | None]]:
    """Open people with their latest dated contact (定着支援 or follow-up), None when none."""
    retention = (
        select(Placement.person_id, func.max(RetentionContact.contacted_on).label("on"))
        .join(RetentionContact, RetentionContact.placement_id == Placement.id)
        .group_by(Placement.person_id)
        .subquery()
    )
    follow = (
        select(FollowUpContact.person_id, func.max(FollowUpContact.contacted_on).label("on"))
        .group_by(FollowUpContact.person_id)
        .subquery()
    )
    stmt = (
        select(Person, retention.c.on, follow.c.on)
        .outerjoin(retention, retention.c.person_id == Person.id)
        .outerjoin(follow, follow.c.person_id == Person.id)
        .where(Person.deleted_at.is_(None), Person.status == "open")
        .order_by(Person.id)
    )
    if scope is not None:
        stmt = stmt.where(_case_scope(*scope))
    out: list[tuple[Person, date | None]] = []
    for person, r_on, f_on in session.execute(stmt).all():
        dates = [d for d in (r_on, f_on) if d is not None]
        out.append((person, max(dates) if dates else None))
    return out


def hidden_suggestions(session: Session, person_id: int) -> list[HiddenSuggestion]:
    """Resources hidden from a person's suggestions, newest first."""
    return list(
        session.scalars(
            select(HiddenSuggestion)
            .where(HiddenSuggestion.person_id == person_id)
            .order_by(HiddenSuggestion.hidden_at.desc(), HiddenSuggestion.id.desc())
        )
    )


def get_hidden_suggestion(
    session: Session, person_id: int, resource_id: str
) -> HiddenSuggestion | None:
    """The hide row of one resource for one person, if any."""
    return session.scalars(
        select(HiddenSuggestion).where(
            HiddenSuggestion.person_id == person_id, HiddenSuggestion.resource_id == resource_id
        )
    ).one_or_none()
