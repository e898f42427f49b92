"""The receiver pipeline (受入先開拓): 候補 → 接触 → 協議中 → 合意 → 登録済, or 見送り.

Every step is kept as a ``ProspectEvent``; on 登録 a catalog entry is created through the
catalog service from the prospect and the agreed conditions. Support given to a receiver is
logged per receiver (``receiver_ref``: ``org:<organization id>`` or ``prospect:<id>``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from casework.errors import InvalidInput, InvalidTransition, NotFound
from casework.permissions import Principal, authorize
from casework.services import audit
from casework.services._common import today_in_japan
from development import repository
from development.models import Prospect, ProspectEvent, ReceiverSupport
from development.schemas import (
    AgreedConditions,
    MoveIn,
    ProspectContactIn,
    ProspectIn,
    ProspectNoteIn,
    RegisterIn,
    SupportIn,
)
from resources_catalog import service as catalog
from resources_catalog.records import WARDS, ResourceRecord
from resources_catalog.service import StoredResource

PATH: tuple[str, ...] = ("candidate", "contacted", "negotiating", "agreed", "registered")
DECLINED = "declined"
STAGE_LABELS: dict[str, str] = {
    "candidate": "候補",
    "contacted": "接触",
    "negotiating": "協議中",
    "agreed": "合意",
    "registered": "登録済",
    "declined": "見送り",
}


def allowed_moves(stage: str) -> list[str]:
    """Stages reachable by ``move`` (登録済 only through ``register``)."""
    if stage in ("registered", DECLINED):
        return []
    later = [s for s in PATH[PATH.index(stage) + 1 :] if s != "registered"]
    return [*later, DECLINED]


def _load(session: Session, prospect_id: int) -> Prospect:
    prospect = session.get(Prospect, prospect_id)
    if prospect is None:
        raise NotFound("prospect", prospect_id)
    return prospect


def _load_open(session: Session, prospect_id: int) -> Prospect:
    """The prospect, refused once it is closed (登録済 or 見送り): its record is then final."""
    prospect = _load(session, prospect_id)
    if prospect.stage in ("registered", DECLINED):
        raise InvalidTransition("prospect", prospect.stage, prospect.stage, "closed")
    return prospect


def _event(
    session: Session, principal: Principal, prospect: Prospect, kind: str, **kw: Any
) -> None:
    session.add(ProspectEvent(prospect_id=prospect.id, kind=kind, actor=principal.ref, **kw))


def create_prospect(session: Session, principal: Principal, data: ProspectIn) -> Prospect:
    """Add a prospective receiver as 候補."""
    authorize(principal, "prospect:write")
    if data.ward is not None and data.ward not in WARDS:
        raise InvalidInput(
            f"ward: 千葉市の区ではありません / not a ward of Chiba City: {data.ward}"
        )
    prospect = Prospect(**data.model_dump(), stage="candidate", created_by=principal.ref)
    session.add(prospect)
    session.flush()
    _event(session, principal, prospect, "created", to_stage="candidate")
    audit.record(session, principal, "prospect.create", "prospect", prospect.id)
    return prospect


def list_prospects(
    session: Session, principal: Principal, *, stage: str | None = None, theme: str | None = None
) -> list[Prospect]:
    """Prospects, newest first, filtered by stage and unmet-needs theme."""
    authorize(principal, "prospect:read")
    return repository.prospects(session, stage=stage, theme=theme)


def get_prospect(
    session: Session, principal: Principal, prospect_id: int
) -> tuple[Prospect, list[ProspectEvent]]:
    """One prospect with its history, oldest step first."""
    authorize(principal, "prospect:read")
    prospect = _load(session, prospect_id)
    return prospect, repository.prospect_events(session, prospect.id)


def move(session: Session, principal: Principal, prospect_id: int, data: MoveIn) -> Prospect:
    """Change stage forward (steps may be skipped) or to 見送り (needs a note)."""
    authorize(principal, "prospect:write")
    prospect = _load(session, prospect_id)
    if data.to not in allowed_moves(prospect.stage):
        detail = "register with POST …/register" if data.to == "registered" else ""
        raise InvalidTransition("prospect", prospect.stage, data.to, detail)
    if data.to == DECLINED:
        if not data.note:
            raise InvalidInput("note: 見送りの理由を入力してください / a reason is required")
        prospect.decline_reason = data.note
    if data.to == "agreed" and not prospect.conditions:
        raise InvalidInput(
            "conditions: 合意した条件を先に記録してください / record conditions first"
        )
    _event(
        session,
        principal,
        prospect,
        "stage",
        from_stage=prospect.stage,
        to_stage=data.to,
        note=data.note,
    )
    prospect.stage = data.to
    prospect.updated_at = datetime.now(UTC)
    audit.record(session, principal, "prospect.move", "prospect", prospect.id, {"to": data.to})
    return prospect


def update_contact(
    session: Session, principal: Principal, prospect_id: int, data: ProspectContactIn
) -> Prospect:
    """Replace the contact details (担当者・電話・メール・所在地); the change is an event."""
    authorize(principal, "prospect:write")
    prospect = _load_open(session, prospect_id)
    for key, value in data.model_dump().items():
        setattr(prospect, key, value)
    prospect.updated_at = datetime.now(UTC)
    _event(session, principal, prospect, "contact_details")
    audit.record(session, principal, "prospect.contact_details", "prospect", prospect.id)
    return prospect


def add_note(
    session: Session, principal: Principal, prospect_id: int, data: ProspectNoteIn
) -> ProspectEvent:
    """Log a contact or a note."""
    authorize(principal, "prospect:write")
    prospect = _load(session, prospect_id)
    event = ProspectEvent(
        prospect_id=prospect.id, kind=data.kind, note=data.note, actor=principal.ref
    )
    session.add(event)
    session.flush()
    audit.record(session, principal, f"prospect.{data.kind}", "prospect", prospect.id)
    return event


def set_conditions(
    session: Session, principal: Principal, prospect_id: int, data: AgreedConditions
) -> Prospect:
    """Record the conditions being agreed (while 協議中 or 合意)."""
    authorize(principal, "prospect:write")
    prospect = _load_open(session, prospect_id)
    if data.start_time and data.end_time and data.end_time <= data.start_time:
        raise InvalidInput(
            "end_time: 終了時刻が開始時刻以前です / end_time is not after start_time"
        )
    prospect.conditions = data.model_dump()
    _event(session, principal, prospect, "conditions")
    audit.record(session, principal, "prospect.conditions", "prospect", prospect.id)
    return prospect


def register(
    session: Session, principal: Principal, prospect_id: int, data: RegisterIn
) -> tuple[Prospect, StoredResource]:
    """合意 → 登録済: create the catalog entry from the prospect and its agreed conditions."""
    authorize(principal, "prospect:write")
    prospect = _load(session, prospect_id)
    if prospect.stage != "agreed":
        raise InvalidTransition("prospect", prospect.stage, "registered", "agree first")
    cond = AgreedConditions.model_validate(prospect.conditions)
    moved = bool(cond.place) and cond.place != prospect.address
    description = data.description or "。".join(
        t
        for t in (
            cond.offer,
            f"対象: {cond.for_whom}" if cond.for_whom else "",
            "本来業務に支障のない範囲での受け入れ" if cond.within_core_business else "",
        )
        if t
    )
    record = ResourceRecord(
        resource_id=data.resource_id,
        name=cond.offer[:200],
        organization=prospect.name,
        description=description,
        categories=data.categories,
        ward=prospect.ward,
        address=cond.place or prospect.address,
        # the prospect's point is only right when the activity is held at its address
        lat=None if moved else prospect.lat,
        lon=None if moved else prospect.lon,
        days=cond.days,
        start_time=cond.start_time,
        end_time=cond.end_time,
        capacity_total=cond.capacity,
        capacity_remaining=cond.capacity,
        cooperation_fee_yen=cond.cooperation_fee_yen,
        cooperation_fee_unit="per_session" if cond.cooperation_fee_yen else "none",
        contact_name=prospect.contact_name,
        phone=prospect.phone,
        email=prospect.email,
        extra={
            "prospect_id": prospect.id,
            "assured_date": today_in_japan().isoformat(),
            "assurer": principal.ref,
        },
    )
    stored = catalog.create_resource(session, record, actor=principal.ref)
    _event(
        session,
        principal,
        prospect,
        "stage",
        from_stage="agreed",
        to_stage="registered",
        note=data.resource_id,
    )
    prospect.stage = "registered"
    prospect.resource_id = data.resource_id
    audit.record(
        session,
        principal,
        "prospect.register",
        "prospect",
        prospect.id,
        {"resource_id": data.resource_id},
    )
    return prospect, stored


def add_support(
    session: Session, principal: Principal, receiver_ref: str, data: SupportIn
) -> ReceiverSupport:
    """Log support given to a receiver (``org:<organization id>`` or ``prospect:<id>``)."""
    authorize(principal, "prospect:write")
    kind, _, ref = receiver_ref.partition(":")
    if kind not in ("org", "prospect") or not ref:
        raise InvalidInput("receiver_ref: org:<organization id> または prospect:<id> の形式です")
    if kind == "prospect":
        if not ref.isdigit():
            raise InvalidInput("receiver_ref: prospect:<id> の id は数字です / id must be a number")
        _load(session, int(ref))
    row = ReceiverSupport(receiver_ref=receiver_ref, created_by=principal.ref, **data.model_dump())
    session.add(row)
    session.flush()
    audit.record(session, principal, "receiver.support", "receiver", receiver_ref)
    return row


def list_support(
    session: Session, principal: Principal, receiver_ref: str
) -> list[ReceiverSupport]:
    """The support log of one receiver, oldest first."""
    authorize(principal, "prospect:read")
    return repository.receiver_support(session, receiver_ref)


def import_prospects(
    session: Session, principal: Principal, records: list[ResourceRecord], *, source: str
) -> tuple[list[Prospect], int]:
    """Prospects (候補) from public data; an office already in the pipeline is skipped.

    Returns the new prospects and how many were already there.
    """
    authorize(principal, "prospect:write")
    known = repository.prospect_source_refs(session, source)
    created = []
    for r in records:
        if r.resource_id in known:
            continue
        known.add(r.resource_id)
        prospect = Prospect(
            name=r.name[:200],
            source=source,
            source_ref=r.resource_id,
            ward=r.ward,
            address=(r.address or "")[:300] or None,
            lat=r.lat,
            lon=r.lon,
            phone=r.phone,
            stage="candidate",
            created_by=principal.ref,
        )
        session.add(prospect)
        created.append(prospect)
    session.flush()
    for prospect in created:
        _event(session, principal, prospect, "created", to_stage="candidate", note=source)
    audit.record(
        session, principal, "prospect.import", "prospect", None,
        {"source": source, "n": len(created)},
    )  # fmt: skip
    return created, len(records) - len(created)
