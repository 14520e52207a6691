"""Outside review (attack 9) of e1f37cb, cac132c, f128bed and 35a3b42: the 'Ordered' column left out of the
reading by item code, the quantity heading's column searched under the item, a day-month-year with two
separators passed over, a lot split beside its date marked, a row continuing an item's name taken as that
item's row (also its barcode line), Dutch 'Aant.' and 'TGT', a figure nearer an ordered heading a rival, and
a code of figures only keeping its row.

Found:
- table._under_another_amount marks every small delivery on clean, Excel-style slips (headings left in their
  cells, figures right-aligned) whose delivered column has a long heading and a short back-order heading
  beside it ('Liefermenge | Offen', 'Qty Shipped | B/O', 'Qtà consegnata | Residuo'): the figure's middle is
  nearer the next heading's middle than its own. The PO no longer vouches for quantities it matches exactly.
- 'Aant.' in the quantity words makes every Dutch 'Aant. besteld | Aant. geleverd', 'Besteld | Aant. geleverd'
  or 'Aant. colli | Aantal' heading a quantity named twice: every line ⚠ on clean slips read right before.
- table._line keeping a row whose code cell holds five figures or more keeps rows that are no items at all:
  the expiry printed under the article number, the receiving date of the signature block under the table.
- The barcode line rule (table._runs_on) knows 'EAN:' but not 'EAN-Code:', 'EAN-Nr.', 'Barcode:', 'UPC-A:':
  with the now understood 'Aant.' heading such a line is an invented item, its figure shown sure.
- The name-continues rule (table._runs_on) only knows a second line starting in lower case: the same wrapped
  name whose second line starts with a figure or a bracket ('305x215x50 mm', '(with window)'), as wrapped
  names very often do, is still an invented item, and the ordered figure is vouched for by the PO.
- An item's EAN printed under its article number, in the code column: an invented item.
- A lot with a hyphen of its own before a month and year, the spaces lost ('L2304-12/05/2029', the very
  shape cac132c reads for '88617-02/2028'), is read sure as lot 'L2304' expiring 12 May.

Each test fails on 35a3b42 (HEAD) and says what is right (the value, or ⚠). Where a test says "aedbca8 read
it", the same boxes read right before the four commits (a regression). Hand-made OCR boxes (no OCR runs),
cells scored as RapidOCR scores crisp print.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from integrations.slips import Expected, ExpectedItem, ExpectedOrder
from integrations.slips.layout import OcrBox
from integrations.slips.parser import parse_slip
from models.packing_slip import PackingSlip
from tests.slip_boxes import boxes_of, cells_under, spreadsheet


def _got(slip: PackingSlip) -> list[tuple[str | None, Decimal | None, bool]]:
    return [(line.sku.value, line.quantity.value, line.quantity.doubtful) for line in slip.lines]


# --- table._under_another_amount: over-marks clean slips ---------------------------------------------------

US_HEAD = boxes_of(["Lakeside Paper Goods Inc.", "Packing Slip"], ["PO Number:", "PO-4410"])
DE_HEAD = boxes_of(["Lakeside Papierwaren GmbH", "Lieferschein"], ["Bestell-Nr.:", "PO-4410"])
IT_HEAD = boxes_of(["Lakeside Carta S.r.l.", "Documento di trasporto"], ["Ordine n.:", "PO-4410"])
PAPER_PO = Expected(orders=(ExpectedOrder("PO-4410", "Lakeside Paper Goods Inc.", (
    ExpectedItem(("LP-2040",), "cases", Decimal(6)), ExpectedItem(("LP-3310",), "cases", Decimal(3)),
    ExpectedItem(("LP-5012",), "cases", Decimal(24)))),))


@pytest.mark.parametrize(("head", "headings"), [
    (US_HEAD, ["Item", "Description", "U/M", "Ordered", "Qty Shipped", "B/O"]),
    (DE_HEAD, ["Art.-Nr.", "Bezeichnung", "ME", "Bestellt", "Liefermenge", "Offen"]),
    (IT_HEAD, ["Codice", "Descrizione", "UM", "Ordinata", "Qta consegnata", "Residuo"]),
], ids=["us", "de", "it"])
def test_right_aligned_figures_under_a_long_heading_beside_a_short_back_order_heading_are_no_rivals(
        head: list[OcrBox], headings: list[str]) -> None:
    """A clean, printed slip as office software lays it out: headings left in their cells, figures
    right-aligned, each cell a little wider than its heading ('Item | Description | U/M | Ordered | Qty
    Shipped | B/O', 'Bestellt | Liefermenge | Offen', 'Ordinata | Qtà consegnata | Residuo'). Everything was
    delivered (6 of 6, 3 of 3, 24 of 24, back order 0). A delivered figure ends at its cell's right edge,
    20 px before the short back-order heading starts: its middle is nearer that heading's middle than the
    middle of its own long heading, so table._under_another_amount (35a3b42) calls it a figure under
    another amount — every line a rival, ⚠, and the PO's exact agreement no longer vouches for it. Nothing
    on the slip is doubtful: the cut between the columns put each figure in its own cell. aedbca8 read all
    three PO-vouched, no ⚠. Right: no ⚠ (the figure lies inside its own cell and no other figure is near).
    Fails on HEAD: all three lines qty.rival, ⚠."""
    rows = [["LP-2040", "Kraft mailer box 12x9", "cs", "6", "6", "0"],
            ["LP-3310", "Tissue paper white", "cs", "3", "3", "0"],
            ["LP-5012", "Paper bag, twisted handle", "cs", "24", "24", "0"]]
    slip = parse_slip(head + spreadsheet([(h, i >= 3) for i, h in enumerate(headings)], rows), PAPER_PO)
    assert _got(slip) == [("LP-2040", 6, False), ("LP-3310", 3, False), ("LP-5012", 24, False)]


# --- vocab 'Aant.': a quantity named twice on ordinary Dutch headings -------------------------------------

NL_HEAD = boxes_of(["Bakker Etiketten B.V.", "PAKBON"], ["Inkoopordernr.", "PO-000943"])
NL_PO = Expected(orders=(ExpectedOrder("PO-000943", "Bakker Etiketten B.V.", (
    ExpectedItem(("T-3633-T",), "g", Decimal(250)), ExpectedItem(("T-3180-E",), "l", Decimal(24)))),))


@pytest.mark.parametrize("headings", [
    ["Code", "Omschrijving", "Aant. besteld", "Aant. geleverd", "Eenheid"],
    ["Code", "Omschrijving", "Besteld", "Aant. geleverd", "Eenheid"],
    ["Code", "Omschrijving", "Aant. besteld", "Geleverd", "Eenheid"],
    ["Code", "Omschrijving", "Aant. colli", "Aantal", "Eenheid"],
])
def test_dutch_headings_with_aant_are_no_quantity_named_twice(headings: list[str]) -> None:
    """Dutch pakbonnen abbreviate 'aantal' in compound headings: 'Aant. besteld | Aant. geleverd' (ordered,
    delivered), 'Besteld | Aant. geleverd', 'Aant. colli | Aantal' (the number of packages, then the count).
    With r"aant\\." now a quantity word (35a3b42), 'Aant.' and 'geleverd' (or 'Aantal') are two quantity
    headings: table._quantity_twice takes the last column as a guess and marks every line a rival, so a
    clean slip whose every figure the PO confirms is all ⚠. aedbca8 read both lines PO-vouched, no ⚠ ('Aant.'
    unknown, 'besteld' the ordered column, 'geleverd'/'Aantal' the quantity). Right: 'Aant.' before another
    word of the same heading cell ('besteld', 'geleverd', 'colli') is part of that heading, not a second
    quantity; 250 and 24 shown vouched. Fails on HEAD: both qty.rival, ⚠."""
    rows = cells_under((headings, ["T-3633-T", "Nootmuskaat gemalen", "250", "250", "g"],
                        ["T-3180-E", "Slagroom 35%", "24", "24", "liter"]), 3, (40, 160, 480, 680, 880))
    slip = parse_slip(NL_HEAD + rows, NL_PO)
    assert _got(slip) == [("T-3633-T", 250, False), ("T-3180-E", 24, False)]


# --- table._line: a code cell of figures only keeps rows that are no items --------------------------------

MILL = boxes_of(["Muehle Weber GmbH", "Lieferschein"], ["Bestell-Nr.: PO-4410", "Datum: 05.08.2027"])
MILL_PO = Expected(orders=(ExpectedOrder("PO-4410", "Muehle Weber GmbH", (
    ExpectedItem(("WM-405",), "cases", Decimal(4)), ExpectedItem(("RM-997",), "cases", Decimal(2)))),))
MILL_HEADINGS = ["Art.-Nr.", "Bezeichnung", "Menge", "Einheit"]
MILL_COLUMNS = (40, 300, 560, 680)


@pytest.mark.parametrize("under_code", ["12.05.2029", "2029-05-12", "05/2029"])
def test_an_expiry_printed_under_the_item_code_is_no_item(under_code: str) -> None:
    """Two-line items as many wholesalers print them: the article number, and under it the best-before
    date ('12.05.2029', ISO '2029-05-12', or month and year '05/2029'), unlabelled, in the same column. The
    date row has no quantity; table._line now keeps a row without a quantity when its code cell holds five
    figures or more (35a3b42, for '0883.464'), and a date has eight: an invented goods line with the code
    '12.05.2029' (marked 'not on the PO', but a line nobody delivered). aedbca8 dropped the row. Right: no
    line for the date (at best it is the item's expiry, marked). Fails on HEAD: a third line."""
    rows = cells_under((MILL_HEADINGS, ["WM-405", "Weizenmehl T405", "4", "Sack"], [under_code, "", "", ""],
                        ["RM-997", "Roggenmehl T997", "2", "Sack"]), 4, MILL_COLUMNS)
    slip = parse_slip(MILL + rows, MILL_PO)
    assert [line.sku.value for line in slip.lines] == ["WM-405", "RM-997"], _got(slip)


def test_the_date_of_the_receipt_signature_under_the_table_is_no_item() -> None:
    """The receiving block under the goods: the date written or stamped at the left ('05.08.2027'), a line
    for the signature, and under them 'Datum' and 'Unterschrift Empfänger'. The date sits in the code
    column's x-range and holds eight figures: table._line keeps it as an item without a quantity (35a3b42),
    an invented goods line with the code '05.08.2027'. aedbca8 dropped it. Right: two lines. Fails on HEAD:
    a third line."""
    rows = cells_under((MILL_HEADINGS, ["WM-405", "Weizenmehl T405", "4", "Sack"],
                        ["RM-997", "Roggenmehl T997", "2", "Sack"]), 4, MILL_COLUMNS)
    rows += cells_under((["05.08.2027", "", "______________"], ["Datum", "", "Unterschrift Empfaenger"]), 8,
                        (40, 300, 560))
    slip = parse_slip(MILL + rows, MILL_PO)
    assert [line.sku.value for line in slip.lines] == ["WM-405", "RM-997"], _got(slip)


def test_an_ean_printed_under_the_article_number_is_no_item() -> None:
    """'Art.-Nr.' with the item's EAN printed under it in the same column (a common German layout: code,
    and below it '4006524928260'), no quantity on that line. The barcode-line rule (table._runs_on,
    35a3b42) only looks at the description, and the code cell holds a 13-digit number: each EAN is read as
    an item of its own (two invented lines, 'code not on the PO'). aedbca8 did the same (not a regression:
    the rule written for an item's barcode line is bypassed by the same barcode one column to the left).
    Right: two lines. Fails on HEAD: four lines."""
    rows = cells_under((MILL_HEADINGS, ["WM-405", "Weizenmehl T405", "4", "Sack"], ["4006524928260", "", "", ""],
                        ["RM-997", "Roggenmehl T997", "2", "Sack"], ["4006524928277", "", "", ""]), 4, MILL_COLUMNS)
    slip = parse_slip(MILL + rows, MILL_PO)
    assert [line.sku.value for line in slip.lines] == ["WM-405", "RM-997"], _got(slip)


# --- table._runs_on: bypassed by near-identical real cases -------------------------------------------------

def _figure(text: str, x: float, y: float) -> OcrBox:
    return OcrBox(text, 0.999, ((x, y), (x + 39, y), (x + 39, y + 24), (x, y + 24)))


@pytest.mark.parametrize("label", ["EAN-Code:", "EAN-Nr.", "Barcode:", "UPC-A:"])
def test_an_item_s_barcode_line_under_any_usual_label_is_the_item_s(label: str) -> None:
    """The shape of test_slip_rivals' 2703:11 case ('Besteld  Aant.' close on a photo, the delivered 240
    written lower in its cell, on the item's barcode line), with the barcode labelled as suppliers also
    label it: 'EAN-Code: 4085595744085', 'EAN-Nr.', 'Barcode:', 'UPC-A: 408559574408'. goods.BARCODE only
    knows 'EAN', 'EAN-13', 'GTIN', 'UPC' glued to the figures, so table._runs_on does not see a barcode line:
    an invented item without a code, its 240 shown sure. aedbca8 did not invent it on this slip for
    'EAN-Code:', 'EAN-Nr.', 'UPC-A:' ('Aant.' was no heading it knew: a regression of the new heading word);
    for 'Barcode:' it invented one too (code 4085595744085), and with 'Aantal' it did for every label.
    Right: one line, the item's, marked. Fails on HEAD: a second line (None, 240, sure)."""
    rows = cells_under((["Code", "Omschrijving", "Besteld", "Aant.", "Eenheid"],
                        ["T-3633-T", "Nootmuskaat gemalen", "", "", "g"],
                        ["", f"{label} {'408559574408' if label.startswith('UPC') else '4085595744085'}", "", "",
                         ""]), 3, (40, 160, 480, 580, 700))
    slip = parse_slip(NL_HEAD + rows + [_figure("250", 545, 160), _figure("240", 620, 200)], NL_PO)
    assert [line.sku.value for line in slip.lines] == ["T-3633-T"], _got(slip)
    assert slip.lines[0].quantity.doubtful


GB_HEAD = boxes_of(["Thames Valley Ingredients Ltd", "Despatch Note"], ["Order No.", "PO 7648"])
GB_PO = Expected(orders=(ExpectedOrder("PO 7648", "Thames Valley Ingredients Ltd", (
    ExpectedItem(("038885",), "pcs", Decimal(2003)), ExpectedItem(("016482",), "kg", Decimal(2285)))),))


@pytest.mark.parametrize("second_line", ["305x215x50 mm", "(with window)", "- with window"])
def test_a_name_s_second_line_starting_with_a_figure_or_bracket_continues_it_too(second_line: str) -> None:
    """The 2704:0 shape f128bed was written for ('Kraft gift box with  2003' and under it the delivered
    'window  2000'), with the name's second line as wrapped names very often start: the box's size
    ('305x215x50 mm'), a bracket or a dash ('(with window)', '- with window'). table._runs_on only takes a
    row whose name starts in lower case: these are still read as an item without a code (2000 pieces of
    '305x215x50 mm', sure), and the item is vouched for by the PO at the ordered 2003, sure - the invented
    line and the silent error the rule removed, back on the next slip. aedbca8 did the same (not a
    regression: a bypass). Right: one line for 038885, its quantity 2000 or 2003 marked. Fails on HEAD:
    three lines, 2003 sure."""
    rows = cells_under((["Code", "Description", "Qty", "Unit"],
                        ["038885", "Kraft gift box with", "2003", "units"], ["", second_line, "2000", ""],
                        ["016482", "Strong white bread flour", "2285", "kg"]), 3, (40, 160, 480, 620))
    slip = parse_slip(GB_HEAD + rows, GB_PO)
    assert [line.sku.value for line in slip.lines] == ["038885", "016482"], _got(slip)
    assert slip.lines[0].quantity.doubtful or slip.lines[0].quantity.value == 2000, slip.lines[0].quantity


# --- values / table._lot_cell: a lot with its own hyphen before a month and year --------------------------

def test_a_hyphenated_lot_before_a_month_and_year_is_not_read_sure_as_a_day() -> None:
    """cac132c's own shape: a 'Partij / Houdbaar tot' cell printing 'lot - MM/YYYY', the OCR losing the
    spaces ('88617-02/2028' is lot 88617, February 2028). With a lot that has a hyphen of its own, 'L2304-12
    - 05/2029' reads 'L2304-12/05/2029': lot 'L2304' and 12 May 2029, both sure. With the spaces kept
    ('L2304-12 / 05/2029') HEAD reads lot 'L2304-12' and 31 May 2029. Which is meant the cell cannot tell
    (lot L2304 expiring 12/05/2029 reads the same): a guess, shown as a fact - on the real shape, the lot and
    the expiry are both silently wrong. aedbca8 read the same (not a regression). Right: lot 'L2304-12' and
    May 2029, or the lot and the expiry marked. Fails on HEAD: ('L2304', 2029-05-12), neither marked."""
    rows = cells_under((["Artikelnr.", "Omschrijving", "Aantal", "Eenh.", "Partij / Houdbaar tot"],
                        ["T-3633-T", "Nootmuskaat gemalen", "250", "g", "L2304-12/05/2029"]), 3,
                       (40, 160, 480, 620, 760))
    line = parse_slip(NL_HEAD + rows, NL_PO).lines[0]
    right = (line.lot.value, line.expiry.value) == ("L2304-12", date(2029, 5, 31))
    assert right or (line.lot.doubtful and line.expiry.doubtful), (line.lot, line.expiry)
