"""Telling the operator how a /ship or /receive went — the same promises as the production commands
(flow.announce), for actions that are about a sales or purchase order rather than an MO."""
from __future__ import annotations

import asyncio
import time
from typing import Any, Callable

from commands import cards
from commands.context import Floor
from commands.recording import Outcome, Recorder
from models.actions import FloorAction
from models.receipts import DraftRepository

ACK_LANDING_SECONDS = 0.5  # see flow.let_the_ack_land: a views.update sent sooner is overwritten by the ack


def order_link(floor: Floor, kind: str, order_id: int) -> str:
    # Katana's web-app URL scheme is not in its API spec (unverified), like the MO links.
    return f"{str(floor.settings.katana_app_url).rstrip('/')}/{kind}/{order_id}"


def outcome_texts(outcome: Outcome, *, title: str, order_no: str, link: str,
                  headline: Callable[[dict[str, Any]], tuple[str, list[str]]]) -> tuple[dict[str, Any], dict[str, Any]]:
    action = outcome.action
    facts = {**action.input, **action.results()}
    if outcome.status == "recorded":
        line, extra = headline(facts)
        return (cards.message_view(title, ":white_check_mark: Recorded in Katana.\n" + line),
                cards.confirmation_message(line, extra, link, order_no))
    if outcome.status == "waiting":
        text = (f":floppy_disk: Saved — Katana isn't answering right now. Don't enter this /{action.command} for "
                f"*{order_no}* again: the bot records it as soon as Katana answers, checking first that "
                "nothing is doubled. You'll get a message here.")
    else:
        text = (f":x: /{action.command} for *{order_no}* was not fully recorded: {outcome.problem}\n"
                f"Recorded in Katana: {', '.join(outcome.recorded) or 'nothing'}. "
                f"Not recorded: {', '.join(outcome.not_recorded) or 'nothing'}.")
        if outcome.uncertain:
            text += f" May have been recorded (check in Katana before entering it again): {', '.join(outcome.uncertain)}."
    return cards.message_view(title, text), cards.confirmation_message(text, [], link, order_no)


class AckClock:
    """Slack applies an ack's view when it reads the HTTP response; a views.update for the same view must
    come after that, or the ack's "Loading…" overwrites it."""

    def __init__(self) -> None:
        self.acked_at = time.monotonic()

    async def landed(self) -> None:
        wait = ACK_LANDING_SECONDS - (time.monotonic() - self.acked_at)
        if wait > 0:
            await asyncio.sleep(wait)


def no_note(facts: dict[str, Any], action: Any) -> None:
    """/ship and /receive write nothing on an MO: their order keeps its own record."""
    return None


async def record_once(floor: Floor, recorder: Recorder, ack: Any, *, draft_id: str, action: FloorAction,
                      title: str, already: str, working: str) -> None:
    """One confirmed form → one action, however often it is submitted: the draft is claimed for the action
    first, and only the submission that claimed it starts recording."""
    if not await DraftRepository(floor.store.db).claim(draft_id, action.id):
        await ack(response_action="update", view=cards.message_view(title, already))
        return
    action, created = await floor.store.actions.create(action)
    await ack(response_action="update", view=cards.message_view(
        title, f":hourglass_flowing_sand: {working}",
        footer="You can close this; you'll get a confirmation in the channel."))
    if created:
        floor.jobs.spawn(recorder.record(action.id), name=f"record {action.id}")
