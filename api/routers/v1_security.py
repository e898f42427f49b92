"""Administrators' security operations: lifting a sign-in lock before it expires, resetting
a staff account's second factor (lost phone)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, status
from pydantic import BaseModel, ConfigDict, Field, model_validator

from api.deps import CurrentPrincipal, SessionDep, guard
from api.schemas.common import error_responses
from casework.services import second_factor, sign_in_guard

router = APIRouter(prefix="/api/v1")


class SignInUnlock(BaseModel):
    """Which lock to lift: an account (user name), a client address, or both."""

    # The schema says what the validator checks: at least one of the two.
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"anyOf": [{"required": ["username"]}, {"required": ["address"]}]},
    )

    username: Annotated[str | None, Field(min_length=1, max_length=200, pattern=r"^[^\x00]*$")] = (
        None
    )
    address: Annotated[str | None, Field(min_length=1, max_length=64, pattern=r"^[^\x00]*$")] = None

    @model_validator(mode="after")
    def _one_given(self) -> SignInUnlock:
        if self.username is None and self.address is None:
            raise ValueError("give username or address")
        return self


@router.post(
    "/sign-in-locks/unlock",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(401, 403, 422),
    summary="Lift a sign-in lock (account or client address)",
    tags=["accounts"],
    **guard("user:admin"),
)
def unlock_sign_in(body: SignInUnlock, session: SessionDep, who: CurrentPrincipal) -> None:
    """The lock ends at once; the unlock is recorded in the audit log."""
    sign_in_guard.unlock(session, who, username=body.username, address=body.address)


StaffUserId = Annotated[int, Path(ge=1, le=2_147_483_647, description="staff account id")]


@router.post(
    "/staff-users/{user_id}/second-factor/reset",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(401, 403, 404, 422),
    summary="Turn off a staff account's second factor (lost phone)",
    tags=["accounts"],
    **guard("user:admin"),
)
def reset_second_factor(user_id: StaffUserId, session: SessionDep, who: CurrentPrincipal) -> None:
    """The holder signs in with the password alone and enrols again; audited, no secrets."""
    second_factor.reset_by_admin(session, who, user_id)
