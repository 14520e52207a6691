"""A sliding-window budget shared by every bot process: at most `limit` starts in any `window`.

Katana allows 60 requests a minute per API key, Slack about one message a second per channel — per
account or channel, not per process. Each budget is one document holding the start times (database
clock) of the last `limit` uses, oldest first. Taking a turn is one atomic update: push now, keep the
last `limit`, and only if fewer than `limit` are stored or the oldest has left the window (and no
pause is on). A refusal says how long until the oldest leaves. A pause (Katana's 429 `Retry-After`,
`X-Ratelimit-Remaining: 0`) holds every process until it ends.
"""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from pymongo.errors import DuplicateKeyError

from models.base import aware
from models.clock import Clock


class SharedWindow:
    def __init__(self, db: Any, clock: Clock, name: str, *, limit: int, window: timedelta,
                 margin: timedelta = timedelta(0)) -> None:
        if limit < 1:
            raise ValueError("a budget needs a limit of at least 1")
        self.col, self.clock, self.name = db["budgets"], clock, name
        self.limit, self.window, self.margin = limit, window, margin

    async def take(self) -> float:
        """0 when a turn was taken; else the seconds to wait before asking again."""
        now = await self.clock.now()
        horizon = now - self.window - self.margin
        room = {"$or": [{f"starts.{self.limit - 1}": {"$exists": False}}, {"starts.0": {"$lte": horizon}}]}
        not_paused = {"$or": [{"paused_until": None}, {"paused_until": {"$lte": now}}]}
        try:
            await self.col.find_one_and_update(
                {"_id": self.name, "$and": [room, not_paused]},
                {"$push": {"starts": {"$each": [now], "$slice": -self.limit}}}, upsert=True)
            return 0.0
        except DuplicateKeyError:  # the document is there and has no room now
            pass
        doc = await self.col.find_one({"_id": self.name}) or {}
        starts, paused = doc.get("starts") or [], doc.get("paused_until")
        waits = [0.05]
        if paused is not None:
            waits.append((aware(paused) - now).total_seconds())
        if len(starts) >= self.limit:
            waits.append((aware(starts[0]) - horizon).total_seconds())
        return max(waits)

    async def pause_for(self, seconds: float) -> None:
        """Hold every process for `seconds` (the longest pause asked for wins)."""
        until = await self.clock.now() + timedelta(seconds=seconds)
        await self.col.update_one({"_id": self.name}, {"$max": {"paused_until": until}}, upsert=True)

    async def used(self) -> int:
        """Turns taken in the current window (for metrics and the benchmark)."""
        now = await self.clock.now()
        doc = await self.col.find_one({"_id": self.name}) or {}
        return sum(1 for start in doc.get("starts") or [] if aware(start) > now - self.window)
