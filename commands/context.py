"""What the floor commands and the production chain need from the outside world.

Built once by the composition root (`bot.app`) and passed in; nothing here is global, so tests
build their own against loopback fakes. Slack is reached only through `slack` (a `SlackPort`).
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from commands.orders import OpenOrders
from commands.outcome import Outcome
from commands.ports import Permissions, SlackPort
from integrations.katana import Katana
from models.leases import KeyedLocks, ProcessLocks
from models.store import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FloorSettings:
    """The part of the configuration the floor reads (the composition root fills it from `Settings`)."""

    floor_channel: str | None = None
    supervisor_channel: str | None = None
    katana_app_url: str = "https://factory.katanamrp.com"
    fba_location: str | None = None
    scrap_reason_codes: Sequence[str] = ()
    undo_window_minutes: float = 15
    timer_auto_pause_hours: float = 4
    action_give_up_after_hours: float = 24
    action_retry_first_seconds: float = 5
    action_retry_max_seconds: float = 300


class Jobs:
    """Background work started after an ack, tracked so shutdown can wait for it."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    def spawn(self, work: Awaitable[Any], name: str) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(work)
        task.set_name(name)
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("background job %s failed", task.get_name(), exc_info=task.exception())

    @property
    def running(self) -> int:
        return len(self._tasks)

    async def idle(self, timeout: float) -> int:
        """Wait until no job runs (jobs may start others); returns how many still run after `timeout`.
        Nothing is cancelled: the demo and the tests wait for the floor to settle with this."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self._tasks and loop.time() < deadline:
            await asyncio.wait(set(self._tasks), timeout=deadline - loop.time())
        return len(self._tasks)

    async def drain(self, timeout: float) -> int:
        """Wait for in-flight work; returns how many were still running (left for the resume worker).

        What is still running then is cancelled, as a crash would end it: its state is stored and the next
        start resumes it (checking Katana first where the outcome of a request is unknown)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        # Until the deadline, also for jobs spawned meanwhile (a timer's Start spawns its Katana row update
        # as it finishes): cancelling those as leftovers cut them off mid-request (tests/test_scenario_timers).
        while self._tasks and loop.time() < deadline:
            await asyncio.wait(set(self._tasks), timeout=deadline - loop.time())
        left = set(self._tasks)
        for task in left:
            task.cancel()
        if left:
            await asyncio.wait(left, timeout=5)
        return len(left)


async def no_home(user_id: str, notice: str | None = None) -> None:
    """Without an App Home (tests of the floor alone) there is nothing to refresh."""


@dataclass
class Floor:
    settings: FloorSettings
    store: Store
    katana: Katana
    slack: SlackPort
    permissions: Permissions
    orders: OpenOrders
    jobs: Jobs = field(default_factory=Jobs)
    # One writer per key at a time (a task's operation row): the composition root plugs in locks shared by
    # every replica (models.leases.StoreLocks); one process alone needs no more than these.
    locks: KeyedLocks = field(default_factory=ProcessLocks)
    # The person's App Home shows what they just did (bot.home publishes it; `notice` goes on top).
    refresh_home: Callable[[str, str | None], Awaitable[None]] = no_home
    on_recorded: list[Callable[[Outcome], Awaitable[None]]] = field(default_factory=list)

    def katana_link(self, mo_id: int) -> str:
        # Katana's web app URL scheme is not in the API spec; it is configurable for that reason.
        return self.order_link("manufacturingorder", mo_id)

    def order_link(self, kind: str, order_id: int) -> str:
        """"salesorder", "purchaseorder", "manufacturingorder" (unverified URL scheme, like the MO links)."""
        return f"{self.settings.katana_app_url.rstrip('/')}/{kind}/{order_id}"
