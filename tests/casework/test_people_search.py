"""Search and duplicate checks respect a coordinator's cases (own and team)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.models import AuditLog, Person
from casework.permissions import Principal
from casework.services import people


def test_a_coordinator_finds_only_own_team_people(
    session: Session,
    make_person: Callable[..., Person],
    make_principal: Callable[..., Principal],
    coordinator: Principal,
) -> None:
    mine = make_person(name="山田 花子", furigana="やまだ はなこ")
    other_team = make_principal("coordinator", team="team-b")
    theirs = make_person(principal=other_team, name="山田 一郎", furigana="ヤマダ イチロウ")
    assert [p.id for p in people.search_people(session, coordinator, "ﾔﾏﾀﾞ")] == [mine.id]
    assert [p.id for p in people.search_people(session, other_team, "yamada")] == [theirs.id]


def test_the_search_is_audited_without_the_query(
    session: Session, make_person: Callable[..., Person], coordinator: Principal
) -> None:
    mine = make_person(name="山田 花子", furigana="やまだ はなこ")
    people.search_people(session, coordinator, "やまだ")
    row = session.scalars(
        select(AuditLog).where(AuditLog.action == "person.search").order_by(AuditLog.id.desc())
    ).first()
    assert row is not None and row.detail == {"ids": [mine.id]}
    assert "やまだ" not in str(row.detail)


def test_a_duplicate_in_another_team_is_reported_without_its_name(
    session: Session,
    make_person: Callable[..., Person],
    make_principal: Callable[..., Principal],
    coordinator: Principal,
) -> None:
    other_team = make_principal("coordinator", team="team-b")
    theirs = make_person(
        principal=other_team, name="山田 一郎", furigana="やまだ いちろう", born_on=date(1980, 1, 2)
    )
    found = people.possible_duplicates(
        session, coordinator, name="山田 一郎", furigana="ヤマダ イチロウ",
        born_on=date(1980, 1, 2), phone=None,
    )  # fmt: skip
    assert [(d.id, d.name, d.readable) for d in found] == [(theirs.id, None, False)]
