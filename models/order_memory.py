"""What the bot last saw of each manufacturing order in Katana, and whether it can still trust it.

Katana gives the bot 60 calls a minute. A /cook opened from its task used to read the MO and its
operation rows again before recording. Those reads repeat what the bot saw moments or minutes before,
when the MO's webhook was processed, or in its own last write's answer. This memory keeps that view so
a command can skip them — but only while nothing says the order changed since:

- the view is trusted when no Katana event for the order (other than its creation) and none for its
  operation rows was received after the view was read, less a margin for Katana's read lag;
- a view older than TRUST_FOR is not trusted either (a missed or unsubscribed webhook must not
  leave the bot on old news for a whole day);
- our own writes send webhooks too, and are not told apart from anyone else's: after a write the
  order is read again.

Two facts are never taken from this memory, because the webhook that would correct them can be late:
- whether the order is still open: a floor command reads the order before its first write (commands.steps
  load_order); an MO finished or deleted in Katana's own app while its form was open is refused there;
- the MO's notes: `additional_info` is rewritten from a read made right before — by the note itself, or
  at most a couple of seconds earlier with nothing announced since (`recent_order`, NOTE_ECHO in
  integrations.katana.manufacturing): a note typed in Katana a moment ago, whose webhook may still be
  on its way, must not be wiped. Nor from a view that may miss the bot's own last write of the order:
  a read sent while that write was on its way can be answered from the text before it (`writes_of`).

One document per MO (`_id` = MO id); a view only replaces an older one (compare-and-set on `seen_at`).
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from models.base import _aware, utcnow
from models.retention import Retention, expire_after

# With webhooks flowing; about a shift: a task is usually cooked within the shift it was made in.
TRUST_FOR = timedelta(hours=8)
READ_LAG = timedelta(seconds=2)  # an event just before our read may not show in it yet
ORDER_RESOURCE, ROW_RESOURCE = "manufacturing_order", "manufacturing_order_operation_row"
NOT_A_CHANGE = ["manufacturing_order.created", "created"]  # creation is what the first view was read for


class OrderMemory:
    def __init__(self, db: Any, *, trust_for: timedelta = timedelta(0),
                 keep: timedelta = Retention.order_memory) -> None:
        self.col = db["katana_orders"]
        self.events = db["katana_events"]
        # Zero until the app knows Katana's webhooks reach it: without them nothing would ever say
        # that an order changed, so every view would be trusted blindly.
        self.trust_for = trust_for
        self.keep = keep  # an order not seen for this long is forgotten (`kept_at`, the latest view of either part)

    async def ensure_indexes(self) -> None:
        # The trust check asks for an order's (or its rows') events received after a moment.
        await self.events.create_index([("resource_type", 1), ("object_id", 1), ("last_received_at", 1)],
                                       name="events_of_a_resource")
        await expire_after(self.col, "kept_at", self.keep, name="forget_unseen_orders")

    # --- remembering -------------------------------------------------------------------------------

    async def saw_order(self, mo_id: int, order: dict[str, Any], read_at: datetime, *, writes: int = 0) -> None:
        """`order`: the MO as Katana returned it (JSON); `read_at`: when that request was sent; `writes`:
        `writes_of` the order, asked before that request was sent."""
        await self._keep(mo_id, "order", order, read_at, order_writes_in=writes)

    # The bot's own writes of an order are counted, not timed: a read sent after a write of ours was sent but
    # answered before it landed is newer by the clock, yet misses that write. A view "holds" the writes that
    # were answered before its read was sent (or, for a write's answer, that write and the ones before it).

    async def writes_of(self, mo_id: int) -> int:
        """How many writes of this order the bot has seen answered (or lost); ask before sending a read."""
        doc = await self.col.find_one({"_id": mo_id}, {"order_writes": 1})
        return int(doc.get("order_writes") or 0) if doc else 0

    async def wrote_order(self, mo_id: int, order: dict[str, Any] | None, sent: datetime) -> None:
        """The bot's own write of the order (made under its lock) was answered with `order`, or its answer was
        lost (None: it may have landed). Views read before it was answered stop standing for a read."""
        counted = await self.col.find_one_and_update(
            {"_id": mo_id}, {"$inc": {"order_writes": 1}, "$max": {"kept_at": sent}}, upsert=True,
            return_document=ReturnDocument.AFTER)
        if order is not None:
            await self._keep(mo_id, "order", order, sent, order_writes_in=int(counted["order_writes"]))

    async def saw_rows(self, mo_id: int, rows: list[dict[str, Any]], read_at: datetime) -> None:
        await self._keep(mo_id, "rows", rows, read_at)

    async def saw_recipe(self, mo_id: int, recipe: dict[str, Any], read_at: datetime) -> None:
        """The order's ingredients with their items and batches in stock (integrations.katana.recipes)."""
        await self._keep(mo_id, "recipe", recipe, read_at)

    async def _keep(self, mo_id: int, part: str, value: Any, read_at: datetime, **also: Any) -> None:
        seen = f"{part}_seen_at"
        newer = await self.col.update_one(
            {"_id": mo_id, "$or": [{seen: {"$lt": read_at}}, {seen: None}]},
            {"$set": {part: value, seen: read_at, **also}, "$max": {"kept_at": read_at}})
        if newer.matched_count:
            return
        try:
            await self.col.insert_one({"_id": mo_id, part: value, seen: read_at, "kept_at": read_at, **also})
        except DuplicateKeyError:
            pass  # the document exists and holds a view read later than this one: keep that

    # --- recalling ---------------------------------------------------------------------------------

    async def known_order(self, mo_id: int) -> dict[str, Any] | None:
        """The order as last seen, if nothing since says it changed; else None (read it)."""
        doc = await self.col.find_one({"_id": mo_id})
        seen_at = self._seen(doc, "order")
        if seen_at is None or misses_own_write(doc) or await self._changed_since(mo_id, seen_at, rows=[]):
            return None
        return dict(doc["order"]) if doc is not None else None

    async def recent_order(self, mo_id: int, since: datetime) -> dict[str, Any] | None:
        """The order as read at or after `since`, if nothing since says it changed; else None (read it).
        Trusted with or without webhooks: the caller keeps `since` seconds back, where a view stands for
        a read made now (what rewriting the MO's notes needs)."""
        doc = await self.col.find_one({"_id": mo_id}, {"order": 1, "order_seen_at": 1, "order_writes": 1,
                                                        "order_writes_in": 1})
        if not doc or doc.get("order") is None or doc.get("order_seen_at") is None or misses_own_write(doc):
            return None
        seen_at = _aware(doc["order_seen_at"])
        if seen_at < since or await self._changed_since(mo_id, seen_at, rows=[]):
            return None
        return dict(doc["order"])

    async def forget(self, mo_id: int) -> None:
        """Katana has no such order (any more): nothing of it may stand in for a read."""
        await self.col.delete_one({"_id": mo_id})

    async def known_rows(self, mo_id: int) -> list[dict[str, Any]] | None:
        """The order's operation rows as last seen, if neither they nor the order changed since."""
        doc = await self.col.find_one({"_id": mo_id})
        seen_at = self._seen(doc, "rows")
        if seen_at is None:
            return None
        rows: list[dict[str, Any]] = list(doc["rows"]) if doc is not None else []
        if await self._changed_since(mo_id, seen_at, rows=[int(row["id"]) for row in rows]):
            return None
        return rows

    async def known_recipe(self, mo_id: int) -> dict[str, Any] | None:
        """The recipe as last seen, if nothing since says the order changed (its recipe rows send no
        events the bot subscribes to; a change of the order's own record does)."""
        doc = await self.col.find_one({"_id": mo_id}, {"recipe": 1, "recipe_seen_at": 1})
        seen_at = self._seen(doc, "recipe")
        if seen_at is None or await self._changed_since(mo_id, seen_at, rows=[]):
            return None
        return dict(doc["recipe"]) if doc is not None else None

    async def last_seen_recipe(self, mo_id: int) -> dict[str, Any] | None:
        """The recipe as last seen, trusted or not: what the /cook form suggests, which the recording
        checks against Katana's current recipe."""
        doc = await self.col.find_one({"_id": mo_id}, {"recipe": 1})
        return dict(doc["recipe"]) if doc and doc.get("recipe") else None

    async def last_seen_rows(self, mo_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
        """The operation rows last seen for these MOs, trusted or not (the shift report reads their
        planned times, which a later change of the order rarely touches)."""
        cursor = self.col.find({"_id": {"$in": mo_ids}, "rows": {"$ne": None}}, {"rows": 1})
        return {int(doc["_id"]): list(doc["rows"]) async for doc in cursor}

    async def _changed_since(self, mo_id: int, seen_at: datetime, *, rows: list[int]) -> bool:
        # The last delivery counts: an identical payload within the dedup window can be a new change.
        window: dict[str, Any] = {"$gte": seen_at - READ_LAG}
        order_news = {"resource_type": ORDER_RESOURCE, "object_id": str(mo_id), "action": {"$nin": NOT_A_CHANGE},
                      "last_received_at": window}
        if await self.events.find_one(order_news, {"_id": 1}) is not None:
            return True
        if not rows:
            return False
        row_news = {"resource_type": ROW_RESOURCE, "object_id": {"$in": [str(r) for r in rows]},
                    "last_received_at": window}
        return await self.events.find_one(row_news, {"_id": 1}) is not None

    def _seen(self, doc: dict[str, Any] | None, part: str) -> datetime | None:
        """When this part was read, if it is there and young enough to be trusted at all."""
        if not doc or doc.get(part) is None or doc.get(f"{part}_seen_at") is None:
            return None
        seen_at = _aware(doc[f"{part}_seen_at"])
        return seen_at if utcnow() - seen_at <= self.trust_for else None


def misses_own_write(doc: dict[str, Any] | None) -> bool:
    """The order view may not show a write of the bot's that was answered after its read was sent."""
    if not doc:
        return False
    return int(doc.get("order_writes_in") or 0) < int(doc.get("order_writes") or 0)
