"""Outside review (attack 13) of 8850fd6 (table.HEADING_CUT: a column cut never goes through a heading word
while it can go through figures; _rival_beside strips stray brackets) and 1de5cfa (table._past_orphan_figures:
figures under no heading word, between the widest gap and the next heading, go with the heading on their LEFT).

_past_orphan_figures assumes that a figure under no heading word was right-aligned past its own heading
(Excel's defaults). The other common reason a figure lies under no heading word is the mirror image: a table
made in a word processor (Word, LibreOffice, most invoicing apps' templates) with headings CENTRED in their
cells and figures LEFT-aligned (the word processor's default). A column's figures then sit at the left edge
of its cell — left of their own heading, under no heading word, right after the previous heading — and the
rule hands every column's figures to the heading on its left: the quantity cell gets the NEXT column's
figure (the ordered amount, the back order, the unit price), read as the only figure in the cell, sure.
2cad381 (1de5cfa's parent) read all of these right.

HEADING_CUT: goods grouped by pallet whose later rows sit ~30 px further left (the commit's own case had
25 px): the cut that avoids 'Ordered' passes through the later rows' delivered figures and puts them in the
ordered column, leaving the back-order figure alone in the quantity cell — read sure. 9f907c9 (8850fd6's
parent) marked those lines (the delivered figure and the back order both in the cell: a rival).

And an older case the fix does not reach: a spreadsheet slip with ONE goods line (the rule wants two
orphan figures) still reads the ordered figure and the PO vouches for it.

Hand-made OCR boxes (no OCR runs), 13 px a character, cells scored as RapidOCR scores crisp print. Each test
fails on 1de5cfa and says what is right; "regression" = the parent commit's table.py (2cad381 for
_past_orphan_figures, 9f907c9 for HEADING_CUT; checked by putting that table.py in place) reads it right.
"""
from __future__ import annotations

from decimal import Decimal

from integrations.slips import Expected, ExpectedItem, ExpectedOrder
from integrations.slips.layout import OcrBox
from integrations.slips.parser import parse_slip
from models.packing_slip import PackingSlip
from tests.slip_boxes import boxes_of, spreadsheet, word_table

US_HEAD = boxes_of(["Lakeside Paper Goods Inc.", "Packing Slip"], ["PO Number:", "PO-4410"])
SHORT_PO = Expected(orders=(ExpectedOrder("PO-4410", "Lakeside Paper Goods Inc.", (
    ExpectedItem(("LP-2040",), "cases", Decimal(60)), ExpectedItem(("LP-3310",), "cases", Decimal(30)),
    ExpectedItem(("LP-5012",), "cases", Decimal(24)))),))
# 48 of 60 came, 30 of 30, 20 of 24 (back order 12, 0, 4)
ITEMS = (("LP-2040", "Kraft mailer box 12x9", 60, 48), ("LP-3310", "Tissue paper white", 30, 30),
         ("LP-5012", "Paper bag, twisted handle", 24, 20))


def _got(slip: PackingSlip) -> list[tuple[str | None, Decimal | None, bool]]:
    return [(line.sku.value, line.quantity.value, line.quantity.doubtful) for line in slip.lines]


def _right_or_marked(slip: PackingSlip, delivered: dict[str, int]) -> None:
    got = _got(slip)
    assert [sku for sku, _, _ in got] == list(delivered), got
    for sku, qty, doubtful in got:
        assert qty == delivered[sku] or doubtful, ("lost" if qty is None else "shown sure but wrong", sku, qty, "delivered", delivered[sku], got)


# --- _past_orphan_figures: centred headings over left-aligned figures ---------------------------------------

def test_word_table_shipped_before_ordered_short_delivery_is_not_vouched_as_complete() -> None:
    """A packing slip typed as a word-processor table: 'Item | Description | Shipped | Ordered | Unit',
    'Shipped' and 'Ordered' cells 180 px wide with their headings centred, figures left-aligned (the default). Shipped 48 of
    60 and 20 of 24. Each figure sits at its cell's left edge, left of its own centred heading and under no
    heading word; 1de5cfa's _past_orphan_figures gives such figures to the heading on their LEFT, so the
    shipped figures go to 'Description' and the ORDERED 60 / 24 land alone in the quantity cell — the PO
    (which expects what was ordered) vouches for them: both short deliveries shown as complete, no ⚠. On the
    dock nobody checks a line the bot shows sure; the missing 12 cases and 4 bags are never claimed from the
    supplier and the stock count is wrong. Regression: 2cad381 read 48 / 30 / 20. Right: 48 / 30 / 20 (or
    the lines marked). Fails on HEAD: (60, sure), (24, sure)."""
    columns = [("Item", 130, False), ("Description", 380, False), ("Shipped", 180, True),
               ("Ordered", 180, True), ("Unit", 100, True)]
    rows = [[sku, name, str(shipped), str(ordered), "cs"] for sku, name, ordered, shipped in ITEMS]
    slip = parse_slip(US_HEAD + word_table(columns, rows), SHORT_PO)
    _right_or_marked(slip, {sku: shipped for sku, _, _, shipped in ITEMS})


def test_word_table_ordered_shipped_back_order_does_not_read_the_back_order_as_shipped() -> None:
    """The usual US order: 'Item | Description | Ordered | Shipped | B/O' as a word-processor table
    (headings centred, figures left-aligned, 'Ordered' and 'Shipped' cells 180 px, 'B/O' 130 px). _past_orphan_figures moves every cut one
    column to the right: the ordered figures go to 'Description', the shipped ones to 'Ordered', and the
    BACK-ORDER figure lands alone in the quantity cell: 12 read for the 48 that came and 4 for the 20, both
    shown sure (the 0 of the full line is marked far off the PO). The receipt books 12 cases of 60 and
    4 bags of 24; the goods physically on the dock are 48 and 20 — stock short by 52 with nobody told.
    Regression: 2cad381 read 48 / 30 / 20. Right: 48 / 30 / 20 (or marked). Fails on HEAD: (12, sure),
    (4, sure)."""
    columns = [("Item", 130, False), ("Description", 380, False), ("Ordered", 180, True),
               ("Shipped", 180, True), ("B/O", 130, True)]
    rows = [[sku, name, str(ordered), str(shipped), str(ordered - shipped)] for sku, name, ordered, shipped in ITEMS]
    slip = parse_slip(US_HEAD + word_table(columns, rows), SHORT_PO)
    _right_or_marked(slip, {sku: shipped for sku, _, _, shipped in ITEMS})


def test_word_table_unit_price_after_the_quantity_is_not_read_as_the_quantity() -> None:
    """'Item | Description | Ordered | Qty | Price' as a word-processor table (headings centred, figures
    left-aligned; 'Price' is no heading the vocabulary knows — which is fine as long as its figures stay
    out of the quantity cell). _past_orphan_figures hands the Qty column's figures to 'Ordered' and the PRICE
    12.50 lands alone in the quantity cell: every line reads 12.50 cases, sure. Regression: 2cad381 read
    48 / 30 / 20 (marked: rivals). Right: 48 / 30 / 20, marked or not. Fails on HEAD: (12.50, sure) three
    times."""
    columns = [("Item", 130, False), ("Description", 380, False), ("Ordered", 180, True),
               ("Qty", 120, True), ("Price", 130, True)]
    rows = [[sku, name, str(ordered), str(shipped), "12.50"] for sku, name, ordered, shipped in ITEMS]
    slip = parse_slip(US_HEAD + word_table(columns, rows), SHORT_PO)
    _right_or_marked(slip, {sku: shipped for sku, _, _, shipped in ITEMS})


# --- HEADING_CUT: a later pallet's rows a little further left ------------------------------------------------

def _box(text: str, x0: float, x1: float, y: float) -> OcrBox:
    return OcrBox(text, 0.999, ((x0, y), (x1, y), (x1, y + 24), (x0, y + 24)))


def test_a_later_pallet_30px_to_the_left_does_not_put_the_back_order_alone_in_the_quantity_cell() -> None:
    """Goods grouped by pallet read as one table under the first heading row 'Item | Description | Ordered |
    Shipped | B/O' (headings and figures left-aligned in tight cells, 10 px inside, 20 px apart), the second
    pallet's rows printed 30 px further left — the commit's own motivating case (2703:33) with 30 px instead
    of 25. No x passes between every row's figures. HEADING_CUT forbids the cut through 'Ordered', so it
    goes through the later rows' shipped figures (607-633/646) and puts them in the ORDERED column; the
    back-order figure (728-754, left of the 'B/O' cut) is then alone in the quantity cell: 4 read for the
    20 bags that came and 50 for the 200 rolls, both sure: the receipt books 4 of 24 and 50 of 250, while 20
    and 200 stand on the dock. 9f907c9 (8850fd6's parent) cut through 'Ordered' and kept 20 and 200 in the
    quantity cell beside the back order (marked: rival). Regression of 8850fd6 (fails on 2cad381 too).
    Right: 20 and 200, or marked. Fails on HEAD: (4, sure) and (50, sure)."""
    head = [_box("Item", 40, 92, 160), _box("Description", 161, 304, 160), _box("Ordered", 516, 607, 160),
            _box("Shipped", 637, 728, 160), _box("B/O", 758, 797, 160)]
    pallet1 = [_box("LP-2040", 40, 131, 200), _box("Kraft mailer box 12x9", 161, 434, 200),
               _box("60", 516, 542, 200), _box("48", 637, 663, 200), _box("12", 758, 784, 200),
               _box("LP-3310", 40, 131, 240), _box("Tissue paper white", 161, 395, 240),
               _box("30", 516, 542, 240), _box("30", 637, 663, 240), _box("0", 758, 771, 240)]
    pallet2 = [_box("LP-5012", 10, 101, 280), _box("Paper bag, twisted handle", 131, 456, 280),
               _box("24", 486, 512, 280), _box("20", 607, 633, 280), _box("4", 728, 741, 280),
               _box("LP-6120", 10, 101, 320), _box("Bubble wrap roll", 131, 339, 320),
               _box("120", 486, 525, 320), _box("120", 607, 646, 320), _box("0", 728, 741, 320),
               _box("LP-7731", 10, 101, 360), _box("Packing tape clear", 131, 365, 360),
               _box("250", 486, 525, 360), _box("200", 607, 646, 360), _box("50", 728, 754, 360)]
    expected = Expected(orders=(ExpectedOrder("PO-4410", "Lakeside Paper Goods Inc.", tuple(
        ExpectedItem((sku,), "cases", Decimal(qty)) for sku, qty in
        (("LP-2040", 60), ("LP-3310", 30), ("LP-5012", 24), ("LP-6120", 120), ("LP-7731", 250)))),))
    slip = parse_slip(US_HEAD + head + pallet1 + pallet2, expected)
    got = {sku: (qty, doubtful) for sku, qty, doubtful in _got(slip)}
    for sku, delivered in (("LP-5012", 20), ("LP-7731", 200)):
        qty, doubtful = got[sku]
        assert qty == delivered or doubtful or qty is None, (sku, qty, "delivered", delivered, got)


# --- older: the spreadsheet fix needs two figures --------------------------------------------------------------

def test_a_one_line_spreadsheet_slip_s_short_delivery_is_not_vouched_as_complete() -> None:
    """outside review 10's spreadsheet slip ('Item | Description | Ordered | Qty Shipped | B/O', headings left
    in their cells, figures right-aligned, cells 60 px wider than their headings) with ONE goods line: 48 of
    60 shipped. _past_orphan_figures wants at least two orphan figures, so with one line the cut stays in the
    widest gap: the ordered 60 lands in the quantity cell and the PO vouches for it — the short delivery shown
    as complete, no ⚠. One-line slips (a single pallet, a single product) are the most common slips there
    are. Not a regression (2cad381 and 9f907c9 read the same); 1de5cfa fixes slips of two lines or more
    only. Right: 48, or marked. Fails on HEAD: (60, sure, qty.po)."""
    headings = ["Item", "Description", "Ordered", "Qty Shipped", "B/O"]
    rows = [["LP-2040", "Kraft mailer box 12x9", "60", "48", "12"]]
    slip = parse_slip(US_HEAD + spreadsheet([(h, i >= 2) for i, h in enumerate(headings)], rows, 60), SHORT_PO)
    _right_or_marked(slip, {"LP-2040": 48})
