"""Layout families of real delivery notes the first tuning corpus lacked (sandbox/slips/render.py, corpus.WIDER):
two-line cards, codes in brackets or after a code label, columns in any order with lot and expiry in one
cell, descriptions wrapping onto the next line, totals rows, stamps. Hand-made OCR boxes, so each rule is
tested without the OCR; each test names the change it fails without.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from integrations.slips import Expected, ExpectedItem, ExpectedOrder
from integrations.slips.layout import OcrBox
from integrations.slips.parser import parse_slip
from models.packing_slip import PackingSlip


def placed(*rows: list[tuple[int, str]], pitch: float = 40.0) -> list[OcrBox]:
    """One box per (x, text) cell, rows `pitch` px apart, 13 px per character, scored as crisp print."""
    out = []
    for y, cells in enumerate(rows):
        for x, text in cells:
            width = 13.0 * len(text)
            top = pitch * y
            out.append(OcrBox(text, 0.999, ((x, top), (x + width, top), (x + width, top + 24), (x, top + 24))))
    return out


def got(slip: PackingSlip) -> list[tuple[object, ...]]:
    return [(l.sku.value, l.quantity.value, l.unit.value, l.lot.value, l.expiry.value) for l in slip.lines]


def orders(supplier: str, *items: tuple[str, str, int]) -> Expected:
    return Expected(orders=(ExpectedOrder("PO-31", supplier, tuple(
        ExpectedItem((code,), unit, Decimal(left)) for code, unit, left in items)),))


HEAD = [[(40, "Green Valley Farms Inc."), (900, "Packing List")], [(40, "PO Number: PO-31"), (600, "Ship Date: 2026-01-05")],
        [(40, "Ship To: Blue Door Bakery Inc.")]]


def test_cards_with_the_code_in_brackets_read_their_unlabelled_details_lines() -> None:
    """Name first, code in brackets, quantity on the next line, lot and expiry unlabelled on the third: the
    details line is no item of its own (it names nothing), the bracketed code beats 'T550' in the name.
    (Fails without goods._names_something: the lot line starts an item and takes the lot and expiry from
    the item above; without _marked_as_code: 'T550' is taken as the code; without _unbracketed the
    reading alone finds no code at all.)"""
    boxes = placed(*HEAD,
                   [(40, "1."), (90, "Wheat flour T550 [FLR-6173]")], [(170, "82.72 kilograms")],
                   [(170, "LOT833929"), (330, "2026-07-29")],
                   [(40, "2."), (90, "Free range eggs M (EGG-4124)")], [(170, "19 pieces")], [(170, "L2422A")],
                   [(40, "Gross weight: 4,446.40 kg"), (420, "No. of pallets: 3")])
    want = [("FLR-6173", Decimal("82.72"), "kg", "LOT833929", date(2026, 7, 29)),
            ("EGG-4124", Decimal(19), "pcs", "L2422A", None)]
    assert got(parse_slip(boxes)) == want
    assert got(parse_slip(boxes, orders("Green Valley Farms Inc.", ("FLR-6173", "kg", 500),
                                        ("EGG-4124", "pcs", 19)))) == want


def test_a_code_after_its_label_follows_the_name() -> None:
    """'Weizenmehl Type 550   Art.-Nr. FLR-1001': the labelled code, not the type number, starts the item.
    (Fails without goods._marked_as_code.)"""
    boxes = placed([(40, "Acme Foods GmbH"), (900, "Lieferschein")], [(40, "Bestellnr.: PO-31")],
                   [(40, "Weizenmehl T550"), (300, "Art.-Nr. FLR-1001")], [(100, "Menge: 1.250 kg"), (400, "Charge: L2304A")])
    assert got(parse_slip(boxes)) == [("FLR-1001", Decimal(1250), "kg", "L2304A", None)]


def test_a_stray_bracket_does_not_make_a_number_a_code() -> None:
    """A garbled 'Beleg-Nr.: 557755' read as 'Beleg Nt: (557755' starts no item; '[YST-533' (its closing
    bracket lost) still does. (Fails with _unbracketed stripping every bracket.)"""
    boxes = placed([(40, "Gewürzhaus Berger GmbH")], [(40, "Bestellnr.: PO-31")], [(40, "Beleg Nt: (557755")],
                   [(40, "Lieferanscift: Feinkost Lehma Gm . 3 CorsoItalia")],
                   [(40, "Trockenhefe [YST-533")], [(100, "469 g")])
    assert [l.sku.value for l in parse_slip(boxes).lines] == ["YST-533"]


def test_a_name_wrapped_onto_the_next_line_is_no_lot() -> None:
    """'Meersalz grob, im' over '25-kg-Sack': the second line of a wrapped name is not an unlabelled lot.
    (Fails without the spelled-word test in goods._unlabelled_lot.)"""
    boxes = placed([(40, "Acme Foods GmbH")], [(40, "Bestellnr.: PO-31")],
                   [(40, "SLT-3523"), (200, "Meersalz grob, im"), (520, "120 kg")], [(200, "25-kg-Sack")])
    assert got(parse_slip(boxes)) == [("SLT-3523", Decimal(120), "kg", None, None)]


def test_a_size_letter_ending_a_name_is_not_a_unit_cell() -> None:
    """'Eier Freiland M': the size stays in the name; a unit cell a column gap before the quantity
    ('Vollmilch  l  12') is still dropped from it. (Fails with goods._description dropping every unit
    word that ends the name.)"""
    boxes = placed([(40, "Acme Foods GmbH")], [(40, "Bestellnr.: PO-31")],
                   [(40, "1."), (90, "EGG-3096 Eier Freiland M")], [(90, "Menge: 9.963 Stück"), (420, "Charge: 2392-528")],
                   [(40, "2."), (90, "MLK-1042 Vollmilch"), (400, "l"), (480, "12")])
    assert [l.description.value for l in parse_slip(boxes).lines] == ["Eier Freiland M", "Vollmilch"]
