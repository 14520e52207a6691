"""From a submitted form to a durable floor action: the one way every command saves what it records.

The action is stored before the ack and before any Katana call (its `_id` is the submission key, so a
double click or Slack's retry is one action); only the submission that created it starts recording.
/ship and /receive confirm a draft first: the draft is claimed for the action, so one confirmed form
is one action however often it is submitted.
"""
from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from commands import cards
from commands.context import Floor
from commands.forms import FloorCommand
from commands.plan import Step
from commands.ports import Ack, Submission
from commands.recording import Recorder
from models.actions import ActionStep, FloorAction
from models.base import utcnow

# Slack applies an ack's view when it reads our HTTP response; a views.update for the same view sent
# sooner is overwritten by it ("Recording…" would replace the outcome). Quick outcomes wait this out.
ACK_LANDING_SECONDS = 0.5


async def ack_landed(acked_at: datetime) -> None:
    elapsed = (utcnow() - acked_at).total_seconds()
    if elapsed < ACK_LANDING_SECONDS:
        await asyncio.sleep(ACK_LANDING_SECONDS - elapsed)


def new_action(command: FloorCommand[Any], submission: Submission, data: dict[str, Any],
               metadata: dict[str, Any], plan: Sequence[Step[Any]] | None = None) -> FloorAction:
    now = utcnow()
    return FloorAction(
        id=submission.key, command=command.name, user_id=submission.user_id, user_name=submission.user_name,
        channel_id=metadata.get("ch"), view_id=submission.view["id"], task_id=metadata.get("task"),
        mo_id=data.get("mo_id"), input=data,
        steps=[ActionStep(id=each.name) for each in (plan or command.plan)], created_at=now, updated_at=now)


async def save_and_record(floor: Floor, recorder: Recorder, ack: Ack, action: FloorAction, *, title: str,
                          working: str = "Recording in Katana…", draft_id: str | None = None,
                          already: str = "This was already recorded.") -> None:
    """Store the action, ack with "Recording…", and record it in the background (once)."""
    if draft_id is not None and not await floor.store.drafts.claim(draft_id, action.id):
        await ack(response_action="update", view=cards.message_view(title, already))
        return
    action, created = await floor.store.actions.create(action)
    await ack(response_action="update", view=cards.message_view(
        title, f":hourglass_flowing_sand: {working}",
        footer="You can close this; you'll get a confirmation in the channel."))
    if created:
        floor.jobs.spawn(recorder.record(action.id), name=f"record {action.id}")
