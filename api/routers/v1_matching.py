"""Suggestions for a person (マッチング候補) and why a named resource is excluded.

Thin doors to ``casework.services.suggestions``, which owns consent (409
``consent_required`` without it), ranking, storing the run and the sharing flags
(``may_share_details``: a consent names the receiver). Ranking is CPU work: sync routes.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from api.deps import CurrentPrincipal, RankerDep, SessionDep, guard
from api.routers._common import json_response
from api.schemas.casework import (
    ExcludedOut,
    ExclusionOut,
    IdPath,
    LocatedOut,
    RuleBreakOut,
    SuggestionOut,
    SuggestionsOut,
    UnservedOut,
    WhyNotOut,
)
from api.schemas.common import error_responses
from casework.schemas import HiddenSuggestionOut, HideSuggestionIn, SuggestionRunOut
from casework.services import suggestions
from matching import RuleBreak

router = APIRouter(prefix="/api/v1", tags=["matching"])
ResourceIdPath = Annotated[
    str, Path(min_length=1, max_length=64, pattern=r"^[^\x00]*$", examples=["R001"])
]


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
) -> Response:
    """Rank the catalog for the latest profile version; hard rules exclude resources.

    Resources already proposed to the person are left out. 409 ``consent_required`` without
    a valid consent to matching; 404 without a profile.
    """
    result = suggestions.suggest_for_person(session, who, person_id, ranker_provider, top_k=top_k)
    # Serialised here (the body FastAPI would send): no second validation in another thread.
    body = SuggestionsOut(
        run_id=result.run.id,
        suggestions=[
            SuggestionOut(
                resource_id=s.resource_id,
                score=s.score,
                reasons=s.reasons,
                may_share_details=s.may_share_details,
            )
            for s in result.items
        ],
        ranker_version=result.ranker_version,
        profile_version=result.profile_version,
    )
    return json_response(body)


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
    runs = suggestions.list_suggestion_runs(session, who, person_id)
    return [SuggestionRunOut.model_validate(r) for r in runs]


@router.get(
    "/people/{person_id}/hidden-suggestions",
    response_model=list[HiddenSuggestionOut],
    responses=error_responses(401, 403, 404, 422),
    summary="Resources hidden from a person's suggestions",
    **guard("person:read"),
)
def list_hidden_suggestions(
    person_id: IdPath, session: SessionDep, who: CurrentPrincipal
) -> list[HiddenSuggestionOut]:
    """Newest first, with the reason and the coordinator's note."""
    rows = suggestions.list_hidden_suggestions(session, who, person_id)
    return [HiddenSuggestionOut.model_validate(r) for r in rows]


@router.post(
    "/people/{person_id}/hidden-suggestions",
    status_code=status.HTTP_201_CREATED,
    response_model=HiddenSuggestionOut,
    responses=error_responses(401, 403, 404, 422),
    summary="Hide a resource from a person's suggestions",
    **guard("person:write"),
)
def hide_suggestion(
    person_id: IdPath, body: HideSuggestionIn, session: SessionDep, who: CurrentPrincipal
) -> HiddenSuggestionOut:
    """Works at any stage of the case (no plan or proposal needed); later runs leave the
    resource out until it is shown again. Hiding again replaces the reason and note."""
    row = suggestions.hide_suggestion(session, who, person_id, body)
    return HiddenSuggestionOut.model_validate(row)


@router.delete(
    "/people/{person_id}/hidden-suggestions/{resource_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(401, 403, 404, 422),
    summary="Show a hidden resource in a person's suggestions again",
    **guard("person:write"),
)
def unhide_suggestion(
    person_id: IdPath, resource_id: ResourceIdPath, session: SessionDep, who: CurrentPrincipal
) -> None:
    """404 when the resource was not hidden for this person."""
    suggestions.unhide_suggestion(session, who, person_id, resource_id)


@router.get(
    "/people/{person_id}/exclusions/{resource_id}",
    response_model=ExclusionOut,
    responses=error_responses(401, 403, 404, 422),
    summary="Why a named resource is excluded for a person (hard rules)",
    **guard("person:read"),
)
def explain_exclusion(
    person_id: IdPath,
    resource_id: ResourceIdPath,
    session: SessionDep,
    who: CurrentPrincipal,
    ranker_provider: RankerDep,
) -> ExclusionOut:
    """Every hard rule the resource breaks, with Japanese messages (empty: not excluded)."""
    found = suggestions.explain_exclusion(session, who, person_id, resource_id, ranker_provider)
    return ExclusionOut(
        resource_id=found.resource_id,
        excluded=found.excluded,
        rules=[RuleBreakOut(rule=b.rule, message_ja=b.message_ja) for b in found.rules],
        ranker_version=found.ranker_version,
        profile_version=found.profile_version,
    )


@router.get(
    "/people/{person_id}/why-not",
    response_model=WhyNotOut,
    responses=error_responses(401, 403, 404, 409, 422),
    summary="Resources the hard rules keep out, and where named resources stand",
    **guard("suggestion:run"),
)
def why_not(
    person_id: IdPath,
    session: SessionDep,
    who: CurrentPrincipal,
    ranker_provider: RankerDep,
    ask: Annotated[
        str, Query(max_length=100, pattern=r"^[^\x00]*$", description="search by name")
    ] = "",
) -> WhyNotOut:
    """The "close but excluded" panel of the suggestions page, as data (same rules)."""
    found = suggestions.why_not(session, who, person_id, ranker_provider, ask=ask)

    def rules(breaks: list[RuleBreak]) -> list[RuleBreakOut]:
        return [RuleBreakOut(rule=b.rule, message_ja=b.message_ja) for b in breaks]

    return WhyNotOut(
        near_excluded=[
            ExcludedOut(resource_id=e.resource_id, would_rank=e.would_rank, rules=rules(e.rules))
            for e in found.near_excluded
        ],
        unserved_preferences=[
            UnservedOut(
                category=u.category,
                label_ja=u.label_ja,
                n_resources=u.n_resources,
                rule_counts=u.rule_counts,
                message_ja=u.message_ja,
            )
            for u in found.unserved
        ],
        asked=[
            LocatedOut(
                resource_id=a.resource_id,
                feasible=a.feasible,
                rank=a.rank,
                reasons=a.reasons,
                rules=rules(a.rules),
            )
            for a in found.asked
        ],
        ranker_version=found.ranker_version,
        profile_version=found.profile_version,
    )
