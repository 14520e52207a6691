"""What /ship and /receive keep between modal stages, and the receipts kept for audit.

A `ModalDraft` holds a modal's state that is too big for Slack's 3000-character `private_metadata`
(the slip as read, the PO rows offered, the stock a /ship form was built from); the modal carries only
its id. A draft is used by at most one floor action (`claim`), so a confirmation submitted twice —
a double click, a replay, or a second tab — records once.

A `Receipt` is the audit record of one packing slip received: the photo's Slack file id, what the reader
extracted (with confidences), what the operator changed, and what Katana was asked to receive.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pymongo import ReturnDocument

from models.base import Document, insert_once, plain, utcnow

DraftKind = Literal["ship", "receive", "confirm"]  # confirm: a recording that waits for "yes, record it"


class ModalDraft(Document):
    kind: DraftKind
    user_id: str
    channel_id: str | None = None
    view_id: str | None = None
    status: str = "open"  # receive: reading → ready | refused; both: confirmed once claimed
    data: dict[str, Any] = {}
    action_id: str | None = None
    created_at: datetime
    updated_at: datetime


class DraftRepository:
    def __init__(self, db: Any) -> None:
        self.col = db["modal_drafts"]

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
    def __init__(self, db: Any) -> None:
        self.col = db["receipts"]

    async def keep(self, receipt: Receipt) -> tuple[Receipt, bool]:
        return await insert_once(self.col, receipt)

    async def get(self, receipt_id: str) -> Receipt | None:
        return Receipt.from_mongo(await self.col.find_one({"_id": receipt_id}))

    async def for_order(self, po_id: int) -> list[Receipt]:
        return [Receipt.model_validate(d) async for d in self.col.find({"purchase_order_id": po_id})]
