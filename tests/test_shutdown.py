"""Stopping a replica (issue 19): a scheduled job's run under way finishes — within a bound — instead of being
cancelled by the scheduler's shutdown, and no job starts a new run once draining has begun."""
from __future__ import annotations

import asyncio
import json
from datetime import timedelta

from apscheduler.schedulers.base import STATE_PAUSED

from bot.app import ShopfloorBot
from bot.health import health_route
from bot.jobs import ReplicaJobs
from bot.scheduled import ScheduledRuns
from bot.settings import Settings
from models.base import utcnow
from models.store import open_store


def quiet_bot() -> ShopfloorBot:
    """The real bot, in memory, with its own sweeps far apart (only the test's job runs)."""
    return ShopfloorBot(Settings(_env_file=None, slack_bot_token="xoxb-1", slack_signing_secret="s",  # type: ignore[call-arg]
                                 katana_api_key="k", worker_interval_seconds=3600))


async def test_a_running_sync_finishes_before_the_bot_stops() -> None:
    """Fails on the old stop(), whose `scheduler.shutdown(wait=False)` cancelled the run (APScheduler 3's
    asyncio executor cancels running jobs on shutdown whatever `wait` says)."""
    bot = quiet_bot()
    started, finished = asyncio.Event(), []

    async def slow_sync() -> None:
        started.set()
        await asyncio.sleep(0.3)  # the run's own work, not a wait for the test
        finished.append(True)

    bot.scheduler.add_job(slow_sync, "interval", hours=1, id="sync_slow", next_run_time=utcnow())
    await bot.start()
    await asyncio.wait_for(started.wait(), timeout=5)
    await bot.stop()
    assert finished == [True]
    assert bot.scheduled.results[("sync_slow", "ok")] == 1


async def test_a_run_that_outlasts_the_drain_is_cancelled_and_counted() -> None:
    bot = quiet_bot()
    bot.drain_timeout = 0.2
    started = asyncio.Event()

    async def stuck_sync() -> None:
        started.set()
        await asyncio.Event().wait()  # never ends by itself

    bot.scheduler.add_job(stuck_sync, "interval", hours=1, id="sync_stuck", next_run_time=utcnow())
    await bot.start()
    await asyncio.wait_for(started.wait(), timeout=5)
    await asyncio.wait_for(bot.stop(), timeout=5)  # bounded: the stuck run does not hold the stop
    await asyncio.sleep(0)  # the cancelled run's own `finally` counts it
    assert bot.scheduled.results[("sync_stuck", "cancelled")] == 1


async def test_draining_answers_503_and_pauses_the_scheduler() -> None:
    """Fails if /healthz stays 200 after SIGTERM (the load balancer keeps sending) or the scheduler keeps
    starting runs that the stop would then have to wait for or cut."""
    bot = quiet_bot()
    await bot.start()
    healthz = health_route(bot)
    assert (await healthz(None)).status == 200  # type: ignore[arg-type] — the route reads no request
    bot.begin_draining()
    answer = await healthz(None)  # type: ignore[arg-type]
    assert answer.status == 503 and json.loads(answer.text or "")["status"] == "draining"
    assert bot.scheduler.state == STATE_PAUSED
    await bot.stop()


async def test_a_firing_that_leaves_the_turn_to_another_replica_counts_as_skipped() -> None:
    """/metrics' job runs: fails if a firing whose job another replica is running counts as `ok`."""
    store = open_store(None, "turns")
    replica_a, replica_b = ReplicaJobs(store.leases, "a"), ReplicaJobs(store.leases, "b")
    runs, started, release = ScheduledRuns(), asyncio.Event(), asyncio.Event()

    async def sync() -> None:
        started.set()
        await release.wait()

    running_on_a = asyncio.create_task(replica_a.exclusive("sync_x", sync))
    await started.wait()
    await runs.counted("sync_x", replica_b.once_per("sync_x", timedelta(minutes=15), sync))()
    release.set()
    await running_on_a
    assert runs.results == {("sync_x", "skipped"): 1}
