"""Purchase orders: found by the number printed on the paperwork, listed for /receive, and received.

Katana facts this module leans on (live-gateway.yaml, readme-portal.yaml, INTEGRATIONS.md):
- PO statuses: DRAFT, NOT_RECEIVED, PARTIALLY_RECEIVED, RECEIVED; the list filter takes one status;
- `POST /purchase_order_receive` takes an array of `{purchase_order_row_id, quantity, received_date,
  batch_transactions[{batch_id, quantity}]}` and answers 204 with no body;
- receiving *splits* rows: the row keeps the quantity still to come and a new row carries what was
  received (with `received_date`). So "what is left" is the sum of rows without a received date, and
  row ids must be re-read after every receipt;
- unknown filters are ignored, so every filtered list is re-checked here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from .client import KatanaClient
from .models import KatanaModel, PurchaseOrder, PurchaseOrderRow

OPEN_PO_STATUSES = ("NOT_RECEIVED", "PARTIALLY_RECEIVED")


class Supplier(KatanaModel):
    id: int
    name: str = ""


@dataclass(frozen=True)
class ReceiveLine:
    """One PO row received, split over batches (an empty `batches` means untracked stock)."""

    purchase_order_row_id: int
    quantity: Decimal
    batches: tuple[tuple[int, Decimal], ...] = field(default_factory=tuple)

    def to_dto(self, received: date) -> dict[str, Any]:
        row: dict[str, Any] = {"purchase_order_row_id": self.purchase_order_row_id, "quantity": self.quantity,
                               "received_date": received.isoformat()}
        if self.batches:
            row["batch_transactions"] = [{"batch_id": b, "quantity": q} for b, q in self.batches]
        return row


def supplier_name(order: PurchaseOrder) -> str:
    """The supplier's name when Katana extended the order with it (`extend=supplier`)."""
    supplier = (order.model_extra or {}).get("supplier")
    return str(supplier.get("name") or "") if isinstance(supplier, dict) else ""


def open_rows(order: PurchaseOrder) -> list[PurchaseOrderRow]:
    """Rows still to come: not yet received and not deleted."""
    return [r for r in order.purchase_order_rows
            if r.received_date is None and not (r.model_extra or {}).get("deleted_at")]


def received_by_variant(rows: list[PurchaseOrderRow]) -> dict[int, Decimal]:
    """What has arrived so far per variant; grows by exactly what a receipt added."""
    total: dict[int, Decimal] = {}
    for row in rows:
        deleted = (row.model_extra or {}).get("deleted_at")
        if row.received_date is not None and row.variant_id is not None and not deleted:
            total[row.variant_id] = total.get(row.variant_id, Decimal(0)) + row.quantity
    return total


class PurchasingService:
    def __init__(self, client: KatanaClient) -> None:
        self._client = client

    async def find_purchase_order(self, order_no: str) -> PurchaseOrder | None:
        """The purchase order with exactly this number (ignoring surrounding spaces and case)."""
        wanted = order_no.strip()
        if not wanted:
            return None
        rows = await self._client.get_all("/purchase_orders", {"order_no": wanted}, max_pages=4)
        # Katana ignores filters it doesn't know: check the number ourselves.
        orders = [PurchaseOrder.model_validate(r) for r in rows]
        orders = [o for o in orders if o.deleted_at is None]
        exact = [o for o in orders if o.order_no.strip() == wanted]
        loose = [o for o in orders if o.order_no.strip().casefold() == wanted.casefold()]
        matches = exact or loose
        return matches[0] if matches else None

    async def open_purchase_orders(self, limit: int = 100) -> list[PurchaseOrder]:
        """Orders with goods still to come, with their supplier, newest first."""
        found: dict[int, PurchaseOrder] = {}
        for status in OPEN_PO_STATUSES:
            query = {"status": status, "extend": ["supplier"]}
            for raw in await self._client.get_all("/purchase_orders", query, max_pages=4):
                order = PurchaseOrder.model_validate(raw)
                if order.status in OPEN_PO_STATUSES and order.deleted_at is None:
                    found[order.id] = order
        return sorted(found.values(), key=lambda o: o.id, reverse=True)[:limit]

    async def get_purchase_order(self, po_id: int) -> PurchaseOrder:
        """The order with its rows as they are now (re-read: receiving splits rows)."""
        order = PurchaseOrder.model_validate(await self._client.get(f"/purchase_orders/{po_id}"))
        rows = await self._client.get_all("/purchase_order_rows", {"purchase_order_id": po_id}, max_pages=10)
        current = [PurchaseOrderRow.model_validate(r) for r in rows]
        current = [r for r in current if r.purchase_order_id in (None, po_id)]
        return order.model_copy(update={"purchase_order_rows": current or order.purchase_order_rows})

    async def suppliers(self, ids: set[int]) -> dict[int, Supplier]:
        if not ids:
            return {}
        rows = await self._client.get_all("/suppliers", {"ids": sorted(ids)}, max_pages=4)
        return {s.id: s for s in (Supplier.model_validate(r) for r in rows) if s.id in ids}

    async def receive(self, lines: list[ReceiveLine], *, received: date) -> None:
        """POST /purchase_order_receive. Not idempotent: after KatanaOutcomeUnknown, compare
        `received_by_variant` of the re-read order with what it was before sending."""
        if not lines:
            raise ValueError("a receipt needs at least one row")
        await self._client.post("/purchase_order_receive", [line.to_dto(received) for line in lines])
