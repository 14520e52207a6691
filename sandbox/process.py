"""The real `python -m bot serve` process, configured only by environment, pointed at the sandboxes."""
from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import time
from typing import Any

import aiohttp

from sandbox.harness import SIGNING_SECRET, WEBHOOK_TOKEN
from sandbox.katana import FakeKatana
from sandbox.slack import FakeSlack


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bot_env(katana: FakeKatana, slack: FakeSlack, **extra: str) -> dict[str, str]:
    """The environment a deployment would set, with nothing inherited from the developer's own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "KATANA_", "MONGODB_", "ACTION_"))}
    env.update(SLACK_BOT_TOKEN=slack.bot_token, SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_API_URL=slack.api_url,
               KATANA_API_KEY=katana.api_key, KATANA_BASE_URL=katana.base_url, KATANA_WEBHOOK_TOKEN=WEBHOOK_TOKEN,
               FLOOR_CHANNEL="C0FLOOR", HOST="127.0.0.1", LOG_LEVEL="INFO",
               SLACK_POSTS_PER_SECOND="1000", SLACK_POST_BURST="1000",  # as the harness: the fake takes any pace
               SHUTDOWN_GRACE_SECONDS="0")  # no load balancer in front to wait for (the SIGTERM test sets it)
    env.update(extra)
    return env


class BotProcess:
    def __init__(self, env: dict[str, str], *, cwd: str | None = None,
                 command: tuple[str, ...] = ("sandbox.serve",)) -> None:
        """`command`: the module to run; `("bot", "serve")` is exactly what a user runs (from any `cwd`),
        the default adds the in-memory store's key indexes (fault scenarios and benchmarks, from the repo)."""
        self.env, self.cwd, self.command = env, cwd, command
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: asyncio.subprocess.Process | None = None
        self.output = b""
        self._reader: asyncio.Task[None] | None = None

    async def start(self, timeout: float = 60.0) -> dict[str, Any]:
        # (60 s: a loaded 2-core machine took over 20 s to bring the bot's imports up; still a bound)
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", *self.command, env={**self.env, "PORT": str(self.port)}, cwd=self.cwd,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
        # Read the log as it comes: a full pipe would block the bot's next log write, and with it the bot.
        self._reader = asyncio.create_task(self._keep_log(self.proc.stdout))
        try:
            return await self.healthy(timeout)
        except BaseException:  # never healthy (or the caller gave up): no orphan bot left running
            await self.stop(signal.SIGKILL)
            raise

    async def _keep_log(self, stream: asyncio.StreamReader | None) -> None:
        while stream is not None and (chunk := await stream.read(65536)):
            self.output += chunk

    async def healthy(self, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        async with aiohttp.ClientSession() as http:
            while time.monotonic() < deadline:
                try:
                    async with http.get(f"{self.url}/healthz") as reply:
                        return await reply.json()
                except aiohttp.ClientError:
                    await asyncio.sleep(0.1)
        raise TimeoutError("the bot never answered /healthz")

    async def stop(self, sig: int = signal.SIGTERM, timeout: float = 30.0) -> int:
        """SIGTERM (clean stop) or SIGKILL (kill -9); returns the exit code and keeps the log."""
        assert self.proc is not None
        if self.proc.returncode is None:
            self.proc.send_signal(sig)
        await asyncio.wait_for(self.proc.wait(), timeout=timeout)
        if self._reader is not None:
            await asyncio.wait_for(self._reader, timeout=5)
        return self.proc.returncode or 0

    async def exited(self, timeout: float = 30.0) -> int:
        """Wait for the process to end by itself (after a signal sent earlier); returns its exit code."""
        assert self.proc is not None
        await asyncio.wait_for(self.proc.wait(), timeout=timeout)
        if self._reader is not None:
            await asyncio.wait_for(self._reader, timeout=5)
        return self.proc.returncode or 0

    @property
    def log(self) -> str:
        return self.output.decode(errors="replace")
