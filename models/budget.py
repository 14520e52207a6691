"""A sliding-window budget shared by every bot process: at most `limit` turns in any `window`.

Katana allows 60 requests a minute per API key, Slack about one message a second per channel — per
account or channel, not per process. Each budget is one document: the last `limit` turns (a token each,
and the time it counts from, on the database's clock, oldest first) and a pause. Taking a turn is one
conditional atomic update, so two processes never both take the last turn.

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

CONTENDED_WAIT = 0.02  # the budget changed between our refused update and our read: ask again soon
TRIES = 5


class SharedWindow:
    def __init__(self, db: Any, clock: Clock, name: str, *, limit: int, window: timedelta,
                 margin: timedelta = timedelta(0)) -> None:
        if limit < 1:
            raise ValueError("a budget needs a limit of at least 1")
        self.col, self.clock, self.name = db["budgets"], clock, name
        self.limit, self.window, self.margin = limit, window, margin

    async def take(self, token: str | None = None) -> float:
        """0 when a turn was taken (under `token`); else the seconds to wait before asking again.

        One atomic update, so a hundred posters at once cost a hundred store calls, not a hundred
        rounds of read-and-retry: push the turn, keep the last `limit` sorted oldest first, and only
        if fewer than `limit` are stored or the oldest has left the window (and no pause is on).
        `answered` may move a turn later than the one after it until the next push re-sorts; then the
        first turn is not the oldest and a turn is refused that could have been given — never the other
        way round.
        """
        token = token or uuid.uuid4().hex
        for _ in range(TRIES):
            now = await self.clock.now()
            horizon = now - self.window - self.margin
            room = {"$or": [{f"turns.{self.limit - 1}": {"$exists": False}}, {"turns.0.at": {"$lte": horizon}}]}
            not_paused = {"$or": [{"paused_until": None}, {"paused_until": {"$lte": now}}]}
            turn = {"$each": [{"t": token, "at": now}], "$sort": {"at": 1}, "$slice": -self.limit}
            changed = await self.col.update_one({"_id": self.name, "$and": [room, not_paused]},
                                                {"$push": {"turns": turn}})
            if changed.modified_count == 1:
                return 0.0
            doc = await self.col.find_one({"_id": self.name})
            if doc is None:
                try:
                    await self.col.insert_one({"_id": self.name, "turns": [{"t": token, "at": now}],
                                               "paused_until": None})
                    return 0.0
                except DuplicateKeyError:  # another process made it first: ask it again
                    continue
            wait = self._wait(doc.get("turns") or [], doc.get("paused_until"), now)
            if wait > 0:
                return wait
        return CONTENDED_WAIT

    def _wait(self, turns: list[dict[str, Any]], paused: Any, now: datetime) -> float:
        waits = [0.0]
        if paused is not None:
            waits.append((aware(paused) - now).total_seconds())
        if len(turns) >= self.limit:
            waits.append((aware(turns[0]["at"]) + self.window + self.margin - now).total_seconds())
        return max(waits)

    async def answered(self, token: str) -> None:
        """The turn's request is answered: it counts from now (Katana counted it no later)."""
        now = await self.clock.now()
        await self.col.update_one({"_id": self.name, "turns.t": token}, {"$max": {"turns.$.at": now}})

    async def pause_for(self, seconds: float) -> None:
        """Hold every process for `seconds` (the longest pause asked for wins)."""
        until = await self.clock.now() + timedelta(seconds=seconds)
        await self.col.update_one({"_id": self.name}, {"$max": {"paused_until": until}},
                                  upsert=True)

    async def used(self) -> int:
        """Turns counted in the current window (for metrics and the benchmark)."""
        now = await self.clock.now()
        doc = await self.col.find_one({"_id": self.name}) or {}
        return sum(1 for turn in doc.get("turns") or [] if aware(turn["at"]) > now - self.window)
