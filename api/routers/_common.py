"""Helpers shared by the JSON routers."""

from __future__ import annotations

from fastapi import UploadFile

from api.errors import ApiError


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
