"""Scheduled work across replicas: each job runs once per interval, whichever replica gets there first.

Every replica runs its own APScheduler (APScheduler 3's job stores must not be shared between
schedulers, and version 4's coordinated stores are pre-release), so every replica's timer fires. Each
firing first takes the job's lease in MongoDB (models.leases): one holder at a time, and none within
`min_gap` (most of an interval) of the last start, judged on the database's clock. The others skip that
turn. The holder renews the lease while the job runs; a replica that dies mid-run leaves a lease that
runs out, and the next interval's first firing takes over.
"""
from __future__ import annotations

import asyncio
import logging
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from models.leases import LeaseRepository

log = logging.getLogger(__name__)
JOB_HOLD = timedelta(seconds=60)  # a running job's lease, renewed every quarter of it
GAP_SHARE = 0.8  # of an interval: a firing this soon after the last start (anywhere) is skipped


class ReplicaJobs:
    def __init__(self, leases: LeaseRepository, replica: str, *, hold: timedelta = JOB_HOLD) -> None:
        self.leases, self.replica, self.hold = leases, replica, hold
        self.runs: Counter[tuple[str, str]] = Counter()  # (job, "ran" | "skipped" | "failed"), for /metrics

    def once_per(self, name: str, every: timedelta, work: Callable[[], Awaitable[Any]]) -> Callable[[], Awaitable[Any]]:
        """`work` as a scheduler job that runs once per `every` across all replicas."""
        async def run() -> Any:
            return await self.exclusive(name, work, min_gap=every * GAP_SHARE)
        return run

    async def exclusive(self, name: str, work: Callable[[], Awaitable[Any]], *,
                        min_gap: timedelta | None = None) -> Any:
        """Run `work` unless another replica is running it (or ran it less than `min_gap` ago); the
        skipped result is None."""
        holder = f"{self.replica}:{uuid.uuid4().hex[:8]}"
        lease = f"job:{name}"
        if await self.leases.acquire(lease, holder, self.hold, min_gap=min_gap) is None:
            self.runs[(name, "skipped")] += 1
            return None
        keeping = asyncio.create_task(self.leases.keep_renewed(lease, holder, self.hold))
        try:
            result = await work()
            self.runs[(name, "ran")] += 1
            return result
        except Exception:
            self.runs[(name, "failed")] += 1
            raise
        finally:
            keeping.cancel()
            await self.leases.release(lease, holder)
