"""Row 1: how fast Slack gets its 200 for /cook, against a bare Bolt app doing only ack + views.open.

Both run as real server processes (`python -m bot serve` and `python -m bench.bare_bolt`) against
the same fake Slack and Katana; the load is signed like Slack signs it. Rounds alternate between the
two so machine noise hits both alike, and each bot round is judged against the bare round right after
it: the goal is checked on the median of those paired ratios. (Judging one round's p99 — the round of
median throughput — flipped between met and missed from run to run: a p99 of 2000 requests is the 20th
slowest, and whether a round held the moment the bot's open-orders list expired every 30 s decided it;
commands/orders.py now re-reads the list in the background while it is in use.)
"""
from __future__ import annotations

import asyncio
import gc
import json
import statistics
import tempfile
from pathlib import Path

import aiohttp

from bench.measure import Latencies, cpu_seconds, load, until
from bench.report import Row, neighbours
from bench.servers import SIGNING_SECRET, bare_bolt_process, bot_process, fakes, running
from sandbox.process import BotProcess
from sandbox.slack import FakeSlack
from sandbox.slack_user import SlackWorkspace

ANA = "U0ANA"
WARM_UP = 50  # first requests of a process: imports, Bolt's auth.test, the open-orders cache


async def hammer(slack: FakeSlack, process: BotProcess, requests: int, concurrency: int) -> tuple[Latencies, int, float]:
    """`requests` signed /cook at `concurrency`: latencies, modals opened, server CPU ms per request."""
    url, pid = process.url, process.proc.pid  # type: ignore[union-attr]
    cpu_before = cpu_seconds(pid)
    opened_before = len([c for c in slack.calls_to("views.open") if c.ok])
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as http:
        user = SlackWorkspace(events_url=f"{url}/slack/events", signing_secret=SIGNING_SECRET, slack=slack, http=http)

        async def send(_: int) -> tuple[float, bool]:
            reply = await user.slash_command(ANA, "/cook")
            return reply.elapsed, reply.status == 200

        # This process also runs fake Slack, whose record of every call and view grows each round; a full
        # collection walking it stalled whichever server was being measured (p99 ×2–3, either side).
        gc.collect()
        gc.freeze()
        try:
            result = await load(send, requests, concurrency)
        finally:
            gc.unfreeze()
    opened = lambda: len([c for c in slack.calls_to("views.open") if c.ok]) - opened_before  # noqa: E731
    await until(lambda: opened() >= requests, timeout=30)  # the bot opens the modal after its ack
    return result, opened(), (cpu_seconds(pid) - cpu_before) / requests * 1000


async def cook_form(slack: FakeSlack, bot: BotProcess) -> dict:
    """The form a warm bot opens for /cook, for the baseline to open too.

    Not the warm-up's last modal: its concurrent first /cook find the open-orders cache empty and
    open the small "Loading…" view first. A baseline copying that sent a tenth of the bytes, which
    fake Slack (in this process, with the load) checks and stores far more cheaply: unfair to the bot."""
    for _ in range(100):  # the warm-up's Katana list may still be loading: ask until the cache holds it
        await hammer(slack, bot, 1, 1)
        view = slack.calls_to("views.open")[-1].args["view"]
        if view.get("submit"):
            return view
        await asyncio.sleep(0.05)
    raise RuntimeError(f"a warm bot's /cook kept opening {view.get('callback_id')!r}, not its form")


def median_round(rounds: list[Latencies]) -> Latencies:
    by_rate = sorted(rounds, key=lambda r: r.per_second)
    return by_rate[len(by_rate) // 2]


def paired(bot: list[Latencies], bare: list[Latencies]) -> tuple[list[float], list[float]]:
    """Per round pair (bot, then bare right after): the throughput ratios and the p99 ratios."""
    pairs = list(zip(bot, bare, strict=True))
    return [b.per_second / r.per_second for b, r in pairs], [b.p99_ms / r.p99_ms for b, r in pairs]


async def run(requests: int = 2000, concurrency: int = 50, rounds: int = 5) -> Row:
    async with fakes() as (katana, slack), running(bot_process(katana, slack)) as bot:
        await hammer(slack, bot, WARM_UP, min(concurrency, WARM_UP))
        # The baseline opens the very modal the bot opens, so the comparison is of the work around it.
        modal = Path(tempfile.mkdtemp()) / "cook_form.json"
        modal.write_text(json.dumps(await cook_form(slack, bot)))
        async with running(bare_bolt_process(katana, slack, str(modal))) as bare:
            targets: dict[str, BotProcess] = {"bot": bot, "bare Bolt": bare}
            katana_before = len(katana.requests)
            await hammer(slack, bare, WARM_UP, min(concurrency, WARM_UP))
            measured: dict[str, list[Latencies]] = {name: [] for name in targets}
            opened: dict[str, list[int]] = {name: [] for name in targets}
            cpu: dict[str, list[float]] = {name: [] for name in targets}
            for _ in range(rounds):
                for name, process in targets.items():
                    result, modals, cpu_ms = await hammer(slack, process, requests, concurrency)
                    measured[name].append(result)
                    opened[name].append(modals)
                    cpu[name].append(cpu_ms)
            katana_calls = len(katana.requests) - katana_before
    rates, p99s = paired(measured["bot"], measured["bare Bolt"])
    return row(median_round(measured["bot"]), median_round(measured["bare Bolt"]), requests, concurrency,
               (sum(opened["bot"]), sum(opened["bare Bolt"]), rounds * requests), katana_calls,
               [r.per_second for r in measured["bot"]],
               statistics.median(cpu["bot"]), statistics.median(cpu["bare Bolt"]), rates, p99s)


def row(bot: Latencies, bare: Latencies, requests: int, concurrency: int, modals: tuple[int, int, int],
        katana_calls: int, bot_rates: list[float], bot_cpu: float, bare_cpu: float,
        rates: list[float], p99s: list[float]) -> Row:
    throughput, p99 = statistics.median(rates), statistics.median(p99s)
    measured = (f"bot p50 {bot.p50_ms:.1f} / p99 {bot.p99_ms:.1f} ms, {bot.per_second:.0f} req/s; "
                f"bare Bolt p50 {bare.p50_ms:.1f} / p99 {bare.p99_ms:.1f} ms, {bare.per_second:.0f} req/s → "
                f"paired rounds: throughput {throughput:.2f}×, p99 {p99:.2f}× (rounds {min(p99s):.2f}–"
                f"{max(p99s):.2f}×); {bot.failures + bare.failures} failed, "
                f"modals opened {modals[0]}/{modals[2]} (bare Bolt {modals[1]}); server CPU per request "
                f"{bot_cpu:.2f} vs {bare_cpu:.2f} ms "
                f"({bot_cpu / bare_cpu:.2f}×); {neighbours()}")
    # Every ack is followed by its modal — as often as bare Bolt manages it: on a machine loaded by others a
    # trigger (3 s, checked by fake Slack in the load generator's process) can expire for either server.
    ok = throughput >= 0.8 and p99 <= 1.25 and bot.failures == 0 and modals[0] >= min(modals[1], modals[2])
    spread = max(bot_rates) / min(bot_rates) if min(bot_rates) else 0.0
    return Row(1, f"/cook ack, {requests} signed requests at concurrency {concurrency}", measured,
               "throughput ≥ 0.8×, p99 ≤ 1.25× bare Bolt", ok, notes=[
                   "Both servers are real processes (`python -m bot serve`, `python -m bench.bare_bolt`) against "
                   "the same fake Slack, opening the same /cook form (a warm bot's, not its warm-up's \"Loading…\" "
                   "view); latency is the signed HTTP request until Slack's 200. Rounds alternate "
                   f"bot/bare and are judged in pairs: the ratios are the median over {len(p99s)} pairs; the "
                   f"absolute figures are each side's median round (bot's rounds spread {spread:.2f}×, "
                   f"median {statistics.median(bot_rates):.0f} req/s). Server CPU per request is read from /proc, "
                   f"so it holds when neighbours load the machine. Katana calls by the bot over all "
                   f"{WARM_UP + len(bot_rates) * requests} /cook: {katana_calls} (one open-orders list, shared)."])
