"""Katana webhook deliveries, stored before any work is done on them.

Katana delivers at least once, has no event id, and sends identical payloads for overlapping
subscriptions and for its retries. The dedup key is therefore a hash of the payload itself.
An identical payload can also be a *new* occurrence (an MO blocked, resumed, blocked again), so a
key seen again after `repeat_window` has passed since it was processed is processed again;
handlers re-read Katana's state, so that is harmless either way.
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from typing import Any, Literal

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from models.base import Document, _aware, utcnow

EventStatus = Literal["pending", "processing", "processed", "failed", "ignored"]


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
    processed_at: datetime | None = None

    @property
    def event(self) -> str:
        # Katana's documented example carries the full name ("sales_order.delivered") in `action`;
        # accept a bare verb too, in case a delivery ever sends one.
        return self.action if "." in self.action else f"{self.resource_type}.{self.action}"


class EventRepository:
    def __init__(self, db: Any, *, repeat_window: timedelta = timedelta(hours=1)) -> None:
        self.col = db["katana_events"]
        self.repeat_window = repeat_window

    async def ensure_indexes(self) -> None:
        # `_id` is the dedup key and is unique by nature; these serve the retry sweep and audit.
        await self.col.create_index([("status", 1), ("next_attempt_at", 1)], name="due_events")
        await self.col.create_index([("object_id", 1), ("received_at", 1)], name="by_object")

    async def record(self, event: KatanaEvent, retry_num: int | None) -> tuple[KatanaEvent, bool]:
        """Store a delivery; returns (event, should_process)."""
        if retry_num is not None:
            event.retry_nums = [retry_num]
        try:
            await self.col.insert_one(event.to_mongo())
            return event, True
        except DuplicateKeyError:
            again = await self._seen_again(event.id, utcnow(), retry_num)
        return await self.get(event.id) or event, again  # type: ignore[return-value]

    async def deliver(self, payload: dict[str, Any], retry_num: int | None) -> tuple[str, bool]:
        """`record` for the webhook route: (key, should_process). The document is built here, not
        through the model: this runs for every delivery while Katana waits (bench row 3)."""
        now, key = utcnow(), dedup_key(payload)
        document = {"_id": key, "resource_type": payload["resource_type"], "action": payload["action"],
                    "object_id": str(payload["object"]["id"]), "payload": payload, "status": "pending",
                    "deliveries": 1, "retry_nums": [] if retry_num is None else [retry_num], "attempts": 0,
                    "received_at": now, "last_received_at": now}
        try:
            await self.col.insert_one(document)
            return key, True
        except DuplicateKeyError:
            return key, await self._seen_again(key, now, retry_num)

    async def _seen_again(self, key: str, now: datetime, retry_num: int | None) -> bool:
        """Count a repeated delivery; True when it reopens an event processed longer ago than the window.

        One update for the common case (a retry): only the delivery that moves `last_received_at` from
        before the window sees the old value, so two late repeats cannot both reopen the event."""
        push = {"$push": {"retry_nums": retry_num}} if retry_num is not None else {}
        before = await self.col.find_one_and_update(
            {"_id": key}, {"$set": {"last_received_at": now}, "$inc": {"deliveries": 1}, **push},
            projection={"status": 1, "last_received_at": 1}, return_document=ReturnDocument.BEFORE)
        if before is None or before.get("status") not in ("processed", "ignored"):
            return False
        last = before.get("last_received_at")
        if last is None or _aware(last) >= now - self.repeat_window:
            return False
        reopened = await self.col.update_one({"_id": key, "status": {"$in": ["processed", "ignored"]}},
                                             {"$set": {"status": "pending", "attempts": 0, "error": None}})
        return reopened.modified_count == 1

    async def claim(self, key: str) -> KatanaEvent | None:
        """Take an event for processing; only one worker wins."""
        doc = await self.col.find_one_and_update(
            {"_id": key, "status": {"$in": ["pending", "failed"]}},
            {"$set": {"status": "processing", "claimed_at": utcnow()}, "$inc": {"attempts": 1}},
            return_document=ReturnDocument.AFTER)
        return KatanaEvent.from_mongo(doc)

    async def finish(self, key: str, outcome: str, *, ignored: bool = False) -> None:
        await self.col.update_one({"_id": key}, {"$set": {
            "status": "ignored" if ignored else "processed", "outcome": outcome,
            "error": None, "processed_at": utcnow(), "next_attempt_at": None}})

    async def fail(self, key: str, error: str, retry_at: datetime | None) -> None:
        """Record a failure; `retry_at` None means give up (status stays failed, no retry scheduled)."""
        await self.col.update_one({"_id": key}, {"$set": {
            "status": "failed", "error": error, "next_attempt_at": retry_at}})

    async def due(self, now: datetime, *, stuck_after: timedelta = timedelta(minutes=5)) -> list[str]:
        """Keys to (re)process: failed ones whose retry time came, and pending ones nobody picked up."""
        query = {"$or": [
            {"status": "failed", "next_attempt_at": {"$lte": now}},
            {"status": "pending"},
            {"status": "processing", "claimed_at": {"$lt": now - stuck_after}},  # its worker died
        ]}
        return [d["_id"] async for d in self.col.find(query, {"_id": 1}).limit(500)]

    async def reset_stuck(self, now: datetime, *, stuck_after: timedelta = timedelta(minutes=5)) -> int:
        """Free events whose worker died; a fresh claim (work in progress) is left alone."""
        freed = await self.col.update_many({"status": "processing", "claimed_at": {"$lt": now - stuck_after}},
                                           {"$set": {"status": "pending"}})
        return freed.modified_count

    async def get(self, key: str) -> KatanaEvent | None:
        return KatanaEvent.from_mongo(await self.col.find_one({"_id": key}))

    async def count(self, **query: Any) -> int:
        return await self.col.count_documents(query)
