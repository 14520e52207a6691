"""Order velocity from `searchOrders` (Orders API 2026-01-01; Orders v0 `getOrders` is deprecated).

`GET /orders/2026-01-01/orders?createdAfter=…&marketplaceIds=…&fulfilledBy=AMAZON&includedData=…` →
`{orders, pagination: {nextToken}}` without a `payload` wrapper; the next page is asked for with
`paginationToken`. Units are `orderItems[].quantityOrdered` per `product.sellerSku`, less what was cancelled:
- an order whose `fulfillment.fulfillmentStatus` is CANCELLED or UNFULFILLABLE sold nothing;
- an item with a `cancellation.cancellationExecution` sold only what had shipped (`fulfillment.quantityFulfilled`).
Without `includedData` Amazon answers "only basic information": no `fulfillment`, no `cancellation` (the
model marks both optional), so a cancelled order would look sold. The request therefore names the data sets
it reads (FULFILLMENT, CANCELLATION), and nothing more. The usage plan is 0.0056 req/s with a burst of 20,
so paging is capped: a capped read reports itself as `complete=False` (sales understated, days of cover
overstated).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from .client import SpApiClient

log = logging.getLogger(__name__)
PATH = "/orders/2026-01-01/orders"
MAX_PAGES = 20  # the burst: more would wait ~3 minutes per page
NOT_SOLD = {"CANCELLED", "UNFULFILLABLE"}
# The data sets `_count` reads: order and item fulfilment (status, quantity shipped), item cancellations.
INCLUDED_DATA = ["FULFILLMENT", "CANCELLATION"]


@dataclass
class UnitsSold:
    since: datetime
    units: dict[str, Decimal] = field(default_factory=dict)
    orders: int = 0
    complete: bool = True

    def per_day(self, sku: str, now: datetime) -> Decimal:
        days = Decimal(str(max((now - self.since).total_seconds(), 1.0) / 86400))
        return self.units.get(sku, Decimal(0)) / days


async def units_sold(client: SpApiClient, marketplace_id: str, since: datetime) -> UnitsSold:
    sold = UnitsSold(since=since)
    params: dict[str, Any] = {"createdAfter": amazon_time(since), "marketplaceIds": [marketplace_id],
                              "fulfilledBy": ["AMAZON"], "includedData": INCLUDED_DATA, "maxResultsPerPage": 100}
    token: str | None = None
    for _ in range(MAX_PAGES):
        body = await client.get("searchOrders", PATH, {**params, "paginationToken": token}) or {}
        for order in body.get("orders") or []:
            _count(sold, order)
        next_token = (body.get("pagination") or {}).get("nextToken")
        if not next_token or next_token == token:
            return sold
        token = next_token
    sold.complete = False
    log.warning("Amazon searchOrders: stopped after %d pages; sales since %s are understated", MAX_PAGES, since)
    return sold


def _count(sold: UnitsSold, order: dict[str, Any]) -> None:
    status = (order.get("fulfillment") or {}).get("fulfillmentStatus")
    if status in NOT_SOLD:
        return
    sold.orders += 1
    for item in order.get("orderItems") or []:
        sku = (item.get("product") or {}).get("sellerSku")
        if sku:
            sold.units[sku] = sold.units.get(sku, Decimal(0)) + units_of(item)


def units_of(item: dict[str, Any]) -> Decimal:
    """What an order item sold. A cancelled item keeps only what had already shipped: a cancellation
    cannot call back what left (Amazon's own example shows an executed cancellation on shipped units)."""
    if not (item.get("cancellation") or {}).get("cancellationExecution"):
        return Decimal(str(item.get("quantityOrdered") or 0))
    return Decimal(str((item.get("fulfillment") or {}).get("quantityFulfilled") or 0))


def amazon_time(moment: datetime) -> str:
    """ISO 8601 in UTC with a Z, as in Amazon's examples (`2024-12-25T00:00:00Z`)."""
    if moment.tzinfo is None:
        raise ValueError("Amazon needs timezone-aware date-times")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
