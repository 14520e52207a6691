"""Outside review (attack 14) of 077597b (table._guessed_quantity_cut: a figure under no heading word between
the quantity heading and a neighbouring amount column, or an unknown heading to its right, marks EVERY line's
quantity as a rival; table._line: a struck quantity figure gives way to a bare figure in the unit's cell) and
8850fd6 before it (table.HEADING_CUT).

Found:
- Silent (older, not reached by the gap rule): 'Order Qty | Shipped' / 'Order Qty | Delivered' heading cells
  read as ONE quantity heading 'Qty  Shipped' (the quantity pattern qty\\s*shipped runs across the two cells),
  so no ordered column exists and the gap rule has nothing to look at; a line shipped 0 or 2 of 60 / 24 has
  both figures in the quantity cell, the small one is not 'comparable' (_comparable: < 1/10), and the ordered
  figure is taken and vouched by the PO.
- Silent (older): the gap rule looks for unknown headings only to the RIGHT of the quantity. A spreadsheet
  slip whose ordered column has a heading the vocabulary does not know on the LEFT ('Auftragsmenge |
  Liefermenge', 'Sollmenge | Menge', 'Requested | Shipped', 'Expected | Delivered') reads the ordered
  figures alone in the quantity cell, vouched.
- Over-marking (regressions): the 'unknown heading to its right' gap runs from the quantity heading to the
  FIRST unknown heading word, across every column between: on the very common quantity-first layout
  'Qty | Item | Description | Price | Total' a size in one description ('Kraft mailer box 12x9') marks every
  line of the slip; so does a unit cell 'Case of 12' before a 'Price' column. And one single-digit figure
  right-aligned past its heading on a tight spreadsheet (cells 20 px wider than their headings) marks every
  line of a complete delivery whose columns the widest-gap cut separated correctly.
- Struck swap (regression in value): a unit cell holding a content ('33 cl' under the Spanish 'Medida') is a
  'bare figure' (cl/ml are not MEASURES): where the delivered figure is written in front of the struck printed
  one, 2cad381 read it (marked); 077597b reads 33.

Hand-made OCR boxes (no OCR runs), 13 px a character, scored as RapidOCR scores crisp print. "Regression" =
2cad381's table.py (077597b's grandparent, before _past_orphan_figures and _guessed_quantity_cut; the files
between differ only in overprint.py, no behaviour change) reads it right, checked by running the same boxes on
an export of 2cad381. Each test fails on 077597b.
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from integrations.slips import Expected, ExpectedItem, ExpectedOrder
from integrations.slips.evidence import STRUCK
from integrations.slips.layout import OcrBox
from integrations.slips.parser import parse_slip
from models.packing_slip import PackingSlip
from tests.slip_boxes import boxes_of, cells_under, spreadsheet, word_box, word_table

US_HEAD = boxes_of(["Lakeside Paper Goods Inc.", "Packing Slip"], ["PO Number:", "PO-4410"])


def _po(items: list[tuple[str, int]], supplier: str = "Lakeside Paper Goods Inc.", unit: str = "cases") -> Expected:
    return Expected(orders=(ExpectedOrder("PO-4410", supplier, tuple(
        ExpectedItem((sku,), unit, Decimal(qty)) for sku, qty in items)),))


def _got(slip: PackingSlip) -> list[tuple[str | None, Decimal | None, bool, str]]:
    return [(line.sku.value, line.quantity.value, line.quantity.doubtful, line.quantity.how) for line in slip.lines]


def _right_or_marked(slip: PackingSlip, delivered: dict[str, int]) -> None:
    got = _got(slip)
    assert [sku for sku, *_ in got] == list(delivered), got
    for sku, qty, doubtful, how in got:
        assert qty == delivered[sku] or doubtful or qty is None, (
            "shown sure but wrong", sku, qty, how, "delivered", delivered[sku], got)


def _none_marked(slip: PackingSlip, delivered: dict[str, int]) -> None:
    got = _got(slip)
    assert [(sku, qty) for sku, qty, *_ in got] == [(sku, Decimal(q)) for sku, q in delivered.items()], got
    assert not [line for line in got if line[2]], ("every line marked", got)


# --- (a) silent: an ordered column the gap rule never sees ----------------------------------------------------

@pytest.mark.parametrize("shipped_heading", ["Shipped", "Delivered"])
def test_order_qty_beside_shipped_is_an_ordered_column_and_nothing_shipped_is_not_vouched_as_complete(
        shipped_heading: str) -> None:
    """Input: a word-processor packing slip 'Item | Description | Order Qty | Shipped | Unit' (headings centred
    in 150 px cells, figures left-aligned), one line shipped 0 of 60 (all back-ordered), one 30 of 30, one 2 of
    24. What happens: the heading row's text 'Order Qty  Shipped' matches the quantity pattern qty\\s*shipped
    across the two cells (longest reading wins), so ONE quantity column spans both cells and no ordered column
    exists: _guessed_quantity_cut has no amount neighbour to look at. The quantity cell holds '60 0' and
    '24 2'; 0 and 2 are not 'comparable' with 60 / 24 (_comparable: under a tenth), so they are no rival, the
    ordered figure is taken and the PO (which expects what was ordered) vouches for it: 60 and 24 shown sure.
    Right: 0 and 2 (or the lines marked). Why it matters: the worst outcome — nothing came for LP-2040 and the
    bot books 60 cases with no ⚠; nobody claims the back order and stock is 58 cases high. 'Order Qty' is a
    stock heading of US ERP packing slips. Older: 2cad381 and 9f907c9 read the same; 077597b's gap rule marks
    the same table when a 'B/O' column follows (an amount neighbour), but not with 'Unit'. Fails on HEAD:
    (60, sure, qty.po), (24, sure, qty.po)."""
    items = (("LP-2040", "Kraft mailer box 12x9", 60, 0), ("LP-3310", "Tissue paper white", 30, 30),
             ("LP-5012", "Paper bag, twisted handle", 24, 2))
    columns = [("Item", 130, False), ("Description", 380, False), ("Order Qty", 150, True),
               (shipped_heading, 150, True), ("Unit", 100, True)]
    rows = [[sku, name, str(ordered), str(shipped), "cs"] for sku, name, ordered, shipped in items]
    slip = parse_slip(US_HEAD + word_table(columns, rows), _po([(sku, o) for sku, _, o, _ in items]))
    _right_or_marked(slip, {sku: shipped for sku, _, _, shipped in items})


DE_HEAD = boxes_of(["Muehle Weber GmbH", "Lieferschein"], ["Ihre Bestellung:", "PO-4410"])
DE_ITEMS = (("MW-1001", "Weizenmehl T550", 60, 48), ("MW-2002", "Roggenmehl", 30, 30), ("MW-3003", "Dinkelmehl", 24, 20))
US_ITEMS = (("LP-2040", "Kraft mailer", 60, 48), ("LP-3310", "Tissue paper", 30, 30), ("LP-5012", "Paper bag", 24, 20))


@pytest.mark.parametrize(("ordered", "shipped", "lot"), [
    ("Auftragsmenge", "Liefermenge", "Charge"), ("Sollmenge", "Menge", "Charge"),
    ("Requested", "Shipped", "Lot"), ("Expected", "Delivered", "Batch")])
def test_an_ordered_column_the_vocabulary_does_not_name_left_of_the_quantity_is_not_vouched(
        ordered: str, shipped: str, lot: str) -> None:
    """Input: a spreadsheet slip (headings left in their cells, figures right-aligned, cells 60 px wider than
    their headings: attack 10's layout) 'Code | Name | <ordered> | <shipped> | <lot>' whose ordered column's
    heading the vocabulary does not know: German 'Auftragsmenge' (order quantity; 'menge' inside the word is no
    quantity heading), 'Sollmenge', or English 'Requested', 'Expected'. 48 of 60 and 20 of 24 came. What
    happens: the ordered figures, right-aligned past their unknown heading, fall into the quantity's cell by
    the widest-gap cut, the delivered ones into the lot's; the quantity cell holds the ordered figure alone and
    the PO vouches for 60 and 24. _guessed_quantity_cut would mark them, but it looks for unknown headings only
    RIGHT of the quantity ('Price'), and an amount neighbour only among named columns. Right: 48 / 30 / 20, or
    the lines marked (the same rule as for 'Ordered' on the left: 'Auftragsmenge' left of the quantity is just
    as much a gap). Why: two short deliveries per slip shown complete, no ⚠. Older (2cad381 reads the same);
    the gap rule's left side misses it. Fails on HEAD: (60, sure, qty.po), (24, sure, qty.po)."""
    german = ordered in ("Auftragsmenge", "Sollmenge")
    items, head = (DE_ITEMS, DE_HEAD) if german else (US_ITEMS, US_HEAD)
    headings = ["Artikel", "Bezeichnung"] if german else ["Item", "Description"]
    headings += [ordered, shipped, lot]
    rows = [[sku, name, str(o), str(s), "L2304A"] for sku, name, o, s in items]
    expected = _po([(sku, o) for sku, _, o, _ in items], "Muehle Weber GmbH" if german else "Lakeside Paper Goods Inc.",
                   "kg" if german else "cases")
    slip = parse_slip(head + spreadsheet([(h, i in (2, 3)) for i, h in enumerate(headings)], rows, 60), expected)
    _right_or_marked(slip, {sku: s for sku, _, _, s in items})


# --- (b) over-marking: ordinary slips read right before, every line marked now ------------------------------

FULL = (("LP-2040", "Kraft mailer box 12x9", 48), ("LP-3310", "Tissue paper white", 30),
        ("LP-5012", "Paper bag, twisted handle", 20))


def test_a_size_in_one_description_does_not_mark_every_line_of_a_quantity_first_slip() -> None:
    """Input: the most common US invoice / packing-list layout, quantity FIRST: 'Qty | Item | Description |
    Price | Total', cells left-aligned under their headings (cells_under), a complete delivery the PO expects
    exactly (48 / 30 / 20). One description carries a size, 'Kraft mailer box 12x9'. What happens: 'Price' is
    a heading the vocabulary does not know, right of the quantity, so _guessed_quantity_cut looks for a figure
    under no heading word between the end of 'Qty' and the start of 'Price' — a span that covers the whole Item
    and Description columns. '12x9' lies past the 'Description' heading word: every line's quantity is marked
    as a rival (qty.rival), none vouched. Right: all three vouched (qty.po), as 2cad381 read them: every
    figure sits right under its own heading, nothing is in doubt. Why: a size, weight or count in a long
    description ('Olive oil 5 L', 'Jar 370 ml', 'Screws M6x40') is on most slips; marking every line of every
    such slip trains clerks to click through ⚠. Regression (2cad381: all sure). Fails on HEAD: all three
    (…, True, 'qty.rival')."""
    rows = (["Qty", "Item", "Description", "Price", "Total"],
            *([str(q), sku, name, "12.50", f"{q * 12.5:.2f}"] for sku, name, q in FULL))
    slip = parse_slip(US_HEAD + cells_under(rows, 4, (40, 120, 260, 640, 780)), _po([(s, q) for s, _, q in FULL]))
    _none_marked(slip, {sku: q for sku, _, q in FULL})


def test_a_pack_size_in_the_unit_cell_before_a_price_column_does_not_mark_every_line() -> None:
    """Input: 'Item | Description | Qty | Unit | Price' (cells left-aligned under their headings), the unit
    printed as 'Case of 12', a complete delivery the PO expects exactly. What happens: the gap to the unknown
    'Price' runs from the end of 'Qty' across the whole Unit column; '12' of 'Case of 12' lies past the 'Unit'
    heading word: every line marked. Right: all vouched, as 2cad381 read them (nothing stands between the
    quantity and the unit but the unit). Why: 'Case of 12', 'Box of 100', 'Pack 6' are how many suppliers
    print the unit; the rule meant for a price printed right after the quantity fires on the unit column.
    Regression (2cad381: all sure). Fails on HEAD: all three qty.rival."""
    rows = (["Item", "Description", "Qty", "Unit", "Price"],
            *([sku, name, str(q), "Case of 12", "12.50"] for sku, name, q in FULL))
    slip = parse_slip(US_HEAD + cells_under(rows, 4, (40, 160, 500, 600, 800)), _po([(s, q) for s, _, q in FULL]))
    _none_marked(slip, {sku: q for sku, _, q in FULL})


TIGHT = (("LP-2040", "Kraft mailer box", 60), ("LP-3310", "Tissue paper", 30), ("LP-5012", "Paper bag", 6),
         ("LP-6120", "Bubble wrap", 120), ("LP-7731", "Packing tape", 36))


@pytest.mark.parametrize("headings", [
    ["Item", "Description", "Ordered", "Qty Shipped", "Unit"],
    ["Item", "Description", "Qty", "Net Weight", "Lot"]], ids=["ordered-left", "weight-right"])
def test_one_single_digit_figure_does_not_mark_every_line_of_a_tight_spreadsheet(headings: list[str]) -> None:
    """Input: a spreadsheet slip with tight cells (20 px wider than their headings, figures right-aligned),
    five lines, everything delivered as ordered and as the PO expects; one line's figure has a single digit (6
    paper bags). With 'Ordered | Qty Shipped' or 'Qty | Net Weight': every two-digit figure overlaps its own
    heading word, the single '6' (13 px) right-aligned ends 20 px past 'Ordered' / 'Qty' and so lies under no
    heading word, in the gap to the neighbouring amount. What happens: _guessed_quantity_cut answers True for
    the whole table and all five lines are marked (qty.rival), none vouched — although the widest-gap cut
    separated every column correctly (no x in the gap is free of the other rows' figures, so no doubt about
    where the column ends). Right: all five vouched, as 2cad381 read them. Why: a single one-digit line is on
    most slips; a complete, crisply printed delivery asking five ticks trains clerks to click through.
    Regression (2cad381: all sure, qty.po; with cells 10 px wider HEAD is fine). Fails on HEAD: 5 × qty.rival."""
    if headings[2] == "Qty":
        rows = [[sku, name, str(q), f"{q * 2.5:.1f}", "L2304A"] for sku, name, q in TIGHT]
    else:
        rows = [[sku, name, str(q), str(q), "cs"] for sku, name, q in TIGHT]
    slip = parse_slip(US_HEAD + spreadsheet([(h, i in (2, 3)) for i, h in enumerate(headings)], rows, 20),
                      _po([(s, q) for s, _, q in TIGHT]))
    _none_marked(slip, {sku: q for sku, _, q in TIGHT})


# --- (c) the struck swap takes a content for the quantity --------------------------------------------------

def test_a_content_in_the_unit_cell_is_not_taken_for_the_quantity_beside_a_struck_figure() -> None:
    """Input: a Spanish albarán 'Codigo | Descripcion | Cantidad | Medida | Lote' ('Medida' is a unit heading
    in the vocabulary); Medida printed as the content, '33 cl' (cans) and '1 L'. On the first line the clerk
    struck the printed 24 (scored STRUCK by the picture check) and wrote 20 in front of it in the same cell.
    What happens: '33' of '33 cl' is a bare figure to _figure_in_unit_cell ('cl' and 'ml' are not MEASURES,
    only kg/g/l/m are); the quantity cell's score is the struck word's, so 077597b's swap in table._line
    replaces the quantity with 33. Right: 20 (what 2cad381 read, marked — it took the cell's first figure,
    the handwritten one) or nothing. Why: the prefilled value a clerk confirms is 33 cases for 20 that came;
    a clerk clicking through the ⚠ books 13 phantom cases. Regression in value (2cad381: 20, marked). Fails
    on HEAD: 33 (marked)."""
    head = boxes_of(["Bebidas del Sur S.L.", "Albaran"], ["Su pedido:", "PO-4410"])
    expected = Expected(orders=(ExpectedOrder("PO-4410", "Bebidas del Sur S.L.", (
        ExpectedItem(("BEB-1001",), "cases", Decimal(24)), ExpectedItem(("BEB-2002",), "cases", Decimal(12)))),))
    boxes = cells_under((["Codigo", "Descripcion", "Cantidad", "Medida", "Lote"],
                         ["BEB-1001", "Agua mineral", "", "33 cl", "L2304"],
                         ["BEB-2002", "Zumo naranja", "12", "1 L", "L7788"]), 4, (40, 180, 520, 700, 860))
    written = word_box("20", 520, 200)  # handwritten, in front of the printed figure
    printed = word_box("24", 580, 200)
    boxes += [written, OcrBox(printed.text, STRUCK, printed.quad)]
    line = next(line for line in parse_slip(head + boxes, expected).lines if line.sku.value == "BEB-1001")
    assert line.quantity.value in (Decimal(20), None), line.quantity
