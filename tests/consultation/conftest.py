"""Service-level fixtures of the consultation domain: those of the casework tests."""

from tests.casework.conftest import *  # noqa: F403
