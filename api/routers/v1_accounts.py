"""Staff accounts and API clients, for administrators (keys are shown once, stored hashed)."""

from __future__ import annotations

from fastapi import APIRouter, status

from api.deps import CurrentPrincipal, SessionDep, guard
from api.schemas.casework import ApiClientCreate, ApiClientCreatedOut, IdPath, UserCreate
from api.schemas.common import error_responses
from casework.errors import InvalidInput
from casework.permissions import ROLE_PERMISSIONS
from casework.schemas import ApiClientIn, UserOut
from casework.services import accounts

router = APIRouter(prefix="/api/v1")

AUTH = error_responses(401, 403, 422)


@router.post(
    "/api-clients",
    status_code=status.HTTP_201_CREATED,
    response_model=ApiClientCreatedOut,
    responses=AUTH,
    summary="Create an API client (the key is shown once)",
    tags=["accounts"],
    **guard("apikey:admin"),
)
def create_api_client(
    body: ApiClientCreate, session: SessionDep, who: CurrentPrincipal
) -> ApiClientCreatedOut:
    """Scopes are a role's permissions or an explicit list; only the key's hash is stored."""
    if (body.role is None) == (body.scopes is None):
        raise InvalidInput("give either role or scopes")
    scopes = sorted(ROLE_PERMISSIONS[body.role]) if body.role else list(body.scopes or [])
    client, token = accounts.create_api_client(
        session, who, ApiClientIn(name=body.name, scopes=scopes)
    )
    return ApiClientCreatedOut(id=client.id, name=client.name, scopes=client.scopes, api_key=token)


@router.post(
    "/api-clients/{client_id}/revoke",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(401, 403, 404, 422),
    summary="Revoke an API client's key",
    tags=["accounts"],
    **guard("apikey:admin"),
)
def revoke_api_client(client_id: IdPath, session: SessionDep, who: CurrentPrincipal) -> None:
    """The key stops working at once."""
    accounts.revoke_api_client(session, who, client_id)


@router.post(
    "/users",
    status_code=status.HTTP_201_CREATED,
    response_model=UserOut,
    responses=AUTH,
    summary="Create a staff account",
    tags=["accounts"],
    **guard("user:admin"),
)
def create_user(body: UserCreate, session: SessionDep, who: CurrentPrincipal) -> UserOut:
    """The password is stored as an argon2 hash."""
    user = accounts.create_user(session, who, body)
    return UserOut.model_validate(user)
