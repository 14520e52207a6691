"""Several replicas on one database (issue 19), simulated in one process (sandbox/replicas.py): N complete
bot instances, each with its own scheduler, limiter, caches and memory, behind a round-robin balancer.

The simulation proves something only if the instances share nothing but the store, as separate
processes would: the first test checks that no module-level object of the shipped packages is written
while two instances work."""
from __future__ import annotations

import asyncio
import logging
import re
import sys
import types
from collections import Counter, deque
from collections.abc import Iterable
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.jobs import ReplicaJobs
from models.base import utcnow
from models.budget import SharedWindow
from sandbox.flaky_store import Faults, flaky_store
from sandbox.harness import FLOOR
from sandbox.katana_seed import SOUP_VARIANT_ID
from sandbox.replicas import replica_floor, store_for_replicas
from tests.alert_helpers import STOCK_CHANNEL, kitchen_stock

ANA = "U0ANA"
SHIPPED = ("bot", "commands", "integrations", "models")


def module_objects() -> dict[str, Any]:
    """Every value bound at module level in the shipped packages, but functions, classes, modules,
    loggers, context variables and compiled patterns (which hold no state of a bot instance)."""
    skip = (types.ModuleType, types.FunctionType, type, logging.Logger, ContextVar, re.Pattern, types.BuiltinFunctionType)
    found: dict[str, Any] = {}
    for name, module in list(sys.modules.items()):
        if name.split(".")[0] not in SHIPPED or module is None:
            continue
        for attribute, value in vars(module).items():
            if not attribute.startswith("__") and not isinstance(value, skip) and not callable(value):
                found[f"{name}.{attribute}"] = value
    return found


def fingerprint(value: Any) -> Any:
    """What a write would change: which object is bound, and what a mutable container or an object's
    attributes hold (by identity)."""
    if isinstance(value, dict):
        return id(value), tuple((repr(k), id(v)) for k, v in value.items())
    if isinstance(value, (list, set, deque, bytearray)):
        return id(value), tuple(sorted(id(v) for v in value))
    state = getattr(value, "__dict__", None)
    if state is not None and not isinstance(value, (str, bytes, int, float)):
        return id(value), tuple(sorted((k, id(v)) for k, v in state.items()))
    return id(value)


def changed(before: dict[str, Any], after: dict[str, Any]) -> Iterable[str]:
    return [name for name in before if name in after and before[name] != after[name]]


async def test_two_instances_write_to_no_shared_module_level_object() -> None:
    """Fails e.g. with OpenOrders' SKU memory or the timer's row locks back at module level (as before
    issue 16), or with a module-level prometheus registry."""
    async with replica_floor(2) as floor:
        before = {name: fingerprint(value) for name, value in module_objects().items()}
        for _ in range(2):
            floor.katana.create_manufacturing_order(variant_id=SOUP_VARIANT_ID, planned_quantity=10)
        await floor.settle()
        for _ in floor.bots:  # one /cook per replica (the balancer takes turns)
            await floor.workspace.slash_command(ANA, "/cook", channel_id=FLOOR)
        await floor.settle()
        after = {name: fingerprint(value) for name, value in module_objects().items()}
    assert list(changed(before, after)) == []


async def test_each_sync_runs_once_per_interval_across_three_replicas() -> None:
    """Three replicas' schedulers each fire the 15-minute sync at their own moment (jitter, start time);
    45 minutes pass: the sync ran 3 times, not 9. Fails without the lease's min_gap in bot/jobs.py."""
    clock = [datetime(2026, 12, 7, 6, 0, tzinfo=UTC)]
    store = store_for_replicas(lambda: clock[0])
    replicas = [ReplicaJobs(store.leases, f"replica-{n}") for n in range(3)]
    runs: list[datetime] = []

    async def sync() -> None:
        runs.append(clock[0])

    every = timedelta(minutes=15)
    jobs = [r.once_per("sync_unleashed", every, sync) for r in replicas]
    firings = sorted((offset + every * k, n) for n, offset in enumerate(
        (timedelta(seconds=30), timedelta(seconds=70), timedelta(minutes=4))) for k in range(3))
    start = clock[0]
    for at, n in firings:  # 45 minutes of firings, in time order
        clock[0] = start + at
        await jobs[n]()
    assert len(runs) == 3 and all(b - a >= every * 0.8 for a, b in zip(runs, runs[1:], strict=False))
    assert sum(r.runs[("sync_unleashed", "skipped")] for r in replicas) == 6


async def test_a_job_running_in_one_replica_is_not_started_by_another() -> None:
    store = store_for_replicas()
    first, second = ReplicaJobs(store.leases, "a"), ReplicaJobs(store.leases, "b")
    release = asyncio.Event()
    started: list[str] = []

    async def long_sync(name: str) -> str:
        started.append(name)
        await release.wait()
        return name

    running = asyncio.create_task(first.exclusive("sync_amazon", lambda: long_sync("a")))
    await asyncio.sleep(0.05)
    assert await second.exclusive("sync_amazon", lambda: long_sync("b")) is None  # /floor sync elsewhere: busy
    release.set()
    assert await running == "a" and started == ["a"]
    assert await second.exclusive("sync_amazon", lambda: long_sync("b")) == "b"  # free again


async def test_a_webhook_storm_across_three_replicas_makes_each_task_once() -> None:
    # 8 MOs: a cook task costs ~5 Katana reads (the MO, its rows, recipe, batches in stock, variants), so
    # 8 fit in Katana's minute; more only wait for the budget (make faults storms across replicas).
    async with replica_floor(3) as floor:
        orders = [floor.katana.create_manufacturing_order(variant_id=SOUP_VARIANT_ID, planned_quantity=5)
                  for _ in range(8)]
        for _ in range(3):
            await floor.katana.redeliver_last(8)  # Katana's retries and overlapping subscriptions
        await floor.settle()
        posted = [m["text"] for m in floor.slack.messages if m.get("text", "").startswith("Cook task: ")]
        assert sorted(posted) == sorted(f"Cook task: {mo['order_no']}" for mo in orders)


async def test_replicas_take_katanas_budget_together() -> None:
    """Every replica takes its Katana turns from one window in the store: with the budget at 40 calls a
    minute and 3 replicas, no minute sees more than 40 calls from all of them (each alone would allow 40)."""
    async with replica_floor(3, katana_rate_limit_per_minute=40) as floor:
        for bot in floor.bots:
            assert bot.katana.client.limiter.shared is not None
        for _ in range(3):
            floor.katana.create_manufacturing_order(variant_id=SOUP_VARIANT_ID, planned_quantity=5)
        await floor.settle()
        assert await floor.bots[0].budget.used() == len(floor.katana.requests)
        assert len(floor.katana.requests) <= 40


async def test_slack_posts_keep_one_pace_per_channel_across_replicas() -> None:
    """Two replicas posting to one channel at once keep Slack's burst of 3 and 1 a second together;
    the fake Slack's own limit is on, and never has to say "ratelimited". Each alone would burst 3."""
    async with replica_floor(2, slack_posts_per_second=1, slack_post_burst=3) as floor:
        floor.slack.enforce_rate_limit = True
        posts = [bot.floor.slack.post(FLOOR, {"text": f"hello {n}"}) for n in range(3) for bot in floor.bots]
        await asyncio.gather(*posts)
        calls = floor.slack.calls_to("chat.postMessage")
        assert len(calls) == 6 and all(call.ok for call in calls)
        first_three_after = sorted(call.at for call in calls)[3] - sorted(call.at for call in calls)[0]
        assert first_three_after >= 0.9


async def test_an_event_worked_on_by_a_live_replica_is_not_reopened_by_another() -> None:
    """A webhook's processing takes longer than the old 5-minute 'stuck' rule in one replica; another
    replica's sweep must leave it alone while the first renews its claim, and take it over only once
    the first is gone."""
    clock = [utcnow()]
    store = store_for_replicas(lambda: clock[0])
    payload = {"resource_type": "manufacturing_order", "action": "manufacturing_order.created",
               "webhook_id": 1, "object": {"id": 7, "status": "NOT_STARTED"}}
    key, _ = await store.events.deliver(payload, None)
    claimed = await store.events.claim(key)
    assert claimed is not None
    for _ in range(10):  # 10 minutes of work, renewed as a live worker does
        clock[0] += timedelta(minutes=1)
        assert await store.events.renew(claimed)
        assert await store.events.reset_stuck(clock[0]) == 0 and key not in await store.events.due(clock[0])
    clock[0] += timedelta(minutes=2)  # it died: no renewal for longer than the claim
    assert key in await store.events.due(clock[0])
    assert await store.events.reset_stuck(clock[0]) == 1
    assert not await store.events.finish(claimed, "late"), "the dead worker's outcome is not recorded"


def stock_posts(floor: Any) -> Counter[tuple[str, str]]:
    """New messages posted to the stock channel by (product, severity): updates of a message don't count."""
    posts: Counter[tuple[str, str]] = Counter()
    for call in floor.slack.calls_to("chat.postMessage"):
        if call.ok and call.args.get("channel") == STOCK_CHANNEL:
            match = re.search(r"\((critical|high|medium)\): (\S+)", str(call.args.get("text")))
            posts[match.groups()[::-1] if match else ("?", str(call.args.get("text")))] += 1
    return posts


async def test_each_alert_is_posted_once_across_three_replicas_over_45_minutes() -> None:
    """Three replicas' schedulers fire the 15-minute Unleashed sync at their own moments, sometimes at the
    same instant, for 45 simulated minutes while the stock changes: each alert is posted once per severity
    (a worse severity is a new message), in every interval, by whichever replica ran."""
    clock = [datetime(2026, 12, 7, 6, 0, tzinfo=UTC)]
    unleashed = kitchen_stock()
    async with replica_floor(3, store=store_for_replicas(lambda: clock[0]), unleashed=unleashed,
                             alerts_inventory_channel=STOCK_CHANNEL) as floor:
        for bot in floor.bots:
            bot.alerts.desk.poster.pacer.interval = 0.0
        every, start = timedelta(minutes=15), clock[0]
        stock_changes = {1: [("CHILI", 5), ("BREAD", 10)], 2: [("SOUP-TOM", 0)]}
        for interval in range(3):
            for code, on_hand in stock_changes.get(interval, []):
                unleashed.set_stock(code, on_hand)
            for offset in (timedelta(seconds=30), timedelta(seconds=70), timedelta(minutes=4)):
                clock[0] = start + every * interval + offset
                await asyncio.gather(*(bot.alerts.jobs.run("unleashed", min_gap=every * 0.8) for bot in floor.bots))
        await floor.settle()
        runs = await floor.store.db["sync_log"].count_documents({"kind": "sync", "subject": "unleashed"})
        assert runs == 3
        assert stock_posts(floor) == Counter({("Tomato", "high"): 1, ("Tomato", "critical"): 1, ("Chili", "medium"): 1,
                                              ("Chili", "high"): 1, ("Sourdough", "critical"): 1})


async def test_two_replicas_reconciling_at_once_post_an_alert_once() -> None:
    """Two replicas run the sync at the same moment as if one had lost its job lease mid-run (the lease
    is bypassed on purpose): both find the alert raised but not yet posted. Fails with claim_post
    answering True for every caller (each replica posted it)."""
    unleashed = kitchen_stock()
    async with replica_floor(2, unleashed=unleashed, alerts_inventory_channel=STOCK_CHANNEL) as floor:
        for bot in floor.bots:
            bot.alerts.desk.poster.pacer.interval = 0.0
        job = floor.bots[0].alerts.jobs.jobs["unleashed"]
        await asyncio.gather(*(bot.alerts.jobs._run(job) for bot in floor.bots))  # noqa: SLF001
        await floor.settle()
        assert set(stock_posts(floor).values()) == {1} and len(stock_posts(floor)) == 3


async def test_a_shared_turn_counts_from_its_answer_in_every_replica() -> None:
    """Katana counts a request when it arrives, which under load is seconds after its turn was taken.
    Replica A's second request is answered 5 s after its turn; replica B may not take that turn's place
    until a minute after the answer. Fails with turns counted from their start (bench row 10 got 429s)."""
    clock = [datetime(2026, 12, 7, 6, 0, tzinfo=UTC)]
    store = store_for_replicas(lambda: clock[0])
    a, b = (SharedWindow(store.db, store.clock, "katana", limit=2, window=timedelta(seconds=60)) for _ in "ab")
    assert await a.take("first") == 0 and await a.take("late") == 0
    clock[0] += timedelta(seconds=5)
    await a.answered("late")
    clock[0] += timedelta(seconds=56)  # 61 s after both turns were taken, 56 s after the late answer
    assert await b.take() == 0, "the first turn has left the window"
    assert await b.take() == pytest.approx(4.0), "the late one counts until a minute after its answer"


async def test_replicas_taking_turns_at_once_never_get_more_than_the_limit() -> None:
    """30 takes at once from 3 replicas, each store call a round trip (so reads and writes interleave).
    Fails without the version compare-and-set in SharedWindow.take."""
    store = flaky_store(Faults(pause=True))
    windows = [SharedWindow(store.db, store.clock, "katana", limit=10, window=timedelta(seconds=60))
               for _ in range(3)]
    waits = await asyncio.gather(*(w.take() for w in windows for _ in range(10)))
    taken = sum(1 for wait in waits if wait == 0)
    while taken < 10:  # those that met a changed version ask again, as the limiter does
        taken += sum(1 for wait in await asyncio.gather(*(w.take() for w in windows)) if wait == 0)
    assert taken == 10 and await windows[0].used() == 10
    assert all(wait > 50 for wait in await asyncio.gather(*(w.take() for w in windows)))


async def test_a_pause_one_replica_heard_holds_every_replica() -> None:
    """Katana's 429 heard by replica A (its Retry-After) holds B too, until it ends; the longest pause wins."""
    clock = [datetime(2026, 12, 7, 6, 0, tzinfo=UTC)]
    store = store_for_replicas(lambda: clock[0])
    a, b = (SharedWindow(store.db, store.clock, "katana", limit=5, window=timedelta(seconds=60)) for _ in "ab")
    assert await b.take() == 0
    await a.pause_for(30)
    await b.pause_for(10)
    assert await b.take() == pytest.approx(30.0)
    clock[0] += timedelta(seconds=31)
    assert await b.take() == 0 and await a.take() == 0 and await b.used() == 3


async def test_a_turn_costs_the_store_the_same_whatever_the_limit() -> None:
    """Bench row 3's drain: at its 10,000 Katana calls a minute the budget was one document holding the last
    10,000 turns, rewritten and re-sorted twice a call (87 % of the bot's time). Each turn now touches small
    documents by their key. Fails with the one-document window (models/budget.py before this test): its
    document held every turn taken, ~20 kB after 300."""
    from bson import BSON

    store = store_for_replicas()
    window = SharedWindow(store.db, store.clock, "katana", limit=10_000, window=timedelta(seconds=60))
    for n in range(300):
        assert await window.take(f"turn-{n}") == 0
        await window.answered(f"turn-{n}")
    assert await window.used() == 300
    for name in ("budgets", "budget_turns"):
        assert max([len(BSON.encode(d)) async for d in store.db[name].find({})], default=0) < 200


async def test_a_replica_gone_between_taking_a_turn_and_counting_it_holds_up_no_one() -> None:
    """A replica that took turn 0 and died before counting it leaves the next turn number at 0: the next taker
    counts it for it and takes turn 1 at once; the dead one's turn still counts, so the limit holds."""
    clock = [datetime(2026, 12, 7, 6, 0, tzinfo=UTC)]
    store = store_for_replicas(lambda: clock[0])
    await store.db["budget_turns"].insert_one({"_id": "katana#0", "turn": 0, "t": "gone", "at": clock[0]})
    window = SharedWindow(store.db, store.clock, "katana", limit=2, window=timedelta(seconds=60))
    assert await window.take() == 0
    assert await window.take() == pytest.approx(60.0) and await window.used() == 2
