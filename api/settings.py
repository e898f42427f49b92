"""Service settings, read once from the environment (prefix ``TSUNAGU_``)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every knob of the service; library code receives values, never reads the environment."""

    model_config = SettingsConfigDict(
        env_prefix="TSUNAGU_", env_file="tsunagu.local.env", extra="ignore"
    )

    database_url: str = "sqlite:///var/tsunagu.db"
    secret_key: SecretStr | None = None
    encryption_key: SecretStr | None = None
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
    upload_max_bytes: int = 20 * 1024 * 1024
    # Session cookie only over HTTPS: true behind TLS, false for plain-HTTP local use; unset,
    # it is on unless the service listens on localhost.
    cookie_secure: bool | None = None
