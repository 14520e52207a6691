"""Retention: TTL indexes forget finished records after their settings' days, and never anything unfinished.

mongomock's own expiry runs on the wall clock and ignores partial filters: the declared indexes are checked as
MongoDB would read them, and `sandbox.ttl_monitor.sweep` runs one pass of MongoDB's TTL monitor over them."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from pymongo.errors import DuplicateKeyError, OperationFailure

from models.actions import ActionStep, FloorAction
from models.base import utcnow
from models.events import EventRepository
from models.retention import Retention, expire_after
from models.store import Store, open_store
from sandbox.ttl_monitor import sweep

RETENTION = Retention(events=timedelta(days=3), actions=timedelta(days=9), audit=timedelta(days=40),
                      drafts=timedelta(days=2), order_memory=timedelta(days=5))
DAY = 86400
DATED = {"$type": "date"}
# collection → (field, days, partial filter): what each TTL index must be.
EXPECTED = {
    "katana_events": ("processed_at", 3, {"processed_at": DATED}),
    "floor_actions": ("finished_at", 9, {"finished_at": DATED}),
    "undo_offers": ("expires_at", 9, None),
    "claims": ("at", 9, None),
    "sync_log": ("at", 40, None),
    "alerts": ("resolved_at", 40, {"status": "resolved"}),
    "shift_reports": ("shift_end", 40, None),
    "modal_drafts": ("created_at", 2, None),
    "katana_orders": ("kept_at", 5, None),
    "slack_events": ("received_at", 1, None),
    "leases": ("started_at", 7, None),
}
KEPT = ("production_tasks", "receipts", "inventory_cache")  # decided: no TTL (models/retention.py says why)


async def ttl_indexes(store: Store) -> dict[str, tuple[str, int, Any]]:
    found = {}
    for name in [*EXPECTED, *KEPT]:
        for index in (await store.db[name].index_information()).values():
            if "expireAfterSeconds" in index:
                [(field, _)] = index["key"]
                found[name] = (field, index["expireAfterSeconds"] // DAY, index.get("partialFilterExpression"))
    return found


async def test_each_growing_collection_has_its_ttl_index() -> None:
    """Fails without a TTL on any of them, with the wrong retention, or without the partial filters that
    keep unfinished actions and open alerts out of the TTL index."""
    store = open_store(None, "retention", retention=RETENTION)
    await store.ensure_indexes()
    assert await ttl_indexes(store) == EXPECTED


def action(action_id: str, days_ago: float) -> FloorAction:
    at = utcnow() - timedelta(days=days_ago)
    return FloorAction(_id=action_id, command="cook", user_id="U1", user_name="Ana", input={},
                       steps=[ActionStep(_id="load_order")], created_at=at, updated_at=at)


async def finish(store: Store, action_id: str, status: str) -> None:
    leased = await store.actions.lease(action_id, timedelta(minutes=1))
    assert leased is not None and await store.actions.settle(leased, status)  # type: ignore[arg-type]


async def test_the_ttl_monitor_forgets_finished_actions_and_never_unfinished_ones() -> None:
    """An action waiting for Katana for longer than the retention stays; a recorded or cancelled one goes
    after the retention; one a supervisor retried waits again and stays. Fails if `settle`/`cancel` leave
    `finished_at` unset (nothing expires) or `retry` leaves it set (a waiting action is deleted)."""
    store = open_store(None, "sweep-actions", retention=RETENTION)
    await store.ensure_indexes()
    for name in ("waiting", "recorded", "cancelled", "retried"):
        await store.actions.create(action(name, days_ago=400))
    await finish(store, "recorded", "recorded")
    await finish(store, "cancelled", "failed")
    assert await store.actions.cancel("cancelled", "Sue", "left as it is") is not None
    await finish(store, "retried", "failed")
    assert await store.actions.retry("retried", "Sue") is not None
    leased = await store.actions.lease("waiting", timedelta(minutes=1))
    assert leased is not None and await store.actions.settle(leased, "waiting")

    await sweep(store.db, utcnow() + timedelta(days=8))  # within the retention: nothing goes
    assert len(await store.actions.all()) == 4
    await sweep(store.db, utcnow() + timedelta(days=10))
    assert sorted(a.id for a in await store.actions.all()) == ["retried", "waiting"]


async def test_the_ttl_monitor_forgets_processed_events_but_not_pending_or_reopened_ones() -> None:
    store = open_store(None, "sweep-events", retention=RETENTION)
    await store.ensure_indexes()
    keys = []
    for mo in (1, 2, 3):
        payload = {"resource_type": "manufacturing_order", "action": "manufacturing_order.done", "object": {"id": mo}}
        key, fresh = await store.events.deliver(payload, None)
        assert fresh
        keys.append(key)
    for key in keys[:2]:
        claimed = await store.events.claim(key)
        assert claimed is not None and await store.events.finish(claimed, "closed 1 task")
    # MO 2's payload again, much later: a new occurrence (an MO reopened and done again) — pending once more.
    await store.db["katana_events"].update_one({"_id": keys[1]}, {"$set": {"last_received_at": utcnow() - timedelta(days=1)}})
    another_replica = EventRepository(store.db, keep=RETENTION.events)  # nothing of it in its memory
    _, reopened = await another_replica.deliver({"resource_type": "manufacturing_order",
                                              "action": "manufacturing_order.done", "object": {"id": 2}}, None)
    assert reopened
    await sweep(store.db, utcnow() + timedelta(days=4))
    left = {key: event.status for key in keys if (event := await store.events.get(key)) is not None}
    assert left == {keys[1]: "pending", keys[2]: "pending"}


async def test_a_delivery_of_an_event_forgotten_meanwhile_is_stored_and_processed() -> None:
    """The TTL monitor can delete a processed event between a delivery's failed insert and its count:
    fails if that delivery is then neither stored nor processed."""
    store = open_store(None, "forgotten", retention=RETENTION)
    store.events.col = ForgottenOnce(store.events.col)
    payload = {"resource_type": "manufacturing_order", "action": "manufacturing_order.created", "object": {"id": 9}}
    key, fresh = await store.events.deliver(payload, None)
    assert fresh and (await store.events.get(key)).status == "pending"


class ForgottenOnce:
    """katana_events as the TTL monitor leaves it: the first insert collides with an event that is gone by
    the time it is counted."""

    def __init__(self, col: Any) -> None:
        self.col, self.collided = col, False

    async def insert_one(self, document: dict[str, Any]) -> Any:
        if not self.collided:
            self.collided = True
            raise DuplicateKeyError("E11000 duplicate key error")
        return await self.col.insert_one(document)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.col, name)


class RetentionChanged:
    """A MongoDB collection whose TTL index exists with another expiry: create_index refuses (code 85)."""

    name = "katana_events"

    def __init__(self) -> None:
        self.database = self
        self.commands: list[tuple[Any, ...]] = []

    async def create_index(self, keys: Any, **options: Any) -> str:
        raise OperationFailure("Index already exists with different options", code=85)

    async def command(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        self.commands.append((*args, kwargs))
        return {"ok": 1}


async def test_a_changed_retention_is_applied_to_the_existing_index() -> None:
    """Fails if a retention setting changed since the index was created stops the bot at start-up."""
    col = RetentionChanged()
    await expire_after(col, "processed_at", timedelta(days=12), name="forget_processed")
    assert col.commands == [("collMod", "katana_events",
                             {"index": {"name": "forget_processed", "expireAfterSeconds": 12 * DAY}})]
    col.create_index = failing  # type: ignore[method-assign]
    with pytest.raises(OperationFailure):
        await expire_after(col, "processed_at", timedelta(days=12), name="forget_processed")


async def failing(keys: Any, **options: Any) -> str:
    raise OperationFailure("not authorized", code=13)
