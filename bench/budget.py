"""Row 4: Katana's 60 calls a minute, spent fully and never overspent, with 200 floor actions at once.

The real aiohttp app on loopback submits 200 /cook at the same moment (signed view submissions,
each for its own MO) against a fake Katana that answers 429 past 60 calls in any 60 s. Time is
warped (bench/warp.py): it stands still while anything is working and jumps when everyone waits,
so ~25 minutes of budget pass in seconds. The bot's limiter and the fake read the same warped clock.
"""
from __future__ import annotations

import asyncio
import json
from typing import Any

from bench.report import Row
from bench.warp import WarpLoop
from bench.warp import run as run_warped
from integrations.katana import RateLimiter
from sandbox.harness import FLOOR, Sandbox, shop_floor
from sandbox.katana_seed import CHILI_VARIANT_ID
from sandbox.slack_user import crafted_state_values

ANA = "U0ANA"
LIMIT = 60


def submission_view(form: dict[str, Any], n: int, mo_id: int) -> dict[str, Any]:
    """The cook form as Slack hands it back (each its own modal)."""
    metadata = json.dumps({"ch": FLOOR, "task": None})
    return {**form, "id": f"VBUDGET{n:04d}", "hash": f"h{n}", "private_metadata": metadata}


async def submit_cooks(workspace: Any, form: dict[str, Any], mos: list[dict[str, Any]], prefix: str) -> None:
    """One /cook per MO, all submitted at the same moment (each its own modal, batch `prefix`-n)."""
    replies = await asyncio.gather(*(
        workspace.submit_crafted(ANA, view, crafted_state_values(view, {"mo": str(mo["id"]), "quantity": "10",
                                                                 "batch": f"{prefix}-{n}", "crate": "C-1"}))
        for n, (mo, view) in enumerate((mo, submission_view(form, n, mo["id"])) for n, mo in enumerate(mos))))
    refused = [r.status for r in replies if (r.json or {}).get("response_action") != "update"]
    if refused:
        raise RuntimeError(f"{len(refused)} submissions were not accepted: {refused[:3]}")


async def floor_actions(shop: Sandbox, loop: WarpLoop, actions: int) -> tuple[list[float], int]:
    """(when each call was made, 429s) of `actions` /cook submitted at once, once all are recorded."""
    form = await shop.form_from_command(ANA, "/cook")
    shop.katana.webhooks.clear()  # only the floor's own calls spend the budget here
    mos = [shop.katana.create_manufacturing_order(variant_id=CHILI_VARIANT_ID, planned_quantity=10)
           for _ in range(actions)]
    await shop.bot.floor.orders.sync.load("mo")  # their webhooks are off: the forms learn of them by a re-read
    start = len(shop.katana.requests)
    await submit_cooks(shop.workspace, form, mos, "B")
    while await shop.store.db["floor_actions"].count_documents({"status": "recorded"}) < actions:
        await asyncio.sleep(5)  # warped: costs nothing while the floor waits for the budget
    calls = shop.katana.requests[start:]
    return [r.at for r in calls], sum(1 for r in calls if r.status == 429)


def calls_per_minute(times: list[float]) -> tuple[float, float]:
    """(calls per minute, minutes measured) over the whole minutes from the first call.

    The last, partial minute is left out: it holds only what was left of the work (1 call of 1201),
    and counting it whole penalised the bot for needing fewer calls per /cook."""
    first, last = times[0], times[-1]
    minutes = int((last - first) // 60)
    if minutes == 0:  # (tiny runs) everything fitted in one minute
        return len(times), 1.0
    return sum(1 for t in times if t < first + minutes * 60) / minutes, float(minutes)


async def measure(loop: WarpLoop, actions: int) -> Row:
    async with shop_floor(katana_kwargs={"rate_limit_per_minute": LIMIT, "clock": loop.epoch},
                          katana_rate_limit_per_minute=LIMIT) as shop:
        shop.bot.katana.client.limiter = RateLimiter(LIMIT, clock=loop.time, wall_clock=loop.epoch)
        real = loop.jumped
        times, too_many = await floor_actions(shop, loop, actions)
        violations = len(shop.katana.violations)
    calls = len(times)
    per_minute, minutes = calls_per_minute(times)
    share = per_minute / LIMIT
    measured = (f"{too_many} × 429 in {calls} calls; {per_minute:.1f} calls/min = {share:.1%} of the limit "
                f"over {minutes:.0f} whole min; {actions}/{actions} recorded; spec violations {violations}")
    return Row(4, f"Katana budget: {actions} /cook at once, fake enforcing {LIMIT} calls/60 s", measured,
               "0 × 429; ≥ 95 % of the limit used", too_many == 0 and share >= 0.95 and violations == 0, notes=[
                   f"Real aiohttp app on loopback; the submissions are signed view submissions sent together. "
                   f"Warped clock: {loop.jumped - real:.0f} s of waiting skipped. calls/min = the calls made in "
                   "the whole minutes from the first call, ÷ those minutes (the last, partial minute holds only "
                   "what was left of the work). A /cook without a task makes 6 calls (was 7)."])


def run(actions: int = 200) -> Row:
    return run_warped(lambda loop: measure(loop, actions))
