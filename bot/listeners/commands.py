"""The five floor commands: the slash command, the Record button on a task, each form's submission, and
the stages /ship and /receive have before their form (pick the order; attach the slip's photo)."""
from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.listeners.payloads import first_input, submission_of, tap_of
from commands import cards, flow
from commands.announce import tell_privately
from commands.cards import RECORD_TASK_ACTION
from commands.claiming import confirm_callback, submit_confirmed
from commands.context import Floor
from commands.forms import FloorCommand, Submitter
from commands.receiving.flow import on_photo
from commands.receiving.service import Receiving
from commands.receiving.views import PHOTO_CALLBACK
from commands.recording import Recorder
from commands.registry import COMMANDS
from commands.shipping.flow import on_pick
from commands.shipping.views import PICK_CALLBACK


def register(app: AsyncApp, floor: Floor, recorder: Recorder, receiving: Receiving) -> None:
    for command in COMMANDS.values():
        app.command(f"/{command.name}")(slash_handler(floor, command))
        app.view(command.callback_id)(submit_handler(floor, recorder, command, command.submits or flow.submit))
        app.view(confirm_callback(command))(submit_handler(floor, recorder, command, submit_confirmed))
    app.action(RECORD_TASK_ACTION)(record_task_handler(floor))

    async def on_pick_submit(ack: Any, body: dict[str, Any]) -> None:
        await on_pick(floor, ack, submission_of(body))

    async def on_photo_submit(ack: Any, body: dict[str, Any]) -> None:
        await on_photo(floor, receiving, ack, submission_of(body))

    app.view(PICK_CALLBACK)(on_pick_submit)
    app.view(PHOTO_CALLBACK)(on_photo_submit)


def slash_handler(floor: Floor, command: FloorCommand[Any]) -> Any:
    async def on_slash(ack: Any, body: dict[str, Any]) -> None:
        if (body.get("text") or "").strip().lower() == "help":
            await ack(**flow.help_message(command.name))  # ephemeral, in the HTTP response
            return
        if not await floor.permissions.allows(body.get("user_id", ""), command.name):
            await ack(text=floor.permissions.refusal(command.name))  # only they see it
            return
        await ack()
        opener = command.opens or flow.open_form
        await opener(floor, command, trigger_id=body["trigger_id"], channel_id=body.get("channel_id"))
    return on_slash


def submit_handler(floor: Floor, recorder: Recorder, command: FloorCommand[Any], submits: Submitter) -> Any:
    async def on_submit(ack: Any, body: dict[str, Any]) -> None:
        submission = submission_of(body)
        # Checked again here: a submission can be replayed or crafted without the slash command.
        if not await floor.permissions.allows(submission.user_id, command.name):
            refusal = floor.permissions.refusal(command.name)
            if first_input(submission.view, "") == "":  # a view without inputs shows no field errors
                await ack(response_action="update", view=cards.message_view(command.title, refusal))
            else:
                await ack(response_action="errors", errors={first_input(submission.view): refusal})
            return
        await submits(floor, recorder, command, ack, submission)
    return on_submit


def record_task_handler(floor: Floor) -> Any:
    async def on_record_task(ack: Any, body: dict[str, Any]) -> None:
        await ack()
        tap = tap_of(body)
        task = await floor.store.tasks.get(tap.value)
        if task is None or task.kind not in COMMANDS or not task.is_open:  # SHIP tasks open /ship
            state = "no longer exists" if task is None else f"for {task.mo_order_no} is already {task.status}"
            await tell_privately(floor, tap, f"That task {state}.")
            return
        if not await floor.permissions.allows(tap.user_id, task.kind):
            await tell_privately(floor, tap, floor.permissions.refusal(task.kind))
            return
        command = COMMANDS[task.kind]
        opener = command.opens or flow.open_form
        await opener(floor, command, trigger_id=body["trigger_id"], channel_id=tap.channel, task=task)
    return on_record_task
