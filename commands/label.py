"""/label: a batch was labelled and moved from one crate to another.

Records in Katana: the labelling operation row COMPLETED (time, operator), the batch's expiry
and barcode when given, and the crate move on the MO. Hands over to packing: a PACK task.
"""
from __future__ import annotations

from typing import Any

from commands.facts import OrderFacts
from commands.fields import Form
from commands.forms import (
    FloorCommand,
    Prefill,
    code_input,
    date_input,
    minutes_input,
    order_select,
    quantity_input,
    read_order,
    time_spent,
)
from commands.steps import (
    advance_chain,
    complete_operation,
    find_batch,
    find_operation,
    identify_operator,
    load_order,
    mo_link,
    note_on_order,
    update_batch,
)
from models.actions import FloorAction


def blocks(prefill: Prefill) -> list[Any]:
    task = prefill.task
    return [
        order_select(prefill),
        code_input("batch", "Batch number", initial=task.batch_number if task else None),
        code_input("from_crate", "From crate", initial=task.crate if task else None),
        code_input("to_crate", "To crate", placeholder="Crate the labelled goods went into"),
        quantity_input("quantity", "Quantity labelled", initial=task.quantity if task else None),
        minutes_input(prefill.minutes),
        date_input("expiry", "Best before (sets batch expiry)"),
        code_input("barcode", "Batch barcode", optional=True, placeholder="Only if the label has one"),
    ]


def read(form: Form, offered: set[str] | None) -> dict[str, Any]:
    barcode = form.code("barcode", "barcode", required=False)
    if barcode is not None and not 3 <= len(barcode) <= 40:
        form.errors.add("barcode", "A batch barcode has 3 to 40 characters.")  # Katana's limit
    return {"mo_id": read_order(form, offered), "batch": form.code("batch", "batch number"),
            "from_crate": form.code("from_crate", "from crate"), "to_crate": form.code("to_crate", "to crate"),
            "quantity": form.quantity("quantity", "quantity labelled"), "minutes": form.minutes("minutes"),
            "expiry": form.raw("expiry") or None, "barcode": barcode}


def note(facts: OrderFacts, action: FloorAction) -> str:
    return (f"{action.created_at:%Y-%m-%d %H:%M} UTC label: batch {facts.batch}, {facts.quantity} labelled, "
            f"crate {facts.from_crate} → {facts.to_crate} ({facts.person or action.user_name})")


def handover(facts: OrderFacts) -> dict[str, Any]:
    return {"batch_number": facts.batch, "crate": facts.to_crate, "quantity": facts.quantity}


def headline(facts: OrderFacts) -> tuple[str, list[str]]:
    line = (f":label: *{facts.person}* labelled *{facts.quantity}* of *{facts.order_no}* "
            f"— batch {facts.batch}, crate {facts.from_crate} → {facts.to_crate}")
    extra = time_spent(facts.minutes)
    if facts.expiry:
        extra.append(f"best before {facts.expiry}")
    return line, extra + ["next: pack"]


COMMAND = FloorCommand(
    name="label", title="Record labelling", stage="label", facts=OrderFacts, blocks=blocks, read=read,
    plan=(load_order, find_operation, identify_operator, find_batch, complete_operation,
          update_batch, note_on_order, advance_chain),
    note=note, handover=handover, headline=headline, link=mo_link, undoable=True,
    help="Completes the labelling step with time and operator, sets the batch's best-before and barcode, "
         "and notes the crate move on the MO.\n"
         "Then opens the pack task.")
