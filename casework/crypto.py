"""Encryption at rest for sensitive free text (health, disability, family, needs, plan issues).

The app calls ``configure(key)`` once at start-up with ``TSUNAGU_ENCRYPTION_KEY``; library code
never reads the environment. Several keys (newest first) allow rotation with MultiFernet.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Dialect, Text
from sqlalchemy.types import TypeDecorator

_cipher: MultiFernet | None = None


class CryptoNotConfigured(RuntimeError):
    """An encrypted column was used before ``casework.crypto.configure`` was called."""

    def __init__(self) -> None:
        super().__init__(
            "casework.crypto is not configured: call casework.crypto.configure(key) at start-up "
            "with TSUNAGU_ENCRYPTION_KEY (generate one with casework.crypto.generate_key())"
        )


class DecryptionFailed(RuntimeError):
    """Stored ciphertext could not be decrypted with the configured key(s)."""


def generate_key() -> str:
    """A new random Fernet key (url-safe base64 text)."""
    return Fernet.generate_key().decode("ascii")


def configure(key: str | bytes | Sequence[str | bytes]) -> None:
    """Set the process-wide cipher; pass several keys (newest first) to rotate."""
    global _cipher
    keys = [key] if isinstance(key, str | bytes) else list(key)
    if not keys:
        raise ValueError("at least one encryption key is required")
    try:
        _cipher = MultiFernet([Fernet(k) for k in keys])
    except (ValueError, TypeError) as exc:
        # Never echo the key itself.
        raise ValueError("invalid encryption key: expected a 32-byte url-safe base64 key") from exc


def reset() -> None:
    """Forget the configured cipher (tests and shutdown)."""
    global _cipher
    _cipher = None


def is_configured() -> bool:
    """True once ``configure`` has been called."""
    return _cipher is not None


def _require() -> MultiFernet:
    if _cipher is None:
        raise CryptoNotConfigured()
    return _cipher


def encrypt(plaintext: str) -> str:
    """Encrypt text with the newest key."""
    return _require().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    """Decrypt text written by ``encrypt`` with any configured key."""
    try:
        return _require().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise DecryptionFailed("stored value cannot be decrypted with the configured key") from exc


class EncryptedText(TypeDecorator[str]):
    """Text stored Fernet-encrypted; reads and writes fail clearly when unconfigured."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return encrypt(str(value))

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return decrypt(str(value))
