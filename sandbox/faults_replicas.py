"""`make faults`: one of three replicas is killed in the middle of a webhook storm and of floor actions
(issue 19). The other two must finish its work: every /cook recorded once (counted by its batch in
Katana), every open MO's cook task posted once, no task for a finished MO."""
from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import aiohttp

from models.actions import UNFINISHED
from models.tasks import OPEN_STATUSES, task_id
from sandbox.faults import ANA, Row, count_by_batch, storm_deliveries
from sandbox.faults import deliver as signed_delivery
from sandbox.katana_seed import MO101_ID, MO102_ID
from sandbox.replicas import Replicas, replica_floor
from sandbox.slack_user import SlackWorkspace

SHORT = {"worker_interval_seconds": 0.5, "action_retry_first_seconds": 0.5, "action_retry_max_seconds": 2,
         "katana_rate_limit_per_minute": 6000}


def quick_takeovers(floor: Replicas) -> None:
    """A dead replica's leases run out in about a second here (30 to 60 s in production)."""
    for bot in floor.bots:
        bot.recorder.lease, bot.recorder.grace = timedelta(seconds=0.6), timedelta(seconds=0.4)
        bot.events.claim_hold = timedelta(seconds=1)
        bot.replica_jobs.hold = timedelta(seconds=1)


async def type_the_mo(floor: Any, form: dict, mo_id: int) -> None:
    """With the storm's thousands of open MOs the /cook form's MO field is a type-ahead search (issue 20):
    the person types the MO's number, as they would, before picking it."""
    element = next((b.get("element") or {} for b in form["blocks"] if b.get("block_id") == "mo"), {})
    if str(element.get("type", "")).endswith("external_select"):
        number = str(floor.katana.manufacturing_orders[mo_id]["order_no"])
        await floor.workspace.suggest(ANA, form, "mo", number)


async def replica_killed_mid_storm(actions: int, deliveries: int, seed: int = 3) -> Row:
    async with replica_floor(3, **SHORT) as floor:
        quick_takeovers(floor)
        started = time.monotonic()
        floor.katana.webhooks.clear()  # the storm below is delivered by hand, shuffled, with its repeats
        bodies, expected, finished = storm_deliveries(floor.katana, deliveries, 0.3, random.Random(seed))
        batches = [f"RK-{n:03d}" for n in range(actions)]
        # Katana answers productions slowly, so the kill lands while some are in flight.
        floor.katana.fail_next(actions, method="POST", path_prefix="/manufacturing_order_productions", hang=0.3)
        forms = [await open_form(floor) for _ in batches]
        for n, form in enumerate(forms):
            await type_the_mo(floor, form, MO101_ID if n % 2 else MO102_ID)
        unanswered: list[int] = []
        work = [submit(floor.workspace, form, {"mo": str(MO101_ID if n % 2 else MO102_ID), "quantity": "1",
                                               "batch": batch, "crate": "C-1"}, unanswered)
                for n, (form, batch) in enumerate(zip(forms, batches, strict=True))]
        work += [deliver(floor, body) for body in bodies]
        random.Random(seed).shuffle(work)
        sending = asyncio.gather(*work)
        await asyncio.sleep(0.3)
        await floor.kill(1)  # mid-storm, mid-action
        await sending
        recover = await until_done(floor, batches, expected, timeout=120)
        row = count_by_batch(floor.katana, batches)
        tasks = cook_tasks(floor)
        phantom = sum(1 for mo in finished if tasks[mo["order_no"]])
        missing = await what_is_missing(floor, batches, expected)
        for each in missing[:SHOWN]:
            print(f"  {'late' if each.under_way else 'LOST'}: {each.what} — {each.records}", flush=True)
        if len(missing) > SHOWN:
            print(f"  … and {len(missing) - SHOWN} more not there when the wait ended", flush=True)
        row.scenario = (f"one of 3 replicas killed mid-storm ({deliveries} webhooks) and mid-action ({actions} /cook); "
                        f"{len(expected)} cook tasks; {len(unanswered)} /cook submitted again after Slack's error")
        row.submitted += len(expected)
        row.recorded += sum(1 for order in expected if tasks[order])
        row.late = sum(1 for each in missing if each.under_way)
        row.lost = len(missing) - row.late
        row.duplicated += sum(max(n - 1, 0) for n in tasks.values()) + phantom
        row.recover_seconds = recover if recover is not None else time.monotonic() - started
        return row


async def open_form(floor: Replicas) -> dict:
    seen = {v["id"] for v in floor.slack.views.values()}
    await floor.workspace.slash_command(ANA, "/cook")
    for _ in range(500):
        fresh = [v for v in floor.slack.views.values() if v["id"] not in seen and v.get("callback_id") == "cook_form"]
        if fresh:
            return fresh[-1]
        await asyncio.sleep(0.02)
    raise TimeoutError("no cook form opened")


SUBMIT_TRIES = 5


async def submit(workspace: SlackWorkspace, form: dict[str, Any], values: dict[str, str],
                 unanswered: list[int]) -> int:
    """The person presses Submit. A submission nothing acknowledged (the replica it reached was killed under it,
    and the balancer answered 502; or no answer came in time) is not recorded, and Slack says so on the form it
    keeps open ("We had some trouble connecting"): the person presses Submit again, the same view, so it is one
    action however often it arrives. `unanswered` gets one entry per submission that needed another try."""
    status = 0
    for attempt in range(SUBMIT_TRIES):
        try:
            status = (await workspace.submit_view(ANA, form, values)).status
        except (aiohttp.ClientError, TimeoutError):
            status = 0
        if status == 200:
            return status
        if attempt == 0:
            unanswered.append(1)
        await asyncio.sleep(0.5 * (attempt + 1))
    return status


async def deliver(floor: Replicas, body: bytes) -> int:
    """Katana delivers at least once: a delivery that got no 2xx (its replica died) is sent again."""
    status = 0
    for attempt in range(5):
        try:
            status = await signed_delivery(floor.workspace._session(), floor.balancer.url, body)  # noqa: SLF001
        except (aiohttp.ClientError, TimeoutError):
            status = 0
        if 200 <= status < 300:
            return status
        await asyncio.sleep(0.5 * (attempt + 1))
    return status


def cook_tasks(floor: Replicas) -> Counter[str]:
    """Cook task messages in the channel, by MO number."""
    return Counter(m["text"].split(": ", 1)[1] for m in floor.slack.messages
                   if m.get("text", "").startswith("Cook task: "))


SHOWN = 20  # missing work printed with its records (the first ones: the rest are most often alike)
IDLE_FOR = 5.0  # seconds with nothing left to do in the bot (ten of the row's worker sweeps): what is missing stays so


async def until_done(floor: Replicas, batches: list[str], expected: set[str], timeout: float) -> float | None:
    """Seconds until every /cook is in Katana and every cook task is posted; None if the wait ended first: at
    `timeout`, or sooner once the bot has had nothing left to do for IDLE_FOR (no unfinished action, no event to
    process or retry, no open task unposted): waiting longer could not bring what is missing."""
    started = time.monotonic()
    idle_since: float | None = None
    next_look = started
    while time.monotonic() - started < timeout:
        tasks = cook_tasks(floor)
        if count_by_batch(floor.katana, batches).recorded == len(batches) and all(tasks[o] for o in expected):
            await asyncio.sleep(1.0)  # anything doubled would show up now
            return time.monotonic() - started
        if time.monotonic() >= next_look:  # (a few queries on the shared store: once a second)
            next_look = time.monotonic() + 1.0
            if await work_left(floor.store.db):
                idle_since = None
            elif idle_since is None:
                idle_since = time.monotonic()
            elif time.monotonic() - idle_since >= IDLE_FOR:
                return None
        await asyncio.sleep(0.2)
    return None


UNDER_WAY_EVENT = {"$or": [{"status": {"$in": ["pending", "processing"]}},
                           {"status": "failed", "next_attempt_at": {"$ne": None}}]}  # failed, to be tried again
UNPOSTED_TASK = {"status": {"$in": OPEN_STATUSES}, "message_ts": None}


async def work_left(db: Any) -> bool:
    """Does any replica still have something to do: an action not finished, an event not processed (or failed and
    to be tried again), an open task not posted? Each is stored, and a replica's sweep picks it up."""
    return any([await db["floor_actions"].find_one({"status": {"$in": list(UNFINISHED)}}, {"_id": 1}),
                await db["katana_events"].find_one(UNDER_WAY_EVENT, {"_id": 1}),
                await db["production_tasks"].find_one(UNPOSTED_TASK, {"_id": 1})])


@dataclass
class Missing:
    what: str  # "/cook RK-012" or "cook task MO-1234"
    records: str  # what the store holds for it
    under_way: bool  # the bot still has work on it: late, not lost


async def what_is_missing(floor: Replicas, batches: list[str], expected: set[str]) -> list[Missing]:
    """Each /cook not in Katana and each cook task not in the channel, with the bot's records of it."""
    db = floor.store.db
    in_katana = {b for b in batches if count_by_batch(floor.katana, [b]).recorded}
    missing = [await missing_cook(db, batch) for batch in batches if batch not in in_katana]
    tasks = cook_tasks(floor)
    orders = {mo["order_no"]: mo["id"] for mo in floor.katana.manufacturing_orders.values()}
    return missing + [await missing_task(db, order, orders[order]) for order in sorted(expected) if not tasks[order]]


async def missing_cook(db: Any, batch: str) -> Missing:
    action = await db["floor_actions"].find_one({"input.batch": batch})
    if action is None:  # its submission was never acknowledged, not even after SUBMIT_TRIES
        return Missing(f"/cook {batch}", "no floor action stored", False)
    steps = ", ".join(f"{s['_id']} {s['state']}" for s in action.get("steps", []))
    return Missing(f"/cook {batch}", f"action {action['_id']}: {action['status']}, attempt {action.get('attempts')}, "
                   f"next try {action.get('next_attempt_at')}, lease until {action.get('lease_until')}, "
                   f"error {action.get('error')!r}; steps: {steps}", action["status"] in UNFINISHED)


async def missing_task(db: Any, order_no: str, mo_id: int) -> Missing:
    task = await db["production_tasks"].find_one({"_id": task_id("cook", mo_id)})
    events = [e async for e in db["katana_events"].find({"object_id": str(mo_id)})]
    under_way = any(e["status"] in ("pending", "processing") or (e["status"] == "failed" and e.get("next_attempt_at"))
                    for e in events)
    told = "; ".join(f"{e['action']} event {e['status']} (attempt {e.get('attempts')}, next try "
                     f"{e.get('next_attempt_at')}, claim until {e.get('claim_until')}, {e.get('outcome') or e.get('error')})"
                     for e in events) or "no event stored"
    if task is None:
        return Missing(f"cook task {order_no}", f"no task stored; {told}", under_way)
    unposted = task["status"] in OPEN_STATUSES and task.get("message_ts") is None
    return Missing(f"cook task {order_no}", f"task {task['status']}, message {task.get('message_ts')}, posting since "
                   f"{task.get('posting_since')}; {told}", under_way or unposted)
