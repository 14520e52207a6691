"""Slack Events API: retries deduplicated, and the App Home tab (bot/home.py).

Slack re-sends an event (with `X-Slack-Retry-Num`) when our answer was slow or lost, and Bolt
does not deduplicate; the event id is stored with a unique key so each event is handled once.
"""
from __future__ import annotations

import logging
from typing import Any

from pymongo.errors import DuplicateKeyError
from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse

from bot import home
from commands.context import Floor
from models.base import utcnow

log = logging.getLogger(__name__)


def register(app: AsyncApp, floor: Floor) -> None:
    app.middleware(dedupe_event_retries(floor))
    app.event("app_home_opened")(home.home_handler(floor))


def dedupe_event_retries(floor: Floor) -> Any:
    async def once_per_event(body: dict[str, Any], next: Any) -> BoltResponse | None:  # Bolt's name
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
