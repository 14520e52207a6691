"""What goes into a table line's item code and lot: a neighbour column's values stay out of them.

Hand-made OCR boxes (one box per cell, as RapidOCR reads crisp print), no OCR runs.
"""
from __future__ import annotations

from datetime import date

from integrations.slips.layout import OcrBox
from integrations.slips.parser import parse_slip
from tests.slip_boxes import boxes_of


def printed_table(*rows: list[str], columns: tuple[int, ...]) -> list[OcrBox]:
    """Cells at the given x, rows from line 2 down; a cell may be several boxes: 'FLR-|1001' (split by OCR)."""
    out = []
    for y, row in enumerate(rows, start=2):
        for x, cell in zip(columns, row, strict=False):
            at = float(x)
            for piece in filter(None, cell.split("|")):
                width = 13.0 * len(piece)
                out.append(OcrBox(piece, 0.999, ((at, 40.0 * y), (at + width, 40.0 * y),
                                                 (at + width, 40.0 * y + 24), (at, 40.0 * y + 24))))
                at += width + 2  # OCR split one printed word: the boxes touch
    return out


UK_HEAD = boxes_of(["Dairy Fresh Ltd", "DELIVERY NOTE"], ["Your order: PO-77", "Date: 12/03/2026"])
DE_HEAD = boxes_of(["Müller Mühle GmbH", "Lieferschein"], ["Ihre Bestellung: PO-77", "Datum: 12.03.2026"])


def test_weight_and_ean_headings_give_their_numbers_a_column_of_their_own() -> None:
    """'Lotto | Peso netto', 'Art.-Nr. | GTIN': named, their numbers are not the lot's or the code's, and the
    lot and code under their own headings stay sure (mutation: without the 'weight' and 'ean' column words
    the cells hold both and are only marked)."""
    read = parse_slip(UK_HEAD + printed_table(["Code", "Description", "Qty", "Unit", "Lot", "Net weight"],
                                              ["CHS-1001", "Cheddar mature", "6", "each", "B2304", "30.50"],
                                              ["BTR-2003", "Butter unsalted", "20", "kg", "B2306", "120.00"],
                                              columns=(40, 200, 520, 620, 720, 880)))
    assert [(line.lot.value, line.lot.doubtful) for line in read.lines] == [("B2304", False), ("B2306", False)]
    read = parse_slip(DE_HEAD + printed_table(["Art.-Nr.", "GTIN", "Bezeichnung", "Menge", "Einheit", "Charge"],
                                              ["FLR-1001", "4006381333931", "Weizenmehl", "500", "kg", "L2304A"],
                                              ["SUG-2002", "4006381333948", "Zucker", "100", "kg", "L2305B"],
                                              columns=(40, 160, 380, 640, 760, 880)))
    assert [(line.sku.value, line.sku.doubtful) for line in read.lines] == [("FLR-1001", False),
                                                                            ("SUG-2002", False)]


def test_a_quantity_heading_with_net_is_no_weight_column() -> None:
    """'Net Qty', 'Menge netto' are the quantity's heading: 'net' there names no weight column (mutation:
    drop the look-around on net/netto and the quantity cell loses its numbers)."""
    read = parse_slip(UK_HEAD + printed_table(["Code", "Description", "Net Qty", "Unit", "Lot"],
                                              ["CHS-1001", "Cheddar mature", "6", "each", "B2304"],
                                              columns=(40, 200, 520, 640, 740)))
    assert (read.lines[0].quantity.value, read.lines[0].quantity.doubtful) == (6, False)
    read = parse_slip(DE_HEAD + printed_table(["Art.-Nr.", "Bezeichnung", "Menge netto", "Einheit", "Charge"],
                                              ["FLR-1001", "Weizenmehl", "500", "kg", "L2304A"],
                                              columns=(40, 200, 520, 680, 800)))
    assert (read.lines[0].quantity.value, read.lines[0].quantity.doubtful) == (500, False)


def test_a_neighbour_s_value_printed_apart_in_the_lot_cell_is_not_glued_on() -> None:
    """An unknown heading ('Stellplatz', a storage bay) beside the batch: its numbers fall into the batch's
    cell, printed a column gap away. They are two values, not one code the OCR split: the lot is the code
    among them, marked (mutation: `_code` ignoring `apart` reads 'B230412' sure)."""
    read = parse_slip(UK_HEAD + printed_table(["Code", "Description", "Qty", "Unit", "Batch", "Stellplatz"],
                                              ["CHS-1001", "Cheddar mature", "6", "each", "B2304", "12"],
                                              ["BTR-2003", "Butter unsalted", "20", "kg", "B2306", "4711"],
                                              columns=(40, 200, 520, 620, 720, 880)))
    lots = [line.lot for line in read.lines]
    assert all(lot.value in ("B2304", "B2306") or lot.doubtful for lot in lots), lots
    assert lots[1].value == "B2306" and lots[1].doubtful


def test_a_code_the_ocr_split_into_touching_boxes_is_still_one_code() -> None:
    """'FLR-' and '1001' in two boxes that touch: one printed code, joined and sure as before."""
    read = parse_slip(UK_HEAD + printed_table(["Code", "Description", "Qty", "Unit", "Batch"],
                                              ["FLR-|1001", "Wheat flour", "6", "kg", "B2304"],
                                              columns=(40, 200, 520, 620, 720)))
    assert (read.lines[0].sku.value, read.lines[0].sku.doubtful) == ("FLR-1001", False)


def test_a_date_under_an_unknown_heading_beside_a_weight_column_is_the_expiry() -> None:
    """'Lotnr. | TKT | Gewicht': the blurred 'THT' names nothing, so its dates fall into the weight's cell.
    A weight is no date: it is the expiry, marked (mutation: without table._unheaded_date it is lost)."""
    nl = boxes_of(["Kruidenhuis B.V.", "Pakbon"], ["Uw ordernr.: PO-77", "Datum: 12-03-2026"])
    read = parse_slip(nl + printed_table(["Artikelnr.", "Omschrijving", "Lotnr.", "TKT", "Gewicht", "Aantal"],
                                         ["365819", "Kaneel gemalen", "B2706", "31-08-2029", "77,2", "77 kg"],
                                         columns=(40, 200, 420, 620, 800, 940)))
    expiry = read.lines[0].expiry
    assert expiry.value == date(2029, 8, 31) and expiry.doubtful, expiry


def test_a_labelled_lot_read_together_with_its_expiry_ends_at_the_slash() -> None:
    """'LOT#85955/10.01.2028' under 'Charge/MHD' where the heading row was not understood (third corpus
    2701:29): the label's code took the date too ('85955/10.01.2028') and the expiry was lost. No lot ends
    in a date after a slash: the lot is 85955, the date is the expiry (mutation: items.labelled keeping the
    whole code)."""
    read = parse_slip(DE_HEAD + boxes_of([], [], ["1", "FLR-1001", "Weizenmehl Type 550", "500 kg",
                                                  "LOT#85955/10.01.2028"]))
    line = read.lines[0]
    assert (line.sku.value, line.lot.value, line.expiry.value) == ("FLR-1001", "85955", date(2028, 1, 10)), line


def test_a_weight_glued_to_its_unit_in_the_lot_cell_is_not_the_lot() -> None:
    """A column printed without a heading between the quantity and the lot (third corpus 2701:36: there a
    misread heading): '1645kg' of that column fell into the lot's cell before the lot. A number glued to a unit is a weight, no code:
    the lot is the code after it, marked as the cell was crowded (mutation: table._measure not asked)."""
    fr = boxes_of(["Moulins Duval SARL", "Bon de livraison"], ["Votre commande: PO-77", "Date: 12/03/2026"])
    read = parse_slip(fr + printed_table(["N°", "Réf.", "Désignation", "Qté", "", "Lot"],
                                         ["20", "KV41026", "Farine de blé T65", "1645,0", "1645kg", "3643164559"],
                                         columns=(40, 100, 240, 620, 800, 860)))
    lot = read.lines[0].lot
    assert lot.value == "3643164559" and lot.doubtful, lot
