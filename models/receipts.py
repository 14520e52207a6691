"""What /ship and /receive keep between modal stages, and the receipts kept for audit.

A `ModalDraft` holds a modal's state that is too big for Slack's 3000-character `private_metadata`
(the slip as read, the PO rows offered, the stock a /ship form was built from); the modal carries only
its id. A draft is used by at most one floor action (`claim`), so a confirmation submitted twice —
a double click, a replay, or a second tab — records once.

A /receive draft is also the packing slip's read, worked in the background the way a floor action is
recorded: it keeps the Slack file to read, the replica reading it (`reader`, its REPLICA_ID) and a lease
(a token and an end on the database's clock) that the reader renews. Taking a read, renewing it and
saving its outcome are each one conditional update of the draft: one reader at a time, and the outcome
of a reader whose lease was taken over (it stalled, or its process was thought dead) is never saved.
Statuses: queued (waiting for a turn, or for another try) → reading → ready | refused | unreadable
(every try failed); confirmed once a receipt claims it.

A `Receipt` is the audit record of one packing slip received: the photo's Slack file id, what the reader
extracted (with confidences), what the operator changed, and what Katana was asked to receive.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any, Literal

from pymongo import ReturnDocument

from models.base import Document, insert_once, plain, utcnow
from models.clock import Clock, LocalClock
from models.retention import Retention, expire_after

DraftKind = Literal["ship", "receive", "confirm"]  # confirm: a recording that waits for "yes, record it"
READING = ("queued", "reading")  # a packing slip whose read is not over


class ModalDraft(Document):
    kind: DraftKind
    user_id: str
    channel_id: str | None = None
    view_id: str | None = None
    status: str = "open"  # receive: queued → reading → ready | refused | unreadable; all: confirmed once claimed
    data: dict[str, Any] = {}
    action_id: str | None = None
    reader: str | None = None  # receive: the replica that reads (or last read) the slip
    lease_token: str | None = None  # its read's lease: only the holder of the token saves an outcome
    lease_until: datetime | None = None
    attempts: int = 0  # reads of the slip started, by any replica
    created_at: datetime
    updated_at: datetime


class DraftRepository:
    def __init__(self, db: Any, clock: Clock | None = None, *, keep: timedelta = Retention.drafts) -> None:
        self.col = db["modal_drafts"]
        self.clock: Clock = clock or LocalClock()  # reads' leases are judged on the database's clock
        self.keep = keep  # a form's draft is needed while the form is open; its action copies what it records

    async def ensure_indexes(self) -> None:
        await expire_after(self.col, "created_at", self.keep, name="forget_old_forms")
        await self.col.create_index([("status", 1), ("lease_until", 1)], name="reads_due")  # the sweep
        await self.col.create_index([("status", 1), ("reader", 1)], name="reads_by_replica")  # start-up

    async def create(self, draft: ModalDraft) -> tuple[ModalDraft, bool]:
        """Insert unless a draft with this id exists (a re-sent photo submission makes one draft)."""
        return await insert_once(self.col, draft)

    async def get(self, draft_id: str) -> ModalDraft | None:
        return ModalDraft.from_mongo(await self.col.find_one({"_id": draft_id}))

    async def save(self, draft_id: str, *, status: str | None = None, **data: Any) -> ModalDraft | None:
        """Set data fields (and the status); a confirmed draft is never changed again."""
        fields = {f"data.{key}": value for key, value in data.items()}
        if status is not None:
            fields["status"] = status
        fields["updated_at"] = utcnow()
        doc = await self.col.find_one_and_update(
            {"_id": draft_id, "action_id": None}, {"$set": plain(fields)}, return_document=ReturnDocument.AFTER)
        return ModalDraft.from_mongo(doc)

    async def claim(self, draft_id: str, action_id: str) -> bool:
        """True when this action now holds the draft (or already did); False when another one does."""
        doc = await self.col.find_one_and_update(
            {"_id": draft_id, "$or": [{"action_id": None}, {"action_id": action_id}]},
            {"$set": {"action_id": action_id, "status": "confirmed", "updated_at": utcnow()}})
        return doc is not None


    # --- a packing slip's read: one reader at a time -------------------------------------------------------
    async def create_read(self, draft: ModalDraft, reader: str, hold: timedelta) -> tuple[ModalDraft, bool]:
        """Insert a /receive draft whose first read `reader` holds for `hold` (a re-sent photo submission
        finds the draft it made, and does not read again)."""
        now = await self.clock.now()
        return await self.create(draft.model_copy(update={
            "status": "queued", "reader": reader, "lease_token": uuid.uuid4().hex, "lease_until": now + hold,
            "attempts": 1}))

    async def take_read(self, draft_id: str, reader: str, hold: timedelta, *, grace: timedelta,
                        max_attempts: int, own: bool = False) -> ModalDraft | None:
        """Take a slip's read for `hold`: one whose lease ran out `grace` ago or was let go, or — `own`, at
        start-up — one this replica was reading when it stopped. None when another replica holds it, it is
        read already, or it has had `max_attempts` reads (`give_up_read` says so then)."""
        now = await self.clock.now()
        doc = await self.col.find_one_and_update(
            {"_id": draft_id, "status": {"$in": list(READING)}, "action_id": None,
             "attempts": {"$lt": max_attempts}, **self._nobody_reads(reader, now, grace, own)},
            {"$set": {"status": "queued", "reader": reader, "lease_token": uuid.uuid4().hex, "lease_until": now + hold,
                      "updated_at": now}, "$inc": {"attempts": 1}},
            return_document=ReturnDocument.AFTER)
        return ModalDraft.from_mongo(doc)

    async def give_up_read(self, draft_id: str, reader: str, *, grace: timedelta, max_attempts: int,
                           own: bool = False) -> ModalDraft | None:
        """Mark `unreadable` a slip that had its `max_attempts` reads, the last of which died with its
        replica (as `take_read` judges it). The one caller that gets the draft back tells the person."""
        now = await self.clock.now()
        doc = await self.col.find_one_and_update(
            {"_id": draft_id, "status": {"$in": list(READING)}, "action_id": None,
             "attempts": {"$gte": max_attempts}, **self._nobody_reads(reader, now, grace, own)},
            {"$set": {"status": "unreadable", "lease_token": None, "lease_until": None, "updated_at": now}},
            return_document=ReturnDocument.AFTER)
        return ModalDraft.from_mongo(doc)

    @staticmethod
    def _nobody_reads(reader: str, now: datetime, grace: timedelta, own: bool) -> dict[str, Any]:
        if own:
            return {"reader": reader}
        return {"$or": [{"lease_until": None}, {"lease_until": {"$lt": now - grace}}]}

    async def renew_read(self, draft: ModalDraft, hold: timedelta) -> datetime | None:
        """Extend the holder's lease; the new end, or None when another replica has taken the read over."""
        until = await self.clock.now() + hold
        result = await self.col.update_one({"_id": draft.id, "lease_token": draft.lease_token},
                                           {"$set": {"lease_until": until}})
        return until if result.matched_count == 1 else None

    async def mark_reading(self, draft: ModalDraft) -> bool:
        """The slip's turn in line came (False: the read is someone else's now)."""
        result = await self.col.update_one({"_id": draft.id, "lease_token": draft.lease_token},
                                           {"$set": {"status": "reading", "updated_at": utcnow()}})
        return bool(result.matched_count == 1)

    async def settle_read(self, draft: ModalDraft, status: str, **data: Any) -> ModalDraft | None:
        """Save the read's outcome (ready, refused, unreadable; or queued for another try) and let its lease
        go, if `draft`'s holder still holds it: None when another replica took the read over (its outcome
        stands; nothing of this one may be shown)."""
        fields = {f"data.{key}": value for key, value in data.items()}
        fields.update(status=status, lease_token=None, lease_until=None, updated_at=utcnow())
        doc = await self.col.find_one_and_update(
            {"_id": draft.id, "lease_token": draft.lease_token, "action_id": None}, {"$set": plain(fields)},
            return_document=ReturnDocument.AFTER)
        return ModalDraft.from_mongo(doc)

    async def read_again(self, draft_id: str, user_id: str, reader: str, hold: timedelta) -> ModalDraft | None:
        """The person asked for another try at a slip no read could read: a fresh count of attempts."""
        now = await self.clock.now()
        doc = await self.col.find_one_and_update(
            {"_id": draft_id, "user_id": user_id, "status": "unreadable", "action_id": None},
            {"$set": {"status": "queued", "reader": reader, "lease_token": uuid.uuid4().hex, "lease_until": now + hold,
                      "attempts": 1, "updated_at": now}},
            return_document=ReturnDocument.AFTER)
        return ModalDraft.from_mongo(doc)

    async def reads_due(self, grace: timedelta) -> list[str]:
        """Slips whose read nobody holds: let go for another try, or their replica died (lease ran out)."""
        now = await self.clock.now()
        query = {"status": {"$in": list(READING)}, **self._nobody_reads("", now, grace, own=False)}
        return [d["_id"] async for d in self.col.find(query, {"_id": 1}).limit(200)]

    async def reads_of(self, reader: str) -> list[str]:
        """Slips `reader` was reading or had in line (at its start-up: when it stopped)."""
        query = {"status": {"$in": list(READING)}, "reader": reader}
        return [d["_id"] async for d in self.col.find(query, {"_id": 1}).limit(200)]


class ReceiptLine(Document):
    """One slip line as received (`id` is the line's position on the slip, "1", "2", …)."""

    sku: str | None = None
    description: str | None = None
    purchase_order_row_id: int | None = None  # None: not received (not on the PO, or left out)
    variant_id: int | None = None
    quantity: str | None = None  # exact decimal text
    unit: str | None = None
    lot: str | None = None
    expiry: str | None = None
    batch_id: int | None = None
    over_receipt: bool = False


class Receipt(Document):
    """`id` is the floor action's id: one receipt per confirmed slip."""

    purchase_order_id: int
    purchase_order_no: str
    supplier: str | None = None
    photo_file_id: str
    photo_name: str | None = None
    reader: str
    extraction: dict[str, Any]  # PackingSlip as read, every field with its confidence
    changes: list[dict[str, Any]] = []  # {line, field, read, entered}: what the operator corrected
    lines: list[ReceiptLine] = []
    user_id: str
    user_name: str
    received_at: datetime


class ReceiptRepository:
    """Kept without a TTL: which supplier lots came in, what the slip said and who confirmed it is
    traceability (a few documents a day); see models.retention."""

    def __init__(self, db: Any) -> None:
        self.col = db["receipts"]

    async def ensure_indexes(self) -> None:
        await self.col.create_index([("purchase_order_id", 1)], name="by_purchase_order")  # for_order

    async def keep(self, receipt: Receipt) -> tuple[Receipt, bool]:
        return await insert_once(self.col, receipt)

    async def get(self, receipt_id: str) -> Receipt | None:
        return Receipt.from_mongo(await self.col.find_one({"_id": receipt_id}))

    async def for_order(self, po_id: int) -> list[Receipt]:
        return [Receipt.model_validate(d) async for d in self.col.find({"purchase_order_id": po_id})]
