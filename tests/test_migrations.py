"""The migrations build exactly the tables the ORM models describe (on SQLite and PostgreSQL)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine

import casework.models  # noqa: F401  (registers the casework tables)
import consultation.models  # noqa: F401  (registers the consultation tables)
import development.models  # noqa: F401  (registers the resource-development tables)
import resources_catalog.models  # noqa: F401  (registers the catalog tables)
from storage.base import Base


def test_models_and_migrations_agree(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": False})
        diffs = compare_metadata(context, Base.metadata)
    assert diffs == []
