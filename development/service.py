"""Use cases of 資源開拓 and reporting over the database: the waiting list and its what-if.

Services authorise first, read through ``development.repository``, hand plain matching
records to the pure functions in this package and audit what they read. They never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from casework.permissions import Principal, authorize
from casework.services import audit
from casework.services._common import today_in_japan
from casework.services.suggestions import to_person_profile
from development import repository as repo
from development.unmet import DEFAULT_WEAK_SCORE, NeedRecord, UnmetNeeds, unmet_needs
from development.whatif import Plan, what_if
from matching import PersonProfile, Ranker


@dataclass(frozen=True)
class WaitingPerson:
    """Someone waiting for a placement: needs profile, matching consent, no active placement."""

    person_id: int
    reception_number: str | None
    ward: str | None
    received_on: date
    age: int | None
    profile: PersonProfile


def waiting_list(session: Session, *, on: date) -> list[WaitingPerson]:
    """Everyone waiting on ``on``, oldest reception first (the order greedy serves them in)."""
    rows = [(p, n) for p, n, busy in repo.profiled_people(session, on=on) if not busy]
    consented = repo.people_with_matching_consent(session, [p.id for p, _ in rows], on)
    return [
        WaitingPerson(
            person_id=p.id,
            reception_number=p.reception_number,
            ward=p.ward,
            received_on=p.received_on,
            age=p.age_on(on) if p.born_on is not None else n.age,
            profile=to_person_profile(n, person_key=str(p.id)),
        )
        for p, n in rows
        if p.id in consented
    ]


@dataclass(frozen=True)
class WhatIfRow:
    """One proposed pairing as shown to the supervisor (no names: reception number only)."""

    person_id: int
    reception_number: str | None
    resource_id: str
    resource_name: str
    organization: str
    fit: float


@dataclass(frozen=True)
class WhatIfReport:
    """Greedy against optimal over the waiting list; a proposal, nothing is placed."""

    on: date
    waiting: int
    cap_per_receiver: int | None
    free_places: int
    greedy: list[WhatIfRow]
    optimal: list[WhatIfRow]
    greedy_total_fit: float
    optimal_total_fit: float


def run_what_if(
    session: Session,
    principal: Principal,
    ranker: Ranker,
    *,
    cap_per_receiver: int | None = 2,
    top_k: int = 20,
    on: date | None = None,
) -> WhatIfReport:
    """The batch what-if for everyone waiting (supervisors); audited with the ids it read."""
    authorize(principal, "waitlist:whatif")
    day = on or today_in_japan()
    waiting = waiting_list(session, on=day)
    resources = list(ranker.resources_)
    result = what_if(
        ranker,
        [w.profile for w in waiting],
        resources,
        cap_per_receiver=cap_per_receiver,
        top_k=top_k,
    )
    by_person = {str(w.person_id): w for w in waiting}
    by_resource = {r.resource_id: r for r in resources}

    def rows(plan: Plan) -> list[WhatIfRow]:
        out = []
        for a in plan.assignments:
            w, r = by_person[a.person_id], by_resource[a.resource_id]
            out.append(
                WhatIfRow(
                    person_id=w.person_id,
                    reception_number=w.reception_number,
                    resource_id=r.resource_id,
                    resource_name=r.name,
                    organization=r.organization,
                    fit=round(a.fit, 4),
                )
            )
        return sorted(out, key=lambda row: (row.reception_number or "", row.person_id))

    audit.record(
        session,
        principal,
        "waitlist.whatif",
        "person",
        None,
        {"ids": [w.person_id for w in waiting], "cap": cap_per_receiver},
    )
    return WhatIfReport(
        on=day,
        waiting=result.waiting,
        cap_per_receiver=cap_per_receiver,
        free_places=sum(result.slots.values()),
        greedy=rows(result.greedy),
        optimal=rows(result.optimal),
        greedy_total_fit=round(result.greedy.total_fit, 4),
        optimal_total_fit=round(result.optimal.total_fit, 4),
    )


def unmet_needs_report(
    session: Session,
    principal: Principal,
    ranker: Ranker,
    *,
    weak_score: float | None = None,
    on: date | None = None,
) -> UnmetNeeds:
    """Unmet needs of everyone waiting, grouped for 資源開拓 (anonymised; audited)."""
    authorize(principal, "report:read")
    day = on or today_in_japan()
    waiting = waiting_list(session, on=day)
    records = [
        NeedRecord(
            profile=w.profile,
            ward=w.ward or w.profile.home_ward,
            age=w.age,
            month=w.received_on.strftime("%Y-%m"),
        )
        for w in waiting
    ]
    report = unmet_needs(
        ranker, records, weak_score=DEFAULT_WEAK_SCORE if weak_score is None else weak_score
    )
    audit.record(session, principal, "report.unmet_needs", "person", None, {"n": len(waiting)})
    return report
