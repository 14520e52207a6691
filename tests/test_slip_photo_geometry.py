"""Parse-level failure classes of packing-slip photos (issue 18), on hand-made OCR boxes.

A phone photo blurs single words, skews rows and columns and glues neighbouring cells; the characters the
OCR did read right must still land in the right field. Each test names the class and the code path that
fixes it; the boxes are built as test_slip_failure_classes builds them.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from integrations.slips import Expected, ExpectedItem, ExpectedOrder
from integrations.slips.parser import parse_slip
from tests.test_slip_failure_classes import US_HEAD, boxes_of, printed_table

ORDER = Expected(orders=(ExpectedOrder("BST-83686", "Lacticínios Costa S.A.", (
    ExpectedItem(("HNY-9232",), "cases", Decimal(72)), ExpectedItem(("CRM-9243",), "l", Decimal(24)),
    ExpectedItem(("VAN-4290",), "g", Decimal(224)))),))


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


def test_a_lot_and_its_expiry_in_one_cell_read_by_item_code_is_cut_at_the_date() -> None:
    """'LOT128679/29/01/2027' under a 'Lote/ Val.' heading the photo left unreadable ('Rof.' for 'Ref.'): the
    goods are read by item code, the date is read as the expiry first, and the lot is the code before it —
    not the whole word with the date glued on (tuning slips 32:32 and 32:35, five lots). Marked: only its
    shape says it is the lot. (Fails with goods._before_taken returning the whole word.)"""
    read = parse_slip(boxes_of(
        ["Lacticínios Costa S.A.", "Guia de remessa"], ["Pedido: BST-83686"],
        ["Honey jars 12x250 g", "72 cx", "LOT128679/29/01/2027", "HNY-9232"],
        ["Double cream", "24 l", "2544-655/16/09/2026", "CRM-9243"],
        ["Vanilla pods Bourbon", "224 g", "L2341G/04-06-2028", "VAN-4290"]), ORDER)
    got = [(l.sku.value, l.lot.value, l.expiry.value) for l in read.lines]
    assert got == [("HNY-9232", "LOT128679", date(2027, 1, 29)), ("CRM-9243", "2544-655", date(2026, 9, 16)),
                   ("VAN-4290", "L2341G", date(2028, 6, 4))]
    assert all(l.lot.doubtful for l in read.lines)


def test_the_number_of_a_lot_like_2416_671_is_no_quantity() -> None:
    """'1553.29  2416-671': where the photo blurred the unit (or the heading row), a row's quantity is the one
    number left on it — and '2416' of the lot '2416-671' (or '8' of '8-62001', a 'B-62001' misread) counted as
    a second number, so no quantity was read at all (wider tuning photos: nine lines). A number followed by a
    hyphen and a digit is part of a code, a lot or a date. (Fails without items.QUANTITY's (?!-\\d).)"""
    read = parse_slip(boxes_of(
        ["Épices Lambert SARL", "Bon de livraison"], ["Commande : 4500068672"],
        ["SUG-0403", "Sucre de canne", "1553.29", "2416-671", "16/11/2027"],
        ["CHC-6404", "Chocolat noir 70%", "66", "8-42156", "31/01/2027"]))
    got = [(l.sku.value, l.quantity.value, l.quantity.doubtful, l.lot.value) for l in read.lines]
    assert got == [("SUG-0403", Decimal("1553.29"), True, "2416-671"), ("CHC-6404", 66, True, "8-42156")]


def test_a_bare_number_under_the_other_rows_quantities_is_the_quantity() -> None:
    """'15.793  9': the photo read the unit g as '9', and on a slip without a heading row the item's row then
    holds two bare numbers and no quantity was read (tuning slip 23:23, two lines). The other rows print
    their quantities with units ('2.170,31  Ltr', '31,97  kg') in one column; the bare number in that column
    is the quantity, marked — only its place says so (read without a PO, every quantity found by shape is
    marked). A number in the name ("Typ 2") is not in the column.
    (Fails with parser.best_reading not passing goods.quantity_column to read_region: the line is lost.)"""
    read = parse_slip(boxes_of(["Acme Foods GmbH", "Lieferschein"], ["Bestellnummer: 4500044127"]) + printed_table(
        ["1", "VAN-0791", "Vanilleschoten Bourbon", "15.793", "9", "L2525G"],
        ["2", "CRM-7044", "Schlagsahne 30%", "2.170,31", "Ltr", "LOT264736"],
        ["3", "FLR-6799", "Weizenmehl Type 550", "31,97", "kg", "LOT208887"],
        ["4", "YST-1750", "Trockenhefe Typ 2", "712", "9", "CH52107"], columns=(40, 100, 260, 620, 760, 840)))
    got = [(l.sku.value, l.quantity.value, l.quantity.doubtful, l.lot.value) for l in read.lines]
    assert got == [("VAN-0791", 15793, True, "L2525G"), ("CRM-7044", Decimal("2170.31"), True, "LOT264736"),
                   ("FLR-6799", Decimal("31.97"), True, "LOT208887"), ("YST-1750", 712, True, "CH52107")]


def test_a_label_word_inside_the_goods_does_not_push_the_first_item_into_the_letterhead() -> None:
    """'workach po 25 kg' (Polish 'in sacks of 25 kg', an item's name wrapped onto the next line) reads as a
    PO label: the goods were taken to start after it and the first item was lost (tuning slip 31:35, where
    the photo also left the heading row unread). With the open POs known, a row holding one of the PO's
    codes exactly is goods, so the body starts there at the latest. (Fails with parser._first_item_row
    returning the start it was given: HNY-8468 missing.)"""
    order = Expected(orders=(ExpectedOrder("PO-21203", "Mleczarnia Nowak S.A.", (
        ExpectedItem(("HNY-8468",), "cases", Decimal(2807)), ExpectedItem(("CHC-7900",), "kg", Decimal("2423.07")),
        ExpectedItem(("SUG-7175",), "kg", Decimal(1904)))),))
    read = parse_slip(boxes_of(
        ["Mleczarnia Nowak S.A.", "WZ"], ["Zamówienie nr: PO-21203"], ["Data: 12-02-2026"],
        ["HNY-8468", "Honey jars 12x250 g, w", "2 807", "kart", "CH25150"], ["workach po 25 kg"],
        ["CHC-7900", "Dark chocolate 70%", "2 423,07", "kg", "LOT595817"],
        ["SUG-7175", "Cane sugar fine", "1904", "kg", "CH84817"], ["Dziękujemy"]), order)
    got = [(l.sku.value, l.quantity.value, l.unit.value, l.lot.value) for l in read.lines]
    assert got == [("HNY-8468", 2807, "cases", "CH25150"), ("CHC-7900", Decimal("2423.07"), "kg", "LOT595817"),
                   ("SUG-7175", 1904, "kg", "CH84817")]
