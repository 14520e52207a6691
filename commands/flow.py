"""The one flow /cook, /label and /pack follow.

open:   ack → views.open at once (trigger ids die in 3 s) → form, or "Loading…" then the form.
submit: read the form → field errors back to Slack, nothing written
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
from commands.orders import OrderChoice
from commands.ports import Ack, Submission, View
from commands.recording import Recorder
from commands.registry import COMMANDS
from commands.submissions import new_action, save_and_record
from integrations.katana.errors import KatanaError
from models.tasks import ProductionTask

log = logging.getLogger(__name__)


def task_choice(task: ProductionTask) -> OrderChoice:
    return OrderChoice(task.mo_id, task.mo_order_no, task.sku, task.planned_quantity or Decimal(0), "task")


def form_view(command: FloorCommand[Any], prefill: Prefill, channel_id: str | None,
              scrap_reasons: Sequence[str] = ()) -> View:
    metadata = {"ch": channel_id, "task": prefill.task.id if prefill.task else None,
                "mos": [c.mo_id for c in prefill.choices]}
    blocks = command.blocks(prefill)
    if command.scrap and scrap_reasons:
        blocks = [*blocks, *cards.scrap_blocks(scrap_reasons)]
    return cards.modal(command.title, blocks, callback_id=command.callback_id,
                       submit="Record", close="Cancel", metadata=metadata)


def list_form(floor: Floor, command: FloorCommand[Any], choices: list[OrderChoice], channel_id: str | None) -> View:
    """`form_view` for a form opened without a task, built once per open-orders list.

    (bench row 1, issue 6) Rebuilding the same modal through slack_sdk's models cost about half the
    bot's CPU per /cook. A form opened without a task depends only on the command, the open-orders
    list and the scrap reasons: OpenOrders hands out the same list object until it reloads, and keeps
    the forms built from it. Returns a fresh top-level dict (its own private_metadata); the blocks are
    shared, read-only."""
    reasons = tuple(floor.settings.scrap_reason_codes)
    forms = floor.orders.forms_for(choices)
    if (command.name, reasons) not in forms:
        view = form_view(command, Prefill(choices), None, reasons)
        forms[(command.name, reasons)] = (view, json.dumps([c.mo_id for c in choices], separators=(",", ":")))
    view, mos = forms[(command.name, reasons)]
    # Byte for byte what form_view's json.dumps(metadata) gives, without re-encoding the MO ids.
    return {**view, "private_metadata": f'{{"ch":{json.dumps(channel_id)},"task":null,"mos":{mos}}}'}


async def open_form(floor: Floor, command: FloorCommand[Any], *, trigger_id: str, channel_id: str | None,
                    task: ProductionTask | None = None) -> None:
    """Open the modal within the trigger's 3 s; go through "Loading…" only when Katana must be asked."""
    cached = floor.orders.peek()
    if task is None and cached:  # an empty cached list is asked again: maybe an MO was just created
        await floor.slack.open_view(trigger_id, list_form(floor, command, cached, channel_id))
        return
    if task is not None:
        prefill = Prefill(merge_choices(task, cached or []), task, task.elapsed_minutes())
        await floor.slack.open_view(trigger_id, form_view(command, prefill, channel_id,
                                                          floor.settings.scrap_reason_codes))
        return
    opened = await floor.slack.open_view(trigger_id, cards.message_view(
        command.title, ":hourglass_flowing_sand: Loading open manufacturing orders from Katana…"))
    await floor.slack.update_view(opened.id, await form_or_apology(floor, command, channel_id), hash=opened.hash)


def merge_choices(task: ProductionTask | None, choices: list[OrderChoice]) -> list[OrderChoice]:
    if task is None or any(c.mo_id == task.mo_id for c in choices):
        return choices
    return [task_choice(task), *choices][:100]


async def form_or_apology(floor: Floor, command: FloorCommand[Any], channel_id: str | None) -> View:
    try:
        choices = await floor.orders.choices()
    except KatanaError as exc:
        return cards.message_view(command.title, f":warning: Can't load the open orders: {exc.user_message}",
                                  footer="Nothing was recorded. Try the command again in a minute.")
    if not choices:
        return cards.message_view(command.title, "There are no open manufacturing orders in Katana right now.")
    return list_form(floor, command, choices, channel_id)


async def submit(floor: Floor, recorder: Recorder, command: FloorCommand[Any], ack: Ack,
                 submission: Submission) -> None:
    view = submission.view
    metadata = cards.read_metadata(view)
    offered = {str(m) for m in metadata.get("mos") or []}
    form = Form((view.get("state") or {}).get("values") or {})
    data = command.read(form, offered)
    if command.scrap:
        data.update(read_scrap(form, floor.settings.scrap_reason_codes))
    if form.errors:
        await ack(response_action="errors", errors=form.errors.errors)
        return
    action = new_action(command, submission, data, metadata)
    if await floor.store.actions.get(action.id) is None:  # (a re-sent submission is that same action)
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


def command_help(name: str) -> str:
    command = COMMANDS[name]
    first, _, second = (command.help or "").partition("\n")
    return f"*/{name}* — {first}" + (f"\n{second}" if second else "")


def help_message(name: str) -> dict[str, Any]:
    """`/cook help` and the like: privately, in the slash command's HTTP answer."""
    return {"text": command_help(name)}


def floor_help(supervisor_verbs: str) -> dict[str, Any]:
    """`/floor help`: every floor command, the task buttons, then what /floor itself does."""
    parts = [command_help(name) for name in COMMANDS] + [BUTTONS_HELP, supervisor_verbs]
    return {"text": "\n\n".join(parts)}
