"""Sign-in safeguards: growing delays and temporary locks after failed passwords.

Two counters, both kept as rows of ``sign_in_attempt`` so every worker process sees them:

* per account (the user name as typed, known or not, so a lock reveals nothing about which
  names exist): after ``delay_after`` failures each further try must wait 1, 2, 4 … seconds
  after the last failure; after ``lock_after`` failures the account is locked for 15 minutes,
  doubling with each further failure (24 hours at most). A successful sign-in or an admin's
  unlock starts the count again.
* per client address: the same with higher thresholds, so one address guessing at many
  accounts is slowed and then stopped. Only an unlock (or time) resets it, since a success
  on one account from a shared address does not excuse guesses at others.

While refused, the password is not even checked (a correct one is refused too), the refusal
is recorded (not counted as a failure, so waiting it out always works) and audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy.orm import Session

from casework import repository as repo
from casework.errors import CaseworkError, InvalidInput
from casework.models import SignInAttempt, utcnow
from casework.permissions import Principal, authorize
from casework.services import audit

Scope = Literal["account", "address"]
Kind = Literal["throttled", "locked"]


@dataclass(frozen=True)
class Policy:
    """When to slow down and when to lock one kind of subject."""

    delay_after: int
    lock_after: int
    window: timedelta
    base_delay: timedelta = timedelta(seconds=1)
    max_delay: timedelta = timedelta(seconds=60)
    base_lock: timedelta = timedelta(minutes=15)
    max_lock: timedelta = timedelta(hours=24)

    def wait_until(self, failures: int, latest: datetime | None) -> tuple[Kind, datetime] | None:
        """Until when the next attempt must wait after ``failures`` (latest at ``latest``)."""
        if latest is None or failures < self.delay_after:
            return None
        if failures >= self.lock_after:
            step = min(failures - self.lock_after, 16)
            return "locked", latest + min(self.base_lock * 2**step, self.max_lock)
        step = min(failures - self.delay_after, 16)
        return "throttled", latest + min(self.base_delay * 2**step, self.max_delay)


ACCOUNT_POLICY = Policy(delay_after=3, lock_after=5, window=timedelta(hours=24))
ADDRESS_POLICY = Policy(delay_after=10, lock_after=30, window=timedelta(hours=1))


class SignInRefused(CaseworkError):
    """Too many failed sign-ins: wait until ``until`` (or ask an admin to unlock)."""

    http_status = 429

    def __init__(self, scope: Scope, kind: Kind, until: datetime, now: datetime) -> None:
        super().__init__(f"sign-in {kind} for this {scope} until {until.isoformat()}")
        self.scope = scope
        self.kind = kind
        self.until = until
        self.code = "sign_in_locked" if kind == "locked" else "too_many_attempts"
        self.retry_after = max(1, int((until - now).total_seconds() + 0.999))


def account_key(username: str) -> str:
    """The counted form of a user name (trimmed, case-folded, bounded)."""
    return username.strip().casefold()[:200]


def _state(
    session: Session, scope: Scope, subject: str, now: datetime
) -> tuple[Kind, datetime] | None:
    policy = ACCOUNT_POLICY if scope == "account" else ADDRESS_POLICY
    by = {"account": subject} if scope == "account" else {"address": subject}
    since = now - policy.window
    # Instants come back aware (storage.types.UTCDateTime), on SQLite too.
    reset = repo.last_sign_in_reset(session, **by)
    if reset is not None and reset > since:
        since = reset
    failures, latest = repo.sign_in_failures(session, since=since, **by)
    found = policy.wait_until(failures, latest)
    return found if found is not None and found[1] > now else None


def check(session: Session, *, account: str, address: str | None, now: datetime) -> None:
    """Raise SignInRefused while the account or the address must wait."""
    subjects: list[tuple[Scope, str]] = [("account", account)]
    if address:
        subjects.append(("address", address))
    for scope, subject in subjects:
        found = _state(session, scope, subject, now)
        if found is not None:
            raise SignInRefused(scope, found[0], found[1], now)


def _record(
    session: Session, account: str | None, address: str | None, outcome: str, now: datetime
) -> None:
    session.add(SignInAttempt(occurred_at=now, account=account, address=address, outcome=outcome))
    session.flush()


def _audit_principal(user_id: int | None, ip: str | None, client: str | None) -> Principal:
    if user_id is not None:
        return Principal(kind="user", id=user_id, ip=ip, client=client)
    return Principal(kind="system", id=0, ip=ip, client=client or "sign-in")


def refuse(
    session: Session,
    refused: SignInRefused,
    *,
    account: str,
    user_id: int | None,
    ip: str | None,
    client: str | None,
    now: datetime,
) -> None:
    """Record and audit an attempt refused without checking its password."""
    _record(session, account, ip, "refused", now)
    audit.record(
        session,
        _audit_principal(user_id, ip, client),
        "auth.login_refused",
        "staff_user",
        user_id,
        {"reason": refused.code, "scope": refused.scope, "until": refused.until.isoformat()},
    )


def record_failure(
    session: Session,
    *,
    account: str,
    user_id: int | None,
    ip: str | None,
    client: str | None,
    now: datetime,
) -> SignInRefused | None:
    """Count a wrong password; when it starts a lock, audit the lock and return it."""
    _record(session, account, ip, "failure", now)
    subjects: list[tuple[Scope, str]] = [("account", account)]
    if ip:
        subjects.append(("address", ip))
    for scope, subject in subjects:
        found = _state(session, scope, subject, now)
        if found is not None and found[0] == "locked":
            audit.record(
                session,
                _audit_principal(user_id, ip, client),
                "auth.locked",
                "staff_user",
                user_id,
                {"scope": scope, "until": found[1].isoformat()},
            )
            return SignInRefused(scope, "locked", found[1], now)
    return None


def record_success(session: Session, *, account: str, ip: str | None, now: datetime) -> None:
    """A correct password: the account's count starts again."""
    _record(session, account, ip, "success", now)


def unlock(
    session: Session,
    principal: Principal,
    *,
    username: str | None = None,
    address: str | None = None,
) -> None:
    """Lift a lock on an account or a client address at once (user:admin)."""
    authorize(principal, "user:admin")
    if not username and not address:
        raise InvalidInput("give a user name or an address to unlock")
    now = utcnow()
    if username:
        account = account_key(username)
        _record(session, account, None, "unlock", now)
        user = repo.get_staff_user_by_username(session, username.strip())
        audit.record(
            session,
            principal,
            "auth.unlock",
            "staff_user",
            user.id if user else None,
            {"scope": "account"},
        )
    if address:
        _record(session, None, address, "unlock", now)
        audit.record(
            session, principal, "auth.unlock", "staff_user", None,
            {"scope": "address", "address": address},
        )  # fmt: skip
