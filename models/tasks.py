"""Production tasks: the work the floor still has to do for a manufacturing order.

One task per (MO, stage): the `_id` is `"<kind>:<mo_id>"`, so a task created by a webhook and
the same task created by a floor action are one document, whichever arrives first.

A task carries its own timer (Start / Pause / Block / Resume). The timer lives in the task document
and every change is a compare-and-set on `timer_version`, a single-document atomic update: two
Starts (a double tap, two people, a restarted bot) can never make two running timers.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Literal, get_args

from pymongo import ReturnDocument

from models.base import Document, insert_once, plain, utcnow

TaskKind = Literal["cook", "label", "pack", "ship"]
TaskStatus = Literal["open", "in_progress", "done", "closed"]
KatanaSync = Literal["pending", "synced", "failed"]
TimerState = Literal["idle", "running", "paused", "blocked", "stopped"]
TaskSource = Literal["webhook", "floor_action"]
OPEN_STATUSES = ["open", "in_progress"]

# The production chain: what the floor does next once a stage is finished.
NEXT_STAGE: dict[str, TaskKind | None] = {"cook": "label", "label": "pack", "pack": "ship", "ship": None}
PRODUCTION_STAGES = ("cook", "label", "pack")


def task_id(kind: str, mo_id: int) -> str:
    return f"{kind}:{mo_id}"


class ProductionTask(Document):
    kind: TaskKind
    mo_id: int
    mo_order_no: str
    sku: str | None = None
    planned_quantity: Decimal | None = None
    quantity: Decimal | None = None  # what the previous stage produced: the suggestion for this one
    batch_number: str | None = None
    crate: str | None = None
    sales_order_id: int | None = None
    status: TaskStatus = "open"
    assignee: str | None = None
    source: TaskSource = "webhook"
    katana_sync: KatanaSync = "synced"
    channel: str | None = None
    message_ts: str | None = None
    posting_since: datetime | None = None
    done_by: str | None = None
    done_source: str | None = None
    close_reason: str | None = None
    created_at: datetime
    started_at: datetime | None = None
    done_at: datetime | None = None
    updated_at: datetime
    # The timer: finished intervals add up in timer_seconds; a running one started at timer_running_since.
    assignee_name: str | None = None
    timer_state: TimerState = "idle"
    timer_running_since: datetime | None = None
    timer_seconds: int = 0
    timer_version: int = 0
    timer_reason: str | None = None  # why it is paused or blocked
    timer_by: str | None = None  # who made the last timer change
    intervals: list[dict[str, Any]] = []  # finished intervals: {from, to, by, seconds, ended}
    operation_row_id: int | None = None  # this stage's Katana operation row, once looked up
    row_completed: bool = False  # its row is COMPLETED (recorded): timer syncs leave it alone
    # A SHIP task whose order was packed (a PACKED fulfilment) stays open until it is delivered.
    packed_by: str | None = None
    packed_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.status in ("open", "in_progress")

    def elapsed_seconds(self, now: datetime | None = None) -> int:
        """Time on the task so far: finished intervals plus the running one."""
        running = 0
        if self.timer_state == "running" and self.timer_running_since is not None:
            running = max(int(((now or utcnow()) - self.timer_running_since).total_seconds()), 0)
        return self.timer_seconds + running

    def elapsed_minutes(self, now: datetime | None = None) -> int | None:
        """Whole minutes for the Record form; None when the task was never timed."""
        if self.timer_state == "idle" and not self.timer_seconds:
            return None
        return self.elapsed_seconds(now) // 60


class TaskRepository:
    def __init__(self, db: Any) -> None:
        self.col = db["production_tasks"]

    async def ensure_indexes(self) -> None:
        await self.col.create_index([("mo_id", 1), ("kind", 1)], unique=True, name="one_task_per_stage")
        await self.col.create_index([("status", 1), ("created_at", 1)], name="open_tasks")
        await self.col.create_index([("timer_state", 1), ("timer_running_since", 1)], name="running_timers")
        await self.col.create_index([("mo_order_no", 1)], name="by_order_no")  # `bot audit --mo`

    async def open_task(self, task: ProductionTask) -> tuple[ProductionTask, bool]:
        """Create the task unless it exists; returns (task, created). Safe under concurrent callers."""
        return await insert_once(self.col, task)

    async def get(self, tid: str) -> ProductionTask | None:
        return ProductionTask.from_mongo(await self.col.find_one({"_id": tid}))

    async def add_details(self, tid: str, **details: Any) -> ProductionTask | None:
        """Fill in what a later source knows (batch, crate, quantity) without touching status."""
        fields = {k: v for k, v in details.items() if v is not None}
        fields["updated_at"] = utcnow()
        doc = await self.col.find_one_and_update(
            {"_id": tid}, {"$set": plain(fields)}, return_document=ReturnDocument.AFTER)
        return ProductionTask.from_mongo(doc)

    posting_stale = timedelta(seconds=30)  # a post not attached by then was cut short (crash, Slack down)

    async def claim_posting(self, tid: str) -> ProductionTask | None:
        """One caller wins the right to post the task's message; returns the task as it was before the claim,
        so the winner can tell a first post from taking over an earlier one that never finished."""
        now = utcnow()
        before = await self.col.find_one_and_update(
            {"_id": tid, "message_ts": None,
             "$or": [{"posting_since": None}, {"posting_since": {"$lt": now - self.posting_stale}}]},
            {"$set": {"posting_since": now}})
        return ProductionTask.from_mongo(before)

    async def unposted(self, limit: int = 50) -> list[str]:
        """Open tasks whose message was never attached and whose last posting attempt is stale."""
        stale = utcnow() - self.posting_stale
        query = {"status": {"$in": ["open", "in_progress"]}, "message_ts": None,
                 "$or": [{"posting_since": None}, {"posting_since": {"$lt": stale}}]}
        return [d["_id"] async for d in self.col.find(query, {"_id": 1}).limit(limit)]

    async def attach_message(self, tid: str, channel: str, ts: str) -> None:
        await self.col.update_one({"_id": tid}, {"$set": {"channel": channel, "message_ts": ts}})

    async def finish(self, tid: str, *, by: str | None, reason: str | None = None,
                     status: TaskStatus = "done", source: str = "floor_action") -> ProductionTask | None:
        """Mark an open task done/closed; returns it only if this call changed it (so one caller announces it)."""
        now = utcnow()
        doc = await self.col.find_one_and_update(
            {"_id": tid, "status": {"$in": ["open", "in_progress"]}},
            {"$set": {"status": status, "done_by": by, "close_reason": reason, "done_at": now,
                      "done_source": source, "updated_at": now, "timer_state": "stopped",
                      "timer_running_since": None}, "$inc": {"timer_version": 1}},
            return_document=ReturnDocument.AFTER)
        return ProductionTask.from_mongo(doc)

    async def reopen(self, tid: str, *, by: str) -> ProductionTask | None:
        """A recorded stage was undone by its author: the task is open again (its timer kept)."""
        doc = await self.col.find_one_and_update(
            {"_id": tid, "status": "done"},
            {"$set": {"status": "open", "done_by": None, "done_at": None, "done_source": None, "close_reason": None,
                      "timer_state": "idle", "timer_by": by, "row_completed": False, "updated_at": utcnow()},
             "$inc": {"timer_version": 1}},
            return_document=ReturnDocument.AFTER)
        return ProductionTask.from_mongo(doc)

    async def withdraw(self, tid: str) -> ProductionTask | None:
        """Remove a task nobody took up (its previous stage was undone): a later recording opens it afresh."""
        doc = await self.col.find_one_and_delete({"_id": tid, "status": "open", "timer_state": "idle",
                                                  "assignee": None})
        return ProductionTask.from_mongo(doc)

    async def change_timer(self, task: ProductionTask, changes: dict[str, Any], *,
                           interval: dict[str, Any] | None = None, add_seconds: int = 0) -> ProductionTask | None:
        """Apply a timer change only if nobody changed the timer since `task` was read (compare-and-set
        on timer_version); returns the new task, or None when someone else got there first."""
        update: dict[str, Any] = {"$set": plain({**changes, "updated_at": utcnow()}),
                                  "$inc": {"timer_version": 1, "timer_seconds": add_seconds}}
        if interval is not None:
            update["$push"] = {"intervals": plain(interval)}
        doc = await self.col.find_one_and_update(
            {"_id": task.id, "timer_version": task.timer_version, "status": {"$in": OPEN_STATUSES}},
            update, return_document=ReturnDocument.AFTER)
        return ProductionTask.from_mongo(doc)

    async def mark_synced(self, tid: str, version: int, state: KatanaSync) -> bool:
        """Katana's operation row matches timer version `version` (a later change keeps it pending)."""
        result = await self.col.update_one({"_id": tid, "timer_version": version}, {"$set": {"katana_sync": state}})
        return bool(result.matched_count == 1)

    async def mark_row_completed(self, tid: str) -> None:
        """The stage's row was completed (by its recording, or found so): no timer sync may move it."""
        await self.col.update_one({"_id": tid}, {"$set": {"row_completed": True, "katana_sync": "synced"}})

    async def remember_row(self, tid: str, row_id: int) -> None:
        await self.col.update_one({"_id": tid}, {"$set": {"operation_row_id": row_id}})

    async def running_since_before(self, moment: datetime, limit: int = 100) -> list[ProductionTask]:
        cursor = self.col.find({"timer_state": "running", "timer_running_since": {"$lt": moment},
                                "status": {"$in": OPEN_STATUSES}}).limit(limit)
        return [ProductionTask.model_validate(d) async for d in cursor]

    async def unsynced(self, limit: int = 50) -> list[ProductionTask]:
        cursor = self.col.find({"katana_sync": "pending", "status": {"$in": OPEN_STATUSES}})
        return [ProductionTask.model_validate(d) async for d in cursor.limit(limit)]

    async def open_for_kinds(self, kinds: list[str], limit: int = 60) -> list[ProductionTask]:
        cursor = self.col.find({"kind": {"$in": kinds}, "status": {"$in": OPEN_STATUSES}}).sort("created_at", 1)
        return [ProductionTask.model_validate(d) async for d in cursor.limit(limit)]

    async def credit(self, tid: str, *, by: str) -> ProductionTask | None:
        """The person who recorded the stage replaces a webhook's "done in Katana" on the task."""
        doc = await self.col.find_one_and_update(
            {"_id": tid, "done_source": "webhook"},
            {"$set": {"status": "done", "done_by": by, "close_reason": None, "done_source": "floor_action",
                      "updated_at": utcnow()}},
            return_document=ReturnDocument.AFTER)
        return ProductionTask.from_mongo(doc)

    async def open_for_order(self, mo_id: int) -> list[ProductionTask]:
        # By the ids an order's tasks can have (one per stage): the `_id` index, in MongoDB and in memory,
        # where a filter on `mo_id` scanned every task (each finished MO's webhook, bench row 3).
        ids = [task_id(kind, mo_id) for kind in get_args(TaskKind)]
        cursor = self.col.find({"_id": {"$in": ids}, "mo_id": mo_id, "status": {"$in": ["open", "in_progress"]}})
        return [ProductionTask.model_validate(d) async for d in cursor]

    async def open_tasks(self, limit: int = 20) -> list[ProductionTask]:
        cursor = self.col.find({"status": {"$in": ["open", "in_progress"]}}).sort("created_at", 1).limit(limit)
        return [ProductionTask.model_validate(d) async for d in cursor]

    async def of_orders(self, mo_ids: list[int]) -> list[ProductionTask]:
        """Every task of these MOs, found by the ids they can have (the `_id` index, as open_for_order)."""
        ids = [task_id(kind, mo_id) for mo_id in mo_ids for kind in get_args(TaskKind)]
        return [ProductionTask.model_validate(d) async for d in self.col.find({"_id": {"$in": ids}})]

    async def for_order(self, mo_id: int) -> list[ProductionTask]:
        return [ProductionTask.model_validate(d) async for d in self.col.find({"mo_id": mo_id})]
