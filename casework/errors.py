"""Domain errors of casework; api/errors.py maps them to HTTP answers in one place.

Suggested mapping (the ``http_status`` attribute carries it so the mapping can be generic).
"""

from __future__ import annotations


class CaseworkError(Exception):
    """Base of casework errors."""

    http_status = 400
    code = "casework_error"


class NotFound(CaseworkError):
    """The entity does not exist (or was deleted on request)."""

    http_status = 404
    code = "not_found"

    def __init__(self, entity: str, entity_id: object, message_ja: str | None = None) -> None:
        super().__init__(f"{entity} not found: {entity_id}")
        self.entity = entity
        self.entity_id = entity_id
        # What a page says when the id came from a form field a person typed (受付番号).
        self.message_ja = message_ja


class Forbidden(CaseworkError):
    """The principal lacks the permission, or the person is outside their own/team cases."""

    http_status = 403
    code = "forbidden"

    def __init__(self, permission: str, reason: str = "permission denied") -> None:
        super().__init__(f"{reason}: {permission}")
        self.permission = permission
        self.reason = reason


class InvalidInput(CaseworkError):
    """A value breaks a domain rule that schema validation cannot see."""

    http_status = 422
    code = "invalid_input"


class InvalidTransition(CaseworkError):
    """A state machine (plan, placement, fee) does not allow this move from the current state."""

    http_status = 409
    code = "invalid_transition"

    def __init__(self, entity: str, current: str, target: str, detail: str = "") -> None:
        msg = f"{entity}: cannot go from {current} to {target}"
        super().__init__(f"{msg} ({detail})" if detail else msg)
        self.entity = entity
        self.current = current
        self.target = target


class NoCapacity(CaseworkError):
    """The receiver has no free slot left (someone else took the last one)."""

    http_status = 409
    code = "no_capacity"

    def __init__(self, resource_id: str) -> None:
        super().__init__(f"no free slot at resource {resource_id}")
        self.resource_id = resource_id


class ConcurrentUpdate(CaseworkError):
    """Another user changed the same record first; reload and retry."""

    http_status = 409
    code = "concurrent_update"


class ConsentRequired(CaseworkError):
    """The action needs the person's valid consent for that scope."""

    http_status = 409
    code = "consent_required"

    def __init__(self, scope: str) -> None:
        super().__init__(f"no valid consent for scope {scope}")
        self.scope = scope


class FeeLocked(CaseworkError):
    """An approved or paid cooperation fee cannot be edited; reverse it instead."""

    http_status = 409
    code = "fee_locked"


class IdempotencyConflict(CaseworkError):
    """The idempotency key was already used for a different request."""

    http_status = 409
    code = "idempotency_conflict"


class BudgetExceeded(CaseworkError):
    """Approving the fee would exceed the fiscal year's cooperation-fee budget."""

    http_status = 409
    code = "budget_exceeded"


class CatalogUnavailable(CaseworkError):
    """The catalog tables needed for capacity or fee terms are missing (deployment error)."""

    http_status = 500
    code = "catalog_unavailable"


class AuthenticationFailed(CaseworkError):
    """Wrong user name, password or API key (never says which)."""

    http_status = 401
    code = "authentication_failed"


class SupportNotStarted(CaseworkError):
    """Matching starts once a plan is decided by the 重層的支援会議 or started early."""

    http_status = 409
    code = "support_not_started"

    def __init__(self, person_id: int) -> None:
        super().__init__(
            f"person {person_id} has no decided or early-started plan yet (利用開始前)"
        )
        self.person_id = person_id


class MultiAgencyConsentRequired(ConsentRequired):
    """A plan goes to the 重層的支援会議 only with the person's multi_agency consent (5(2)ア).

    Without it the path is the 支援会議 (members bound by confidentiality, 5(2)イ).
    """

    MESSAGE_JA = (
        "本人の多機関協働事業への同意がないため、重層的支援会議には諮れません。"
        "同意を記録するか、同意が得られない場合は支援会議（構成員に守秘義務のある会議）で"
        "情報共有と支援体制を検討してください。"
    )

    def __init__(self, reception_number: str | None = None) -> None:
        super().__init__("multi_agency")
        # A meeting of several cases names the case that lacks the consent.
        prefix = f"受付番号 {reception_number}: " if reception_number else ""
        self.message_ja = prefix + self.MESSAGE_JA
        self.args = (
            f"{self.message_ja} / No valid multi_agency consent: the plan cannot go to the "
            "重層的支援会議; record the consent, or use the 支援会議 (confidentiality-bound) path.",
        )


class AlreadyExists(CaseworkError):
    """A unique name is taken (a user name): a conflict with what is stored, not bad input."""

    http_status = 409
    code = "already_exists"


class CaseClosed(CaseworkError):
    """終結したケースには新しい提案ができない: the case must be reopened (再開) first."""

    http_status = 409
    code = "case_closed"
    message_ja = (
        "このケースは終結しています。新しい受入先を提案するには、先に支援を再開してください。"
    )

    def __init__(self, person_id: int) -> None:
        super().__init__(
            f"{self.message_ja} / Person {person_id}'s case is closed: reopen it before "
            "proposing a receiver."
        )
        self.person_id = person_id


class ShareConsentRequired(ConsentRequired):
    """連絡 or any later stage tells the receiver who the person is: that needs a consent
    naming that receiver (or its organization), in force on the day of the step."""

    def __init__(self, resource_id: str, receiver_name: str | None = None) -> None:
        super().__init__("share_with_receiver")
        who = f"「{receiver_name}」" if receiver_name else f"（{resource_id}）"
        self.message_ja = (
            f"受入先{who}への情報提供の同意が記録されていないか、期限切れ・撤回済みです。"
            "受入先へ連絡する前に、同意の記録で受入先を選んで同意を記録してください。"
        )
        self.resource_id = resource_id
        self.args = (
            f"{self.message_ja} / No valid share_with_receiver consent for resource "
            f"{resource_id}: record the person's consent before contacting the receiver.",
        )


class InvalidDate(InvalidInput):
    """A date that cannot be true (in the future, before what it follows): names the field."""

    code = "invalid_date"

    def __init__(self, field: str, message_ja: str, message_en: str) -> None:
        super().__init__(f"{field}: {message_ja} / {message_en}")
        self.field = field
        self.message_ja = message_ja
