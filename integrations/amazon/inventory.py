"""FBA inventory summaries (`getInventorySummaries`, fbaInventory v1).

`GET /fba/inventory/v1/summaries?details=true&granularityType=Marketplace&granularityId=<mkt>&marketplaceIds=<mkt>`;
the list is in `payload.inventorySummaries`, the next page's token in `pagination.nextToken` (a sibling of
`payload`), which expires after 30 s — so pages are fetched back to back. A token identical to the one just
sent ends the paging: Amazon's static sandbox answers every request with `nextToken: "seed"`.
"""
from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .client import SpApiClient

log = logging.getLogger(__name__)
PATH = "/fba/inventory/v1/summaries"
MAX_PAGES = 100


class FbaSummary(BaseModel):
    model_config = ConfigDict(extra="ignore")

    seller_sku: str = Field(alias="sellerSku")
    asin: str | None = None
    fn_sku: str | None = Field(None, alias="fnSku")
    product_name: str = Field("", alias="productName")
    total_quantity: Decimal = Field(Decimal(0), alias="totalQuantity")
    fulfillable: Decimal = Decimal(0)
    inbound: Decimal = Decimal(0)  # working + shipped + receiving: stock on its way to Amazon
    reserved: Decimal = Decimal(0)

    @classmethod
    def from_api(cls, raw: dict[str, Any]) -> FbaSummary:
        details = raw.get("inventoryDetails") or {}
        inbound = sum((_qty(details.get(k)) for k in
                       ("inboundWorkingQuantity", "inboundShippedQuantity", "inboundReceivingQuantity")), Decimal(0))
        reserved = _qty((details.get("reservedQuantity") or {}).get("totalReservedQuantity"))
        return cls.model_validate({**raw, "fulfillable": _qty(details.get("fulfillableQuantity")),
                                   "inbound": inbound, "reserved": reserved})


async def inventory_summaries(client: SpApiClient, marketplace_id: str) -> list[FbaSummary]:
    base = {"details": True, "granularityType": "Marketplace", "granularityId": marketplace_id,
            "marketplaceIds": [marketplace_id]}
    found: dict[str, FbaSummary] = {}
    token: str | None = None
    for _ in range(MAX_PAGES):
        body = await client.get("getInventorySummaries", PATH, {**base, "nextToken": token})
        for raw in ((body or {}).get("payload") or {}).get("inventorySummaries") or []:
            summary = FbaSummary.from_api(raw)
            found[summary.seller_sku] = summary
        next_token = ((body or {}).get("pagination") or {}).get("nextToken")
        if not next_token or next_token == token:
            return list(found.values())
        token = next_token
    log.warning("Amazon FBA inventory: stopped after %d pages; results may be incomplete", MAX_PAGES)
    return list(found.values())


def _qty(value: Any) -> Decimal:
    try:
        return Decimal(str(value)) if value is not None else Decimal(0)
    except ArithmeticError:
        return Decimal(0)
