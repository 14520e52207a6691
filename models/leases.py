"""Leases: one holder at a time for a named piece of work, across every bot process sharing the database.

A lease is one document (`_id` = its name) with its holder's token and an end judged on the database's
clock (models.clock). Taking it is one atomic `find_one_and_update` (an upsert for a name never held),
so two processes can never both hold it; a holder that dies simply stops renewing, and its lease runs
out. Two uses:

- scheduled jobs (`acquire(..., min_gap=...)`): one run per interval across replicas — the lease also
  records when the job last started, and a replica whose own timer fires too soon after another
  replica's run finds the job taken;
- locks around a read-modify-write in Katana (`hold`): an MO's notes, a task's operation row. A
  waiter polls with a short backoff until the holder releases or its lease runs out.
"""
from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import datetime, timedelta
from typing import Any, Protocol

from pymongo.errors import DuplicateKeyError

from models.clock import Clock

log = logging.getLogger(__name__)
LOCK_HOLD = timedelta(seconds=60)  # a lock's lease, renewed while its holder works
LOCK_POLL = (0.02, 0.5)  # first and longest wait between tries for a lock someone holds


class KeyedLocks(Protocol):
    """`async with locks.hold(key)`: one holder per key at a time."""

    def hold(self, key: str) -> AbstractAsyncContextManager[None]: ...


class ProcessLocks:
    """Per-key asyncio locks for one process, forgotten when nobody holds or awaits them (the map holds
    only what is in use, however many keys pass through it)."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock, users = self._locks.get(key) or (asyncio.Lock(), 0)
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    def __len__(self) -> int:
        return len(self._locks)


class LeaseRepository:
    def __init__(self, db: Any, clock: Clock) -> None:
        self.col = db["leases"]
        self.clock = clock

    async def ensure_indexes(self) -> None:
        pass  # every query is by `_id`

    async def acquire(self, name: str, holder: str, hold: timedelta, *,
                      min_gap: timedelta | None = None) -> datetime | None:
        """Take the lease for `hold`; its end, or None when someone else holds it (or, with `min_gap`,
        when the work last started less than `min_gap` ago)."""
        now = await self.clock.now()
        free: dict[str, Any] = {"$or": [{"lease_until": None}, {"lease_until": {"$lt": now}}, {"holder": holder}]}
        query: dict[str, Any] = {"_id": name, **free}
        if min_gap is not None:
            query = {"_id": name, "$and": [free, {"$or": [{"started_at": None},
                                                          {"started_at": {"$lte": now - min_gap}}]}]}
        try:
            await self.col.find_one_and_update(
                query, {"$set": {"holder": holder, "lease_until": now + hold, "started_at": now}}, upsert=True)
        except DuplicateKeyError:  # it exists and the filter did not match: taken, or too soon
            return None
        return now + hold

    async def renew(self, name: str, holder: str, hold: timedelta) -> datetime | None:
        until = await self.clock.now() + hold
        result = await self.col.update_one({"_id": name, "holder": holder}, {"$set": {"lease_until": until}})
        return until if result.matched_count == 1 else None

    async def keep_renewed(self, name: str, holder: str, hold: timedelta) -> None:
        """Renew every quarter of `hold` for as long as the holder works (run it as a task, cancel it when
        done); a store error is tried again at the next beat; returns when someone else holds the lease."""
        while True:
            await asyncio.sleep(hold.total_seconds() / 4)
            try:
                if await self.renew(name, holder, hold) is None:
                    log.warning("lease %s was taken over while %s held it", name, holder)
                    return
            except Exception:  # noqa: BLE001 — a blip: the next beat tries again before the lease runs out
                continue

    async def release(self, name: str, holder: str) -> None:
        await self.col.update_one({"_id": name, "holder": holder}, {"$set": {"lease_until": None}})

    async def get(self, name: str) -> dict[str, Any] | None:
        found: dict[str, Any] | None = await self.col.find_one({"_id": name})
        return found


class StoreLocks:
    """Locks shared by every process (commands.context.KeyedLocks' interface): `async with hold(key)`."""

    def __init__(self, leases: LeaseRepository, *, hold: timedelta = LOCK_HOLD) -> None:
        self.leases, self.hold_for = leases, hold

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        holder, wait = uuid.uuid4().hex, LOCK_POLL[0]
        name = f"lock:{key}"
        while await self.leases.acquire(name, holder, self.hold_for) is None:
            await asyncio.sleep(wait)
            wait = min(wait * 2, LOCK_POLL[1])
        keeping = asyncio.create_task(self.leases.keep_renewed(name, holder, self.hold_for))
        try:
            yield
        finally:
            keeping.cancel()
            await self.leases.release(name, holder)
