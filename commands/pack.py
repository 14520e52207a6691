"""/pack: the MO's final quantity is packed; the MO is finished.

Records in Katana: the packing operation row COMPLETED; when packing ended with less (or more) than
/cook put into stock, a stock adjustment in the batch for the difference, with its reason; the packing
difference and any scrap noted on the MO; then the MO DONE at what the productions booked, so finished
goods stock ends at exactly what was packed (commands.packing says why, from Katana's docs). Yield =
packed / planned is kept with the action and shown. Hands over to shipping when the MO was made for a
sales order.
"""
from __future__ import annotations

from typing import Any

from commands.cards import scrap_fact
from commands.facts import OrderFacts
from commands.fields import Form
from commands.forms import FloorCommand, Prefill, code_input, minutes_input, order_select, quantity_input, read_order
from commands.mrkdwn import escape
from commands.packing import count_produced, packing_fact, settle_packed_stock
from commands.steps import (
    advance_chain,
    complete_operation,
    find_batch,
    find_operation,
    finish_order,
    identify_operator,
    load_order,
    mo_link,
    note_on_order,
)
from models.actions import FloorAction


def blocks(prefill: Prefill) -> list[Any]:
    task = prefill.task
    return [
        order_select(prefill),
        quantity_input("quantity", "Final quantity packed", initial=task.quantity if task else None,
                       hint="This finishes the MO in Katana: its stock ends at what you enter here."),
        code_input("batch", "Batch number", initial=task.batch_number if task else None, optional=True,
                   placeholder="Batch the packed goods belong to"),
        minutes_input(prefill.minutes),
    ]


def read(form: Form, offered: set[str] | None) -> dict[str, Any]:
    return {"mo_id": read_order(form, offered), "quantity": form.quantity("quantity", "final quantity"),
            "batch": form.code("batch", "batch number", required=False), "minutes": form.minutes("minutes")}


def note(facts: OrderFacts, action: FloorAction) -> str | None:
    """The packing difference (with its stock adjustment) and scrap; nothing else needs a note."""
    parts = [part for part in (packing_fact(facts), scrap_fact(facts)) if part]
    if not parts:
        return None
    return f"{action.created_at:%Y-%m-%d %H:%M} UTC pack: {'; '.join(parts)} ({facts.person or action.user_name})"


def handover(facts: OrderFacts) -> dict[str, Any]:
    return {"quantity": facts.quantity}


def headline(facts: OrderFacts) -> tuple[str, list[str]]:
    batch = f", batch {escape(facts.batch)}" if facts.batch else ""
    line = f":package: *{escape(facts.person)}* packed *{facts.quantity}* of *{escape(facts.order)}*{batch} — MO done"
    extra = []
    if facts.yield_percent:
        extra.append(f"yield {facts.yield_percent} % of {facts.planned_quantity} planned")
    extra += [escape(part) for part in (packing_fact(facts), scrap_fact(facts)) if part]
    extra.append("next: ship" if facts.linked_to_sales_order else "into stock")
    return line, extra


COMMAND: FloorCommand[OrderFacts] = FloorCommand(
    name="pack", title="Record packing", stage="pack", facts=OrderFacts, blocks=blocks, read=read,
    plan=(load_order, find_operation, identify_operator, find_batch, count_produced, complete_operation,
          settle_packed_stock, note_on_order, finish_order, advance_chain),
    note=note, handover=handover, headline=headline, link=mo_link, scrap=True, undoable=True,
    help="Completes the packing step, books what packing lost (or found) against the cooked quantity as a stock "
         "adjustment in the batch, and sets the MO to DONE; stock ends at what was packed.\n"
         "Then opens the ship task when the MO is for a sales order.")
