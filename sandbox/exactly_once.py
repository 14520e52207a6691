"""A stateful search for interleavings that record twice, lose a record, or leave Katana and the bot
disagreeing (issue 14).

Hypothesis drives the real bot (the production `ShopfloorBot` behind its HTTP endpoints, signed Slack
requests, signed Katana webhooks, the loopback Katana) through random sequences of: people opening and
submitting Record from tasks (two at once, a Slack retry of the same submission), task timers, the
author's Undo, supervisors' Cancel with Undo in Katana or Keep, notes typed in Katana's own app, Katana's
webhooks delivered again, Katana down, worker sweeps, a kill -9 and restart, and store errors injected
at the driver's boundary (`sandbox.flaky_store`) during any of them. After every step the floor is let
settle (faults off, the worker's sweeps run, time moved on) and the invariants are checked:

- each production in Katana belongs to exactly one recorded action that was not taken back;
- a task's stage is recorded at most once (another batch only as the explicit choice);
- no operation row of a stage recorded (and not undone) is anything but COMPLETED;
- every note a person typed in Katana is still on the MO;
- every action ends recorded, taken back, or with the supervisors (failed);
- no task is both open and recorded.

The leases run on a clock the machine moves (`LocalClock` with its own wall time): a restart is
followed by more than a lease and its grace, so the new worker takes over at once.
`make test` runs a few examples (tests/test_exactly_once.py); `make faults` many more.
"""
from __future__ import annotations

import asyncio
import os
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from commands import chain, timers
from models.clock import LocalClock
from sandbox.flaky_store import Faults, flaky_store
from sandbox.harness import FLOOR, Sandbox, shop_floor
from sandbox.katana_seed import SOUP_VARIANT_ID

ANA, BEN, SUE = "U0ANA", "U0BEN", "U0SUP"
PEOPLE = (ANA, BEN)
QUANTITIES = st.sampled_from([10, 10, 30, 45])  # few, so that two cooks of one order often agree
STORE_ERRORS = st.sampled_from([0.0, 0.0, 0.1, 0.3])
LOST = st.sampled_from(["no", "before Katana booked it", "after Katana booked it"])  # the POST's answer
SUPERVISOR_CHANNEL = "C0SUPER"


class Clock:
    """The wall time the store's leases run on; the machine moves it on."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def move(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


async def together(*work: Any) -> None:
    """Two requests in flight at once (gathered inside the machine's loop)."""
    await asyncio.gather(*work)


def settled(check: Callable[[FloorMachine], None]) -> Callable[[FloorMachine], None]:
    """An invariant holds once the floor settled: while an action waits for its retry, Katana may
    hold a production whose answer it has not had yet."""
    def run(machine: FloorMachine) -> None:
        if not machine.unsettled:
            check(machine)
    run.__name__ = check.__name__
    return run


class FloorMachine(RuleBasedStateMachine):
    """The floor, its settling, the rules both searches share (typed cooks with lost answers, worker
    sweeps, Undo, kill -9) and the invariants."""

    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.faults, self.clock = Faults(), Clock()
        self.floor_cm = shop_floor(store=flaky_store(self.faults, clock=LocalClock(self.clock)),
                                   supervisor_channel=SUPERVISOR_CHANNEL, supervisors=SUE)
        self.shop: Sandbox = self.run(self.floor_cm.__aenter__())
        self.shop.bot.recorder.grace = timedelta(seconds=1)
        self.mos: list[dict[str, Any]] = []
        self.forms: list[tuple[str, dict[str, Any]]] = []  # (who, the form) opened, maybe submitted
        self.notes: list[tuple[int, str]] = []  # typed by people in Katana's app
        self.trace: list[str] = []  # the steps taken (EXACTLY_ONCE_TRACE=1 prints them)
        self.unsettled = False  # an action waits for its retry while people go on (checked once settled)
        self.waiting: tuple[dict[str, Any], int] | None = None  # the order and quantity of a cook that waits

    def run(self, work: Any) -> Any:
        return self.loop.run_until_complete(work)

    def teardown(self) -> None:
        if os.environ.get("EXACTLY_ONCE_TRACE"):
            print("steps:", " ".join(self.trace), "| productions", len(self.shop.katana.productions))
        try:
            self.run(self.floor_cm.__aexit__(None, None, None))
        finally:
            self.loop.close()

    # ---- letting the floor settle ---------------------------------------------------------------

    async def settle(self) -> None:
        """Faults off, then the worker's sweeps until nothing is left to do, time moving on."""
        self.unsettled, self.waiting = False, None
        self.faults.rule = lambda call: False
        self.shop.katana.come_up()
        for _ in range(4):
            await self.shop.settle()
            self.clock.move(3600)  # every retry time has come; every dead worker's lease is long out
            bot = self.shop.bot
            await bot.recorder.resume_due()
            await timers.sweep(bot.floor)
            await bot.events.retry_due()
            await chain.post_unposted(bot.floor)
        await self.shop.settle()

    def flaky(self, seed: int, rate: float) -> None:
        chance = random.Random(seed)
        self.faults.rule = lambda call: call.method != "create_index" and chance.random() < rate

    # ---- what people and machines do ------------------------------------------------------------

    @initialize(quantities=st.lists(st.integers(1, 60), min_size=2, max_size=2))
    def two_orders(self, quantities: list[int]) -> None:
        for quantity in quantities:
            self.add_order(quantity)

    def add_order(self, quantity: int) -> None:
        self.trace.append("new_order")
        mo = self.shop.katana.create_manufacturing_order(variant_id=SOUP_VARIANT_ID, planned_quantity=quantity)
        self.mos.append(mo)
        self.run(self.settle())

    @precondition(lambda self: self.mos)
    @rule(who=st.sampled_from(PEOPLE), which=st.integers(0, 20), quantity=QUANTITIES, seed=st.integers(0, 2**16),
          lost=LOST, rate=STORE_ERRORS)
    def cook_typed(self, who: str, which: int, quantity: int, seed: int, lost: str, rate: float) -> None:
        """/cook typed for an order (no task): several cooks of one order, often of the same quantity.
        A lost answer leaves that action waiting for its retry while the next rules run."""
        self.cook(who, self.mos[which % len(self.mos)], quantity, seed, lost, rate)

    @precondition(lambda self: self.waiting is not None)
    @rule(who=st.sampled_from(PEOPLE), same_quantity=st.booleans(), seed=st.integers(0, 2**16), lost=LOST,
          rate=STORE_ERRORS)
    def cook_the_waiting_order(self, who: str, same_quantity: bool, seed: int, lost: str, rate: float) -> None:
        """Another cook of the order whose cook waits for its retry: its retry must find its own
        production, not this one (both of one quantity, neither naming its batch in Katana's answer)."""
        mo, quantity = self.waiting or ({}, 0)
        self.cook(who, mo, quantity if same_quantity else quantity + 1, seed, lost, rate)

    def cook(self, who: str, mo: dict[str, Any], quantity: int, seed: int, lost: str, rate: float,
             *, beside: Any = None) -> None:
        """Type /cook and submit it, the POST's answer lost as `lost` says, the store failing at `rate`,
        `beside` (a coroutine: the worker's retries) running at the same time as the submission."""
        self.trace.append(f"cook({who[-3:]},{mo['order_no']},{quantity},lost={lost},store={rate})")
        if lost != "no":
            self.shop.katana.fail_next(1, status=500, method="POST", path_prefix="/manufacturing_order_productions",
                                       apply_first=lost.startswith("after"))
        form = self.run(self.shop.form_from_command(who, "/cook"))
        self.flaky(seed, rate)
        submitted = self.shop.workspace.submit_view(who, form, {"mo": str(mo["id"]), "quantity": str(quantity),
                                                                "batch": f"K{seed % 997}", "crate": "C-2"})
        self.run(together(submitted, *([beside] if beside is not None else [])))
        self.run(self.shop.settle())  # the bot answered; its worker's retry is not due yet
        self.faults.rule = lambda call: False
        self.unsettled = True
        if lost != "no":
            self.waiting = (mo, quantity)

    @precondition(lambda self: self.unsettled)
    @rule()
    def worker_sweeps(self) -> None:
        self.trace.append("worker_sweeps")
        self.run(self.settle())

    @rule(who=st.sampled_from(PEOPLE), which=st.integers(0, 20), seed=st.integers(0, 2**16),
          rate=st.sampled_from([0.0, 0.2, 0.5]))
    def undo(self, who: str, which: int, seed: int, rate: float) -> None:
        self.trace.append("undo")
        offers = [m for m in self.shop.slack.messages if "action_author_undo" in str(m.get("blocks"))]
        if offers:
            message = self.shop.slack.find_message(offers[which % len(offers)]["channel"],
                                                   offers[which % len(offers)]["ts"])
            if message is not None and "action_author_undo" in str(message.get("blocks")):
                self.flaky(seed, rate)
                self.run(self.shop.workspace.click_button(who, message, "action_author_undo",
                                                          channel_id=message["channel"]))
                self.run(self.settle())

    @rule()
    def kill_and_restart(self) -> None:
        self.trace.append("kill_and_restart")
        self.run(self.shop.crash_and_restart())
        self.shop.bot.recorder.grace = timedelta(seconds=1)
        self.run(self.settle())

    # ---- what must hold -------------------------------------------------------------------------

    def actions(self) -> list[dict[str, Any]]:
        return self.run(self.shop.store.db["floor_actions"].find({}).to_list(None))

    def taken_back(self, actions: list[dict[str, Any]]) -> set[str]:
        return {a["input"]["original"] for a in actions if a["command"] == "undo" and a["status"] == "recorded"
                and a["input"].get("kind") in ("author", "undo_in_katana")}

    @invariant()
    @settled
    def each_production_belongs_to_one_live_recording(self) -> None:
        actions = self.actions()
        back = self.taken_back(actions)
        owners: dict[int, list[str]] = {}
        for action in actions:
            for saved in action["steps"]:
                if saved["_id"] == "record_production" and saved.get("result", {}).get("production_id"):
                    owners.setdefault(int(saved["result"]["production_id"]), []).append(action["_id"])
        by_id = {a["_id"]: a for a in actions}
        for production in self.shop.katana.productions.values():
            owner = owners.get(production["id"], [])
            if production["deleted_at"]:
                assert all(a in back for a in owner), f"production {production['id']} deleted, not taken back"
                continue
            assert len(owner) == 1, f"production {production['id']} belongs to {owner}"
            action = by_id[owner[0]]
            assert action["status"] in ("recorded", "failed") and owner[0] not in back, action["_id"]

    @invariant()
    @settled
    def a_tasks_stage_is_recorded_once(self) -> None:
        actions, recorded = self.actions(), {}
        back = self.taken_back(actions)
        for action in actions:
            if (action["command"] == "cook" and action.get("task_id") and action["status"] == "recorded"
                    and not action["input"].get("another_batch") and action["_id"] not in back):
                assert action["task_id"] not in recorded, f"{action['task_id']} recorded twice"
                recorded[action["task_id"]] = action["_id"]

    @invariant()
    @settled
    def recorded_rows_stay_completed_and_tasks_agree(self) -> None:
        actions = self.actions()
        back = self.taken_back(actions)
        for action in actions:
            if action["command"] != "cook" or action["status"] != "recorded" or action["_id"] in back:
                continue
            row = next((s["result"].get("operation_row_id") for s in action["steps"] if s["_id"] == "find_operation"),
                       None)
            if row is not None:
                assert self.shop.katana.operation_rows[row]["status"] == "COMPLETED", f"row {row} reopened"
            # Any cook that stands (from its task, another batch, or typed): the stage is done and the
            # label task it opened is there (an Undo of another cook of the order must not withdraw it).
            task = self.run(self.shop.store.tasks.get(f"cook:{action['mo_id']}"))
            assert task is None or not task.is_open, f"task cook:{action['mo_id']} is open, a cook of it recorded"
            assert self.run(self.shop.store.tasks.get(f"label:{action['mo_id']}")) is not None, (
                f"label:{action['mo_id']} withdrawn, a cook of it recorded")

    @invariant()
    @settled
    def peoples_notes_survive(self) -> None:
        for mo_id, text in self.notes:
            assert text in (self.shop.katana.manufacturing_orders[mo_id].get("additional_info") or ""), text

    @invariant()
    @settled
    def every_action_ends(self) -> None:
        for action in self.actions():
            assert action["status"] in ("recorded", "failed", "cancelled"), (action["_id"], action["status"])


class ExactlyOnce(FloorMachine):
    """The whole floor: tasks, forms kept open, two people at once, timers, Cancel, notes, webhooks."""

    @rule(quantity=st.integers(1, 60))
    def new_order(self, quantity: int) -> None:
        self.add_order(quantity)

    def open_record(self, who: str, which: int) -> None:
        mo = self.mos[which % len(self.mos)]
        if self.shop.messages_with(f"Cook task: {mo['order_no']}"):
            task = self.run(self.shop.message_with(f"Cook task: {mo['order_no']}"))
            if "task_record" in str(task.get("blocks")):
                self.forms.append((who, self.run(self.shop.form_from_task(who, f"Cook task: {mo['order_no']}"))))

    @rule(who=st.sampled_from(PEOPLE), which=st.integers(0, 20))
    def tap_record(self, who: str, which: int) -> None:
        """Open the form and keep it open: it is submitted later, after other things happened."""
        self.trace.append(f"tap_record({who[-3:]},{which})")
        self.open_record(who, which)

    @rule(who=st.sampled_from(PEOPLE), which=st.integers(0, 20), quantity=QUANTITIES,
          seed=st.integers(0, 2**16), rate=st.sampled_from([0.0, 0.0, 0.1, 0.3]), katana_down=st.booleans())
    def record_from_task(self, who: str, which: int, quantity: int, seed: int, rate: float, katana_down: bool) -> None:
        self.trace.append(f"record_from_task({who[-3:]},{which})")
        self.open_record(who, which)
        if self.forms and self.forms[-1][0] == who:
            self.submit(len(self.forms) - 1, quantity, seed, rate, katana_down)

    @rule(which=st.integers(0, 20), seed=st.integers(0, 2**16), rate=st.sampled_from([0.0, 0.1, 0.3]))
    def two_people_record_one_task(self, which: int, seed: int, rate: float) -> None:
        self.trace.append(f"two_people({which})")
        before = len(self.forms)
        for who in PEOPLE:
            self.open_record(who, which)
        opened = self.forms[before:]
        if len(opened) == 2:
            self.flaky(seed, rate)
            self.run(together(*(self.shop.workspace.submit_view(who, form, {"quantity": str(9 + n), "batch": f"P{n}",
                                                                             "crate": "C"})
                                 for n, (who, form) in enumerate(opened))))
            self.run(self.settle())

    @precondition(lambda self: self.forms)
    @rule(which=st.integers(0, 20), quantity=QUANTITIES, seed=st.integers(0, 2**16),
          rate=st.sampled_from([0.0, 0.0, 0.1, 0.3]), katana_down=st.booleans())
    def submit(self, which: int, quantity: int, seed: int, rate: float, katana_down: bool) -> None:
        who, form = self.forms[which % len(self.forms)]
        self.trace.append(f"submit({who[-3:]},{form['id'][-3:]},faults={rate},down={katana_down})")
        self.flaky(seed, rate)
        if katana_down:
            self.shop.katana.go_down()
        values = {"quantity": str(quantity), "batch": f"B{seed % 97}", "crate": "C-1"}
        self.run(self.shop.workspace.submit_view(who, form, values))  # again: a Slack retry of that form
        self.run(self.settle())

    @precondition(lambda self: len(self.forms) >= 2)
    @rule(first=st.integers(0, 20), second=st.integers(0, 20))
    def submit_two_at_once(self, first: int, second: int) -> None:
        self.trace.append("submit_two_at_once")
        one, other = self.forms[first % len(self.forms)], self.forms[second % len(self.forms)]
        if one[1]["id"] == other[1]["id"]:
            return
        self.run(together(*(self.shop.workspace.submit_view(w, f, {"quantity": "10", "batch": "T", "crate": "C"})
                            for w, f in (one, other))))
        self.run(self.settle())

    @rule(which=st.integers(0, 20), seed=st.integers(0, 2**16), rate=st.sampled_from([0.0, 0.2]))
    def choose_what_the_form_offers(self, which: int, seed: int, rate: float) -> None:
        """Another batch / record it again: a form the bot turned into a choice, confirmed."""
        self.trace.append("choose_what_the_form_offers")
        choices = [v for v in self.shop.slack.views.values() if str(v.get("callback_id", "")).endswith("_confirm")]
        if choices:
            view = choices[which % len(choices)]
            self.flaky(seed, rate)
            self.run(self.shop.workspace.submit_view(self.owner(view), view, {}))
            self.run(self.settle())

    def owner(self, view: dict[str, Any]) -> str:
        return next((who for who, form in self.forms if form["id"] == view["id"]), ANA)

    @precondition(lambda self: self.mos)
    @rule(who=st.sampled_from(PEOPLE), which=st.integers(0, 20))
    def start_timer(self, who: str, which: int) -> None:
        self.trace.append("start_timer")
        mo = self.mos[which % len(self.mos)]
        found = self.shop.messages_with(f"Cook task: {mo['order_no']}")
        if found and "task_start" in str(self.shop.slack.find_message(FLOOR, found[-1]["ts"])):
            current = self.shop.slack.find_message(FLOOR, found[-1]["ts"])
            self.run(self.shop.workspace.click_button(who, current, "task_start", channel_id=FLOOR))
            self.run(self.settle())

    @rule(which=st.integers(0, 20), then=st.sampled_from(["action_undo", "action_keep"]),
          seed=st.integers(0, 2**16), rate=st.sampled_from([0.0, 0.3]))
    def supervisor_cancels(self, which: int, then: str, seed: int, rate: float) -> None:
        self.trace.append("supervisor_cancels")
        asks = [m for m in self.shop.slack.messages if m["channel"] == SUPERVISOR_CHANNEL
                and "action_cancel" in str((self.shop.slack.find_message(m["channel"], m["ts"]) or {}).get("blocks"))]
        if asks:
            message = self.shop.slack.find_message(SUPERVISOR_CHANNEL, asks[which % len(asks)]["ts"])
            self.run(self.shop.workspace.click_button(SUE, message, "action_cancel", channel_id=SUPERVISOR_CHANNEL))
            self.run(self.settle())
            preview = self.shop.slack.find_message(SUPERVISOR_CHANNEL, message["ts"])
            if preview is not None and then in str(preview.get("blocks")):
                self.flaky(seed, rate)
                self.run(self.shop.workspace.click_button(SUE, preview, then, channel_id=SUPERVISOR_CHANNEL))
                self.run(self.settle())

    @precondition(lambda self: self.mos)
    @rule(which=st.integers(0, 20), words=st.sampled_from(["allergen check pending", "use the small kettle",
                                                            "QA: hold two jars back"]))
    def note_in_katana(self, which: int, words: str) -> None:
        self.trace.append("note_in_katana")
        mo = self.mos[which % len(self.mos)]
        text = f"{words} #{len(self.notes)}"
        self.shop.katana.note_in_app(mo["id"], text)
        self.notes.append((mo["id"], text))
        self.run(self.settle())

    @rule(n=st.integers(1, 4))
    def katana_repeats_webhooks(self, n: int) -> None:
        self.trace.append("katana_repeats_webhooks")
        self.run(self.shop.katana.redeliver_last(n))
        self.run(self.settle())


class SeveralCooks(FloorMachine):
    """One of two orders cooked again and again by /cook typed, in few quantities: answers lost before
    or after Katana booked the production, store errors, the worker retrying while the next cook is
    submitted, Undo and kill -9 in between. It found a retry adopting another cook's production of the
    same order and quantity (the cook marked recorded, never written), and an Undo of a further cook
    reopening the task another cook had recorded."""

    @precondition(lambda self: self.unsettled)
    @rule(who=st.sampled_from(PEOPLE), which=st.integers(0, 20), quantity=QUANTITIES, seed=st.integers(0, 2**16),
          lost=LOST, rate=STORE_ERRORS)
    def cook_while_the_worker_retries(self, who: str, which: int, quantity: int, seed: int, lost: str,
                                      rate: float) -> None:
        self.clock.move(3600)  # the waiting actions' retry time has come
        self.cook(who, self.mos[which % len(self.mos)], quantity, seed, lost, rate,
                  beside=self.shop.bot.recorder.resume_due())
