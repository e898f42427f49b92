"""Import every domain's models so Base.metadata knows all tables (Alembic autogenerate)."""

import casework.models  # noqa: F401
import development.models  # noqa: F401
import resources_catalog.models  # noqa: F401
