"""Import every domain's models so Base.metadata knows all tables (Alembic autogenerate)."""

import resources_catalog.models  # noqa: F401
