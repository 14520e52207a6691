"""The scheduler's job runs: counted by result (for /metrics) and tracked, so a stop lets a run finish.

APScheduler 3's AsyncIOExecutor cannot wait for running jobs: `shutdown(wait=True)` cancels them all the
same ("There is no way to honor wait=True", its source says). So a stopping bot pauses the scheduler
(nothing new starts), waits here — bounded — for the runs under way, and only then shuts it down.

Results: `ok`, `error` (it raised), `cancelled` (still running when the wait ran out), or what the job
reported itself: a sync's `SyncResult.outcome` (ok, partial, failed, busy), `skipped` when another replica
had the job's turn (bot/jobs.py); `overlapped` when a run was due while this replica's last one still ran
(max_instances), `missed` when the loop was too busy to start it in time.
"""
from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

from apscheduler.events import EVENT_JOB_MAX_INSTANCES, EVENT_JOB_MISSED, JobSubmissionEvent

log = logging.getLogger(__name__)


class ScheduledRuns:
    def __init__(self) -> None:
        self.results: Counter[tuple[str, str]] = Counter()  # (job id, result): read by bot/metrics.py
        self._running: set[asyncio.Task[Any]] = set()

    def watch(self, scheduler: Any) -> None:
        """Wrap every job added so far (call before `scheduler.start()`)."""
        for job in scheduler.get_jobs():
            if asyncio.iscoroutinefunction(job.func):
                job.modify(func=self.counted(job.id, job.func))
        scheduler.add_listener(self._not_run, EVENT_JOB_MAX_INSTANCES | EVENT_JOB_MISSED)

    def counted(self, job_id: str, func: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        async def run(*args: Any, **kwargs: Any) -> Any:
            task = asyncio.current_task()  # APScheduler runs each coroutine job as a task of its own
            if task is not None:
                self._running.add(task)
            result = "error"
            try:
                outcome = await func(*args, **kwargs)
                result = str(getattr(outcome, "outcome", "ok"))
                return outcome
            except asyncio.CancelledError:
                result = "cancelled"
                raise
            finally:
                if task is not None:
                    self._running.discard(task)
                self.results[(job_id, result)] += 1
        return run

    def _not_run(self, event: JobSubmissionEvent) -> None:
        self.results[(event.job_id, "overlapped" if event.code == EVENT_JOB_MAX_INSTANCES else "missed")] += 1

    @property
    def running(self) -> int:
        return len(self._running)

    async def finish(self, timeout: float) -> int:
        """Wait up to `timeout` seconds for the runs under way; returns how many still run."""
        if self._running:
            log.info("waiting up to %.0f s for %d scheduled job run(s) to finish", timeout, len(self._running))
            await asyncio.wait(set(self._running), timeout=timeout)
        return len(self._running)
