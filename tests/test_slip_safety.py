"""The safety property of slip reading: a value that may be wrong is marked ⚠ and must be confirmed.

Each test builds OCR boxes by hand (no OCR, fast) for one rule of evidence.py / snapping.py / goods.py, and
fails when that rule is removed.
"""
from __future__ import annotations

from decimal import Decimal

from integrations.slips import Expected, ExpectedItem, ExpectedOrder
from integrations.slips.layout import OcrBox
from integrations.slips.parser import parse_slip


def boxes_of(*rows: list[str]) -> list[OcrBox]:
    """Hand-made OCR output: one box per cell, rows 40 px apart, cells where their text would be printed."""
    out = []
    for y, cells in enumerate(rows):
        x = 40.0
        for cell in cells:
            width = 13.0 * len(cell)
            out.append(OcrBox(cell, 0.97, ((x, 40.0 * y), (x + width, 40.0 * y), (x + width, 40.0 * y + 24),
                                           (x, 40.0 * y + 24))))
            x += width + 60
    return out


def po(*items: ExpectedItem, number: str = "BST-80078", supplier: str = "Bergmühle Schneider KG") -> Expected:
    return Expected(orders=(ExpectedOrder(number, supplier, items),))


HEAD = (["Bergmühle Schneider KG", "Lieferschein"], ["Ihre Bestellung: BST-80078", "Lieferdatum: 03.04.2025"])


def test_a_position_number_is_not_read_as_part_of_the_code() -> None:
    """'1' glued to 'HNY-2313' is one character off the PO's HNY-2313; the word itself matches exactly, so it
    anchors the item and is not taken for the lot. (Fails when _known_code takes the first, near match.)"""
    boxes = boxes_of(*HEAD, ["1", "HNY-2313", "Honig 12x250 g", "45", "Krt", "LOT660500", "06.11.2026"])
    read = parse_slip(boxes, po(ExpectedItem(("HNY-2313",), "cases", Decimal(45))))
    line = read.lines[0]
    assert (line.sku.value, line.quantity.value, line.lot.value) == ("HNY-2313", 45, "LOT660500")
    assert not line.sku.doubtful
