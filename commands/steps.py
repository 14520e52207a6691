"""The Katana steps the floor commands are made of.

Each step returns what it learned (Katana ids) for the steps after it; `wrote: True` marks a
step that changed something in Katana, so outcome messages can say exactly what was recorded.
Reads come first in every plan, so a refusal (MO already done, no such operation) happens
before anything is written. The reads that need nothing from each other are marked `joins` and run
together (see commands.recording); writes stay one after another, so a refused write stops the rest.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from commands.chain import stage_finished
from commands.recording import StepContext, StepRefused, since, step
from integrations.katana.errors import KatanaRejected
from integrations.katana.models import OperatorRef, OperationRow

STAGE_WORDS = {"cook": ("cook",), "label": ("label",), "pack": ("pack",)}
STAGE_ORDER = ("cook", "label", "pack")


def qty(value: Any) -> Decimal:
    return Decimal(str(value))


@step("load_order", "")
async def load_order(ctx: StepContext) -> dict[str, Any]:
    # The bot's last view of the order (from its webhook, when the task was made) stands in for a read
    # while nothing says the order changed since (models.order_memory).
    mo_id = int(ctx.input["mo_id"])
    mo = await ctx.floor.store.orders.known_order(mo_id) or await ctx.katana.manufacturing.get_order(mo_id)
    if mo.status == "DONE":
        raise StepRefused(f"{mo.order_no} is already done in Katana.")
    return {"order_no": mo.order_no, "variant_id": mo.variant_id, "location_id": mo.location_id,
            "planned_quantity": str(mo.planned_quantity), "sales_order_id": mo.sales_order_id,
            "linked_to_sales_order": bool(mo.is_linked_to_sales_order or mo.sales_order_id)}


@step("identify_operator", "", joins=True)
async def identify_operator(ctx: StepContext) -> dict[str, Any]:
    """Katana credits work to an operator; match the Slack person by name, else send the name."""
    person = await ctx.floor.people.name(ctx.action.user_id, ctx.action.user_name)  # type: ignore[union-attr]
    wanted = " ".join(person.lower().split())
    for operator in await ctx.katana.manufacturing.operators():
        if " ".join(operator.operator_name.lower().split()) == wanted:
            return {"person": person, "operator_id": operator.id}
    return {"person": person, "operator_id": None}


def operator_refs(facts: dict[str, Any]) -> list[OperatorRef]:
    if facts.get("operator_id"):
        return [OperatorRef(operator_id=int(facts["operator_id"]))]
    return [OperatorRef(name=str(facts["person"])[:100])]


def pick_operation(rows: list[OperationRow], stage: str) -> OperationRow | None:
    """The MO's operation row for a stage: by name ("Cooking", "Label jars"), else by position."""
    for row in rows:
        if any(word in (row.operation_name or "").lower() for word in STAGE_WORDS[stage]):
            return row
    position = STAGE_ORDER.index(stage)
    return rows[position] if len(rows) == len(STAGE_ORDER) else None


@step("find_operation", "", joins=True)
async def find_operation(ctx: StepContext) -> dict[str, Any]:
    """Find the stage's operation row before anything is written, so a missing one refuses cleanly."""
    from commands.registry import COMMANDS

    stage, facts = COMMANDS[ctx.action.command].stage, ctx.facts
    mo_id = int(facts["mo_id"])
    known = await ctx.floor.store.orders.known_rows(mo_id)
    row = pick_operation(known if known is not None else await ctx.katana.manufacturing.operation_rows(mo_id), stage)
    if row is None:  # (load_order runs alongside: the order number may not be known yet)
        order = facts.get("order_no") or f"MO {facts['mo_id']}"
        raise StepRefused(f"{order} has no {stage} operation in Katana.")
    return {"operation_row_id": row.id, "operation_done_before": row.status == "COMPLETED"}


@step("complete_operation", "operation completed")
async def complete_operation(ctx: StepContext) -> dict[str, Any]:
    facts = ctx.facts
    if facts.get("operation_done_before"):
        return {"wrote": False}  # already completed (e.g. in Katana's own app): keep what is there
    seconds = int(facts["minutes"]) * 60 if facts.get("minutes") is not None else None
    await ctx.katana.manufacturing.complete_operation(int(facts["operation_row_id"]), seconds=seconds,
                                                      operators=operator_refs(facts))
    return {"wrote": True}


@step("ensure_batch", "batch created")
async def ensure_batch(ctx: StepContext) -> dict[str, Any]:
    """The batch by number for this product, created if new.

    A first try creates straight away (a cooked batch is nearly always new, and Katana refuses a
    number it already has, which is then looked up); a retry looks first, so it never doubles one.
    """
    facts = ctx.facts
    number, variant_id = facts["batch"], int(facts["variant_id"])
    if not ctx.first_try:
        found = await ctx.katana.inventory.find_batch(number, variant_id)
        if found is not None:
            return {"batch_id": found.id, "wrote": False}
    batch, created = await ctx.katana.manufacturing.create_output_batch(number, variant_id)
    return {"batch_id": batch.id, "wrote": created}


@step("find_batch", "")
async def find_batch(ctx: StepContext) -> dict[str, Any]:
    facts = ctx.facts
    if not facts.get("batch"):
        return {}  # optional on /pack: an MO whose batch Katana already has needs none
    batch = await ctx.katana.inventory.find_batch(facts["batch"], int(facts["variant_id"]))
    if batch is None:
        raise StepRefused(f"Batch {facts['batch']} does not exist in Katana for {facts['order_no']}; "
                          "check the number on the crate.")
    return {"batch_id": batch.id}


async def production_already_recorded(ctx: StepContext) -> dict[str, Any] | None:
    facts = ctx.facts
    found = await ctx.katana.manufacturing.find_production(
        int(facts["mo_id"]), qty(facts["quantity"]), since=since(ctx.step.started_at),
        batch_id=facts.get("batch_id"))
    return None if found is None else {"production_id": found.id, "wrote": True}


@step("record_production", "production recorded", check=production_already_recorded)
async def record_production(ctx: StepContext) -> dict[str, Any]:
    facts = ctx.facts
    production = await ctx.katana.manufacturing.record_production(
        int(facts["mo_id"]), qty(facts["quantity"]), completed_date=ctx.action.created_at,
        batch_id=facts.get("batch_id"))
    return {"production_id": production.id, "wrote": True}


@step("update_batch", "batch expiry/barcode set")
async def update_batch(ctx: StepContext) -> dict[str, Any]:
    facts = ctx.facts
    if not facts.get("expiry") and not facts.get("barcode"):
        return {"wrote": False}
    expiry = date.fromisoformat(facts["expiry"]) if facts.get("expiry") else None
    await ctx.katana.inventory.update_batch(int(facts["batch_id"]), expiration_date=expiry,
                                            barcode=facts.get("barcode"))
    return {"wrote": True}


@step("note_on_order", "note added to the MO")
async def note_on_order(ctx: StepContext) -> dict[str, Any]:
    """Crates live in the MO's additional_info; the service echoes what is there (PATCH wipes it otherwise)."""
    from commands.registry import COMMANDS  # the note's wording belongs to each command

    line = COMMANDS[ctx.action.command].note(ctx.facts, ctx.action)
    if not line:
        return {"wrote": False}
    await ctx.katana.manufacturing.add_note(int(ctx.facts["mo_id"]), line, ours_since=first_write(ctx))
    return {"wrote": True, "note": line}


def first_write(ctx: StepContext) -> datetime | None:
    """When this action's first Katana write went out: Katana's webhooks from then on echo it."""
    started = [s.started_at for s in ctx.action.steps if s.state == "done" and s.result.get("wrote") and s.started_at]
    return min(started) if started else None


@step("finish_order", "MO set to done with the actual quantity")
async def finish_order(ctx: StepContext) -> dict[str, Any]:
    facts = ctx.facts
    actual = qty(facts["quantity"])
    try:
        mo = await ctx.katana.manufacturing.finish_order(int(facts["mo_id"]), actual, done_date=ctx.action.created_at,
                                                         batch_id=facts.get("batch_id"))
    except KatanaRejected:
        # A retried PATCH can be refused because its first attempt already finished the MO.
        mo = await ctx.katana.manufacturing.get_order(int(facts["mo_id"]))
        if not (mo.status == "DONE" and mo.actual_quantity == actual):
            raise
    planned = qty(facts["planned_quantity"])
    yield_pct = (actual / planned * 100).quantize(Decimal("0.1")) if planned else None
    return {"actual_quantity": str(mo.actual_quantity if mo.actual_quantity is not None else actual),
            "yield_percent": str(yield_pct) if yield_pct is not None else None, "wrote": True}


@step("advance_chain", "", in_katana=False)
async def advance_chain(ctx: StepContext) -> dict[str, Any]:
    """Close this stage's task and open the next one (idempotent: one task per MO and stage)."""
    from commands.registry import COMMANDS

    facts = ctx.facts
    command = COMMANDS[ctx.action.command]
    opened = await stage_finished(ctx.floor, facts, command.stage, by=str(facts.get("person") or ctx.action.user_name),
                                  details=command.handover(facts))
    return {"next_task": opened.id if opened else None}
