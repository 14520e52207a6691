"""/pack's part in making finished-goods stock end at exactly what was packed.

/cook books a partial completion: the cooked quantity goes into stock, in its batch, at cook time
(Katana: "Product In stock increases (by completed quantity)", support 5914349). What Katana does when an
MO is then set DONE with an actual quantity *below* what its productions booked is not documented. So
/pack never asks that: it finishes the MO at what the productions booked — DONE moves only "the rest",
here nothing (commands.steps.finish_order) — and books the difference between packed and cooked as an
explicit stock adjustment in the batch, with its reason: negative for a packing loss, positive for a
surplus (support 5966123: "positive numbers to increase stock and negative numbers to decrease it").
Stock then ends at cooked − loss = packed, by documented rules only. The adjustment's number is on the
MO's note, its id in the audit trail.

Adjustments are immutable: undoing a /pack books a compensating adjustment (its number ends in -UNDO),
looked for first, so running the undo again never books it twice.
"""
from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from decimal import Decimal

from commands.facts import OrderFacts
from commands.plan import Result, StepContext, StepRefused, Undo, Written, step
from integrations.katana import Katana
from integrations.katana.inventory import AdjustmentLine
from models.base import utcnow

Ctx = StepContext[OrderFacts]


def difference(facts: OrderFacts) -> Decimal:
    """Packed − cooked, when /cook booked productions; 0 without any (then DONE books what was packed)."""
    if not facts.produced or facts.quantity is None:
        return Decimal(0)
    return facts.quantity - facts.produced


@step("count_produced", "")
async def count_produced(ctx: Ctx) -> Result:
    """What the MO's productions put into stock, read before anything is written; a packing difference
    needs a batch to come out of (or go into) when the product is batch-tracked."""
    facts = ctx.facts
    produced = sum((p.quantity for p in await ctx.katana.manufacturing.productions(facts.mo_id)), Decimal(0))
    counted = facts.model_copy(update={"produced": produced})
    if difference(counted) and facts.batch_id is None and await batch_tracked(ctx.katana, facts.variant_id):
        raise StepRefused(f"{facts.order} had {produced} cooked and {facts.quantity} packed: enter the batch, so "
                          "the difference can be booked in it.")
    return {"produced": str(produced)}


async def batch_tracked(katana: Katana, variant_id: int | None) -> bool:
    items = await katana.recipes.items({int(variant_id or 0)})
    item = items.get(int(variant_id or 0))
    return item is None or item.batch_tracked  # unknown: assume it needs one


def adjustment_number(facts: OrderFacts, action_id: str) -> str:
    """Chosen by the bot, so a lost answer can be looked up by it (Katana's own are SA-1, SA-2, …)."""
    return f"SA-{facts.order}-PACK-{hashlib.sha256(action_id.encode()).hexdigest()[:6].upper()}"


def reason(facts: OrderFacts, diff: Decimal) -> str:
    if diff > 0:
        return "Packing surplus: more packed than was recorded cooked"
    return f"Packing loss: {facts.scrap_reason}" if facts.scrap_reason else "Packing loss"


async def adjustment_already_booked(ctx: Ctx) -> Result | None:
    number = adjustment_number(ctx.facts, ctx.action.id)
    found = await ctx.katana.inventory.find_adjustment(number)
    return None if found is None else booked(found.id, number, difference(ctx.facts))


def booked(adjustment_id: int, number: str, diff: Decimal) -> Result:
    return {"stock_adjustment_id": adjustment_id, "stock_adjustment": number, "adjusted": str(diff), "wrote": True}


def compensate(written: Written[OrderFacts]) -> Undo:
    facts = written.facts
    number, diff = str(facts.stock_adjustment), facts.adjusted or Decimal(0)
    what = f"stock adjustment {number} ({diff:+f} in batch {facts.batch or '—'})"
    return Undo(what, run=book_compensation(facts, number, diff))


def book_compensation(facts: OrderFacts, number: str, diff: Decimal) -> Callable[[Katana], Awaitable[str | None]]:
    async def run(katana: Katana) -> str | None:
        undo_number = f"{number}-UNDO"
        if await katana.inventory.find_adjustment(undo_number) is not None:
            return "it was taken back already"
        line = AdjustmentLine(int(facts.variant_id or 0), -diff, facts.batch_id)
        await katana.inventory.adjust_stock(undo_number, location_id=int(facts.location_id or 0), lines=[line],
                                            reason=f"Undo of {number}", note=f"/pack on {facts.order} undone",
                                            when=utcnow())
        return f"booked {undo_number}"
    return run


@step("settle_packed_stock", "stock set to what was packed", check=adjustment_already_booked, undo=compensate)
async def settle_packed_stock(ctx: Ctx) -> Result:
    facts, diff = ctx.facts, difference(ctx.facts)
    if not diff:
        return {"wrote": False}
    number = adjustment_number(facts, ctx.action.id)
    line = AdjustmentLine(int(facts.variant_id or 0), diff, facts.batch_id)
    made = await ctx.katana.inventory.adjust_stock(
        number, location_id=int(facts.location_id or 0), lines=[line], reason=reason(facts, diff),
        note=f"{facts.order}: {facts.quantity} packed of {facts.produced} cooked (/pack by {facts.person})",
        when=ctx.action.created_at)
    return booked(made.id, number, diff)


def packing_fact(facts: OrderFacts) -> str | None:
    """"packed 116 of 118 cooked: 2 written off from batch B-7 (SA-…)" — also read back by the yield alert."""
    diff = facts.adjusted
    if not diff or facts.produced is None:
        return None
    moved = f"{-diff} written off from" if diff < 0 else f"{diff} added to"
    return (f"packed {facts.quantity} of {facts.produced} cooked: {moved} batch {facts.batch or '—'} "
            f"(stock adjustment {facts.stock_adjustment})")
