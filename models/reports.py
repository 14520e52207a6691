"""Shift reports posted: one document per (channel, shift), so a report is posted once.

Two replicas whose schedulers both fire at a shift's end, or a bot restarted just after it, race for the
same `_id`; the unique `_id` lets exactly one of them claim the post. A claim whose post failed (Slack
refused or was down) is released so the next try can post it; a claim held by a process that died
mid-post is taken over only once it is older than `stale` — later than any post takes — judged on the
database's clock, like every lease (models/clock.py).
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pymongo.errors import DuplicateKeyError

from models.base import Document
from models.clock import Clock, LocalClock


class ShiftReportPost(Document):
    """`id` = "<channel>:<shift end, UTC ISO>"."""

    channel: str
    shift_start: datetime
    shift_end: datetime
    claimed_at: datetime
    message_ts: str | None = None


class ShiftReportRepository:
    stale = timedelta(minutes=10)

    def __init__(self, db: Any, clock: Clock | None = None) -> None:
        self.col = db["shift_reports"]
        self.clock: Clock = clock or LocalClock()

    @staticmethod
    def key(channel: str, shift_end: datetime) -> str:
        return f"{channel}:{shift_end.isoformat()}"

    async def claim(self, channel: str, shift_start: datetime, shift_end: datetime) -> bool:
        """True for the one caller that may post this shift's report to this channel."""
        now = await self.clock.now()
        post = ShiftReportPost(id=self.key(channel, shift_end), channel=channel, shift_start=shift_start,
                               shift_end=shift_end, claimed_at=now)
        try:
            await self.col.insert_one(post.to_mongo())
            return True
        except DuplicateKeyError:
            taken = await self.col.find_one_and_update(
                {"_id": post.id, "message_ts": None, "claimed_at": {"$lt": now - self.stale}},
                {"$set": {"claimed_at": now}})
            return taken is not None

    async def posted(self, channel: str, shift_end: datetime, ts: str) -> None:
        await self.col.update_one({"_id": self.key(channel, shift_end)}, {"$set": {"message_ts": ts}})

    async def release(self, channel: str, shift_end: datetime) -> None:
        """The post did not happen: let the next try claim it again."""
        await self.col.delete_one({"_id": self.key(channel, shift_end), "message_ts": None})

    async def get(self, channel: str, shift_end: datetime) -> ShiftReportPost | None:
        return ShiftReportPost.from_mongo(await self.col.find_one({"_id": self.key(channel, shift_end)}))
