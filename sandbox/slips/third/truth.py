"""What a generated slip really says: the values a careful clerk would type from the paper.

The truth is decided before anything is drawn, and the drawing only ever prints from it, so what is on the
page and what is in the truth cannot drift apart. Where the paper itself is ambiguous (a month-year expiry,
a quantity corrected by pen) the rule chosen is written next to the field.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from integrations.slips.expected import Expected

CONDITIONS = ("clean", "degraded", "photo")
UNITS = ("pcs", "kg", "g", "l", "m", "cases")


@dataclass(frozen=True)
class Line:
    sku: str  # the item code exactly as printed on the slip
    description: str
    quantity: Decimal  # delivered; a pen correction on the paper wins over the printed figure
    unit: str  # normalised, one of UNITS
    lot: str | None = None  # the lot value without its label ("LOT#55120" -> "55120")
    expiry: date | None = None  # a month-year best-before ("03/2027") is the month's last day


@dataclass(frozen=True)
class Slip:
    name: str
    language: str  # en-US, en-GB, de, es, fr, it, nl, pt, pl
    layout: str
    condition: str
    supplier: str
    po_number: str  # canonical Katana form, "PO-1234", however the slip spells it
    slip_date: date
    lines: list[Line] = field(default_factory=list)
    open_orders: Expected = field(default_factory=Expected)
    options: tuple[str, ...] = ()  # overprints and extras drawn on this slip, for reading failures by class

    @property
    def degraded(self) -> bool:
        return self.condition != "clean"

    @property
    def photo(self) -> bool:
        return self.condition == "photo"
