"""/cook: a batch came out of the kettle.

Records in Katana: the batch (created if new), a production for the cooked quantity into that
batch with what each ingredient really used (and, for batch-tracked ones, from which batch), the
cooking operation row COMPLETED with time and operator, and the crate, what differed from the recipe
(and any scrap, with its reason) on the MO. Hands over to labelling: a LABEL task with batch, crate
and quantity.

From a task the form needs at most two inputs when the recipe was followed: the quantity (suggested:
the planned quantity) and the crate; the MO, a batch number, the timed minutes, the ingredients (at
plan) and their batches (the likeliest in stock) are filled in (commands.ingredients). On submit, each batch
the form names is checked against Katana's stock now (commands.batch_stock): one emptied since the task was
made is refused at its field, with nothing written.
"""
from __future__ import annotations

import re
from typing import Any

from commands import batch_stock, ingredients
from commands.cards import scrap_fact
from commands.context import Floor
from commands.facts import OrderFacts
from commands.fields import Form
from commands.forms import (
    FloorCommand,
    Prefill,
    code_input,
    minutes_input,
    order_select,
    quantity_input,
    read_order,
    time_spent,
)
from commands.mrkdwn import escape
from commands.steps import (
    advance_chain,
    complete_operation,
    ensure_batch,
    find_operation,
    identify_operator,
    load_order,
    mo_link,
    note_on_order,
    record_production,
)
from models.actions import FloorAction
from models.tasks import ProductionTask


def suggested_batch(prefill: Prefill) -> str | None:
    # Kitchens print MO-and-day batch codes; a suggestion saves typing with gloves on.
    task = prefill.task
    if task is None:
        return None
    if task.batch_number:
        return task.batch_number
    # The MO number as Katana holds it may have characters a batch code may not (`MO-1399 (rush)`,
    # Cyrillic letters) or be long: the suggestion keeps to the code rule and the field's 40 characters,
    # so a form submitted as it was filled in is accepted.
    base = re.sub(r"[^A-Za-z0-9._/#-]+", "-", task.mo_order_no).strip("-._/#")[:32].rstrip("-._/#")
    return f"{base or f'MO{task.mo_id}'}-{task.created_at:%y%m%d}"


def blocks(prefill: Prefill) -> list[Any]:
    planned = prefill.task.planned_quantity if prefill.task else None
    return [
        order_select(prefill),
        quantity_input("quantity", "Quantity cooked", initial=planned,  # a suggestion: most batches come out as planned
                       hint=f"Planned: {planned:f} — change it to what came out" if planned else None),
        code_input("batch", "Batch number", initial=suggested_batch(prefill), placeholder="e.g. B-2611"),
        code_input("crate", "Crate", placeholder="Crate the batch went into, e.g. C-12"),
        minutes_input(prefill.minutes),
        *ingredients.blocks(prefill),
    ]


async def prepare(floor: Floor, task: ProductionTask) -> dict[str, Any]:
    """The recipe as read when the task was made (a store read: the form opens without asking Katana)."""
    return {"recipe": await floor.katana.recipes.last_seen(task.mo_id)}


def read(form: Form, offered: set[str] | None) -> dict[str, Any]:
    mo_id = read_order(form, offered)
    ingredients.same_order(form, mo_id)
    return {"mo_id": mo_id, "quantity": form.quantity("quantity", "quantity cooked"),
            "batch": form.code("batch", "batch number"), "crate": form.code("crate", "crate"),
            "minutes": form.minutes("minutes"), "ingredients": ingredients.read(form)}


def note(facts: OrderFacts, action: FloorAction) -> str:
    extra = "".join(f"; {part}" for part in (ingredients.differences(facts), scrap_fact(facts)) if part)
    return (f"{action.created_at:%Y-%m-%d %H:%M} UTC cook: batch {facts.batch}, {facts.quantity} "
            f"in crate {facts.crate}{extra} ({facts.person or action.user_name})")


def handover(facts: OrderFacts) -> dict[str, Any]:
    return {"batch_number": facts.batch, "crate": facts.crate, "quantity": facts.quantity}


def headline(facts: OrderFacts) -> tuple[str, list[str]]:
    line = (f":stew: *{escape(facts.person)}* cooked *{facts.quantity}* for *{escape(facts.order)}* "
            f"— batch {escape(facts.batch)}, crate {escape(facts.crate)}")
    facts_shown = (ingredients.differences(facts) or "ingredients as planned", ingredients.batches_fact(facts),
                   scrap_fact(facts))
    return line, time_spent(facts.minutes) + [escape(f) for f in facts_shown if f] + ["next: label"]


COMMAND = FloorCommand(
    name="cook", title="Record cooking", stage="cook", facts=OrderFacts, blocks=blocks, read=read,
    # The note right after the reads: it echoes the order load_order has just read from Katana, so that
    # one read both refuses a finished MO before any write and keeps a note typed in Katana (bench row 2).
    plan=(load_order, find_operation, identify_operator, ingredients.plan_ingredients, note_on_order,
          ensure_batch, record_production, complete_operation, advance_chain),
    note=note, handover=handover, headline=headline, link=mo_link, scrap=True, undoable=True,
    prepare=prepare, metadata=ingredients.metadata, check=batch_stock.check_batches,
    help="Records a production of the cooked quantity into its batch (created if new) with what each ingredient "
         "really used and its batch, completes the cooking step with time and operator, and notes crate, what "
         "differed from the recipe and scrap on the MO.\n"
         "Then opens the label task. From a task: type the crate, check the quantity and the ingredients.")
