"""Row 3: Katana webhooks at volume — signed deliveries, 30 % of them repeats, shuffled.

The bot is the real `python -m bot serve` process; the deliveries are what Katana sends
(`x-sha2-signature` over the raw body), from a load generator in a process of its own
(bench.loadgen). Tasks are counted from Slack's side once the bot's background processing has
finished: one cook task per MO still open, none twice, none for an MO that was already done.
"""
from __future__ import annotations

import gc
import random

from bench.loadgen import run_loadgen
from bench.measure import until
from bench.report import Row
from bench.servers import bot_process, fakes, running
from sandbox.faults import cook_tasks, open_cook_message, storm_deliveries
from sandbox.harness import WEBHOOK_TOKEN
from sandbox.katana_webhooks import payload as katana_payload
from sandbox.katana_webhooks import sign

# Processing each new event reads Katana; the budget is row 4's subject, so it must not queue here.
# The worker's sweep keeps its production interval (10 s): new events are queued as they arrive.
FAST = {"KATANA_RATE_LIMIT_PER_MINUTE": "10000"}


def warm_up(concurrency: int) -> list[bytes]:
    """Two deliveries per connection, of an event the bot stores and ignores (`product.updated`): the
    connections are open and the route warm before the clock starts, as row 1 warms its servers."""
    return [katana_payload("product.updated", 1, 900_000 + n, None, None) for n in range(2 * concurrency)]


def signed(bodies: list[bytes]) -> list[tuple[bytes, dict[str, str]]]:
    return [(body, {"x-sha2-signature": sign(body, WEBHOOK_TOKEN)}) for body in bodies]


async def run(count: int = 10_000, duplicate_share: float = 0.3, concurrency: int = 50) -> Row:
    async with fakes() as (katana, slack):
        katana.webhooks.clear()  # the bench delivers, shuffled, instead of the fake
        bodies, expected, finished = storm_deliveries(katana, count, duplicate_share, random.Random(7))
        async with running(bot_process(katana, slack, **FAST)) as bot:
            # This process holds the fakes' thousands of orders and what earlier rows left: its full
            # collections, while the fakes answer the bot during the burst, took CPU from the bot and
            # the load (row 1 freezes its heap for the same reason).
            gc.collect()
            gc.freeze()
            try:
                result, statuses = await run_loadgen(f"{bot.url}/webhooks/katana", signed(warm_up(concurrency)),
                                                     signed(bodies), concurrency)
            finally:
                gc.unfreeze()
            drained = await until(lambda: cook_tasks(slack, expected)[0] == len(expected), timeout=600, every=0.2)
            await until(lambda: False, timeout=1.0)  # anything doubled would show up now
            present, doubled = cook_tasks(slack, expected)
            phantom = sum(1 for mo in finished if open_cook_message(slack, mo["order_no"]))
    measured = (f"{result.per_second:.0f} deliveries/s, p50 {result.p50_ms:.1f} / p99 {result.p99_ms:.1f} ms; "
                f"cook tasks {present}/{len(expected)}, duplicated {doubled}, for done MOs {phantom}; "
                f"non-200 {result.failures}")
    ok = result.p99_ms < 20 and doubled == 0 and phantom == 0 and present == len(expected) and result.failures == 0
    after = f"{drained:.0f} s" if drained is not None else "not within 600 s"
    return Row(3, f"Katana webhooks: {len(bodies)} signed, {duplicate_share:.0%} repeats, concurrency {concurrency}",
               measured, "p99 < 20 ms; every task exactly once", ok, notes=[
                   f"`python -m bot serve` as its own process, the deliveries from another (bench.loadgen: the "
                   f"fakes' work in this one must not hold the clock), after {2 * concurrency} unmeasured "
                   f"deliveries the bot ignores (`product.updated`) open the connections; {len(expected)} open MOs "
                   f"and {len(finished)} done ones (created, then done), deliveries shuffled. Response time is "
                   f"the signed POST until its 200; the bot processes events after answering: all tasks were posted {after} after the last "
                   f"delivery. Statuses: {dict(statuses)}."])
