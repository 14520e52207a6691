"""Bolt listeners: thin adapters from Slack requests to the floor flow.

Every listener acks first; anything slow happens after Slack has its 200.
"""
from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp

from commands import cards, flow, supervision, timers
from commands import undo as author_undo  # `undo` below is the supervisors' decision
from commands.cards import RECORD_TASK_ACTION
from commands.context import Floor
from commands.recording import Recorder
from commands.registry import COMMANDS

log = logging.getLogger(__name__)


def register_floor_commands(app: AsyncApp, floor: Floor, recorder: Recorder) -> None:
    for command in COMMANDS.values():
        app.command(f"/{command.name}")(slash_handler(floor, command))
        app.view(command.callback_id)(submit_handler(floor, recorder, command))
    app.action(RECORD_TASK_ACTION)(task_button_handler(floor))
    timers.register(app, floor)  # Start / Pause / Block on task messages and in App Home
    author_undo.register(app, floor)  # the author's Undo on confirmations
    register_decisions(app, floor, recorder)


def slash_handler(floor: Floor, command: Any) -> Any:
    async def on_slash(ack: Any, body: dict[str, Any]) -> None:
        if (body.get("text") or "").strip().lower() == "help":
            await ack(**flow.help_message(command.name))  # ephemeral, in the HTTP response
            return
        if not await floor.permissions.allows(body.get("user_id", ""), command.name):
            await ack(text=floor.permissions.refusal(command.name))  # only they see it
            return
        await ack()
        opener = command.extra.get("open", flow.open_form)  # /ship, /receive open their own first stage
        await opener(floor, command, trigger_id=body["trigger_id"], channel_id=body.get("channel_id"))
    return on_slash


def submit_handler(floor: Floor, recorder: Recorder, command: Any) -> Any:
    async def on_submit(ack: Any, body: dict[str, Any]) -> None:
        # Checked again here: a submission can be replayed or crafted without the slash command.
        if not await floor.permissions.allows((body.get("user") or {}).get("id", ""), command.name):
            first = next((b.get("block_id") for b in body["view"].get("blocks") or [] if b.get("type") == "input"), "mo")
            await ack(response_action="errors", errors={first: floor.permissions.refusal(command.name)})
            return
        await command.extra.get("submit", flow.submit)(floor, recorder, command, ack, body)
    return on_submit


def task_button_handler(floor: Floor) -> Any:
    async def on_record_task(ack: Any, body: dict[str, Any]) -> None:
        await ack()
        task = await floor.store.tasks.get(str(body["actions"][0].get("value")))
        channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
        user = (body.get("user") or {}).get("id")
        if task is None or task.kind not in COMMANDS or not task.is_open:  # SHIP tasks open /ship
            state = "no longer exists" if task is None else f"for {task.mo_order_no} is already {task.status}"
            await tell_privately(floor, channel, user, f"That task {state}.")
            return
        if not await floor.permissions.allows(user or "", task.kind):
            await tell_privately(floor, channel, user, floor.permissions.refusal(task.kind))
            return
        command = COMMANDS[task.kind]
        opener = command.extra.get("open", flow.open_form)
        await opener(floor, command, trigger_id=body["trigger_id"], channel_id=channel, task=task)
    return on_record_task


async def tell_privately(floor: Floor, channel: str | None, user: str | None, text: str) -> None:
    if not (channel and user):
        return
    try:
        await floor.slack.chat_postEphemeral(channel=channel, user=user, text=text)
    except Exception as exc:  # noqa: BLE001 — a hint that can't be shown is not worth failing for
        log.info("could not post ephemeral to %s: %s", user, exc)


def register_decisions(app: AsyncApp, floor: Floor, recorder: Recorder) -> None:
    """Supervisors' Retry / Cancel → Undo or Keep on floor actions that need a decision."""
    async def decide(body: dict[str, Any], choice: str) -> None:
        user = (body.get("user") or {}).get("id", "")
        channel, ts = message_ref(body)
        if not await floor.permissions.allows(user, "floor"):
            await tell_privately(floor, channel, user, floor.permissions.refusal("floor").replace("/floor", "supervisor buttons"))
            return
        name = await floor.people.name(user)  # type: ignore[union-attr]
        action_id = str(body["actions"][0].get("value"))
        update = await DECISIONS[choice](floor, recorder, action_id, name)
        if update is None:
            await tell_privately(floor, channel, user, "That action was already handled.")
        elif channel and ts:
            await floor.slack.chat_update(channel=channel, ts=ts, **update)

    def listener(choice: str) -> Any:
        async def on_decision(ack: Any, body: dict[str, Any]) -> None:
            # A tracked job: shutdown (and the scenario tests' settle) waits for the decision's Katana work.
            floor.jobs.spawn(decide(body, choice), name=f"decision {choice}")
            await ack()
        return on_decision

    for choice in DECISIONS:
        app.action(choice)(listener(choice))


def message_ref(body: dict[str, Any]) -> tuple[str | None, str | None]:
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
    return channel, container.get("message_ts") or (body.get("message") or {}).get("ts")


async def retry(floor: Floor, recorder: Recorder, action_id: str, by: str) -> dict[str, Any] | None:
    action = await floor.store.actions.retry(action_id, by)
    if action is None:
        return None
    floor.jobs.spawn(recorder.record(action_id), name=f"retry {action_id}")
    text = f":repeat: Retrying /{action.command} by {supervision.who(action)} — asked by {by}."
    return {"text": text, "blocks": [cards.text(text).to_dict()]}


async def cancel(floor: Floor, recorder: Recorder, action_id: str, by: str) -> dict[str, Any] | None:
    action = await floor.store.actions.get(action_id)
    return supervision.cancel_preview(action) if action is not None and action.status == "failed" else None


async def undo(floor: Floor, recorder: Recorder, action_id: str, by: str) -> dict[str, Any] | None:
    return await close_cancelled(floor, action_id, by, automatic=True)


async def keep(floor: Floor, recorder: Recorder, action_id: str, by: str) -> dict[str, Any] | None:
    return await close_cancelled(floor, action_id, by, automatic=False)


async def close_cancelled(floor: Floor, action_id: str, by: str, *, automatic: bool) -> dict[str, Any] | None:
    outcome = "cancelled, recorded steps undone" if automatic else "cancelled, recorded steps kept"
    action = await floor.store.actions.cancel(action_id, by, outcome)
    if action is None:
        return None
    report = await supervision.apply_undo(floor, action, automatic=automatic)
    await floor.store.audit.write("floor_action", f"/{action.command}", outcome, mo_id=action.mo_id,
                                  actor=by, action_id=action.id, report=report)
    text = f"/{action.command} by {supervision.who(action)} was cancelled by {by}.\n" + "\n".join(report)
    message = {"text": text.splitlines()[0], "blocks": [cards.text(text).to_dict()]}
    await flow.post_where_they_work(floor, action, message)  # the operator learns the final word
    return message


DECISIONS = {supervision.RETRY: retry, supervision.CANCEL: cancel, supervision.UNDO: undo, supervision.KEEP: keep}
