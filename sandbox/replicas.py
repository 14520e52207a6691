"""Several complete bot replicas behind a load balancer, on one database — simulated in one process.

No MongoDB server can run here and the in-memory store cannot be shared between processes, so the
replicas are N `ShopfloorBot` instances in this process, each with its own aiohttp server, scheduler,
rate limiter, caches and memory, sharing one in-memory store (what a replica set is to real replicas).
A round-robin balancer in front takes Slack's requests and Katana's webhooks, as a load balancer would.
What this does not show: network partitions between replicas and the database, a real election's
timing, or two processes' clocks drifting (the store's clock is the only one the leases use).
"""
from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import aiohttp
from aiohttp import web
from mongomock_motor import AsyncMongoMockClient

from bot.app import ShopfloorBot
from bot.cli import FLOOR_EVENTS
from models.clock import LocalClock
from models.store import Store, store_over
from sandbox import memory_indexes
from sandbox.alert_fakes import start_alert_fakes, stop_alert_fakes
from sandbox.harness import SIGNING_SECRET, WEBHOOK_TOKEN, sandbox_settings, spec_validator, start_bot
from sandbox.katana import FakeKatana
from sandbox.slack import FakeSlack
from sandbox.slack_user import SlackWorkspace
from sandbox.unleashed import FakeUnleashed


class Balancer:
    """Round-robin over the replicas that are up, like a load balancer with health checks."""

    def __init__(self) -> None:
        self.targets: list[str] = []
        self.down: set[str] = set()
        self._turn = itertools.count()
        self.url = ""
        self._runner: web.AppRunner | None = None
        self._http: aiohttp.ClientSession | None = None

    async def start(self) -> str:
        app = web.Application(client_max_size=2 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._forward)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]
        self._http = aiohttp.ClientSession()
        return self.url

    async def stop(self) -> None:
        if self._http is not None:
            await self._http.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _forward(self, request: web.Request) -> web.Response:
        up = [t for t in self.targets if t not in self.down]
        target = up[next(self._turn) % len(up)]
        body = await request.read()
        headers = {k: v for k, v in request.headers.items() if k.lower() not in ("host", "content-length")}
        assert self._http is not None
        try:
            async with self._http.request(request.method, f"{target}{request.path_qs}", data=body, headers=headers,
                                          timeout=aiohttp.ClientTimeout(total=5)) as answer:
                return web.Response(status=answer.status, body=await answer.read(),
                                    content_type=answer.content_type)
        except (aiohttp.ClientError, TimeoutError):  # the replica died under it: the sender may try again
            return web.Response(status=502, text="bad gateway")


@dataclass
class Replicas:
    katana: FakeKatana
    slack: FakeSlack
    store: Store
    balancer: Balancer
    workspace: SlackWorkspace
    bots: list[ShopfloorBot] = field(default_factory=list)
    runners: list[web.AppRunner] = field(default_factory=list)

    async def settle(self, rounds: int = 20) -> None:
        for _ in range(rounds):
            await self.katana.flush_webhooks()
            waiting = [await bot.floor.jobs.idle(30.0) for bot in self.live()]
            if not any(waiting):
                await self.katana.flush_webhooks()
                if not any(bot.floor.jobs.running for bot in self.live()):
                    return

    def live(self) -> list[ShopfloorBot]:
        return [bot for bot, runner in zip(self.bots, self.runners, strict=True) if runner.server is not None]

    async def kill(self, index: int) -> None:
        """kill -9 of one replica: its in-flight work is abandoned mid-request; the others carry on."""
        bot, runner = self.bots[index], self.runners[index]
        self.balancer.down.add(self.balancer.targets[index])
        for job in list(bot.floor.jobs._tasks):  # noqa: SLF001 — the harness plays the kernel here
            job.cancel()
        if bot.scheduler.running:
            bot.scheduler.shutdown(wait=False)
        await runner.cleanup()


def store_for_replicas(wall: Callable[[], datetime] | None = None) -> Store:
    """One in-memory database for every replica (its clock: the database's, for leases and budgets)."""
    memory_indexes.install()
    client = AsyncMongoMockClient()
    return store_over("memory", client, client["replicas"], LocalClock(wall or (lambda: datetime.now(UTC))))


@asynccontextmanager
async def replica_floor(count: int = 3, *, store: Store | None = None, katana_kwargs: dict[str, Any] | None = None,
                        unleashed: FakeUnleashed | None = None, **setting_overrides: Any) -> AsyncIterator[Replicas]:
    """`unleashed`: an unstarted FakeUnleashed every replica syncs stock alerts from."""
    katana = FakeKatana(validator=spec_validator(False), **(katana_kwargs or {}))
    slack = FakeSlack()
    await katana.start()
    await slack.start()
    if unleashed is not None:
        setting_overrides = {**await start_alert_fakes(slack, unleashed, None), **setting_overrides}
    balancer = Balancer()
    await balancer.start()
    store = store or store_for_replicas()
    floor = Replicas(katana, slack, store, balancer,
                     SlackWorkspace(events_url=f"{balancer.url}/slack/events", signing_secret=SIGNING_SECRET,
                                    slack=slack))
    try:
        for n in range(count):
            settings = sandbox_settings(slack, katana, replica_id=f"replica-{n + 1}", **setting_overrides)
            bot, runner, url = await start_bot(settings, store=store)
            floor.bots.append(bot)
            floor.runners.append(runner)
            balancer.targets.append(url)
        katana.subscribe(f"{balancer.url}/webhooks/katana", FLOOR_EVENTS, token=WEBHOOK_TOKEN)
        yield floor
    finally:
        await floor.workspace.close()
        for runner in floor.runners:
            await runner.cleanup()
        await balancer.stop()
        await slack.stop()
        await katana.stop()
        await stop_alert_fakes(unleashed, None)
