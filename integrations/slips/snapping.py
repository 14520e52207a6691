"""The read lines snapped to what the purchase order expects, each change noted for the receipt.

A code is replaced by the PO's code it reads as (dictionary.py): surely when they differ only by OCR's
look-alike characters or a glued word, with ⚠ when one character is off; a code the PO does not know is
marked (a misread, or an item nobody ordered). A missing or doubtful unit is taken from the PO row, marked
for checking; a printed unit the row agrees with is vouched for, one that differs from the row's stays as
printed and is marked (the operator sees both). A "lot" that reads as one of the PO's item codes is marked.
The PO is the only independent check a read value has (evidence.py): what it confirms may show without ⚠.
"""
from __future__ import annotations

from decimal import Decimal

from integrations.slips.dictionary import NEAR, Dictionary
from integrations.slips.evidence import ASK, PO_VOUCHES_FROM
from integrations.slips.expected import ExpectedItem
from integrations.slips.matching import one_off
from models.packing_slip import Read, SlipLine


def snap_lines(lines: list[SlipLine], dictionary: Dictionary, source: str) -> tuple[list[SlipLine], list[str]]:
    if not dictionary:
        return lines, []
    notes = []
    for index, line in enumerate(lines, start=1):
        read_as = line.sku.value
        hit = dictionary.code_for(read_as) if read_as else None
        if hit is not None and hit[0] != read_as:
            code, certainty = hit
            line.sku = Read(value=code, confidence=min(line.sku.confidence, certainty) if certainty > NEAR
                            else min(certainty, ASK), how="sku.snapped" if certainty > NEAR else "sku.near")
            notes.append(f"line {index}: code read as {read_as!r}, taken as {code} from {source}")
        elif hit is not None:
            line.sku = Read(value=read_as, confidence=max(line.sku.confidence, 0.9), how="sku.exact")
        elif read_as:
            line.sku = Read(value=read_as, confidence=min(line.sku.confidence, ASK), how="sku.not_on_po")
            notes.append(f"line {index}: code {read_as!r} is not on {source}")
        _prefer_row_unit(line, dictionary.unit_of(line.sku.value) if line.sku.value else None)
        if note := _check_quantity(line, dictionary.item(line.sku.value) if line.sku.value else None):
            notes.append(f"line {index}: {note} from {source}")
        if line.lot.value and (as_code := dictionary.code_for(line.lot.value)) is not None and as_code[1] > NEAR:
            line.lot = Read(value=line.lot.value, confidence=min(line.lot.confidence, ASK), how="lot.is_a_code")
    return lines, notes


# A quantity taken from beside another amount that may be the delivered one (an ordered column, a second
# amount with the same unit, a pen correction): the ordered amount always equals what the PO expects, so the
# PO's agreement says nothing about which of the two was delivered (outside review, attack 5).
RIVALLED = frozenset({"qty.rival"})


OVER_BY_A_DIGIT = Decimal("1.02")  # an unsure figure up to 2 % over the PO's, one digit off it: a misread


def _check_quantity(line: SlipLine, item: ExpectedItem | None) -> str | None:
    """What the PO still expects vouches for a quantity that matches it; one a thousand times off it (a
    decimal mark misread, 1.039 for 1039) or a tiny share of it is marked. A quantity one character off what
    the PO expects is marked, and the note names both numbers. Under it (940 where 948 is expected) it is
    kept as read: a short delivery looks just like a misread digit, and only the slip can tell — taking the
    PO's number there was wrong 10 times of 11 on the third corpus, whose suppliers deliver 1000 against
    1005 ordered. Just over it (at most OVER_BY_A_DIGIT more) and read unsure, it is offered as the PO's
    number: a few units more than ordered is likelier a misread than a delivery (and receiving more than
    expected needs an explicit choice in the confirmation anyway); 1500 where 1200 are expected is not."""
    quantity, left = line.quantity.value, item.remaining if item else None
    if quantity is None or not left or left <= 0 or line.quantity.how in RIVALLED:  # stays marked, as read
        return None
    read_as, expected = _digits(quantity), _digits(left)
    # not 30 for 60: one digit of two is half the number
    if min(len(read_as), len(expected)) >= 3 and one_off(read_as, expected):
        if line.quantity.doubtful and left < quantity <= left * OVER_BY_A_DIGIT:
            line.quantity = Read(value=left, confidence=min(line.quantity.confidence, ASK), how="qty.near_po")
            return f"quantity read as {read_as}, taken as {expected}"
        line.quantity = Read(value=quantity, confidence=min(line.quantity.confidence, ASK), how="qty.one_off_po")
        return f"quantity {read_as} is one digit off the {expected} still expected"  # a misread, or short
    if len(read_as) >= 2 and expected.startswith(read_as) and quantity != left:  # '19' of '19.5': its end lost
        line.quantity = Read(value=quantity, confidence=min(line.quantity.confidence, ASK), how="qty.part_of_po")
        return f"quantity {read_as} is the start of the {expected} still expected"
    if quantity == left and line.quantity.confidence >= PO_VOUCHES_FROM:  # not a struck or unsure figure
        line.quantity = Read(value=quantity, confidence=max(line.quantity.confidence, 0.9), how="qty.po")
    elif quantity / left > 5 or quantity / left < Decimal("0.01"):
        line.quantity = Read(value=quantity, confidence=min(line.quantity.confidence, ASK),
                             how="qty.far_off_po")
    return None


def _digits(quantity: Decimal) -> str:
    """940, 41.1, 2394.06: as printed without grouping, so one misread digit is one character off."""
    return format(quantity.normalize(), "f")


def _prefer_row_unit(line: SlipLine, expected: str | None) -> None:
    if expected is None:
        return
    if line.unit.value is None or (line.unit.value != expected and line.unit.doubtful):
        line.unit = Read(value=expected, confidence=0.5, how="unit.po")
    elif line.unit.value == expected and line.unit.how != "unit.po":  # printed, and the PO row agrees
        line.unit = Read(value=expected, confidence=max(line.unit.confidence, 0.9), how="unit.po_agrees")
    elif line.unit.value != expected:  # printed clearly, but not the row's unit: a person looks
        line.unit = Read(value=line.unit.value, confidence=min(line.unit.confidence, ASK), how="unit.po_differs")
