"""Service settings, read once from the environment (prefix ``TSUNAGU_``)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every knob of the service; library code receives values, never reads the environment."""

    model_config = SettingsConfigDict(
        env_prefix="TSUNAGU_", env_file="tsunagu.local.env", extra="ignore"
    )

    database_url: str = "sqlite:///var/tsunagu.db"
    secret_key: SecretStr | None = None
    encryption_key: SecretStr | None = None
    # Key rotation: the old key(s), comma-separated, still read while `tsunagu rotate-key`
    # re-encrypts every sensitive field under ``encryption_key`` (the new key).
    encryption_key_previous: SecretStr | None = None
    # Web sessions idle this long are signed out (sent to /login with a notice).
    session_idle_minutes: int = Field(default=30, ge=1, le=24 * 60)
    host: str = "127.0.0.1"
    port: int = 8000
    load_demo_catalog: bool = False
    embedding_cache_dir: Path = Path("var/embeddings")
    # "hashing" is the fast deterministic encoder for tests and demos; "default" the real one.
    encoder: Literal["default", "hashing"] = "default"
    outcome_stable_weeks: int = 12
    # Fit the ranker in the background at start-up (`tsunagu serve` turns it on).
    warm_ranker: bool = False
    # "background": a catalog change is refitted off the request path and swapped in while
    # requests keep using the previous ranker; "inline": the request that sees the change
    # refits (single-process tools, and tests whose catalog lives in an uncommitted
    # transaction that a background session could not read).
    ranker_refit: Literal["background", "inline"] = "background"
    page_size_max: int = 500
    # Requests inside the app at once (api/admission.py): below anyio's 40 worker threads
    # and the 15 pooled connections, so the request holding a transaction always progresses.
    max_concurrent_requests: int = Field(default=12, ge=1, le=32)
    upload_max_bytes: int = 20 * 1024 * 1024
    # Session cookie only over HTTPS: true behind TLS, false for plain-HTTP local use; unset,
    # it is on unless the service listens on localhost.
    cookie_secure: bool | None = None

    def encryption_keys(self) -> list[str]:
        """The new key first, then the previous ones (MultiFernet order); empty when unset."""
        if self.encryption_key is None:
            return []
        previous = self.encryption_key_previous
        old = previous.get_secret_value().split(",") if previous else []
        return [self.encryption_key.get_secret_value(), *(k.strip() for k in old if k.strip())]
