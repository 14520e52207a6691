"""The composition root: one `ShopfloorBot` wires settings, store, clients, Slack and routes.

Nothing is global: `python -m bot serve`, the demo and the tests each build their own bot, the
latter two pointed at loopback fakes through the base-URL settings.
"""
from __future__ import annotations

import asyncio
import gc
import logging
import time
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
from bot.channels import CHECK_EVERY_SECONDS, ChannelWatch
from bot.health import health_route
from bot.jobs import ReplicaJobs
from bot.katana_events import EventProcessor
from bot.listeners import register_listeners
from bot.metrics import BotMetrics, Sources, metrics_route
from bot.permissions import Permissions
from bot.report.post import ShiftReports
from bot.scheduled import ScheduledRuns
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
from commands.receiving import reading
from commands.receiving.service import Receiving, SlipReader
from commands.recording import Recorder
from commands.registry import COMMANDS
from commands.reversal import REVERSAL, announce_reversal
from integrations.katana import KatanaError, RateLimiter, build_katana
from integrations.katana.ratelimit import WINDOW_SECONDS
from integrations.slack_files import SlackFiles
from integrations.slips import build_slip_reader
from integrations.slips.queue import SlipReadingQueue
from integrations.slips.worker import OcrInChildProcess
from models.budget import SharedWindow
from models.leases import StoreLocks
from models.open_orders import KINDS
from models.order_memory import TRUST_FOR
from models.store import Store, open_store

log = logging.getLogger(__name__)

DRAIN_TIMEOUT = 20.0  # seconds to let in-flight floor actions, and a scheduled job's run, finish on SIGTERM


class ShopfloorBot:
    def __init__(self, settings: Settings, *, store: Store | None = None,
                 http: httpx.AsyncClient | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self.store = store or store_for(settings)
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
        self.permissions = Permissions(settings, self.slack, clock=clock)  # user groups refreshed on this clock
        slack_web = SlackWeb(self.slack, pacer=self.pacer)
        self.floor = Floor(settings=floor_settings(settings), store=self.store, katana=self.katana,
                           slack=slack_web, permissions=self.permissions,
                           orders=OpenOrders(self.katana, self.store.open_orders), locks=shared_locks)
        self.reports = ShiftReports(self.store, self.slack, settings.shift_clock, channel=settings.report_channel,
                                    katana=self.katana)
        self.floor.refresh_home = home.publisher(self.floor, shift=self.reports.shift_so_far)
        self.floor.on_recorded.append(home.refresh_after_recording(self.floor))
        self.recorder = Recorder(self.floor, {**COMMANDS, REVERSAL.name: REVERSAL}, announce=self.announce)
        self.ocr = OcrInChildProcess(processes=settings.ocr_processes,
                                     niceness=settings.ocr_niceness)  # offline slip reading, off the ack's CPU
        self.receiving = build_receiving(settings, self.http, self.ocr)  # /receive: slip reader + Slack files
        self.events = EventProcessor(self.floor)
        self.channels = ChannelWatch(self.floor.slack, settings)  # the bot in FLOOR_CHANNEL & co (/healthz)
        self.alerts = build_alerts(settings, self.store, self.http, self.slack, self.katana, self.floor.katana_link,
                                   self.replica_jobs, pacer=self.pacer)
        self.bolt = self._bolt()
        self.scheduler = AsyncIOScheduler(timezone="UTC")
        self.scheduled = ScheduledRuns()  # every job's runs: counted, and waited for when stopping
        self.draining = False  # SIGTERM: /healthz says 503 so the load balancer stops sending
        self.drain_timeout = DRAIN_TIMEOUT
        self.metrics = BotMetrics(self.store, Sources(
            replica=settings.replica_id, katana=self.katana.client, job_runs=self.scheduled.results,
            slack_refusals=(slack_web.refusals, self.alerts.desk.poster.refusals),
            in_flight=lambda: self.floor.jobs.running, draining=lambda: self.draining))
        self.metrics.shared_budget = self.shared_budget_use
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
            app.middlewares.append(slack_guard(secret(self.settings.slack_signing_secret),
                                               body_timeout=self.settings.body_read_timeout_seconds))
        token = secret(self.settings.katana_webhook_token)
        app.router.add_post("/webhooks/katana", katana_webhook_route(
            token, self.store.events, self.events.process_soon, self.events.delivery_arrived,
            self.events.repeat_tallied, body_timeout=self.settings.body_read_timeout_seconds))
        app.router.add_get("/healthz", health_route(self))
        app.router.add_get("/metrics", metrics_route(self.metrics))
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
        self.permissions.start()  # user groups read in the background, before the first command needs them
        every = timedelta(seconds=self.settings.worker_interval_seconds)
        for job, work in self.worker_jobs().items():  # once per interval across replicas (bot/jobs.py)
            self.scheduler.add_job(self.replica_jobs.once_per(job, every, work), "interval",
                                   seconds=every.total_seconds(), id=job, max_instances=1, coalesce=True)
        # Each replica's own view of its channels for its /healthz (not once across replicas).
        self.scheduler.add_job(self.channels.look, "interval", seconds=CHECK_EVERY_SECONDS,
                               id="check_channels", max_instances=1, coalesce=True)
        # History (crash recovery) needs the bot in the floor channel: join it now, off the start-up path.
        self.floor.jobs.spawn(self.channels.join_and_look(), name="join the floor channel")
        # The open orders the forms search: what changed in Katana since the last run (a full read every
        # few hours); webhooks keep them current in between. The first form of a kind loads it.
        sync_every = timedelta(minutes=self.settings.open_orders_sync_minutes)
        self.scheduler.add_job(self.replica_jobs.once_per("sync_open_orders", sync_every,
                                                          lambda: resync_open_orders(self.floor)),
                               "interval", seconds=sync_every.total_seconds(), id="sync_open_orders",
                               max_instances=1, coalesce=True)
        await self.alerts.start(self.scheduler)  # only configured sources get a sync job
        if self.reports.schedule(self.scheduler):  # at each shift's end; a report a restart missed goes out now
            self.floor.jobs.spawn(self.reports.post_due(), name="shift report catch-up")
        self.scheduled.watch(self.scheduler)  # every job added above, counted and waited for by `stop`
        self.scheduler.start()
        # Start-up recovery: whatever a crash or a stop left unfinished resumes now, not in 10 s (unless
        # another replica is at it right now: the items are leased one by one anyway).
        resumed = [await self.replica_jobs.exclusive(job, self.worker_jobs()[job])
                   for job in ("resume_floor_actions", "retry_katana_events")]
        if sum(r or 0 for r in resumed):
            log.info("resuming %d unfinished floor actions / webhook events", sum(r or 0 for r in resumed))
        # This replica's own packing slips, cut off by its stop, are read again now (not once their lease runs
        # out); another replica's are the sweep's.
        if slips := await reading.resume_own(self.floor, self.receiving):
            log.info("reading again %d packing slips the last stop cut off", slips)
        await load_first_call_imports()
        freeze_startup_heap()

    async def shared_budget_use(self) -> tuple[int, int]:
        """Katana requests all replicas started in the shared window, and its limit (/metrics)."""
        return await self.budget.used(), self.budget.limit

    def worker_jobs(self) -> dict[str, Callable[[], Awaitable[Any]]]:
        """The worker's sweeps: waiting actions and events, task timers (auto-pause, row resync, Undo
        expiry), task posts a crash cut short, packing slips whose reader died or that wait for another try."""
        return {"resume_floor_actions": self.recorder.resume_due, "retry_katana_events": self.events.retry_due,
                "task_timers": lambda: timers.sweep(self.floor),
                "post_unposted_tasks": lambda: chain.post_unposted(self.floor),
                "resume_slip_reads": lambda: reading.resume_due(self.floor, self.receiving)}

    def begin_draining(self) -> None:
        """SIGTERM: /healthz answers 503 from now on (requests are still served) and no scheduled job starts
        a new run; a run under way goes on."""
        self.draining = True
        if self.scheduler.running:
            self.scheduler.pause()

    async def stop(self) -> None:
        """Finish what is in hand, within `drain_timeout`: in-flight floor actions and a scheduled job's run
        under way (APScheduler's shutdown would cancel it: bot/scheduled.py). What still runs then is
        cancelled, as a crash would end it: it is stored step by step and resumes at the next start."""
        self.begin_draining()
        self.events.stop()
        left, runs_left = await asyncio.gather(self.floor.jobs.drain(self.drain_timeout),
                                               self.scheduled.finish(self.drain_timeout))
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        self.permissions.stop()
        if left or runs_left:
            log.warning("%d jobs and %d scheduled runs still running at shutdown; they resume at next start",
                        left, runs_left)
        try:
            await self.events.write_repeats()  # counts of repeats answered from memory
        except Exception:  # only counts: every event itself is stored
            log.exception("repeated Katana deliveries were not counted at shutdown")
        self.ocr.close()
        await self.http.aclose()
        if self.slack.session is not None:
            await self.slack.session.close()  # slack_sdk falls back to a session per call if used later


async def resync_open_orders(floor: Floor) -> None:
    for kind in KINDS:
        try:
            log.debug("open %s orders: %s", kind, await floor.orders.sync.resync(kind))
        except KatanaError as exc:
            log.warning("re-reading the open %s orders from Katana failed: %s", kind, exc.user_message)


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


def store_for(settings: Settings) -> Store:
    """The store the settings name, with their retention; this replica names itself to MongoDB."""
    return open_store(secret(settings.mongodb_uri) or None, settings.mongodb_db, retention=settings.retention,
                      app_name=f"shopfloor {settings.replica_id}")


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


def build_receiving(settings: Settings, http: httpx.AsyncClient, offline: OcrInChildProcess) -> Receiving:
    """/receive: the slip reader (vision with offline fallback, or offline — OCR in a child process) and
    Slack file downloads."""
    files = SlackFiles(http, bot_token=secret(settings.slack_bot_token),
                       files_url=str(settings.slack_files_url) if settings.slack_files_url else None)
    reader: SlipReader = build_slip_reader(settings, offline=offline)
    return Receiving(reader=reader, files=files, queue=SlipReadingQueue(settings.slip_reads_at_once),
                     replica=settings.replica_id)
