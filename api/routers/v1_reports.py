"""Reports for 資源開拓 and supervision: the waiting-list what-if and unmet needs.

Every route authorises, calls one service function and shapes the answer.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.deps import CurrentPrincipal, RankerDep, SessionDep, guard
from api.schemas.common import error_responses
from api.schemas.reports import KpiOut, ThemeOut, UnmetNeedsOut, WhatIfOut, WhatIfPairOut
from development import kpis, service
from development.unmet import RULE_LABELS

router = APIRouter(prefix="/api/v1/reports")

AUTH = error_responses(401, 403, 422)


@router.get(
    "/what-if",
    response_model=WhatIfOut,
    responses=AUTH,
    summary="Batch what-if for the waiting list (a proposal; places nobody)",
    tags=["reports"],
    **guard("waitlist:whatif"),
)
def what_if(
    session: SessionDep,
    who: CurrentPrincipal,
    ranker_provider: RankerDep,
    cap_per_receiver: Annotated[
        int | None, Query(ge=1, le=100, description="Most people proposed to one resource.")
    ] = 2,
    top_k: Annotated[int, Query(ge=1, le=100, description="Suggestions per person.")] = 20,
) -> WhatIfOut:
    """Greedy one-by-one suggestion against the assignment with the highest total fit."""
    report = service.run_what_if(
        session,
        who,
        ranker_provider.current(session),
        cap_per_receiver=cap_per_receiver,
        top_k=top_k,
    )
    return WhatIfOut(
        on=report.on,
        waiting=report.waiting,
        cap_per_receiver=report.cap_per_receiver,
        free_places=report.free_places,
        greedy_placed=len(report.greedy),
        optimal_placed=len(report.optimal),
        greedy_total_fit=report.greedy_total_fit,
        optimal_total_fit=report.optimal_total_fit,
        greedy=[WhatIfPairOut.model_validate(r) for r in report.greedy],
        optimal=[WhatIfPairOut.model_validate(r) for r in report.optimal],
    )


@router.get(
    "/unmet-needs",
    response_model=UnmetNeedsOut,
    responses=AUTH,
    summary="Unmet needs of the waiting list, grouped into themes (anonymised)",
    tags=["reports"],
    **guard("report:read"),
)
def unmet_needs(
    session: SessionDep,
    who: CurrentPrincipal,
    ranker_provider: RankerDep,
    weak_score: Annotated[
        float | None,
        Query(ge=-100, le=100, description="A best suggestion scoring below this is weak."),
    ] = None,
) -> UnmetNeedsOut:
    """Wishes no resource can serve: ruled out everywhere by a hard rule, or only weak fits."""
    report = service.unmet_needs_report(
        session, who, ranker_provider.current(session), weak_score=weak_score
    )
    return UnmetNeedsOut(
        people=report.people,
        unmet=report.unmet,
        weak_score=report.weak_score,
        rule_labels=RULE_LABELS,
        themes=[
            ThemeOut(**vars(t), prospects_url=f"/api/v1/prospects?theme={t.concept_id}")
            for t in report.themes
        ],
        by_ward=report.by_ward,
        by_age_band=report.by_age_band,
        by_rule=report.by_rule,
        by_month=report.by_month,
    )


@router.get(
    "/kpis",
    responses={
        **AUTH,
        200: {
            "description": "The KPIs as JSON, or as CSV with ``format=csv``.",
            "content": {"application/json": {}, "text/csv": {"schema": {"type": "string"}}},
        },
    },
    summary="KPIs: intakes, placements, retention, evaluations, fees against budget",
    tags=["reports"],
    **guard("report:read"),
)
def kpi_report(
    session: SessionDep,
    who: CurrentPrincipal,
    ranker_provider: RankerDep,
    format: Annotated[str, Query(pattern="^(json|csv)$", description="json or csv")] = "json",
) -> Response:
    """Anonymised counts; ``format=csv`` is an Excel-ready UTF-8 CSV."""
    report = kpis.kpi_report(session, who, ranker=ranker_provider.current(session))
    if format == "csv":
        return Response(
            kpis.kpi_csv(report),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": "attachment; filename=tsunagu-kpis.csv"},
        )
    return Response(
        KpiOut.model_validate(asdict(report)).model_dump_json(),
        media_type="application/json",
    )
