"""Exactly once when people, workers and the store race (issue 14): each test drives the real bot over
loopback with signed requests and fails on the code before its fix (named in each docstring)."""
from __future__ import annotations

import asyncio
from datetime import timedelta

from sandbox.flaky_store import Call, Faults, flaky_store
from sandbox.harness import Sandbox, shop_floor
from sandbox.katana_seed import MO101_ID

ANA, BEN = "U0ANA", "U0BEN"
COOK = {"mo": str(MO101_ID), "quantity": "30", "batch": "B-30", "crate": "C-30"}


def productions(shop: Sandbox, mo_id: int = MO101_ID) -> list[dict]:
    return [p for p in shop.katana.productions.values() if p["manufacturing_order_id"] == mo_id]


def is_renewal(call: Call) -> bool:
    return call.collection == "floor_actions" and call.method == "update_one" and call.sets_only("lease_until")


async def test_lease_renewal_survives_store_errors_so_no_second_worker_posts_again() -> None:
    """The worker waits 1.5 s on Katana's answer to its production while the store refuses its lease
    renewals for 0.6 s (a failover). Before: renewal stopped at the first error, the 0.4 s lease ran out,
    the sweeping worker took the action over, found no production yet and posted a second one."""
    faults = Faults()
    async with shop_floor(store=flaky_store(faults)) as shop:
        shop.bot.recorder.lease, shop.bot.recorder.grace = timedelta(seconds=0.4), timedelta(seconds=2)
        loop = asyncio.get_running_loop()
        failing_until = loop.time() + 0.6
        faults.rule = lambda call: is_renewal(call) and loop.time() < failing_until
        form = await shop.form_from_command(ANA, "/cook")
        shop.katana.fail_next(1, method="POST", path_prefix="/manufacturing_order_productions", hang=1.5)
        await shop.workspace.submit_view(ANA, form, COOK)
        for _ in range(25):  # the worker sweeps meanwhile, as it does every 10 s in production
            await shop.bot.recorder.resume_due()
            await asyncio.sleep(0.1)
        await shop.settle()
        assert faults.failed, "no renewal was refused: the test did not test anything"
        assert len(productions(shop)) == 1
        assert len(shop.messages_with("cooked 30")) == 1
