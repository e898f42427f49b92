"""People (相談受付 様式第1号), needs profiles, consent, 支援会議 records, closure and follow-up.

Every route reads or writes one person's record through ``casework.services``, which checks
the role (own/team cases for coordinators) and writes the audit log; the route only parses,
calls one service function and shapes the answer. Routes are plain ``def``: database work
blocks, so it runs in the thread pool.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, status

from api.deps import CurrentPrincipal, RankerDep, SessionDep, guard
from api.schemas.casework import (
    ClosureCreate,
    ConsentCreate,
    FollowUpContactCreate,
    FollowUpEndIn,
    FollowUpIntervalIn,
    IdPath,
    NeedsProfileBody,
    PeoplePageOut,
    PersonCreate,
    PersonPatch,
    SupportMeetingCreate,
    WithdrawIn,
)
from api.schemas.common import error_responses
from casework.schemas import (
    ConsentOut,
    ErasureOut,
    FollowUpContactOut,
    FollowUpOut,
    NeedsProfileOut,
    PersonCreatedOut,
    PersonOut,
    ReferralSummaryOut,
    SupportMeetingOut,
)
from casework.services import consent, followup, people, suggestions

router = APIRouter(prefix="/api/v1", tags=["people"])

NOT_FOUND = error_responses(401, 403, 404, 422)
CONFLICT = error_responses(401, 403, 404, 409, 422)


@router.post(
    "/people",
    status_code=status.HTTP_201_CREATED,
    response_model=PersonCreatedOut,
    responses=error_responses(401, 403, 422),
    summary="Register an intake (相談受付・申込票)",
    **guard("person:write"),
)
def create_person(
    body: PersonCreate, session: SessionDep, who: CurrentPrincipal
) -> PersonCreatedOut:
    """Create a person; assigns the next 受付番号 (``2026-0001``) of the fiscal year.

    ``possible_duplicates`` lists existing records with the same reading and birth date, or
    the same phone: the record is still created (the same reading may be two people).
    """
    person = people.create_person(session, who, body)
    duplicates = people.possible_duplicates(
        session, who, name=person.name, furigana=person.furigana, born_on=person.born_on,
        phone=person.phone, exclude_id=person.id,
    )  # fmt: skip
    out = PersonCreatedOut.model_validate(people.person_out(person).model_dump())
    out.possible_duplicates = duplicates
    return out


@router.get(
    "/people",
    response_model=PeoplePageOut,
    responses=error_responses(401, 403, 422),
    summary="List people",
    **guard("person:read"),
)
def list_people(
    session: SessionDep,
    who: CurrentPrincipal,
    status_: Annotated[Literal["open", "closed", "deleted"] | None, Query(alias="status")] = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    q: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=100,
            description="名前・ふりがな（ひらがな・カタカナ・半角カナ・ローマ字）・受付番号・電話番号",
        ),
    ] = None,
) -> PeoplePageOut:
    """People the caller may see (coordinators: own and team cases), oldest first.

    With ``q``: those whose name, reading, 受付番号 or phone contain it (at most ``limit``).
    """
    if q is not None:
        found = people.search_people(session, who, q, status=status_, limit=offset + limit)
        rows = found[offset:]
    else:
        rows = people.list_people(session, who, status=status_, offset=offset, limit=limit)
    return PeoplePageOut(items=[people.person_out(p) for p in rows], offset=offset, limit=limit)


@router.get(
    "/people/by-reception-number/{reception_number}",
    response_model=PersonOut,
    responses=NOT_FOUND,
    summary="Find a person by 受付番号",
    **guard("person:read"),
)
def find_person(
    reception_number: Annotated[
        str, Path(min_length=1, max_length=20, pattern=r"^[0-9A-Za-z-]+$", examples=["2026-0001"])
    ],
    session: SessionDep,
    who: CurrentPrincipal,
) -> PersonOut:
    """The person with this reception number (e.g. ``2026-0001``)."""
    return people.person_out(people.find_by_reception_number(session, who, reception_number))


@router.get(
    "/people/{person_id}",
    response_model=PersonOut,
    responses=NOT_FOUND,
    summary="Read a person's record",
    **guard("person:read"),
)
def get_person(person_id: IdPath, session: SessionDep, who: CurrentPrincipal) -> PersonOut:
    """One person's intake record (the read is audited)."""
    return people.person_out(people.get_person(session, who, person_id))


@router.patch(
    "/people/{person_id}",
    response_model=PersonOut,
    responses=NOT_FOUND,
    summary="Change intake fields",
    **guard("person:write"),
)
def update_person(
    person_id: IdPath, body: PersonPatch, session: SessionDep, who: CurrentPrincipal
) -> PersonOut:
    """Change only the fields that were sent."""
    return people.person_out(people.update_person(session, who, person_id, body))


@router.delete(
    "/people/{person_id}",
    response_model=ErasureOut,
    responses=NOT_FOUND,
    summary="Erase a person's personal data on request",
    **guard("person:delete"),
)
def erase_person(person_id: IdPath, session: SessionDep, who: CurrentPrincipal) -> ErasureOut:
    """Removes every personal field and record; an anonymised tombstone stays for counts."""
    person = people.delete_person(session, who, person_id)
    return ErasureOut(
        id=person.id, status=person.status, fiscal_year=person.fiscal_year, ward=person.ward
    )


# --- needs profile ---------------------------------------------------------------------


@router.put(
    "/people/{person_id}/profile",
    response_model=NeedsProfileOut,
    responses=NOT_FOUND,
    summary="Store a new needs-profile version (matching contract)",
    **guard("person:write"),
)
def put_profile(
    person_id: IdPath,
    body: NeedsProfileBody,
    session: SessionDep,
    who: CurrentPrincipal,
    ranker_provider: RankerDep,
) -> NeedsProfileOut:
    """Each PUT is a new version; suggestion runs record the version they used."""
    profile = suggestions.save_profile(session, who, person_id, body, ranker_provider)
    return NeedsProfileOut.model_validate(profile)


@router.get(
    "/people/{person_id}/profile",
    response_model=NeedsProfileOut,
    responses=NOT_FOUND,
    summary="Read the latest (or a given) profile version",
    **guard("person:read"),
)
def get_profile(
    person_id: IdPath,
    session: SessionDep,
    who: CurrentPrincipal,
    version: Annotated[int | None, Query(ge=1, le=1_000_000)] = None,
) -> NeedsProfileOut:
    """The latest profile, or ``?version=n``."""
    return NeedsProfileOut.model_validate(people.get_profile(session, who, person_id, version))


@router.get(
    "/people/{person_id}/profile/versions",
    response_model=list[NeedsProfileOut],
    responses=NOT_FOUND,
    summary="Every profile version",
    **guard("person:read"),
)
def list_profile_versions(
    person_id: IdPath, session: SessionDep, who: CurrentPrincipal
) -> list[NeedsProfileOut]:
    """Oldest first."""
    rows = people.list_profile_versions(session, who, person_id)
    return [NeedsProfileOut.model_validate(p) for p in rows]


# --- consent ---------------------------------------------------------------------------


@router.post(
    "/people/{person_id}/consents",
    status_code=status.HTTP_201_CREATED,
    response_model=ConsentOut,
    responses=NOT_FOUND,
    summary="Record a consent (同意)",
    tags=["consent"],
    **guard("person:write"),
)
def record_consent(
    person_id: IdPath, body: ConsentCreate, session: SessionDep, who: CurrentPrincipal
) -> ConsentOut:
    """Scope ``matching``, ``share_with_receiver`` (names the receiver) or ``multi_agency``."""
    return ConsentOut.model_validate(consent.record_consent(session, who, person_id, body))


@router.get(
    "/people/{person_id}/consents",
    response_model=list[ConsentOut],
    responses=NOT_FOUND,
    summary="List a person's consents",
    tags=["consent"],
    **guard("person:read"),
)
def list_consents(
    person_id: IdPath, session: SessionDep, who: CurrentPrincipal
) -> list[ConsentOut]:
    """Every consent, oldest first, with expiry and withdrawal."""
    return [ConsentOut.model_validate(c) for c in consent.list_consents(session, who, person_id)]


@router.post(
    "/consents/{consent_id}/withdraw",
    response_model=ConsentOut,
    responses=CONFLICT,
    summary="Withdraw a consent (撤回)",
    tags=["consent"],
    **guard("person:write"),
)
def withdraw_consent(
    consent_id: IdPath, body: WithdrawIn, session: SessionDep, who: CurrentPrincipal
) -> ConsentOut:
    """From ``withdrawn_on`` on, the consent no longer counts."""
    row = consent.withdraw_consent(
        session, who, consent_id, withdrawn_on=body.withdrawn_on, note=body.note
    )
    return ConsentOut.model_validate(row)


@router.get(
    "/people/{person_id}/referral-summary",
    response_model=ReferralSummaryOut,
    responses=NOT_FOUND,
    summary="What may be sent to a receiver (anonymised without consent)",
    tags=["consent"],
    **guard("person:read"),
)
def referral_summary(
    person_id: IdPath,
    session: SessionDep,
    who: CurrentPrincipal,
    resource_id: Annotated[str, Query(min_length=1, max_length=64, pattern=r"^[^\x00]*$")],
) -> ReferralSummaryOut:
    """Full details only with a valid consent naming the receiver; otherwise anonymised."""
    summary = consent.referral_summary(session, who, person_id, resource_id=resource_id)
    return ReferralSummaryOut(
        anonymised=summary.anonymised, resource_id=summary.resource_id, details=summary.details
    )


@router.post(
    "/people/{person_id}/support-meetings",
    status_code=status.HTTP_201_CREATED,
    response_model=SupportMeetingOut,
    responses=NOT_FOUND,
    summary="Record a 支援会議 discussion held without consent",
    tags=["consent"],
    **guard("person:write"),
)
def record_support_meeting(
    person_id: IdPath, body: SupportMeetingCreate, session: SessionDep, who: CurrentPrincipal
) -> SupportMeetingOut:
    """Members are bound by confidentiality (支援会議運営要領)."""
    row = consent.record_support_meeting(session, who, person_id, body)
    return SupportMeetingOut.model_validate(row)


@router.get(
    "/people/{person_id}/support-meetings",
    response_model=list[SupportMeetingOut],
    responses=NOT_FOUND,
    summary="List 支援会議 records",
    tags=["consent"],
    **guard("person:read"),
)
def list_support_meetings(
    person_id: IdPath, session: SessionDep, who: CurrentPrincipal
) -> list[SupportMeetingOut]:
    """Oldest first."""
    rows = consent.list_support_meetings(session, who, person_id)
    return [SupportMeetingOut.model_validate(r) for r in rows]


# --- closure and follow-up ---------------------------------------------------------------


@router.post(
    "/people/{person_id}/closure",
    response_model=PersonOut,
    responses=CONFLICT,
    summary="Close the case (終結)",
    tags=["closure"],
    **guard("person:write"),
)
def close_case(
    person_id: IdPath, body: ClosureCreate, session: SessionDep, who: CurrentPrincipal
) -> PersonOut:
    """Records date and reason; with an interval the person joins the follow-up list.

    Every active placement of the person ends (reason ``case_closed``, in its history) and
    frees its place at the receiver; new proposals answer 409 ``case_closed`` until the case
    is reopened. 422 ``invalid_date`` when ``closed_on`` is in the future or before the last
    step of an active placement."""
    return people.person_out(followup.close_case(session, who, person_id, body))


@router.post(
    "/people/{person_id}/reopen",
    response_model=PersonOut,
    responses=CONFLICT,
    summary="Reopen a closed case",
    tags=["closure"],
    **guard("person:write"),
)
def reopen_case(person_id: IdPath, session: SessionDep, who: CurrentPrincipal) -> PersonOut:
    """Support resumes; follow-up contacts stop."""
    return people.person_out(followup.reopen_case(session, who, person_id))


@router.put(
    "/people/{person_id}/follow-up",
    response_model=FollowUpOut,
    responses=NOT_FOUND,
    summary="Change the follow-up interval",
    tags=["closure"],
    **guard("person:write"),
)
def set_follow_up_interval(
    person_id: IdPath, body: FollowUpIntervalIn, session: SessionDep, who: CurrentPrincipal
) -> FollowUpOut:
    """The next due date moves to one interval after the last contact."""
    row = followup.set_follow_up_interval(session, who, person_id, interval_days=body.interval_days)
    return FollowUpOut.model_validate(row)


@router.post(
    "/people/{person_id}/follow-up/contacts",
    status_code=status.HTTP_201_CREATED,
    response_model=FollowUpContactOut,
    responses=NOT_FOUND,
    summary="Log a follow-up contact",
    tags=["closure"],
    **guard("person:write"),
)
def record_follow_up_contact(
    person_id: IdPath, body: FollowUpContactCreate, session: SessionDep, who: CurrentPrincipal
) -> FollowUpContactOut:
    """The next contact falls due one interval later."""
    row = followup.record_follow_up_contact(session, who, person_id, body)
    return FollowUpContactOut.model_validate(row)


@router.post(
    "/people/{person_id}/follow-up/end",
    response_model=FollowUpOut,
    responses=NOT_FOUND,
    summary="Stop follow-up contacts",
    tags=["closure"],
    **guard("person:write"),
)
def end_follow_up(
    person_id: IdPath, body: FollowUpEndIn, session: SessionDep, who: CurrentPrincipal
) -> FollowUpOut:
    """The person leaves the follow-up list."""
    row = followup.end_follow_up(session, who, person_id, ended_on=body.ended_on)
    return FollowUpOut.model_validate(row)
