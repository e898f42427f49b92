"""Who is calling: API keys (``Authorization: Bearer <key>``) and web-session principals.

Case systems authenticate with an API key created by ``tsunagu create-api-key``; only its
sha256 is stored (``casework.services.accounts``). The web pages' session middleware puts a
``Principal`` on ``request.state.principal``; both paths end in the same ``Principal`` so
every route checks permissions the same way. The request dependencies built on this module
(``CurrentPrincipal``, ``require``) live in ``api/deps.py`` with the other ``Annotated``
aliases.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from casework.errors import AuthenticationFailed
from casework.permissions import Principal, authorize
from casework.services import accounts

# auto_error=False: a missing header becomes our own 401 body, not FastAPI's 403.
bearer_scheme = HTTPBearer(
    auto_error=False,
    scheme_name="ApiKey",
    bearerFormat="tsk_…",
    description="API key from `tsunagu create-api-key --role ROLE --name NAME`.",
)

# Keys are ``tsk_`` + 43 url-safe characters; anything far longer is not a key.
MAX_KEY_LENGTH = 200


def client_ip(request: Request) -> str | None:
    """The caller's address as the server saw it (for the audit log)."""
    return request.client.host if request.client else None


def authenticate(
    request: Request,
    session: Session,
    credentials: HTTPAuthorizationCredentials | None,
) -> Principal:
    """The principal of this request; AuthenticationFailed (401) when there is none.

    A principal already set by the web session middleware wins; otherwise the bearer key is
    checked against the stored hashes.
    """
    existing = getattr(request.state, "principal", None)
    if isinstance(existing, Principal):
        return existing
    if credentials is None or not credentials.credentials:
        raise AuthenticationFailed(
            "API キーが必要です / An API key is required: send 'Authorization: Bearer <key>'."
        )
    token = credentials.credentials.strip()
    if len(token) > MAX_KEY_LENGTH or not token.isascii():
        raise AuthenticationFailed("invalid API key")
    return accounts.authenticate_api_key(session, token, ip=client_ip(request))


def check_permission(principal: Principal, permission: str) -> Principal:
    """The principal when it holds ``permission``; Forbidden (403) otherwise."""
    authorize(principal, permission)
    return principal


def permission_extra(permission: str) -> dict[str, Any]:
    """OpenAPI extension naming the permission a route requires (read by docs and tests)."""
    return {"x-required-permission": permission}
