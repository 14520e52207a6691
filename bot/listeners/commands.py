"""The five floor commands: the slash command, the Record button on a task (and Mark delivered on a SHIP task
waiting for pickup), each form's submission, and the stages /ship and /receive have before their form (pick
the order; attach the slip's photo; type the lines or read again when the slip could not be read)."""
from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from pymongo.errors import PyMongoError
from slack_bolt.async_app import AsyncApp

from bot.listeners.payloads import first_input, submission_of, tap_of
from commands import cards, flow
from commands.announce import tell_privately
from commands.cards import DELIVER_TASK_ACTION, RECORD_TASK_ACTION
from commands.claiming import confirm_callback, submit_confirmed
from commands.context import Floor
from commands.forms import FloorCommand, Submitter
from commands.mrkdwn import escape
from commands.ports import SlackRefused
from commands.receiving.flow import on_photo
from commands.receiving.service import Receiving
from commands.receiving.unreadable import on_unreadable
from commands.receiving.views import PHOTO_CALLBACK, UNREADABLE_CALLBACK
from commands.receiving.views import TITLE as RECEIVE_TITLE
from commands.recording import Recorder
from commands.registry import COMMANDS
from commands.shipping.delivery import open_delivery
from commands.shipping.flow import on_pick
from commands.shipping.views import PICK_CALLBACK
from commands.shipping.views import TITLE as SHIP_TITLE
from commands.submissions import ack_landed
from models.base import utcnow

log = logging.getLogger(__name__)


def register(app: AsyncApp, floor: Floor, recorder: Recorder, receiving: Receiving) -> None:
    for command in COMMANDS.values():
        app.command(f"/{command.name}")(slash_handler(floor, command))
        app.view(command.callback_id)(submit_handler(floor, recorder, command, command.submits or flow.submit))
        app.view(confirm_callback(command))(submit_handler(floor, recorder, command, submit_confirmed))
    app.action(RECORD_TASK_ACTION)(record_task_handler(floor))
    app.action(DELIVER_TASK_ACTION)(deliver_task_handler(floor))

    async def on_pick_submit(ack: Any, body: dict[str, Any]) -> None:
        submission = submission_of(body)
        await saving(floor, ack, submission.view, "/ship", SHIP_TITLE,
                     lambda ack_once: on_pick(floor, ack_once, submission))

    async def on_photo_submit(ack: Any, body: dict[str, Any]) -> None:
        submission = submission_of(body)
        await saving(floor, ack, submission.view, "/receive", RECEIVE_TITLE,
                     lambda ack_once: on_photo(floor, receiving, ack_once, submission))

    async def on_unreadable_submit(ack: Any, body: dict[str, Any]) -> None:  # type the lines, or read again
        submission = submission_of(body)
        await saving(floor, ack, submission.view, "/receive", RECEIVE_TITLE,
                     lambda ack_once: on_unreadable(floor, receiving, ack_once, submission))

    app.view(PICK_CALLBACK)(on_pick_submit)
    app.view(PHOTO_CALLBACK)(on_photo_submit)
    app.view(UNREADABLE_CALLBACK)(on_unreadable_submit)


def slash_handler(floor: Floor, command: FloorCommand[Any]) -> Any:
    async def on_slash(ack: Any, body: dict[str, Any], respond: Any) -> None:
        if (body.get("text") or "").strip().lower() == "help":
            await ack(**flow.help_message(command.name))  # ephemeral, in the HTTP response
            return
        refusal = await floor.permissions.refusal(body.get("user_id", ""), command.name)
        if refusal:
            await ack(text=refusal)  # only they see it
            return
        await ack()
        opener = command.opens or flow.open_form
        try:
            # `/cook MO-1399`: the text after the command names the order the form opens on.
            await opener(floor, command, trigger_id=body["trigger_id"], channel_id=body.get("channel_id"),
                         typed=str(body.get("text") or "")[:100])
        except PyMongoError as exc:  # a failover while the form was being opened: say so, privately
            log.warning("/%s form not opened: the store failed (%s)", command.name, type(exc).__name__)
            await respond(text=f"The bot could not open /{command.name} just now (its database did not answer). "
                               "Nothing was recorded. Try again in a moment.", response_type="ephemeral")
    return on_slash


def submit_handler(floor: Floor, recorder: Recorder, command: FloorCommand[Any], submits: Submitter) -> Any:
    async def on_submit(ack: Any, body: dict[str, Any]) -> None:
        submission = submission_of(body)
        # Checked again here: a submission can be replayed or crafted without the slash command.
        refusal = await floor.permissions.refusal(submission.user_id, command.name)
        if refusal:
            await refuse_in_form(ack, command.title, submission.view, refusal)
            return
        await saving(floor, ack, submission.view, f"/{command.name}", command.title,
                     lambda ack_once: submits(floor, recorder, command, ack_once, submission))
    return on_submit


STORE_AWAY = "The bot could not save this just now — nothing was recorded. Submit again in a moment."


async def saving(floor: Floor, ack: Any, view: dict[str, Any], name: str, title: str,
                 work: Callable[[Any], Awaitable[None]]) -> None:
    """A submission's work, whose store error (a failover) the person is told about: nothing was saved,
    so nothing will be recorded. Not acked yet: at the form's first field, what was typed kept. Acked
    already (a "Loading…" modal): that modal says it instead of waiting for ever."""
    acked_at: datetime | None = None

    async def ack_once(**answer: Any) -> None:
        nonlocal acked_at
        acked_at = utcnow()
        await ack(**answer)
    try:
        await work(ack_once)
    except PyMongoError as exc:
        log.warning("%s submission not saved: the store failed (%s)", name, type(exc).__name__)
        if acked_at is None:
            await refuse_in_form(ack, title, view, STORE_AWAY)
            return
        await ack_landed(acked_at)  # else Slack applies the ack's "Loading…" after this message
        try:
            await floor.slack.update_view(str(view.get("id")), cards.message_view(title, STORE_AWAY))
        except SlackRefused:
            pass  # closed meanwhile: nobody to tell


async def refuse_in_form(ack: Any, title: str, view: dict[str, Any], why: str) -> None:
    """Say why at the form's first field (what was typed stays), or instead of a form without fields."""
    if first_input(view, "") == "":
        await ack(response_action="update", view=cards.message_view(title, why))
    else:
        await ack(response_action="errors", errors={first_input(view): why})


def record_task_handler(floor: Floor) -> Any:
    async def on_record_task(ack: Any, body: dict[str, Any]) -> None:
        await ack()
        tap = tap_of(body)
        task = await floor.store.tasks.get(tap.value)
        if task is None or task.kind not in COMMANDS or not task.is_open:  # SHIP tasks open /ship
            state = "no longer exists" if task is None else f"for {escape(task.mo_order_no)} is already {task.status}"
            await tell_privately(floor, tap, f"That task {state}.")
            return
        refusal = await floor.permissions.refusal(tap.user_id, task.kind)
        if refusal:
            await tell_privately(floor, tap, refusal)
            return
        command = COMMANDS[task.kind]
        opener = command.opens or flow.open_form
        await opener(floor, command, trigger_id=body["trigger_id"], channel_id=tap.channel, task=task)
    return on_record_task


def deliver_task_handler(floor: Floor) -> Any:
    """Mark delivered on a SHIP task waiting for pickup: the /ship delivery form for its order."""
    async def on_deliver(ack: Any, body: dict[str, Any]) -> None:
        await ack()
        tap = tap_of(body)
        task = await floor.store.tasks.get(tap.value)
        if task is None or task.kind != "ship" or not task.is_open:
            state = "no longer exists" if task is None else f"for {escape(task.mo_order_no)} is already {task.status}"
            await tell_privately(floor, tap, f"That task {state}.")
            return
        refusal = await floor.permissions.refusal(tap.user_id, "ship")
        if refusal:
            await tell_privately(floor, tap, refusal)
            return
        await open_delivery(floor, tap.user_id, trigger_id=body["trigger_id"], channel_id=tap.channel, task=task)
    return on_deliver
