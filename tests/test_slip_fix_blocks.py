"""Where the goods end, and which words are labels: lines lost at a footer word, values taken from a name.

Hand-made OCR boxes (no OCR runs): rows 40 px apart, each cell one box.
"""
from __future__ import annotations

from decimal import Decimal

from integrations.slips import vocab
from integrations.slips.dictionary import Dictionary
from integrations.slips.goods import find_anchors, regions
from integrations.slips.layout import OcrBox, rows_of
from integrations.slips.parser import parse_slip
from tests.slip_boxes import boxes_of, cells_under


def table(*rows: list[str], top: int, columns: tuple[int, ...] = (40, 200, 600, 760, 880)) -> list[OcrBox]:
    return cells_under(rows, top, columns)


FR_HEAD = boxes_of(["Fromagerie Blanc", "Bon de livraison"], ["Votre commande: PO-12", "Date: 12/03/2026"])


def test_a_footer_word_in_a_table_rows_name_keeps_the_rows_under_it() -> None:
    """'Tomme poids variable' (French 'poids' is a footer word: 'Poids total'): the row has its item code
    where the others do, so it is an item; the total row under the table still ends it."""
    read = parse_slip(FR_HEAD + table(["Code", "Désignation", "Qté", "Unité", "Lot"],
                                      ["TOM-1001", "Tomme poids variable", "8,45", "kg", "L2304A"],
                                      ["BRI-1002", "Brie de Meaux", "12", "pce", "L2305B"],
                                      ["CMT-1003", "Comté 18 mois", "20", "kg", "L2306C"],
                                      ["Poids total", "", "40,45", "kg"], top=3))
    assert [line.sku.value for line in read.lines] == ["TOM-1001", "BRI-1002", "CMT-1003"]


def test_a_weight_details_line_in_a_block_list_keeps_the_items_under_it() -> None:
    """Polish 'Waga netto' (a footer word: 'Waga brutto' under the goods) on an item's details line, with
    more items below: all three are read, the second with its labelled quantity."""
    head = boxes_of(["Młyn Kowalski Sp. z o.o.", "Dowód dostawy WZ"], ["Zamówienie: PO-12", "Data: 12.03.2026"])
    read = parse_slip(head + boxes_of([], [], ["1.", "MKA-1001 Mąka pszenna typ 450"], ["Ilość: 40 kg", "Partia: L2304A"],
                                      ["2.", "SER-1002 Ser żółty"], ["Ilość: 8,45 kg", "Waga netto: 8,45 kg",
                                                                     "Partia: L2305B"],
                                      ["3.", "MAS-2003 Masło"], ["Ilość: 20 kg", "Partia: L2306C"]))
    assert [line.sku.value for line in read.lines] == ["MKA-1001", "SER-1002", "MAS-2003"]
    assert read.lines[1].quantity.value == Decimal("8.45") and read.lines[1].lot.value == "L2305B"


def test_unidades_after_a_number_is_the_pack_not_the_quantity_label() -> None:
    """'Galletas 6 unidades x 200 g': the pack in the name; 'Cantidad: 10 cajas' is what came."""
    head = boxes_of(["Galletas Sol S.L.", "ALBARÁN"], ["Su pedido: PO-12", "Fecha: 12/03/2026"])
    read = parse_slip(head + boxes_of([], [], ["1.", "GAL-1001 Galletas 6 unidades x 200 g"],
                                      ["Cantidad: 10 cajas", "Lote: L2304A"],
                                      ["2.", "GAL-1002 Galletas 12 uds x 100 g"], ["Cantidad: 5 cajas", "Lote: L2305B"]))
    assert [(line.quantity.value, line.unit.value) for line in read.lines] == [(10, "cases"), (5, "cases")]


def test_a_french_lot_of_bottles_is_no_batch_label() -> None:
    """'Jus de pomme lot 6x1L' is a bundle of six bottles; the batch is after 'Lot:'."""
    rows = FR_HEAD + boxes_of([], [], ["JUS-1001 Jus de pomme lot 6x1L", "30 colis", "Lot: B2304"],
                              ["JUS-1002 Jus d'orange lot 6x1L", "20 colis", "Lot: B2305"])
    assert [line.lot.value for line in parse_slip(rows).lines] == ["B2304", "B2305"]


def test_a_footer_word_on_an_items_details_line_stays_in_the_items_block() -> None:
    """Read by item code, the 'Waga netto' details line above the next item is the item's own, not the end of
    its block (its lot would be lost); under the last item a footer row still ends the block."""
    rows = rows_of(boxes_of(["1.", "SER-1002 Ser żółty"], ["Ilość: 8,45 kg", "Waga netto: 8,45 kg", "Partia: L2305B"],
                            ["2.", "MAS-2003 Masło"], ["Ilość: 20 kg", "Partia: L2306C"], ["Waga brutto: 29 kg"]))
    blocks = [len(block) for _, block in regions(rows, find_anchors(rows, Dictionary([])))]
    assert blocks == [2, 2]


IT_HEAD = boxes_of(["Molino Rossi S.r.l.", "Documento di trasporto"], ["Vs. ordine: PO-12", "Data: 12/03/2026"])


def test_a_numbered_item_without_a_code_is_an_item_of_its_own() -> None:
    """'2.  Pallet EPAL' between two numbered items with codes: its own line (no code), not rows of the item
    above, whose quantity stays its own."""
    read = parse_slip(IT_HEAD + boxes_of([], [], ["1.", "FAR-1001 Farina di grano"], ["Quantità: 40 kg", "Lotto: L2304A"],
                                         ["2.", "Pallet EPAL"], ["Quantità: 3 pz"],
                                         ["3.", "ZUC-2002 Zucchero"], ["Quantità: 25 kg", "Lotto: L2305B"]))
    assert [(line.sku.value, line.quantity.value) for line in read.lines] == [
        ("FAR-1001", 40), (None, 3), ("ZUC-2002", 25)]


def test_an_item_whose_quantity_is_not_printed_is_kept_without_one() -> None:
    """The flour's quantity left blank (written in by hand): kept by its code and labelled lot, its quantity
    empty for a person to fill in — not the pallet's '3 pz' under it."""
    read = parse_slip(IT_HEAD + boxes_of([], [], ["1.", "FAR-1001 Farina di grano"], ["Lotto: L2304A"],
                                         ["2.", "Pallet EPAL"], ["Quantità: 3 pz"],
                                         ["3.", "ZUC-2002 Zucchero"], ["Quantità: 25 kg", "Lotto: L2305B"]))
    assert (read.lines[0].sku.value, read.lines[0].quantity.value, read.lines[0].lot.value) == \
        ("FAR-1001", None, "L2304A")


def test_a_french_lot_number_label_whose_degree_sign_was_lost_is_a_label() -> None:
    """'N° lot' read 'Nlot' or 'N lot': still the lot's label, so 'Nlot L260730' starts no item."""
    assert vocab.LOT_LABEL.match("Nlot L260730") and vocab.LOT_LABEL.match("N lot: 3025384293")


def test_a_ship_to_postcode_and_town_is_no_item() -> None:
    """'DK-8600 Silkeborg' of the delivery address above card-shaped goods is no item code with a name (the
    EAN under it was its quantity); an item code of that shape with a name and quantity still is one."""
    rows = rows_of(boxes_of(["Lieferadresse:"], ["DK-8600 Silkeborg"], ["4011466842468"],
                            ["AB-1234 Rapsöl kaltgepresst", "5 l"]))
    assert [a.code for a in find_anchors(rows, Dictionary([]))] == ["AB-1234"]
