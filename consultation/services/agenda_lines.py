"""The consultation lines of the day's agenda: つなぎ whose reply due date has passed."""

from __future__ import annotations

from sqlalchemy.orm import Session

from casework import repository as casework_repo
from casework.permissions import Principal, has_permission
from casework.services.agenda import KIND_LABELS, AgendaContext, AgendaItem, section_of
from consultation.services import referrals


def overdue_referral_lines(
    session: Session, principal: Principal, ctx: AgendaContext
) -> list[AgendaItem]:
    """Referrals still 依頼済 after their reply due date, linked to where they are answered."""
    if not has_permission(principal, "consultation:read"):
        return []
    names = referrals.agency_names(session)
    lines = []
    for row in referrals.overdue_referrals(session, principal, ctx.today):
        person = casework_repo.get_person(session, row.person_id) if row.person_id else None
        href = (
            f"/consultations/{row.consultation_id}"
            if row.consultation_id is not None
            else f"/people/{row.person_id}"
        )
        due = row.reply_due_on or ctx.today
        lines.append(
            AgendaItem(
                kind="referral_reply",
                section=section_of(due, ctx.today),
                title=KIND_LABELS["referral_reply"],
                href=href,
                due_on=due,
                days_overdue=max((ctx.today - due).days, 0),
                person_id=row.person_id,
                person_name=person.name if person else None,
                reception_number=person.reception_number if person else None,
                detail=(
                    f"{names.get(row.agency_id, '支援関係機関')} へ "
                    f"{row.requested_on.isoformat()} 依頼"
                ),
            )
        )
    return lines
