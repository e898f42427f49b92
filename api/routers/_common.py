"""Helpers shared by the JSON routers."""

from __future__ import annotations

from fastapi import Response, UploadFile
from pydantic import BaseModel

from api.errors import ApiError


def json_response(model: BaseModel) -> Response:
    """``model`` as the JSON body FastAPI would send for it, serialised in the route's thread.

    A sync route that returns a model has FastAPI validate it once more, in a thread-pool hop
    of its own, before serialising it with the same pydantic ``dump_json``; a route on the
    hot path (suggestions) builds its model from typed values and returns these bytes. The
    route keeps ``response_model``, so its OpenAPI schema is unchanged.
    """
    return Response(model.model_dump_json(by_alias=True), media_type="application/json")


def read_upload(file: UploadFile, max_bytes: int) -> bytes:
    """The uploaded file's bytes; a file over ``max_bytes`` is refused with 413.

    One byte past the limit is read so that an oversized file is told apart without reading
    it whole; the catalog and the agency imports share this so their limit and message agree.
    """
    data = file.file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ApiError(
            413,
            "file_too_large",
            f"ファイルが大きすぎます(上限 {max_bytes} バイト) / "
            f"File larger than {max_bytes} bytes.",
        )
    return data
