"""HSDS 3.1 JSON: a list of fully nested service objects (see resources_catalog.hsds)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

from resources_catalog.hsds import to_hsds
from resources_catalog.records import ResourceRecord


def export_hsds(items: Iterable[tuple[ResourceRecord, datetime | None]]) -> bytes:
    """UTF-8 JSON array of services, Japanese kept readable (no \\u escapes)."""
    services = [to_hsds(record, updated_at=updated_at) for record, updated_at in items]
    return json.dumps(services, ensure_ascii=False, indent=2).encode("utf-8")
