"""What a Katana event means for the floor.

Payloads are thin references and can arrive twice, late or out of order, so every handler
re-reads the resource from Katana and acts on its *current* state; the chain's one-task-per-stage
rule makes a repeated or reordered event converge to the same tasks. Handlers are chosen by resource,
not by event name: with overlapping subscriptions Katana sends one change as identical payloads, and the
copy that survives dedup may carry either name (`.updated` for an MO that is now DONE).
"""
from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from commands.chain import open_task, order_deleted, order_done, order_ref, stage_finished
from commands.context import Floor
from commands.operations import pick_operation
from commands.steps import complete_operation
from integrations.katana.errors import KatanaError, KatanaNotFound, KatanaRateLimited, KatanaUnavailable
from models.base import utcnow, whole_number
from models.events import EVENT_HOLD, KatanaEvent
from models.open_orders import Kind
from models.tasks import TaskKind

log = logging.getLogger(__name__)

RETRY_DELAYS = (30, 120, 600, 1800)  # then give up; the event keeps its error for the audit
STALE_READ_DELAYS = (0.5, 1.0, 2.0)  # reads right after a webhook can lag Katana's own write
# Answering Katana comes first: while deliveries keep arriving, processing waits for a quiet moment
# (QUIET_SECONDS without one), never longer than MAX_DEFER_SECONDS per event, so a steady stream still
# gets its tasks. Processing reads Katana and posts to Slack: CPU on the loop that answers (bench row 3).
# During such a stream the runners take turns, one event every STORM_PACE: four events started together
# added their work to every delivery in flight at once (bench row 3's p99). A stream that never pauses
# still gets two tasks a second; the rest follow, `concurrency` at a time, when it pauses.
QUIET_SECONDS = 0.05
MAX_DEFER_SECONDS = 1.0
STORM_PACE = 0.5
# The worker's sweep reads every waiting event (in the in-memory store a scan: ~50 ms over 7,000 events,
# the loop held while Katana waited); during a stream new events are queued as they arrive, so the sweep
# runs at most every STORM_SWEEP_SECONDS until the stream pauses. Repeats answered from memory are
# written when it pauses, and at least as often.
STORM_SWEEP_SECONDS = 60.0
OWN_COMPLETION_WINDOW = timedelta(minutes=15)  # a floor action this recent may be the event's cause
OWN_OUTCOME_WAIT = 10.0  # seconds to wait for that action's outcome before reading Katana as usual

Handler = Callable[[Floor, KatanaEvent], Awaitable[str]]


async def fresh_read(read: Callable[[], Awaitable[Any]], ready: Callable[[Any], bool] = lambda _: True) -> Any:
    """Read until Katana shows the state the webhook announced (bounded: ~3.5 s)."""
    for delay in (*STALE_READ_DELAYS, None):
        try:
            found = await read()
            if ready(found) or delay is None:
                return found
        except KatanaNotFound:
            if delay is None:
                raise
        await asyncio.sleep(delay or 0)


async def sku_of(floor: Floor, variant_id: int) -> str | None:
    try:
        return await floor.orders.sku(variant_id)
    except KatanaError:
        return None  # a task without SKU is still a task


def announced(event: KatanaEvent) -> str | None:
    """The status the payload says the resource had when Katana sent it (`object.status`), if any."""
    status = (event.payload.get("object") or {}).get("status")
    return status if isinstance(status, str) else None


def verb(event: KatanaEvent) -> str:
    return event.event.rsplit(".", 1)[-1]


FLOOR_STAGES: tuple[TaskKind, ...] = ("cook", "label", "pack")  # commands.steps.STAGE_ORDER, as task kinds


def current_stage(rows: list[Any]) -> TaskKind | None:
    """The first floor stage the MO has not completed in Katana; cook when its routing names none."""
    found = [(stage, pick_operation(rows, stage)) for stage in FLOOR_STAGES]
    if not any(row for _, row in found):
        return "cook"
    return next((stage for stage, row in found if row is not None and row.status != "COMPLETED"), None)


async def mo_event(floor: Floor, event: KatanaEvent) -> str:
    """Any MO event, whatever its name. With overlapping subscriptions one change arrives as identical
    payloads and the copy dedup keeps may say `.updated` rather than `.done` (Katana's docs), so the MO is
    read and its current state decides. A read is spent only where it can matter to the floor: the event
    announces DONE (or no status), it is a creation, or the bot has no open task for the MO. The open orders
    the forms search follow that read; without one, the light re-sync (bot/app.py) catches up."""
    if whole_number(event.object_id) is None:
        return "no MO id"
    if verb(event) == "deleted":  # (no read: `href` is absent, the order is gone)
        closed = await order_deleted(floor, int(event.object_id))
        return f"no longer offered; closed {len(closed)} task(s)"
    finishing = verb(event) == "done" or announced(event) in (None, "DONE")
    if not finishing and verb(event) != "created" and await floor.store.tasks.open_for_order(int(event.object_id)):
        return "left to the open orders' re-sync"
    read_at = utcnow()
    mo = await fresh_read(lambda: floor.katana.manufacturing.get_order(int(event.object_id)),
                          (lambda m: m.status == "DONE") if finishing else (lambda _: True))
    await floor.orders.sync.taken("mo", mo, read_at)  # offered while open, no longer once done
    if mo.status == "DONE":
        closed = await order_done(floor, order_ref(mo, await sku_of(floor, mo.variant_id)))
        return f"{mo.order_no} done; closed {len(closed)} task(s)"
    if finishing and verb(event) != "created":
        return f"{mo.order_no} is {mo.status} now: tasks left open"
    return await open_current_stage(floor, mo)


async def open_current_stage(floor: Floor, mo: Any) -> str:
    """The task for the stage the MO is at: cook for a new one; a later one for an MO that was worked on in
    Katana before the bot heard of it (a late `created`), never a stage already completed."""
    # Read (and remember) its operation rows now, off the floor's path: /cook from the task then needs
    # no read at all while nothing changes the order (models.order_memory, bench row 2).
    stage = current_stage(await floor.katana.manufacturing.operation_rows(mo.id))
    if stage is None:
        return f"{mo.order_no} has every floor stage completed in Katana: no task"
    if stage == "cook":
        await remember_recipe(floor, mo)
    task, created = await open_task(floor, order_ref(mo, await sku_of(floor, mo.variant_id)), stage, source="webhook")
    return f"{stage} task {task.id} {'created' if created else 'already existed'}"


async def remember_recipe(floor: Floor, mo: Any) -> None:
    """The ingredients and their batches in stock, read now so the /cook form shows them without a Katana
    call (commands.ingredients). Without them the task still opens; the recording reads the recipe itself."""
    try:
        await floor.katana.recipes.read(mo.id, mo.location_id)
    except KatanaError as exc:
        log.warning("could not read the recipe of %s for its cook task: %s", mo.order_no, exc.user_message)


async def completed_by_the_floor(floor: Floor, row_id: int) -> bool:
    """Did a floor action of the bot's complete this row, and advance the chain itself?

    Katana announces the bot's own completions too; reading the row, its order, the order's rows and
    the variant to learn that would spend four calls of the budget on every /cook. The event arrives
    while the action is still noting the crate, so its outcome is waited for (briefly); an action
    that did not end recorded leaves the advancing to this event, as before."""
    since = utcnow() - OWN_COMPLETION_WINDOW
    for _ in range(int(OWN_OUTCOME_WAIT / 0.2)):
        action = await floor.store.actions.completing_row(row_id, since, complete_operation.name)
        if action is None or action.status in ("failed", "cancelled", "waiting"):
            return False
        if action.status == "recorded":
            return True
        await asyncio.sleep(0.2)
    return False


async def operation_completed(floor: Floor, event: KatanaEvent) -> str:
    if whole_number(event.object_id) is not None and await completed_by_the_floor(floor, int(event.object_id)):
        return f"operation row {event.object_id} was completed from Slack; that action advanced the chain"
    row = await fresh_read(lambda: floor.katana.manufacturing.get_operation_row(int(event.object_id)),
                           lambda r: r.status == "COMPLETED")
    if row.status != "COMPLETED":
        return f"operation row {row.id} is {row.status} now: nothing to advance"
    mo = await floor.katana.manufacturing.get_order(row.manufacturing_order_id)
    rows = await floor.katana.manufacturing.operation_rows(mo.id)
    stage = next((s for s in ("cook", "label", "pack") if (r := pick_operation(rows, s)) and r.id == row.id), None)
    if stage is None:
        return f"operation {row.operation_name!r} is not a floor stage"
    people = [operator_name(o) for o in (row.completed_by_operators or [])]
    opened = await stage_finished(floor, order_ref(mo, await sku_of(floor, mo.variant_id or 0)), stage,
                                  by=", ".join(p for p in people if p) or "Katana", source="webhook")
    return f"{stage} finished for {mo.order_no}; next task {opened.id if opened else 'none'}"


def operator_name(operator: Any) -> str | None:
    if isinstance(operator, dict):
        return operator.get("name") or operator.get("operator_name")
    return getattr(operator, "name", None) or getattr(operator, "operator_name", None)


async def row_event(floor: Floor, event: KatanaEvent) -> str:
    """Any operation-row event that says (or may say) the row is COMPLETED, whatever its name."""
    if verb(event) != "completed" and announced(event) not in (None, "COMPLETED"):
        return f"operation row {event.object_id} is {announced(event)}: nothing for the floor"
    return await operation_completed(floor, event)


def order_changed(kind: Kind) -> Handler:
    """A sales or purchase order created, shipped, received or deleted: the forms' open orders follow."""
    async def handler(floor: Floor, event: KatanaEvent) -> str:
        if whole_number(event.object_id) is None:
            return f"{event.event}: no order id"
        if verb(event) == "deleted":
            await floor.orders.sync.closed(kind, int(event.object_id))
        else:
            await floor.orders.sync.refresh(kind, int(event.object_id))
        return f"open {kind} {event.object_id} refreshed"
    return handler


# By resource, not by event name: the name of a surviving duplicate says little (see mo_event).
HANDLERS: dict[str, Handler] = {
    "manufacturing_order": mo_event,
    "manufacturing_order_operation_row": row_event,
    "sales_order": order_changed("so"),
    "purchase_order": order_changed("po"),
}


class EventProcessor:
    """Works through stored events, `concurrency` at a time.

    Each event is queued once however often it is asked for (webhook retries, the worker's sweep every
    few seconds): a backlog of thousands stays one list, instead of thousands of tasks waiting on a lock,
    which made a large backlog slower the larger it grew.
    """

    def __init__(self, floor: Floor, *, concurrency: int = 4,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.floor = floor
        self.concurrency = concurrency
        self.clock = clock
        self.last_delivery = float("-inf")
        self.next_storm_turn = float("-inf")
        self.last_sweep = float("-inf")
        self.writing_repeats = False
        self.waiting: deque[str] = deque()
        self.queued: set[str] = set()  # waiting or being processed
        self.runners = 0
        self.stopping = False
        self.claim_hold = EVENT_HOLD  # how long a claim lasts unrenewed (a dead replica's events wait that long)

    def stop(self) -> None:
        """Shutting down: finish what is in hand, start nothing new (the rest is stored; the next start resumes it)."""
        self.stopping = True
        self.waiting.clear()

    def delivery_arrived(self) -> None:
        """A webhook request came in (new or repeated): processing steps aside for a moment."""
        self.last_delivery = self.clock()

    def storming(self) -> bool:
        return self.clock() - self.last_delivery < QUIET_SECONDS

    async def _quiet_or(self, seconds: float) -> None:
        """Returns once Katana is quiet, or after `seconds` of a storm."""
        waited = 0.0
        while self.storming() and waited < seconds and not self.stopping:
            await asyncio.sleep(QUIET_SECONDS)
            waited += QUIET_SECONDS

    async def _my_turn(self) -> None:
        """Returns at once when Katana is quiet; while it is sending, after MAX_DEFER_SECONDS and
        never within STORM_PACE of another runner's turn."""
        await self._quiet_or(MAX_DEFER_SECONDS)
        while self.storming() and self.clock() < self.next_storm_turn:
            await asyncio.sleep(QUIET_SECONDS)
        if self.storming():
            self.next_storm_turn = self.clock() + STORM_PACE

    def repeat_tallied(self) -> None:
        """A repeat was answered from memory (models.events.Tally): its count is written after the storm."""
        if not self.writing_repeats and not self.stopping:
            self.writing_repeats = True
            self.floor.jobs.spawn(self._write_repeats_after_the_storm(), name="repeat counts")

    async def _write_repeats_after_the_storm(self) -> None:
        try:
            while self.floor.store.events.untold:
                await self._quiet_or(STORM_SWEEP_SECONDS)
                await self.write_repeats()
        except Exception:  # the counts stay tallied; the next repeat or the sweep writes them
            log.exception("writing repeated Katana deliveries failed")
        finally:
            self.writing_repeats = False

    async def write_repeats(self) -> None:
        """Tallied repeats into the store; an event found gone from it was stored again and is processed."""
        for key in await self.floor.store.events.write_repeats():
            self.process_soon(key)

    def process_soon(self, key: str) -> None:
        if key in self.queued or self.stopping:
            return
        self.queued.add(key)
        self.waiting.append(key)
        if self.runners < self.concurrency:
            self.runners += 1
            self.floor.jobs.spawn(self._work_through(), name="katana events")

    async def _work_through(self) -> None:
        try:
            while self.waiting and not self.stopping:
                await self._my_turn()
                if not self.waiting or self.stopping:
                    break
                key = self.waiting.popleft()
                try:
                    await self.process(key)
                except Exception:  # the event stays stored; the worker's sweep tries it again
                    log.exception("processing Katana event %s failed", key[:12])
                finally:
                    self.queued.discard(key)
        finally:
            self.runners -= 1

    async def process(self, key: str) -> str | None:
        event = await self.floor.store.events.claim(key, self.claim_hold)
        if event is None:
            return None  # processed already, or another worker has it
        handler = HANDLERS.get(event.resource_type)
        if handler is None:
            await self.floor.store.events.finish(event, f"{event.event} needs nothing from the floor", ignored=True)
            return "ignored"
        keeping = asyncio.create_task(self._keep_claim(event))  # a live worker's claim never runs out
        try:
            return await self._run(handler, event)
        finally:
            keeping.cancel()

    async def _keep_claim(self, event: KatanaEvent) -> None:
        while True:
            await asyncio.sleep(self.claim_hold.total_seconds() / 4)
            try:
                if not await self.floor.store.events.renew(event, self.claim_hold):
                    return  # taken over: this worker's outcome will not be recorded
            except Exception:  # noqa: BLE001 — a blip: the next beat tries again before the claim runs out
                continue

    async def _run(self, handler: Handler, event: KatanaEvent) -> str:
        try:
            outcome = await handler(self.floor, event)
        except (KatanaUnavailable, KatanaRateLimited, KatanaError) as exc:
            return await self._failed(event, exc.user_message)
        except Exception as exc:  # recorded on the event, retried, never lost silently
            log.exception("processing %s failed", event.event)
            return await self._failed(event, f"internal error: {type(exc).__name__}")
        if not await self.floor.store.events.finish(event, outcome):
            log.warning("Katana event %s was taken over by another worker; its outcome stays theirs", event.id[:12])
        await self.floor.store.audit.write("webhook", event.event, outcome, object_id=event.object_id,
                                           mo_id=self._mo_id(event))
        return outcome

    async def _failed(self, event: KatanaEvent, error: str) -> str:
        retry = RETRY_DELAYS[event.attempts - 1] if event.attempts <= len(RETRY_DELAYS) else None
        await self.floor.store.events.fail(event, error, utcnow() + timedelta(seconds=retry) if retry else None)
        await self.floor.store.audit.write("webhook", event.event, "failed", object_id=event.object_id,
                                           error=error, will_retry=retry is not None, mo_id=self._mo_id(event))
        log.warning("Katana event %s for %s failed (attempt %d): %s", event.event, event.object_id, event.attempts,
                    error)
        return f"failed: {error}"

    @staticmethod
    def _mo_id(event: KatanaEvent) -> int | None:
        if event.resource_type == "manufacturing_order" and whole_number(event.object_id) is not None:
            return int(event.object_id)
        return None

    async def retry_due(self) -> int:
        """The worker's job: failed events whose time came, and pending ones a crash left behind."""
        if self.storming() and self.clock() - self.last_sweep < STORM_SWEEP_SECONDS:
            return 0
        self.last_sweep = self.clock()
        try:
            await self.write_repeats()
        except Exception:  # counts wait for the next sweep; the events due must not
            log.exception("writing repeated Katana deliveries failed; retrying due events anyway")
        now = await self.floor.store.clock.now()  # claims are judged on the database's clock
        await self.floor.store.events.reset_stuck(now)  # one update for all: this runs every few seconds
        due = [key for key in await self.floor.store.events.due(now) if key not in self.queued]
        for key in due:
            self.process_soon(key)
        return len(due)
