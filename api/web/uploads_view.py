"""The upload-with-preview steps shared by the catalog and the agency import pages.

Both pages take a file, show what it would change and apply it only when the person who saw
the preview confirms it: the file waits in :mod:`api.web.uploads` under a token that is also
kept in that person's session. One copy of these steps keeps the two pages' limits, messages
and ownership check from drifting apart.
"""

from __future__ import annotations

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request

from api.web import uploads
from api.web.forms import text
from api.web.templating import flash


class UploadRefused(Exception):
    """The form's file cannot be previewed: none was chosen (422) or it is too large (413)."""

    def __init__(self, message: str, status_code: int) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code


def read_upload(form: FormData, max_bytes: int) -> tuple[bytes, str]:
    """The chosen file's bytes and name; reads one byte past the limit to tell it is over."""
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise UploadRefused("ファイルを選んでください。", 422)
    data = upload.file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UploadRefused(f"ファイルが大きすぎます（{max_bytes // 1_000_000}MBまで）。", 413)
    return data, upload.filename


def keep_for_apply(request: Request, session_key: str, data: bytes, filename: str) -> str:
    """Keep the previewed file until it is applied; its token goes to the page and the session."""
    token = uploads.keep(data, filename)
    request.session[session_key] = token
    return token


def previewed_upload(
    request: Request, form: FormData, session_key: str
) -> tuple[str, bytes, str] | None:
    """The file this person previewed (token, bytes, name), or None with a message flashed.

    A token that is not the one in the uploader's own session reads as missing, so nobody can
    apply a file someone else previewed; on None the caller sends the person back to the form.
    """
    token = text(form, "token") or ""
    stored = uploads.load(token) if token and request.session.get(session_key) == token else None
    if stored is None:
        flash(
            request, "確認したファイルが見つかりません。もう一度アップロードしてください。", "error"
        )
        return None
    data, filename = stored
    return token, data, filename


def forget_upload(request: Request, session_key: str, token: str) -> None:
    """Drop an applied file and its token: it cannot be applied twice."""
    uploads.drop(token)
    request.session.pop(session_key, None)
