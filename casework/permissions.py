"""Roles, permissions and the one ``authorize`` check every casework service calls first.

The role → permission table is data: reviewing who may do what means reading this file.
Coordinators (相談支援員) are further limited to their own and their team's cases.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol, TypeVar

from casework.errors import Forbidden, NotFound

Role = Literal[
    "coordinator", "supervisor", "catalog_maintainer", "finance", "auditor", "admin", "receiver"
]
ROLES: tuple[Role, ...] = (
    "coordinator",
    "supervisor",
    "catalog_maintainer",
    "finance",
    "auditor",
    "admin",
    "receiver",
)

PERMISSIONS: dict[str, str] = {
    "person:read": "read people's records, profiles, consents, plans, placements, evaluations",
    "person:write": "intake, profiles, consents, plans, placements, retention, evaluations",
    "person:delete": "erase a person's personal data on request",
    "plan:decide": "record the 重層的支援会議 decision on a plan",
    "suggestion:run": "store matching suggestion runs",
    "fee:read": "see cooperation fees and budget totals",
    "fee:write": "create and correct draft cooperation fees",
    "fee:approve": "approve or reject cooperation fees",
    "fee:pay": "mark cooperation fees paid",
    "fee:budget": "set the cooperation-fee budget of a fiscal year",
    "fee:export": "export cooperation fees as CSV / xlsx",
    "outcome:export": "export anonymised outcome rows for the matching engine",
    "report:read": "anonymised counts",
    "catalog:read": "read the receivers catalog",
    "catalog:write": "edit and import the receivers catalog",
    "audit:read": "read and verify the audit log",
    "user:admin": "manage users",
    "apikey:admin": "manage API clients and their keys",
    "consultation:read": "read consultations (包括的相談), household members and referrals",
    "consultation:write": "record consultations, link them to people, make and follow referrals",
    "agency:read": "read the 支援関係機関 directory",
    "agency:write": "edit and import the 支援関係機関 directory",
}

_CASEWORK = frozenset(
    {"person:read", "person:write", "suggestion:run", "catalog:read", "report:read"}
) | {"consultation:read", "consultation:write", "agency:read"}

ROLE_PERMISSIONS: dict[Role, frozenset[str]] = {
    "coordinator": _CASEWORK | {"fee:read", "fee:write"},
    "supervisor": _CASEWORK
    | {"person:delete", "plan:decide", "fee:read", "fee:write", "outcome:export"}
    | {"agency:write"},
    "catalog_maintainer": frozenset({"catalog:read", "catalog:write"})
    | {"agency:read", "agency:write"},
    "finance": frozenset(
        {"fee:read", "fee:approve", "fee:pay", "fee:budget", "fee:export", "catalog:read"}
    ),
    "auditor": frozenset({"audit:read", "report:read"}),
    # Administrators run accounts and the catalog; reading case files needs a casework role.
    "admin": frozenset(
        {"user:admin", "apikey:admin", "audit:read", "report:read", "catalog:read", "catalog:write"}
    ),
}

# 資源開拓 and reporting (development/): added after the table above to keep merges small.
PERMISSIONS["waitlist:whatif"] = "run the batch what-if assignment over the waiting list"
PERMISSIONS["prospect:read"] = "see prospective receivers (資源開拓) and their support log"
PERMISSIONS["prospect:write"] = "move prospective receivers through the pipeline"
ROLE_PERMISSIONS["supervisor"] = ROLE_PERMISSIONS["supervisor"] | {
    "waitlist:whatif",
    "prospect:read",
    "prospect:write",
}
ROLE_PERMISSIONS["coordinator"] = ROLE_PERMISSIONS["coordinator"] | {
    "prospect:read",
    "prospect:write",
}
ROLE_PERMISSIONS["catalog_maintainer"] = ROLE_PERMISSIONS["catalog_maintainer"] | {
    "prospect:read",
    "prospect:write",
}

# A receiver (受入先) account sees and answers only referrals to its own organisation
# (development.receiver checks the organisation on every call).
PERMISSIONS["receiver:self"] = "answer referrals, confirm attendance, update own free places"
ROLE_PERMISSIONS["receiver"] = frozenset({"receiver:self"})
ROLE_PERMISSIONS["admin"] = ROLE_PERMISSIONS["admin"] | {"prospect:read"}

# Permissions whose use is limited to own/team cases for coordinators.
SCOPED_TO_CASES = frozenset({"person:read", "person:write", "suggestion:run", "fee:write"}) | {
    "consultation:read",
    "consultation:write",
}


@dataclass(frozen=True)
class Principal:
    """Who is acting: a staff user or an API client, and from where (for the audit log)."""

    kind: Literal["user", "api_client", "system"]
    id: int
    role: Role | None = None
    team: str | None = None
    scopes: frozenset[str] = field(default_factory=frozenset)
    ip: str | None = None
    client: str | None = None

    @property
    def ref(self) -> str:
        """Stable actor reference for the audit log, e.g. ``user:3``."""
        return f"{self.kind}:{self.id}"

    @property
    def user_id(self) -> int | None:
        """The staff user id, when the principal is a user."""
        return self.id if self.kind == "user" else None

    def permissions(self) -> frozenset[str]:
        """Everything this principal may do (before own/team scoping)."""
        if self.kind == "user" and self.role is not None:
            return ROLE_PERMISSIONS[self.role]
        if self.kind == "api_client":
            return self.scopes & frozenset(PERMISSIONS)
        if self.kind == "system":
            return frozenset(PERMISSIONS)
        return frozenset()


class CaseOwner(Protocol):
    """What authorize needs to know of a person: the primary staff member and the team."""

    @property
    def primary_staff_id(self) -> int | None: ...

    @property
    def team(self) -> str | None: ...


def has_permission(principal: Principal, permission: str) -> bool:
    """True when the principal's role or scopes include the permission."""
    return permission in principal.permissions()


def authorize(principal: Principal, permission: str, *, person: CaseOwner | None = None) -> None:
    """Raise Forbidden unless the principal may use ``permission`` (on ``person``, if given)."""
    if permission not in PERMISSIONS:
        raise ValueError(f"unknown permission: {permission}")
    if not has_permission(principal, permission):
        raise Forbidden(permission)
    if (
        person is not None
        and principal.kind == "user"
        and principal.role == "coordinator"
        and permission in SCOPED_TO_CASES
        and not _own_or_team(principal, person)
    ):
        raise Forbidden(permission, "not one of your own or your team's cases")


Owned = TypeVar("Owned", bound=CaseOwner)


def authorize_found(
    principal: Principal, permission: str, row: Owned | None, kind: str, ident: int
) -> Owned:
    """``row`` when the principal may use ``permission`` on it; NotFound / Forbidden.

    A missing row is reported only after the permission itself is checked, so a caller
    without it cannot probe which ids exist.
    """
    if row is None:
        authorize(principal, permission)
        raise NotFound(kind, ident)
    authorize(principal, permission, person=row)
    return row


def _own_or_team(principal: Principal, person: CaseOwner) -> bool:
    if person.primary_staff_id is not None and person.primary_staff_id == principal.id:
        return True
    return principal.team is not None and person.team == principal.team
