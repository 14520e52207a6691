"""The supervisors' decisions on a floor action that needs one: Retry, or Cancel → Undo in Katana / Keep.

Each returns the message that replaces the decision message, or None when the action was already
handled (a second supervisor, a double tap): the caller tells the tapper so, privately. Undo in Katana
and Keep start a reversal (commands.reversal), which rewrites the decision message with its report when
it is done and tells the operator.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from commands import cards, reversal
from commands.context import Floor
from commands.ports import Message
from commands.recording import Recorder
from commands.registry import COMMANDS
from commands.supervision import CANCEL, KEEP, RETRY, UNDO, cancel_preview, who

Decision = Callable[[Floor, Recorder, str, str, dict[str, Any] | None], Awaitable[Message | None]]


async def retry(floor: Floor, recorder: Recorder, action_id: str, by: str,
                where: dict[str, Any] | None) -> Message | None:
    action = await floor.store.actions.retry(action_id, by)
    if action is None:
        return None
    floor.jobs.spawn(recorder.record(action_id), name=f"retry {action_id}")
    text = f":repeat: Retrying /{action.command} by {who(action)} — asked by {by}."
    return {"text": text, "blocks": [cards.text(text).to_dict()]}


async def cancel(floor: Floor, recorder: Recorder, action_id: str, by: str,
                 where: dict[str, Any] | None) -> Message | None:
    action = await floor.store.actions.get(action_id)
    if action is None or action.status != "failed":
        return None
    return cancel_preview(COMMANDS[action.command], action)


async def undo_in_katana(floor: Floor, recorder: Recorder, action_id: str, by: str,
                         where: dict[str, Any] | None) -> Message | None:
    return await close_cancelled(floor, recorder, action_id, by, where, "undo_in_katana")


async def keep(floor: Floor, recorder: Recorder, action_id: str, by: str,
               where: dict[str, Any] | None) -> Message | None:
    return await close_cancelled(floor, recorder, action_id, by, where, "keep")


async def close_cancelled(floor: Floor, recorder: Recorder, action_id: str, by: str, where: dict[str, Any] | None,
                          kind: reversal.Kind) -> Message | None:
    action = await floor.store.actions.get(action_id)
    if action is None or action.status != "failed" or action.command not in COMMANDS:
        return None
    if not await reversal.start(floor, recorder, action, kind, by=by, by_user=None, decision=where):
        return None
    doing = "taking back what was recorded" if kind == "undo_in_katana" else "keeping what was recorded"
    text = f":hourglass_flowing_sand: Cancelling /{action.command} by {who(action)} — {doing} (asked by {by})…"
    return {"text": text, "blocks": [cards.text(text).to_dict()]}


DECISIONS: dict[str, Decision] = {RETRY: retry, CANCEL: cancel, UNDO: undo_in_katana, KEEP: keep}
