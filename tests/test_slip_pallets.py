"""Goods grouped by pallet (pallets.py): a heading row per pallet with its SSCC, the column headings printed
again under some of them, the pallet's lines, a subtotal of its packages and weight. Every pallet's lines
are read as one table; no heading, subtotal or SSCC is an item, a quantity, a code or a lot.
Hand-made OCR boxes, each cell at the x its column prints it."""
from __future__ import annotations

from decimal import Decimal

from integrations.slips.layout import OcrBox
from integrations.slips.parser import parse_slip
from models.packing_slip import PackingSlip
from tests.slip_boxes import boxes_of


def placed(*rows: list[tuple[int, str]]) -> list[OcrBox]:
    """One box per (x, text) cell, rows 40 px apart, 13 px a character: a table's columns line up."""
    out = []
    for y, cells in enumerate(rows):
        for x, text in cells:
            x1 = x + 13.0 * len(text)
            out.append(OcrBox(text, 0.999, ((x, 40.0 * y), (x1, 40.0 * y), (x1, 40.0 * y + 24), (x, 40.0 * y + 24))))
    return out


def got(slip: PackingSlip) -> list[tuple[str | None, Decimal | None, str | None, str | None]]:
    return [(l.sku.value, l.quantity.value, l.unit.value, l.lot.value) for l in slip.lines]


ENGLISH_HEADINGS = [(40, "Item code"), (240, "Description"), (700, "Qty"), (800, "Unit"), (900, "Batch")]


def test_two_pallets_with_subtotals_read_every_line_and_invent_none() -> None:
    """'Pallet 1: 3 packages · 523.4 kg' read as a line without a code (quantity 1 from '1:'); the
    per-pallet 'Total packages 2' ended the goods and the second pallet was lost; the bank line under the
    last pallet's subtotal read as an item. (Fails without parser's without_pallet_rows.)"""
    boxes = placed([(40, "Northern Dairy Supplies Ltd"), (700, "DELIVERY NOTE")],
                   [(600, "Your Ref:"), (760, "PO-6732")], [(600, "Date:"), (760, "26 Nov 2026")],
                   [(40, "Pallet 1/2"), (200, "SSCC (00) 353487366330034283")],
                   ENGLISH_HEADINGS,
                   [(40, "YL44/03"), (240, "Sea salt flakes"), (700, "91.6"), (800, "kg"), (900, "L2648")],
                   [(40, "ES00/83"), (240, "Tamper-evident labels"), (700, "1,071"), (800, "each")],
                   [(600, "Total packages"), (800, "2")],
                   [(700, "Pallet 1: 2 packages · 523.4 kg")],
                   [(40, "Pallet 2/2"), (200, "SSCC (00) 353487366330034290")],
                   [(40, "QK78/02"), (240, "Jute ribbon 15 mm"), (700, "250"), (800, "m")],
                   [(40, "AU11/21"), (240, "Saffron threads"), (700, "100"), (800, "g"), (900, "L261012")],
                   [(700, "Pallet 2: 2 packages · 98.0 kg")],
                   [(40, "Bank: Northgate Bank plc, IBAN GB29NWBK60161331926819")])
    assert got(parse_slip(boxes)) == [("YL44/03", Decimal("91.6"), "kg", "L2648"),
                                      ("ES00/83", Decimal(1071), "pcs", None),
                                      ("QK78/02", Decimal(250), "m", None),
                                      ("AU11/21", Decimal(100), "g", "L261012")]


def test_column_headings_repeated_under_the_next_pallet_are_no_goods() -> None:
    """Polish: the headings printed again under 'Paleta 2/2' lent the last line of the first pallet a lot
    ('Partia' read as its label: lot 'Symbol'), and 'Razem Opakowania 2' before them ended the goods.
    (Fails without parser's without_pallet_rows.)"""
    headings = [(40, "Lp."), (100, "Partia"), (260, "Symbol"), (400, "Nazwa"), (800, "Ilość"), (900, "jm")]
    boxes = placed([(40, "EK Etykiety Kraków Sp. z o.o."), (600, "WZ - WYDANIE ZEWNĘTRZNE")],
                   [(600, "Wasze zam.:"), (760, "PO-051137")], [(600, "Data wydania:"), (760, "10.01.2027")],
                   [(40, "Paleta 1/2"), (200, "SSCC (00) 353164424653612283")],
                   headings,
                   [(40, "1"), (100, "2610-4508"), (260, "745-ZU97"), (400, "Śmietanka 30%"), (800, "22,5"),
                    (900, "l")],
                   [(40, "2"), (260, "791-EL50"), (400, "Karton wysyłkowy"), (800, "1601"), (900, "szt.")],
                   [(500, "Razem Opakowania"), (800, "2")],
                   [(700, "Paleta 1: 2 Opakowania · 302,00 kg")],
                   [(40, "Paleta 2/2"), (200, "SSCC (00) 312532083941559949")],
                   headings,
                   [(40, "3"), (260, "795-SL15"), (400, "Zakrętka fi 66 złota"), (800, "46"), (900, "kart.")],
                   [(40, "4"), (100, "B26327"), (260, "374-TF86"), (400, "Orzechy włoskie"), (800, "64,25"),
                    (900, "kg")],
                   [(700, "Paleta 2: 2 Opakowania · 699,00 kg")],
                   [(40, "Podpis kierowcy")])
    assert got(parse_slip(boxes)) == [("745-ZU97", Decimal("22.5"), "l", "2610-4508"),
                                      ("791-EL50", Decimal(1601), "pcs", None),
                                      ("795-SL15", Decimal(46), "cases", None),
                                      ("374-TF86", Decimal("64.25"), "kg", "B26327")]


def test_a_pallet_subtotal_without_footer_words_is_no_line() -> None:
    """French, the headings printed once, no 'Total' row: 'Palette 2 : 4 colis · 412,5 kg' read as a
    line of 4 (no code, no ⚠ on its quantity). The SSCC heading is no item either when the goods are read
    by their codes. (Fails without parser's without_pallet_rows.)"""
    headings = [(40, "Référence"), (240, "Désignation"), (700, "Qté"), (800, "Unité"), (900, "N° lot")]
    boxes = placed([(40, "Moulins de Provence SA"), (600, "BORDEREAU DE LIVRAISON")],
                   [(600, "Réf. commande :"), (800, "PO-182")], [(600, "Expédié le :"), (800, "20/09/26")],
                   headings,
                   [(40, "Palette 1/2"), (200, "SSCC (00) 391735234375972771")],
                   [(40, "AZR-4640"), (240, "Pot verre 250 ml"), (700, "3000"), (800, "pièces")],
                   [(40, "AZR-4814"), (240, "Fleur de sel"), (700, "250"), (800, "g"), (900, "L260615")],
                   [(600, "Palette 1 : 2 colis · 673,3 kg")],
                   [(40, "Palette 2/2"), (200, "SSCC (00) 391735234375972788")],
                   [(40, "AZR-7713"), (240, "Farine de blé T65"), (700, "2055"), (800, "kg"), (900, "030626P")],
                   [(600, "Palette 2 : 1 colis · 412,5 kg")])
    assert got(parse_slip(boxes)) == [("AZR-4640", Decimal(3000), "pcs", None),
                                      ("AZR-4814", Decimal(250), "g", "L260615"),
                                      ("AZR-7713", Decimal(2055), "kg", "030626P")]


def test_an_sscc_among_a_lines_words_is_not_its_lot() -> None:
    """A numbered list printing each item's SSCC beside it: the 18 digits read as the first item's lot
    (marked, but a lot the item does not have). (Fails without pallets._without_sscc.)"""
    boxes = boxes_of(["Northern Dairy Supplies Ltd", "DELIVERY NOTE"], ["Your Ref: PO-77", "Date: 03/10/2025"],
                     ["1.", "FLR-1001", "Wheat flour", "25 kg", "SSCC 353487366330034283"],
                     ["2.", "SUG-2002", "Sugar", "50 kg", "Lot Z9912"], ["Signature"])
    assert got(parse_slip(boxes)) == [("FLR-1001", Decimal(25), "kg", None), ("SUG-2002", Decimal(50), "kg", "Z9912")]


def test_an_sscc_column_the_headings_do_not_name_leaves_the_unit_alone() -> None:
    """German: an 'NVE' column (the SSCC's German name) beside 'Einheit': its '(00)3534…' fell into the unit's
    cell and the unit was lost. (Fails without pallets._without_sscc.)"""
    boxes = placed([(40, "Müller Mühle GmbH"), (600, "Lieferschein")], [(600, "Ihre Bestellung:"), (800, "PO-77")],
                   [(40, "Art.-Nr."), (200, "Bezeichnung"), (500, "Menge"), (620, "Einheit"), (760, "NVE")],
                   [(40, "FLR-1001"), (200, "Weizenmehl"), (500, "25"), (620, "kg"), (760, "(00)353487366330034283")],
                   [(40, "SUG-2002"), (200, "Zucker fein"), (500, "50"), (620, "kg"), (760, "(00)353487366330034290")],
                   [(40, "Unterschrift")])
    assert got(parse_slip(boxes)) == [("FLR-1001", Decimal(25), "kg", None), ("SUG-2002", Decimal(50), "kg", None)]


def test_a_pallets_packages_count_is_no_line() -> None:
    """French and Polish: the pallet's packages count above its subtotal, its 'Total' cut off by the photo
    ('tal Colis 5') or never printed ('Opakowania: 2'), read as a line of that many, sure. (Fails
    without 'colis' and 'opakowania' in vocab.FOOTER_WORDS.)"""
    french = placed([(40, "Moulins de Provence SA"), (600, "BORDEREAU DE LIVRAISON")],
                    [(600, "Réf. commande :"), (800, "PO-182")],
                    [(40, "Palette 1/1"), (200, "SSCC (00) 391735234375972771")],
                    [(40, "Référence"), (240, "Désignation"), (700, "Qté"), (800, "Unité")],
                    [(40, "AZR-4640"), (240, "Pot verre 250 ml"), (700, "3000"), (800, "pièces")],
                    [(40, "AZR-7713"), (240, "Farine de blé T65"), (700, "2055"), (800, "kg")],
                    [(10, "tal Colis"), (700, "5")],
                    [(600, "Palette 1 : 5 colis · 673,3 kg")])
    assert got(parse_slip(french)) == [("AZR-4640", Decimal(3000), "pcs", None), ("AZR-7713", Decimal(2055), "kg", None)]
    polish = placed([(40, "EK Etykiety Kraków Sp. z o.o."), (600, "WZ - WYDANIE ZEWNĘTRZNE")],
                    [(600, "Wasze zam.:"), (760, "PO-051137")],
                    [(40, "Paleta 1/1"), (200, "SSCC (00) 353164424653612283")],
                    [(40, "Symbol"), (260, "Nazwa"), (700, "Ilość"), (800, "jm")],
                    [(40, "745-ZU97"), (260, "Śmietanka 30%"), (700, "22,5"), (800, "l")],
                    [(40, "791-EL50"), (260, "Karton wysyłkowy"), (700, "1601"), (800, "szt.")],
                    [(500, "Opakowania:"), (700, "2")],
                    [(600, "Paleta 1: 2 Opakowania · 302,00 kg")])
    assert got(parse_slip(polish)) == [("745-ZU97", Decimal("22.5"), "l", None), ("791-EL50", Decimal(1601), "pcs", None)]
