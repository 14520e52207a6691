"""The Katana steps /cook, /label and /pack are made of, each with how it comes back out.

Reads come first in every plan, so a refusal (MO already done, no such operation) happens before
anything is written. The order itself is read from Katana before the first write, never taken from the
bot's memory of it: an MO finished or deleted in Katana's own app while the form was open is refused
with nothing written, and its tasks follow Katana at once instead of waiting for a late webhook. The
reads that need nothing from each other are marked `joins` and run together (see commands.recording);
writes stay one after another, so a refused write stops the rest.
Undoing takes back what Katana can take back (a production deleted, an operation row reopened, the
bot's note line removed) and says exactly what to do by hand where it can't.
"""
from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from decimal import Decimal

from commands.chain import OrderRef, order_deleted, order_done, order_ref, stage_finished
from commands.context import Floor
from commands.facts import OrderFacts
from commands.ingredients import uses
from commands.operations import pick_operation, row_lock
from commands.plan import NeedsHand, Result, StepContext, StepRefused, Undo, Written, step
from commands.recording import since
from integrations.katana import Katana
from integrations.katana.errors import KatanaNotFound, KatanaRejected
from integrations.katana.models import ManufacturingOrder, OperatorRef
from models.base import utcnow
from models.tasks import task_id

log = logging.getLogger(__name__)
Ctx = StepContext[OrderFacts]


def chain_order(facts: OrderFacts) -> OrderRef:
    return OrderRef(facts.mo_id, facts.order, facts.planned_quantity, None, facts.sales_order_id,
                    facts.linked_to_sales_order)


def mo_link(floor: Floor, facts: OrderFacts) -> str:
    return floor.katana_link(facts.mo_id)


# ---- reads ---------------------------------------------------------------------------------------

@step("load_order", "", recheck=True)
async def load_order(ctx: Ctx) -> Result:
    """The order as Katana has it now. Not the bot's memory of it: the webhook saying it was finished or
    deleted in Katana's own app can come late, and the memory would vouch for it meanwhile (the first write
    would then be a batch before Katana refused the production). The note (/cook) echoes this read.
    Run again when a waiting action resumes, before its next write that needs the order open (`recheck`)."""
    read_at = utcnow()
    mo = await current_order(ctx)
    learned = {"order_no": mo.order_no, "variant_id": mo.variant_id, "location_id": mo.location_id,
               "planned_quantity": str(mo.planned_quantity), "sales_order_id": mo.sales_order_id,
               "linked_to_sales_order": bool(mo.is_linked_to_sales_order or mo.sales_order_id)}
    if mo.is_done:
        await ctx.floor.orders.sync.taken("mo", mo, read_at)  # offered no more
        await order_done(ctx.floor, order_ref(mo))  # what its `done` webhook will do: its tasks close
        raise StepRefused(finished_in_katana(mo, nothing_more(ctx)), learned=learned)
    return learned


async def current_order(ctx: Ctx) -> ManufacturingOrder:
    """The order read from Katana; refused (its tasks closed) when Katana has it no more."""
    facts = ctx.facts
    try:
        mo: ManufacturingOrder | None = await ctx.katana.manufacturing.get_order(facts.mo_id)
    except KatanaNotFound:
        mo = None
    if mo is not None and mo.deleted_at is None:
        return mo
    closed = await order_deleted(ctx.floor, facts.mo_id)
    known = next((t.mo_order_no for t in closed), None) or ctx.action.results().get("order_no")  # read before
    number = mo.order_no if mo is not None else str(known or f"MO #{facts.mo_id}")
    tasks = " Its floor tasks are closed." if closed else ""
    raise StepRefused(f"{number} is no longer in Katana (it was deleted there), so {nothing_more(ctx)}.{tasks}",
                      learned={"order_no": number})


def finished_in_katana(mo: ManufacturingOrder, nothing: str = "nothing was written") -> str:
    """Katana's MO says when and how much, not who: the floor is told what Katana knows."""
    when = f" on {mo.done_date:%Y-%m-%d at %H:%M} UTC" if mo.done_date else ""
    made = f" with {mo.actual_quantity.normalize():f} made" if mo.actual_quantity is not None else ""
    return (f"{mo.order_no} is already done in Katana: it was finished there{when}{made}, so {nothing}. "
            "Its floor tasks are closed.")


def nothing_more(ctx: Ctx) -> str:
    """A resumed action may have written before (the /cook note): what it had is then told apart."""
    wrote = any(saved.state == "done" and saved.result.get("wrote") for saved in ctx.action.steps)
    return "nothing more was written" if wrote else "nothing was written"


@step("identify_operator", "", joins=True)
async def identify_operator(ctx: Ctx) -> Result:
    """Katana credits work to an operator: the one a supervisor linked to this Slack person (by user id,
    `/floor operator`), if Katana still has it. Never by name, which anyone can change in Slack. Without a
    link the person's name goes to Katana as text, unless it is an operator's name: Katana matches names to
    operators itself (its docs for `completed_by_operators`), so sending it would credit that operator."""
    person = await ctx.floor.slack.person_name(ctx.action.user_id, ctx.action.user_name)
    link = await ctx.floor.store.operators.of(ctx.action.user_id)
    operators = await ctx.katana.manufacturing.operators()
    if link is not None and any(operator.id == link.operator_id for operator in operators):
        return {"person": person, "operator_id": link.operator_id, "name_for_katana": None}
    if link is not None:
        log.warning("Katana operator #%s linked to %s is gone", link.operator_id, ctx.action.user_id)
    taken = {" ".join(operator.operator_name.split()).casefold() for operator in operators}
    name = None if " ".join(person.split()).casefold() in taken else person[:100]
    return {"person": person, "operator_id": None, "name_for_katana": name}


@step("find_operation", "", joins=True)
async def find_operation(ctx: Ctx) -> Result:
    """Find the stage's operation row before anything is written, so a missing one refuses cleanly."""
    facts, stage = ctx.facts, ctx.command.stage
    row = pick_operation(await ctx.katana.manufacturing.known_operation_rows(facts.mo_id), stage)
    if row is None:  # (load_order runs alongside: the order number may not be known yet)
        raise StepRefused(f"{facts.order} has no {stage} operation in Katana.")
    return {"operation_row_id": row.id, "operation_done_before": row.status == "COMPLETED"}


@step("find_batch", "")
async def find_batch(ctx: Ctx) -> Result:
    facts = ctx.facts
    if not facts.batch:
        return {}  # optional on /pack: an MO whose batch Katana already has needs none
    batch = await ctx.katana.inventory.find_batch(facts.batch, int(facts.variant_id or 0))
    if batch is None:
        raise StepRefused(f"Batch {facts.batch} does not exist in Katana for {facts.order}; "
                          "check the number on the crate.")
    return {"batch_id": batch.id}


# ---- writes --------------------------------------------------------------------------------------

def operator_refs(facts: OrderFacts) -> list[OperatorRef]:
    if facts.operator_id:
        return [OperatorRef(operator_id=facts.operator_id)]
    return [OperatorRef(name=facts.name_for_katana)] if facts.name_for_katana else []


def reopen_operation(written: Written[OrderFacts]) -> Undo:
    row = int(written.facts.operation_row_id or 0)
    what = f"the operation completed on {written.order}"
    if written.includes(finish_order):  # Katana only takes times and operators on a DONE order's rows
        return Undo(what, manual=f"After reopening {written.order}, set its step back to In progress.")

    async def run(katana: Katana) -> str | None:
        await katana.manufacturing.set_operation_status(row, "IN_PROGRESS")
        return None
    return Undo(what, run=run)


@step("complete_operation", "operation completed", undo=reopen_operation, needs_open_order=True)
async def complete_operation(ctx: Ctx) -> Result:
    facts = ctx.facts
    tid = task_id(ctx.command.stage, facts.mo_id)
    async with ctx.floor.locks.hold(row_lock(tid)):  # no timer sync of this row in between
        done_before = facts.operation_done_before and await still_completed(ctx, int(facts.operation_row_id or 0))
        if not done_before:  # else completed already (e.g. in Katana's own app): keep it
            seconds = facts.minutes * 60 if facts.minutes is not None else None
            await ctx.katana.manufacturing.complete_operation(int(facts.operation_row_id or 0), seconds=seconds,
                                                              operators=operator_refs(facts))
        await ctx.floor.store.tasks.mark_row_completed(tid)  # a later timer sync leaves the row alone
    return {"wrote": not done_before}


async def still_completed(ctx: Ctx, row_id: int) -> bool:
    """Whether the row find_operation saw completed still is: while this action waited, it may have been
    set back (in Katana's app, or by an Undo that ran before this cook was saved), and this cook is then
    the one that completes it."""
    return (await ctx.katana.manufacturing.get_operation_row(row_id)).status == "COMPLETED"


def created_batch(written: Written[OrderFacts]) -> Undo:
    batch = written.facts.batch
    return Undo(f"batch {batch}",
                manual=f"Batch {batch} was created in Katana; delete it there if nothing else uses it.")


@step("ensure_batch", "batch created", undo=created_batch, needs_open_order=True)
async def ensure_batch(ctx: Ctx) -> Result:
    """The batch by number for this product, created if new.

    A first try creates straight away (a cooked batch is nearly always new, and Katana refuses a
    number it already has, which is then looked up); a retry looks first, so it never doubles one.
    """
    facts = ctx.facts
    number, variant_id = str(facts.batch), int(facts.variant_id or 0)
    if not ctx.first_try:
        found = await ctx.katana.inventory.find_batch(number, variant_id)
        if found is not None:
            return {"batch_id": found.id, "wrote": False}
    batch, created = await ctx.katana.manufacturing.create_output_batch(number, variant_id)
    return {"batch_id": batch.id, "wrote": created}


async def production_already_recorded(ctx: Ctx) -> Result | None:
    facts = ctx.facts
    others = await ctx.floor.store.actions.productions_owned(facts.mo_id, besides=ctx.action.id)
    found = await ctx.katana.manufacturing.find_production(
        facts.mo_id, quantity(facts), since=since(ctx.step.started_at), completed_date=ctx.action.created_at,
        batch_id=facts.batch_id, taken=others)
    return None if found is None else {"production_id": found.id, "wrote": True}


def delete_production(written: Written[OrderFacts]) -> Undo:
    pid = int(written.result["production_id"])

    async def run(katana: Katana) -> str | None:
        await katana.manufacturing.delete_production(pid)
        return None
    used = " (its ingredients back as used)" if written.facts.used else ""
    return Undo(f"production #{pid} of {written.facts.quantity} on {written.order}{used}", run=run)


@step("record_production", "production recorded", check=production_already_recorded, undo=delete_production,
      needs_open_order=True)
async def record_production(ctx: Ctx) -> Result:
    facts = ctx.facts
    production = await ctx.katana.manufacturing.record_production(
        facts.mo_id, quantity(facts), completed_date=ctx.action.created_at, batch_id=facts.batch_id,
        ingredients=uses(facts))
    return {"production_id": production.id, "wrote": True}


def quantity(facts: OrderFacts) -> Decimal:
    if facts.quantity is None:
        raise StepRefused("No quantity was given.")  # the form requires one; a crafted action may not have it
    return facts.quantity


def batch_details_by_hand(written: Written[OrderFacts]) -> Undo:
    facts = written.facts
    given = ", ".join(f"{k} {v}" for k, v in (("expiry", facts.expiry), ("barcode", facts.barcode)) if v)
    return Undo(f"batch {facts.batch} details", manual=f"In Katana, open batch {facts.batch} and put back what it "
                                                       f"had before ({given} was set).")


@step("update_batch", "batch expiry/barcode set", undo=batch_details_by_hand)
async def update_batch(ctx: Ctx) -> Result:
    facts = ctx.facts
    if not facts.expiry and not facts.barcode:
        return {"wrote": False}
    await ctx.katana.inventory.update_batch(int(facts.batch_id or 0), expiration_date=facts.expiry,
                                            barcode=facts.barcode)
    return {"wrote": True}


def remove_note(written: Written[OrderFacts]) -> Undo:
    facts, line, order = written.facts, str(written.result.get("note")), written.order
    return Undo(f"the note on {order}", run=take_note_back(facts.mo_id, line, order))


def take_note_back(mo_id: int, line: str, order: str) -> Callable[[Katana], Awaitable[str | None]]:
    by_hand = f"In Katana, open {order} → Additional info and delete the line “{line}”."

    async def run(katana: Katana) -> str | None:
        try:
            removed = await katana.manufacturing.remove_note(mo_id, line)
        except ValueError:  # Katana's answer still shows the line: only a person can be sure it goes
            raise NeedsHand(by_hand) from None
        return None if removed else "it was not there any more"
    return run


@step("note_on_order", "note added to the MO", undo=remove_note)
async def note_on_order(ctx: Ctx) -> Result:
    """Crates live in the MO's additional_info; the service echoes what is there (PATCH wipes it otherwise),
    read right before or at most NOTE_ECHO earlier (integrations.katana.manufacturing)."""
    line = ctx.command.note(ctx.facts, ctx.action)
    if not line:
        return {"wrote": False}
    await ctx.katana.manufacturing.add_note(ctx.facts.mo_id, line)
    return {"wrote": True, "note": line}


def reopen_order_by_hand(written: Written[OrderFacts]) -> Undo:
    order = written.order
    return Undo(f"{order} set to DONE", manual=f"In Katana, reopen {order} (status In progress) only if it should "
                                               "not be finished; stock moves back with it.")


@step("finish_order", "MO set to done", undo=reopen_order_by_hand)
async def finish_order(ctx: Ctx) -> Result:
    """DONE at what the productions booked (commands.packing: DONE then moves nothing more, and the
    packing difference is its own stock adjustment); at what was packed when nothing was booked before."""
    facts = ctx.facts
    packed = quantity(facts)
    actual = facts.produced if facts.produced else packed
    try:
        mo = await ctx.katana.manufacturing.finish_order(facts.mo_id, actual, done_date=ctx.action.created_at,
                                                         batch_id=facts.batch_id)
    except KatanaRejected:
        # A retried PATCH can be refused because its first attempt already finished the MO.
        mo = await ctx.katana.manufacturing.get_order(facts.mo_id)
        if not (mo.status == "DONE" and mo.actual_quantity == actual):
            raise
    planned = facts.planned_quantity
    yield_pct = (packed / planned * 100).quantize(Decimal("0.1")) if planned else None
    return {"actual_quantity": str(packed), "finished_at": str(mo.actual_quantity or actual),
            "yield_percent": str(yield_pct) if yield_pct is not None else None, "wrote": True}


@step("advance_chain", "", in_katana=False)
async def advance_chain(ctx: Ctx) -> Result:
    """Close this stage's task and open the next one (idempotent: one task per MO and stage)."""
    facts = ctx.facts
    # Another batch of a stage already recorded leaves the next task's details (batch, crate) as they are.
    details = None if facts.another_batch else ctx.command.handover(facts)
    opened = await stage_finished(ctx.floor, chain_order(facts), ctx.command.stage,
                                  by=str(facts.person or ctx.action.user_name), details=details)
    return {"next_task": opened.id if opened else None}
