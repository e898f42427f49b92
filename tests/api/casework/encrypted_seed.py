"""Committed people with encrypted notes in a database of their own (CLI tests)."""

from __future__ import annotations

from datetime import date

from cryptography.fernet import Fernet, MultiFernet
from sqlalchemy import Text, select, type_coerce

from casework import crypto
from casework.models import Person, StaffUser
from casework.schemas import PersonIn
from casework.services import people
from casework.services.accounts import hash_password, principal_for_user
from storage.engine import make_engine, make_session_factory, unit_of_work
from storage.migrate import upgrade


def seed_people(url: str, key: str, count: int) -> dict[int, str]:
    """``count`` people whose health notes are encrypted with ``key``; {id: plaintext}."""
    previous = crypto._cipher
    crypto.configure(key)
    engine = make_engine(url)
    try:
        upgrade(engine)
        with unit_of_work(make_session_factory(engine)) as session:
            user = StaffUser(username="seed", display_name="職員", role="coordinator",
                             team="team-a", password_hash=hash_password("x" * 12))  # fmt: skip
            session.add(user)
            session.flush()
            who = principal_for_user(user)
            notes = {}
            for i in range(count):
                data = PersonIn.model_validate({
                    "name": f"千葉 {i}", "furigana": "ちば", "sex": "女性",
                    "born_on": date(1990, 5, 1), "ward": "稲毛区",
                    "received_on": date(2026, 11, 22), "referral_source": "あんしんケアセンター",
                    "referred_on": date(2026, 11, 1), "health_notes": f"通院中 {i}",
                })  # fmt: skip
                notes[people.create_person(session, who, data).id] = f"通院中 {i}"
        return notes
    finally:
        engine.dispose()
        crypto._cipher = previous


def stored_notes(url: str) -> dict[int, str]:
    """{person id: stored token}, read without decrypting."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(select(Person.id, type_coerce(Person.health_notes, Text)))
            return {row[0]: row[1] for row in rows}
    finally:
        engine.dispose()


def decrypt_with(tokens: dict[int, str], *keys: str) -> dict[int, str]:
    """Each token opened with only the given keys."""
    cipher = MultiFernet([Fernet(k) for k in keys])
    return {i: cipher.decrypt(t.encode()).decode() for i, t in tokens.items()}
