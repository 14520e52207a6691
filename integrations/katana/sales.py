"""Sales orders and their fulfilments — what /pack reads and /ship records.

Katana facts this module leans on (live-gateway.yaml, readme-portal.yaml):
- a sales order's status is one of PENDING (a quote), NOT_SHIPPED, PARTIALLY_PACKED, PACKED,
  PARTIALLY_DELIVERED, DELIVERED; the list filter takes one status, so open orders take one query each;
- `POST /sales_order_fulfillments` takes `status` PACKED or DELIVERED and rows of
  `{sales_order_row_id, quantity, traceability[{batch_id, quantity}]}`; it answers with the fulfilment;
- `PATCH /sales_order_fulfillments/{id}` changes only the fields it is given ("any parameters not provided
  will be left unchanged"): status PACKED|DELIVERED, tracking fields (at least one character when given);
  setting the same values again changes nothing, so it is safe to repeat;
- unknown filters are ignored, so every filtered list is re-checked here.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import Field

from .client import KatanaClient, iso
from .models import KatanaModel, SalesOrder, Timestamp

OPEN_SO_STATUSES = ("NOT_SHIPPED", "PARTIALLY_PACKED", "PACKED", "PARTIALLY_DELIVERED")
FulfilmentStatus = Literal["PACKED", "DELIVERED"]


class FulfilmentRow(KatanaModel):
    id: int | None = None
    sales_order_row_id: int
    quantity: Decimal = Decimal(0)


class Fulfilment(KatanaModel):
    id: int
    sales_order_id: int | None = None
    status: str | None = None
    tracking_number: str | None = None
    tracking_carrier: str | None = None
    picked_date: Timestamp | None = None
    sales_order_fulfillment_rows: list[FulfilmentRow] = Field(default_factory=list)
    deleted_at: Timestamp | None = None


@dataclass(frozen=True)
class ShipLine:
    """One sales-order row going out, from one batch (None for products Katana does not batch-track)."""

    sales_order_row_id: int
    quantity: Decimal
    batch_id: int | None = None

    def to_dto(self) -> dict[str, Any]:
        row: dict[str, Any] = {"sales_order_row_id": self.sales_order_row_id, "quantity": self.quantity}
        if self.batch_id is not None:  # traceability quantities are strings in Katana's own examples
            row["traceability"] = [{"batch_id": self.batch_id, "quantity": format(self.quantity, "f")}]
        return row


class SalesService:
    def __init__(self, client: KatanaClient) -> None:
        self._client = client

    async def get_sales_order(self, so_id: int) -> SalesOrder:
        """The sales order; KatanaNotFound if Katana has none with that id."""
        return SalesOrder.model_validate(await self._client.get(f"/sales_orders/{so_id}"))

    async def open_sales_orders(self, limit: int = 100) -> list[SalesOrder]:
        """Orders with something still to ship (not quotes, not delivered), newest first."""
        found: dict[int, SalesOrder] = {}
        for status in OPEN_SO_STATUSES:
            for raw in await self._client.get_all("/sales_orders", {"status": status}, max_pages=4):
                order = SalesOrder.model_validate(raw)
                if order.status in OPEN_SO_STATUSES and not (order.model_extra or {}).get("deleted_at"):
                    found[order.id] = order
        return sorted(found.values(), key=lambda o: o.id, reverse=True)[:limit]

    async def fulfilments(self, so_id: int) -> list[Fulfilment]:
        rows = await self._client.get_all("/sales_order_fulfillments", {"sales_order_id": so_id}, max_pages=10)
        found = [Fulfilment.model_validate(r) for r in rows]
        return [f for f in found if f.sales_order_id == so_id and f.deleted_at is None]

    async def packed(self, so_id: int) -> list[Fulfilment]:
        """The order's fulfilments packed and waiting for pickup (not delivered yet), oldest first."""
        return sorted((f for f in await self.fulfilments(so_id) if f.status == "PACKED"), key=lambda f: f.id)

    async def deliver(self, fulfilment_id: int, *, carrier: str | None = None,
                      tracking_number: str | None = None) -> Fulfilment:
        """PATCH a packed fulfilment to DELIVERED (with carrier and tracking number when given). Idempotent:
        a repeat sets the same values again."""
        body: dict[str, Any] = {"status": "DELIVERED"}
        if carrier:
            body["tracking_carrier"] = carrier
        if tracking_number:
            body["tracking_number"] = tracking_number[:256]
        return Fulfilment.model_validate(await self._client.patch(f"/sales_order_fulfillments/{fulfilment_id}", body))

    async def shipped_so_far(self, so_id: int) -> dict[int, Decimal]:
        """Quantity already fulfilled per sales-order row (packed or delivered)."""
        shipped: dict[int, Decimal] = {}
        for fulfilment in await self.fulfilments(so_id):
            for row in fulfilment.sales_order_fulfillment_rows:
                shipped[row.sales_order_row_id] = shipped.get(row.sales_order_row_id, Decimal(0)) + row.quantity
        return shipped

    async def fulfil(self, so_id: int, lines: list[ShipLine], *, status: FulfilmentStatus, picked: datetime,
                     carrier: str | None = None, tracking_number: str | None = None) -> Fulfilment:
        """POST /sales_order_fulfillments. Not idempotent: after KatanaOutcomeUnknown, look with
        `fulfilments` before sending it again."""
        if not lines:
            raise ValueError("a fulfilment needs at least one row")
        body: dict[str, Any] = {"sales_order_id": so_id, "status": status, "picked_date": iso(picked),
                                "sales_order_fulfillment_rows": [line.to_dto() for line in lines]}
        if carrier:
            body["tracking_carrier"] = carrier
        if tracking_number:
            body["tracking_number"] = tracking_number[:256]
        return Fulfilment.model_validate(await self._client.post("/sales_order_fulfillments", body))
