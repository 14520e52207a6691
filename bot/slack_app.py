"""Bolt listeners: thin adapters from Slack requests to the floor flow.

Every listener acks first; anything slow happens after Slack has its 200.
"""
from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp

from commands import flow
from commands.cards import RECORD_TASK_ACTION
from commands.context import Floor
from commands.recording import Recorder
from commands.registry import COMMANDS
from models.tasks import PRODUCTION_STAGES

log = logging.getLogger(__name__)


def register_floor_commands(app: AsyncApp, floor: Floor, recorder: Recorder) -> None:
    for command in COMMANDS.values():
        app.command(f"/{command.name}")(slash_handler(floor, command))
        app.view(command.callback_id)(submit_handler(floor, recorder, command))
    app.action(RECORD_TASK_ACTION)(task_button_handler(floor))


def slash_handler(floor: Floor, command: Any) -> Any:
    async def on_slash(ack: Any, body: dict[str, Any]) -> None:
        if (body.get("text") or "").strip().lower() == "help":
            await ack(text=f"*/{command.name}* — {command.help}")  # ephemeral, in the HTTP response
            return
        if not await floor.permissions.allows(body.get("user_id", ""), command.name):
            await ack(text=floor.permissions.refusal(command.name))  # only they see it
            return
        await ack()
        await flow.open_form(floor, command, trigger_id=body["trigger_id"], channel_id=body.get("channel_id"))
    return on_slash


def submit_handler(floor: Floor, recorder: Recorder, command: Any) -> Any:
    async def on_submit(ack: Any, body: dict[str, Any]) -> None:
        # Checked again here: a submission can be replayed or crafted without the slash command.
        if not await floor.permissions.allows((body.get("user") or {}).get("id", ""), command.name):
            await ack(response_action="errors", errors={"mo": floor.permissions.refusal(command.name)})
            return
        await flow.submit(floor, recorder, command, ack, body)
    return on_submit


def task_button_handler(floor: Floor) -> Any:
    async def on_record_task(ack: Any, body: dict[str, Any]) -> None:
        await ack()
        task = await floor.store.tasks.get(str(body["actions"][0].get("value")))
        channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
        user = (body.get("user") or {}).get("id")
        if task is None or task.kind not in PRODUCTION_STAGES or not task.is_open:
            state = "no longer exists" if task is None else f"for {task.mo_order_no} is already {task.status}"
            await tell_privately(floor, channel, user, f"That task {state}.")
            return
        if not await floor.permissions.allows(user or "", task.kind):
            await tell_privately(floor, channel, user, floor.permissions.refusal(task.kind))
            return
        await flow.open_form(floor, COMMANDS[task.kind], trigger_id=body["trigger_id"], channel_id=channel, task=task)
    return on_record_task


async def tell_privately(floor: Floor, channel: str | None, user: str | None, text: str) -> None:
    if not (channel and user):
        return
    try:
        await floor.slack.chat_postEphemeral(channel=channel, user=user, text=text)
    except Exception as exc:  # noqa: BLE001 — a hint that can't be shown is not worth failing for
        log.info("could not post ephemeral to %s: %s", user, exc)
