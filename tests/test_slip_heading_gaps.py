"""Column cuts and dates found on the fourteenth session's diagnosis slips (third corpus photos 2722-2737,
scans 2706-2717; the evaluation corpus and seed 2702 stay held back), each class with a slip made here."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from integrations.slips import Expected, ExpectedItem, ExpectedOrder
from integrations.slips.parser import parse_slip
from tests.slip_boxes import cells_under, word_box
from tests.test_slip_third_2706 import COLUMNS, HEAD, ORDER, _line

OIL_78 = Expected(orders=(ExpectedOrder("PO-4014", "Pennine Packaging Ltd", (
    ExpectedItem(("31-593-25",), "l", Decimal(78)), ExpectedItem(("27-181-16",), "pcs", Decimal(500)),
    ExpectedItem(("14-878-89",), "cases", Decimal(50)))),))
HEADINGS = (("Code", 40), ("Description", 160), ("Qty", 520), ("Ordered", 570), ("Qty", 680), ("Despatched", 726),
            ("Unit", 858), ("Lot", 940))


def _ordered_and_despatched(rows: list[tuple[str, str, str, str, str, str]]) -> list:
    """A spreadsheet's 'Qty Ordered | Qty Despatched | Unit' table as a photo boxes it: each heading two
    words a few px apart, the ordered figures right-aligned past their heading's end, the despatched ones
    left-aligned under the gap between 'Qty' and 'Despatched', that heading's end 2 px from 'Unit'."""
    boxes = [word_box(text, x, 160.0) for text, x in HEADINGS]
    for y, (code, name, ordered, despatched, unit, lot) in enumerate(rows, start=5):
        boxes += [word_box(code, 40, 40.0 * y), word_box(name, 160, 40.0 * y), word_box(ordered, 670, 40.0 * y,
                  right=True), word_box(despatched, 730, 40.0 * y), word_box(lot, 940, 40.0 * y)]
        boxes += [word_box(unit, 858, 40.0 * y)] if unit else []
    return boxes


def test_the_gap_between_the_words_of_one_heading_is_no_column_cut() -> None:
    """'Qty Ordered' and 'Qty Despatched' each boxed as two words: the widest gap with no figure under it was
    between 'Qty' and 'Ordered', so the ordered figures fell into the quantity's cell, the despatched ones into
    the unit's, and the PO vouched for the ordered 78 where 75 came (photo 2722:11). The gap inside a heading
    costs as much as the heading's words; the gap between one column's last heading word and the next one's
    first is their boundary, however narrow. Fails without table._headings_of_words (the short 75 read as
    the ordered 78 without ⚠), and without table._between_headings ('Despatched' 2 px from 'Unit': no cut
    left between them, it went left of the despatched figures, which fell into the unit's cell, where a unit
    the OCR boxed with its figure, '50 case', left no wider gap on the right)."""
    boxes = _ordered_and_despatched([("31-593-25", "Olive oil", "78", "75", "ltr", "L260301"),
                                     ("27-181-16", "Kraft gift box", "500", "500", "pcs", "L260302"),
                                     ("14-878-89", "Clear PET tub", "50", "50 case", "", "L270510")])
    lines = parse_slip(HEAD + boxes, OIL_78).lines
    short = _line(lines, "31-593-25").quantity
    assert short.value == Decimal(75) or short.doubtful, short  # never the ordered 78 shown sure
    assert (short.value, short.how) == (Decimal(75), "qty.cell"), short  # read under its own heading
    assert [_line(lines, code).quantity.value for code in ("27-181-16", "14-878-89")] == [500, 50]
    assert _line(lines, "14-878-89").unit.value == "cases"


def test_a_lot_glued_by_a_slash_to_a_worded_date_is_a_guess() -> None:
    """'FR826/27 - Apr 2028' in a 'Batch No./BBE' cell is lot FR826/27, good until April 2028 (third corpus
    2710:33, once the column cuts above put the cell right); 'CH54346/26 Feb 2027' is lot CH54346 and 26
    February (tuning seed 31:20). The slash glues a lot's last figures or a day on; the cell cannot tell
    which: FR826 and 27 April were shown sure. As with a hyphen ('L2304-12/05/2029', outside review 9), the
    lot and the expiry are marked unless read right. Fails without '/' in table._glued_to_lot's glue."""
    rows = cells_under((["Code", "Description", "Qty", "Unit", "Batch No. / BBE"],
                        ["31-593-25", "Olive oil", "1000", "l", "FR826/27 - Apr 2028"],
                        ["27-181-16", "Kraft gift box", "500", "pcs", "CH54346/26 Feb 2027"],
                        ["14-878-89", "Clear PET tub", "50", "case", "L270510 / 26 Feb 2027"]), 4, COLUMNS)
    lines = parse_slip(HEAD + rows, ORDER).lines
    for code, lot, expiry in (("31-593-25", "FR826/27", date(2028, 4, 30)),
                              ("27-181-16", "CH54346", date(2027, 2, 26))):
        line = _line(lines, code)
        assert line.expiry.value == expiry or line.expiry.doubtful, line.expiry
        assert line.lot.value == lot or line.lot.doubtful, line.lot
    spaced = _line(lines, "14-878-89")  # spaces round the slash: a separator, the lot sure
    assert (spaced.lot.value, spaced.expiry.value) == ("L270510", date(2027, 2, 26)), spaced
    assert not spaced.lot.doubtful, spaced


def test_a_lot_whose_date_was_not_read_whole_beside_a_months_name_is_a_guess() -> None:
    """'2366443211 - 13 Sep 2027' in a 'Lot / Best before' cell, the OCR gluing the year to the next cell's
    code ('2366443211-13 Sep 2027FL40/02'): no date is read, and the lot was taken as '2366443211-13', sure
    (photo 2734:44). A month's name in the cell says a date was printed there; where the lot ends is a guess,
    marked as where a '/' is left. Fails without the names_a_month branch in table._lot_cell."""
    rows = cells_under((["Code", "Description", "Qty", "Unit", "Lot / Best before"],
                        ["31-593-25", "Olive oil", "1000", "l", "2366443211-13 Sep"],
                        ["27-181-16", "Kraft gift box", "500", "pcs", "B27165 - 05 Apr 2028"],
                        ["14-878-89", "Clear PET tub", "50", "case", "L270510"]), 4, COLUMNS)
    lines = parse_slip(HEAD + rows, ORDER).lines
    cut = _line(lines, "31-593-25").lot
    assert cut.value == "2366443211" or cut.doubtful, cut
    dated = _line(lines, "27-181-16")
    assert (dated.lot.value, dated.lot.doubtful, dated.expiry.value) == ("B27165", False, date(2028, 4, 5)), dated
    assert not _line(lines, "14-878-89").lot.doubtful


def test_a_worded_date_whose_day_is_glued_to_the_lots_figures_is_a_guess() -> None:
    """'L2612 27 Apr 2028' with the space lost: 'L261227 Apr 2028' is lot L2612 and 27 April, or lot L261227
    and April. The day was read off the lot's last figures and both shown sure. (The review of the session's
    diff found this branch of table._glued_to_lot, a date starting right after a figure, covered by no test.)
    Fails without the digit branch in _glued_to_lot's pattern."""
    rows = cells_under((["Code", "Description", "Qty", "Unit", "Batch No. / BBE"],
                        ["31-593-25", "Olive oil", "1000", "l", "L261227 Apr 2028"]), 4, COLUMNS)
    line = _line(parse_slip(HEAD + rows, ORDER).lines, "31-593-25")
    assert line.lot.value == "L2612" and line.lot.doubtful, line.lot
    assert line.expiry.value == date(2028, 4, 27) and line.expiry.doubtful, line.expiry
