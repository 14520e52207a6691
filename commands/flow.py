"""The one flow every floor command follows.

open:   ack → views.open at once (trigger ids die in 3 s) → form, or "Loading…" then the form.
submit: read the form → field errors back to Slack, nothing written
        → else save the FloorAction → ack with "Recording…" → run the plan in the background
        → the modal shows the outcome; a confirmation goes to the channel, with an Undo that
          only its author can use for UNDO_WINDOW_MINUTES (commands/undo.py).

Commands that declare `extra={"scrap": True}` get the scrap quantity and reason inputs, read here
against SCRAP_REASONS, so each command's own module only words the facts.
"""
from __future__ import annotations

import asyncio
import json
import logging
from decimal import Decimal
from typing import Any, Awaitable, Callable, Sequence

from slack_sdk.errors import SlackApiError

from commands import cards, supervision, undo
from commands.context import Floor
from commands.fields import Form
from commands.forms import FloorCommand, Prefill
from commands.orders import OrderChoice
from commands.recording import Outcome, Recorder
from commands.registry import COMMANDS
from integrations.katana.errors import KatanaError
from models.actions import ActionStep, FloorAction
from models.base import utcnow
from models.tasks import ProductionTask

log = logging.getLogger(__name__)
Ack = Callable[..., Awaitable[None]]
ACK_LANDING_SECONDS = 0.5


def task_choice(task: ProductionTask) -> OrderChoice:
    return OrderChoice(task.mo_id, task.mo_order_no, task.sku, task.planned_quantity or 0, "task")  # type: ignore[arg-type]


def form_view(command: FloorCommand, prefill: Prefill, channel_id: str | None,
              scrap_reasons: Sequence[str] = ()) -> dict[str, Any]:
    metadata = {"ch": channel_id, "task": prefill.task.id if prefill.task else None,
                "mos": [c.mo_id for c in prefill.choices]}
    blocks = command.blocks(prefill)
    if command.extra.get("scrap") and scrap_reasons:
        blocks = [*blocks, *cards.scrap_blocks(scrap_reasons)]
    return cards.modal(command.title, blocks, callback_id=command.callback_id,
                       submit="Record", close="Cancel", metadata=metadata)


# (bench row 1, issue 6) Rebuilding the same modal through slack_sdk's models cost about half the
# bot's CPU per /cook. A form opened without a task depends only on the command, the open-orders
# list and the scrap reasons, so it is built (and validated) once per list: OpenOrders hands out the
# same list object until it reloads, and each entry keeps its list alive so an id is never reused.
FORM_CACHE_SIZE = 32
CachedForm = tuple[FloorCommand, list[OrderChoice], dict[str, Any], str]  # command, list, view, MO ids as JSON
_forms: dict[tuple[int, int, tuple[str, ...]], CachedForm] = {}


def list_form(command: FloorCommand, choices: list[OrderChoice], channel_id: str | None,
              scrap_reasons: Sequence[str] = ()) -> dict[str, Any]:
    """`form_view` for a form opened without a task, built once per open-orders list.

    Returns a fresh top-level dict (its own private_metadata); the blocks are shared, read-only."""
    reasons = tuple(scrap_reasons)
    key = (id(command), id(choices), reasons)
    entry = _forms.get(key)
    if entry is None or entry[0] is not command or entry[1] is not choices:
        if len(_forms) >= FORM_CACHE_SIZE:
            _forms.clear()
        view = form_view(command, Prefill(choices), None, reasons)
        mos = json.dumps([c.mo_id for c in choices], separators=(",", ":"))
        entry = _forms[key] = (command, choices, view, mos)
    _, _, view, mos = entry
    # Byte for byte what form_view's json.dumps(metadata) gives, without re-encoding the MO ids.
    return {**view, "private_metadata": f'{{"ch":{json.dumps(channel_id)},"task":null,"mos":{mos}}}'}


async def open_form(floor: Floor, command: FloorCommand, *, trigger_id: str, channel_id: str | None,
                    task: ProductionTask | None = None) -> None:
    """Open the modal within the trigger's 3 s; go through "Loading…" only when Katana must be asked."""
    cached = floor.orders.peek()
    if task is None and cached:  # an empty cached list is asked again: maybe an MO was just created
        view = list_form(command, cached, channel_id, floor.settings.scrap_reason_codes)
        await floor.slack.views_open(trigger_id=trigger_id, view=view)
        return
    if task is not None:
        choices = merge_choices(task, cached or [])
        prefill = Prefill(choices, task, task.elapsed_minutes())
        view = form_view(command, prefill, channel_id, floor.settings.scrap_reason_codes)
        await floor.slack.views_open(trigger_id=trigger_id, view=view)
        return
    opened = await floor.slack.views_open(trigger_id=trigger_id, view=cards.message_view(
        command.title, ":hourglass_flowing_sand: Loading open manufacturing orders from Katana…"))
    view = await form_or_apology(floor, command, channel_id)
    await floor.slack.views_update(view_id=opened["view"]["id"], hash=opened["view"]["hash"], view=view)


def merge_choices(task: ProductionTask | None, choices: list[OrderChoice]) -> list[OrderChoice]:
    if task is None or any(c.mo_id == task.mo_id for c in choices):
        return choices
    return [task_choice(task), *choices][:100]


async def form_or_apology(floor: Floor, command: FloorCommand, channel_id: str | None) -> dict[str, Any]:
    try:
        choices = await floor.orders.list()
    except KatanaError as exc:
        return cards.message_view(command.title, f":warning: Can't load the open orders: {exc.user_message}",
                                  footer="Nothing was recorded. Try the command again in a minute.")
    if not choices:
        return cards.message_view(command.title, "There are no open manufacturing orders in Katana right now.")
    return list_form(command, choices, channel_id, floor.settings.scrap_reason_codes)


def submission_key(view: dict[str, Any]) -> str:
    """Slack re-sends the same view id and hash for a double click or a retry: one action."""
    return f"{view['id']}:{view.get('hash') or ''}"


async def submit(floor: Floor, recorder: Recorder, command: FloorCommand, ack: Ack,
                 body: dict[str, Any]) -> None:
    view = body["view"]
    metadata = cards.read_metadata(view)
    offered = {str(m) for m in metadata.get("mos") or []}
    form = Form((view.get("state") or {}).get("values") or {})
    data = command.read(form, offered)
    if command.extra.get("scrap"):
        data.update(read_scrap(form, floor.settings.scrap_reason_codes))
    if form.errors:
        await ack(response_action="errors", errors=form.errors.errors)
        return
    action, created = await floor.store.actions.create(new_action(command, body, data, metadata))
    await ack(response_action="update", view=cards.message_view(
        command.title, f":hourglass_flowing_sand: Recording in Katana…",
        footer="You can close this; you'll get a confirmation in the channel."))
    if created:
        floor.jobs.spawn(recorder.record(action.id), name=f"record {action.id}")


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


def new_action(command: FloorCommand, body: dict[str, Any], data: dict[str, Any],
               metadata: dict[str, Any]) -> FloorAction:
    user = body.get("user") or {}
    now = utcnow()
    return FloorAction(
        _id=submission_key(body["view"]), command=command.name, user_id=user.get("id", "?"),
        user_name=user.get("name") or user.get("username") or user.get("id", "?"),
        channel_id=metadata.get("ch"), view_id=body["view"]["id"], task_id=metadata.get("task"),
        mo_id=data.get("mo_id"), input=data, steps=[ActionStep(_id=name) for name in command.plan],
        created_at=now, updated_at=now)


async def announce(floor: Floor, outcome: Outcome) -> None:
    """Tell the operator: in the modal (if still open) and in the channel the command came from."""
    action, command = outcome.action, COMMANDS[outcome.action.command]
    if outcome.status == "waiting" and action.attempts > 1:
        return  # they were told once that it is saved; the next word is the final outcome
    facts = {**action.input, **action.results()}
    view, message = outcome_texts(floor, command, outcome, facts)
    # The channel first: it needs no waiting, while the modal must let the ack's view land first.
    posted = await post_where_they_work(floor, action, message)
    if action.view_id and action.attempts <= 1:
        await let_the_ack_land(action)
        try:
            await floor.slack.views_update(view_id=action.view_id, view=view)
        except SlackApiError:
            pass  # the person closed the modal; the channel message above reached them
    if outcome.status == "recorded" and posted is not None:
        await undo.offer(floor, action, posted, cards.without_undo(message))
    if supervision.needs_supervisor(outcome):
        await supervision.ask_supervisors(floor, outcome)
    for hook in floor.on_recorded:  # e.g. the author's App Home shows the new outcome
        try:
            await hook(outcome)
        except Exception:  # noqa: BLE001 — an extra view must never break the announcement
            log.exception("on_recorded hook failed for %s", action.id)


async def let_the_ack_land(action: FloorAction) -> None:
    """Slack applies our ack's "Recording…" view when it reads the HTTP response; an outcome sent
    sooner through views.update would be overwritten by it. Quick outcomes wait that moment out."""
    elapsed = (utcnow() - action.created_at).total_seconds()
    if elapsed < ACK_LANDING_SECONDS:
        await asyncio.sleep(ACK_LANDING_SECONDS - elapsed)


def outcome_texts(floor: Floor, command: FloorCommand, outcome: Outcome,
                  facts: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    order_no = str(facts.get("order_no") or f"MO {facts.get('mo_id')}")
    link = floor.katana_link(int(facts["mo_id"]))
    if outcome.status == "recorded":
        headline, extra = command.headline(facts)
        author = str(facts.get("person") or outcome.action.user_name)
        return (cards.message_view(command.title, ":white_check_mark: Recorded in Katana.\n" + headline),
                cards.confirmation_message(headline, extra, link, order_no,
                                           undo=(outcome.action.id, author, floor.settings.undo_window_minutes)))
    if outcome.status == "waiting":
        text = (f":floppy_disk: Saved — Katana isn't answering right now. Don't enter this /{command.name} for "
                f"*{order_no}* again: the bot records it as soon as Katana answers, checking first that "
                "nothing is doubled. You'll get a message here.")
    else:
        done = ", ".join(outcome.recorded) or "nothing"
        missing = ", ".join(outcome.not_recorded) or "nothing"
        text = (f":x: /{command.name} for *{order_no}* was not fully recorded: {outcome.problem}\n"
                f"Recorded in Katana: {done}. Not recorded: {missing}.")
        if outcome.uncertain:
            text += f" May have been recorded (check in Katana before entering it again): {', '.join(outcome.uncertain)}."
    return cards.message_view(command.title, text), cards.confirmation_message(text, [], link, order_no)


async def post_where_they_work(floor: Floor, action: FloorAction,
                               message: dict[str, Any]) -> tuple[str, str] | None:
    """The channel the command came from; FLOOR_CHANNEL when the bot can't post there (e.g. a DM).
    Returns (channel, ts) of the message, or None when it could not be posted anywhere."""
    for channel in dict.fromkeys(c for c in (action.channel_id, floor.settings.floor_channel) if c):
        try:
            reply = await floor.slack.chat_postMessage(channel=channel, **message)
            return str(reply["channel"]), str(reply["ts"])
        except SlackApiError as exc:
            log.warning("could not post to %s: %s", channel, exc.response.get("error"))
    if action.user_id:
        try:  # last resort: a DM, so the operator always learns the outcome
            reply = await floor.slack.chat_postMessage(channel=action.user_id, **message)
            return str(reply["channel"]), str(reply["ts"])
        except SlackApiError as exc:
            log.error("could not tell %s about action %s: %s", action.user_id, action.id, exc.response.get("error"))
    return None


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
