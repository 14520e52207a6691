"""Parse-level failure classes of packing-slip photos (issue 18), on hand-made OCR boxes.

A phone photo blurs single words, skews rows and columns and glues neighbouring cells; the characters the
OCR did read right must still land in the right field. Each test names the class and the code path that
fixes it; the boxes are built as test_slip_failure_classes builds them.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from integrations.slips.parser import parse_slip
from tests.test_slip_failure_classes import US_HEAD, printed_table


def test_one_heading_word_the_photo_blurred_in_a_row_that_reads_still_names_its_column() -> None:
    """'Product Code  Description  Quantity  Unit  Betch  Use By': the row reads as a heading, but 'Betch'
    (a blurred 'Batch') matched no heading word, so the lot column had no kind and every lot of the slip
    fell into the unit's or the expiry's cell and was lost (tuning slip 21:38). A word of the heading row
    that no heading reads exactly is taken as the blurred heading of a kind the row has not named. (Fails
    with table._blurred_words returning no words: no lot read.)"""
    read = parse_slip(US_HEAD + printed_table(
        ["Product Code", "Description", "Quantity", "Unit", "Betch", "Use By"],
        ["OIL-6644", "Olive oil extra virgin", "40.48", "l", "CH64335", "2025-11-10"],
        ["EGG-8681", "Free range eggs M", "447", "pcs", "CH70221", "2025-09-15"],
        ["BAG-4963", "Paper bags kraft", "907", "each", "LOT683204", ""], columns=(40, 240, 580, 720, 820, 980)))
    got = [(l.sku.value, l.quantity.value, l.unit.value, l.lot.value, l.expiry.value) for l in read.lines]
    assert got == [("OIL-6644", Decimal("40.48"), "l", "CH64335", date(2025, 11, 10)),
                   ("EGG-8681", 447, "pcs", "CH70221", date(2025, 9, 15)),
                   ("BAG-4963", 907, "pcs", "LOT683204", None)]
