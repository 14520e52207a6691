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
from commands.mrkdwn import escape
from commands.outcome import Outcome
from commands.plan import Undo, taking_back
from commands.ports import Message
from models.actions import FloorAction

log = logging.getLogger(__name__)

RETRY, CANCEL, UNDO, KEEP = "action_retry", "action_cancel", "action_undo", "action_keep"


def who(action: FloorAction) -> str:
    return str(action.results().get("person") or action.user_name)


def undo_plan(command: FloorCommand[Any], action: FloorAction) -> list[Undo]:
    return [undo for _, undo in taking_back(command, action, command.facts_of(action).order)]


def steps_told(outcome: Outcome) -> str:
    """What was and was not recorded, and what may have been (mrkdwn)."""
    text = (f"Recorded in Katana: {escape(', '.join(outcome.recorded) or 'nothing')}. "
            f"Not recorded: {escape(', '.join(outcome.not_recorded) or 'nothing')}.")
    if outcome.uncertain:
        text += (" May have been recorded (check in Katana before entering it again): "
                 f"{escape(', '.join(outcome.uncertain))}.")
    return text


def decision_message(outcome: Outcome) -> Message:
    action = outcome.action
    order = escape(action.results().get("order_no") or f"MO {action.mo_id}")
    lines = [f":warning: /{action.command} by *{escape(who(action))}* for *{order}* needs a decision: "
             f"{escape(outcome.problem)}", steps_told(outcome)]
    buttons = ActionsBlock(block_id="decision", elements=[
        ButtonElement(text="Retry", action_id=RETRY, value=action.id, style="primary"),
        ButtonElement(text="Cancel", action_id=CANCEL, value=action.id, style="danger")])
    return {"text": f"/{action.command} for {order} needs a decision",
            "blocks": [cards.text("\n".join(lines)).to_dict(), buttons.to_dict()]}


def closed_message(outcome: Outcome) -> Message:
    """An action stopped because its MO was finished or deleted in Katana: nothing to retry, what the bot
    could take back is taken back; the rest is what a person should check."""
    action = outcome.action
    order = escape(action.results().get("order_no") or f"MO {action.mo_id}")
    text = (f":information_source: /{action.command} by *{escape(who(action))}* for *{order}* was stopped: "
            f"{escape(outcome.problem)}\n{steps_told(outcome)}")
    return {"text": f"/{action.command} for {order} was stopped", "blocks": [cards.text(text).to_dict()]}


def cancel_preview(command: FloorCommand[Any], action: FloorAction) -> Message:
    plan = undo_plan(command, action)
    lines = [f"Cancel /{action.command} by {escape(who(action))}. What was recorded and how it comes back out:"]
    lines += [f"• {escape(u.describe)}: " + ("undone automatically" if u.run else escape(u.manual or "")) for u in plan]
    if not plan:
        lines.append("• Nothing was recorded in Katana.")
    buttons = ActionsBlock(block_id="undo", elements=[
        ButtonElement(text="Undo in Katana", action_id=UNDO, value=action.id, style="danger"),
        ButtonElement(text="Keep as it is", action_id=KEEP, value=action.id)])
    return {"text": f"Cancel /{action.command}?", "blocks": [cards.text("\n".join(lines)).to_dict(), buttons.to_dict()]}
