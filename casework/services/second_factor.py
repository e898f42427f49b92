"""Optional TOTP second factor (二段階認証) for staff accounts, with recovery codes.

Enabling is two steps so a mistyped secret can never lock anyone out: ``begin_enrolment``
stores a fresh secret (encrypted) and ``confirm_enrolment`` turns it on only when a code from
the authenticator app matches; the recovery codes are shown once then and only their
sha256 hashes are kept (each is 80 random bits, so a fast hash suffices). A time step is
accepted once, and a recovery code is removed when used. Every change is audited.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import cast

import pyotp
import segno
from sqlalchemy.orm import Session

from casework import repository as repo
from casework.errors import AuthenticationFailed, InvalidInput, NotFound
from casework.models import StaffUser, utcnow
from casework.permissions import Principal, Role, authorize
from casework.services import audit, sign_in_guard

ISSUER = "Tsunagu"
RECOVERY_CODES = 10
# One step either side: the phone's clock may be up to 30 s off.
VALID_WINDOW = 1


class SecondFactorRequired(Exception):
    """The password was right and the account asks for a code (not yet signed in)."""

    def __init__(self, user_id: int) -> None:
        super().__init__("second factor required")
        self.user_id = user_id


@dataclass(frozen=True)
class Enrolment:
    """A secret waiting for confirmation: the key to type and the QR code as inline SVG."""

    secret: str
    uri: str
    qr_svg: str


def _user(session: Session, user_id: int) -> StaffUser:
    user = repo.get_staff_user(session, user_id)
    if user is None:
        raise NotFound("staff_user", user_id)
    return user


def is_enabled(user: StaffUser) -> bool:
    """True when sign-in asks this user for a code."""
    return user.totp_enabled_at is not None and user.totp_secret is not None


def _own(principal: Principal, user_id: int) -> None:
    # Only the account holder sets up their own factor: the secret is theirs alone.
    if principal.kind != "user" or principal.id != user_id:
        raise InvalidInput("the second factor is set up by the account holder")


def begin_enrolment(session: Session, principal: Principal, user_id: int) -> Enrolment:
    """Store a new, unconfirmed secret; return it with its QR code (inline SVG)."""
    _own(principal, user_id)
    user = _user(session, user_id)
    if is_enabled(user):
        raise InvalidInput("the second factor is already on; turn it off first")
    secret = pyotp.random_base32()
    user.totp_secret = secret
    user.totp_enabled_at = None
    session.flush()
    return enrolment_of(user)


def enrolment_of(user: StaffUser) -> Enrolment:
    """The pending secret of ``user`` as text, URI and QR code."""
    if user.totp_secret is None:
        raise InvalidInput("no second factor is being set up")
    uri = pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.username, issuer_name=ISSUER)
    svg = segno.make(uri, error="m").svg_inline(
        scale=4, title="二段階認証の設定用QRコード", light="#fff"
    )
    return Enrolment(secret=user.totp_secret, uri=uri, qr_svg=svg)


def _step(secret: str, code: str, now: datetime, last_step: int | None) -> int | None:
    """The time step ``code`` matches (never one already used), or None."""
    code = code.strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _hash(code: str) -> str:
    return hashlib.sha256(code.strip().lower().replace("-", "").encode("ascii")).hexdigest()


def _new_recovery_codes() -> list[str]:
    """Ten codes like ``k3f9-x2m7-q8pa-d4t1`` (80 bits each)."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(alphabet) for _ in range(16))
        codes.append("-".join(raw[i : i + 4] for i in range(0, 16, 4)))
    return codes


def confirm_enrolment(
    session: Session, principal: Principal, user_id: int, code: str, *, now: datetime | None = None
) -> list[str]:
    """Turn the factor on when ``code`` matches; return the recovery codes (shown once)."""
    _own(principal, user_id)
    user = _user(session, user_id)
    if user.totp_secret is None or is_enabled(user):
        raise InvalidInput("no second factor is being set up")
    now = now or utcnow()
    step = _step(user.totp_secret, code, now, None)
    if step is None:
        raise InvalidInput("the code does not match; check the phone's clock and try again")
    codes = _new_recovery_codes()
    user.totp_enabled_at = now
    user.totp_last_step = step
    user.totp_recovery_hashes = [_hash(c) for c in codes]
    session.flush()
    audit.record(session, principal, "user.totp_enable", "staff_user", user.id)
    return codes


def _turn_off(
    session: Session,
    principal: Principal,
    user: StaffUser,
    action: str,
    detail: dict[str, int] | None = None,
) -> None:
    """Forget the secret and the recovery codes, then record who did it."""
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    user.totp_recovery_hashes = None
    session.flush()
    audit.record(session, principal, action, "staff_user", user.id, detail)


def disable(session: Session, principal: Principal, user_id: int) -> None:
    """Turn the factor off (the holder, or an admin for a lost phone)."""
    if principal.kind != "user" or principal.id != user_id:
        authorize(principal, "user:admin")
    _turn_off(session, principal, _user(session, user_id), "user.totp_disable")


@dataclass(frozen=True)
class AccountFactor:
    """One staff account as the administrators' 二段階認証 page lists it (no secrets)."""

    user_id: int
    username: str
    display_name: str
    role: str
    active: bool
    enabled_at: datetime | None
    recovery_codes_left: int


def list_account_factors(session: Session, principal: Principal) -> list[AccountFactor]:
    """Every staff account with whether its second factor is on (administrators only)."""
    authorize(principal, "user:admin")
    return [
        AccountFactor(
            user_id=user.id,
            username=user.username,
            display_name=user.display_name,
            role=user.role,
            active=user.active,
            enabled_at=user.totp_enabled_at if is_enabled(user) else None,
            recovery_codes_left=recovery_codes_left(user) if is_enabled(user) else 0,
        )
        for user in repo.list_staff_users(session)
    ]


def reset_by_admin(session: Session, principal: Principal, user_id: int) -> StaffUser:
    """An administrator turns off another account's factor (lost phone); the holder enrols
    again from their own account page. Audited as ``user.totp_reset`` with no secret."""
    authorize(principal, "user:admin")
    if principal.kind == "user" and principal.id == user_id:
        # Turning off one's own factor asks for the password again (the account page).
        raise InvalidInput("turn off your own second factor on the account page")
    user = _user(session, user_id)
    if not is_enabled(user):
        raise InvalidInput("the second factor of this account is not on")
    # Ids and counts only: never the secret, the codes or their hashes.
    detail = {"recovery_codes_left": recovery_codes_left(user)}
    _turn_off(session, principal, user, "user.totp_reset", detail)
    return user


def verify_second_factor(
    session: Session,
    user_id: int,
    code: str,
    *,
    ip: str | None = None,
    client: str | None = None,
    now: datetime | None = None,
) -> Principal:
    """Finish a sign-in with a TOTP or recovery code; failures count like wrong passwords."""
    now = now or utcnow()
    user = _user(session, user_id)
    account = sign_in_guard.account_key(user.username)
    try:
        sign_in_guard.check(session, account=account, address=ip, now=now)
    except sign_in_guard.SignInRefused as refused:
        sign_in_guard.refuse(
            session, refused, account=account, user_id=user.id, ip=ip, client=client, now=now
        )
        raise
    factor = None
    if user.active and is_enabled(user) and user.totp_secret is not None:
        step = _step(user.totp_secret, code, now, user.totp_last_step)
        if step is not None:
            user.totp_last_step, factor = step, "totp"
        else:
            hashes = list(user.totp_recovery_hashes or [])
            digest = _hash(code) if code.strip() else ""
            if digest in hashes:
                hashes.remove(digest)
                user.totp_recovery_hashes, factor = hashes, "recovery_code"
    who = Principal(kind="user", id=user.id, ip=ip, client=client)
    if factor is None:
        audit.record(session, who, "auth.second_factor_failed", "staff_user", user.id)
        locked = sign_in_guard.record_failure(
            session, account=account, user_id=user.id, ip=ip, client=client, now=now
        )
        if locked is not None:
            raise locked
        raise AuthenticationFailed("wrong code")
    sign_in_guard.record_success(session, account=account, ip=ip, now=now)
    session.flush()
    principal = Principal(
        kind="user", id=user.id, role=cast(Role, user.role), team=user.team, ip=ip, client=client
    )
    detail = {"factor": factor, "recovery_codes_left": len(user.totp_recovery_hashes or [])}
    audit.record(session, principal, "auth.login", "staff_user", user.id, detail)
    return principal


def recovery_codes_left(user: StaffUser) -> int:
    """How many unused recovery codes the user still has."""
    return len(user.totp_recovery_hashes or [])
