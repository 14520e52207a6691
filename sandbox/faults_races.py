"""`make faults`, the races (issue 14): people at the same moment, store errors in the middle, and a
stateful search over interleavings. Counted from Katana's side like the other scenarios (each action
carries its own batch number; an undo is counted by the production it deletes)."""
from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from datetime import timedelta

from hypothesis import HealthCheck, settings
from hypothesis.errors import Flaky
from hypothesis.stateful import run_state_machine_as_test

from sandbox.exactly_once import ExactlyOnce, SeveralCooks
from sandbox.faults import ANA, Row, count_by_batch, stock_for_a_long_shift
from sandbox.flaky_store import Call, Faults, flaky_store
from sandbox.harness import Sandbox, shop_floor
from sandbox.katana_seed import MO101_ID, SOUP_VARIANT_ID

BEN = "U0BEN"


async def sweep_until_quiet(shop: Sandbox, rounds: int = 3) -> None:
    """The worker's sweeps as if their retry times had come."""
    for _ in range(rounds):
        await shop.settle()
        await shop.store.db["floor_actions"].update_many({}, {"$set": {"next_attempt_at": None}})
        await shop.bot.recorder.resume_due()
    await shop.settle()


# ---- 5. two people tap Record on one task ------------------------------------------------------------

async def two_people_one_task(tasks: int) -> Row:
    async with shop_floor(spec_required=False, katana_rate_limit_per_minute=6000) as shop:
        stock_for_a_long_shift(shop.katana)
        started = time.monotonic()
        orders = [shop.katana.create_manufacturing_order(variant_id=SOUP_VARIANT_ID, planned_quantity=10)
                  for _ in range(tasks)]
        await shop.settle()
        for mo in orders:
            forms = [await shop.form_from_task(who, f"Cook task: {mo['order_no']}") for who in (ANA, BEN)]
            await asyncio.gather(*(shop.workspace.submit_view(who, form, {"quantity": "10", "batch": f"{who}-{n}",
                                                                          "crate": "C-1"})
                                   for n, (who, form) in enumerate(zip((ANA, BEN), forms, strict=True))))
        await shop.settle()
        per_mo = Counter(p["manufacturing_order_id"] for p in shop.katana.productions.values() if not p["deleted_at"])
        recorded = sum(1 for mo in orders if per_mo[mo["id"]] >= 1)
        duplicated = sum(max(per_mo[mo["id"]] - 1, 0) for mo in orders)
        told = sum(1 for v in shop.slack.views.values() if "already recorded this cook task" in str(v.get("blocks")))
        row = Row(f"two people record one task, at once (×{tasks} tasks; {told} told who was first)", tasks,
                  recorded, tasks - recorded, duplicated, time.monotonic() - started)
        return row


# ---- 6. store errors on lease renewals -----------------------------------------------------------------

async def flaky_lease_renewals(actions: int, rate: float = 0.1, seed: int = 5) -> Row:
    chance, faults = random.Random(seed), Faults()
    faults.rule = lambda call: renews_a_lease(call) and chance.random() < rate
    async with shop_floor(spec_required=False, store=flaky_store(faults), katana_rate_limit_per_minute=6000) as shop:
        stock_for_a_long_shift(shop.katana)
        shop.bot.recorder.lease, shop.bot.recorder.grace = timedelta(seconds=0.4), timedelta(seconds=2)
        batches = [f"LR-{i:04d}" for i in range(actions)]
        forms = [await shop.form_from_command(ANA, "/cook") for _ in batches]
        # Katana answers each production slowly, so renewals (every 0.1 s) fall while it works.
        shop.katana.fail_next(actions, method="POST", path_prefix="/manufacturing_order_productions", hang=0.3)
        started = time.monotonic()
        sweeping = asyncio.create_task(keep_sweeping(shop))
        await asyncio.gather(*(shop.workspace.submit_view(ANA, form, {"mo": str(MO101_ID), "quantity": "1",
                                                                      "batch": batch, "crate": "C-1"})
                               for form, batch in zip(forms, batches, strict=True)))
        await shop.settle()
        sweeping.cancel()
        faults.rule = lambda call: False
        await sweep_until_quiet(shop)
        row = count_by_batch(shop.katana, batches)
        row.scenario = (f"store errors on {rate:.0%} of lease renewals during {actions} /cook "
                        f"({len(faults.failed)} renewals refused)")
        row.recover_seconds = time.monotonic() - started
        return row


def renews_a_lease(call: Call) -> bool:
    return call.collection == "floor_actions" and call.method == "update_one" and call.sets_only("lease_until")


async def keep_sweeping(shop: Sandbox) -> None:
    while True:  # the worker's sweep, every 0.1 s instead of 10 s
        await shop.bot.recorder.resume_due()
        await asyncio.sleep(0.1)


# ---- 7. a store error in the middle of undos -------------------------------------------------------------

async def undos_cut_short(undos: int) -> Row:
    faults = Faults()
    async with shop_floor(spec_required=False, store=flaky_store(faults), katana_rate_limit_per_minute=6000) as shop:
        confirmations = []
        for n in range(undos):
            mo = shop.katana.create_manufacturing_order(variant_id=SOUP_VARIANT_ID, planned_quantity=10)
            form = await shop.form_from_task(ANA, f"Cook task: {mo['order_no']}")
            await shop.workspace.submit_view(ANA, form, {"quantity": "10", "batch": f"UN-{n}", "crate": "C-1"})
            confirmations.append(await shop.message_with(f"cooked 10 for {mo['order_no']}"))
        started = time.monotonic()
        failing: set[str] = set()
        faults.rule = lambda call: reopens(call) and fail_first(failing, call)
        for confirmation in confirmations:
            await shop.workspace.click_button(ANA, confirmation, "action_author_undo", channel_id=confirmation["channel"])
        await shop.settle()
        faults.rule = lambda call: False
        await sweep_until_quiet(shop)
        deletes = Counter(r.path for r in shop.katana.requests if r.method == "DELETE")
        taken_back = sum(1 for p in shop.katana.productions.values() if p["deleted_at"])
        states = Counter([(await shop.store.undo_offers.get(a))["state"]
                          for a in [d["_id"] async for d in shop.store.db["floor_actions"].find({"command": "cook"})]])
        row = Row(f"a store error in the middle of {undos} undos, then the worker ({states['undone']} undone)",
                  undos, taken_back, undos - taken_back, sum(max(n - 1, 0) for n in deletes.values()),
                  time.monotonic() - started)
        return row


def reopens(call: Call) -> bool:
    update = call.args[1] if len(call.args) > 1 else {}
    return (call.collection == "production_tasks" and call.method == "find_one_and_update"
            and isinstance(update, dict) and (update.get("$set") or {}).get("status") == "open")


def fail_first(failed: set[str], call: Call) -> bool:
    """Each undo's first reopening of its task fails; the worker's second one goes through."""
    task = str((call.args[0] if call.args else {}).get("_id"))
    if task in failed:
        return False
    failed.add(task)
    return True


# ---- 8. the stateful search ---------------------------------------------------------------------------

async def stateful_search(examples: int, steps: int = 10) -> Row:
    """ExactlyOnce (the whole floor) `examples` times, SeveralCooks (one order cooked again and again,
    answers lost, the worker retrying alongside; ~13 s an example on 2 cores) a fifth as many."""
    started, broken = time.monotonic(), 0
    searches = ((ExactlyOnce, examples), (SeveralCooks, max(1, examples // 5)))
    for machine, count in searches:
        try:
            await asyncio.to_thread(run_state_machine_as_test, machine, settings=settings(
                max_examples=count, stateful_step_count=steps, deadline=None, suppress_health_check=list(HealthCheck),
                database=None))
        except (AssertionError, Flaky, ExceptionGroup) as failure:  # ExceptionGroup: several distinct failures
            print(f"stateful search ({machine.__name__}) found: {failure}")
            broken += 1
    total = sum(count for _machine, count in searches)
    return Row(f"stateful search: {total} interleavings × {steps} steps (invariants after every step)", total,
               total - broken, broken, broken, time.monotonic() - started)
