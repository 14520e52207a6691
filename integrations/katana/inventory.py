"""Batches and variants — what /label needs to print and trace a batch.

Batches are looked up through GET /batch_stocks (one row per batch *and location*, id in `batch_id`)
and created with POST /batches. Filters are re-checked here because Katana ignores unknown ones.
"""
from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from .client import KatanaClient, iso
from .errors import KatanaOutcomeUnknown, KatanaRejected
from .models import Batch, Variant


class InventoryService:
    def __init__(self, client: KatanaClient) -> None:
        self._client = client

    async def find_batch(self, batch_number: str, variant_id: int) -> Batch | None:
        query = {"batch_number": batch_number, "variant_id": variant_id, "include_empty": True}
        rows = await self._client.get_all("/batch_stocks", query, max_pages=4)
        for raw in rows:
            batch = Batch.model_validate(raw)
            if batch.batch_number == batch_number and batch.variant_id == variant_id:
                return batch
        return None

    async def ensure_batch(self, batch_number: str, variant_id: int, *,
                           expiration_date: date | None = None, barcode: str | None = None) -> Batch:
        """The batch with this number for this variant, created if Katana has none yet.

        Creating is a POST; if its outcome is unknown, or Katana refuses it because someone else
        created the same batch meanwhile, the batch is looked up again before giving up.
        """
        existing = await self.find_batch(batch_number, variant_id)
        if existing is not None:
            return existing
        body: dict[str, Any] = {"batch_number": batch_number, "variant_id": variant_id}
        if expiration_date is not None:
            body["expiration_date"] = _katana_date(expiration_date)
        if barcode is not None:
            body["batch_barcode"] = _checked_barcode(barcode)
        try:
            return Batch.model_validate(await self._client.post("/batches", body))
        except (KatanaOutcomeUnknown, KatanaRejected):
            created = await self.find_batch(batch_number, variant_id)
            if created is None:
                raise
            return created

    async def update_batch(self, batch_id: int, *, expiration_date: date | None = None,
                           barcode: str | None = None) -> Batch:
        body: dict[str, Any] = {}
        if expiration_date is not None:
            body["expiration_date"] = _katana_date(expiration_date)
        if barcode is not None:
            body["batch_barcode"] = _checked_barcode(barcode)
        if not body:
            raise ValueError("nothing to update: give an expiration date or a barcode")
        return Batch.model_validate(await self._client.patch(f"/batch_stocks/{batch_id}", body))

    async def get_variant(self, variant_id: int) -> Variant:
        return Variant.model_validate(await self._client.get(f"/variants/{variant_id}"))


def _katana_date(value: date) -> str:
    """Katana stores batch dates as date-times; a plain date is sent as midnight UTC, with offset."""
    if isinstance(value, datetime):
        return iso(value)
    return iso(datetime.combine(value, time(0, 0), tzinfo=UTC))


def _checked_barcode(barcode: str) -> str:
    barcode = barcode.strip()
    if not 3 <= len(barcode) <= 40:  # CreateBatchDto/UpdateBatchDto: 3..40 characters
        raise ValueError("a batch barcode must be 3 to 40 characters long")
    return barcode
