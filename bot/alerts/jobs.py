"""Sync runs: read a source, reconcile its alerts, post, and write the SyncLog and inventory cache.

One run of a job at a time across every replica (a lease in MongoDB, bot/jobs.py): a scheduled run and a
`/floor sync` never overlap, and a scheduled firing within most of an interval of the last run anywhere
is skipped, so N replicas sync once per interval, not N times (N× Unleashed's monthly quota, N× Amazon's
tiny searchOrders allowance). A run that fails still writes its SyncLog, with the error people can act
on (which variable to check), never a secret or a response body.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import islice

from bot.alerts.desk import AlertDesk
from bot.alerts.ledger import reconcile
from bot.alerts.policy import Reading
from bot.jobs import GAP_SHARE, ReplicaJobs
from integrations.amazon import AmazonError
from integrations.katana import KatanaError
from integrations.unleashed import UnleashedError
from models.base import utcnow
from models.store import Store

log = logging.getLogger(__name__)
SERVICE_ERRORS = (UnleashedError, AmazonError, KatanaError)
CACHE_WRITES_AT_ONCE = 50  # well under motor's default pool of 100 connections
JOB_TITLES = {"unleashed": "Unleashed stock", "amazon": "Amazon FBA stock", "quality": "Katana yield"}


@dataclass
class SyncJob:
    name: str  # "unleashed" | "amazon" | "quality"
    read: Callable[[], Awaitable[Reading]]
    channel: str | None
    minutes: float
    calls: Callable[[], int] = lambda: 0  # API calls spent so far (quota watching)


@dataclass
class SyncResult:
    job: str
    started_at: datetime
    finished_at: datetime | None = None
    outcome: str = "ok"  # ok | partial | failed | busy
    items_read: int = 0
    raised: int = 0
    worsened: int = 0
    resolved: int = 0
    posted: int = 0
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def describe(self) -> str:
        title = JOB_TITLES.get(self.job, self.job)
        if self.outcome == "busy":
            return f"{title}: a sync is already running — its result will show in `/floor status`."
        if self.outcome == "failed":
            return f":x: {title} sync failed: {'; '.join(self.errors)}"
        line = (f"{title}: read {self.items_read} items · {self.raised} new alerts · {self.worsened} worse · "
                f"{self.resolved} resolved")
        extra = self.errors + self.notes
        return f":white_check_mark: {line}" + (f" ({'; '.join(extra)})" if extra else "")


class SyncJobs:
    def __init__(self, store: Store, desk: AlertDesk, jobs: list[SyncJob], replicas: ReplicaJobs) -> None:
        self.store, self.desk, self.replicas = store, desk, replicas
        self.jobs = {job.name: job for job in jobs}

    async def run(self, name: str, *, min_gap: timedelta | None = None) -> SyncResult:
        """Run now, unless it runs elsewhere (or, with `min_gap`, ran less than that ago): "busy"."""
        job = self.jobs[name]
        result: SyncResult | None = await self.replicas.exclusive(f"sync_{name}", lambda: self._run(job),
                                                                  min_gap=min_gap)
        if result is None:
            return SyncResult(name, utcnow(), outcome="busy")
        await self.desk.escalate_due()
        return result

    async def _run(self, job: SyncJob) -> SyncResult:
        result = SyncResult(job.name, utcnow())
        calls_before = job.calls()
        try:
            reading = await job.read()
            await self._apply(job, reading, result)
        except SERVICE_ERRORS as exc:
            result.outcome, result.errors = "failed", [str(exc)]
            log.warning("%s sync failed: %s", job.name, exc)
        except Exception as exc:  # a job must log and report, never kill the scheduler
            result.outcome, result.errors = "failed", [f"unexpected error ({type(exc).__name__}); see the bot's log"]
            log.exception("%s sync failed unexpectedly", job.name)
        result.finished_at = utcnow()
        await self.store.audit.write(
            "sync", job.name, result.outcome, started_at=result.started_at, finished_at=result.finished_at,
            items_read=result.items_read, alerts_raised=result.raised, alerts_worsened=result.worsened,
            alerts_resolved=result.resolved, messages_posted=result.posted, errors=result.errors,
            notes=result.notes, calls=job.calls() - calls_before)
        return result

    async def _apply(self, job: SyncJob, reading: Reading, result: SyncResult) -> None:
        result.items_read, result.notes = reading.items_read, list(reading.notes)
        await self._cache(reading)
        changes = await reconcile(self.store.alerts, reading)
        result.raised, result.worsened, result.resolved = (len(changes.raised), len(changes.worsened),
                                                           len(changes.resolved))
        result.posted = await self.desk.publish(changes, job.channel)
        if reading.partial:
            result.outcome = "partial"

    async def _cache(self, reading: Reading) -> None:
        """Write the inventory cache CACHE_WRITES_AT_ONCE rows at a time: against MongoDB the upserts then
        share round trips over the pool instead of 50,000 waits in a row. (bulk_write would be one round
        trip per batch, but mongomock 4.3 cannot run pymongo 4.20's UpdateOne, and tests use mongomock.)"""
        rows = iter(reading.stock)
        while chunk := list(islice(rows, CACHE_WRITES_AT_ONCE)):
            # Chunks go in order; within one, a repeated (sku, location) keeps its last row, as one by one did.
            latest = {(sku, location): quantity for sku, location, quantity in chunk}
            await asyncio.gather(*(self.store.inventory.upsert(reading.source, sku, quantity, location,
                                                               reading.cover.get(sku))
                                   for (sku, location), quantity in latest.items()))

    def schedule(self, scheduler: object, *, first_run_delay: float = 30.0) -> list[str]:
        """Add one interval job per configured source (+ escalation); returns the job ids."""
        ids = []
        for name, job in self.jobs.items():
            jitter = int(min(60.0, job.minutes * 6))  # ≤ 10 % of the interval, at most a minute
            scheduler.add_job(self.run, "interval", args=[name], minutes=job.minutes, jitter=jitter,  # type: ignore[attr-defined]
                              kwargs={"min_gap": timedelta(minutes=job.minutes) * GAP_SHARE},
                              id=f"sync_{name}", max_instances=1, coalesce=True,
                              next_run_time=utcnow() + timedelta(seconds=first_run_delay))
            ids.append(f"sync_{name}")
        if self.jobs and self.desk.escalation_channel:
            escalate = self.replicas.once_per("escalate_alerts", timedelta(seconds=60), self.desk.escalate_due)
            scheduler.add_job(escalate, "interval", seconds=60, id="escalate_alerts",  # type: ignore[attr-defined]
                              max_instances=1, coalesce=True)
            ids.append("escalate_alerts")
        return ids
