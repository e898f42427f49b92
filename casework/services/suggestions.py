"""Suggestions for a person (マッチング候補): the one home of the use case.

The JSON API and the web page are two doors to these functions. The order of work is what
keeps the service fast under load:

1. read (one short transaction): the person with permission, the consent to matching, the
   latest profile with its stored query vector, what was already proposed;
2. end that transaction, then rank with no database lock held (SQLite's ``BEGIN IMMEDIATE``
   would otherwise serialise every request behind the ranking);
3. write (a second short transaction, committed here too): the run, its items and one
   audit row. The request's unit of work then finds nothing left to commit and ends
   without another hop to a worker thread.

The query vector is computed when a profile version is saved (``save_profile``) and stored
with it, keyed by encoder and a hash of the exact query text, so a suggestion request for an
unchanged profile never runs the encoder.
"""

from __future__ import annotations

import base64
import hashlib
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from casework import capacity
from casework import repository as repo
from casework.errors import ConsentRequired, NotFound
from casework.models import HiddenSuggestion, NeedsProfile, SuggestionRun, utcnow
from casework.permissions import Principal
from casework.ranker_provider import RankerProvider
from casework.reference import CONSENT_MATCHING, CONSENT_SHARE_RECEIVER
from casework.schemas import HideSuggestionIn, NeedsProfileIn, SuggestionRunIn
from casework.services import audit, consent, people
from casework.services._common import load_case_ref, load_person, today_in_japan
from matching import (
    Excluded,
    Located,
    PersonProfile,
    Ranker,
    Resource,
    RuleBreak,
    Suggestion,
    UnservedPreference,
)

RANKER_VERSION_MAX = 100


def to_person_profile(
    profile: NeedsProfile | repo.MatchingProfile, *, person_key: str | None = None
) -> PersonProfile:
    """The profile version as the matching library's person (the one conversion)."""
    return PersonProfile(
        person_id=person_key or f"P{profile.person_id}",
        needs_text=profile.needs_text or "",
        avoid_text=profile.avoid_text or "",
        age=profile.age,
        has_certificate=profile.has_certificate,
        days=[str(d).strip().lower() for d in profile.days or []],
        home_ward=profile.home_ward or "",
        home_lat=profile.home_lat,
        home_lon=profile.home_lon,
        max_travel_km=profile.max_travel_km,
        needs_wheelchair_access=profile.needs_wheelchair_access,
        prefers_quiet=profile.prefers_quiet,
        prefers_small_group=profile.prefers_small_group,
        wants_paid=profile.wants_paid,
        preferred_categories=list(profile.preferred_categories or []),
        excluded_resource_ids=list(profile.excluded_resource_ids or []),
    )


# --- stored query vectors --------------------------------------------------------------


def _text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _stored_vector(
    profile: NeedsProfile | repo.MatchingProfile, encoder: str, text_hash: str
) -> np.ndarray | None:
    if profile.query_encoder != encoder or not profile.query_vector:
        return None
    stored_hash, _, payload = profile.query_vector.partition(":")
    if stored_hash != text_hash:
        return None
    return np.frombuffer(base64.b64decode(payload), dtype=np.float32)


@dataclass(frozen=True)
class _StoredQuery:
    """A profile version's query vector and reading, and the columns to store when either
    was computed now (saved before this encoder or reading code, or never)."""

    vector: np.ndarray
    reading: str
    fresh: dict[str, str]


def _stored_query(
    ranker: Ranker, profile: NeedsProfile | repo.MatchingProfile, person: PersonProfile
) -> _StoredQuery:
    """The stored vector and reading where they still fit; the rest computed now."""
    fresh: dict[str, str] = {}
    text = ranker.query_text(person)
    encoder, text_hash = ranker.encoder_.name, _text_hash(text)
    vector = _stored_vector(profile, encoder, text_hash)
    if vector is None:
        vector = np.asarray(ranker.encode_query_text(text), dtype=np.float32)
        fresh["query_encoder"] = encoder[:100]
        fresh["query_vector"] = f"{text_hash}:{base64.b64encode(vector.tobytes()).decode('ascii')}"
    reading = profile.query_reading
    if reading is None or not ranker.reading_fits(person, reading):
        reading = ranker.read(person)
        fresh["query_reading"] = reading
    return _StoredQuery(vector, reading, fresh)


def _query_of(ranker: Ranker, profile: NeedsProfile, person: PersonProfile) -> _StoredQuery:
    """As :func:`_stored_query`, keeping what was computed now on the version."""
    stored = _stored_query(ranker, profile, person)
    for column, value in stored.fresh.items():
        setattr(profile, column, value)
    return stored


def save_profile(
    session: Session,
    principal: Principal,
    person_id: int,
    data: NeedsProfileIn,
    provider: RankerProvider,
    *,
    today: date | None = None,
) -> NeedsProfile:
    """Store a new profile version and encode and read its query now, so suggesting never
    waits for the encoder or the analyser."""
    profile = people.put_profile(session, principal, person_id, data, today=today)
    ranker = provider.current(session)
    _query_of(ranker, profile, to_person_profile(profile))
    session.flush()
    return profile


# --- suggesting --------------------------------------------------------------------------


@dataclass(frozen=True)
class SuggestedResource:
    """One ranked resource as stored in the run, with whether its receiver may see details."""

    rank: int
    resource_id: str
    score: float
    reasons: list[str]
    distance_km: float | None
    may_share_details: bool


@dataclass(frozen=True)
class SuggestionResult:
    """A stored run and what the coordinator is shown of it."""

    run: SuggestionRun
    items: list[SuggestedResource]
    ranker_version: str
    profile_version: int
    already_proposed: list[str] = field(default_factory=list)


@dataclass
class _Prepared:
    person_id: int
    profile: repo.MatchingProfile
    query: PersonProfile
    vector: np.ndarray
    reading: str
    ranker: Ranker
    proposed: set[str]
    hidden: set[str]
    share_receivers: set[tuple[str, str]]


def _prepare(
    session: Session, principal: Principal, person_id: int, provider: RankerProvider, day: date
) -> _Prepared:
    person = load_case_ref(session, principal, person_id, "suggestion:run")
    consents = repo.consents_in_force(
        session, person.id, (CONSENT_MATCHING, CONSENT_SHARE_RECEIVER), day
    )
    # Consent first: no personal data is processed for matching without it.
    if not any(c.scope == CONSENT_MATCHING for c in consents):
        raise ConsentRequired(CONSENT_MATCHING)
    profile = repo.latest_matching_profile(session, person.id)
    if profile is None:
        raise NotFound("needs_profile", f"{person_id}/latest")
    ranker = provider.current(session)
    query = to_person_profile(profile)
    stored = _stored_query(ranker, profile, query)
    if stored.fresh:  # saved under another encoder or reading code: kept for the next request
        repo.store_query(session, profile.id, stored.fresh)
    proposed, hidden = repo.left_out_resource_ids(session, person.id)
    return _Prepared(
        person_id=person.id,
        profile=profile,
        query=query,
        vector=stored.vector,
        reading=stored.reading,
        ranker=ranker,
        proposed=proposed,
        hidden=hidden,
        share_receivers={
            (c.receiver_kind or "", c.receiver_id or "")
            for c in consents
            if c.scope == CONSENT_SHARE_RECEIVER
        },
    )


def _may_share(session: Session, prep: _Prepared, resource_id: str, day: date) -> bool:
    """A consent naming the resource, or the organization offering it, covers it."""
    if not prep.share_receivers:
        return False
    if ("resource", resource_id) in prep.share_receivers:
        return True
    if not any(kind == "organization" for kind, _ in prep.share_receivers):
        return False
    return consent.may_share_with(session, prep.person_id, resource_id=resource_id, on=day)


def suggest_for_person(
    session: Session,
    principal: Principal,
    person_id: int,
    provider: RankerProvider,
    *,
    top_k: int = 10,
    on: date | None = None,
) -> SuggestionResult:
    """Rank the catalog for the latest profile version and store the run.

    Resources already proposed to the person (in any state, declined included) and those a
    coordinator hid are left out, so neither comes back. 409 ``consent_required`` without
    consent.
    """
    day = on or today_in_japan()
    prep = _prepare(session, principal, person_id, provider, day)
    # End the read transaction: ranking holds no database lock (see the module docstring).
    session.commit()
    left_out = prep.proposed | prep.hidden
    ranked = [
        s
        for s in prep.ranker.rank(
            prep.query, prep.vector, top_k=top_k + len(left_out), reading=prep.reading
        )
        if s.resource_id not in left_out
    ][:top_k]
    run = _store_run(session, principal, prep, ranked)
    items = [
        SuggestedResource(
            rank=i,
            resource_id=s.resource_id,
            score=s.score,
            reasons=list(s.reasons),
            distance_km=s.features.get("distance_km"),
            may_share_details=_may_share(session, prep, s.resource_id, day),
        )
        for i, s in enumerate(ranked, start=1)
    ]
    # End the write transaction in this (worker) thread: see the module docstring.
    session.commit()
    return SuggestionResult(
        run=run,
        items=items,
        ranker_version=run.ranker_version,
        profile_version=prep.profile.version,
        already_proposed=sorted(prep.proposed),
    )


def _add_run(
    session: Session,
    principal: Principal,
    profile: NeedsProfile | repo.MatchingProfile,
    ranker_version: str,
    items: list[tuple[str, float, list[Any]]],
    action: str,
) -> SuggestionRun:
    """A run with its items (one executemany) and its one audit row.

    Rows are written with Core inserts: the unit of work's per-object bookkeeping cost more
    than the ranking itself. The returned run carries what was stored, without its items,
    and is not attached to the session.
    """
    run = SuggestionRun(
        person_id=profile.person_id,
        profile_id=profile.id,
        profile_version=profile.version,
        ranker_version=ranker_version[:RANKER_VERSION_MAX],
        created_at=utcnow(),
        created_by=principal.ref,
    )
    run.id = repo.insert_suggestion_run(
        session,
        {
            "person_id": run.person_id,
            "profile_id": run.profile_id,
            "profile_version": run.profile_version,
            "ranker_version": run.ranker_version,
            "created_at": run.created_at,
            "created_by": run.created_by,
        },
    )
    repo.insert_suggestion_items(
        session,
        run.id,
        [
            {"rank": i, "resource_id": rid, "score": score, "reasons": reasons}
            for i, (rid, score, reasons) in enumerate(items, start=1)
        ],
    )
    audit.record(
        session,
        principal,
        action,
        "person",
        profile.person_id,
        {"run_id": run.id, "profile_version": profile.version, "items": len(items)},
    )
    return run


def _store_run(
    session: Session, principal: Principal, prep: _Prepared, ranked: list[Suggestion]
) -> SuggestionRun:
    items = [(s.resource_id, s.score, list(s.reasons)) for s in ranked]
    return _add_run(session, principal, prep.profile, prep.ranker.version, items, "suggestion.run")


def record_suggestion_run(
    session: Session,
    principal: Principal,
    person_id: int,
    data: SuggestionRunIn,
    *,
    on: date | None = None,
) -> SuggestionRun:
    """Store a run ranked elsewhere (imports, benchmarks); needs consent to matching."""
    person = load_person(session, principal, person_id, "suggestion:run")
    day = on or today_in_japan()
    if not repo.valid_consents(session, person.id, CONSENT_MATCHING, day):
        raise ConsentRequired(CONSENT_MATCHING)
    profile = (
        repo.latest_profile(session, person.id)
        if data.profile_version is None
        else repo.profile_version(session, person.id, data.profile_version)
    )
    if profile is None:
        raise NotFound("needs_profile", f"{person_id}/{data.profile_version or 'latest'}")
    items = [(item.resource_id, item.score, list(item.reasons)) for item in data.items]
    return _add_run(session, principal, profile, data.ranker_version, items, "suggestion.record")


def list_suggestion_runs(
    session: Session, principal: Principal, person_id: int
) -> list[SuggestionRun]:
    """A person's stored runs with items, newest first (audited)."""
    person = load_person(session, principal, person_id, "person:read")
    runs = repo.suggestion_runs(session, person.id)
    audit.record(session, principal, "suggestion.list", "person", person.id)
    return runs


# --- hiding a suggestion ----------------------------------------------------------------


def hide_suggestion(
    session: Session, principal: Principal, person_id: int, data: HideSuggestionIn
) -> HiddenSuggestion:
    """Hide a resource from the person's suggestions at any stage of the case.

    Hiding is not a proposal: it needs no plan and leaves no 辞退 on the case. Hiding again
    replaces the reason and note. The note stays encrypted and out of the audit row.
    """
    person = load_person(session, principal, person_id, "person:write")
    if not capacity.resource_exists(session, data.resource_id):
        raise NotFound("resource", data.resource_id)
    row = repo.get_hidden_suggestion(session, person.id, data.resource_id)
    if row is None:
        row = HiddenSuggestion(person_id=person.id, resource_id=data.resource_id, hidden_by="")
        session.add(row)
    row.reason_code = data.reason_code
    row.note = data.note
    row.hidden_by = principal.ref
    row.hidden_at = utcnow()
    session.flush()
    audit.record(
        session, principal, "suggestion.hide", "person", person.id,
        {"resource_id": data.resource_id, "reason_code": data.reason_code},
    )  # fmt: skip
    return row


def unhide_suggestion(
    session: Session, principal: Principal, person_id: int, resource_id: str
) -> None:
    """Show a hidden resource again (404 when it was not hidden)."""
    person = load_person(session, principal, person_id, "person:write")
    row = repo.get_hidden_suggestion(session, person.id, resource_id)
    if row is None:
        raise NotFound("hidden_suggestion", f"{person_id}/{resource_id}")
    session.delete(row)
    session.flush()
    audit.record(
        session, principal, "suggestion.unhide", "person", person.id, {"resource_id": resource_id}
    )


def list_hidden_suggestions(
    session: Session, principal: Principal, person_id: int
) -> list[HiddenSuggestion]:
    """What was hidden for the person, newest first (audited as a read)."""
    person = load_person(session, principal, person_id, "person:read")
    rows = repo.hidden_suggestions(session, person.id)
    audit.record(session, principal, "suggestion.hidden.list", "person", person.id)
    return rows


# --- why not -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Exclusion:
    """Why a named resource is (or is not) excluded for a person by the hard rules."""

    resource_id: str
    rules: list[RuleBreak]
    ranker_version: str
    profile_version: int

    @property
    def excluded(self) -> bool:
        """True when at least one hard rule is broken."""
        return bool(self.rules)


def explain_exclusion(
    session: Session,
    principal: Principal,
    person_id: int,
    resource_id: str,
    provider: RankerProvider,
) -> Exclusion:
    """Every hard rule the resource breaks for the person's latest profile (audited)."""
    person = load_person(session, principal, person_id, "person:read")
    profile = repo.latest_profile(session, person.id)
    if profile is None:
        raise NotFound("needs_profile", f"{person_id}/latest")
    ranker = provider.current(session)
    # An unknown id raises matching's UnknownResourceError (the API answers 404).
    breaks = ranker.explain_exclusion(to_person_profile(profile), resource_id)
    audit.record(
        session, principal, "suggestion.explain", "person", person.id, {"resource_id": resource_id}
    )
    return Exclusion(resource_id, breaks, ranker.version, profile.version)


@dataclass(frozen=True)
class WhyNot:
    """What the hard rules keep out, for the "close but excluded" panel and the search box.

    ``near_excluded``: resources that would rank in the top 5 but break a rule;
    ``unserved``: preferred categories with no feasible resource, and why;
    ``asked``: where the resources matching the coordinator's search stand.
    """

    near_excluded: list[Excluded]
    unserved: list[UnservedPreference]
    asked: list[Located]
    ask: str
    ranker_version: str
    profile_version: int


ASK_MAX_RESULTS = 5


def _matches(resource: Resource, needle: str) -> bool:
    hay = unicodedata.normalize("NFKC", f"{resource.name} {resource.organization}").lower()
    return needle in hay or needle == resource.resource_id.lower()


def why_not(
    session: Session,
    principal: Principal,
    person_id: int,
    provider: RankerProvider,
    *,
    ask: str = "",
    top_k: int = 5,
    on: date | None = None,
) -> WhyNot:
    """Explain the exclusions around a person's list; ``ask`` searches resources by name.

    Works on the person's data for matching, so it needs the same consent as suggesting.
    """
    day = on or today_in_japan()
    person = load_person(session, principal, person_id, "suggestion:run")
    if not repo.valid_consents(session, person.id, CONSENT_MATCHING, day):
        raise ConsentRequired(CONSENT_MATCHING)
    profile = repo.latest_profile(session, person.id)
    if profile is None:
        raise NotFound("needs_profile", f"{person_id}/latest")
    ranker = provider.current(session)
    query = to_person_profile(profile)
    stored = _query_of(ranker, profile, query)
    vector, reading = stored.vector, stored.reading
    needle = unicodedata.normalize("NFKC", ask).strip().lower()[:100]
    asked_ids = (
        [r.resource_id for r in ranker.resources_ if _matches(r, needle)][:ASK_MAX_RESULTS]
        if needle
        else []
    )
    # A read of the person's case: folded into the page's row when shown on a page.
    audit.record(
        session,
        principal,
        "exclusion.read",
        "person",
        person.id,
        {"asked": len(asked_ids)} if needle else None,
    )
    session.commit()  # as in suggest_for_person: no lock held while scoring the catalog
    return WhyNot(
        near_excluded=ranker.near_excluded(query, top_k, vector, reading),
        unserved=ranker.unserved_preferences(query, vector, reading),
        asked=[ranker.locate(query, rid, vector, reading) for rid in asked_ids],
        ask=ask.strip()[:100],
        ranker_version=ranker.version,
        profile_version=profile.version,
    )
