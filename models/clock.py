"""The database's clock: the one time every bot process agrees on.

Leases (who is working on a floor action, an event, a job) expire at a moment every process must judge
alike, or a process whose clock runs a minute fast takes over work that is still in progress. Each
process therefore reads MongoDB's own time (`hello.localTime`) now and then and counts on from it with
its monotonic clock: between two readings, two processes disagree by the network's half round trip,
not by however far their system clocks have drifted. (A pipeline update with `$$NOW` would judge on the
server itself, but the in-memory store the tests and the demo run on cannot evaluate `$$NOW`: one
code path for both keeps the tested path the production path.)

The in-memory store's clock is the process's own: there is only one process.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Protocol

from models.base import _aware, utcnow

SAMPLE_EVERY = 30.0  # seconds between readings of the server's time


class Clock(Protocol):
    async def now(self) -> datetime:
        """The database's time now (reading it from the server when the last reading is old)."""

    def estimate(self) -> datetime:
        """The database's time now from the last reading, without I/O (for checks that cannot wait)."""


class LocalClock:
    """One process, one clock (the in-memory store); tests may pass their own `wall`."""

    def __init__(self, wall: Callable[[], datetime] = utcnow) -> None:
        self.wall = wall

    async def now(self) -> datetime:
        return self.wall()

    def estimate(self) -> datetime:
        return self.wall()


class ServerClock:
    """MongoDB's time, read with `hello` and counted on with this process's monotonic clock."""

    def __init__(self, db: Any, *, monotonic: Callable[[], float] = time.monotonic,
                 sample_every: float = SAMPLE_EVERY) -> None:
        self.db, self.monotonic, self.sample_every = db, monotonic, sample_every
        self._server_at: datetime | None = None
        self._local_at = 0.0

    async def now(self) -> datetime:
        if self._server_at is None or self.monotonic() - self._local_at > self.sample_every:
            await self.sample()
        return self.estimate()

    def estimate(self) -> datetime:
        if self._server_at is None:
            return utcnow()  # not read yet: the first `now()` reads it
        return self._server_at + timedelta(seconds=self.monotonic() - self._local_at)

    async def sample(self) -> None:
        sent = self.monotonic()
        reply = await self.db.command("hello")
        answered = self.monotonic()
        # The server stamped its time somewhere during the round trip: assume its middle.
        self._server_at = _aware(reply["localTime"]) + timedelta(seconds=(answered - sent) / 2)
        self._local_at = answered
