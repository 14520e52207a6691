"""A sliding-window budget shared by every bot process: at most `limit` turns in any `window`.

Katana allows 60 requests a minute per API key, Slack about one message a second per channel — per
account or channel, not per process. Each budget is one document: the last `limit` turns (a token each,
and the time it counts from, on the database's clock), a pause, and a version number. Every change is a
compare-and-set on the version, so two processes never both take the last turn.

A turn counts from when it was taken until its answer came back (`answered`): Katana counts a request
when it *arrives*, which under load can be seconds after the turn was taken; counted from the start
only, the next replica's request could reach Katana less than a minute after the one it replaced
(make bench row 10 saw 429s that way). A refusal says how long until a turn leaves the window. A pause
(Katana's 429 `Retry-After`, `X-Ratelimit-Remaining: 0`) holds every process until it ends.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from pymongo.errors import DuplicateKeyError

from models.base import aware
from models.clock import Clock

CONTENDED_WAIT = 0.02  # another process changed the budget between our read and write: ask again soon
TRIES = 5


class SharedWindow:
    def __init__(self, db: Any, clock: Clock, name: str, *, limit: int, window: timedelta,
                 margin: timedelta = timedelta(0)) -> None:
        if limit < 1:
            raise ValueError("a budget needs a limit of at least 1")
        self.col, self.clock, self.name = db["budgets"], clock, name
        self.limit, self.window, self.margin = limit, window, margin

    async def take(self, token: str | None = None) -> float:
        """0 when a turn was taken (under `token`); else the seconds to wait before asking again."""
        token = token or uuid.uuid4().hex
        for _ in range(TRIES):
            now = await self.clock.now()
            doc = await self.col.find_one({"_id": self.name})
            if doc is None:
                try:
                    await self.col.insert_one({"_id": self.name, "turns": {token: now}, "paused_until": None,
                                               "v": 1})
                    return 0.0
                except DuplicateKeyError:
                    continue
            turns = {key: aware(at) for key, at in (doc.get("turns") or {}).items()
                     if aware(at) > now - self.window - self.margin}
            wait = self._wait(turns, doc.get("paused_until"), now)
            if wait > 0:
                return wait
            turns[token] = now
            changed = await self.col.update_one({"_id": self.name, "v": doc.get("v")},
                                                {"$set": {"turns": turns}, "$inc": {"v": 1}})
            if changed.modified_count == 1:
                return 0.0
        return CONTENDED_WAIT

    def _wait(self, turns: dict[str, datetime], paused: Any, now: datetime) -> float:
        waits = [0.0]
        if paused is not None:
            waits.append((aware(paused) - now).total_seconds())
        if len(turns) >= self.limit:
            oldest = sorted(turns.values())[len(turns) - self.limit]  # the turn that must leave first
            waits.append((oldest + self.window + self.margin - now).total_seconds())
        return max(waits)

    async def answered(self, token: str) -> None:
        """The turn's request is answered: it counts from now (Katana counted it no later)."""
        now = await self.clock.now()
        await self.col.update_one({"_id": self.name, f"turns.{token}": {"$exists": True}},
                                  {"$max": {f"turns.{token}": now}, "$inc": {"v": 1}})

    async def pause_for(self, seconds: float) -> None:
        """Hold every process for `seconds` (the longest pause asked for wins)."""
        until = await self.clock.now() + timedelta(seconds=seconds)
        await self.col.update_one({"_id": self.name}, {"$max": {"paused_until": until}, "$inc": {"v": 1}},
                                  upsert=True)

    async def used(self) -> int:
        """Turns counted in the current window (for metrics and the benchmark)."""
        now = await self.clock.now()
        doc = await self.col.find_one({"_id": self.name}) or {}
        return sum(1 for at in (doc.get("turns") or {}).values() if aware(at) > now - self.window)
