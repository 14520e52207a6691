"""A sliding-window budget shared by every bot process: at most `limit` turns in any `window`.

Katana allows 60 requests a minute per API key, Slack about one message a second per channel — per
account or channel, not per process. A budget is `limit` slots, one document each (`budget_turns`,
`<name>#<i>`), each holding the last turn taken in it (a token, and the time it counts from, on the
database's clock), and one document (`budgets`, `<name>`) with the number of the next turn and a pause.
Turn n goes in slot n mod `limit`, and only if the turn held there has left the window: one conditional
atomic update of that slot, so two processes never both take it, and every turn still in the window
holds a slot of its own — never more than `limit` of them. Every call touches one small document by its
key, whatever the limit: the budget used to be one document holding the last `limit` turns, rewritten
(and re-sorted) on every turn and every answer, so at the bench's 10,000 Katana calls a minute each
call cost two rewrites of a 10,000-turn document (bench row 3's drain: 87 % of the bot's time).

A turn counts from when it was taken until its answer came back (`answered`): Katana counts a request
when it *arrives*, which under load can be seconds after the turn was taken; counted from the start
only, the next replica's request could reach Katana less than a minute after the one it replaced
(make bench row 10 saw 429s that way). A refusal says how long until the turn in the next slot leaves
the window. Slots are taken oldest first, so that turn is the oldest, unless `answered` moved it later
than the one after it: then a turn is refused that could have been given — never the other way round.
A pause (Katana's 429 `Retry-After`, `X-Ratelimit-Remaining: 0`) holds every process until it ends; it
is read just before the slot is written, so a turn taken in that instant goes out as one taken just
before the pause would. A replica of the version before this one (its turns in one document) does not
see these slots: during a rolling deploy from it, each version keeps the limit on its own, and a pause
still holds both (it stays in the same document).
"""
from __future__ import annotations

import uuid
from collections import OrderedDict
from datetime import datetime, timedelta
from typing import Any

from pymongo.errors import DuplicateKeyError

from models.base import aware
from models.clock import Clock

CONTENDED_WAIT = 0.02  # another process took the slot we aimed at: ask again soon
TRIES = 5


class SharedWindow:
    def __init__(self, db: Any, clock: Clock, name: str, *, limit: int, window: timedelta,
                 margin: timedelta = timedelta(0)) -> None:
        if limit < 1:
            raise ValueError("a budget needs a limit of at least 1")
        self.col, self.slots, self.clock, self.name = db["budgets"], db["budget_turns"], clock, name
        self.limit, self.window, self.margin = limit, window, margin
        # This process's turns not answered yet, and their slots (at most `limit`: a turn older than that
        # has most likely been replaced; unanswered, it counts from when it was taken)
        self._mine: OrderedDict[str, str] = OrderedDict()

    def _slot(self, turn: int) -> str:
        return f"{self.name}#{turn % self.limit}"

    async def take(self, token: str | None = None) -> float:
        """0 when a turn was taken (under `token`); else the seconds to wait before asking again."""
        token = token or uuid.uuid4().hex
        for _ in range(TRIES):
            now = await self.clock.now()
            budget = await self.col.find_one({"_id": self.name}, {"next": 1, "paused_until": 1}) or {}
            paused = budget.get("paused_until")
            if paused is not None and aware(paused) > now:
                return (aware(paused) - now).total_seconds()
            turn = int(budget.get("next", 0))
            if await self._occupy(turn, token, now):
                self._remember(token, self._slot(turn))
                await self._passed(turn)
                return 0.0
            held = await self.slots.find_one({"_id": self._slot(turn)}) or {}
            if int(held.get("turn", -1)) >= turn:  # taken by another process: help count it, try the next
                await self._passed(turn)
                continue
            if "at" in held:  # the turn of `limit` turns ago is still in the window
                wait = (aware(held["at"]) + self.window + self.margin - now).total_seconds()
                if wait > 0:
                    return wait
        return CONTENDED_WAIT

    async def _occupy(self, turn: int, token: str, now: datetime) -> bool:
        """Put turn `turn` in its slot, if the turn held there has left the window (or it holds none)."""
        horizon = now - self.window - self.margin
        try:
            changed = await self.slots.update_one(
                {"_id": self._slot(turn), "turn": {"$lt": turn}, "at": {"$lte": horizon}},
                {"$set": {"turn": turn, "t": token, "at": now}}, upsert=True)
        except DuplicateKeyError:  # the slot exists and did not match: held, or taken by a turn as new
            return False
        return bool(changed.modified_count == 1 or changed.upserted_id is not None)

    async def _passed(self, turn: int) -> None:
        await self.col.update_one({"_id": self.name}, {"$max": {"next": turn + 1}}, upsert=True)

    def _remember(self, token: str, slot: str) -> None:
        self._mine[token] = slot
        while len(self._mine) > self.limit:
            self._mine.popitem(last=False)

    async def answered(self, token: str) -> None:
        """The turn's request is answered: it counts from now (Katana counted it no later)."""
        slot = self._mine.pop(token, None)
        if slot is None:
            return
        now = await self.clock.now()
        await self.slots.update_one({"_id": slot, "t": token}, {"$max": {"at": now}})

    async def pause_for(self, seconds: float) -> None:
        """Hold every process for `seconds` (the longest pause asked for wins)."""
        until = await self.clock.now() + timedelta(seconds=seconds)
        await self.col.update_one({"_id": self.name}, {"$max": {"paused_until": until}},
                                  upsert=True)

    async def used(self) -> int:
        """Turns counted in the current window (for metrics and the benchmark)."""
        now = await self.clock.now()
        slots = [f"{self.name}#{i}" for i in range(self.limit)]
        return int(await self.slots.count_documents({"_id": {"$in": slots}, "at": {"$gt": now - self.window}}))
