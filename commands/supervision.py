"""Floor actions that need a supervisor: gave up, or failed after part of them was recorded.

The supervisors' channel gets what was and was not recorded, with Retry and Cancel. Cancelling
an action whose earlier steps were applied offers, step by step, the compensating record where
Katana has one (delete the production, reopen the operation row, take the bot's note line back out)
and an exact instruction where it has none (stock adjustments and transfers are immutable; a DONE
MO, a created batch and batch dates are put right by hand). The author's own Undo (commands/undo.py)
uses the same plan.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Collection

from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import ActionsBlock, ButtonElement

from commands import cards
from commands.context import Floor
from commands.recording import STEPS, Outcome, user_text
from integrations.katana.errors import KatanaError
from models.actions import FloorAction

log = logging.getLogger(__name__)

RETRY, CANCEL, UNDO, KEEP = "action_retry", "action_cancel", "action_undo", "action_keep"


class NeedsHand(Exception):
    """An automatic undo found it cannot be done safely; the message says what to do by hand."""


@dataclass(frozen=True)
class Undo:
    """How to take back one recorded step: automatically (`run`, given the Katana facade; it may
    return a remark, or raise NeedsHand) or by hand (`manual`)."""

    describe: str
    run: Callable[[Any], Awaitable[str | None]] | None = None
    manual: str | None = None


def who(action: FloorAction) -> str:
    return str(action.results().get("person") or action.user_name)


def undo_plan(action: FloorAction) -> list[Undo]:
    facts = {**action.input, **action.results()}
    order = facts.get("order_no") or f"MO {action.mo_id}"
    written = {s.id for s in action.steps if s.state == "done" and s.result.get("wrote")}
    plan = []
    for step in reversed(action.steps):  # last written first, like unwinding a stack
        if step.state == "unknown":
            plan.append(Undo(f"{STEPS[step.id].done_text} (may have happened)",
                             manual=f"Check {order} in Katana for it and remove it by hand if it is there."))
        elif step.id in written:
            plan.append(undo_for(step.id, step.result, facts, str(order), written))
    return plan


def undo_for(step: str, result: dict[str, Any], facts: dict[str, Any], order: str,
             written: Collection[str] = ()) -> Undo:
    if step == "record_production":
        pid = int(result["production_id"])
        return Undo(f"production #{pid} of {facts.get('quantity')} on {order}",
                    run=lambda katana: katana.manufacturing.delete_production(pid))
    if step == "complete_operation":
        row = int(facts["operation_row_id"])
        if "finish_order" in written:  # Katana only takes times and operators on a DONE order's rows
            return Undo(f"the operation completed on {order}", manual=f"After reopening {order}, set its "
                                                                       "step back to In progress.")
        return Undo(f"the operation completed on {order}",
                    run=lambda katana: katana.manufacturing.set_operation_status(row, "IN_PROGRESS"))
    if step == "note_on_order":
        return Undo(f"the note on {order}", run=remove_note(int(facts["mo_id"]), str(result.get("note")), order))
    if step == "update_batch":
        given = ", ".join(f"{k} {facts[k]}" for k in ("expiry", "barcode") if facts.get(k))
        return Undo(f"batch {facts.get('batch')} details", manual=f"In Katana, open batch {facts.get('batch')} and "
                                                                 f"put back what it had before ({given} was set).")
    if step == "ensure_batch":
        return Undo(f"batch {facts.get('batch')}", manual=f"Batch {facts.get('batch')} was created in Katana; "
                                                          "delete it there if nothing else uses it.")
    if step == "finish_order":
        return Undo(f"{order} set to DONE", manual=f"In Katana, reopen {order} (status In progress) only if "
                                                   "it should not be finished; stock moves back with it.")
    return Undo(STEPS[step].done_text or step, manual=f"Check {order} in Katana and correct it by hand.")


def remove_note(mo_id: int, line: str, order: str) -> Callable[[Any], Awaitable[str | None]]:
    by_hand = f"In Katana, open {order} → Additional info and delete the line “{line}”."

    async def run(katana: Any) -> str | None:
        try:
            removed = await katana.manufacturing.remove_note(mo_id, line)
        except ValueError:  # it is the only text, and Katana refuses an empty one
            raise NeedsHand(by_hand) from None
        return None if removed else "it was not there any more"
    return run


def needs_supervisor(outcome: Outcome) -> bool:
    return outcome.status == "failed" and bool(outcome.recorded or outcome.uncertain or "did not answer" in
                                                (outcome.problem or ""))


def decision_message(floor: Floor, outcome: Outcome) -> dict[str, Any]:
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


async def ask_supervisors(floor: Floor, outcome: Outcome) -> None:
    channel = floor.settings.supervisor_channel or floor.settings.floor_channel
    if not channel:
        log.error("floor action %s needs a decision but no SUPERVISOR_CHANNEL is set", outcome.action.id)
        return
    try:
        await floor.slack.chat_postMessage(channel=channel, **decision_message(floor, outcome))
    except SlackApiError as exc:
        log.error("could not ask supervisors about %s: %s", outcome.action.id, exc.response.get("error"))


def cancel_preview(action: FloorAction) -> dict[str, Any]:
    plan = undo_plan(action)
    lines = [f"Cancel /{action.command} by {who(action)}. What was recorded and how it comes back out:"]
    lines += [f"• {u.describe}: " + ("undone automatically" if u.run else u.manual or "") for u in plan]
    if not plan:
        lines.append("• Nothing was recorded in Katana.")
    buttons = ActionsBlock(block_id="undo", elements=[
        ButtonElement(text="Undo in Katana", action_id=UNDO, value=action.id, style="danger"),
        ButtonElement(text="Keep as it is", action_id=KEEP, value=action.id)])
    return {"text": f"Cancel /{action.command}?", "blocks": [cards.text("\n".join(lines)).to_dict(), buttons.to_dict()]}


async def apply_undo(floor: Floor, action: FloorAction, *, automatic: bool) -> list[str]:
    """Run the automatic compensations (when asked) and list what is left to do by hand."""
    report = []
    for undo in undo_plan(action):
        if undo.run is not None and automatic:
            try:
                remark = await undo.run(floor.katana)  # a Katana record back, or a remark for the floor
                said = f" ({remark})" if isinstance(remark, str) else ""
                report.append(f":white_check_mark: undone: {undo.describe}{said}")
            except NeedsHand as exc:
                report.append(f":point_right: by hand: {exc}")
            except KatanaError as exc:
                report.append(f":x: could not undo {undo.describe}: {user_text(exc)} — fix it in Katana by hand")
        elif undo.manual:
            report.append(f":point_right: by hand: {undo.manual}")
        else:
            report.append(f":point_right: kept: {undo.describe}")
    return report
