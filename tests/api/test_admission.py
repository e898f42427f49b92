"""Admission keeps at most N requests inside the app; the others wait their turn."""

from __future__ import annotations

import anyio
import pytest
from starlette.types import Message, Receive, Scope, Send

from api.admission import AdmissionMiddleware


@pytest.mark.anyio
async def test_no_more_than_the_limit_run_at_once_and_all_finish() -> None:
    inside, peak, done = 0, 0, 0

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        nonlocal inside, peak, done
        inside += 1
        peak = max(peak, inside)
        await anyio.sleep(0.01)
        inside -= 1
        done += 1

    admitted = AdmissionMiddleware(app, limit=3)

    async def receive() -> Message:
        return {"type": "http.request"}

    async def send(message: Message) -> None:
        return None

    async with anyio.create_task_group() as tasks:
        for _ in range(20):
            tasks.start_soon(admitted, {"type": "http"}, receive, send)
    assert peak == 3 and done == 20


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
