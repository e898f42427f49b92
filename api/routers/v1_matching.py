"""Suggestions for a person (マッチング候補) and why a named resource is excluded.

The ranker (``api.ranking.RankerProvider`` on ``app.state``) sees the person only as the
matching contract's profile; the run is stored through ``people.record_suggestion_run``,
which needs the person's consent to matching within the centre (409 ``consent_required``
without it). Whether details may go to a suggested receiver depends on a consent naming it:
``may_share_details`` says so per suggestion. Ranking is CPU work: the routes are sync.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.deps import CurrentPrincipal, RankerDep, SessionDep, guard
from api.schemas.casework import (
    ExclusionOut,
    IdPath,
    RuleBreakOut,
    SuggestionOut,
    SuggestionRunOut,
    SuggestionsOut,
)
from api.schemas.common import error_responses
from casework.errors import ConsentRequired
from casework.reference import CONSENT_MATCHING
from casework.schemas import SuggestionIn, SuggestionRunIn
from casework.services import consent, people
from matching import PersonProfile

router = APIRouter(prefix="/api/v1", tags=["matching"])

JST = timezone(timedelta(hours=9))


def _today() -> date:
    return datetime.now(JST).date()


@router.post(
    "/people/{person_id}/suggestions",
    response_model=SuggestionsOut,
    responses=error_responses(401, 403, 404, 409, 422),
    summary="Rank resources for a person and store the run",
    **guard("suggestion:run"),
)
def suggest(
    person_id: IdPath,
    session: SessionDep,
    who: CurrentPrincipal,
    ranker_provider: RankerDep,
    top_k: Annotated[int, Query(ge=1, le=50)] = 10,
) -> SuggestionsOut:
    """Rank the catalog for the latest profile version; hard rules exclude resources.

    409 ``consent_required`` without a valid consent to matching; 404 without a profile.
    """
    profile = people.get_profile(session, who, person_id)
    today = _today()
    # Check consent before ranking: no personal data is processed without it.
    if not consent.may_match(session, person_id, on=today):
        raise ConsentRequired(CONSENT_MATCHING)
    ranker = ranker_provider.get(session)
    ranked = ranker.suggest(PersonProfile.from_contract(people.matching_person(profile)), top_k)
    run = people.record_suggestion_run(
        session,
        who,
        person_id,
        SuggestionRunIn(
            profile_version=profile.version,
            ranker_version=ranker.version,
            items=[
                SuggestionIn(resource_id=s.resource_id, score=s.score, reasons=s.reasons)
                for s in ranked
            ],
        ),
        on=today,
    )
    return SuggestionsOut(
        run_id=run.id,
        suggestions=[
            SuggestionOut(
                resource_id=s.resource_id,
                score=s.score,
                reasons=s.reasons,
                may_share_details=consent.may_share_with(
                    session, person_id, resource_id=s.resource_id, on=today
                ),
            )
            for s in ranked
        ],
        ranker_version=run.ranker_version,
        profile_version=run.profile_version,
    )


@router.get(
    "/people/{person_id}/suggestion-runs",
    response_model=list[SuggestionRunOut],
    responses=error_responses(401, 403, 404, 422),
    summary="Stored suggestion runs of a person",
    **guard("person:read"),
)
def list_suggestion_runs(
    person_id: IdPath, session: SessionDep, who: CurrentPrincipal
) -> list[SuggestionRunOut]:
    """Newest first, with items, scores and reasons."""
    runs = people.list_suggestion_runs(session, who, person_id)
    return [SuggestionRunOut.model_validate(r) for r in runs]


@router.get(
    "/people/{person_id}/exclusions/{resource_id}",
    response_model=ExclusionOut,
    responses=error_responses(401, 403, 404, 422),
    summary="Why a named resource is excluded for a person (hard rules)",
    **guard("person:read"),
)
def explain_exclusion(
    person_id: IdPath,
    resource_id: Annotated[
        str, Path(min_length=1, max_length=64, pattern=r"^[^\x00]*$", examples=["R001"])
    ],
    session: SessionDep,
    who: CurrentPrincipal,
    ranker_provider: RankerDep,
) -> ExclusionOut:
    """Every hard rule the resource breaks, with Japanese messages (empty: not excluded)."""
    profile = people.get_profile(session, who, person_id)
    ranker = ranker_provider.get(session)
    breaks = ranker.explain_exclusion(
        PersonProfile.from_contract(people.matching_person(profile)), resource_id
    )
    return ExclusionOut(
        resource_id=resource_id,
        excluded=bool(breaks),
        rules=[RuleBreakOut(rule=b.rule, message_ja=b.message_ja) for b in breaks],
        ranker_version=ranker.version,
        profile_version=profile.version,
    )
