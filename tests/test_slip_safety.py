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


def test_the_vision_model_s_confidence_is_never_raised() -> None:
    """A confidence outside 0–1 (85 on a percent scale, `true`, a word, NaN) marks the value instead of being
    clamped to 1.0. (Fails with the old `min(1.0, max(0.0, float(confidence)))`.)"""
    import json
    from types import SimpleNamespace

    from integrations.slips.vision import to_slip

    def field(value: object, confidence: object) -> dict[str, object]:
        return {"value": value, "confidence": confidence}

    lines = [{"sku": field("FLR-1001", 85), "description": field("Flour", 0.9), "quantity": field("12", True),
              "unit": field("kg", "sure"), "lot": field("L1", float("nan")), "expiry": field("2026-01-31", 1.5)}]
    answer = {"supplier": field("Acme", 0.95), "po_number": field("PO-1", 60), "slip_date": field("2025-03-12", 0.9),
              "lines": lines}
    message = SimpleNamespace(stop_reason="end_turn", content=[SimpleNamespace(type="text", text=json.dumps(answer))])
    slip = to_slip(message)
    line = slip.lines[0]
    assert all(getattr(line, f).doubtful for f in ("sku", "quantity", "unit", "lot", "expiry"))
    assert slip.po_number.doubtful and not slip.supplier.doubtful and not line.description.doubtful
