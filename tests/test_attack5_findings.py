"""Outside review (attack 5): packing slips the offline parser reads wrong without marking the value.

Each test fails on the commit it was written against (cade7d4) and passes once the fault is fixed: the
value is either read right or shown with ⚠ (`Read.doubtful`). All inputs are hand-made OCR boxes (no OCR
runs), each cell scored as RapidOCR scores crisp print, modelling real delivery notes.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from integrations.slips import Expected, ExpectedItem, ExpectedOrder
from integrations.slips.layout import OcrBox
from integrations.slips.parser import parse_slip
from tests.slip_boxes import boxes_of, cells_under


def printed_table(*rows: list[str], top: int = 2, columns: tuple[int, ...] = (40, 200, 420, 520, 640, 840)
                  ) -> list[OcrBox]:
    """A table whose cells sit under their headings, rows from line `top` down."""
    return cells_under(rows, top, columns)


def sure_and_wrong(read: object, right: object) -> bool:
    return read.value != right and not read.doubtful  # type: ignore[attr-defined]


US_HEAD = boxes_of(["Lone Star Provisions Inc.", "PACKING SLIP"], ["PO #: PO-31", "Ship Date: 04/23/2026"])
US_ORDER = Expected(orders=(ExpectedOrder("PO-31", "Lone Star Provisions Inc.", (
    ExpectedItem(("PKG-BOX-12",), "pcs", Decimal(500)), ExpectedItem(("MAT-LEM",), "l", Decimal(720)))),))


def test_the_ordered_amount_printed_beside_the_delivered_one_is_not_vouched_for_by_the_po() -> None:
    """'Ordered | Delivered' columns, each number with its unit (a short delivery: 500 pcs ordered, 200 pcs
    delivered). The heading row names no quantity the vocabulary knows, so the goods are read by item code,
    and the first number with a unit — the ORDERED 500 — is the quantity (qty.shape, marked). Then the PO
    'vouches' for it: 500 is exactly what the PO row still expects, so snapping._check_quantity lifts it to
    0.9 (qty.po). The ordered amount always equals what the PO expects, so the PO can never vouch for a
    quantity that was only a guess between the ordered and the delivered column: a short delivery is
    received as complete, without ⚠."""
    rows = US_HEAD + boxes_of([], [], [], ["Item", "Description", "Ordered", "Delivered", "Lot"],
                              ["PKG-BOX-12 Shipper box", "500 pcs", "200 pcs", "L26897"],
                              ["MAT-LEM Lemon juice", "720 l", "720 l", "L30112"])
    line = parse_slip(rows, US_ORDER).lines[0]
    assert not sure_and_wrong(line.quantity, Decimal(200)), line.quantity


def test_qty_ship_before_qty_ord_is_not_vouched_for_by_the_po() -> None:
    """'Qty Ship | Qty Ord' (shipped printed first, 200 of 500): table._quantity_twice takes the last
    quantity column (ordered 500) and marks it (qty.crowded) — then snapping._check_quantity finds 500 equal
    to what the PO expects and lifts it to sure (qty.po). The PO vouches for the guess exactly when the guess
    took the ordered column: the short delivery reads as complete, without ⚠."""
    read = parse_slip(US_HEAD + printed_table(["Item", "Description", "Qty Ship", "Qty Ord", "Unit", "Lot"],
                                              ["PKG-BOX-12", "Shipper box", "200", "500", "pcs", "L26897"],
                                              ["MAT-LEM", "Lemon juice", "720", "720", "l", "L30112"]), US_ORDER)
    assert not sure_and_wrong(read.lines[0].quantity, Decimal(200)), read.lines[0].quantity


def test_a_footer_word_inside_a_product_name_does_not_end_the_table_silently() -> None:
    """Spanish cheese sold by weight is 'peso variable' (French 'poids variable'), a yoghurt is 'Fage Total
    0%': table.read_table stops at the first row matching vocab.FOOTER_WORDS ('peso', 'total'), so that row
    and every row under it are dropped — no line, no note. Two of three items vanish from the receipt."""
    es = boxes_of(["Quesos del Sur S.L.", "ALBARÁN DE ENTREGA"], ["Su pedido: PO-77", "Fecha: 12/03/2026"])
    uk = boxes_of(["Dairy Direct Ltd", "DELIVERY NOTE"], ["Your order: PO-77", "Date: 12/03/2026"])
    columns = (40, 200, 600, 760, 880)
    for head, rows in (
            (es, [["Código", "Descripción", "Cantidad", "Unidad", "Lote"],
                  ["QSO-1001", "Queso manchego curado", "12", "ud", "L2304A"],
                  ["QSO-1002", "Queso tierno peso variable", "8,45", "kg", "L2305B"],
                  ["MNT-2003", "Mantequilla", "20", "kg", "L2306C"]]),
            (uk, [["Code", "Description", "Qty", "Unit", "Batch"], ["YOG-1001", "Natural yoghurt 5kg", "6", "each", "B2304"],
                  ["YOG-1002", "Fage Total 0% 1kg", "12", "each", "B2305"], ["BTR-2003", "Butter unsalted", "20", "kg", "B2306"]])):
        read = parse_slip(head + printed_table(*rows, columns=columns))
        assert len(read.lines) == 3 or read.notes, [line.sku.value for line in read.lines]


def test_a_weight_line_under_an_item_does_not_end_the_slip_silently() -> None:
    """A block layout whose item prints its net weight ('Peso neto: 8,45 kg') on its details line: goods and
    read_listed both stop at vocab.FOOTER_WORDS ('peso'), so that item and all after it are lost without a
    note (only the first item is read)."""
    rows = boxes_of(["Quesos del Sur S.L.", "ALBARÁN DE ENTREGA"], ["Su pedido: PO-77", "Fecha: 12/03/2026"], [], [],
                    ["1.", "FLR-1001 Harina de trigo T55"], ["Cantidad: 40 kg", "Lote: L2304A"],
                    ["2.", "QSO-1002 Queso tierno"], ["Cantidad: 8,45 kg", "Peso neto: 8,45 kg", "Lote: L2305B"],
                    ["3.", "MNT-2003 Mantequilla"], ["Cantidad: 20 kg", "Lote: L2306C"])
    read = parse_slip(rows)
    assert len(read.lines) == 3 or read.notes, [line.sku.value for line in read.lines]


@pytest.mark.parametrize("head, ours", [
    (boxes_of(["Lone Star Provisions Inc.", "PACKING SLIP"], ["Sales Order: SO-88123", "Ship Date: 04/23/2026"],
              ["Customer PO: PO-4471"]), "PO-4471"),
    (boxes_of(["Müller Mühle GmbH", "Lieferschein"], ["Auftrags-Nr.: 240517", "Datum: 12.03.2026"],
              ["Ihre Bestellung: PO-77"]), "PO-77"),
    (boxes_of(["Moulins Durand", "Bon de livraison"], ["Notre commande: CD-24051", "Date: 12/03/2026"],
              ["Votre commande: PO-77"]), "PO-77")], ids=["sales order", "Auftrags-Nr.", "notre commande"])
def test_the_suppliers_own_order_number_is_not_taken_as_our_po(head: list[OcrBox], ours: str) -> None:
    """Slips print the supplier's own order number above ours: 'Sales Order: SO-88123' over 'Customer PO:
    PO-4471', German 'Auftrags-Nr.' over 'Ihre Bestellung', French 'Notre commande' over 'Votre commande'
    (Spanish 'Nuestro pedido' / 'Su pedido', Italian 'Ns. ordine' / 'Vs. ordine' alike). vocab.PO_LABEL
    matches 'order', 'auftrag', 'commande' whoever's they are, and header._po_number takes the first: the PO
    is shown as the supplier's number at 0.95 (po.label). Reading alone, nothing marks it."""
    read = parse_slip(head + printed_table(["Item", "Description", "Qty", "Unit", "Lot"],
                                           ["PKG-BOX-12", "Shipper box", "200", "pcs", "L26897"], top=4))
    assert not sure_and_wrong(read.po_number, ours), read.po_number


def test_the_po_date_is_not_taken_as_the_slip_date() -> None:
    """'PO Date: 02/20/2026' beside the PO number, 'Ship Date: 03/02/2026' under it (a common US packing
    slip header). vocab.ORDER_DATE_LABEL knows 'Order Date' and 'Bestelldatum' but not 'PO Date', so
    header._slip_date takes the PO's date as the slip's, sure (20 > 12: no doubt about the order)."""
    head = boxes_of(["Lone Star Provisions Inc.", "PACKING SLIP"], ["PO #: PO-4471", "PO Date: 02/20/2026"],
                    ["Ship Date: 03/02/2026"])
    read = parse_slip(head + printed_table(["Item", "Description", "Qty", "Unit", "Lot"],
                                           ["PKG-BOX-12", "Shipper box", "200", "pcs", "L26897"], top=4))
    assert not sure_and_wrong(read.slip_date, date(2026, 3, 2)), read.slip_date


def test_a_two_letter_document_number_does_not_make_a_french_slip_month_first() -> None:
    """A French delivery note numbered 'BL 24051' (two capitals, a space, five digits) with d/m/y dates all
    ≤ 12. values._US takes 'BL 24051' for a US state and ZIP code ('TX 75001'), the slip votes month-first,
    and every ambiguous date is read month-first at 0.85 — sure: slip date 03/04/2026 (3 April) read as
    4 March, DLUO 05/06/2027 (5 June) as 6 May. (The French words only vote for the decimal comma; a tie
    would have given day-first.)"""
    head = boxes_of(["Moulins Durand SARL", "Bon de livraison BL 24051"], ["Date: 03/04/2026", "Votre commande: PO-4471"])
    read = parse_slip(head + printed_table(["Code", "Désignation", "Qté", "Unité", "Lot", "DLUO"],
                                           ["FLR-3388", "Farine T55", "293", "kg", "LOT478158", "05/06/2027"],
                                           ["SUG-1200", "Sucre", "40", "kg", "LOT478159", "10/11/2027"], top=4))
    assert not sure_and_wrong(read.slip_date, date(2026, 4, 3)), read.slip_date
    assert not sure_and_wrong(read.lines[0].expiry, date(2027, 6, 5)), read.lines[0].expiry


def test_a_variant_suffix_is_not_snapped_to_the_base_code_as_sure() -> None:
    """The supplier delivers the organic variant 'FLR-1001-BIO' (or 'FLR-1001B') of the ordered 'FLR-1001':
    dictionary.code_for takes any letters after a PO code for a description the OCR glued on ('GLUED',
    0.9) and snapping shows FLR-1001, sure — a substitute received as the ordered item with only a note.
    A capital-letter suffix is how suppliers number variants; a glued word is lower-case text."""
    head = boxes_of(["Müller Mühle GmbH", "Lieferschein"], ["Ihre Bestellung: PO-77", "Datum: 12.03.2026"])
    order = Expected(orders=(ExpectedOrder("PO-77", "Müller Mühle GmbH", (
        ExpectedItem(("FLR-1001",), "kg", Decimal(500)), ExpectedItem(("SUG-2002",), "kg", Decimal(100)))),))
    for printed in ("FLR-1001-BIO", "FLR-1001B"):
        read = parse_slip(head + printed_table(["Art.-Nr.", "Bezeichnung", "Menge", "Einheit", "Charge"],
                                               [printed, "Weizenmehl Bio", "500", "kg", "L2304A"],
                                               ["SUG-2002", "Zucker", "100", "kg", "L2305B"]), order)
        assert not sure_and_wrong(read.lines[0].sku, printed), read.lines[0].sku


UK_HEAD = boxes_of(["Dairy Direct Ltd", "DELIVERY NOTE"], ["Your order: PO-77", "Date: 12/03/2026"])


def test_a_weight_column_after_the_batch_is_not_glued_into_the_lot() -> None:
    """A catch-weight delivery note (cheese, meat): 'Batch | Weight (kg)' with no heading the vocabulary
    knows for the weight, so its numbers fall into the batch's cell. table._code joins the cell's pieces
    when none is a word, a position number or a date: the lot is 'B230430.50' (B2304 + 30.50 kg), sure
    (lot.cell). Italian 'Lotto | Peso kg' likewise: 'L2305B' + '100' is 'L2305B100'. The lot is what is
    traced in a recall; a wrong one typed into Katana without ⚠."""
    read = parse_slip(UK_HEAD + printed_table(["Code", "Description", "Qty", "Unit", "Batch", "Weight (kg)"],
                                              ["CHS-1001", "Cheddar mature", "6", "each", "B2304", "30.50"],
                                              ["BTR-2003", "Butter unsalted", "20", "kg", "B2306", "120.00"],
                                              columns=(40, 200, 520, 620, 720, 880)))
    for line, lot in zip(read.lines, ["B2304", "B2306"], strict=True):
        assert not sure_and_wrong(line.lot, lot), line.lot
    it = boxes_of(["Molino Rossi S.r.l.", "Documento di trasporto"], ["Vs. ordine: PO-77", "Data: 12/03/2026"])
    read = parse_slip(it + printed_table(["Codice", "Descrizione", "UM", "Q.tà", "Lotto", "Peso kg"],
                                         ["FLR-1001", "Farina 00", "kg", "500", "L2304A", "500,0"],
                                         ["SUG-2002", "Zucchero", "sacchi", "4", "L2305B", "100"],
                                         columns=(40, 200, 420, 520, 640, 800)))
    assert not sure_and_wrong(read.lines[1].lot, "L2305B"), read.lines[1].lot


def test_an_ean_column_beside_the_item_code_is_not_glued_into_the_code() -> None:
    """German delivery notes print the EAN beside the article number: 'Art.-Nr. | EAN | Bezeichnung'. 'EAN'
    is no heading the vocabulary knows, so where the EAN sits nearer the code than the name its digits fall
    into the code's cell and table._code joins them: sku 'FLR-10014006381333931', sure (sku.cell). Reading
    alone nothing checks it (plausible.odd_codes sees every row shaped alike)."""
    de = boxes_of(["Müller Mühle GmbH", "Lieferschein"], ["Ihre Bestellung: PO-77", "Datum: 12.03.2026"])
    read = parse_slip(de + printed_table(["Art.-Nr.", "EAN", "Bezeichnung", "Menge", "Einheit", "Charge"],
                                         ["FLR-1001", "4006381333931", "Weizenmehl", "500", "kg", "L2304A"],
                                         ["SUG-2002", "4006381333948", "Zucker", "100", "kg", "L2305B"],
                                         ["SLT-3003", "4006381333955", "Meersalz", "25", "kg", "L2306C"],
                                         columns=(40, 160, 380, 640, 760, 880)))
    for line, sku in zip(read.lines, ["FLR-1001", "SUG-2002", "SLT-3003"], strict=True):
        assert not sure_and_wrong(line.sku, sku), line.sku


def test_ordered_and_shipped_in_one_cell_is_not_read_as_the_ordered_amount() -> None:
    """'Qty Ord/Ship' printing '500/200' in one cell (the OCR drops the spaces around the slash, as it does
    between tight glyphs): items.QUANTITY takes the number before the slash and skips the one after it, so
    the cell holds one quantity — the ORDERED 500 — shown sure (qty.cell); the 200 delivered is lost. With
    the PO, 500 equals what it expects and is vouched for too."""
    read = parse_slip(US_HEAD + printed_table(["Item", "Description", "Qty Ord/Ship", "Unit", "Lot"],
                                              ["PKG-BOX-12", "Shipper box", "500/200", "pcs", "L26897"],
                                              ["MAT-LEM", "Lemon juice", "720/720", "l", "L30112"]))
    assert not sure_and_wrong(read.lines[0].quantity, Decimal(200)), read.lines[0].quantity


def test_a_zero_between_letters_of_a_lot_is_not_rewritten_as_the_letter_o() -> None:
    """Alphanumeric batch codes ('24K0A15', 'BX0A-1204') hold zeros between letters. vocab.unglue rewrites
    every 0 between two letters as O on the whole page (meant for 'L0T', 'B0X'), so a batch the OCR read
    perfectly is shown as '24KOA15', sure (lot.cell) — a lot that matches nothing in the supplier's recall."""
    read = parse_slip(UK_HEAD + printed_table(["Code", "Description", "Qty", "Unit", "Batch"],
                                              ["CHS-1001", "Cheddar mature", "6", "each", "24K0A15"],
                                              ["BTR-2003", "Butter unsalted", "20", "kg", "24K0B16"],
                                              columns=(40, 200, 520, 620, 720)))
    for line, lot in zip(read.lines, ["24K0A15", "24K0B16"], strict=True):
        assert not sure_and_wrong(line.lot, lot), line.lot


ES_HEAD = boxes_of(["Lácteos del Norte S.L.", "ALBARÁN DE ENTREGA"], ["Su pedido: PO-77", "Fecha: 12/03/2026"])


def test_a_pack_count_in_the_product_name_is_not_the_labelled_quantity() -> None:
    """Spanish product names give the pack as 'Yogur griego 4 uds x 125 g' ('uds' = units). items.QTY_LABEL
    counts 'uds' as a quantity label, and goods._quantity takes the first label with a number within two
    characters after it — the pack's '125 g' — before the real label 'Cantidad: 24 cajas' on the next line:
    the line reads 125 g at 0.999 (qty.label), 24 cases delivered. Reading alone nothing marks it."""
    rows = ES_HEAD + boxes_of([], [], ["1.", "YOG-1001 Yogur griego 4 uds x 125 g"], ["Cantidad: 24 cajas", "Lote: L2304A"],
                              ["2.", "YOG-1002 Yogur natural 8 uds x 125 g"], ["Cantidad: 12 cajas", "Lote: L2305B"])
    for line, quantity in zip(parse_slip(rows).lines, [24, 12], strict=True):
        assert not sure_and_wrong(line.quantity, Decimal(quantity)), line.quantity
        assert not sure_and_wrong(line.unit, "cases"), line.unit


def test_french_lot_of_packs_in_the_product_name_is_not_the_lot() -> None:
    """French multipacks are named 'Yaourt nature lot 4x125g' ('lot' = a bundle of packs). vocab.LOT_LABEL
    takes that 'lot' for the batch label and items.labelled returns the first labelled code with a digit:
    the lot is '4x125g', sure (lot.label), though 'Lot: L2304A' is printed on the same line."""
    fr = boxes_of(["Laiterie Martin", "Bon de livraison"], ["Votre commande: PO-77", "Date: 12/03/2026"])
    rows = fr + boxes_of([], [], ["YAO-1001 Yaourt nature lot 4x125g", "48 colis", "Lot: L2304A"],
                         ["YAO-1002 Yaourt fraise lot 4x125g", "24 colis", "Lot: L2305B"])
    for line, lot in zip(parse_slip(rows).lines, ["L2304A", "L2305B"], strict=True):
        assert not sure_and_wrong(line.lot, lot), line.lot


def test_a_table_rule_in_an_empty_unit_cell_is_not_a_sure_litre() -> None:
    """A ruled table whose unit cell is left empty for an item (pieces printed without a unit): the OCR reads
    the cell's vertical rule as '|', and table._unit_cell takes a lone '|' (or '1', 'i') for an l the OCR
    misread, at 0.7 — 0.699 with the word's score, not under CONFIDENT: six wheels of cheddar are shown as
    6 l, sure. A misread l is a guess; a guess is marked."""
    read = parse_slip(UK_HEAD + printed_table(["Code", "Description", "Qty", "Unit", "Batch"],
                                              ["CHS-1001", "Cheddar mature", "6", "|", "B2304"],
                                              ["BTR-2003", "Butter unsalted", "20", "kg", "B2306"],
                                              columns=(40, 200, 520, 620, 720)))
    unit = read.lines[0].unit
    assert unit.value is None or unit.doubtful, unit


def test_an_item_without_a_code_in_a_block_list_is_not_dropped() -> None:
    """A block list ('1. code name' over 'Cantidad: … Lote: …') with a returnable Euro pallet printed without
    an item code between two goods. Reading by item code (goods.regions) puts the pallet's rows into the
    item above, and that reading wins over read_listed's (parser.best_reading): the pallet line vanishes
    without a note. (Data loss, not a wrong value.)"""
    read = parse_slip(ES_HEAD + boxes_of([], [], ["1.", "FLR-1001 Harina de trigo"], ["Cantidad: 40 kg", "Lote: L2304A"],
                                         ["2.", "Palet europeo"], ["Cantidad: 2 ud"],
                                         ["3.", "SUG-2002 Azúcar"], ["Cantidad: 25 kg", "Lote: L2305B"]))
    assert len(read.lines) == 3 or read.notes, [(line.sku.value, line.quantity.value) for line in read.lines]


def test_an_item_without_its_own_quantity_does_not_take_the_next_items() -> None:
    """The same block list where the flour's delivered quantity is not printed (written in by hand on the
    slip, or smudged): the flour's region runs on over the codeless pallet, and the pallet's labelled
    'Cantidad: 2 ud' becomes the flour's quantity — 2 pcs at 0.999 (qty.label), a neighbour's value
    shown as sure."""
    read = parse_slip(ES_HEAD + boxes_of([], [], ["1.", "FLR-1001 Harina de trigo"], ["Lote: L2304A"],
                                         ["2.", "Palet europeo"], ["Cantidad: 2 ud"],
                                         ["3.", "SUG-2002 Azúcar"], ["Cantidad: 25 kg", "Lote: L2305B"]))
    flour = read.lines[0]
    assert flour.quantity.value is None or flour.quantity.doubtful, flour.quantity
