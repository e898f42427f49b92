"""Reuse the casework API fixture (an app with the hashing encoder and keys per role)."""

from tests.api.casework.conftest import api  # noqa: F401
