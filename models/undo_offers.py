"""Confirmations that still carry the author's Undo: where they are, until when, and what became of them.

An offer is one document (`undo_offers`, `_id` = the action id); claiming it is a single atomic
update, so a double tap undoes once.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo import ReturnDocument

from models.actions import FloorAction
from models.base import utcnow


class UndoOffers:
    """Confirmations that still carry an Undo: where they are, until when, and what became of them."""

    def __init__(self, db: Any) -> None:
        self.col = db["undo_offers"]

    async def ensure_indexes(self) -> None:
        # The worker's sweep takes the button off confirmations whose window is over.
        await self.col.create_index([("state", 1), ("expires_at", 1)], name="open_offers")

    async def offer(self, action: FloorAction, channel: str, ts: str, plain: dict[str, Any],
                    expires_at: datetime) -> None:
        await self.col.update_one({"_id": action.id}, {"$setOnInsert": {
            "user_id": action.user_id, "channel": channel, "ts": ts, "message": plain, "expires_at": expires_at,
            "state": "offered", "offered_at": utcnow()}}, upsert=True)

    async def get(self, action_id: str) -> dict[str, Any] | None:
        offered: dict[str, Any] | None = await self.col.find_one({"_id": action_id})
        return offered

    async def claim(self, action_id: str, by: str, now: datetime) -> dict[str, Any] | None:
        claimed: dict[str, Any] | None = await self.col.find_one_and_update(
            {"_id": action_id, "state": "offered", "expires_at": {"$gt": now}},
            {"$set": {"state": "undoing", "by": by, "claimed_at": now}}, return_document=ReturnDocument.AFTER)
        return claimed

    async def settle(self, action_id: str, state: str, **fields: Any) -> None:
        await self.col.update_one({"_id": action_id}, {"$set": {"state": state, **fields}})

    async def expired(self, now: datetime, limit: int = 50) -> list[dict[str, Any]]:
        return [d async for d in self.col.find({"state": "offered", "expires_at": {"$lte": now}}).limit(limit)]

    async def states(self, action_ids: list[str]) -> dict[str, str]:
        return {d["_id"]: d["state"] async for d in self.col.find({"_id": {"$in": action_ids}})}
