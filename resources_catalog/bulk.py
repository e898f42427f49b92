"""Helpers for the catalog's bulk paths (imports of up to 100,000 resources)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of small objects are built.

    Parsing and importing 100,000 records makes dicts and lists that live until the end;
    each automatic collection walks all of them again, which made the import quadratic-ish.
    Reference counting still frees everything; the collector runs again afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
