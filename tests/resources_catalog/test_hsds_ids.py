"""The fast id function names things exactly as uuid5 does (exports must never rename)."""

from __future__ import annotations

import uuid

import pytest

from resources_catalog.hsds.ids import NAMESPACE, child_id, fast_uuid5, service_id


@pytest.mark.parametrize(
    "name", ["", "service:B000001", "service:資源-01", "x" * 500, "a/location", "\u00e9\U0001f600"]
)
def test_fast_uuid5_equals_the_standard_uuid5(name: str) -> None:
    assert fast_uuid5(name) == str(uuid.uuid5(NAMESPACE, name))


def test_child_ids_derive_from_the_service_id() -> None:
    sid = service_id("M001")
    assert sid == str(uuid.uuid5(NAMESPACE, "service:M001"))
    assert child_id(sid, "location") == str(uuid.uuid5(NAMESPACE, f"{sid}/location"))
