"""How people learn what happened: the one way every outcome is told.

Every floor command's outcome, the author's Undo and the supervisors' decisions go through here, so
the promises are kept everywhere alike:
- the operator learns the outcome where they work: the channel the command came from, else
  FLOOR_CHANNEL, else a DM (and, while it is open, in the modal);
- "saved, waiting for Katana" is said once; the next word is the final outcome;
- a recorded production step can be undone by its author from the confirmation for a while;
- an action that gave up or failed after writing part of itself goes to the supervisors (to decide; or,
  when its MO was finished or deleted in Katana while it waited, to learn what is left to do by hand);
- whatever Slack refuses is logged, never raised: telling people must not undo what was recorded.
"""
from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from commands import cards
from commands.context import Floor
from commands.forms import FloorCommand
from commands.mrkdwn import escape
from commands.outcome import Outcome
from commands.ports import Message, Posted, SlackRefused, Tap, View
from commands.submissions import ack_landed
from commands.supervision import closed_message, decision_message, steps_told
from models.actions import FloorAction

log = logging.getLogger(__name__)


async def announce(floor: Floor, command: FloorCommand[Any], outcome: Outcome) -> None:
    """The recorder's word to the operator: channel first (it needs no waiting), then the modal."""
    action = outcome.action
    if outcome.status == "waiting" and action.attempts > 1:
        return  # they were told once that it is saved; the next word is the final outcome
    view, message = outcome_texts(floor, command, outcome)
    posted = await post_where_they_work(floor, action, message)
    if action.view_id and action.attempts <= 1:
        await ack_landed(action.created_at)
        try:
            await floor.slack.update_view(action.view_id, view)
        except SlackRefused:
            pass  # the person closed the modal; the channel message reached them
    if outcome.status == "recorded" and posted is not None and command.undoable:
        await offer_undo(floor, action, posted, cards.without_undo(message))
    if needs_supervisor(outcome):
        await ask_supervisors(floor, outcome)
    for hook in floor.on_recorded:  # e.g. the author's App Home shows the new outcome
        try:
            await hook(outcome)
        except Exception:  # an extra view must never break the announcement
            log.exception("on_recorded hook failed for %s", action.id)


def outcome_texts(floor: Floor, command: FloorCommand[Any], outcome: Outcome) -> tuple[View, Message]:
    """(the modal's view, the channel's message) for a recorded, waiting or failed action."""
    action = outcome.action
    facts = command.facts_of(action)
    link, order = command.link(floor, facts), facts.order
    if outcome.status == "recorded":
        headline, extra = command.headline(facts)
        undo = (action.id, str(facts.person or action.user_name), floor.settings.undo_window_minutes)
        return (cards.message_view(command.title, ":white_check_mark: Recorded in Katana.\n" + headline),
                cards.confirmation_message(headline, extra, link, order, undo=undo if command.undoable else None))
    if outcome.status == "waiting":
        text = (f":floppy_disk: Saved — Katana isn't answering right now. Don't enter this /{command.name} for "
                f"*{escape(order)}* again: the bot records it as soon as Katana answers, checking first that "
                "nothing is doubled. You'll get a message here.")
    else:
        fully = " fully" if outcome.recorded or outcome.uncertain else ""  # "not fully" when nothing was: misread
        text = (f":x: /{command.name} for *{escape(order)}* was not{fully} recorded: {escape(outcome.problem)}\n"
                + steps_told(outcome))
    return cards.message_view(command.title, text), cards.confirmation_message(text, [], link, order)


async def post_where_they_work(floor: Floor, action: FloorAction, message: Message) -> Posted | None:
    """The channel the command came from; FLOOR_CHANNEL when the bot can't post there (e.g. a DM).
    Returns where the message landed, or None when it could not be posted anywhere."""
    for channel in dict.fromkeys(c for c in (action.channel_id, floor.settings.floor_channel) if c):
        try:
            return await floor.slack.post(channel, message)
        except SlackRefused as exc:
            log.warning("could not post to %s: %s", channel, exc.error)
    if action.user_id:
        try:  # last resort: a DM, so the operator always learns the outcome
            return await floor.slack.post(action.user_id, message)
        except SlackRefused as exc:
            log.error("could not tell %s about action %s: %s", action.user_id, action.id, exc.error)
    return None


async def offer_undo(floor: Floor, action: FloorAction, posted: Posted, plain: Message) -> None:
    """Remember the confirmation so Undo can find it, update it and, later, take the button away."""
    expires = await floor.store.clock.now() + timedelta(minutes=floor.settings.undo_window_minutes)
    await floor.store.undo_offers.offer(action, posted.channel, posted.ts, plain, expires)


async def show_on_confirmation(floor: Floor, channel: str, ts: str, message: Message) -> None:
    """Rewrite a confirmation in place (undone, or its Undo window over)."""
    try:
        await floor.slack.update(channel, ts, message)
    except SlackRefused as exc:
        log.info("could not update the confirmation %s in %s: %s", ts, channel, exc.error)


def needs_supervisor(outcome: Outcome) -> bool:
    return outcome.status == "failed" and bool(outcome.recorded or outcome.uncertain or "did not answer" in
                                                (outcome.problem or ""))


async def ask_supervisors(floor: Floor, outcome: Outcome) -> None:
    channel = floor.settings.supervisor_channel or floor.settings.floor_channel
    if not channel:
        log.error("floor action %s needs a decision but no SUPERVISOR_CHANNEL is set", outcome.action.id)
        return
    try:  # an order closed in Katana leaves nothing to retry: what is left to do by hand, without buttons
        await floor.slack.post(channel, closed_message(outcome) if outcome.order_closed else decision_message(outcome))
    except SlackRefused as exc:
        log.error("could not ask supervisors about %s: %s", outcome.action.id, exc.error)


async def tell_privately(floor: Floor, tap: Tap, text: str) -> None:
    """Only the person who tapped sees it: on top of their App Home when they tapped there, else an
    ephemeral in the channel, else a DM."""
    if tap.in_home:
        await floor.refresh_home(tap.user_id, text)
        return
    try:
        if tap.channel:
            await floor.slack.post_private(tap.channel, tap.user_id, text)
        else:
            await floor.slack.post(tap.user_id, {"text": text})
    except SlackRefused as exc:
        log.info("could not tell %s: %s", tap.user_id, exc.error)
