"""The audit trail (`SyncLog`) and the inventory cache.

SyncLog is append-only: every floor action outcome, webhook outcome and sync run, with who,
what, when and the Katana ids, so a supervisor can reconstruct an MO's history.
"""
from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from models.base import Document, plain, utcnow

LogKind = Literal["floor_action", "webhook", "sync"]


class SyncLog(Document):
    kind: LogKind
    subject: str  # e.g. "MO-101", "manufacturing_order.created", "unleashed"
    mo_id: int | None = None
    actor: str | None = None
    outcome: str
    details: dict[str, Any] = {}
    at: datetime


class InventoryCache(Document):
    """Last known stock of one item at one source (`_id` = "<source>:<sku>:<location>")."""

    source: str
    sku: str
    location: str = ""
    quantity: Decimal
    days_of_cover: Decimal | None = None  # Amazon FBA: (fulfillable + inbound) ÷ recent daily sales
    updated_at: datetime


class AuditRepository:
    def __init__(self, db: Any) -> None:
        self.col = db["sync_log"]

    async def ensure_indexes(self) -> None:
        await self.col.create_index([("mo_id", 1), ("at", 1)], name="by_order")
        await self.col.create_index([("kind", 1), ("at", -1)], name="recent_by_kind")

    async def write(self, kind: LogKind, subject: str, outcome: str, *, mo_id: int | None = None,
                    actor: str | None = None, **details: Any) -> SyncLog:
        entry = SyncLog(id=uuid.uuid4().hex, kind=kind, subject=subject, mo_id=mo_id, actor=actor,
                        outcome=outcome, details=plain(details), at=utcnow())
        await self.col.insert_one(entry.to_mongo())
        return entry

    async def for_order(self, mo_id: int) -> list[SyncLog]:
        cursor = self.col.find({"mo_id": mo_id}).sort("at", 1)
        return [SyncLog.model_validate(d) async for d in cursor]

    async def latest(self, kind: LogKind, subject: str) -> SyncLog | None:
        """The newest entry of one kind and subject (e.g. the last "sync" of "unleashed")."""
        cursor = self.col.find({"kind": kind, "subject": subject}).sort("at", -1).limit(1)
        return next(iter([SyncLog.model_validate(d) async for d in cursor]), None)

    async def since(self, kind: LogKind, subject: str, at: datetime) -> list[SyncLog]:
        cursor = self.col.find({"kind": kind, "subject": subject, "at": {"$gte": at}}).sort("at", 1)
        return [SyncLog.model_validate(d) async for d in cursor]


class InventoryRepository:
    def __init__(self, db: Any) -> None:
        self.col = db["inventory_cache"]

    async def ensure_indexes(self) -> None:
        await self.col.create_index([("source", 1), ("sku", 1), ("location", 1)], unique=True,
                                    name="one_row_per_item")

    async def upsert(self, source: str, sku: str, quantity: Decimal, location: str = "",
                     days_of_cover: Decimal | None = None) -> None:
        key = f"{source}:{sku}:{location}"
        await self.col.update_one({"_id": key}, {"$set": plain({
            "source": source, "sku": sku, "location": location, "quantity": quantity,
            "days_of_cover": days_of_cover, "updated_at": utcnow()})}, upsert=True)

    async def fewest_days_of_cover(self, source: str, since: datetime, limit: int) -> list[InventoryCache]:
        """Items refreshed since `since` (the last sync) with the fewest days of cover, fewest first.
        Sorted here: the cover is stored as exact text, which the database would sort as text."""
        query = {"source": source, "updated_at": {"$gte": since}, "days_of_cover": {"$ne": None}}
        rows = [InventoryCache.model_validate(d) async for d in self.col.find(query)]
        return sorted(rows, key=lambda row: (row.days_of_cover, row.sku))[:limit]

    async def get(self, source: str, sku: str, location: str = "") -> InventoryCache | None:
        return InventoryCache.from_mongo(await self.col.find_one({"_id": f"{source}:{sku}:{location}"}))
