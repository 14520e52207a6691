"""The one flow /cook, /label and /pack follow.

open:   ack → views.open at once (trigger ids die in 3 s) → form, or "Loading…" then the form.
submit: read the form → field errors back to Slack, nothing written
        → the command's check of Katana's state, if it has one (/cook: the ingredient batches still hold
          what it takes) → its field errors the same way
        → else save the FloorAction → ack with "Recording…" → run the plan in the background
          (commands.submissions) → the outcome is told by commands.announce.

Commands declared with `scrap=True` get the scrap quantity and reason inputs, read here against
SCRAP_REASONS, so each command's own module only words the facts.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from commands import cards
from commands.claiming import first_or_why_not
from commands.context import Floor
from commands.fields import Form
from commands.forms import FloorCommand, Prefill
from commands.mrkdwn import escape
from commands.order_fields import offered, typed_order
from commands.orders import OrderList
from commands.ports import Ack, Submission, View
from commands.recording import Recorder
from commands.registry import COMMANDS
from commands.submissions import new_action, save_and_record
from integrations.katana.errors import KatanaError
from models.open_orders import Kind, OpenOrder
from models.tasks import ProductionTask

log = logging.getLogger(__name__)


MO: Kind = "mo"


def task_order(task: ProductionTask) -> OpenOrder:
    """The task's MO as the order field shows it (the task knows all it needs: no read)."""
    planned = task.planned_quantity or Decimal(0)
    return OpenOrder(kind=MO, order_id=task.mo_id, order_no=task.mo_order_no, skus=[task.sku] if task.sku else [],
                     planned_quantity=planned, status="task",
                     label=" · ".join(p for p in (task.mo_order_no, task.sku, f"{planned:f} planned") if p)[:75])


def form_view(command: FloorCommand[Any], prefill: Prefill, channel_id: str | None,
              scrap_reasons: Sequence[str] = ()) -> View:
    metadata = {"ch": channel_id, "task": prefill.task.id if prefill.task else None, **command.metadata(prefill)}
    blocks: list[Any] = list(command.blocks(prefill))
    if prefill.warning:
        blocks = [cards.text(f":warning: {prefill.warning}"), *blocks]  # escaped where it was worded
    if command.scrap and scrap_reasons:
        blocks = [*blocks, *cards.scrap_blocks(scrap_reasons)]
    return cards.modal(command.title, blocks, callback_id=command.callback_id,
                       submit="Record", close="Cancel", metadata=metadata)


def list_form(floor: Floor, command: FloorCommand[Any], listed: OrderList, channel_id: str | None) -> View:
    """`form_view` for a form opened without a task or an order number, built once per version of the
    open-orders list.

    (bench row 1, issue 6) Rebuilding the same modal through slack_sdk's models cost about half the
    bot's CPU per /cook. Such a form depends only on the command, the list (its version in the store)
    and the scrap reasons, so it is built once and kept. Returns a fresh top-level dict (its own
    private_metadata); the blocks are shared, read-only."""
    reasons = tuple(floor.settings.scrap_reason_codes)
    forms = floor.orders.forms_for(listed)
    if (command.name, reasons) not in forms:
        forms[(command.name, reasons)] = form_view(command, Prefill(listed), None, reasons)
    view = forms[(command.name, reasons)]
    # Byte for byte what form_view's json.dumps(metadata) gives.
    return {**view, "private_metadata": f'{{"ch":{json.dumps(channel_id)},"task":null}}'}


async def open_form(floor: Floor, command: FloorCommand[Any], *, trigger_id: str, channel_id: str | None,
                    task: ProductionTask | None = None, typed: str = "") -> None:
    """Open the modal within the trigger's 3 s: from the store at once; through "Loading…" only the first
    time, before the open orders were ever read from Katana. `typed`: an order number after the command."""
    listed = await floor.orders.current(MO)
    if task is not None:
        extra = await command.prepare(floor, task) if command.prepare else {}
        prefill = Prefill(listed, task, task.elapsed_minutes(), chosen=task_order(task), extra=extra)
        await floor.slack.open_view(trigger_id, form_view(command, prefill, channel_id,
                                                          floor.settings.scrap_reason_codes))
        return
    if listed is not None:
        await floor.slack.open_view(trigger_id, await form_for(floor, command, listed, typed, channel_id))
        return
    opened = await floor.slack.open_view(trigger_id, cards.message_view(
        command.title, ":hourglass_flowing_sand: Loading open manufacturing orders from Katana…"))
    await floor.slack.update_view(opened.id, await form_or_apology(floor, command, channel_id, typed),
                                  hash=opened.hash)


async def form_for(floor: Floor, command: FloorCommand[Any], listed: OrderList, typed: str,
                   channel_id: str | None) -> View:
    if listed.choices == []:  # webhooks put a new MO in the store: nothing to ask Katana
        return cards.message_view(command.title, "There are no open manufacturing orders in Katana right now.")
    if not typed.strip():
        return list_form(floor, command, listed, channel_id)
    found, warning = await typed_order(floor, MO, typed)
    prefill = Prefill(listed, chosen=found, warning=warning)
    return form_view(command, prefill, channel_id, floor.settings.scrap_reason_codes)


async def form_or_apology(floor: Floor, command: FloorCommand[Any], channel_id: str | None, typed: str = "") -> View:
    try:
        listed = await floor.orders.loaded(MO)
    except KatanaError as exc:
        return cards.message_view(command.title, f":warning: Can't load the open orders: {escape(exc.user_message)}",
                                  footer="Nothing was recorded. Try the command again in a minute.")
    if listed is None:
        return cards.message_view(command.title, "The open orders are still being read from Katana: "
                                                 "try again in a minute.")
    return await form_for(floor, command, listed, typed, channel_id)


async def submit(floor: Floor, recorder: Recorder, command: FloorCommand[Any], ack: Ack,
                 submission: Submission) -> None:
    view = submission.view
    metadata = cards.read_metadata(view)
    form = Form((view.get("state") or {}).get("values") or {}, metadata)
    data = command.read(form, await offered(floor, MO, "mo", form, metadata))
    if command.scrap:
        data.update(read_scrap(form, floor.settings.scrap_reason_codes))
    if form.errors:
        await ack(response_action="errors", errors=form.errors.errors)
        return
    known = await floor.store.actions.get(submission.key)  # (a re-sent submission is that same action)
    if known is None and command.check is not None:
        await command.check(floor, form, data)  # Katana's state now: an emptied batch is said at its field
        if form.errors:
            await ack(response_action="errors", errors=form.errors.errors)
            return
    action = new_action(command, submission, data, metadata)
    if known is None:
        why_not = await first_or_why_not(floor, command, action, metadata)
        if why_not is not None:  # someone recorded this task already, or the same facts were just entered
            await ack(response_action="update", view=why_not)
            return
    await save_and_record(floor, recorder, ack, action, title=command.title)


def read_scrap(form: Form, reasons: Sequence[str]) -> dict[str, Any]:
    """Optional scrap: a quantity needs a reason from SCRAP_REASONS, a reason needs a quantity."""
    amount = form.quantity("scrap", "scrap quantity", required=False, allow_zero=True)
    reason = form.raw("scrap_reason") or None
    if reason is not None and reason not in reasons:
        form.errors.add("scrap_reason", "Choose a reason from the list.")  # stale or crafted
        reason = None
    if amount is not None and amount > 0 and reason is None and "scrap_reason" not in form.errors.errors:
        form.errors.add("scrap_reason", "Choose why it was scrapped.")
    if reason is not None and not (amount and amount > 0):
        form.errors.add("scrap", "Enter how much was scrapped, or clear the reason.")
    if not amount or amount <= Decimal(0):
        return {}
    return {"scrap": amount, "scrap_reason": reason}


# ---- help: what each command records in Katana, two lines each ------------------------------------

BUTTONS_HELP = ("*Task buttons* — Start claims a task and times it; Pause or Block (with a reason) set its Katana "
                "step to Paused or Blocked with the time so far; Resume starts it again.\n"
                "Record opens the form filled in from the task; Undo on your own confirmation takes it back "
                "in Katana for a few minutes.")


# What may follow each command: the number of the order its form opens on (issue 20).
ORDER_EXAMPLES = {"cook": "MO-1399", "label": "MO-1399", "pack": "MO-1399", "ship": "SO-7", "receive": "PO-31"}


def command_help(name: str) -> str:
    command = COMMANDS[name]
    first, _, second = (command.help or "").partition("\n")
    if name in ORDER_EXAMPLES:
        second = f"{second} `/{name} {ORDER_EXAMPLES[name]}` opens it on that order.".strip()
    return f"*/{name}* — {first}" + (f"\n{second}" if second else "")


def help_message(name: str) -> dict[str, Any]:
    """`/cook help` and the like: privately, in the slash command's HTTP answer."""
    return {"text": command_help(name)}


def floor_help(supervisor_verbs: str) -> dict[str, Any]:
    """`/floor help`: every floor command, the task buttons, then what /floor itself does."""
    parts = [command_help(name) for name in COMMANDS] + [BUTTONS_HELP, supervisor_verbs]
    return {"text": "\n\n".join(parts)}
