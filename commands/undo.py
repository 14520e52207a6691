"""The author's Undo: a recorded action's confirmation can be taken back by the person who entered it.

For UNDO_WINDOW_MINUTES after the confirmation is posted, its Undo button works for its author only
(anyone else who taps it is told, privately, to ask the author or a supervisor). Undo applies the same
compensating plan the supervisors' Cancel uses (commands/supervision.py): what Katana can take back
is taken back, what it can't is spelled out step by step. The stage's task opens again and the next
stage's task, if nobody started it, is withdrawn. The audit trail keeps the original entry and the undo.

An offer is one document (`undo_offers`, `_id` = the action id); claiming it is a single atomic
update, so a double tap undoes once.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from pymongo import ReturnDocument
from slack_sdk.errors import SlackApiError

from commands import cards
from commands.context import Floor
from models.actions import FloorAction
from models.base import utcnow
from models.tasks import NEXT_STAGE, PRODUCTION_STAGES, task_id

log = logging.getLogger(__name__)


class UndoOffers:
    """Confirmations that still carry an Undo: where they are, until when, and what became of them."""

    def __init__(self, db: Any) -> None:
        self.col = db["undo_offers"]

    async def offer(self, action: FloorAction, channel: str, ts: str, plain: dict[str, Any],
                    expires_at: datetime) -> None:
        await self.col.update_one({"_id": action.id}, {"$setOnInsert": {
            "user_id": action.user_id, "channel": channel, "ts": ts, "message": plain, "expires_at": expires_at,
            "state": "offered", "offered_at": utcnow()}}, upsert=True)

    async def get(self, action_id: str) -> dict[str, Any] | None:
        return await self.col.find_one({"_id": action_id})

    async def claim(self, action_id: str, by: str, now: datetime) -> dict[str, Any] | None:
        return await self.col.find_one_and_update(
            {"_id": action_id, "state": "offered", "expires_at": {"$gt": now}},
            {"$set": {"state": "undoing", "by": by, "claimed_at": now}}, return_document=ReturnDocument.AFTER)

    async def settle(self, action_id: str, state: str, **fields: Any) -> None:
        await self.col.update_one({"_id": action_id}, {"$set": {"state": state, **fields}})

    async def expired(self, now: datetime, limit: int = 50) -> list[dict[str, Any]]:
        return [d async for d in self.col.find({"state": "offered", "expires_at": {"$lte": now}}).limit(limit)]

    async def states(self, action_ids: list[str]) -> dict[str, str]:
        return {d["_id"]: d["state"] async for d in self.col.find({"_id": {"$in": action_ids}})}


def offers(floor: Floor) -> UndoOffers:
    return UndoOffers(floor.store.db)


async def offer(floor: Floor, action: FloorAction, posted: tuple[str, str], plain: dict[str, Any]) -> None:
    """Remember the confirmation so Undo can find it, update it and, later, take the button away."""
    expires = utcnow() + timedelta(minutes=floor.settings.undo_window_minutes)
    await offers(floor).offer(action, posted[0], posted[1], plain, expires)


async def author_undo(floor: Floor, action_id: str, user_id: str) -> str | None:
    """Undo `action_id` for `user_id`; returns what to tell them privately when it can't be done."""
    action = await floor.store.actions.get(action_id)
    if action is None or action.status != "recorded":
        return "That action can't be undone from here any more."
    name = await floor.people.name(user_id)  # type: ignore[union-attr]
    if user_id != action.user_id:
        return (f"Only {action.results().get('person') or action.user_name} can undo this. If it is wrong, ask them, or a supervisor to "
                "correct it in Katana.")
    refusal = await chain_blocker(floor, action)
    if refusal:
        return refusal
    claimed = await offers(floor).claim(action_id, name, utcnow())
    if claimed is None:
        return await why_not(floor, action_id)
    await undo_now(floor, action, claimed, name)
    return None


async def why_not(floor: Floor, action_id: str) -> str:
    offered = await offers(floor).get(action_id)
    if offered is None:
        return "That confirmation has no Undo."
    if offered["state"] in ("undoing", "undone"):
        return "It is already undone."
    return (f"The {floor.settings.undo_window_minutes:g} minutes to undo this are over. Ask a supervisor to "
            "correct it in Katana.")


async def chain_blocker(floor: Floor, action: FloorAction) -> str | None:
    """The next stage already happened (or is under way): undoing this one would leave it hanging."""
    from commands.registry import COMMANDS  # the registry imports the flow, which imports this module

    stage = COMMANDS[action.command].stage if action.command in COMMANDS else None
    following = NEXT_STAGE.get(stage or "")
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


async def undo_now(floor: Floor, action: FloorAction, claimed: dict[str, Any], name: str) -> None:
    from commands import supervision

    report = await supervision.apply_undo(floor, action, automatic=True)
    await reopen_chain(floor, action, name)
    await floor.store.audit.write("floor_action", f"/{action.command}", "undone by its author", mo_id=action.mo_id,
                                  actor=name, action_id=action.id, report=report)
    await offers(floor).settle(action.id, "undone", report=report, undone_at=utcnow())
    order = action.results().get("order_no") or f"MO {action.mo_id}"
    headline = f":leftwards_arrow_with_hook: {name} undid /{action.command} for *{order}*"
    blocks = [cards.text(headline).to_dict(), cards.text("\n".join(report) or "Nothing was written in Katana.").to_dict(),
              cards.note("What was recorded: " + str(claimed["message"].get("text", ""))).to_dict()]
    try:
        await floor.slack.chat_update(channel=claimed["channel"], ts=claimed["ts"],
                                      text=headline.replace("*", ""), blocks=blocks)
    except SlackApiError as exc:
        log.warning("could not update the confirmation of %s: %s", action.id, exc.response.get("error"))


async def reopen_chain(floor: Floor, action: FloorAction, name: str) -> None:
    """The stage is to do again: its task reopens; the next stage's unstarted task is withdrawn."""
    from commands.chain import refresh_task_message
    from commands.registry import COMMANDS

    command = COMMANDS.get(action.command)
    if command is None or command.stage not in PRODUCTION_STAGES or action.mo_id is None:
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
    expired = await offers(floor).expired(utcnow())
    for offered in expired:
        try:
            await floor.slack.chat_update(channel=offered["channel"], ts=offered["ts"], **offered["message"])
        except SlackApiError as exc:
            log.info("could not take Undo off %s: %s", offered["_id"], exc.response.get("error"))
        await offers(floor).settle(offered["_id"], "expired")
    return len(expired)


def register(app: Any, floor: Floor) -> None:
    """Bolt listener for the Undo button on confirmations."""
    async def undo_for(body: dict[str, Any]) -> None:
        user = (body.get("user") or {}).get("id", "")
        problem = await author_undo(floor, str(body["actions"][0].get("value")), user)
        if problem is not None:
            await tell(floor, body, problem)
        else:
            await refresh_home(floor, user)

    async def on_undo(ack: Any, body: dict[str, Any]) -> None:
        floor.jobs.spawn(undo_for(body), name="author undo")  # tracked: shutdown waits for it
        await ack()

    app.action(cards.AUTHOR_UNDO_ACTION)(on_undo)


async def tell(floor: Floor, body: dict[str, Any], text: str) -> None:
    """Privately: an ephemeral where they tapped, or a DM when they tapped in App Home."""
    user = (body.get("user") or {}).get("id")
    channel = (body.get("container") or {}).get("channel_id") or (body.get("channel") or {}).get("id")
    if not user:
        return
    try:
        if channel:
            await floor.slack.chat_postEphemeral(channel=channel, user=user, text=text)
        else:
            await floor.slack.chat_postMessage(channel=user, text=text)
    except SlackApiError as exc:
        log.info("could not tell %s: %s", user, exc.response.get("error"))


async def refresh_home(floor: Floor, user: str) -> None:
    from bot import home  # the App Home view lives with the bot's Slack surfaces

    await home.publish(floor, user)
