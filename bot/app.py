"""The composition root: one `ShopfloorBot` wires settings, store, clients, Slack and routes.

Nothing is global: `python -m bot serve`, the demo and the tests each build their own bot, the
latter two pointed at loopback fakes through the base-URL settings.
"""
from __future__ import annotations

import gc
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import aiohttp
import anyio.lowlevel
import httpx
from aiohttp import web
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from slack_bolt.async_app import AsyncApp
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot import home
from bot.alerts import build_alerts
from bot.health import health_route
from bot.jobs import ReplicaJobs
from bot.katana_events import EventProcessor
from bot.listeners import register_listeners
from bot.permissions import Permissions
from bot.report.post import ShiftReports
from bot.settings import Settings
from bot.slack_guard import slack_guard
from bot.slack_pacing import SlackPacer
from bot.slack_port import SlackWeb
from bot.webhooks import katana_webhook_route
from commands import chain, timers
from commands.announce import announce
from commands.context import Floor, FloorSettings
from commands.orders import OpenOrders
from commands.outcome import Outcome
from commands.receiving.service import Receiving, SlipReader
from commands.recording import Recorder
from commands.registry import COMMANDS
from commands.reversal import REVERSAL, announce_reversal
from integrations.katana import RateLimiter, build_katana
from integrations.katana.ratelimit import WINDOW_SECONDS
from integrations.slack_files import SlackFiles
from integrations.slips import build_slip_reader
from integrations.slips.queue import SlipReadingQueue
from models.budget import SharedWindow
from models.leases import StoreLocks
from models.order_memory import TRUST_FOR
from models.store import Store, open_store

log = logging.getLogger(__name__)

DRAIN_TIMEOUT = 20.0  # seconds to let in-flight floor actions finish on SIGTERM


class ShopfloorBot:
    def __init__(self, settings: Settings, *, store: Store | None = None,
                 http: httpx.AsyncClient | None = None) -> None:
        self.settings = settings
        self.store = store or open_store(
            settings.mongodb_uri.get_secret_value() if settings.mongodb_uri else None, settings.mongodb_db)
        self.http = http or httpx.AsyncClient(timeout=30.0)
        # Katana's budget is the account's: every replica takes its turns from one window in MongoDB.
        budget = SharedWindow(self.store.db, self.store.clock, "katana", limit=settings.katana_rate_limit_per_minute,
                              window=timedelta(seconds=WINDOW_SECONDS), margin=timedelta(seconds=1))
        self.katana = build_katana(self.http, base_url=settings.katana_url, api_key=secret(settings.katana_api_key),
                                   per_minute=settings.katana_rate_limit_per_minute,
                                   limiter=RateLimiter(settings.katana_rate_limit_per_minute, shared=budget))
        self.budget = budget
        self.replica_jobs = ReplicaJobs(self.store.leases, settings.replica_id)
        shared_locks = StoreLocks(self.store.leases)  # an MO's notes, a task's row: one writer in all replicas
        self.katana.manufacturing.locks = shared_locks
        self.slack = AsyncWebClient(token=secret(settings.slack_bot_token), base_url=settings.slack_url,
                                    retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=3),
                                                    # a kept-alive connection Slack closed meanwhile (see start)
                                                    AsyncConnectionErrorRetryHandler(
                                                        error_types=[aiohttp.ServerDisconnectedError])])
        # The bot's last view of an order stands in for a read while webhooks would say it changed.
        self.katana.manufacturing.memory = self.store.orders
        if settings.katana_webhook_token:
            self.store.orders.trust_for = TRUST_FOR
        self.pacer = SlackPacer(self.store.db, self.store.clock, per_second=settings.slack_posts_per_second,
                                burst=settings.slack_post_burst)
        self.floor = Floor(settings=floor_settings(settings), store=self.store, katana=self.katana,
                           slack=SlackWeb(self.slack, pacer=self.pacer), permissions=Permissions(settings, self.slack),
                           orders=OpenOrders(self.katana), locks=shared_locks)
        self.reports = ShiftReports(self.store, self.slack, settings.shift_clock, channel=settings.report_channel,
                                    katana=self.katana)
        self.floor.refresh_home = home.publisher(self.floor, shift=self.reports.shift_so_far)
        self.floor.on_recorded.append(home.refresh_after_recording(self.floor))
        self.recorder = Recorder(self.floor, {**COMMANDS, REVERSAL.name: REVERSAL}, announce=self.announce)
        self.receiving = build_receiving(settings, self.http)  # /receive: slip reader + Slack file downloads
        self.events = EventProcessor(self.floor)
        self.alerts = build_alerts(settings, self.store, self.http, self.slack, self.katana, self.floor.katana_link,
                                   self.replica_jobs, pacer=self.pacer)
        self.bolt = self._bolt()
        self.scheduler = AsyncIOScheduler(timezone="UTC")
        self.web = self._web_app()

    async def announce(self, outcome: Outcome) -> None:
        if outcome.action.command == REVERSAL.name:
            await announce_reversal(self.floor, outcome)
        else:
            await announce(self.floor, COMMANDS[outcome.action.command], outcome)

    def _bolt(self) -> AsyncApp:
        app = AsyncApp(
            client=self.slack,
            signing_secret=secret(self.settings.slack_signing_secret) or "unused-in-socket-mode",
            # Socket Mode has no HTTP signature to check; in HTTP mode bot/slack_guard.py verifies the raw
            # bytes of every /slack/events request before Bolt sees it, so Bolt needn't verify them again.
            request_verification_enabled=False,
        )
        register_listeners(app, self.floor, self.recorder, self.receiving, self.alerts, self.reports)
        return app

    def _web_app(self) -> web.Application:
        # HTTP mode: Bolt's own aiohttp app serves /slack/events; Socket Mode: no Slack route at all.
        app = web.Application() if self.settings.socket_mode else self.bolt.web_app(path="/slack/events")
        if not self.settings.socket_mode:
            app.middlewares.append(slack_guard(secret(self.settings.slack_signing_secret)))
        token = secret(self.settings.katana_webhook_token)
        app.router.add_post("/webhooks/katana", katana_webhook_route(
            token, self.store.events, self.events.process_soon, self.events.delivery_arrived,
            self.events.repeat_tallied))
        app.router.add_get("/healthz", health_route(self))
        app.on_startup.append(self._on_startup)
        app.on_shutdown.append(self._on_shutdown)
        return app

    async def _on_startup(self, _: web.Application) -> None:
        await self.start()

    async def _on_shutdown(self, _: web.Application) -> None:
        await self.stop()

    async def start(self) -> None:
        # One kept-alive connection pool to Slack instead of slack_sdk's new session (and TCP connect)
        # per call: views.open after every /cook ack was a third of the bot's CPU (bench row 1).
        if self.slack.session is None or self.slack.session.closed:
            self.slack.session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.slack.timeout))
        await self.store.ensure_indexes()
        every = timedelta(seconds=self.settings.worker_interval_seconds)
        for job, work in self.worker_jobs().items():  # once per interval across replicas (bot/jobs.py)
            self.scheduler.add_job(self.replica_jobs.once_per(job, every, work), "interval",
                                   seconds=every.total_seconds(), id=job, max_instances=1, coalesce=True)
        await self.alerts.start(self.scheduler)  # only configured sources get a sync job
        if self.reports.schedule(self.scheduler):  # at each shift's end; a report a restart missed goes out now
            self.floor.jobs.spawn(self.reports.post_due(), name="shift report catch-up")
        self.scheduler.start()
        # Start-up recovery: whatever a crash or a stop left unfinished resumes now, not in 10 s (unless
        # another replica is at it right now: the items are leased one by one anyway).
        resumed = [await self.replica_jobs.exclusive(job, self.worker_jobs()[job])
                   for job in ("resume_floor_actions", "retry_katana_events")]
        if sum(r or 0 for r in resumed):
            log.info("resuming %d unfinished floor actions / webhook events", sum(r or 0 for r in resumed))
        await load_first_call_imports()
        freeze_startup_heap()

    def worker_jobs(self) -> dict[str, Callable[[], Awaitable[Any]]]:
        """The worker's sweeps: waiting actions and events, task timers (auto-pause, row resync, Undo
        expiry), task posts a crash cut short."""
        return {"resume_floor_actions": self.recorder.resume_due, "retry_katana_events": self.events.retry_due,
                "task_timers": lambda: timers.sweep(self.floor),
                "post_unposted_tasks": lambda: chain.post_unposted(self.floor)}

    async def stop(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        self.events.stop()
        left = await self.floor.jobs.drain(DRAIN_TIMEOUT)
        if left:
            log.warning("%d jobs still running at shutdown; they resume at next start", left)
        try:
            await self.events.write_repeats()  # counts of repeats answered from memory
        except Exception:  # only counts: every event itself is stored
            log.exception("repeated Katana deliveries were not counted at shutdown")
        await self.http.aclose()
        if self.slack.session is not None:
            await self.slack.session.close()  # slack_sdk falls back to a session per call if used later


async def load_first_call_imports() -> None:
    """httpx imports anyio's asyncio backend (some twenty modules) on its first request: done then,
    it held the loop ~25 ms, stalling every Katana delivery in flight when the first event was
    processed (bench row 3's p99). Done here, before the heap is frozen, it is part of start-up."""
    await anyio.lowlevel.checkpoint()


def freeze_startup_heap() -> None:
    """Once per process: what imports and start-up built lives as long as the process, so the cyclic
    collector's full passes needn't walk it. Without this each full pass over the bot's large heap
    stalled every request in flight — the bot's p99 under 50 concurrent /cook (bench row 1). (The
    interpreter itself knows whether it was done: no flag of ours, so bot instances share nothing.)"""
    if gc.get_freeze_count() == 0:
        gc.collect()
        gc.freeze()


def secret(value: Any) -> str:
    return value.get_secret_value() if value is not None else ""


def floor_settings(settings: Settings) -> FloorSettings:
    return FloorSettings(
        floor_channel=settings.floor_channel, supervisor_channel=settings.supervisor_channel,
        katana_app_url=str(settings.katana_app_url), fba_location=settings.fba_location,
        scrap_reason_codes=tuple(settings.scrap_reason_codes), undo_window_minutes=settings.undo_window_minutes,
        timer_auto_pause_hours=settings.timer_auto_pause_hours,
        action_give_up_after_hours=settings.action_give_up_after_hours,
        action_retry_first_seconds=settings.action_retry_first_seconds,
        action_retry_max_seconds=settings.action_retry_max_seconds)


def build_receiving(settings: Settings, http: httpx.AsyncClient) -> Receiving:
    """/receive: the slip reader (vision with offline fallback, or offline) and Slack file downloads."""
    files = SlackFiles(http, bot_token=secret(settings.slack_bot_token),
                       files_url=str(settings.slack_files_url) if settings.slack_files_url else None)
    reader: SlipReader = build_slip_reader(settings)  # vision with offline fallback, or offline
    return Receiving(reader=reader, files=files, queue=SlipReadingQueue(settings.slip_reads_at_once))
