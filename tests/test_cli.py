"""`python -m bot …` as a new user runs it: a real process, configured only by environment."""
from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator

import aiohttp
import pytest

from sandbox.harness import SIGNING_SECRET, WEBHOOK_TOKEN, spec_validator
from sandbox.katana import FakeKatana
from sandbox.process import BotProcess, bot_env
from sandbox.slack import FakeSlack
from sandbox.slack_user import SlackWorkspace


@pytest.fixture
async def fakes() -> AsyncIterator[tuple[FakeKatana, FakeSlack]]:
    katana, slack = FakeKatana(validator=spec_validator(True)), FakeSlack()
    await katana.start()
    await slack.start()
    yield katana, slack
    await slack.stop()
    await katana.stop()
    assert katana.violations == []


async def run_bot(*args: str, env: dict[str, str], cwd: str = "/") -> tuple[int, str]:
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", *args, env=env, cwd=cwd,
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    out, _ = await asyncio.wait_for(proc.communicate(), timeout=60)
    return proc.returncode or 0, out.decode()


async def test_serve_opens_cook_modal_within_3s_and_stops_cleanly(fakes, tmp_path) -> None:
    katana, slack = fakes
    bot = BotProcess(bot_env(katana, slack), cwd=str(tmp_path), command=("bot", "serve"))
    try:
        health = await bot.start()
        assert health["status"] == "ok" and health["store"] == {"kind": "memory", "ok": True}
        assert {j["id"] for j in health["scheduler"]["jobs"]} == {"resume_floor_actions", "retry_katana_events",
                                                                "task_timers", "post_unposted_tasks", "resume_slip_reads",
                                                                "check_channels", "sync_open_orders"}
        assert health["integrations"]["katana"]["configured"] is True

        user = SlackWorkspace(events_url=f"{bot.url}/slack/events", signing_secret=SIGNING_SECRET, slack=slack)
        reply = await user.slash_command("U0ANA", "/cook")
        opened = await slack.wait_for(lambda c: c.method == "views.open", timeout=10.0)
        # The fake Slack refuses a trigger older than 3 s (expired_trigger_id), as Slack does: an ok
        # views.open is the proof the modal opened in time (no stopwatch in the test).
        assert reply.status == 200 and opened.ok, opened.error
        await user.close()
    finally:
        code = await bot.stop(signal.SIGTERM)
    assert code == 0, bot.log
    assert "IN-MEMORY store" in bot.log  # the loud warning
    for secret in (slack.bot_token, SIGNING_SECRET, katana.api_key, WEBHOOK_TOKEN):
        assert secret not in bot.log


async def test_serve_refuses_to_start_without_what_it_needs(tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "KATANA_", "MONGODB_"))}
    code, out = await run_bot("serve", env=env, cwd=str(tmp_path))
    assert code == 2
    assert "SLACK_BOT_TOKEN" in out and "SLACK_SIGNING_SECRET" in out and "KATANA_API_KEY" in out


async def test_invalid_setting_fails_naming_the_variable(tmp_path) -> None:
    env = {**os.environ, "PORT": "eighty", "KATANA_RATE_LIMIT_PER_MINUTE": "0", "FLOOR_CHANNEL": "#floor"}
    code, out = await run_bot("check", env=env, cwd=str(tmp_path))
    assert code == 2
    for name in ("PORT", "KATANA_RATE_LIMIT_PER_MINUTE", "FLOOR_CHANNEL"):
        assert name in out


async def test_check_reports_configured_missing_and_reachable(fakes, tmp_path) -> None:
    katana, slack = fakes
    code, out = await run_bot("check", env=bot_env(katana, slack), cwd=str(tmp_path))
    assert code == 0, out
    lines = {line.split()[0]: line for line in out.splitlines() if line.strip()}
    assert "reachable" in lines["slack"] and "NOT" not in lines["slack"]
    assert "reachable" in lines["katana"] and "NOT" not in lines["katana"]
    # `check` only looks (serve joins): a fresh app is in no channel, and the floor channel needs it.
    assert "NOT a member" in lines["FLOOR_CHANNEL"] and "PROBLEM" in lines["FLOOR_CHANNEL"]
    slack.roster.invite("C0FLOOR")
    code, out = await run_bot("check", env=bot_env(katana, slack, SUPERVISOR_CHANNEL="C0SUPER"), cwd=str(tmp_path))
    lines = {line.split()[0]: line for line in out.splitlines() if line.strip()}
    assert " member " in lines["FLOOR_CHANNEL"] and "PROBLEM" not in lines["FLOOR_CHANNEL"]
    assert "chat:write.public" in lines["SUPERVISOR_CHANNEL"] and "PROBLEM" not in lines["SUPERVISOR_CHANNEL"]

    wrong_key = bot_env(katana, slack, KATANA_API_KEY="not-the-key", KATANA_WEBHOOK_TOKEN="")
    code, out = await run_bot("check", env=wrong_key, cwd=str(tmp_path))
    lines = {line.split()[0]: line for line in out.splitlines() if line.strip()}
    assert "NOT reachable" in lines["katana"]
    assert "MISSING KATANA_WEBHOOK_TOKEN" in lines["katana_webhooks"]
    assert code == 0  # webhooks are optional for serve; a wrong key is a reachability problem, reported
    assert "not-the-key" not in out


async def test_webhooks_register_prints_the_token(fakes, tmp_path) -> None:
    katana, slack = fakes
    code, out = await run_bot("webhooks", "register", "--url", "https://bot.example.com/webhooks/katana",
                              env=bot_env(katana, slack), cwd=str(tmp_path))
    assert code == 0, out
    [hook] = katana.webhooks.values()
    assert hook["url"] == "https://bot.example.com/webhooks/katana"
    assert "manufacturing_order.created" in hook["subscribed_events"]
    assert hook["token"] in out.splitlines()[-1]

    code, out = await run_bot("webhooks", "register", "--url", "http://insecure.example.com",
                              env=bot_env(katana, slack), cwd=str(tmp_path))
    assert code == 2 and "https" in out


async def test_sigterm_answers_503_at_once_serves_through_the_grace_then_exits_0(fakes, tmp_path) -> None:
    """A rolling deploy behind a load balancer. Fails on the old serve, which closed the listener as soon as
    SIGTERM came (the slash command below is refused) and kept /healthz 200 until then."""
    katana, slack = fakes
    bot = BotProcess(bot_env(katana, slack, SHUTDOWN_GRACE_SECONDS="5"), cwd=str(tmp_path), command=("bot", "serve"))
    await bot.start()
    user = SlackWorkspace(events_url=f"{bot.url}/slack/events", signing_secret=SIGNING_SECRET, slack=slack)
    try:
        assert bot.proc is not None
        bot.proc.send_signal(signal.SIGTERM)
        health = await health_once_draining(bot.url)
        assert health["status"] == "draining"
        reply = await user.slash_command("U0ANA", "/cook")  # the load balancer has not caught up yet
        opened = await slack.wait_for(lambda c: c.method == "views.open", timeout=3.0)
        assert reply.status == 200 and opened.ok, opened.error
    finally:
        await user.close()
    assert await bot.exited(timeout=40) == 0, bot.log
    log = bot.log
    assert log.index("/healthz answers 503") < log.index("draining:") < log.index("stopped")


async def health_once_draining(url: str) -> dict:
    """/healthz as soon as it answers 503 (polled: the process gets the signal asynchronously)."""
    async with aiohttp.ClientSession() as http:
        for _ in range(100):
            async with http.get(f"{url}/healthz") as reply:
                if reply.status == 503:
                    return await reply.json()
            await asyncio.sleep(0.02)
    raise AssertionError("/healthz never answered 503 after SIGTERM")
