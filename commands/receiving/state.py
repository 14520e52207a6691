"""What a /receive confirmation shows and what the operator has entered so far, kept in a ModalDraft.

`entries` start as the reader's values matched to PO rows and become the operator's as they edit and
submit; comparing them with the slip as read gives the changes kept with the receipt for audit.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field

from commands.fields import MAX_QUANTITY
from commands.receiving.matching import PoChoice, Ranked, match_lines
from models.packing_slip import PackingSlip, Read, SlipLine

MAX_LINES = 15  # six blocks a line at most keeps the confirmation under Slack's 100 blocks
OverChoice = Literal["left", "all"]


class PhotoRef(BaseModel):
    file_id: str
    name: str = ""


class LineEntry(BaseModel):
    row_id: int | None = None  # None: this line is not received
    quantity: Decimal | None = None
    lot: str | None = None
    expiry: date | None = None
    checked: bool = False  # "I checked the marked fields against the slip"
    over: OverChoice | None = None  # what to do when it is more than the PO row has left


class ReceiveState(BaseModel):
    photo: PhotoRef
    slip: PackingSlip
    orders: list[PoChoice] = Field(default_factory=list)
    ranking: list[Ranked] = Field(default_factory=list)
    po_id: int | None = None
    po_to_check: bool = False  # po_id came from a PO number read with ⚠: "I checked the PO" must be ticked
    note: str = ""
    entries: list[LineEntry] = Field(default_factory=list)
    banner: str | None = None  # why the view was shown again (an over-receipt needs a choice)

    @property
    def order(self) -> PoChoice | None:
        return next((o for o in self.orders if o.po_id == self.po_id), None)

    @property
    def lines(self) -> list[SlipLine]:
        return self.slip.lines[:MAX_LINES]

    def dump(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def entries_for(lines: list[SlipLine], order: PoChoice | None, kept: list[LineEntry] | None = None) -> list[LineEntry]:
    """Each line's PO row on `order`, with the reader's values (or those the operator already entered)."""
    rows = match_lines(lines, order) if order else [None] * len(lines)
    entries = []
    for index, (line, row_id) in enumerate(zip(lines, rows, strict=False)):
        before = kept[index] if kept and index < len(kept) else None
        entries.append(LineEntry(
            row_id=row_id, quantity=before.quantity if before else usable_quantity(line.quantity.value),
            lot=before.lot if before else usable_lot(line.lot.value),
            expiry=before.expiry if before else line.expiry.value, checked=before.checked if before else False))
    return entries


def usable_quantity(value: Decimal | None) -> Decimal | None:
    """A read quantity the form can show (Slack refuses an initial value outside the input's range)."""
    return value if value is not None and 0 < value <= MAX_QUANTITY else None


def usable_lot(value: str | None) -> str | None:
    return value if value and len(value) <= 40 else None  # longer is no lot code: the operator types it


def room_left(state: ReceiveState) -> list[Decimal | None]:
    """What each line's PO row still has left once the lines above it on the same row are counted."""
    order = state.order
    used: dict[int, Decimal] = {}
    left: list[Decimal | None] = []
    for entry in state.entries:
        row = order.row(entry.row_id) if order else None
        if row is None:
            left.append(None)
            continue
        left.append(max(row.remaining - used.get(row.row_id, Decimal(0)), Decimal(0)))
        used[row.row_id] = used.get(row.row_id, Decimal(0)) + (entry.quantity or Decimal(0))
    return left


def doubtful_fields(line: SlipLine) -> list[str]:
    """The fields the reader was unsure of (confidence under 0.6): they must be confirmed."""
    fields: dict[str, Read[Any]] = {"SKU": line.sku, "description": line.description, "quantity": line.quantity,
                                    "unit": line.unit, "lot": line.lot, "expiry": line.expiry}
    return [name for name, read in fields.items() if read.doubtful]


def changes(state: ReceiveState, suggested_rows: list[int | None]) -> list[dict[str, Any]]:
    """What the operator changed from the slip as read (and from the suggested PO rows)."""
    found = []
    for index, (line, entry) in enumerate(zip(state.lines, state.entries, strict=False), start=1):
        pairs = (("quantity", line.quantity.value, entry.quantity), ("lot", line.lot.value, entry.lot),
                 ("expiry", line.expiry.value, entry.expiry),
                 ("po_row", suggested_rows[index - 1] if index - 1 < len(suggested_rows) else None, entry.row_id))
        for field, read, entered in pairs:
            if read != entered:
                found.append({"line": index, "field": field, "read": _text(read), "entered": _text(entered)})
    return found


def _text(value: Any) -> str | None:
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return None if value is None else str(value)
