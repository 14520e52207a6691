"""Background jobs: shutdown (and the harness's settle) wait for all of them, also those spawned meanwhile."""
from __future__ import annotations

import asyncio

from commands.context import Jobs


async def test_drain_waits_for_work_spawned_while_it_drains() -> None:
    jobs, finished = Jobs(), []

    async def sync_row() -> None:
        await asyncio.sleep(0)
        finished.append("sync row")

    async def button_handler() -> None:
        await asyncio.sleep(0)
        jobs.spawn(sync_row(), name="sync row")  # what timers.after_change does
        finished.append("button")

    jobs.spawn(button_handler(), name="button")
    assert await jobs.drain(timeout=5.0) == 0
    assert finished == ["button", "sync row"]


async def test_drain_cancels_what_outlives_its_timeout() -> None:
    jobs, never = Jobs(), asyncio.Event()
    stuck = jobs.spawn(never.wait(), name="stuck")
    assert await jobs.drain(timeout=0.01) == 1
    assert stuck.cancelled()
