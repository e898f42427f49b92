"""The flat resource record: one activity a receiver offers, as in the exchange CSV.

This is the catalog's in-memory exchange shape (the columns of ``shared/eval/README.md``).
Importers produce it, the repository maps it onto the HSDS tables, exporters read it back.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
FeeUnit = Literal["per_session", "per_month", "none"]
Status = Literal["active", "inactive", "temporarily_closed"]
LocationSource = Literal["address", "town", "postal", "ward", "manual"]

CATEGORY_CODES: tuple[str, ...] = (
    "farm", "light_work", "cooking", "kids", "elderly", "cleaning", "office_it", "crafts",
    "sports", "hobby", "place_to_be", "employment_training", "volunteer", "animals", "retail",
    "library", "nature", "music_art",
)  # fmt: skip

# C0 control characters except tab, newline and carriage return (refused by PostgreSQL / xlsx).
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
# The same rule as a field pattern, checked inside pydantic-core: a Python validator on ten
# text fields was 900,000 calls in a 100,000-row import. ``control_characters_message``
# turns its generic pattern error back into words.
NO_CONTROL_CHARACTERS = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$"

# Counts and yen amounts are 32-bit integers in the database.
MAX_INT32 = 2_147_483_647

WARDS: tuple[str, ...] = ("中央区", "花見川区", "稲毛区", "若葉区", "緑区", "美浜区")

# Column order of the exchange CSV (the matching contract), used by every exporter.
CSV_COLUMNS: tuple[str, ...] = (
    "resource_id", "name", "organization", "description", "categories", "ward", "address",
    "lat", "lon", "days", "start_time", "end_time", "capacity_total", "capacity_remaining",
    "min_age", "max_age", "requires_certificate", "wheelchair_accessible", "quiet_environment",
    "small_group", "visit_ok", "trial_ok", "paid", "participant_cost_yen", "cooperation_fee_yen",
    "cooperation_fee_unit", "status", "contact_name", "phone", "email",
)  # fmt: skip


class ResourceRecord(BaseModel):
    """One receivable activity (受入先の活動) with everything matching and the centre need."""

    model_config = ConfigDict(extra="forbid")

    resource_id: str = Field(min_length=1, max_length=64, pattern=NO_CONTROL_CHARACTERS)
    name: str = Field(min_length=1, pattern=NO_CONTROL_CHARACTERS)
    organization: str = Field(min_length=1, pattern=NO_CONTROL_CHARACTERS)
    description: str = Field(default="", pattern=NO_CONTROL_CHARACTERS)
    categories: list[str] = Field(default_factory=list)
    ward: str | None = Field(
        default=None,
        pattern=NO_CONTROL_CHARACTERS,
        json_schema_extra={"enum": [*WARDS, None]},
    )
    address: str | None = Field(default=None, pattern=NO_CONTROL_CHARACTERS)
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    # Where lat/lon came from (places.LocationSource): manual, or geocoded address/town/postal/ward.
    location_source: LocationSource | None = None
    nearest_station: str | None = Field(default=None, pattern=NO_CONTROL_CHARACTERS)
    days: list[Weekday] = Field(default_factory=list)
    start_time: str | None = Field(default=None, pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    end_time: str | None = Field(default=None, pattern=r"^([01]\d|2[0-4]):[0-5]\d$")
    capacity_total: int = Field(default=0, ge=0, le=MAX_INT32)
    capacity_remaining: int = Field(default=0, ge=0, le=MAX_INT32)
    min_age: int | None = Field(default=None, ge=0, le=130)
    max_age: int | None = Field(default=None, ge=0, le=130)
    requires_certificate: bool = False
    wheelchair_accessible: bool = False
    quiet_environment: bool = False
    small_group: bool = False
    visit_ok: bool = False
    trial_ok: bool = False
    paid: bool = False
    participant_cost_yen: int = Field(default=0, ge=0, le=MAX_INT32)
    cooperation_fee_yen: int = Field(default=0, ge=0, le=MAX_INT32)
    cooperation_fee_unit: FeeUnit = "none"
    status: Status = "active"
    contact_name: str | None = Field(default=None, pattern=NO_CONTROL_CHARACTERS)
    phone: str | None = Field(default=None, pattern=NO_CONTROL_CHARACTERS)
    email: str | None = Field(default=None, pattern=NO_CONTROL_CHARACTERS)
    # Fields from other directories (HSDS) that this catalog has no column for: kept, not dropped.
    extra: dict[str, Any] = Field(default_factory=dict)
    # The file row this record was read from (header = row 1), for warnings; not a field.
    _source_row: int | None = PrivateAttr(default=None)


def control_characters_message(error: Mapping[str, Any]) -> str | None:
    """ "control characters are not allowed" for a pattern error of a text field, else None."""
    if error.get("type") == "string_pattern_mismatch":
        ctx = error.get("ctx") or {}
        if ctx.get("pattern") == NO_CONTROL_CHARACTERS:
            return "control characters are not allowed"
    return None
