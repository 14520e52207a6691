"""A whole shop floor on loopback: fake Katana, fake Slack, and the real bot between them.

Used by `make demo` and by the scenario tests, so the demo shows exactly what is tested. The bot
is the production `ShopfloorBot`, served by aiohttp on 127.0.0.1 and configured only through
its base-URL settings; Slack requests reach it signed, Katana webhooks reach it signed.
"""
from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.app import ShopfloorBot
from bot.cli import FLOOR_EVENTS
from bot.settings import Settings
from sandbox import memory_indexes, strict_store
from sandbox.alert_fakes import start_alert_fakes, stop_alert_fakes, wants_alerts
from sandbox.katana import FakeKatana
from sandbox.openapi_check import SpecValidator, find_reference_dir
from sandbox.slack import FakeSlack
from sandbox.slack_user import SlackWorkspace

# The in-memory store looks documents up by key, as MongoDB does, instead of scanning (bench scale),
# and refuses updates MongoDB's driver could not encode.
memory_indexes.install()
strict_store.install()

SIGNING_SECRET = "sandbox-signing-secret"
WEBHOOK_TOKEN = "sandbox-webhook-token"
FLOOR = "C0FLOOR"


def spec_validator(required: bool) -> SpecValidator | None:
    """Katana's published spec, when it is beside the repo (always in tests; optional in the demo)."""
    try:
        return SpecValidator.from_file(find_reference_dir() / "katana" / "live-gateway.yaml")
    except FileNotFoundError:
        if required:
            raise
        return None


def sandbox_settings(slack: FakeSlack, katana: FakeKatana, **overrides: Any) -> Settings:
    values: dict[str, Any] = dict(
        slack_bot_token=slack.bot_token, slack_signing_secret=SIGNING_SECRET, slack_app_token=None,
        slack_api_url=slack.api_url, slack_files_url=slack.base_url, floor_channel=FLOOR, katana_api_key=katana.api_key,
        katana_base_url=katana.base_url, katana_webhook_token=WEBHOOK_TOKEN, mongodb_uri=None,
        host="127.0.0.1", log_level="WARNING",  # the harness binds an ephemeral port itself
        slack_posts_per_second=1000, slack_post_burst=1000,  # the fake Slack takes any pace unless a test asks
        ocr_niceness=0)  # a second pytest worker beside this one would starve a niced OCR child
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg] — never a developer's real .env


class Sandbox:
    unleashed: Any = None  # FakeUnleashed, when the test asked for one
    amazon: Any = None  # FakeAmazon, when the test asked for one

    def __init__(self, *, katana: FakeKatana, slack: FakeSlack, bot: ShopfloorBot, url: str,
                 workspace: SlackWorkspace, runner: web.AppRunner) -> None:
        self.katana, self.slack, self.bot, self.url = katana, slack, bot, url
        self.workspace, self.runner = workspace, runner
        self._views_before: list[str] = []  # views open before a command: not the form it opens

    @property
    def store(self) -> Any:
        return self.bot.store

    async def settle(self) -> None:
        """Wait until webhooks are delivered and the bot's background work is done."""
        for _ in range(20):
            await self.katana.flush_webhooks()
            await listeners_finished()
            if await self.bot.floor.jobs.idle(timeout=30.0) == 0 and not self.katana_in_flight():
                await self.katana.flush_webhooks()
                if self.bot.floor.jobs.running == 0:
                    return

    def katana_in_flight(self) -> bool:
        return bool(getattr(self.katana, "_webhook_tasks", None))

    async def crash_and_restart(self, prepare: Callable[[ShopfloorBot], None] | None = None) -> None:
        """kill -9 of the bot while its database survives (MongoDB in production): in-flight work is
        abandoned mid-request and nothing drains; a new bot starts on the same store and recovers.
        `prepare`: done to the new bot before it starts (e.g. the slip reader its start-up recovery uses)."""
        old = self.bot
        for job in list(old.floor.jobs._tasks):  # the harness plays the kernel here
            job.cancel()
        await asyncio.sleep(0)
        await self.runner.cleanup()
        self.bot, self.runner, self.url = await start_bot(old.settings, store=old.store, prepare=prepare)
        self.workspace.events_url = f"{self.url}/slack/events"
        self.katana.webhooks.clear()
        self.katana.subscribe(f"{self.url}/webhooks/katana", FLOOR_EVENTS, token=WEBHOOK_TOKEN)

    def messages_with(self, text: str) -> list[dict[str, Any]]:
        return [m for m in self.slack.messages if text in str(m.get("text", ""))]

    async def message_with(self, text: str) -> dict[str, Any]:
        """The newest channel message whose fallback text contains `text`, once work has settled."""
        await self.settle()
        found = self.messages_with(text)
        if not found:
            seen = [m.get("text") for m in self.slack.messages]
            raise RuntimeError(f"no Slack message containing {text!r}; messages: {seen}")
        return found[-1]

    async def view_becomes(self, view_id: str, callback_id: str | None, text: str = "",
                           timeout: float = 5.0) -> dict[str, Any]:
        """The modal once the bot has replaced it with `callback_id` (any, if None) showing `text`
        (after its "Loading…" / "Reading…" / "Recording…" stage)."""
        for _ in range(int(timeout / 0.02)):
            view = self.slack.views.get(view_id) or {}
            if (callback_id is None or view.get("callback_id") == callback_id) and text in str(view.get("blocks")):
                return view
            await asyncio.sleep(0.02)
        raise AssertionError(f"view {view_id} never showed {callback_id} {text!r}: {self.slack.views.get(view_id)}")

    async def opened_form(self, after_call: int, timeout: float = 5.0) -> dict[str, Any]:
        """The form the bot opened after Slack call number `after_call` (past any "Loading…" view)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        earlier = set(self._views_before)
        while loop.time() < deadline:
            opened = [c for c in self.slack.calls[after_call:] if c.method == "views.open" and c.ok]
            forms = [v for v in self.slack.views.values() if v.get("callback_id") and v["id"] not in earlier]
            if opened and forms:
                return forms[-1]
            await asyncio.sleep(0.01)
        raise RuntimeError(f"the bot opened no form; calls: {[c.method for c in self.slack.calls[after_call:]]}")

    async def form_from_task(self, user_id: str, task_text: str) -> dict[str, Any]:
        task = await self.message_with(task_text)
        before = len(self.slack.calls)
        await self.workspace.click_button(user_id, task, "task_record", channel_id=FLOOR)
        return await self.opened_form(before)

    async def form_from_command(self, user_id: str, command: str, channel_id: str = FLOOR,
                                text: str = "") -> dict[str, Any]:
        before, self._views_before = len(self.slack.calls), list(self.slack.views)
        try:
            await self.workspace.slash_command(user_id, command, text, channel_id=channel_id)
            return await self.opened_form(before)
        finally:
            self._views_before = []


async def listeners_finished(timeout: float = 10.0) -> None:
    """Bolt runs a listener on after its ack in a task of its own, which the bot's jobs do not track: a
    button's handler may not have spawned its background work yet when the request has been answered."""
    running = [t for t in asyncio.all_tasks()
               if t.get_coro().__qualname__.endswith("run_ack_function_asynchronously")]  # type: ignore[union-attr]
    if running:
        await asyncio.wait(running, timeout=timeout)


async def start_bot(settings: Settings, store: Any = None, clock: Callable[[], float] = time.monotonic,
                    prepare: Callable[[ShopfloorBot], None] | None = None) -> tuple[ShopfloorBot, web.AppRunner, str]:
    bot = ShopfloorBot(settings, store=store, clock=clock)
    if prepare is not None:
        prepare(bot)
    runner = web.AppRunner(bot.web, handle_signals=False, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return bot, runner, f"http://127.0.0.1:{port}"


@asynccontextmanager
async def shop_floor(*, spec_required: bool = True, katana_kwargs: dict[str, Any] | None = None,
                     unleashed: Any = None, amazon: Any = None, store: Any = None,
                     clock: Callable[[], float] = time.monotonic,
                     **setting_overrides: Any) -> AsyncIterator[Sandbox]:
    """`unleashed`/`amazon`: unstarted FakeUnleashed/FakeAmazon to run beside Katana (alerts, issue 4);
    `store`: the bot's store (e.g. sandbox.flaky_store's, which fails on purpose); `clock`: the bot's
    monotonic clock (user-group refreshes), for tests that move time on."""
    katana = FakeKatana(validator=spec_validator(spec_required), **(katana_kwargs or {}))
    slack = FakeSlack()
    await katana.start()
    await slack.start()
    if wants_alerts(unleashed, amazon, setting_overrides):
        setting_overrides = {**await start_alert_fakes(slack, unleashed, amazon), **setting_overrides}
    bot, runner, url = await start_bot(sandbox_settings(slack, katana, **setting_overrides), store=store,
                                       clock=clock)
    katana.subscribe(f"{url}/webhooks/katana", FLOOR_EVENTS, token=WEBHOOK_TOKEN)
    workspace = SlackWorkspace(events_url=f"{url}/slack/events", signing_secret=SIGNING_SECRET, slack=slack)
    sandbox = Sandbox(katana=katana, slack=slack, bot=bot, url=url, workspace=workspace, runner=runner)
    sandbox.unleashed, sandbox.amazon = unleashed, amazon
    try:
        yield sandbox
    finally:
        await workspace.close()
        await runner.cleanup()
        await slack.stop()
        await katana.stop()
        await stop_alert_fakes(unleashed, amazon)


def repo_root() -> Path:
    return Path(__file__).resolve().parents[2]
