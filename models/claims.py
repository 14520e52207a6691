"""Claims: who got to do a thing first, decided by a unique key in one atomic write.

- A task's recording: `record:<stage>:<mo id>` is claimed by the first submission from that task; a
  second person (or a second form of the same person) finds it taken and is told by whom and when.
  The claim is released when that recording comes to nothing (refused before any write), is undone,
  or is cancelled by a supervisor: then the task can be recorded again. A claim whose action was never
  saved (the store failed in between) is taken over by the next submission a minute later.
- The same facts twice: `same:<user>:<hash of the facts>` is claimed for a while; the same person
  entering the same facts for the same MO within that window is asked to confirm.

One document per key (`_id`): MongoDB's unique `_id` makes the first insert win, whoever else tries
at the same moment, in this process or another.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError


class ClaimRepository:
    def __init__(self, db: Any) -> None:
        self.col = db["claims"]

    async def ensure_indexes(self) -> None:
        await self.col.create_index([("action_id", 1)], name="by_action")

    async def claim(self, key: str, holder: dict[str, Any]) -> tuple[bool, dict[str, Any]]:
        """(won, the claim as it stands). A released claim is taken over by the next caller."""
        document = {"_id": key, "released": False, **holder}
        try:
            await self.col.insert_one(document)
            return True, document
        except DuplicateKeyError:
            pass
        taken = await self.col.find_one_and_update({"_id": key, "released": True},
                                                   {"$set": {"released": False, **holder}},
                                                   return_document=ReturnDocument.AFTER)
        if taken is not None:
            return True, dict(taken)
        current = await self.col.find_one({"_id": key})
        return False, dict(current or document)

    async def claim_for(self, key: str, holder: dict[str, Any], window: timedelta,
                        now: datetime) -> tuple[bool, dict[str, Any]]:
        """Like `claim`, but a claim older than `window` counts as free (the same facts again much later)."""
        try:
            won = await self.col.find_one_and_update(
                {"_id": key, "at": {"$lt": now - window}}, {"$set": {"released": False, **holder, "at": now}},
                upsert=True, return_document=ReturnDocument.AFTER)
            return True, dict(won)
        except DuplicateKeyError:  # a fresh claim is there: the upsert's insert collided with it
            current = await self.col.find_one({"_id": key})
            return False, dict(current or holder)

    async def take_over(self, key: str, from_action_id: str, holder: dict[str, Any]) -> bool:
        """Hand the claim to `holder` if `from_action_id` still holds it (one of several callers wins)."""
        result = await self.col.update_one({"_id": key, "action_id": from_action_id},
                                           {"$set": {"released": False, **holder}})
        return bool(result.modified_count == 1)

    async def release(self, key: str, action_id: str) -> bool:
        """Free the claim, if this action still holds it."""
        result = await self.col.update_one({"_id": key, "action_id": action_id}, {"$set": {"released": True}})
        return bool(result.modified_count == 1)

    async def get(self, key: str) -> dict[str, Any] | None:
        found: dict[str, Any] | None = await self.col.find_one({"_id": key})
        return found
