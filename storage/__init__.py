"""Shared persistence plumbing: declarative base, engines and Alembic migrations."""
