"""Uploaded catalog files kept between the preview (dry run) and the apply step.

The file waits in a private temporary folder under a random token that is also stored in
the uploader's session, so only the person who saw the preview can apply it.
"""

from __future__ import annotations

import secrets
import tempfile
import time
from pathlib import Path

UPLOAD_DIR = Path(tempfile.gettempdir()) / "tsunagu-uploads"
KEEP_SECONDS = 6 * 60 * 60


def _sweep() -> None:
    cutoff = time.time() - KEEP_SECONDS
    for path in UPLOAD_DIR.glob("*"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            continue


def keep(data: bytes, filename: str) -> str:
    """Store the upload; returns its token."""
    UPLOAD_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    _sweep()
    token = secrets.token_urlsafe(18)
    (UPLOAD_DIR / f"{token}.bin").write_bytes(data)
    (UPLOAD_DIR / f"{token}.name").write_text(filename, encoding="utf-8")
    return token


def load(token: str) -> tuple[bytes, str] | None:
    """The stored file and its name, or None when gone or the token is malformed."""
    if not token.replace("-", "").replace("_", "").isalnum():
        return None
    data, name = UPLOAD_DIR / f"{token}.bin", UPLOAD_DIR / f"{token}.name"
    if not data.exists() or not name.exists():
        return None
    return data.read_bytes(), name.read_text(encoding="utf-8")


def drop(token: str) -> None:
    """Forget an applied upload."""
    for suffix in (".bin", ".name"):
        (UPLOAD_DIR / f"{token}{suffix}").unlink(missing_ok=True)
