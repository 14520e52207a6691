"""The fakes the rows share, and the processes they measure (the bot, bare Bolt)."""
from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sandbox.harness import SIGNING_SECRET, spec_validator
from sandbox.katana import FakeKatana
from sandbox.process import BotProcess, bot_env
from sandbox.slack import FakeSlack

QUIET = {"LOG_LEVEL": "ERROR"}  # the bot's output goes to a pipe read only at the end: keep it small


class BareBoltProcess(BotProcess):
    """`python -m bench.bare_bolt`, started and stopped like the bot's process."""

    async def start(self, timeout: float = 20.0) -> dict[str, Any]:
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bench.bare_bolt", env={**self.env, "PORT": str(self.port)}, cwd=self.cwd,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
        self._reader = asyncio.create_task(self._keep_log(self.proc.stdout))
        return await self.healthy(timeout)


@asynccontextmanager
async def fakes(*, latency: float = 0.0, **katana_kwargs: Any) -> AsyncIterator[tuple[FakeKatana, FakeSlack]]:
    """Fake Katana (checking every request against the published spec) and fake Slack, on loopback."""
    katana = FakeKatana(validator=spec_validator(required=False), latency=latency, **katana_kwargs)
    slack = FakeSlack()
    await katana.start()
    await slack.start()
    try:
        yield katana, slack
    finally:
        await slack.stop()
        await katana.stop()


@asynccontextmanager
async def running(process: BotProcess) -> AsyncIterator[BotProcess]:
    await process.start()
    try:
        yield process
    finally:
        await process.stop()


def bot_process(katana: FakeKatana, slack: FakeSlack, **env: str) -> BotProcess:
    return BotProcess(bot_env(katana, slack, **{**QUIET, **env}))


def bare_bolt_process(katana: FakeKatana, slack: FakeSlack, modal_file: str | None = None) -> BareBoltProcess:
    """`modal_file`: the JSON of the modal it opens (the bot's own /cook form, so both send the same bytes)."""
    return BareBoltProcess(bot_env(katana, slack, **QUIET, **({"BARE_MODAL_FILE": modal_file} if modal_file else {})))


__all__ = ["SIGNING_SECRET", "BareBoltProcess", "bare_bolt_process", "bot_process", "fakes", "running"]
