"""Slack Events API: retries deduplicated, and the App Home tab.

Slack re-sends an event (with `X-Slack-Retry-Num`) when our answer was slow or lost, and Bolt
does not deduplicate; the event id is stored with a unique key so each event is handled once.
"""
from __future__ import annotations

import logging
from typing import Any

from pymongo.errors import DuplicateKeyError
from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse
from slack_sdk.models.blocks import ActionsBlock, ButtonElement

from commands import cards
from commands.cards import RECORD_TASK_ACTION
from commands.context import Floor
from models.base import utcnow

log = logging.getLogger(__name__)
HOME_TASKS = 20  # a phone screen's worth; the channel has the rest


def register_events(app: AsyncApp, floor: Floor) -> None:
    app.middleware(dedupe_event_retries(floor))
    app.event("app_home_opened")(home_handler(floor))


def dedupe_event_retries(floor: Floor) -> Any:
    async def once_per_event(body: dict[str, Any], next: Any) -> BoltResponse | None:  # noqa: A002 — Bolt's name
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id:
            try:
                await floor.store.db["slack_events"].insert_one({"_id": event_id, "received_at": utcnow()})
            except DuplicateKeyError:
                log.info("Slack event %s delivered again; handled already", event_id)
                return BoltResponse(status=200, body="")  # Slack stops retrying
        await next()
        return None
    return once_per_event


def home_handler(floor: Floor) -> Any:
    async def on_home_opened(event: dict[str, Any]) -> None:
        if event.get("tab", "home") != "home":
            return
        tasks = await floor.store.tasks.open_tasks(limit=HOME_TASKS)
        await floor.slack.views_publish(user_id=event["user"], view=home_view(tasks, floor))
    return on_home_opened


def home_view(tasks: list[Any], floor: Floor) -> dict[str, Any]:
    blocks: list[Any] = [cards.text("*Open tasks on the floor* — oldest first")]
    for task in tasks:
        blocks.append(cards.text(f"{cards.STAGE_EMOJI[task.kind]} {cards.STAGE_VERB[task.kind]} — {cards.task_summary(task)}"))
        if task.kind in ("cook", "label", "pack"):
            blocks.append(ActionsBlock(elements=[ButtonElement(text=f"Record {task.kind}", action_id=RECORD_TASK_ACTION,
                                                               value=task.id)]))
    if not tasks:
        blocks.append(cards.note("Nothing open. New tasks appear here and in the floor channel."))
    return {"type": "home", "blocks": [b.to_dict() for b in blocks[:100]]}
