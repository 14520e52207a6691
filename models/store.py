"""Opening the store: real MongoDB when `MONGODB_URI` is set, otherwise an in-memory one.

Both backends get the same repositories and indexes; only single-document atomic operations
are used, because mongomock has no multi-document transactions (and we do not need them).

MongoDB settings are set here, in code, whatever the URI says (keyword options take precedence over the
URI's in PyMongo), because the bot's correctness depends on them:
- `w="majority"`, `journal=True`: an acknowledged write survives a failover (with w:1 it can be rolled back
  when the primary steps down, and a floor action's "recorded" with it);
- `readPreference="primary"`: read-after-write. `insert_once` reads the document a duplicate key says
  exists; a lease is read back by its holder; a secondary may not have either yet;
- `retryWrites`, `retryReads`: a write or read cut off by a primary stepping down is retried once, on the
  new primary (retryable writes are exactly-once on the server);
- `serverSelectionTimeoutMS=30000`: an election takes ~10–12 s; a call waits for the new primary instead
  of failing after 5 s. A Slack ack that waits on the store (a form submission stores its floor action
  before the ack) then misses Slack's 3 s during an election: the person sees Slack's timeout on the form,
  the action is stored and recorded when the new primary answers, and a second submission of the same
  form is the same action (its key is the view's id and hash), so nothing is lost or doubled;
- `socketTimeoutMS`: no call waits on a silent connection for ever (a partition); timed-out retryable
  operations are retried once like any network error;
- `tz_aware=True`: datetimes come back UTC-aware.
Only this module knows the driver (motor today; PyMongo's AsyncMongoClient takes the same options).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal
from urllib.parse import parse_qsl, urlsplit

from pymongo.errors import PyMongoError

from models.actions import ActionRepository
from models.alerts import AlertRepository
from models.audit import AuditRepository, InventoryRepository
from models.claims import ClaimRepository
from models.clock import Clock, LocalClock, ServerClock
from models.events import EventRepository
from models.leases import LeaseRepository
from models.open_orders import OpenOrderRepository
from models.operators import OperatorLinks
from models.order_memory import OrderMemory
from models.receipts import DraftRepository, ReceiptRepository
from models.reports import ShiftReportRepository
from models.retention import DEFAULT_RETENTION, Retention
from models.tasks import TaskRepository
from models.undo_offers import UndoOffers

log = logging.getLogger(__name__)
# What any store call raises when the database fails (a failover, a timeout, a refused write): the floor's
# code names it so, and leaves the driver to this package.
StoreError = PyMongoError

MEMORY_WARNING = (
    "MONGODB_URI is not set: using an IN-MEMORY store. NOTHING PERSISTS — tasks, floor actions "
    "and webhook history are lost when the bot stops. Set MONGODB_URI for real use.")

ELECTION_PROOF_SELECTION_MS = 30_000  # a primary election takes ~10–12 s: wait for it, with room to spare
CLIENT_OPTIONS: MappingProxyType[str, Any] = MappingProxyType({
    "w": "majority", "journal": True, "readPreference": "primary", "retryWrites": True, "retryReads": True,
    "serverSelectionTimeoutMS": ELECTION_PROOF_SELECTION_MS, "connectTimeoutMS": 10_000,
    "socketTimeoutMS": 60_000, "tz_aware": True,
})  # read-only: every store of the process reads it


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
    operators: OperatorLinks  # which Katana operator each Slack person is (set by supervisors)
    clock: Clock  # the database's time: leases are judged on it
    open_orders: OpenOrderRepository  # the open MOs, sales and purchase orders the forms offer and search

    async def ensure_indexes(self) -> None:
        for repo in (self.tasks, self.events, self.actions, self.audit, self.inventory, self.alerts, self.orders,
                     self.drafts, self.receipts, self.undo_offers, self.reports, self.claims, self.leases,
                     self.operators, self.open_orders):
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


def open_store(mongodb_uri: str | None, db_name: str, *, retention: Retention = DEFAULT_RETENTION,
               app_name: str = "shopfloor") -> Store:
    """`app_name`: how this process names itself to MongoDB (its logs and currentOp show it per replica)."""
    if mongodb_uri:  # (each driver is imported only when chosen: a deployment needs just one of them)
        from motor.motor_asyncio import AsyncIOMotorClient

        for name, asked in overridden_uri_options(mongodb_uri).items():
            log.warning("MONGODB_URI sets %s=%s; the bot uses %s=%s (see models/store.py)",
                        name, asked, name, CLIENT_OPTIONS[name])
        client: Any = AsyncIOMotorClient(mongodb_uri, appname=app_name[:128], **CLIENT_OPTIONS)
        kind: Literal["mongodb", "memory"] = "mongodb"
    else:  # (imported only when chosen, like motor above)
        from mongomock_motor import AsyncMongoMockClient

        log.warning(MEMORY_WARNING)
        client, kind = AsyncMongoMockClient(), "memory"
    db = client[db_name]
    return store_over(kind, client, db, ServerClock(db) if kind == "mongodb" else LocalClock(), retention)


def overridden_uri_options(mongodb_uri: str) -> dict[str, str]:
    """The URI's options that the code overrides with other values, by the code's name for them (the URI
    itself is a secret and is never logged; option values are not)."""
    ours = {name.lower(): name for name in CLIENT_OPTIONS}
    ours["j"] = "journal"
    asked = {ours[key.lower()]: value for key, value in parse_qsl(urlsplit(mongodb_uri).query)
             if key.lower() in ours}
    return {name: value for name, value in asked.items() if value.lower() != str(CLIENT_OPTIONS[name]).lower()}


def store_over(kind: Literal["mongodb", "memory"], client: Any, db: Any, clock: Clock,
               retention: Retention = DEFAULT_RETENTION) -> Store:
    """The repositories over one database (the fault tests hand in one that fails on purpose)."""
    return Store(kind=kind, client=client, db=db, tasks=TaskRepository(db),
                 events=EventRepository(db, db_clock=clock, keep=retention.events),
                 actions=ActionRepository(db, clock, keep=retention.actions),
                 audit=AuditRepository(db, keep=retention.audit), inventory=InventoryRepository(db),
                 alerts=AlertRepository(db, keep=retention.audit),
                 orders=OrderMemory(db, keep=retention.order_memory),
                 drafts=DraftRepository(db, clock, keep=retention.drafts),
                 receipts=ReceiptRepository(db), undo_offers=UndoOffers(db, keep=retention.actions),
                 reports=ShiftReportRepository(db, clock, keep=retention.audit),
                 claims=ClaimRepository(db, keep=retention.actions), leases=LeaseRepository(db, clock),
                 operators=OperatorLinks(db), open_orders=OpenOrderRepository(db), clock=clock)
