"""The migrated schema matches the ORM models (Alembic autogenerate finds nothing to do)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine

import storage.models  # noqa: F401  (every domain's tables on Base.metadata)
from storage.base import Base


def test_migrations_and_models_agree(engine: Engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert "sign_in_attempt" in Base.metadata.tables
    assert diff == []
