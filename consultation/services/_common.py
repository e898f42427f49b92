"""Loading consultation records with authorisation (own / team rules as for cases)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from casework.permissions import Principal, authorize_found
from consultation import repository as repo
from consultation.models import Consultation


def load_consultation(
    session: Session, principal: Principal, consultation_id: int, permission: str
) -> Consultation:
    """A consultation the principal may act on with ``permission``; NotFound / Forbidden."""
    row = repo.get_consultation(session, consultation_id)
    return authorize_found(principal, permission, row, "consultation", consultation_id)
