"""Bodies shared by every router: the error shape and the health answer."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict


class ErrorOut(BaseModel):
    """Every error response: a stable machine code and a detail for people or programs."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "error": "resource_not_found",
                    "detail": "受入先が見つかりません / Resource not found: R999",
                }
            ]
        }
    )

    error: str
    detail: Any


class HealthOut(BaseModel):
    """Liveness and database reachability."""

    status: Literal["ok", "error"]
    database: Literal["ok", "error"]


Responses = dict[int | str, dict[str, Any]]


def error_responses(*codes: int, extra: Responses | None = None) -> Responses:
    """OpenAPI ``responses=`` entries documenting the error body for these status codes."""
    responses: Responses = dict(extra or {})
    responses.update({code: {"model": ErrorOut} for code in codes})
    return responses
