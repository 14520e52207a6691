"""The supervisors' decisions on a floor action that needs one: Retry, or Cancel → Undo in Katana / Keep.

Each returns the message that replaces the decision message, or None when the action was already
handled (a second supervisor, a double tap): the caller tells the tapper so, privately.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable

from commands import cards
from commands.announce import post_where_they_work
from commands.context import Floor
from commands.mrkdwn import escape
from commands.ports import Message
from commands.recording import Recorder
from commands.registry import COMMANDS
from commands.supervision import CANCEL, KEEP, RETRY, UNDO, apply_undo, cancel_preview, who

Decision = Callable[[Floor, Recorder, str, str], Awaitable[Message | None]]


async def retry(floor: Floor, recorder: Recorder, action_id: str, by: str) -> Message | None:
    action = await floor.store.actions.retry(action_id, by)
    if action is None:
        return None
    floor.jobs.spawn(recorder.record(action_id), name=f"retry {action_id}")
    text = f":repeat: Retrying /{action.command} by {escape(who(action))} — asked by {escape(by)}."
    return {"text": text, "blocks": [cards.text(text).to_dict()]}


async def cancel(floor: Floor, recorder: Recorder, action_id: str, by: str) -> Message | None:
    action = await floor.store.actions.get(action_id)
    if action is None or action.status != "failed":
        return None
    return cancel_preview(COMMANDS[action.command], action)


async def undo_in_katana(floor: Floor, recorder: Recorder, action_id: str, by: str) -> Message | None:
    return await close_cancelled(floor, action_id, by, automatic=True)


async def keep(floor: Floor, recorder: Recorder, action_id: str, by: str) -> Message | None:
    return await close_cancelled(floor, action_id, by, automatic=False)


async def close_cancelled(floor: Floor, action_id: str, by: str, *, automatic: bool) -> Message | None:
    outcome = "cancelled, recorded steps undone" if automatic else "cancelled, recorded steps kept"
    action = await floor.store.actions.cancel(action_id, by, outcome)
    if action is None:
        return None
    report = await apply_undo(floor, COMMANDS[action.command], action, automatic=automatic)
    await floor.store.audit.write("floor_action", f"/{action.command}", outcome, mo_id=action.mo_id,
                                  actor=by, action_id=action.id, report=report)
    text = f"/{action.command} by {escape(who(action))} was cancelled by {escape(by)}.\n" + "\n".join(report)
    message = {"text": text.splitlines()[0], "blocks": [cards.text(text).to_dict()]}
    await post_where_they_work(floor, action, message)  # the operator learns the final word
    return message


DECISIONS: dict[str, Decision] = {RETRY: retry, CANCEL: cancel, UNDO: undo_in_katana, KEEP: keep}
