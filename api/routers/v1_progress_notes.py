"""支援経過 (progress notes) per person, their correction history, and the person's timeline."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from api.deps import CurrentPrincipal, SessionDep, guard
from api.schemas.casework import IdPath
from api.schemas.common import error_responses
from consultation.schemas import (
    NoteKind,
    ProgressNoteCorrection,
    ProgressNoteIn,
    ProgressNoteOut,
    TimelineEntryOut,
)
from consultation.services import progress_notes

router = APIRouter(prefix="/api/v1", tags=["progress notes"])

NOT_FOUND = error_responses(401, 403, 404, 422)
CONFLICT = error_responses(401, 403, 404, 409, 422)


@router.post(
    "/people/{person_id}/progress-notes",
    status_code=status.HTTP_201_CREATED,
    response_model=ProgressNoteOut,
    responses=NOT_FOUND,
    summary="Add a 支援経過 entry",
    **guard("person:write"),
)
def add_note(
    person_id: IdPath, body: ProgressNoteIn, session: SessionDep, who: CurrentPrincipal
) -> ProgressNoteOut:
    """Kind, when (with offset, shown in JST), staff, who was involved, content, next action."""
    return ProgressNoteOut.model_validate(progress_notes.add_note(session, who, person_id, body))


@router.get(
    "/people/{person_id}/progress-notes",
    response_model=list[ProgressNoteOut],
    responses=NOT_FOUND,
    summary="A person's 支援経過 (current versions, in time order)",
    **guard("person:read"),
)
def list_notes(
    person_id: IdPath,
    session: SessionDep,
    who: CurrentPrincipal,
    kind: Annotated[list[NoteKind] | None, Query()] = None,
) -> list[ProgressNoteOut]:
    """Filter with ``kind=phone&kind=visit``."""
    rows = progress_notes.list_notes(session, who, person_id, kinds=kind or ())
    return [ProgressNoteOut.model_validate(n) for n in rows]


@router.post(
    "/progress-notes/{note_id}/corrections",
    status_code=status.HTTP_201_CREATED,
    response_model=ProgressNoteOut,
    responses=CONFLICT,
    summary="Correct a note (adds a version; the old one is kept)",
    **guard("person:write"),
)
def correct_note(
    note_id: IdPath, body: ProgressNoteCorrection, session: SessionDep, who: CurrentPrincipal
) -> ProgressNoteOut:
    """409 when the note was already corrected (correct the current version)."""
    return ProgressNoteOut.model_validate(progress_notes.correct_note(session, who, note_id, body))


@router.get(
    "/progress-notes/{note_id}/versions",
    response_model=list[ProgressNoteOut],
    responses=NOT_FOUND,
    summary="Every version of a note",
    **guard("person:read"),
)
def note_versions(
    note_id: IdPath, session: SessionDep, who: CurrentPrincipal
) -> list[ProgressNoteOut]:
    """Oldest first; each keeps its content and the reason of the correction."""
    rows = progress_notes.note_history(session, who, note_id)
    return [ProgressNoteOut.model_validate(n) for n in rows]


@router.get(
    "/people/{person_id}/timeline",
    response_model=list[TimelineEntryOut],
    responses=NOT_FOUND,
    summary="The person's timeline: consultations, link, notes and referral changes",
    **guard("person:read"),
)
def timeline(
    person_id: IdPath,
    session: SessionDep,
    who: CurrentPrincipal,
    kind: Annotated[list[str] | None, Query(max_length=20)] = None,
) -> list[TimelineEntryOut]:
    """In time order; ``kind`` filters (note kinds, ``consultation``, ``link``, ``referral``)."""
    rows = progress_notes.timeline(session, who, person_id, kinds=kind or ())
    return [
        TimelineEntryOut(
            at=e.at,
            kind=e.kind,
            label=e.label,
            summary=e.summary,
            ref_type=e.ref_type,
            ref_id=e.ref_id,
        )
        for e in rows
    ]
