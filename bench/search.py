"""Row 8: type-ahead order search over 5,000 open MOs — fast, free of Katana calls, memory bounded.

`python -m bot serve` (with the in-memory store's key indexes, as in row 1) runs as its own process
against a fake Katana holding 5,000 open MOs besides the seed kitchen's. One /cook loads them into the
store (the only Katana reads), then signed `block_suggestion` requests like Slack's go to /slack/events
at concurrency 10 with what people type into an order field: parts of order numbers ("1399", "mo-21",
"4"), SKUs and product words ("soup", "chili 40"). Latency is the signed request until the options
answer (checked as the fake Slack checks it); memory is the bot's resident set before and after.
"""
from __future__ import annotations

import asyncio
import random
from pathlib import Path

import aiohttp

from bench.measure import Latencies, load
from bench.report import Row
from bench.servers import SIGNING_SECRET, bot_process, fakes, running
from sandbox.katana_many import FIRST_NUMBER, many_open_orders
from sandbox.slack import FakeSlack
from sandbox.slack_user import SlackWorkspace

ANA = "U0ANA"
GOAL_P99_MS = 150.0
WORDS = ["soup", "chili", "tom", "SOUP-TOM", "chili 40", "con carne", "500 ml"]


def typed_queries(orders: int, count: int, seed: int = 20) -> list[str]:
    """What people type: mostly part of an order number (1–5 characters, with or without "MO-"), else a
    SKU or product word; one in five is a single character, the broadest search there is."""
    rng = random.Random(seed)
    queries = []
    for _ in range(count):
        number = str(FIRST_NUMBER + rng.randrange(orders))
        roll = rng.random()
        if roll < 0.2:
            queries.append(rng.choice("0123456789"))
        elif roll < 0.7:
            start = rng.randrange(len(number))
            queries.append(number[start:start + rng.randint(2, 4)])
        elif roll < 0.85:
            queries.append(f"mo-{number[:rng.randint(1, len(number))]}")
        else:
            queries.append(rng.choice(WORDS))
    return queries


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def cook_form(slack: FakeSlack, user: SlackWorkspace) -> dict:
    """The warm /cook form: the first one loads the open MOs from Katana behind "Loading…"."""
    for _ in range(300):
        await user.slash_command(ANA, "/cook")
        await asyncio.sleep(0.2)
        forms = [v for v in slack.views.values() if v.get("callback_id") == "cook_form"
                 and any(b.get("element", {}).get("type") == "external_select" for b in v["blocks"])]
        if forms:
            return forms[-1]
    raise RuntimeError("the bot never opened a /cook form with a type-ahead MO field")


async def searches(user: SlackWorkspace, form: dict, queries: list[str], concurrency: int) -> tuple[Latencies, int]:
    empty = 0

    async def send(n: int) -> tuple[float, bool]:
        nonlocal empty
        started = asyncio.get_running_loop().time()
        options = await user.suggest(ANA, form, "mo", queries[n])
        empty += not options
        return asyncio.get_running_loop().time() - started, True
    return await load(send, len(queries), concurrency), empty


async def run(orders: int = 5000, requests: int = 1000, concurrency: int = 10) -> Row:
    async with fakes() as (katana, slack):
        many_open_orders(katana, mos=orders)
        async with running(bot_process(katana, slack)) as bot, aiohttp.ClientSession() as http:
            user = SlackWorkspace(events_url=f"{bot.url}/slack/events", signing_secret=SIGNING_SECRET, slack=slack,
                                  http=http)
            pid = bot.proc.pid  # type: ignore[union-attr]
            rss_started = rss_mb(pid)
            form = await cook_form(slack, user)
            loading_calls = len(katana.requests)
            rss_loaded = rss_mb(pid)
            await searches(user, form, typed_queries(orders, 50, seed=1), concurrency)  # warm-up
            hundred_before = len(katana.requests)
            await searches(user, form, typed_queries(orders, 100, seed=2), concurrency)
            hundred_calls = len(katana.requests) - hundred_before
            measured, empty = await searches(user, form, typed_queries(orders, requests), concurrency)
            rss_after = rss_mb(pid)
            sample = await user.suggest(ANA, form, "mo", "1399")
    return row(orders, requests, concurrency, measured, empty, loading_calls, hundred_calls,
               (rss_started, rss_loaded, rss_after), sample)


def row(orders: int, requests: int, concurrency: int, measured: Latencies, empty: int, loading_calls: int,
        hundred_calls: int, rss: tuple[float, float, float], sample: list[dict]) -> Row:
    started, loaded, after = rss
    ratio = measured.p99_ms / GOAL_P99_MS
    text = (f"{requests} searches at concurrency {concurrency}: p50 {measured.p50_ms:.1f} / p99 {measured.p99_ms:.1f} ms "
            f"= {ratio:.2f}× the goal, {measured.per_second:.0f} req/s, {measured.failures} failed, {empty} with no "
            f"match; Katana calls by 100 searches: {hundred_calls} (loading {orders} open MOs once: {loading_calls}); "
            f"bot RSS {started:.0f} MB at start → {loaded:.0f} MB loaded → {after:.0f} MB after the searches")
    ok = ratio < 1 and measured.failures == 0 and hundred_calls == 0 and after - loaded < 25
    return Row(9, f"order search: {orders} open MOs, signed block_suggestion at concurrency {concurrency}", text,
               "p99 < 150 ms; 0 Katana calls per 100 searches; memory bounded", ok, notes=[
                   "`python -m bot serve` with the in-memory store (mongomock with the sandbox's key indexes, "
                   "sandbox/memory_indexes.py, which answer the search's anchored-regex range the way MongoDB's "
                   "multikey index does); fake Katana and fake Slack in the bench process. Queries: parts of order "
                   "numbers, with and without \"MO-\", SKUs and product words; one in five is a single "
                   "character (the broadest). Latency is the signed request until the checked options answer. "
                   f"The answer to \"1399\" starts: {', '.join(o['text']['text'] for o in sample[:2])}. "
                   "Memory: the store holds one document per open order with its search keys; the searches "
                   "themselves keep nothing (RSS after the searches vs loaded)."])
