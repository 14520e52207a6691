"""The author's Undo: a recorded action's confirmation can be taken back by the person who entered it.

For UNDO_WINDOW_MINUTES after the confirmation is posted, its Undo button works for its author only
(anyone else who taps it is told, privately, to ask the author or a supervisor). Undo applies the same
compensating plan the supervisors' Cancel uses (commands/supervision.py): what Katana can take back
is taken back, what it can't is spelled out step by step. The stage's task opens again and the next
stage's task, if nobody started it, is withdrawn. The audit trail keeps the original entry and the undo.

The offer is one document (models.undo_offers); claiming it is a single atomic update, so a double tap
undoes once.
"""
from __future__ import annotations

import logging
from typing import Any

from commands import cards
from commands.announce import show_on_confirmation
from commands.chain import refresh_task_message
from commands.context import Floor
from commands.forms import FloorCommand
from commands.mrkdwn import escape
from commands.registry import COMMANDS
from commands.supervision import apply_undo
from models.actions import FloorAction
from models.base import utcnow
from models.tasks import NEXT_STAGE, PRODUCTION_STAGES, task_id

log = logging.getLogger(__name__)


async def author_undo(floor: Floor, action_id: str, user_id: str) -> str | None:
    """Undo `action_id` for `user_id`; returns what to tell them privately when it can't be done."""
    action = await floor.store.actions.get(action_id)
    if action is None or action.status != "recorded" or action.command not in COMMANDS:
        return "That action can't be undone from here any more."
    name = await floor.slack.person_name(user_id)
    if user_id != action.user_id:
        return (f"Only {escape(action.results().get('person') or action.user_name)} can undo this. If it is wrong, "
                "ask them, or a supervisor to correct it in Katana.")
    command = COMMANDS[action.command]
    refusal = await chain_blocker(floor, command, action)
    if refusal:
        return refusal
    claimed = await floor.store.undo_offers.claim(action_id, name, utcnow())
    if claimed is None:
        return await why_not(floor, action_id)
    await undo_now(floor, command, action, claimed, name)
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
    order = escape(upcoming.mo_order_no)
    if upcoming.status == "done":
        return f"The {following} step for {order} is already recorded: it has to be undone first."
    if upcoming.timer_state in ("running", "paused") or upcoming.assignee:
        return (f"{escape(upcoming.assignee_name or 'Someone')} already started the {following} task for {order}. "
                "Ask them to stop, then a supervisor to correct it in Katana.")
    return None


async def undo_now(floor: Floor, command: FloorCommand[Any], action: FloorAction, claimed: dict[str, Any],
                   name: str) -> None:
    report = await apply_undo(floor, command, action, automatic=True)
    await reopen_chain(floor, command, action, name)
    await floor.store.audit.write("floor_action", f"/{action.command}", "undone by its author", mo_id=action.mo_id,
                                  actor=name, action_id=action.id, report=report)
    await floor.store.undo_offers.settle(action.id, "undone", report=report, undone_at=utcnow())
    order = action.results().get("order_no") or f"MO {action.mo_id}"
    headline = f":leftwards_arrow_with_hook: {escape(name)} undid /{action.command} for *{escape(order)}*"
    blocks = [cards.text(headline).to_dict(),
              cards.text("\n".join(report) or "Nothing was written in Katana.").to_dict(),
              cards.note("What was recorded: " + str(claimed["message"].get("text", ""))).to_dict()]
    await show_on_confirmation(floor, claimed["channel"], claimed["ts"],
                               {"text": headline.replace("*", ""), "blocks": blocks})


async def reopen_chain(floor: Floor, command: FloorCommand[Any], action: FloorAction, name: str) -> None:
    """The stage is to do again: its task reopens; the next stage's unstarted task is withdrawn."""
    if command.stage not in PRODUCTION_STAGES or action.mo_id is None:
        return
    reopened = await floor.store.tasks.reopen(task_id(command.stage, action.mo_id), by=name)
    if reopened is not None:
        await refresh_task_message(floor, reopened, cards.task_message)
    following = NEXT_STAGE.get(command.stage)
    withdrawn = await floor.store.tasks.withdraw(task_id(following, action.mo_id)) if following else None
    if withdrawn is not None:
        await refresh_task_message(floor, withdrawn.model_copy(update={
            "status": "closed", "close_reason": f"{command.stage} undone by {name}"}), cards.task_done_message)


async def expire_due(floor: Floor) -> int:
    """Take the Undo button off confirmations whose window is over (the worker's job)."""
    expired = await floor.store.undo_offers.expired(utcnow())
    for offered in expired:
        await show_on_confirmation(floor, offered["channel"], offered["ts"], offered["message"])
        await floor.store.undo_offers.settle(offered["_id"], "expired")
    return len(expired)
