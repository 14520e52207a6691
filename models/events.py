"""Katana webhook deliveries, stored before any work is done on them.

Katana delivers at least once, has no event id, and sends identical payloads for overlapping
subscriptions and for its retries. The dedup key is therefore a hash of the payload itself.
An identical payload can also be a *new* occurrence (an MO done, reopened, done again), and handlers
act on the resource as Katana has it when they read it, so processing a repeat costs a read but
dropping a new occurrence loses it. The windows are therefore as short as Katana's own behaviour allows
(developer.katanamrp.com/reference/webhooks):
- a retry carries `X-Katana-Retry-Num` (1..3) and comes 30 s, 2 min and 15 min after the attempt before
  it, each attempt having had 10 s to be answered: an identical numbered delivery within RETRY_WINDOW of
  the last one is that delivery again;
- a first attempt carries no number. Identical first attempts are one change sent to overlapping
  subscriptions only when they come together (TWIN_WINDOW); later, a resend would be numbered, so an
  identical first attempt is a new occurrence and is processed again.
"""
from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from models.base import Document, _aware, utcnow
from models.clock import Clock, LocalClock

log = logging.getLogger(__name__)

EventStatus = Literal["pending", "processing", "processed", "failed", "ignored"]
EVENT_HOLD = timedelta(seconds=60)  # a processing claim, renewed every quarter of it while its worker lives

KATANA_RETRY_LADDER = (timedelta(seconds=30), timedelta(minutes=2), timedelta(minutes=15))
KATANA_ANSWER_TIMEOUT = timedelta(seconds=10)  # an attempt not answered 2xx within it is retried
# the whole ladder, each attempt's 10 s included, and a margin for Katana's queue ("or more", its docs say)
RETRY_WINDOW = sum(KATANA_RETRY_LADDER, timedelta()) + 4 * KATANA_ANSWER_TIMEOUT + timedelta(minutes=2)
# shorter than Katana's first retry: identical first attempts this close are one change, not two
TWIN_WINDOW = KATANA_RETRY_LADDER[0]


def dedup_key(payload: dict[str, Any]) -> str:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


class KatanaEvent(Document):
    resource_type: str
    action: str
    object_id: str
    payload: dict[str, Any]
    status: EventStatus = "pending"
    deliveries: int = 1
    retry_nums: list[int] = []
    attempts: int = 0
    error: str | None = None
    outcome: str | None = None
    received_at: datetime
    last_received_at: datetime
    next_attempt_at: datetime | None = None
    claimed_at: datetime | None = None
    claim_until: datetime | None = None  # the processing worker's claim, renewed while it works
    claim_token: str | None = None
    processed_at: datetime | None = None

    @property
    def event(self) -> str:
        # Katana's documented example carries the full name ("sales_order.delivered") in `action`;
        # accept a bare verb too, in case a delivery ever sends one.
        return self.action if "." in self.action else f"{self.resource_type}.{self.action}"


class RecentDeliveries:
    """Keys this process stored or counted lately, and when.

    A repeat of one of them (Katana's retries, identical payloads from overlapping subscriptions) is
    answered without reading the store: the stored `last_received_at` is never older than the time
    remembered here (or a tally still to be written, `Tally`), so a key remembered within the delivery's
    window cannot be one that reopens. Another process's keys, and keys forgotten by age or count,
    take the full path.
    """

    MARGIN = timedelta(seconds=1)  # the store keeps milliseconds; a second short of the window covers it

    def __init__(self, window: timedelta = RETRY_WINDOW, *, limit: int = 20_000) -> None:
        self.window, self.limit = window, limit
        self._seen: dict[str, datetime] = {}  # oldest first

    def counted_lately(self, key: str, now: datetime, window: timedelta | None = None) -> bool:
        """`window`: this delivery's (EventRepository.window_for); the longest one by default."""
        seen = self._seen.get(key)
        return seen is not None and seen > now - (window or self.window) + self.MARGIN

    def remember(self, key: str, now: datetime) -> None:
        self._seen.pop(key, None)
        self._seen[key] = now
        if len(self._seen) > self.limit:
            del self._seen[next(iter(self._seen))]


@dataclass
class Tally:
    """Repeats of one stored event answered from memory, not yet written: one update for all of them.

    The payload is kept so that an event gone from the store (nothing in the bot deletes one; an
    operator might) is stored again rather than lost."""
    payload: dict[str, Any]
    first: datetime
    last: datetime
    count: int = 0
    retry_nums: list[int] = field(default_factory=list)

    def add(self, now: datetime, retry_num: int | None) -> None:
        self.last, self.count = max(self.last, now), self.count + 1
        if retry_num is not None:
            self.retry_nums.append(retry_num)

    def merge(self, newer: Tally) -> None:
        self.first, self.last = min(self.first, newer.first), max(self.last, newer.last)
        self.count += newer.count
        self.retry_nums += newer.retry_nums

    def update(self) -> dict[str, Any]:
        return repeats_update(self.last, self.count, self.retry_nums)


def repeats_update(last: datetime, count: int, retry_nums: list[int]) -> dict[str, Any]:
    """Counts `count` more deliveries of a stored event. `$max`: tallies are written late, and a
    delivery counted meanwhile must not see its time moved back."""
    push = {"$push": {"retry_nums": {"$each": retry_nums}}} if retry_nums else {}
    return {"$max": {"last_received_at": last}, "$inc": {"deliveries": count}, **push}


def delivery_document(key: str, payload: dict[str, Any], received: datetime, last: datetime,
                      deliveries: int = 1, retry_nums: list[int] | None = None) -> dict[str, Any]:
    """The stored event, built here rather than through the model: this runs for every new delivery
    while Katana waits (bench row 3)."""
    return {"_id": key, "resource_type": payload["resource_type"], "action": payload["action"],
            "object_id": str(payload["object"]["id"]), "payload": payload, "status": "pending",
            "deliveries": deliveries, "retry_nums": retry_nums or [], "attempts": 0,
            "received_at": received, "last_received_at": last}


class EventRepository:
    def __init__(self, db: Any, *, repeat_window: timedelta = RETRY_WINDOW, twin_window: timedelta = TWIN_WINDOW,
                 clock: Callable[[], datetime] = utcnow, db_clock: Clock | None = None) -> None:
        """`repeat_window`: how long a numbered (retried) delivery counts as a repeat; `twin_window`: how
        long an unnumbered one does (see the module docstring). `db_clock` judges processing claims."""
        self.col = db["katana_events"]
        self.repeat_window, self.twin_window, self.clock = repeat_window, twin_window, clock
        self.db_clock: Clock = db_clock or LocalClock()
        self.recent = RecentDeliveries(repeat_window)
        self.untold: dict[str, Tally] = {}  # repeats answered from memory, written by `write_repeats`

    async def ensure_indexes(self) -> None:
        # `_id` is the dedup key and is unique by nature; these serve the retry sweep and audit.
        await self.col.create_index([("status", 1), ("next_attempt_at", 1)], name="due_events")
        await self.col.create_index([("object_id", 1), ("received_at", 1)], name="by_object")

    async def deliver(self, payload: dict[str, Any], retry_num: int | None) -> tuple[str, bool]:
        """Store a delivery for the webhook route: (key, should_process).

        A repeat of an event this process stored within the window is answered from memory and
        tallied (`write_repeats` writes it once Katana pauses): in a burst, a write per repeat was the
        largest share of the bot's CPU while Katana waited (bench row 3)."""
        now, key = self.clock(), dedup_key(payload)
        if self.recent.counted_lately(key, now, self.window_for(retry_num)):
            self.untold.setdefault(key, Tally(payload, now, now)).add(now, retry_num)
            self.recent.remember(key, now)
            return key, False
        retry_nums = [] if retry_num is None else [retry_num]
        try:
            await self.col.insert_one(delivery_document(key, payload, now, now, 1, retry_nums))
            fresh = True
        except DuplicateKeyError:
            fresh = await self._seen_again(key, now, retry_num)
        self.recent.remember(key, now)
        return key, fresh

    def window_for(self, retry_num: int | None) -> timedelta:
        return self.twin_window if retry_num is None else self.repeat_window

    async def write_repeats(self) -> list[str]:
        """Write the tallied repeats, one update per event. Returns the keys of events that were gone
        from the store and are stored again, pending: the caller processes them. What cannot be
        written (the store is down) stays tallied for the next call."""
        untold, self.untold = list(self.untold.items()), {}
        restored: list[str] = []
        written = 0
        try:
            for key, tally in untold:
                counted = await self.col.update_one({"_id": key}, tally.update())
                if counted.matched_count == 0 and await self._store_again(key, tally):
                    restored.append(key)
                written += 1
                if written % 100 == 0:
                    await asyncio.sleep(0)  # a backlog of thousands: deliveries get their turn in between
        finally:
            for key, tally in untold[written:]:
                if key in self.untold:
                    tally.merge(self.untold[key])
                self.untold[key] = tally
        return restored

    async def _store_again(self, key: str, tally: Tally) -> bool:
        log.warning("Katana event %s was no longer stored when its repeat was counted: stored again", key[:12])
        try:
            await self.col.insert_one(delivery_document(key, tally.payload, tally.first, tally.last,
                                                        tally.count, tally.retry_nums))
            return True
        except DuplicateKeyError:  # stored meanwhile by a new delivery: count the tally on it
            await self.col.update_one({"_id": key}, tally.update())
            return False

    async def _seen_again(self, key: str, now: datetime, retry_num: int | None) -> bool:
        """Count a repeated delivery; True when it reopens a processed event last delivered longer ago than
        the delivery's window (`window_for`): a new occurrence.

        One update for the common case (a retry): only the delivery that moves `last_received_at` from
        before the window sees the old value, so two late repeats cannot both reopen the event."""
        before = await self.col.find_one_and_update(
            {"_id": key}, repeats_update(now, 1, [] if retry_num is None else [retry_num]),
            projection={"status": 1, "last_received_at": 1}, return_document=ReturnDocument.BEFORE)
        if before is None or before.get("status") not in ("processed", "ignored"):
            return False
        last = before.get("last_received_at")
        if last is None or _aware(last) >= now - self.window_for(retry_num):
            return False
        reopened = await self.col.update_one({"_id": key, "status": {"$in": ["processed", "ignored"]}},
                                             {"$set": {"status": "pending", "attempts": 0, "error": None}})
        return bool(reopened.modified_count == 1)

    async def claim(self, key: str, hold: timedelta = EVENT_HOLD) -> KatanaEvent | None:
        """Take an event for processing; only one worker wins. The claim carries a token and an end on the
        database's clock: its worker renews it while it works (`renew`), and only its worker can finish
        or fail it, so a replica's sweep never reopens work a live replica is doing."""
        now = await self.db_clock.now()
        doc = await self.col.find_one_and_update(
            {"_id": key, "status": {"$in": ["pending", "failed"]}},
            {"$set": {"status": "processing", "claimed_at": now, "claim_until": now + hold,
                      "claim_token": uuid.uuid4().hex}, "$inc": {"attempts": 1}},
            return_document=ReturnDocument.AFTER)
        return KatanaEvent.from_mongo(doc)

    async def renew(self, event: KatanaEvent, hold: timedelta = EVENT_HOLD) -> bool:
        until = await self.db_clock.now() + hold
        result = await self.col.update_one({"_id": event.id, "claim_token": event.claim_token},
                                           {"$set": {"claim_until": until}})
        return bool(result.matched_count == 1)

    async def finish(self, event: KatanaEvent, outcome: str, *, ignored: bool = False) -> bool:
        """Record the outcome, if this worker still holds the claim (False: it was taken over)."""
        result = await self.col.update_one({"_id": event.id, "claim_token": event.claim_token}, {"$set": {
            "status": "ignored" if ignored else "processed", "outcome": outcome, "claim_token": None,
            "error": None, "processed_at": utcnow(), "next_attempt_at": None}})
        return bool(result.matched_count == 1)

    async def fail(self, event: KatanaEvent, error: str, retry_at: datetime | None) -> bool:
        """Record a failure; `retry_at` None means give up (status stays failed, no retry scheduled)."""
        result = await self.col.update_one({"_id": event.id, "claim_token": event.claim_token}, {"$set": {
            "status": "failed", "error": error, "next_attempt_at": retry_at, "claim_token": None}})
        return bool(result.matched_count == 1)

    async def due(self, now: datetime) -> list[str]:
        """Keys to (re)process: failed ones whose retry time came, and pending ones nobody picked up."""
        query = {"$or": [
            {"status": "failed", "next_attempt_at": {"$lte": now}},
            {"status": "pending"},
            {"status": "processing", "claim_until": {"$lt": now}},  # its worker died
        ]}
        return [d["_id"] async for d in self.col.find(query, {"_id": 1}).limit(500)]

    async def reset_stuck(self, now: datetime) -> int:
        """Free events whose worker died (its claim ran out); work in progress is left alone."""
        freed = await self.col.update_many({"status": "processing", "claim_until": {"$lt": now}},
                                           {"$set": {"status": "pending", "claim_token": None}})
        return int(freed.modified_count)

    async def get(self, key: str) -> KatanaEvent | None:
        return KatanaEvent.from_mongo(await self.col.find_one({"_id": key}))

    async def count(self, **query: Any) -> int:
        return int(await self.col.count_documents(query))
