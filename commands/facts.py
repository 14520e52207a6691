"""The typed facts of a floor action: what the person entered plus what its steps learned from Katana.

A floor action is stored as plain data (its `input` and each step's `result`); the steps, the notes,
the headlines and the handover read it through one of these models, so a misspelt fact is a type
error and a quantity is always a `Decimal`. Unknown keys are ignored: an action saved by an older
version still reads.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Facts(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    person: str | None = None  # who did it, as Katana is told (their Slack name)
    order_no: str | None = None

    @property
    def order(self) -> str:
        """The order's number, for the floor's wording."""
        return self.order_no or "the order"


class OrderFacts(Facts):
    """/cook, /label, /pack: one manufacturing order."""

    mo_id: int
    quantity: Decimal | None = None
    batch: str | None = None
    crate: str | None = None
    from_crate: str | None = None
    to_crate: str | None = None
    minutes: int | None = None
    expiry: date | None = None
    barcode: str | None = None
    scrap: Decimal | None = None
    scrap_reason: str | None = None
    # learned from Katana
    variant_id: int | None = None
    location_id: int | None = None
    planned_quantity: Decimal | None = None
    sales_order_id: int | None = None
    linked_to_sales_order: bool = False
    operator_id: int | None = None
    operation_row_id: int | None = None
    operation_done_before: bool = False
    batch_id: int | None = None
    production_id: int | None = None
    note: str | None = None
    actual_quantity: Decimal | None = None
    yield_percent: Decimal | None = None
    next_task: str | None = None
    another_batch: bool = False  # recorded on purpose after the task's own recording (commands.claiming)

    @property
    def order(self) -> str:
        return self.order_no or f"MO {self.mo_id}"


class ShipLine(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    row_id: int
    variant_id: int
    sku: str
    quantity: Decimal
    batch_id: int | None = None
    batch: str | None = None
    linked_mo_id: int | None = None


class ShipFacts(Facts):
    """/ship: a sales order by carrier, or to Amazon FBA."""

    so_id: int
    method: Literal["carrier", "fba"] = "carrier"
    location_id: int | None = None
    fba_location_id: int | None = None
    fba_location_name: str | None = None
    lines: list[ShipLine] = Field(default_factory=list)
    carrier: str | None = None
    tracking: str | None = None
    status: Literal["PACKED", "DELIVERED"] = "DELIVERED"
    shipment: str | None = None
    pallets: int | None = None
    mo_id: int | None = None  # the SHIP task's MO, so the action shows in that MO's history
    # learned from Katana
    finished_mos: list[int] = Field(default_factory=list)
    fulfilments_before: list[int] = Field(default_factory=list)
    fulfilment_id: int | None = None
    transfer_id: int | None = None
    closed_tasks: list[str] = Field(default_factory=list)


class ReceiveLineFact(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    line: int
    row_id: int
    variant_id: int
    sku: str
    name: str = ""
    uom: str | None = None
    tracked: bool = False
    quantity: Decimal
    lot: str | None = None
    expiry: date | None = None
    over_receipt: bool = False


class SkippedLine(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    line: int
    sku: str | None = None
    description: str | None = None


class PhotoFact(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    file_id: str
    name: str | None = None


class ReceiveFacts(Facts):
    """/receive: a purchase order, from a packing slip."""

    po_id: int
    supplier: str | None = None
    location_id: int | None = None
    lines: list[ReceiveLineFact] = Field(default_factory=list)
    skipped: list[SkippedLine] = Field(default_factory=list)
    changes: list[dict[str, Any]] = Field(default_factory=list)
    photo: PhotoFact | None = None
    reader: str | None = None
    extraction: dict[str, Any] = Field(default_factory=dict)
    draft: str | None = None
    # learned from Katana
    received_before: dict[int, Decimal] = Field(default_factory=dict)
    batch_ids: dict[int, int] = Field(default_factory=dict)  # slip line → Katana batch
    created_batches: list[str] = Field(default_factory=list)
    receipt_id: str | None = None
