"""Admission: at most N requests inside the app at once; the rest wait on the event loop.

A sync route and each sync dependency take a thread from anyio's pool (40 threads) for
each step, and a request's database transaction stays open from its first query until the
session dependency's teardown, itself another thread-pool step. On SQLite every
transaction holds the single writer lock (``storage.engine``); with more concurrent requests
than threads, all 40 threads could sit waiting for that lock (or for a pooled connection)
while the request holding it waited for a thread to finish its teardown: nothing moved
until the 30 s lock timeout (``scripts/soak.py`` with 50 users: p50 30 s, 60 % errors).
Keeping admitted requests below both the thread pool and the connection pool means the
request that holds the lock always finds a thread; waiting happens here, costing no thread.
"""

from __future__ import annotations

import anyio
from starlette.types import ASGIApp, Receive, Scope, Send


class AdmissionMiddleware:
    """Lets at most ``limit`` HTTP requests run at once (pure ASGI, so streaming is held)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit
        self._slots: anyio.Semaphore | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self._slots is None:
            # Built on first use, inside the running event loop.
            self._slots = anyio.Semaphore(self.limit)
        async with self._slots:
            await self.app(scope, receive, send)
