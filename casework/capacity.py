"""Casework's door to the catalog's free places and fee terms.

The SQL lives in ``resources_catalog`` (repository + service); this module only turns "no
place was free" into the casework error ``NoCapacity``. Taking a place is still ONE
conditional UPDATE (``available > 0``), and it bumps the catalog's availability counter in
the same transaction, so rankers see the change without refitting.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from casework.errors import NoCapacity
from resources_catalog import service as catalog
from resources_catalog.errors import ResourceNotFound
from resources_catalog.service import FeeTerms

__all__ = [
    "FeeTerms",
    "available_slots",
    "fee_terms",
    "free_slot",
    "organization_of",
    "resource_exists",
    "resource_name",
    "take_slot",
]

available_slots = catalog.available_slots
fee_terms = catalog.fee_terms
free_slot = catalog.free_slot
organization_of = catalog.organization_of
resource_exists = catalog.resource_exists


def take_slot(session: Session, resource_id: str) -> None:
    """Take one free place at the resource atomically; raise NoCapacity when none is left."""
    if not catalog.take_slot(session, resource_id):
        raise NoCapacity(resource_id)


def resource_name(session: Session, resource_id: str) -> str | None:
    """The receiver's name as the catalog shows it (None when it left the catalog)."""
    try:
        return catalog.get_resource(session, resource_id).record.name
    except ResourceNotFound:
        return None
