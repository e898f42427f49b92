"""Small builders for catalog test data."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from resources_catalog import service
from resources_catalog.exporters.csv import export_csv
from resources_catalog.records import ResourceRecord
from resources_catalog.validation import ImportReport


def make_record(resource_id: str = "T001", **overrides: Any) -> ResourceRecord:
    """A valid record; override any field."""
    fields: dict[str, Any] = {
        "resource_id": resource_id,
        "name": "テスト農園 収穫ボランティア",
        "organization": "NPO法人 テストの会",
        "description": "畑で野菜の収穫を手伝います。",
        "categories": ["farm"],
        "ward": "若葉区",
        "address": "千葉市若葉区貝塚町1-1",
        "lat": 35.62,
        "lon": 140.15,
        "days": ["tue", "thu"],
        "start_time": "09:30",
        "end_time": "12:00",
        "capacity_total": 6,
        "capacity_remaining": 3,
        "cooperation_fee_yen": 1000,
        "cooperation_fee_unit": "per_session",
        "contact_name": "石井 隆",
        "phone": "043-231-0000",
        "email": "test@example.jp",
    }
    fields.update(overrides)
    return ResourceRecord(**fields)


def import_csv(session: Session, data: bytes, **kwargs: Any) -> ImportReport:
    """Parse and import CSV bytes as an upload would."""
    records, errors, total = service.parse_file(data, "upload.csv")
    return service.import_records(
        session, records, errors, total_rows=total, actor=kwargs.pop("actor", "test"), **kwargs
    )


def csv_of(*records: ResourceRecord) -> bytes:
    """The exchange CSV of these records."""
    return export_csv(records)
