"""Who gets to record: one recording per task and stage, and the same facts twice only on purpose.

- A form opened from a task claims that task's stage for the MO (models.claims) when it is submitted.
  Two people who both tapped Record, or one person with the form open twice: the first submission
  records; the second is told who recorded it, when and how much — nothing is written for them — and
  may record *another batch* for the MO as a separate, explicit choice.
- A form opened without a task may record several batches of an MO (that is what it is for), but the
  same person entering the same facts for the same MO within SAME_FACTS_WINDOW is asked to confirm.

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
from commands.ports import Ack, Submission, View
from commands.recording import Recorder
from commands.submissions import new_action, save_and_record
from models.actions import FloorAction
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


def same_facts_key(action: FloorAction) -> str:
    facts = {k: v for k, v in plain(action.input).items() if k not in NOT_FACTS}
    digest = hashlib.sha256(json.dumps([action.command, facts], sort_keys=True, default=str).encode())
    return f"same:{action.user_id}:{digest.hexdigest()[:32]}"


def holder_of(action: FloorAction) -> dict[str, Any]:
    entered = plain(action.input)
    return {"action_id": action.id, "user_id": action.user_id, "at": action.created_at,
            "quantity": entered.get("quantity"), "batch": entered.get("batch")}


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
    won, holder = await floor.store.claims.claim_for(same_facts_key(action), holder_of(action), SAME_FACTS_WINDOW,
                                                     utcnow())
    if won or holder.get("action_id") == action.id:
        return None
    return await choice_view(floor, command, action, metadata, AGAIN, same_text(command, holder))


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
            f"*{cards.escaped(str(order))}* {when(holder)} — {amount_and_batch(holder)}. "
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
    batch = f", batch {cards.escaped(str(holder['batch']))}" if holder.get("batch") else ""
    return f"{cards.escaped(str(holder.get('quantity') or '?'))}{batch}"


async def choice_view(floor: Floor, command: FloorCommand[Any], action: FloorAction, metadata: dict[str, Any],
                      reason: str, text: str) -> View:
    now = utcnow()
    draft, _ = await floor.store.drafts.create(ModalDraft(
        id=f"{reason}:{action.id}", kind="confirm", user_id=action.user_id, channel_id=action.channel_id,
        data={"command": command.name, "input": plain(action.input), "metadata": plain(metadata), "reason": reason},
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
    action = new_action(command, submission, entered, draft.data["metadata"])
    await save_and_record(floor, recorder, ack, action, title=command.title, draft_id=draft.id)
