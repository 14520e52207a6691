"""Opening the store: real MongoDB when `MONGODB_URI` is set, otherwise an in-memory one.

Both backends get the same repositories and indexes; only single-document atomic operations
are used, because mongomock has no multi-document transactions (and we do not need them).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Literal

from models.actions import ActionRepository
from models.alerts import AlertRepository
from models.audit import AuditRepository, InventoryRepository
from models.claims import ClaimRepository
from models.clock import Clock, LocalClock, ServerClock
from models.events import EventRepository
from models.leases import LeaseRepository
from models.order_memory import OrderMemory
from models.receipts import DraftRepository, ReceiptRepository
from models.reports import ShiftReportRepository
from models.tasks import TaskRepository
from models.undo_offers import UndoOffers

log = logging.getLogger(__name__)

MEMORY_WARNING = (
    "MONGODB_URI is not set: using an IN-MEMORY store. NOTHING PERSISTS — tasks, floor actions "
    "and webhook history are lost when the bot stops. Set MONGODB_URI for real use.")


@dataclass
class Store:
    kind: Literal["mongodb", "memory"]
    client: Any
    db: Any
    tasks: TaskRepository
    events: EventRepository
    actions: ActionRepository
    audit: AuditRepository
    inventory: InventoryRepository
    alerts: AlertRepository
    orders: OrderMemory  # what the bot last saw of each MO (saves Katana reads; see the module)
    drafts: DraftRepository  # /ship and /receive forms between their stages
    receipts: ReceiptRepository
    undo_offers: UndoOffers
    reports: ShiftReportRepository  # shift reports posted: each once (bot/report)
    claims: ClaimRepository  # one recording per task and stage; the same facts twice asked to confirm
    leases: LeaseRepository  # one holder at a time across replicas: scheduled jobs, locks
    clock: Clock  # the database's time: leases are judged on it

    async def ensure_indexes(self) -> None:
        for repo in (self.tasks, self.events, self.actions, self.audit, self.inventory, self.alerts, self.orders,
                     self.undo_offers, self.claims, self.leases):
            await repo.ensure_indexes()
        # Slack event ids seen (dedup of Events API retries); Slack retries within minutes, keep a day.
        await self.db["slack_events"].create_index("received_at", expireAfterSeconds=86400, name="forget_after_a_day")

    async def ping(self) -> bool:
        try:
            await self.db.command("ping")
            return True
        except Exception:  # noqa: BLE001 — health check: any failure means "not reachable"
            return False

    def close(self) -> None:
        self.client.close()


def open_store(mongodb_uri: str | None, db_name: str) -> Store:
    if mongodb_uri:  # (each driver is imported only when chosen: a deployment needs just one of them)
        from motor.motor_asyncio import AsyncIOMotorClient

        client: Any = AsyncIOMotorClient(mongodb_uri, serverSelectionTimeoutMS=5000, tz_aware=True)
        kind: Literal["mongodb", "memory"] = "mongodb"
    else:  # (imported only when chosen, like motor above)
        from mongomock_motor import AsyncMongoMockClient

        log.warning(MEMORY_WARNING)
        client, kind = AsyncMongoMockClient(), "memory"
    db = client[db_name]
    return store_over(kind, client, db, ServerClock(db) if kind == "mongodb" else LocalClock())


def store_over(kind: Literal["mongodb", "memory"], client: Any, db: Any, clock: Clock) -> Store:
    """The repositories over one database (the fault tests hand in one that fails on purpose)."""
    return Store(kind=kind, client=client, db=db, tasks=TaskRepository(db), events=EventRepository(db, db_clock=clock),
                 actions=ActionRepository(db, clock), audit=AuditRepository(db), inventory=InventoryRepository(db),
                 alerts=AlertRepository(db), orders=OrderMemory(db), drafts=DraftRepository(db),
                 receipts=ReceiptRepository(db), undo_offers=UndoOffers(db), reports=ShiftReportRepository(db, clock),
                 claims=ClaimRepository(db), leases=LeaseRepository(db, clock), clock=clock)
