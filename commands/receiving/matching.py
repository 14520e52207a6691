"""Which purchase order a packing slip belongs to, and which PO row each slip line is.

Pure functions over what Katana holds (open POs with their rows) and what the reader saw. The PO number
printed on the slip decides when it names an open PO; otherwise open POs are ranked by how well the
supplier's name and the SKUs agree. Nothing on the slip can name anything but an open PO or one of its
rows: the slip is data to match, never a pointer to follow.
"""
from __future__ import annotations

import re
from decimal import Decimal
from difflib import SequenceMatcher

from pydantic import BaseModel, Field

from models.packing_slip import PackingSlip, SlipLine

LEGAL_FORMS = {"ltd", "limited", "gmbh", "inc", "llc", "bv", "nv", "sa", "sas", "srl", "spa", "co", "company",
               "ag", "kg", "oy", "ab", "as", "plc", "corp", "corporation", "the", "and", "und"}
SUGGEST_AT = 0.35  # a ranked PO is preselected only from this score (the operator confirms it anyway)
NAME_MATCH = 0.75  # description vs item name, when the SKU did not match


class PoRow(BaseModel):
    row_id: int
    variant_id: int
    sku: str = ""
    name: str = ""
    codes: list[str] = Field(default_factory=list)  # the supplier's own item codes
    remaining: Decimal
    uom: str | None = None
    tracked: bool = False

    @property
    def label(self) -> str:
        return " · ".join(p for p in (self.sku, self.name, f"{self.remaining:f} {self.uom or ''} left".strip()) if p)


class PoChoice(BaseModel):
    po_id: int
    order_no: str
    supplier: str = ""
    location_id: int | None = None
    rows: list[PoRow] = Field(default_factory=list)

    def row(self, row_id: int | None) -> PoRow | None:
        return next((r for r in self.rows if r.row_id == row_id), None)

    @property
    def label(self) -> str:
        return " · ".join(p for p in (self.order_no, self.supplier) if p)[:75]


class Ranked(BaseModel):
    po_id: int
    score: float
    reason: str
    printed: bool = False  # the slip names this PO
    doubtful: bool = False  # ... as the reader marked ⚠ (a misread, a postcode): the operator must confirm it


def key(text: str | None) -> str:
    """Codes as people write them: case, spaces, dashes and dots do not matter."""
    return re.sub(r"[^0-9A-Z]", "", (text or "").upper())


def same_po_number(printed: str | None, order_no: str) -> bool:
    """`PO-31`, `po 31`, `PO-0031` and `31` are the same order; `PO-31` and `PO-310` are not."""
    a, b = key(printed), key(order_no)
    if not a or not b:
        return False
    if a == b:
        return True
    split_a, split_b = re.fullmatch(r"([A-Z]*)0*(\d+)", a), re.fullmatch(r"([A-Z]*)0*(\d+)", b)
    if not (split_a and split_b) or split_a.group(2) != split_b.group(2):
        return False
    return split_a.group(1) == split_b.group(1) or "" in (split_a.group(1), split_b.group(1))


def company_words(name: str | None) -> list[str]:
    words = re.findall(r"[a-z0-9]+", (name or "").lower())
    return [w for w in words if w not in LEGAL_FORMS]


def supplier_likeness(read: str | None, supplier: str) -> float:
    """0..1: how much the supplier name on the slip looks like the PO's supplier."""
    a, b = company_words(read), company_words(supplier)
    if not a or not b:
        return 0.0
    shared = len(set(a) & set(b)) / len(set(a) | set(b))
    likeness = max(shared, SequenceMatcher(None, " ".join(a), " ".join(b)).ratio())
    return likeness if likeness >= 0.5 else 0.0  # short names share letters by chance


def line_codes(line: SlipLine) -> set[str]:
    return {k for k in (key(line.sku.value),) if k}


def row_codes(row: PoRow) -> set[str]:
    return {k for k in (key(row.sku), *(key(c) for c in row.codes)) if k}


def sku_overlap(slip: PackingSlip, order: PoChoice) -> tuple[int, int]:
    """(slip lines whose SKU is on the PO, slip lines with a SKU)."""
    codes = set().union(*(row_codes(r) for r in order.rows)) if order.rows else set()
    with_sku = [line_codes(line) for line in slip.lines if line_codes(line)]
    return sum(1 for c in with_sku if c & codes), len(with_sku)


def rank_orders(slip: PackingSlip, orders: list[PoChoice]) -> list[Ranked]:
    """Open POs that could be this slip's, best first; a printed PO number that names one wins outright."""
    printed = [o for o in orders if same_po_number(slip.po_number.value, o.order_no)]
    if len(printed) == 1:
        doubtful = slip.po_number.doubtful
        return [Ranked(po_id=printed[0].po_id, score=1.0, printed=True, doubtful=doubtful,
                       reason=f"PO number {printed[0].order_no}{' ⚠' if doubtful else ''} on the slip")]
    ranked = []
    for order in orders:
        found, total = sku_overlap(slip, order)
        likeness = supplier_likeness(slip.supplier.value, order.supplier)
        score = 0.4 * likeness + 0.6 * (found / total if total else 0.0)
        if score > 0:
            reason = ", ".join(p for p in (f"supplier {order.supplier}" if likeness >= 0.6 else "",
                                           f"{found} of {total} products" if found else "") if p)
            ranked.append(Ranked(po_id=order.po_id, score=round(score, 3), reason=reason or "weak match"))
    return sorted(ranked, key=lambda r: (-r.score, -r.po_id))


def suggested_order(ranked: list[Ranked]) -> Ranked | None:
    """The PO to preselect: a printed number, or a clear best match; else the operator chooses."""
    if not ranked or ranked[0].score < SUGGEST_AT:
        return None
    if len(ranked) > 1 and not ranked[0].printed and ranked[0].score - ranked[1].score < 0.1:
        return None  # two equally likely orders: don't guess for them
    return ranked[0]


def match_lines(lines: list[SlipLine], order: PoChoice) -> list[int | None]:
    """The PO row of each slip line (None: not on this PO): by SKU or supplier code, else by name."""
    matched: list[int | None] = []
    for line in lines:
        codes = line_codes(line)
        by_code = [r for r in order.rows if codes & row_codes(r)]
        matched.append(by_code[0].row_id if by_code else by_name(line, order.rows))
    return matched


def by_name(line: SlipLine, rows: list[PoRow]) -> int | None:
    text = " ".join(company_words(line.description.value))
    if not text:
        return None
    scored = [(SequenceMatcher(None, text, " ".join(company_words(r.name))).ratio(), r.row_id) for r in rows if r.name]
    best = max(scored, default=(0.0, None))
    return best[1] if best[0] >= NAME_MATCH else None
