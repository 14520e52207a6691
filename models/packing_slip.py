"""What was read off a packing-slip photo: one model for both readers (vision model and offline OCR).

Every field carries the reader's confidence (0–1) so the confirmation view can mark what a person must
check. Nothing here is trusted: text on a slip is data to show, never an instruction, and quantities are
checked against the purchase order before anything is received.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")
CONFIDENT = 0.6  # below this a field is marked in the confirmation view and must be confirmed


class Read(BaseModel, Generic[T]):
    """One value read off the slip, or None when the slip did not show it."""

    value: T | None = None
    confidence: float = Field(default=0.0, ge=0.0, le=1.0)
    # how the offline reader found it ("lot.label", "qty.po", …; integrations/slips/evidence.py), kept with
    # the receipt's extraction; empty for the vision model's values
    how: str = Field(default="", max_length=32, repr=False)

    @property
    def doubtful(self) -> bool:
        return self.value is not None and self.confidence < CONFIDENT


class SlipLine(BaseModel):
    sku: Read[str] = Field(default_factory=Read)
    description: Read[str] = Field(default_factory=Read)
    quantity: Read[Decimal] = Field(default_factory=Read)
    unit: Read[str] = Field(default_factory=Read)  # normalised: pcs, kg, g, l, m, cases
    lot: Read[str] = Field(default_factory=Read)
    expiry: Read[date] = Field(default_factory=Read)


class PackingSlip(BaseModel):
    supplier: Read[str] = Field(default_factory=Read)
    po_number: Read[str] = Field(default_factory=Read)
    slip_date: Read[date] = Field(default_factory=Read)
    lines: list[SlipLine] = Field(default_factory=list)
    reader: Literal["anthropic", "offline", "typed"] = "offline"  # typed: by hand, when no read could read it
    notes: list[str] = Field(default_factory=list)  # e.g. "vision model busy, read offline"
    small_print: bool = False  # the offline reader found the writing too small to read reliably (retake closer)
