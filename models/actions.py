"""Floor actions: one document per submitted modal, written before the first Katana call.

The document is the plan (named steps) plus each step's state and Katana ids, so a worker can
resume an action after a crash or an outage, and nobody has to guess what was recorded.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Literal

from pymongo import ReturnDocument

from models.base import Document, aware, insert_once, plain, utcnow
from models.clock import Clock, LocalClock
from models.retention import Retention, expire_after, once_dated

StepState = Literal["pending", "running", "done", "unknown", "failed"]
ActionStatus = Literal["pending", "running", "waiting", "recorded", "failed", "cancelled"]
FINISHED: tuple[ActionStatus, ...] = ("recorded", "failed", "cancelled")
UNFINISHED: tuple[ActionStatus, ...] = ("pending", "running", "waiting")


class ActionStep(Document):
    """One Katana write (or read it depends on). `id` is the step's name, e.g. `record_production`."""

    state: StepState = "pending"
    started_at: datetime | None = None
    finished_at: datetime | None = None
    result: dict[str, Any] = {}
    error: str | None = None


class FloorAction(Document):
    command: str
    user_id: str
    user_name: str
    channel_id: str | None = None
    view_id: str | None = None
    task_id: str | None = None
    claim_key: str | None = None  # models.claims: this action recorded its task's stage (released if undone)
    mo_id: int | None = None
    input: dict[str, Any]
    steps: list[ActionStep]
    status: ActionStatus = "pending"
    attempts: int = 0
    outcome: str | None = None
    error: str | None = None
    next_attempt_at: datetime | None = None
    lease_until: datetime | None = None
    lease_token: str | None = None
    retried_at: datetime | None = None  # a supervisor's Retry restarts the give-up clock
    decided_by: str | None = None  # the supervisor who retried or cancelled it
    created_at: datetime
    updated_at: datetime
    # Set when it becomes recorded, failed or cancelled, cleared when a Retry makes it wait again: the
    # retention TTL counts from it, so an unfinished action is never forgotten (models.retention).
    finished_at: datetime | None = None

    def step(self, name: str) -> ActionStep:
        return next(s for s in self.steps if s.id == name)

    def results(self) -> dict[str, Any]:
        """Everything earlier steps learned (ids, names), merged in plan order."""
        merged: dict[str, Any] = {}
        for s in self.steps:
            merged.update(s.result)
        return merged

    @property
    def finished(self) -> bool:
        return self.status in FINISHED


class ActionRepository:
    def __init__(self, db: Any, clock: Clock | None = None, *, keep: timedelta = Retention.actions) -> None:
        self.col = db["floor_actions"]
        self.clock: Clock = clock or LocalClock()  # leases are judged on the database's clock
        self.keep = keep

    async def ensure_indexes(self) -> None:
        await self.col.create_index([("status", 1), ("next_attempt_at", 1)], name="unfinished")
        await self.col.create_index([("status", 1), ("created_at", 1)], name="by_state_and_age")  # /metrics
        await self.col.create_index([("mo_id", 1), ("created_at", 1)], name="by_order")
        await self.col.create_index([("steps.result.operation_row_id", 1), ("created_at", -1)], name="by_operation_row")
        await self.col.create_index([("user_id", 1), ("created_at", -1)], name="by_person")
        await self.col.create_index([("created_at", 1)], name="by_time")  # the shift report's period
        await self.col.create_index([("steps.result.order_no", 1)], name="by_order_no")  # `bot audit --mo`
        await expire_after(self.col, "finished_at", self.keep, name="forget_finished", only=once_dated("finished_at"))

    async def create(self, action: FloorAction) -> tuple[FloorAction, bool]:
        """Insert unless this submission was seen before (the `_id` is the submission key)."""
        return await insert_once(self.col, action)

    async def get(self, action_id: str) -> FloorAction | None:
        return FloorAction.from_mongo(await self.col.find_one({"_id": action_id}))

    async def lease(self, action_id: str, hold: timedelta, *, grace: timedelta = timedelta(0)) -> FloorAction | None:
        """Take the action to work on it for `hold`; a second worker (or a double click) gets None.

        The lease carries a token: only its holder can save steps or settle the action, so a
        worker that lost its lease (it stalled and another took over) cannot overwrite anything.
        An expired lease is taken over only `grace` after it ran out: a request its holder sent just
        before then may still be on its way to Katana (the holder sends nothing once it is out)."""
        now = await self.clock.now()
        doc = await self.col.find_one_and_update(
            {"_id": action_id, "status": {"$nin": list(FINISHED)},
             "$or": [{"lease_until": None}, {"lease_until": {"$lt": now - grace}}]},
            {"$set": {"lease_until": now + hold, "lease_token": uuid.uuid4().hex, "status": "running",
                      "updated_at": now}, "$inc": {"attempts": 1}},
            return_document=ReturnDocument.AFTER)
        return FloorAction.from_mongo(doc)

    async def renew(self, action: FloorAction, hold: timedelta) -> datetime | None:
        """Extend the holder's lease; the new end, or None when the lease is someone else's now."""
        until = await self.clock.now() + hold
        result = await self.col.update_one({"_id": action.id, "lease_token": action.lease_token},
                                           {"$set": {"lease_until": until}})
        return until if result.matched_count == 1 else None

    async def save_step(self, action: FloorAction, index: int, step: ActionStep) -> bool:
        result = await self.col.update_one({"_id": action.id, "lease_token": action.lease_token}, {"$set": {
            f"steps.{index}": step.to_mongo(), "updated_at": utcnow()}})
        return bool(result.matched_count == 1)

    async def settle(self, action: FloorAction, status: ActionStatus, *, outcome: str | None = None,
                     error: str | None = None, next_attempt_at: datetime | None = None) -> bool:
        """Release the lease with the action's new status (only the lease holder can)."""
        now = utcnow()
        result = await self.col.update_one({"_id": action.id, "lease_token": action.lease_token}, {"$set": plain({
            "status": status, "outcome": outcome, "error": error, "next_attempt_at": next_attempt_at,
            "lease_until": None, "lease_token": None, "updated_at": now,
            "finished_at": now if status in FINISHED else None})})
        return bool(result.matched_count == 1)

    async def retry(self, action_id: str, by: str) -> FloorAction | None:
        """A supervisor's Retry: a failed action waits again; failed steps run again (unknown stay unknown)."""
        action = await self.get(action_id)
        if action is None or action.status != "failed":
            return None
        steps = [s.model_copy(update={"state": "pending"}) if s.state == "failed" else s for s in action.steps]
        now = utcnow()
        doc = await self.col.find_one_and_update(
            {"_id": action_id, "status": "failed"},
            {"$set": {"status": "waiting", "next_attempt_at": None, "retried_at": now, "decided_by": by,
                      "steps": [s.to_mongo() for s in steps], "updated_at": now, "finished_at": None}},
            return_document=ReturnDocument.AFTER)
        return FloorAction.from_mongo(doc)

    async def cancel(self, action_id: str, by: str, outcome: str) -> FloorAction | None:
        now = utcnow()
        doc = await self.col.find_one_and_update(
            {"_id": action_id, "status": "failed"},
            {"$set": {"status": "cancelled", "decided_by": by, "outcome": outcome, "updated_at": now,
                      "finished_at": now}},
            return_document=ReturnDocument.AFTER)
        return FloorAction.from_mongo(doc)

    async def due(self, *, grace: timedelta = timedelta(0)) -> list[str]:
        """Unfinished actions whose retry time came or whose worker vanished (lease expired `grace` ago)."""
        now = await self.clock.now()
        query = {"status": {"$nin": list(FINISHED)}, "$and": [
            {"$or": [{"next_attempt_at": None}, {"next_attempt_at": {"$lte": now}}]},
            {"$or": [{"lease_until": None}, {"lease_until": {"$lt": now - grace}}]}]}
        return [d["_id"] async for d in self.col.find(query, {"_id": 1}).limit(200)]

    async def completing_row(self, row_id: int, since: datetime, step: str) -> FloorAction | None:
        """The newest action since `since` whose plan has `step` (the one that completes an operation row)
        and found this row (e.g. a /cook)."""
        doc = await self.col.find_one({"steps.result.operation_row_id": row_id, "created_at": {"$gte": since},
                                       "steps._id": step}, sort=[("created_at", -1)])
        return FloorAction.from_mongo(doc)

    async def for_order(self, mo_id: int) -> list[FloorAction]:
        cursor = self.col.find({"mo_id": mo_id}).sort("created_at", 1)
        return [FloorAction.model_validate(d) async for d in cursor]

    async def productions_owned(self, mo_id: int, *, besides: str) -> set[int]:
        """The Katana productions that actions on this MO other than `besides` say they recorded: a
        retry looking for its own lost production must not take one of these (by_order index)."""
        query = {"mo_id": mo_id, "_id": {"$ne": besides}, "steps.result.production_id": {"$exists": True}}
        owned: set[int] = set()
        async for doc in self.col.find(query, {"steps.result.production_id": 1}):
            owned.update(int(s["result"]["production_id"]) for s in doc.get("steps", [])
                         if isinstance(s.get("result"), dict) and s["result"].get("production_id"))
        return owned

    async def standing(self, mo_id: int, command: str, *, besides: str,
                       undo_of: Callable[[str], str]) -> list[FloorAction]:
        """This command's other actions on this MO that stand, or may yet: recorded, or not finished — not
        failed, cancelled, or being taken back (an undo of theirs, whose _id `undo_of` gives, that did not
        fail). By the by_order index."""
        query = {"mo_id": mo_id, "command": command, "_id": {"$ne": besides},
                 "status": {"$in": ["recorded", *UNFINISHED]}}
        found = [FloorAction.model_validate(d) async for d in self.col.find(query)]
        undos = {"_id": {"$in": [undo_of(a.id) for a in found]}, "status": {"$nin": ["failed", "cancelled"]}}
        taken_back = {d["_id"] async for d in self.col.find(undos, {"_id": 1})} if found else set()
        return [a for a in found if undo_of(a.id) not in taken_back]

    async def handed_over(self, mo_id: int, action_id: str, reversal: str, steps: list[str], key: str) -> bool:
        """Whether a reversal (`reversal`: its command) on this MO kept one of `steps` for this action, naming
        it under `key` in that step's result. By the by_order index."""
        kept = {"_id": {"$in": steps}, f"result.{key}": action_id}  # a step is stored under _id
        query = {"mo_id": mo_id, "command": reversal, "steps": {"$elemMatch": kept}}
        return await self.col.find_one(query, {"_id": 1}) is not None

    async def latest_of(self, user_id: str, limit: int) -> list[FloorAction]:
        """A person's most recent actions, newest first (their App Home)."""
        cursor = self.col.find({"user_id": user_id, "command": {"$ne": "undo"}}).sort("created_at", -1).limit(limit)
        return [FloorAction.model_validate(d) async for d in cursor]

    async def created_between(self, start: datetime, end: datetime) -> list[FloorAction]:
        """Actions submitted in [start, end), oldest first (the shift report)."""
        cursor = self.col.find({"created_at": {"$gte": start, "$lt": end}}).sort("created_at", 1)
        return [FloorAction.model_validate(d) async for d in cursor]

    async def count_by_status(self) -> dict[str, int]:
        """How many stored actions are in each state (/metrics)."""
        return {status: int(await self.col.count_documents({"status": status}))
                for status in (*UNFINISHED, *FINISHED)}

    async def oldest_unfinished(self) -> datetime | None:
        """When the oldest action still waiting or running was submitted (/metrics)."""
        cursor = self.col.find({"status": {"$in": list(UNFINISHED)}}, {"created_at": 1}).sort("created_at", 1)
        found = [d async for d in cursor.limit(1)]
        return aware(found[0]["created_at"]) if found else None

    async def all(self) -> list[FloorAction]:
        return [FloorAction.model_validate(d) async for d in self.col.find({})]
