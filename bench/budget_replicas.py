"""Row 10: three replicas, one Katana account — the 60 calls a minute spent fully by all of them together,
never overspent.

Like row 4, on a warped clock (bench/warp.py), but with three complete bot instances on one store behind
a round-robin balancer (sandbox/replicas.py): the 200 /cook submissions are spread over the replicas, and
each replica's rate limiter takes its turns from the budget shared through the store
(models/budget.py). Without the shared budget each replica would allow itself 60 a minute: 180 together.
"""
from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bench.budget import LIMIT, calls_per_minute, submit_cooks
from bench.report import Row
from bench.warp import WarpLoop
from bench.warp import run as run_warped
from integrations.katana import RateLimiter
from sandbox.katana_seed import CHILI_VARIANT_ID
from sandbox.replicas import Replicas, replica_floor, store_for_replicas

ANA = "U0ANA"
REPLICAS = 3


async def submit_all(floor: Replicas, actions: int) -> None:
    await floor.workspace.slash_command(ANA, "/cook")
    form = await opened_form(floor)
    floor.katana.webhooks.clear()  # only the floor's own calls spend the budget here
    mos = [floor.katana.create_manufacturing_order(variant_id=CHILI_VARIANT_ID, planned_quantity=10)
           for _ in range(actions)]
    await floor.bots[0].floor.orders.sync.load("mo")  # their webhooks are off: the forms learn of them by a re-read
    await submit_cooks(floor.workspace, form, mos, "R")


async def opened_form(floor: Replicas) -> dict:
    for _ in range(500):
        forms = [v for v in floor.slack.views.values() if v.get("callback_id") == "cook_form"]
        if forms:
            return forms[-1]
        await asyncio.sleep(0.02)
    raise TimeoutError("no cook form opened")


async def measure(loop: WarpLoop, actions: int) -> Row:
    store = store_for_replicas(lambda: datetime.fromtimestamp(loop.epoch(), UTC))
    async with replica_floor(REPLICAS, store=store, katana_rate_limit_per_minute=LIMIT,
                             katana_kwargs={"rate_limit_per_minute": LIMIT, "clock": loop.epoch}) as floor:
        for bot in floor.bots:  # the warped clock for each replica's own window; the store's is warped too
            bot.katana.client.limiter = RateLimiter(LIMIT, clock=loop.time, wall_clock=loop.epoch, shared=bot.budget)
        start = len(floor.katana.requests)
        await submit_all(floor, actions)
        while await store.db["floor_actions"].count_documents({"status": "recorded"}) < actions:
            await asyncio.sleep(5)  # warped: costs nothing while the floor waits for the budget
        calls = floor.katana.requests[start:]
        violations = len(floor.katana.violations)
        spread = [await store.db["floor_actions"].count_documents({"status": "recorded"})]
    times, too_many = [r.at for r in calls], sum(1 for r in calls if r.status == 429)
    per_minute, minutes = calls_per_minute(times)
    share = per_minute / LIMIT
    measured = (f"{REPLICAS} replicas: {too_many} × 429 in {len(times)} calls; {per_minute:.1f} calls/min = "
                f"{share:.1%} of the account's limit over {minutes:.0f} whole min; {spread[0]}/{actions} recorded; "
                f"spec violations {violations}")
    return Row(10, f"Katana budget shared by {REPLICAS} replicas: {actions} /cook, fake enforcing {LIMIT}/60 s",
               measured, "0 × 429; ≥ 95 % of the limit used", too_many == 0 and share >= 0.95 and violations == 0,
               notes=[f"Three bot instances on one in-memory store behind a round-robin balancer (the simulation "
                      f"of sandbox/replicas.py); warped clock as row 4. Each replica alone would allow {LIMIT} a "
                      f"minute: {LIMIT * REPLICAS} together without the shared window."])


def run(actions: int = 200) -> Row:
    return run_warped(lambda loop: measure(loop, actions))  # type: ignore[no-any-return]
