"""Where stock is and moving it between locations — what /ship checks and records for Amazon FBA.

Katana facts this module leans on (live-gateway.yaml, readme-portal.yaml, INTEGRATIONS.md):
- `GET /batch_stocks` is one row per batch *and location* with `quantity_in_stock` as a fixed-point string;
  `GET /inventory` the same per variant and location for items Katana does not batch-track;
- `POST /stock_transfers` needs `stock_transfer_number`, source and target location and rows whose
  `quantity` is a *string*; transfers are immutable once made (correct with another transfer);
- a transfer's status is set with `PATCH /stock_transfers/{id}/status`. The specs disagree on its values
  (`draft|received|inTransit` in live-gateway.yaml, `received|created` in readme-portal.yaml) and neither
  says what a new transfer starts as, so the bot sends the gateway's value for goods that have left
  (`inTransit`) and takes whatever status the answer reports;
- unknown filters are ignored, so every filtered list is re-checked here.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import Field

from .client import KatanaClient, iso
from .models import Batch, KatanaModel, Timestamp, Variant


class Location(KatanaModel):
    id: int
    name: str = ""
    is_primary: bool = False


class TransferRow(KatanaModel):
    id: int | None = None
    variant_id: int
    quantity: Decimal = Decimal(0)


IN_TRANSIT = "inTransit"  # live-gateway.yaml UpdateStockTransferStatusDto: draft | received | inTransit
ON_ITS_WAY = {"inTransit", "received"}  # the goods have left the source (either spec's word for it)


class StockTransfer(KatanaModel):
    id: int
    stock_transfer_number: str = ""
    status: str | None = None  # either spec's vocabulary, or one neither lists: kept as sent
    source_location_id: int | None = None
    target_location_id: int | None = None
    additional_info: str | None = None
    stock_transfer_rows: list[TransferRow] = Field(default_factory=list)
    deleted_at: Timestamp | None = None


class Item(Variant):
    """A variant with what the floor calls it and whether Katana tracks it by batch."""

    name: str = ""
    uom: str | None = None
    batch_tracked: bool = False
    supplier_item_codes: list[str] = Field(default_factory=list)


@dataclass(frozen=True)
class MoveLine:
    variant_id: int
    quantity: Decimal
    batch_id: int | None = None

    def to_dto(self) -> dict[str, Any]:
        row: dict[str, Any] = {"variant_id": self.variant_id, "quantity": format(self.quantity, "f")}
        if self.batch_id is not None:
            row["traceability"] = [{"batch_id": self.batch_id, "quantity": format(self.quantity, "f")}]
        return row


class StockService:
    def __init__(self, client: KatanaClient) -> None:
        self._client = client

    async def locations(self) -> list[Location]:
        rows = await self._client.get_all("/locations", max_pages=4)
        return [Location.model_validate(r) for r in rows if not r.get("deleted_at")]

    async def find_location(self, name_or_id: str) -> Location | None:
        """A location by its id or (case-insensitively) its name, as written in a setting."""
        wanted = name_or_id.strip()
        for location in await self.locations():
            if str(location.id) == wanted or location.name.strip().casefold() == wanted.casefold():
                return location
        return None

    async def items(self, variant_ids: set[int]) -> dict[int, Item]:
        """Variants with their product's or material's name, unit and batch tracking, by id."""
        if not variant_ids:
            return {}
        query = {"ids": sorted(variant_ids), "extend": ["product_or_material"]}
        found: dict[int, Item] = {}
        for raw in await self._client.get_all("/variants", query, max_pages=4):
            if raw.get("id") in variant_ids:
                item = raw.get("product_or_material") or {}
                found[int(raw["id"])] = Item.model_validate({
                    **raw, "name": item.get("name") or "", "uom": item.get("uom"),
                    "batch_tracked": bool(item.get("batch_tracked")),
                    "supplier_item_codes": [str(c) for c in raw.get("supplier_item_codes") or [] if c]})
        return found

    async def batches_in_stock(self, variant_id: int, location_id: int) -> list[Batch]:
        """The variant's batches with stock at the location, oldest batch first (first in, first out)."""
        query = {"variant_id": variant_id, "location_id": location_id}
        rows = [Batch.model_validate(r) for r in await self._client.get_all("/batch_stocks", query, max_pages=4)]
        rows = [b for b in rows if b.variant_id == variant_id and b.location_id == location_id
                and (b.quantity_in_stock or 0) > 0]
        return sorted(rows, key=lambda b: (b.batch_created_date is None, b.batch_created_date or 0, b.id))

    async def in_stock(self, variant_id: int, location_id: int) -> Decimal:
        """Stock of a variant at a location, whatever its batches."""
        rows = await self._client.get_all("/inventory", {"variant_id": [variant_id], "location_id": location_id})
        return sum((Decimal(str(r.get("quantity_in_stock") or 0)) for r in rows
                    if r.get("variant_id") == variant_id and r.get("location_id") == location_id), Decimal(0))

    async def transfers_to(self, target_location_id: int) -> list[StockTransfer]:
        rows = await self._client.get_all("/stock_transfers", {"target_location_id": target_location_id},
                                          max_pages=10)
        found = [StockTransfer.model_validate(r) for r in rows]
        return [t for t in found if t.target_location_id == target_location_id and t.deleted_at is None]

    async def find_transfer(self, number: str) -> StockTransfer | None:
        rows = await self._client.get_all("/stock_transfers", {"stock_transfer_number": number}, max_pages=4)
        found = [StockTransfer.model_validate(r) for r in rows]
        return next((t for t in found if t.stock_transfer_number == number and t.deleted_at is None), None)

    async def transfer(self, number: str, *, source: int, target: int, lines: list[MoveLine], when: datetime,
                       note: str | None = None) -> StockTransfer:
        """POST /stock_transfers. Not idempotent: after KatanaOutcomeUnknown, `find_transfer(number)` first."""
        if not lines:
            raise ValueError("a stock transfer needs at least one row")
        body: dict[str, Any] = {"stock_transfer_number": number, "source_location_id": source,
                                "target_location_id": target, "transfer_date": iso(when),
                                "stock_transfer_rows": [line.to_dto() for line in lines]}
        if note:
            body["additional_info"] = note
        return StockTransfer.model_validate(await self._client.post("/stock_transfers", body))

    async def set_transfer_status(self, transfer_id: int, status: str) -> str | None:
        """PATCH /stock_transfers/{id}/status (idempotent). The status the answer reports, if it reports one."""
        answer = await self._client.patch(f"/stock_transfers/{int(transfer_id)}/status", {"status": status})
        reported = answer.get("status") if isinstance(answer, dict) else None
        return reported if isinstance(reported, str) else None
