"""Intake (相談受付・申込票 様式第1号), person records, needs profiles, erasure.

Suggestion runs live in ``casework.services.suggestions``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from casework import normalize
from casework import repository as repo
from casework.errors import CaseworkError, InvalidDate, InvalidInput, NotFound
from casework.models import NeedsProfile, Person, utcnow
from casework.permissions import Principal, authorize
from casework.reference import WARD_CENTRES, fiscal_year
from casework.schemas import (
    NeedsProfileIn,
    PersonIn,
    PersonOut,
    PersonUpdate,
    PossibleDuplicateOut,
)
from casework.services import audit
from casework.services._common import (
    assign_case_owner,
    case_scope,
    jp_date,
    load_person,
    today_in_japan,
)
from places import geocode

# Columns nulled when a person asks to be erased (the tombstone keeps fiscal year and ward).
PERSONAL_COLUMNS = (
    "reception_number",
    "name",
    "furigana",
    "sex",
    "born_on",
    "phone",
    "email",
    "address",
    "home_lat",
    "home_lon",
    "home_location_source",
    "referral_source",
    "referred_on",
    "health_notes",
    "disability_notes",
    "family_notes",
    "closure_note",
)

# Domains built on casework that keep personal rows of a person (consultation/) register a
# function here; erasure on request calls each one, so casework never imports them.
PERSONAL_ROW_ERASERS: list[Callable[[Session, int], None]] = []


def format_reception_number(fiscal_year: int, seq: int) -> str:
    """受付番号 as ``2026-0001``."""
    return f"{fiscal_year}-{seq:04d}"


def _apply_home(person: Person) -> None:
    """Coordinates typed by hand win; else the address geocoded offline (town, postal code,
    ward centre); else the ward's centre; else unknown. The source says which."""
    if person.home_lat is not None and person.home_lon is not None:
        person.home_location_source = "manual"
        return
    found = geocode(person.address, ward=person.ward) if person.address else None
    if found is not None and (person.ward is None or found.ward == person.ward):
        person.home_lat, person.home_lon = found.lat, found.lon
        person.home_location_source = found.source
        if person.ward is None:
            person.ward = found.ward
    elif person.ward is not None:
        centre = WARD_CENTRES[person.ward]
        person.home_lat, person.home_lon = centre.lat, centre.lon
        person.home_location_source = "ward"
    else:
        person.home_lat = person.home_lon = None
        person.home_location_source = None


def check_born_on(born_on: date | None, today: date | None = None) -> None:
    """A birth date lies in the past (a future one would show a negative age)."""
    now = today or today_in_japan()
    if born_on is not None and born_on >= now:
        raise InvalidDate(
            "born_on",
            f"生年月日（{jp_date(born_on)}）が今日以降の日付です。過去の日付を入力してください。",
            f"born_on {born_on.isoformat()} is not in the past (today in Japan is "
            f"{now.isoformat()})",
        )


def create_person(
    session: Session, principal: Principal, data: PersonIn, *, today: date | None = None
) -> Person:
    """Register an intake; assigns the next 受付番号 of the reception date's fiscal year."""
    authorize(principal, "person:write")
    check_born_on(data.born_on, today)
    audit.lock_chain(session)
    received_on = data.received_on or today or today_in_japan()
    fy = fiscal_year(received_on)
    fields = data.model_dump(exclude={"received_on"})
    person = Person(**fields, received_on=received_on, fiscal_year=fy, created_by=principal.ref)
    assign_case_owner(session, principal, person, "person:write")
    _apply_home(person)
    for attempt in range(3):
        try:
            seq = repo.next_reception_seq(session, fy)
            break
        except IntegrityError:
            if attempt == 2:
                raise
    person.reception_seq = seq
    person.reception_number = format_reception_number(fy, seq)
    session.add(person)
    session.flush()
    audit.record(session, principal, "person.create", "person", person.id)
    return person


def get_person(session: Session, principal: Principal, person_id: int) -> Person:
    """Read one person's record (audited)."""
    person = load_person(session, principal, person_id, "person:read")
    audit.record(session, principal, "person.read", "person", person.id)
    return person


def person_out(person: Person, *, on: date | None = None) -> PersonOut:
    """The API shape of a person, with the age derived on ``on`` (default today)."""
    out = PersonOut.model_validate(person)
    out.age = person.age_on(on or today_in_japan())
    return out


def find_by_reception_number(
    session: Session, principal: Principal, reception_number: str
) -> Person:
    """Read a person by 受付番号 (audited)."""
    authorize(principal, "person:read")
    person = repo.get_person_by_reception_number(session, reception_number)
    if person is None:
        raise NotFound(
            "person", reception_number, f"受付番号 {reception_number} の本人が見つかりません。"
        )
    authorize(principal, "person:read", person=person)
    audit.record(session, principal, "person.read", "person", person.id)
    return person


def list_people(
    session: Session,
    principal: Principal,
    *,
    status: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> list[Person]:
    """People the principal may see (coordinators: own and team), audited as one list read."""
    authorize(principal, "person:read")
    people = repo.list_people(
        session, status=status, scope=case_scope(principal), offset=offset, limit=limit
    )
    audit.record(session, principal, "person.list", "person", None, {"ids": [p.id for p in people]})
    return people


# --- finding people ------------------------------------------------------------------
#
# Why no search column: name, ふりがな and phone are compared in the application, on the
# rows the caller may see, rather than through a normalised copy or a blind index stored
# beside them. A plaintext search key would be one more copy of personal data to erase,
# back up and protect; a keyed hash (blind index) only answers exact matches, while a
# coordinator types part of a name or a reading (「やまだ」 for 山田 花子). A coordinator's
# scope is their own and their team's cases, and the whole city registers a few thousand
# people a year, so reading those rows is cheap; it also keeps working if the name columns
# are encrypted at rest later. Duplicates are looked up by birth date and phone digits in
# SQL (no personal text leaves the database for that filter) and the reading is compared
# on that short list.

SEARCH_LIMIT = 50


def _matches(
    row: tuple[int, str | None, str | None, str | None, str | None],
    key: str,
    hira: str,
    romaji: str | None,
    digits: str,
) -> bool:
    _, name, furigana, reception_number, phone = row
    if name and key in normalize.name_key(name):
        return True
    if furigana:
        reading = normalize.reading_key(furigana)
        if hira and hira in reading:
            return True
        if romaji and romaji in normalize.reading_romaji(furigana):
            return True
    if reception_number and key in reception_number:
        return True
    return bool(phone and len(digits) >= 3 and digits in normalize.phone_digits(phone))


def search_people(
    session: Session,
    principal: Principal,
    q: str,
    *,
    status: str | None = None,
    limit: int = SEARCH_LIMIT,
) -> list[Person]:
    """People whose name, ふりがな (any kana width or romaji), 受付番号 or phone contain ``q``.

    Audited as one search with the ids found; the query itself is personal and not logged.
    """
    authorize(principal, "person:read")
    key, hira, romaji = normalize.query_forms(q)
    if not key:
        raise InvalidInput("search query is empty")
    digits = normalize.phone_digits(q) if key.replace("-", "").isdigit() else ""
    rows = repo.search_candidates(session, status=status, scope=case_scope(principal))
    ids = [row[0] for row in rows if _matches(row, key, hira, romaji, digits)][:limit]
    found = repo.people_by_ids(session, ids)
    audit.record(
        session, principal, "person.search", "person", None, {"ids": [p.id for p in found]}
    )
    return found


def possible_duplicates(
    session: Session,
    principal: Principal,
    *,
    name: str | None,
    furigana: str | None,
    born_on: date | None,
    phone: str | None,
    exclude_id: int | None = None,
) -> list[PossibleDuplicateOut]:
    """Existing records that look like the same person: same reading and birth date, or phone.

    Looked up across every team (a person registered twice is often registered by two teams);
    names are shown only where the caller may read the record.
    """
    authorize(principal, "person:write")
    reading = normalize.reading_key(furigana) if furigana else None
    name_form = normalize.name_key(name) if name else None
    digits = normalize.phone_digits(phone) if phone else None
    out: list[PossibleDuplicateOut] = []
    for other in repo.people_born_on_or_with_phone(session, born_on, digits):
        if other.id == exclude_id:
            continue
        matched: list[Literal["reading_and_birth_date", "phone"]] = []
        if born_on is not None and other.born_on == born_on:
            same_reading = (
                reading is not None
                and other.furigana is not None
                and (normalize.reading_key(other.furigana) == reading)
            )
            same_name = (
                reading is None
                and name_form is not None
                and other.name is not None
                and normalize.name_key(other.name) == name_form
            )
            if same_reading or same_name:
                matched.append("reading_and_birth_date")
        if digits and other.phone and normalize.phone_digits(other.phone) == digits:
            matched.append("phone")
        if not matched:
            continue
        try:
            authorize(principal, "person:read", person=other)
            readable = True
        except CaseworkError:
            readable = False
        out.append(
            PossibleDuplicateOut(
                id=other.id,
                name=other.name if readable else None,
                reception_number=other.reception_number,
                matched_on=matched,
                readable=readable,
            )
        )
    if out:
        audit.record(
            session, principal, "person.duplicate_check", "person", exclude_id,
            {"ids": [d.id for d in out]},
        )  # fmt: skip
    return out


def update_person(
    session: Session,
    principal: Principal,
    person_id: int,
    data: PersonUpdate,
    *,
    today: date | None = None,
) -> Person:
    """Change the intake fields that were sent (audited with field names, never values)."""
    person = load_person(session, principal, person_id, "person:write")
    changes = data.model_dump(exclude_unset=True)
    check_born_on(changes.get("born_on"), today)
    if "home_lat" in changes or "home_lon" in changes:
        lat, lon = (
            changes.get("home_lat", person.home_lat),
            changes.get("home_lon", person.home_lon),
        )
        if (lat is None) != (lon is None):
            raise InvalidInput("home_lat and home_lon go together")
    for name, value in changes.items():
        setattr(person, name, value)
    if {"ward", "address", "home_lat", "home_lon"} & changes.keys():
        # Derived coordinates follow the new address or ward; typed ones stay until changed.
        if person.home_location_source != "manual" and not (
            {"home_lat", "home_lon"} & changes.keys()
        ):
            person.home_lat = person.home_lon = None
        _apply_home(person)
    # The new primary staff / team must still be within the coordinator's reach.
    authorize(principal, "person:write", person=person)
    session.flush()
    audit.record(
        session, principal, "person.update", "person", person.id, {"fields": sorted(changes)}
    )
    return person


def delete_person(
    session: Session, principal: Principal, person_id: int, *, reason: str = "request"
) -> Person:
    """Erase a person's personal data on request; keep an anonymised tombstone for counts.

    Profiles, consents, plans, evaluations, meeting records, follow-ups and retention notes are
    deleted; placements and cooperation fees stay (resource, states, amounts) for statistics
    and accounting, with every free-text field cleared.
    """
    person = load_person(session, principal, person_id, "person:delete")
    audit.lock_chain(session)
    # Other domains' rows first (they may point at plans deleted below).
    for erase in PERSONAL_ROW_ERASERS:
        erase(session, person.id)
    repo.delete_personal_rows(session, person.id)
    for name in PERSONAL_COLUMNS:
        setattr(person, name, None)
    person.status = "deleted"
    person.closure_reason = None
    person.deleted_at = utcnow()
    session.flush()
    # Bulk statements bypassed the identity map: drop stale in-memory copies.
    session.expire_all()
    audit.record(session, principal, "person.delete", "person", person_id, {"reason": reason})
    return person


# --- needs profiles ------------------------------------------------------------------


def put_profile(
    session: Session,
    principal: Principal,
    person_id: int,
    data: NeedsProfileIn,
    *,
    today: date | None = None,
) -> NeedsProfile:
    """Store a new profile version (each PUT is a version; older ones stay for history)."""
    person = load_person(session, principal, person_id, "person:write")
    audit.lock_chain(session)
    home = data.home
    profile = NeedsProfile(
        person_id=person.id,
        version=repo.max_profile_version(session, person.id) + 1,
        needs_text=data.needs_text,
        avoid_text=data.avoid_text,
        age=data.age if data.age is not None else person.age_on(today or today_in_japan()),
        has_certificate=data.has_certificate,
        days=list(data.days),
        home_ward=(home.ward if home and home.ward else person.ward),
        home_lat=home.lat if home and home.lat is not None else None,
        home_lon=home.lon if home and home.lon is not None else None,
        home_location_source="manual" if home and home.lat is not None else None,
        max_travel_km=data.max_travel_km,
        needs_wheelchair_access=data.needs_wheelchair_access,
        prefers_quiet=data.prefers_quiet,
        prefers_small_group=data.prefers_small_group,
        wants_paid=data.wants_paid,
        preferred_categories=list(data.preferred_categories),
        excluded_resource_ids=list(data.excluded_resource_ids),
        created_by=principal.ref,
    )
    found = geocode(home.address, ward=home.ward) if home and home.address else None
    if home is not None and home.address:
        profile.home_address = home.address
    if profile.home_lat is None and found is not None:
        # A starting address of its own: its town (or ward centre), never the intake point.
        profile.home_lat, profile.home_lon = found.lat, found.lon
        profile.home_location_source = found.source
        profile.home_ward = found.ward
    if profile.home_lat is None or profile.home_lon is None:
        if home is None or home.ward is None or home.ward == person.ward:
            # The person's own point (geocoded address, typed or ward centre) and its source.
            profile.home_lat, profile.home_lon = person.home_lat, person.home_lon
            profile.home_location_source = person.home_location_source
        else:
            centre = WARD_CENTRES[home.ward]
            profile.home_lat, profile.home_lon = centre.lat, centre.lon
            profile.home_location_source = "ward"
    session.add(profile)
    session.flush()
    audit.record(
        session, principal, "profile.create", "person", person.id, {"version": profile.version}
    )
    return profile


def get_profile(
    session: Session, principal: Principal, person_id: int, version: int | None = None
) -> NeedsProfile:
    """The latest (or a given) profile version (audited)."""
    person = load_person(session, principal, person_id, "person:read")
    profile = (
        repo.latest_profile(session, person.id)
        if version is None
        else repo.profile_version(session, person.id, version)
    )
    if profile is None:
        raise NotFound("needs_profile", f"{person_id}/{version or 'latest'}")
    audit.record(
        session, principal, "profile.read", "person", person.id, {"version": profile.version}
    )
    return profile


def list_profile_versions(
    session: Session, principal: Principal, person_id: int
) -> list[NeedsProfile]:
    """Every profile version of a person, oldest first (audited)."""
    person = load_person(session, principal, person_id, "person:read")
    rows = repo.profile_versions(session, person.id)
    audit.record(session, principal, "profile.list", "person", person.id)
    return rows


# --- anonymised counts ---------------------------------------------------------------


@dataclass(frozen=True)
class CaseCounts:
    """Anonymised counts that survive erasure: people per fiscal year, placements per state."""

    people_by_fiscal_year: dict[int, int]
    people_by_status: dict[str, int]
    deleted_people: int
    placements_by_state: dict[str, int]


def case_counts(session: Session, principal: Principal) -> CaseCounts:
    """Counts for reports (no personal data, so not audited per person)."""
    authorize(principal, "report:read")
    by_year: dict[int, int] = {}
    by_status: dict[str, int] = {}
    deleted = 0
    for fy, status, is_deleted, n in repo.count_people(session):
        by_year[fy] = by_year.get(fy, 0) + n
        by_status[status] = by_status.get(status, 0) + n
        deleted += n if is_deleted else 0
    return CaseCounts(by_year, by_status, deleted, repo.count_placements(session))
