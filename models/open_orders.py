"""The open orders the floor can pick (MOs for /cook, /label, /pack; sales orders for /ship; purchase
orders for /receive), kept in the store so that typing in an order field never spends Katana's budget.

One document per order (`_id` = "mo:5101"): number, SKUs, product names, planned quantity, status and
the option text the forms show. Katana is read into it in pages (commands.order_sync), and webhooks and
a light re-sync keep it current; forms and the type-ahead search only read it.

Search (what a person types in an order field, any part of the order number, a SKU or a product name):
each document carries `keys`, every suffix of its normalised order number (tagged "#": "#MO1399",
"#O1399", "#1399", …), of its SKUs and of the words of its product names ("SOUPTOM500", "OUPTOM500",
…). "Contains Q" is then "some key starts with Q", and a starting-with query is an anchored regex
(`{"keys": {"$regex": "^Q"}}`, Q only letters and digits), which MongoDB answers from the multikey
index (kind, keys) as one range scan [Q, Q+1) — no collection scan, however many orders. Keys are short
(order numbers and SKUs cut at 40 characters, words at 30), so an order has a few dozen index entries:
5,000 open orders are ~200k entries, a few MB of index. A search costs the index keys in its range
plus a top-k sort of what matches (the limit), so typing more narrows it; one letter is the worst case.
Case-insensitive regexes can't use an index range: keys are stored upper-case and queries are too.

Closed orders leave a tombstone (`open: False`, no keys) for a day, so a slower reader's
older view can never bring a closed order back: a view only replaces an older one (compare-and-set on
`seen_at`, as models.order_memory does).
"""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field
from pymongo.errors import DuplicateKeyError

from models.base import _aware, utcnow

Kind = Literal["mo", "so", "po"]
KINDS: tuple[Kind, ...] = ("mo", "so", "po")
NUMBER_TAG = "#"
MAX_KEY = 40  # order numbers and SKUs longer than this are searched by their first 40 characters
MAX_WORD = 30
SEARCH_LIMIT = 50  # a Slack options answer holds at most 100; a phone shows a few: type more to narrow
TOMBSTONE_DAYS = 1


def to_ms(moment: datetime) -> datetime:
    """BSON keeps milliseconds: a view's time is compared as it will be stored."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def search_key(text: str | None) -> str:
    """How codes are compared: case, spaces, dashes and dots don't matter ("mo-1399" → "MO1399")."""
    return re.sub(r"[^0-9A-Z]", "", (text or "").upper())


def suffixes(key: str, limit: int) -> list[str]:
    key = key[:limit]
    return [key[i:] for i in range(len(key))]


def query_words(typed: str) -> list[str]:
    """What a person typed, as search keys: words split on spaces, each normalised ("SO 7" → SO, 7)."""
    return [w for w in (search_key(part) for part in typed.split()) if w][:5]


class OpenOrder(BaseModel):
    kind: Kind
    order_id: int
    order_no: str
    skus: list[str] = Field(default_factory=list)
    names: list[str] = Field(default_factory=list)  # product / material names, supplier or customer
    planned_quantity: Decimal | None = None
    status: str = ""
    label: str = ""  # the option text, ≤ 75 characters
    due: datetime | None = None

    @property
    def doc_id(self) -> str:
        return f"{self.kind}:{self.order_id}"

    def search_keys(self) -> list[str]:
        number = suffixes(search_key(self.order_no), MAX_KEY)
        keys = {*number, *(NUMBER_TAG + k for k in number)}  # tagged: to rank matches of the number first
        keys.update(k for sku in self.skus[:20] for k in suffixes(search_key(sku), MAX_KEY))
        words = {w for name in self.names[:20] for w in re.split(r"\W+", name)}
        keys.update(k for w in words for k in suffixes(search_key(w), MAX_WORD))
        return sorted(keys)

    def document(self, seen_at: datetime) -> dict[str, Any]:
        doc = self.model_dump(mode="json")
        doc.update(_id=self.doc_id, open=True, number_key=search_key(self.order_no), keys=self.search_keys(),
                   seen_at=seen_at, closed_at=None, due=self.due)
        return doc

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> OpenOrder:
        return cls.model_validate({k: v for k, v in doc.items() if k in cls.model_fields})


PROJECTION = dict.fromkeys(OpenOrder.model_fields, 1)


@dataclass(frozen=True)
class Found:
    """A search's match: what an option shows (a plain dataclass: searches build many)."""

    order_id: int
    order_no: str
    label: str


FOUND = dict.fromkeys(("order_id", "order_no", "label"), 1)


class OpenOrderRepository:
    def __init__(self, db: Any) -> None:
        self.col = db["open_orders"]
        self.lists = db["open_order_lists"]  # one per kind: version, loaded/synced times, the sync lease

    async def ensure_indexes(self) -> None:
        await self.col.create_index([("kind", 1), ("keys", 1)], name="search_keys")  # a rare word: few keys
        # A common prefix ("1") matches thousands: walking newest first until `limit` match is cheaper
        # (MongoDB's ESR rule; its planner races the two and keeps the faster per query shape).
        await self.col.create_index([("kind", 1), ("order_id", -1), ("keys", 1)], name="search_newest_first")
        await self.col.create_index([("kind", 1), ("open", 1), ("order_id", -1)], name="open_by_kind")

    # --- writing ----------------------------------------------------------------------------------

    async def put(self, order: OpenOrder, seen_at: datetime) -> bool:
        """Keep this view of an open order unless a later one (or its closing) is stored; True if kept."""
        seen_at = to_ms(seen_at)
        return await self._replace(order.doc_id, order.document(seen_at), seen_at)

    async def close(self, kind: Kind, order_id: int, seen_at: datetime) -> bool:
        """The order is closed (done, shipped, received, deleted) as of `seen_at`: a tombstone for a day."""
        doc_id, seen_at = f"{kind}:{order_id}", to_ms(seen_at)
        tombstone = {"_id": doc_id, "kind": kind, "order_id": order_id, "open": False, "keys": [],
                     "number_key": None, "seen_at": seen_at, "closed_at": utcnow()}
        return await self._replace(doc_id, tombstone, seen_at)

    async def _replace(self, doc_id: str, doc: dict[str, Any], seen_at: datetime) -> bool:
        older = {"_id": doc_id, "$or": [{"seen_at": {"$lte": seen_at}}, {"seen_at": None}]}
        if (await self.col.replace_one(older, doc)).matched_count:
            return True
        try:
            await self.col.insert_one(doc)
            return True
        except DuplicateKeyError:
            return False  # a later view is stored: keep it

    async def sweep(self, kind: Kind, before: datetime) -> int:
        """After a full read of Katana's open orders: those it no longer listed are closed, and tombstones
        older than a day are forgotten (by the re-sync rather than a TTL index: the in-memory store checks
        TTL indexes on every access)."""
        before = to_ms(before)
        stale = self.col.find({"kind": kind, "open": True, "seen_at": {"$lt": before}}, {"order_id": 1})
        closed = 0
        async for doc in stale:
            closed += await self.close(kind, int(doc["order_id"]), before)
        await self.col.delete_many({"kind": kind, "open": False,
                                    "closed_at": {"$lt": utcnow() - timedelta(days=TOMBSTONE_DAYS)}})
        return closed

    # --- reading ----------------------------------------------------------------------------------

    async def count(self, kind: Kind) -> int:
        return int(await self.col.count_documents({"kind": kind, "open": True}))

    async def all_open(self, kind: Kind, limit: int) -> list[OpenOrder]:
        found = self.col.find({"kind": kind, "open": True}, PROJECTION).sort("order_id", -1).limit(limit)
        return [OpenOrder.from_document(d) async for d in found]

    async def get(self, kind: Kind, order_id: int) -> OpenOrder | None:
        doc = await self.col.find_one({"_id": f"{kind}:{order_id}", "open": True}, PROJECTION)
        return OpenOrder.from_document(doc) if doc else None

    async def by_number(self, kind: Kind, typed: str) -> OpenOrder | None:
        """The open order with exactly this number (case, spaces and dashes aside): an exact range of the
        search index ("#MO1399" is the key of the whole number)."""
        key = search_key(typed)
        if not key:
            return None
        exact = {"kind": kind, "keys": {"$regex": f"^{NUMBER_TAG}{key}$"}, "number_key": key, "open": True}
        doc = await self.col.find_one(exact, PROJECTION)
        return OpenOrder.from_document(doc) if doc else None

    async def search(self, kind: Kind, typed: str, limit: int = SEARCH_LIMIT) -> list[Found]:
        """Open orders whose number, SKUs or product names contain what was typed; best first: numbers
        ending in it, numbers containing it, then SKUs and names; newest first within each."""
        words = query_words(typed)
        if not words:
            return []
        # The range scan goes on the most selective word: one with digits (a number), else the longest.
        lead = max(words, key=lambda w: (any(c.isdigit() for c in w), len(w)))
        rest = [w for w in words if w != lead]
        whole = "".join(words)
        also = {"$and": [{"keys": {"$regex": f"^{w}"}} for w in rest]} if rest else {}
        tiers: list[dict[str, Any]] = [{"keys": {"$regex": f"^{NUMBER_TAG}{whole}$"}},
                                       {"keys": {"$regex": f"^{NUMBER_TAG}{whole}"}},
                                       {"keys": {"$regex": f"^{lead}"}, **also}]
        found: dict[int, Found] = {}
        for tier in tiers:
            if len(found) >= limit:
                break
            cursor = self.col.find({"kind": kind, **tier}, FOUND).sort("order_id", -1).limit(limit - len(found))
            batch = [Found(int(d["order_id"]), str(d["order_no"]), str(d.get("label") or d["order_no"]))
                     async for d in cursor]
            for order in sorted(batch, key=lambda o: len(o.order_no)) if tier is tiers[0] else batch:
                found.setdefault(order.order_id, order)
        return list(found.values())[:limit]

    # --- the list of each kind: version (forms built from it), loading, the sync lease ----------------

    async def state(self, kind: Kind) -> dict[str, Any]:
        return await self.lists.find_one({"_id": kind}) or {"_id": kind, "version": 0}

    async def changed(self, kind: Kind, **fields: Any) -> None:
        """Forms built from the list are stale: a new version (and when it was loaded or synced)."""
        update: dict[str, Any] = {"$inc": {"version": 1}}
        if fields:
            update["$set"] = fields
        await self.lists.update_one({"_id": kind}, update, upsert=True)

    async def claim_sync(self, kind: Kind, seconds: float) -> str | None:
        """One replica reads Katana for a kind at a time: a lease with a holder token; None if held."""
        now, token = utcnow(), uuid.uuid4().hex
        free = {"_id": kind, "$or": [{"lease_until": None}, {"lease_until": {"$lt": now}}]}
        lease = {"$set": {"lease_until": now + timedelta(seconds=seconds), "lease_token": token}}
        if (await self.lists.update_one(free, lease)).matched_count:
            return token
        try:
            await self.lists.insert_one({"_id": kind, "version": 0, **lease["$set"]})
            return token
        except DuplicateKeyError:
            return None

    async def release_sync(self, kind: Kind, token: str) -> None:
        await self.lists.update_one({"_id": kind, "lease_token": token},
                                    {"$set": {"lease_until": None, "lease_token": None}})


def seen(state: dict[str, Any], field: str) -> datetime | None:
    value = state.get(field)
    return _aware(value) if isinstance(value, datetime) else None
