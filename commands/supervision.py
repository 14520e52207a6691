"""Taking a recorded action back out: the compensating plan behind the supervisors' Cancel and the
author's Undo.

An action that gave up or failed after part of it was recorded goes to the supervisors' channel with
what was and was not recorded, and Retry / Cancel (commands.decisions). Cancelling offers, step by
step, the compensating record where Katana has one (each step's `undo`: delete the production,
reopen the operation row, take the bot's note line back out) and an exact instruction where it has
none (stock adjustments and transfers are immutable; a DONE MO, a created batch and batch dates are
put right by hand). The author's own Undo (commands.undo) uses the same plan.
"""
from __future__ import annotations

import logging
from typing import Any

from slack_sdk.models.blocks import ActionsBlock, ButtonElement

from commands import cards
from commands.forms import FloorCommand
from commands.outcome import Outcome
from commands.plan import Undo, Written
from commands.ports import Message
from models.actions import FloorAction

log = logging.getLogger(__name__)

RETRY, CANCEL, UNDO, KEEP = "action_retry", "action_cancel", "action_undo", "action_keep"


def who(action: FloorAction) -> str:
    return str(action.results().get("person") or action.user_name)


def undo_plan(command: FloorCommand[Any], action: FloorAction) -> list[Undo]:
    facts = command.facts_of(action)
    order = facts.order
    steps = command.steps_of(action)
    pairs = list(zip(action.steps, steps, strict=True))  # a plan step for every saved step
    wrote = [spec for saved, spec in pairs if saved.state == "done" and saved.result.get("wrote")]
    plan = []
    for saved, spec in reversed(pairs):  # last written first, like unwinding a stack
        if saved.state == "unknown":
            plan.append(Undo(f"{spec.done_text} (may have happened)",
                             manual=f"Check {order} in Katana for it and remove it by hand if it is there."))
        elif spec in wrote:
            plan.append(spec.taking_back(Written(facts, saved.result, order, wrote)))
    return plan


def decision_message(outcome: Outcome) -> Message:
    action = outcome.action
    order = action.results().get("order_no") or f"MO {action.mo_id}"
    lines = [f":warning: /{action.command} by *{who(action)}* for *{order}* needs a decision: {outcome.problem}",
             f"Recorded in Katana: {', '.join(outcome.recorded) or 'nothing'}.",
             f"Not recorded: {', '.join(outcome.not_recorded) or 'nothing'}."]
    if outcome.uncertain:
        lines.append(f"May have been recorded: {', '.join(outcome.uncertain)}.")
    buttons = ActionsBlock(block_id="decision", elements=[
        ButtonElement(text="Retry", action_id=RETRY, value=action.id, style="primary"),
        ButtonElement(text="Cancel", action_id=CANCEL, value=action.id, style="danger")])
    return {"text": f"/{action.command} for {order} needs a decision",
            "blocks": [cards.text("\n".join(lines)).to_dict(), buttons.to_dict()]}


def cancel_preview(command: FloorCommand[Any], action: FloorAction) -> Message:
    plan = undo_plan(command, action)
    lines = [f"Cancel /{action.command} by {who(action)}. What was recorded and how it comes back out:"]
    lines += [f"• {u.describe}: " + ("undone automatically" if u.run else u.manual or "") for u in plan]
    if not plan:
        lines.append("• Nothing was recorded in Katana.")
    buttons = ActionsBlock(block_id="undo", elements=[
        ButtonElement(text="Undo in Katana", action_id=UNDO, value=action.id, style="danger"),
        ButtonElement(text="Keep as it is", action_id=KEEP, value=action.id)])
    return {"text": f"Cancel /{action.command}?", "blocks": [cards.text("\n".join(lines)).to_dict(), buttons.to_dict()]}
