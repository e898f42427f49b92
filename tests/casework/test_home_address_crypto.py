"""Addresses are personal data: the intake and profile addresses are encrypted at rest."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import text
from sqlalchemy.orm import Session

from casework.models import Person
from casework.permissions import Principal
from casework.schemas import HomeIn, NeedsProfileIn
from casework.services import people


def test_addresses_are_not_plaintext_in_the_database(
    session: Session, coordinator: Principal, make_person: Callable[..., Person]
) -> None:
    person = make_person(address="千葉市若葉区桜木北2丁目", ward=None)
    assert person.home_location_source == "town"
    profile_in = NeedsProfileIn(needs_text="畑", home=HomeIn(address="千葉市美浜区中瀬2丁目"))
    profile = people.put_profile(session, coordinator, person.id, profile_in)
    assert profile.home_location_source == "town"
    intake = session.execute(
        text("SELECT address FROM person WHERE id = :id"), {"id": person.id}
    ).scalar_one()
    start = session.execute(
        text("SELECT home_address FROM needs_profile WHERE id = :id"), {"id": profile.id}
    ).scalar_one()
    for value, plain in ((intake, "桜木北"), (start, "中瀬")):
        assert plain not in value and value.startswith("gAAAA")
