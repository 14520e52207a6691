"""`make faults`: the promise "recorded exactly once, or told clearly" under failure, measured.

Every scenario runs on loopback against the fake Katana and Slack, and counts from Katana's side:
each submitted action carries its own batch number, so "recorded" is a production for that batch,
"lost" is none, "duplicated" is more than one. Scenarios 1, 3 and 4 drive the real
`python -m bot serve` process; scenario 2 kills the bot between and inside each /cook step and
starts a new one on the same database (no MongoDB server can run here, so the "process" is an
in-process bot instance whose in-flight work is cancelled mid-request — what kill -9 does to it).
"""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import random
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import aiohttp

from sandbox.harness import SIGNING_SECRET, WEBHOOK_TOKEN, Sandbox, shop_floor, spec_validator
from sandbox.katana import FakeKatana
from sandbox.katana_seed import CHILI_VARIANT_ID, MO101_ID, MO102_ID, SO7_ID, SOUP_VARIANT_ID
from sandbox.process import BotProcess, bot_env
from sandbox.slack import FakeSlack
from sandbox.slack_user import SlackWorkspace, crafted_state_values

ANA = "U0ANA"
FAST_WORKER = {"WORKER_INTERVAL_SECONDS": "1", "ACTION_RETRY_FIRST_SECONDS": "0.5",
               "ACTION_RETRY_MAX_SECONDS": "10", "KATANA_RATE_LIMIT_PER_MINUTE": "6000", "LOG_LEVEL": "ERROR"}


@dataclass
class Row:
    scenario: str
    submitted: int
    recorded: int
    lost: int
    duplicated: int
    recover_seconds: float | None = None
    server_errors: int | None = None  # answers ≥ 500 (the hostile-input barrage counts them)
    peak_rss_mb: float | None = None  # the bot process's VmHWM
    tracebacks: int | None = None  # in the bot's log (the barrage: junk must be one warning line, not a traceback)
    # Not recorded when the wait ended, but still under way in the bot (an action waiting for its next try, an
    # event not processed yet, a task not posted yet): late, not lost. Not in `recorded`, not in `lost`.
    late: int = 0

    def cells(self) -> list[str]:
        recover = "-" if self.recover_seconds is None else f"{self.recover_seconds:.1f} s"
        errors = "-" if self.server_errors is None else str(self.server_errors)
        rss = "-" if self.peak_rss_mb is None else f"{self.peak_rss_mb:.0f} MB"
        lost = f"{self.lost} (+{self.late} late)" if self.late else str(self.lost)
        return [self.scenario, str(self.submitted), str(self.recorded), lost, str(self.duplicated), recover,
                errors, rss]

    @property
    def clean(self) -> bool:
        """Late is not clean either: the row did not show the work done within its wait."""
        return (self.lost == 0 and self.late == 0 and self.duplicated == 0 and not self.server_errors
                and not self.tracebacks)


def table(rows: list[Row]) -> str:
    head = ["scenario", "actions submitted", "recorded", "lost", "duplicated", "time to recover", "5xx",
            "bot peak RSS"]
    lines = [head] + [r.cells() for r in rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    fmt = lambda cells: "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths)) + " |"  # noqa: E731
    return "\n".join([fmt(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|"] + [fmt(r) for r in lines[1:]])


def count_by_batch(katana: FakeKatana, batches: list[str]) -> Row:
    """Recorded / lost / duplicated, from the productions Katana holds for each action's batch."""
    batch_ids = {b["id"]: b["batch_number"] for b in katana.batches.values()}
    per_batch = Counter(batch_ids.get(p.get("_batch_id")) for p in katana.productions.values() if not p["deleted_at"])
    recorded = sum(1 for b in batches if per_batch[b] >= 1)
    duplicated = sum(max(per_batch[b] - 1, 0) for b in batches)
    return Row("", len(batches), recorded, len(batches) - recorded, duplicated)


async def until(done: Callable[[], bool], timeout: float) -> float | None:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if done():
            return time.monotonic() - started
        await asyncio.sleep(0.1)
    return None


class ServedFloor:
    """Fakes in this process, the bot as its own process."""

    def __init__(self, **env: str) -> None:
        self.katana = FakeKatana(validator=spec_validator(required=False))
        self.slack = FakeSlack()
        self.env = env
        self.used: set[str] = set()

    async def __aenter__(self) -> ServedFloor:
        await self.katana.start()
        await self.slack.start()
        files = {"SLACK_FILES_URL": self.slack.base_url}  # photos for /receive come from the fake Slack
        self.bot = BotProcess(bot_env(self.katana, self.slack, **{**FAST_WORKER, **files, **self.env}))
        await self.bot.start()
        self.katana.subscribe(f"{self.bot.url}/webhooks/katana", ["manufacturing_order.created",
                              "manufacturing_order.done", "manufacturing_order_operation_row.completed"],
                              token=WEBHOOK_TOKEN)
        self.user = SlackWorkspace(events_url=f"{self.bot.url}/slack/events", signing_secret=SIGNING_SECRET,
                                   slack=self.slack)
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.user.close()
        await self.bot.stop()
        await self.slack.stop()
        await self.katana.stop()

    async def open_cook_form(self) -> dict[str, Any]:
        """Type /cook and return the form Slack shows (after "Loading…" when the bot had to ask Katana)."""
        await self.user.slash_command(ANA, "/cook")
        return await self.opened("cook_form")

    async def opened(self, callback_id: str) -> dict[str, Any]:
        """The newest modal with `callback_id` not handed out before."""
        for _ in range(500):
            for view_id, view in self.slack.views.items():
                if view.get("callback_id") == callback_id and view_id not in self.used:
                    self.used.add(view_id)
                    return view
            await asyncio.sleep(0.02)
        raise TimeoutError(f"no {callback_id} opened")


async def gather_bounded(work: list[Awaitable[Any]], limit: int) -> list[Any]:
    gate = asyncio.Semaphore(limit)

    async def one(item: Awaitable[Any]) -> Any:
        async with gate:
            return await item
    return await asyncio.gather(*(one(w) for w in work))


# ---- 1. Katana outage during N actions ------------------------------------------------------------

async def katana_outage(actions: int, outage: float) -> Row:
    async with ServedFloor() as floor:
        forms = [await floor.open_cook_form() for _ in range(actions)]
        batches = [f"OUT-{i:04d}" for i in range(actions)]
        floor.katana.go_down()
        await gather_bounded([floor.user.submit_view(ANA, form, {"mo": str(MO101_ID if i % 2 else MO102_ID),
                                                                  "quantity": "1", "batch": batch, "crate": "C-1"})
                              for i, (form, batch) in enumerate(zip(forms, batches))], 10)
        await asyncio.sleep(outage)
        floor.katana.come_up()
        recover = await until(lambda: count_by_batch(floor.katana, batches).recorded == actions, timeout=300)
        await asyncio.sleep(1.0)  # anything doubled would show up now
        row = count_by_batch(floor.katana, batches)
        row.scenario, row.recover_seconds = f"Katana down {outage:g} s during {actions} /cook", recover
        return row


# ---- 2. kill -9 inside and between each /cook step -------------------------------------------------

CRASH_POINTS: list[tuple[str, str | None, str]] = [  # (step, method, path hung so the kill lands mid-request)
    ("load_order", "GET", "/manufacturing_orders/"), ("find_operation", "GET", "/manufacturing_order_operation_rows"),
    ("identify_operator", "GET", "/operators"), ("note_on_order", "PATCH", "/manufacturing_orders/"),
    ("ensure_batch", "POST", "/batches"), ("record_production", "POST", "/manufacturing_order_productions"),
    ("complete_operation", "PATCH", "/manufacturing_order_operation_rows"), ("advance_chain", None, ""),
]


async def crash_once(step: str, method: str | None, path: str) -> tuple[Row, float | None]:
    from datetime import timedelta

    from commands.chain import post_unposted

    async with shop_floor(spec_required=False) as shop:
        shop.bot.recorder.lease = timedelta(seconds=0.5)
        shop.bot.recorder.grace = timedelta(seconds=0.4)  # > the 0.3 s a killed request still takes to land
        shop.store.tasks.posting_stale = timedelta(seconds=0.5)  # 30 s by default
        mo = shop.katana.create_manufacturing_order(variant_id=SOUP_VARIANT_ID, planned_quantity=50, sales_order_id=SO7_ID)
        form = await shop.form_from_task(ANA, f"Cook task: {mo['order_no']}")
        if method == "GET":  # the order changed since its task was made: the bot reads its rows again too
            shop.katana.note_in_app(mo["id"], "Supervisor: use the small kettle")
            await shop.settle()
        if method:  # Katana takes 0.3 s over this request, so the kill lands while it is in flight
            shop.katana.fail_next(1, method=method, path_prefix=path, hang=0.3)
        await shop.workspace.submit_view(ANA, form, {"quantity": "50", "batch": f"KILL-{step}", "crate": "C-9"})
        await wait_for_step(shop, step, running=method is not None)
        await shop.crash_and_restart()
        shop.bot.recorder.lease, shop.bot.recorder.grace = timedelta(seconds=0.5), timedelta(seconds=0.4)
        started = time.monotonic()
        await asyncio.sleep(1.0)  # the dead worker's lease and grace (0.9 s here, 65 s by default) run out
        await shop.bot.recorder.resume_due()  # the new process's worker sweeps
        await post_unposted(shop.bot.floor)
        await shop.settle()
        productions = count_by_batch(shop.katana, [f"KILL-{step}"])
        labels = len(shop.messages_with(f"Label task: {mo['order_no']}"))
        notes = notes_for(shop, mo["id"], f"KILL-{step}")
        whole = productions.recorded == 1 and labels >= 1 and notes >= 1  # production, follow-up and note
        extra = productions.duplicated + max(labels - 1, 0) + max(notes - 1, 0)
        return Row(step, 1, int(whole), int(not whole), extra), time.monotonic() - started


def notes_for(shop: Sandbox, mo_id: int, batch: str) -> int:
    return (shop.katana.manufacturing_orders[mo_id].get("additional_info") or "").count(f"batch {batch},")


async def wait_for_step(shop: Sandbox, step: str, *, running: bool) -> None:
    wanted = "running" if running else "done"
    for _ in range(300):
        action = await shop.store.db["floor_actions"].find_one({})
        states = {s["_id"]: s["state"] for s in (action or {}).get("steps", [])}
        if states.get(step) == wanted or (not running and step == "advance_chain"
                                          and states.get("complete_operation") == "done"):
            return
        await asyncio.sleep(0.01)
    raise TimeoutError(f"step {step} never became {wanted}")


async def crash_at_each_step() -> Row:
    total = Row(f"kill -9 inside/after each of the {len(CRASH_POINTS)} /cook steps, restart", 0, 0, 0, 0, 0.0)
    for step, method, path in CRASH_POINTS:
        row, recover = await crash_once(step, method, path)
        total.submitted += 1
        total.recorded += row.recorded
        total.lost += row.lost
        total.duplicated += row.duplicated
        total.recover_seconds = max(total.recover_seconds or 0.0, recover or 0.0)
    return total


# ---- 3. webhook storm: duplicates and shuffled order -----------------------------------------------

def storm_deliveries(katana: FakeKatana, count: int, duplicate_share: float,
                     rng: random.Random) -> tuple[list[bytes], set[str], list[dict[str, Any]]]:
    """`count` MO webhooks, `duplicate_share` of them repeats of another, shuffled: (bodies in delivery
    order, order numbers that should get a cook task, MOs already done). Two in five MOs are done in
    Katana and send `created` and `done`, the others `created` only; the orders are sized so that the
    distinct payloads are exactly the rest of `count`."""
    distinct = max(1, round(count * (1 - duplicate_share)))
    orders = [katana.create_manufacturing_order(variant_id=rng.choice([SOUP_VARIANT_ID, CHILI_VARIANT_ID]),
                                                planned_quantity=10) for _ in range(max(1, round(distinct / 1.4)))]
    finished = orders[: max(0, distinct - len(orders))]
    for mo in finished:
        katana.finish_order_in_app(mo["id"], 10)
    bodies = [payload("manufacturing_order.created", mo) for mo in orders]
    bodies += [payload("manufacturing_order.done", mo) for mo in finished]
    bodies += [rng.choice(bodies) for _ in range(count - len(bodies))]  # the repeats
    rng.shuffle(bodies)
    return bodies, {mo["order_no"] for mo in orders if mo not in finished}, finished


async def webhook_storm(deliveries: int, duplicate_share: float = 0.3, seed: int = 7) -> Row:
    async with ServedFloor() as floor:
        floor.katana.webhooks.clear()  # we deliver ourselves, shuffled
        events, expected, finished = storm_deliveries(floor.katana, deliveries, duplicate_share, random.Random(seed))
        async with aiohttp.ClientSession() as http:
            started = time.monotonic()
            statuses = await gather_bounded([deliver(http, floor.bot.url, e) for e in events], 50)
        # The bot posts each cook task (these runs: Katana at 6,000 calls a minute, Slack at any pace), so
        # the wait grows with the storm: 120 s plus 60 ms a distinct event, room for a loaded machine.
        wait = 120 + 0.06 * len(set(events))
        recover = await until(lambda: cook_tasks(floor.slack, expected)[0] == len(expected), timeout=wait)
        await asyncio.sleep(1.0)
        present, doubled = cook_tasks(floor.slack, expected)
        open_for_done = sum(1 for mo in finished if open_cook_message(floor.slack, mo["order_no"]))
        # A cook task for an MO that was already done would be a phantom record: counted as duplicated.
        row = Row(f"{len(events)} webhooks, {duplicate_share:.0%} duplicates, shuffled "
                  f"({len(expected)} open MOs → cook tasks)", len(events),
                  present, len(expected) - present, doubled + open_for_done,
                  (recover or 0) + (time.monotonic() - started) if recover is not None else None)
        assert all(s == 200 for s in statuses), Counter(statuses)
        return row


def payload(event: str, mo: dict[str, Any]) -> bytes:
    return json.dumps({"resource_type": "manufacturing_order", "action": event, "webhook_id": 1,
                       "object": {"id": mo["id"], "status": mo["status"]}}).encode()


async def deliver(http: aiohttp.ClientSession, url: str, body: bytes, headers: dict[str, str] | None = None) -> int:
    signature = hmac.new(WEBHOOK_TOKEN.encode(), body, hashlib.sha256).hexdigest()
    async with http.post(f"{url}/webhooks/katana", data=body,
                         headers={"x-sha2-signature": signature, **(headers or {})}) as reply:
        return reply.status


def cook_tasks(slack: FakeSlack, expected: set[str]) -> tuple[int, int]:
    posted = Counter(m["text"].split(": ", 1)[1] for m in slack.messages if m.get("text", "").startswith("Cook task: "))
    return sum(1 for no in expected if posted[no]), sum(max(n - 1, 0) for n in posted.values())


def open_cook_message(slack: FakeSlack, order_no: str) -> bool:
    return any(m.get("text") == f"Cook task: {order_no}" for m in slack.messages)


# ---- 4. fuzzed submissions ---------------------------------------------------------------------------

NASTY = {  # per field; batch values are always invalid because each action is counted by its own batch
    "quantity": ["", " ", "0", "-1", "abc", "1e3", "NaN", "1.000001", "1000001", "12,5", "٣", "9" * 40, None, "99999"],
    "batch": ["", " ", "x;y", "٣", "B" * 41, None, "<b>"],
    "mo": ["", "99999", "-1", "abc", None, str(MO102_ID) + " "],
    "crate": ["", " ", "x" * 300, "c;d", None, "C-OK"],
}


def stock_for_a_long_shift(katana: FakeKatana) -> None:
    """Rows that cook hundreds of soups count what the bot does, not the pantry: the seed's old olive-oil batch
    (0.8 l, the one a cook task suggests first) runs out after eight soups of 10, and Katana then refuses the
    production, rightly (the person is told). Each batch in stock gets plenty more."""
    for record in list(katana.batch_stocks.values()):
        record["quantity_in_stock"] += Decimal(100_000)


async def fuzzed_submissions(count: int, seed: int = 11) -> Row:
    rng = random.Random(seed)
    async with ServedFloor() as floor:
        stock_for_a_long_shift(floor.katana)
        valid_batches: list[str] = []
        refused_batches: list[str] = []
        for i in range(count):
            form = await floor.open_cook_form()
            valid = rng.random() < 0.3
            batch = f"FZ-{i:04d}"
            values = {"mo": str(MO101_ID), "quantity": str(rng.randint(1, 50)), "batch": batch, "crate": "C-1"}
            if not valid:
                field = rng.choice(sorted(NASTY))
                values[field] = rng.choice(NASTY[field])
            reply = await floor.user.submit_crafted(ANA, form, crafted_state_values(form, values))
            accepted = (reply.json or {}).get("response_action") == "update"
            (valid_batches if accepted else refused_batches).append(values["batch"] if accepted else batch)
        recover = await until(lambda: count_by_batch(floor.katana, valid_batches).recorded == len(valid_batches), 120)
        await asyncio.sleep(1.0)
        row = count_by_batch(floor.katana, valid_batches)
        row.scenario = f"{count} fuzzed /cook submissions ({len(valid_batches)} valid)"
        row.submitted, row.recover_seconds = count, recover
        # A refused submission must leave no trace in Katana: a batch or production under its number counts.
        refused = set(refused_batches)
        row.duplicated += sum(1 for b in floor.katana.batches.values() if b["batch_number"] in refused)
        row.duplicated += count_by_batch(floor.katana, refused_batches).recorded
        return row
