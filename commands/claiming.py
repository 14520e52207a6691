"""Who gets to record: one recording per task and stage, and the same facts twice only on purpose.

- A form opened from a task claims that task's stage for the MO (models.claims) when it is submitted.
  Two people who both tapped Record, or one person with the form open twice: the first submission
  records; the second is told who recorded it, when and how much — nothing is written for them — and
  may record *another batch* for the MO as a separate, explicit choice.
- A form opened without a task may record several batches of an MO (that is what it is for), but the
  same person entering the same facts for the same MO within SAME_FACTS_WINDOW is asked to confirm.
  A command may say which facts make two entries the same (FloorCommand.same_facts): /ship's are the
  order with the same tracking number, or the order with the same rows and quantities.
- One recording of a thing at a time (`one_at_a_time`): /ship claims its sales order while its action
  is unfinished; a second submission meanwhile (two people marking the same parcel delivered) is told
  who is recording it, and nothing is written or announced for them.

Both choices are a modal holding a draft of what was entered; confirming records it like any other
submission (once, however often it is confirmed).
"""
from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from typing import Any

from commands import cards
from commands.context import Floor
from commands.forms import FloorCommand
from commands.mrkdwn import escape
from commands.ports import Ack, Submission, View
from commands.recording import Recorder
from commands.submissions import new_action, save_and_record
from models.actions import FINISHED, FloorAction
from models.base import aware, plain, utcnow
from models.receipts import ModalDraft

SAME_FACTS_WINDOW = timedelta(minutes=10)
# A claim is won before its action is saved; if the store fails in between, the claim names an action
# that never came to be. After this long (a save takes milliseconds) the next submission takes it over.
ORPHANED_AFTER = timedelta(seconds=60)
ANOTHER, AGAIN = "another_batch", "same_again"
NOT_FACTS = ("minutes",)  # the timer fills them in: the same batch entered twice differs there


def confirm_callback(command: FloorCommand[Any]) -> str:
    return f"{command.name}_confirm"


def task_claim_key(stage: str, mo_id: int) -> str:
    return f"record:{stage}:{mo_id}"


def same_facts_keys(command: FloorCommand[Any], action: FloorAction) -> list[str]:
    """One key per set of facts that makes two entries the same (the whole entry, unless the command says)."""
    entered = plain(action.input)
    sets = (command.same_facts(entered) if command.same_facts is not None else
            [{k: v for k, v in entered.items() if k not in NOT_FACTS}])
    digests = [hashlib.sha256(json.dumps([action.command, facts], sort_keys=True, default=str).encode())
               for facts in sets]
    return [f"same:{action.user_id}:{digest.hexdigest()[:32]}" for digest in digests]


def holder_of(action: FloorAction, command: FloorCommand[Any] | None = None) -> dict[str, Any]:
    entered = plain(action.input)
    recap = command.recap(entered) if command is not None and command.recap is not None else None
    return {"action_id": action.id, "user_id": action.user_id, "at": action.created_at,
            "quantity": entered.get("quantity"), "batch": entered.get("batch"), "recap": recap}


async def first_or_why_not(floor: Floor, command: FloorCommand[Any], action: FloorAction,
                           metadata: dict[str, Any]) -> View | None:
    """None: record it (a task's recording now holds its claim); else the view that says why not and
    offers the explicit choice."""
    if action.mo_id is None:
        return None
    if action.task_id and not action.input.get(ANOTHER):
        key = task_claim_key(command.stage, action.mo_id)
        won, holder = await floor.store.claims.claim(key, holder_of(action))
        if won or holder.get("action_id") == action.id or await took_over_orphan(floor, key, holder, action):
            action.claim_key = key
            return None
        return await choice_view(floor, command, action, metadata, ANOTHER, await taken_text(floor, command, holder))
    return await same_again_or_none(floor, command, action, metadata)


async def same_again_or_none(floor: Floor, command: FloorCommand[Any], action: FloorAction,
                             metadata: dict[str, Any]) -> View | None:
    """None: record it. Else the view asking whether to record it again: the same person entered the same
    facts within SAME_FACTS_WINDOW."""
    for key in same_facts_keys(command, action):
        won, holder = await floor.store.claims.claim_for(key, holder_of(action, command), SAME_FACTS_WINDOW, utcnow())
        if not won and holder.get("action_id") != action.id:
            return await choice_view(floor, command, action, metadata, AGAIN, same_text(command, holder))
    return None


async def busy_view(floor: Floor, command: FloorCommand[Any], action: FloorAction) -> View | None:
    """None: record it (the action now holds its command's one-at-a-time key, if it has one). Else who is
    recording the same thing right now: nothing is written or announced for this submission."""
    key = command.one_at_a_time(plain(action.input)) if command.one_at_a_time is not None else None
    holder = await one_at_a_time(floor, key, action) if key is not None else None
    if holder is None:
        return None
    order = escape(str(action.input.get("order_no") or "this order"))
    return cards.message_view(command.title, (
        f":hourglass_flowing_sand: <@{holder.get('user_id')}> started recording /{command.name} for *{order}* "
        f"{when(holder)} and it is not finished yet. Nothing was recorded for you: their confirmation comes in "
        f"the channel. If anything is left to record after it, start /{command.name} again."))


async def save_once(floor: Floor, recorder: Recorder, command: FloorCommand[Any], ack: Ack, action: FloorAction,
                    metadata: dict[str, Any], *, draft_id: str | None = None,
                    already: str = "This was already recorded.") -> None:
    """Save and record a submission (commands.submissions) unless its command's one-at-a-time key is held by an
    unfinished recording, or the same person entered the same facts a moment ago (then asked to confirm)."""
    if await floor.store.actions.get(action.id) is None:  # (a re-sent submission is that same action)
        why_not = await busy_view(floor, command, action)
        if why_not is None:
            why_not = await same_again_or_none(floor, command, action, metadata)
            if why_not is not None and action.claim_key:  # not recorded now: the key is free for the confirmation
                await floor.store.claims.release(action.claim_key, action.id)
        if why_not is not None:
            await ack(response_action="update", view=why_not)
            return
    await save_and_record(floor, recorder, ack, action, title=command.title, draft_id=draft_id, already=already)


async def one_at_a_time(floor: Floor, key: str, action: FloorAction) -> dict[str, Any] | None:
    """None: `action` holds `key` now (the claim is released if it comes to nothing, models.claims). Else the
    holder, whose action is still unfinished: the key is taken over once that action is recorded, failed or
    cancelled, or when it was never saved."""
    won, holder = await floor.store.claims.claim(key, holder_of(action))
    if not won and holder.get("action_id") != action.id:
        held = await floor.store.actions.get(str(holder.get("action_id")))
        finished = held is not None and held.status in FINISHED
        if not (finished and await floor.store.claims.take_over(key, str(holder.get("action_id")), holder_of(action))
                or await took_over_orphan(floor, key, holder, action)):
            return holder
    action.claim_key = key
    return None


async def took_over_orphan(floor: Floor, key: str, holder: dict[str, Any], action: FloorAction) -> bool:
    """Take a claim whose action was never saved (the store failed right after the claim)."""
    at = holder.get("at")
    if at is None or utcnow() - aware(at) < ORPHANED_AFTER:
        return False
    if await floor.store.actions.get(str(holder.get("action_id"))) is not None:
        return False
    return await floor.store.claims.take_over(key, str(holder.get("action_id")), holder_of(action))


async def taken_text(floor: Floor, command: FloorCommand[Any], holder: dict[str, Any]) -> str:
    recorded = await floor.store.actions.get(str(holder.get("action_id")))
    order = (recorded.results().get("order_no") if recorded else None) or "this MO"
    return (f":information_source: <@{holder.get('user_id')}> already recorded this {command.stage} task for "
            f"*{escape(str(order))}* {when(holder)} — {amount_and_batch(holder)}. "
            "Nothing was recorded for you.\n"
            "If this is *another batch* for the same MO, record it as one:")


def same_text(command: FloorCommand[Any], holder: dict[str, Any]) -> str:
    return (f":information_source: You entered exactly this /{command.name} {when(holder)} — "
            f"{amount_and_batch(holder)}. Nothing was recorded this time.\n"
            "If you really made it twice, record it again:")


def when(holder: dict[str, Any]) -> str:
    at = holder.get("at")
    return cards.clock(aware(at)) if at is not None else "a moment ago"


def amount_and_batch(holder: dict[str, Any]) -> str:
    if holder.get("recap"):
        return escape(str(holder["recap"]))
    batch = f", batch {escape(str(holder['batch']))}" if holder.get("batch") else ""
    return f"{escape(str(holder.get('quantity') or '?'))}{batch}"


async def choice_view(floor: Floor, command: FloorCommand[Any], action: FloorAction, metadata: dict[str, Any],
                      reason: str, text: str) -> View:
    now = utcnow()
    draft, _ = await floor.store.drafts.create(ModalDraft(
        id=f"{reason}:{action.id}", kind="confirm", user_id=action.user_id, channel_id=action.channel_id,
        data={"command": command.name, "input": plain(action.input), "metadata": plain(metadata), "reason": reason,
              "steps": [step.id for step in action.steps]},
        created_at=now, updated_at=now))
    submit = "Record another batch" if reason == ANOTHER else "Record it again"
    return cards.modal(command.title, [cards.text(text)], callback_id=confirm_callback(command), submit=submit,
                       close="Cancel", metadata={"draft": draft.id, "ch": action.channel_id})


async def submit_confirmed(floor: Floor, recorder: Recorder, command: FloorCommand[Any], ack: Ack,
                           submission: Submission) -> None:
    """The explicit choice: another batch of a task already recorded, or the same facts again."""
    draft = await floor.store.drafts.get(str(cards.read_metadata(submission.view).get("draft") or ""))
    if (draft is None or draft.kind != "confirm" or draft.user_id != submission.user_id
            or draft.data.get("command") != command.name):
        await ack(response_action="update", view=cards.message_view(command.title, "This form has expired: "
                                                                                    f"start /{command.name} again."))
        return
    entered = {**draft.data["input"], **({ANOTHER: True} if draft.data.get("reason") == ANOTHER else {})}
    plan = [command.step(name) for name in draft.data.get("steps") or []]  # /ship: carrier, FBA or deliver
    action = new_action(command, submission, entered, draft.data["metadata"], plan=plan or None)
    if await floor.store.actions.get(action.id) is None and (busy := await busy_view(floor, command, action)):
        await ack(response_action="update", view=busy)
        return
    await save_and_record(floor, recorder, ack, action, title=command.title, draft_id=draft.id)
