"""What the bot already knows before it reads a slip: the open purchase orders and what each still expects.

A slip answers one PO. When that PO is known (chosen by the operator, or named by the PO number printed on
the slip, which OCR reads reliably), its rows' codes (our SKU and the supplier's item codes), units and
remaining quantities are a small dictionary the parser snaps what it read to. Without a PO, the open POs of
the supplier named on the slip play that role; with no supplier match either, no dictionary is used (a
dictionary of every open PO would snap a misread code to some other supplier's item).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from difflib import SequenceMatcher

from integrations.slips.matching import code_key, one_off

LEGAL_FORMS = frozenset({"ltd", "limited", "gmbh", "inc", "llc", "bv", "nv", "sa", "sas", "sarl", "srl", "spa", "sl",
                         "co", "company", "ag", "kg", "oy", "ab", "as", "plc", "corp", "the", "and", "und", "sp", "zoo",
                         "lda", "bvba", "cv"})


@dataclass(frozen=True)
class ExpectedItem:
    codes: tuple[str, ...]  # our SKU first, then the supplier's item codes
    unit: str | None = None  # normalised (pcs, kg, g, l, m, cases) when the row's unit is one of those
    remaining: Decimal | None = None
    name: str = ""


@dataclass(frozen=True)
class ExpectedOrder:
    order_no: str
    supplier: str = ""
    items: tuple[ExpectedItem, ...] = ()


@dataclass(frozen=True)
class Expected:
    """Open POs (and the operator's choice, if any): the dictionary for one slip is picked from them."""

    orders: tuple[ExpectedOrder, ...] = ()
    chosen: str | None = None  # order_no the operator picked
    notes: list[str] = field(default_factory=list, compare=False)

    def order_named(self, printed: str | None) -> ExpectedOrder | None:
        """The open PO whose number the slip prints, forgiving OCR's confusions (P0-31 is PO-31)."""
        key = _po_key(printed)
        found = [o for o in self.orders if key and _po_key(o.order_no) == key]
        return found[0] if len(found) == 1 else None

    def orders_near(self, printed: str, shortest: int = 4) -> list[ExpectedOrder]:
        """Open POs whose number is one character off what was read (replaced, dropped or added); numbers
        folded shorter than `shortest` have too many such neighbours to pick one by it."""
        key = _po_key(printed)
        return [o for o in self.orders if len(key) >= shortest and one_off(key, _po_key(o.order_no))]

    def orders_of(self, supplier: str | None) -> list[ExpectedOrder]:
        return [o for o in self.orders if supplier_likeness(supplier, o.supplier) >= 0.6]

    def dictionary(self, po_number: str | None, supplier: str | None) -> tuple[list[ExpectedItem], str]:
        """The items this slip may list, and where they came from (for the receipt's notes)."""
        chosen = next((o for o in self.orders if o.order_no == self.chosen), None)
        order = chosen or self.order_named(po_number)
        if order is not None:
            return list(order.items), f"PO {order.order_no}"
        theirs = self.orders_of(supplier)
        if theirs:
            return [i for o in theirs for i in o.items], f"open POs of {theirs[0].supplier}"
        return [], ""


def _po_key(text: str | None) -> str:
    """'PO-0031' and 'P0 31' → 'P31': folded like any code, leading zeros of the number dropped."""
    key = code_key(text or "")
    m = re.fullmatch(r"(\D*)0*(\d+)", key)
    return f"{m.group(1)}{m.group(2)}" if m else key


def company_words(name: str | None) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9à-ÿ]+", (name or "").lower()) if w not in LEGAL_FORMS]


def supplier_likeness(read: str | None, supplier: str) -> float:
    a, b = company_words(read), company_words(supplier)
    if not a or not b:
        return 0.0
    shared = len(set(a) & set(b)) / len(set(a) | set(b))
    return max(shared, SequenceMatcher(None, " ".join(a), " ".join(b)).ratio())
