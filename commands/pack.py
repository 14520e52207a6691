"""/pack: the MO's final quantity is packed; the MO is finished.

Records in Katana: the packing operation row COMPLETED, any scrap (with its reason) noted on the
MO, then the MO DONE with its actual quantity (finished goods into stock, materials consumed at
actuals). Yield = actual / planned is kept with the action and shown. Hands over to shipping when
the MO was made for a sales order.
"""
from __future__ import annotations

from typing import Any

from commands.cards import scrap_fact
from commands.facts import OrderFacts
from commands.fields import Form
from commands.forms import FloorCommand, Prefill, code_input, minutes_input, order_select, quantity_input, read_order
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
                       hint="This finishes the MO in Katana: goods go into stock."),
        code_input("batch", "Batch number", initial=task.batch_number if task else None, optional=True,
                   placeholder="Batch the packed goods belong to"),
        minutes_input(prefill.minutes),
    ]


def read(form: Form, offered: set[str] | None) -> dict[str, Any]:
    return {"mo_id": read_order(form, offered), "quantity": form.quantity("quantity", "final quantity"),
            "batch": form.code("batch", "batch number", required=False), "minutes": form.minutes("minutes")}


def note(facts: OrderFacts, action: FloorAction) -> str | None:
    """Only scrap needs a note: the MO itself records the final quantity."""
    scrap = scrap_fact(facts)
    if scrap is None:
        return None
    return f"{action.created_at:%Y-%m-%d %H:%M} UTC pack: {scrap} ({facts.person or action.user_name})"


def handover(facts: OrderFacts) -> dict[str, Any]:
    return {"quantity": facts.quantity}


def headline(facts: OrderFacts) -> tuple[str, list[str]]:
    batch = f", batch {facts.batch}" if facts.batch else ""
    line = f":package: *{facts.person}* packed *{facts.quantity}* of *{facts.order_no}*{batch} — MO done"
    extra = []
    if facts.yield_percent:
        extra.append(f"yield {facts.yield_percent} % of {facts.planned_quantity} planned")
    scrap = scrap_fact(facts)
    if scrap:
        extra.append(scrap)
    extra.append("next: ship" if facts.linked_to_sales_order else "into stock")
    return line, extra


COMMAND = FloorCommand(
    name="pack", title="Record packing", stage="pack", facts=OrderFacts, blocks=blocks, read=read,
    plan=(load_order, find_operation, identify_operator, find_batch, complete_operation,
          note_on_order, finish_order, advance_chain),
    note=note, handover=handover, headline=headline, link=mo_link, scrap=True, undoable=True,
    help="Completes the packing step and sets the MO to DONE with the final quantity (stock in, materials "
         "used at actuals); scrap is noted on the MO.\n"
         "Then opens the ship task when the MO is for a sales order.")
