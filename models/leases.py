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

A lease kept on the worked document itself (a floor action, a packing slip being read) is renewed by the
same heartbeat (`heartbeat`, with what its holder knows of it in a `LeaseHold`).
"""
from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from pymongo.errors import DuplicateKeyError

from models.clock import Clock
from models.retention import expire_after

log = logging.getLogger(__name__)
FORGET_UNUSED = timedelta(days=7)
LOCK_HOLD = timedelta(seconds=60)  # a lock's lease, renewed while its holder works
LOCK_POLL = (0.02, 0.5)  # first and longest wait between tries for a lock someone holds


@dataclass
class LeaseHold:
    """What a holder knows of its lease: its end as last renewed, or that someone else has it.
    It stops writing a tenth of a lease before the end (3 s of the default 30 s): clocks agree to
    well within that, and a renewal is due every quarter of a lease."""

    until: datetime
    lease: timedelta
    lost: bool = False

    def lets_write(self, now: datetime) -> bool:
        return not self.lost and now < self.until - self.lease / 10


async def heartbeat(hold: LeaseHold, renew: Callable[[], Awaitable[datetime | None]], what: str) -> None:
    """Renew every quarter of the lease for as long as the holder works (run it as a task, cancel it when
    done). `renew` returns the lease's new end, or None when someone else holds it now: then `hold` is
    marked lost and this returns. A store error (a failover, a blip) is tried again at the next beat;
    meanwhile `lets_write` turns False once the known end comes near."""
    while True:
        await asyncio.sleep(hold.lease.total_seconds() / 4)
        try:
            until = await renew()
        except Exception:  # noqa: BLE001 — keep beating, never give up silently
            log.warning("%s: lease renewal failed; trying again", what, exc_info=True)
            continue
        if until is None:
            log.warning("%s: the lease was taken over while this holder had it", what)
            hold.lost = True
            return
        hold.until = until


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
        # Every query is by `_id`. A lock's document stays after release, one per MO or task that was ever
        # locked: forgotten a week after it was last taken (a held lease was taken within its hold; a job's
        # lease is taken at least daily; a forgotten one is simply created again).
        await expire_after(self.col, "started_at", FORGET_UNUSED, name="forget_unused")

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
        held = LeaseHold(self.clock.estimate() + hold, hold)  # (its end is not read here: no gate)
        await heartbeat(held, lambda: self.renew(name, holder, hold), f"lease {name}")

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
