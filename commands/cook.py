"""/cook: a batch came out of the kettle.

Records in Katana: the batch (created if new), a production for the cooked quantity into that
batch, the cooking operation row COMPLETED with time and operator, and the crate on the MO.
Hands over to labelling: a LABEL task with batch, crate and quantity.
"""
from __future__ import annotations

from typing import Any

from commands.fields import Form
from commands.forms import (FloorCommand, Prefill, code_input, minutes_input, quantity_input, read_order,
                            time_spent)
from models.actions import FloorAction


def suggested_batch(prefill: Prefill) -> str | None:
    # Kitchens print MO-and-day batch codes; a suggestion saves typing with gloves on.
    task = prefill.task
    if task is None:
        return None
    return task.batch_number or f"{task.mo_order_no}-{task.created_at:%y%m%d}".replace(" ", "")


def blocks(prefill: Prefill) -> list[Any]:
    from commands.forms import time_spent, order_select

    planned = prefill.task.planned_quantity if prefill.task else None
    return [
        order_select(prefill),
        quantity_input("quantity", "Quantity cooked", hint=f"Planned: {planned:f}" if planned else None),
        code_input("batch", "Batch number", initial=suggested_batch(prefill), placeholder="e.g. B-2611"),
        code_input("crate", "Crate", placeholder="Crate the batch went into, e.g. C-12"),
        minutes_input(prefill.minutes),
    ]


def read(form: Form, offered: set[str] | None) -> dict[str, Any]:
    return {"mo_id": read_order(form, offered), "quantity": form.quantity("quantity", "quantity cooked"),
            "batch": form.code("batch", "batch number"), "crate": form.code("crate", "crate"),
            "minutes": form.minutes("minutes")}


def note(facts: dict[str, Any], action: FloorAction) -> str:
    return (f"{action.created_at:%Y-%m-%d %H:%M} UTC cook: batch {facts['batch']}, {facts['quantity']} "
            f"in crate {facts['crate']} ({facts.get('person') or action.user_name})")


def handover(facts: dict[str, Any]) -> dict[str, Any]:
    return {"batch_number": facts["batch"], "crate": facts["crate"], "quantity": facts["quantity"]}


def headline(facts: dict[str, Any]) -> tuple[str, list[str]]:
    line = (f":stew: *{facts.get('person')}* cooked *{facts['quantity']}* for *{facts['order_no']}* "
            f"— batch {facts['batch']}, crate {facts['crate']}")
    extra = time_spent(facts)
    return line, extra + ["next: label"]


COMMAND = FloorCommand(
    name="cook", title="Record cooking", stage="cook", blocks=blocks, read=read,
    plan=("load_order", "find_operation", "identify_operator", "ensure_batch", "record_production",
          "complete_operation", "note_on_order", "advance_chain"),
    note=note, handover=handover, headline=headline,
    help="Records a production of the cooked quantity into a batch, completes the cooking step "
         "and notes the crate on the MO. Opens the label task.")
