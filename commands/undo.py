"""The author's Undo: a recorded action's confirmation can be taken back by the person who entered it.

For UNDO_WINDOW_MINUTES after the confirmation is posted, its Undo button works for its author only
(anyone else who taps it is told, privately, to ask the author or a supervisor). Undo applies the same
compensating plan the supervisors' Cancel uses (commands/supervision.py): what Katana can take back
is taken back, what it can't is spelled out step by step. The stage's task opens again and the next
stage's task, if nobody started it, is withdrawn. The audit trail keeps the original entry and the undo.

The undo is a reversal (commands.reversal): stored before its first Katana call under a key of its own
("undo:" + the action), so a double tap undoes once and a crash in the middle is resumed by the worker.
"""
from __future__ import annotations

import logging
from typing import Any

from commands import reversal
from commands.announce import show_on_confirmation
from commands.context import Floor
from commands.forms import FloorCommand
from commands.recording import Recorder
from commands.registry import COMMANDS
from models.actions import FloorAction
from models.base import aware
from models.tasks import NEXT_STAGE, task_id

log = logging.getLogger(__name__)


async def author_undo(floor: Floor, recorder: Recorder, action_id: str, user_id: str) -> str | None:
    """Undo `action_id` for `user_id`; returns what to tell them privately when it can't be done.
    The undo itself is a reversal (commands.reversal): stored first, then run, resumed after any crash."""
    action = await floor.store.actions.get(action_id)
    if action is None or action.status != "recorded" or action.command not in COMMANDS:
        return "That action can't be undone from here any more."
    name = await floor.slack.person_name(user_id)
    if user_id != action.user_id:
        return (f"Only {action.results().get('person') or action.user_name} can undo this. If it is wrong, ask them, "
                "or a supervisor to correct it in Katana.")
    refusal = await chain_blocker(floor, COMMANDS[action.command], action)
    if refusal:
        return refusal
    offered = await floor.store.undo_offers.get(action_id)
    now = await floor.store.clock.now()  # the Undo window is judged on the database's clock, like leases
    if offered is None or offered["state"] != "offered" or aware(offered["expires_at"]) <= now:
        return await why_not(floor, action_id)
    confirmation = {"channel": offered["channel"], "ts": offered["ts"], "text": offered["message"].get("text", "")}
    if not await reversal.start(floor, recorder, action, "author", by=name, by_user=user_id,
                                confirmation=confirmation):
        return "It is already undone."
    await floor.store.undo_offers.claim(action_id, name, now)  # the button answers "undone" from now on
    return None


async def why_not(floor: Floor, action_id: str) -> str:
    offered = await floor.store.undo_offers.get(action_id)
    if offered is None:
        return "That confirmation has no Undo."
    if offered["state"] in ("undoing", "undone"):
        return "It is already undone."
    return (f"The {floor.settings.undo_window_minutes:g} minutes to undo this are over. Ask a supervisor to "
            "correct it in Katana.")


async def chain_blocker(floor: Floor, command: FloorCommand[Any], action: FloorAction) -> str | None:
    """The next stage already happened (or is under way): undoing this one would leave it hanging."""
    following = NEXT_STAGE.get(command.stage)
    if following is None or action.mo_id is None:
        return None
    upcoming = await floor.store.tasks.get(task_id(following, action.mo_id))
    if upcoming is None:
        return None
    order = upcoming.mo_order_no
    if upcoming.status == "done":
        return f"The {following} step for {order} is already recorded: it has to be undone first."
    if upcoming.timer_state in ("running", "paused") or upcoming.assignee:
        return (f"{upcoming.assignee_name or 'Someone'} already started the {following} task for {order}. "
                "Ask them to stop, then a supervisor to correct it in Katana.")
    return None


async def expire_due(floor: Floor) -> int:
    """Take the Undo button off confirmations whose window is over (the worker's job)."""
    expired = await floor.store.undo_offers.expired(await floor.store.clock.now())
    for offered in expired:
        await show_on_confirmation(floor, offered["channel"], offered["ts"], offered["message"])
        await floor.store.undo_offers.settle(offered["_id"], "expired")
    return len(expired)
