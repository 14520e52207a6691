"""Lines shown that are not on the slip (invented lines), and quantities the PO vouched for although another
figure on the slip may be the delivered one. Third corpus, seed 2701: hand-made OCR boxes of each shape."""
from __future__ import annotations

from decimal import Decimal

from integrations.slips import Expected, ExpectedItem, ExpectedOrder
from integrations.slips.layout import OcrBox
from integrations.slips.parser import parse_slip
from tests.slip_boxes import boxes_of


def at(x: float, y: int, text: str) -> OcrBox:
    """One OCR box at x on printed line y (40 px apart), 13 px a character."""
    return OcrBox(text, 0.999, ((x, 40.0 * y), (x + 13.0 * len(text), 40.0 * y),
                                (x + 13.0 * len(text), 40.0 * y + 24), (x, 40.0 * y + 24)))


ORDER = Expected(orders=(ExpectedOrder("PO-782", "Nordsee Gewürze GmbH", (
    ExpectedItem(("Z-0225-V",), "cases", Decimal(24)), ExpectedItem(("Z-1218-L",), "kg", Decimal(21)))),))


def codes(rows: list[OcrBox], expected: Expected | None = ORDER) -> list[str | None]:
    return [line.sku.value for line in parse_slip(rows, expected).lines]


# The ship-to block on the left, the slip's own fields on the right of the same rows (2701:17, :27, :43).
SHIP_TO_BESIDE_FIELDS = [
    at(40, 0, "Nordsee Gewürze GmbH"), at(600, 0, "LIEFERSCHEIN"),
    at(40, 1, "Lieferanschrift:"), at(600, 1, "Lieferdatum:"), at(780, 1, "30.06.2027"),
    at(40, 2, "Atelier Norden ApS"), at(600, 2, "Ihr Zeichen:"), at(780, 2, "PO-782"),
    at(40, 3, "Fabriksvej 21"),
    at(40, 4, "DK-8600 Silkeborg"), at(600, 4, "{label}"), at(780, 4, "42725"),
    at(40, 6, "Artikelnummer Z-0225-V"), at(40, 7, "Deckel TO 66 gold"), at(40, 8, "Menge: 24 Krt"),
    at(40, 10, "Artikelnummer Z-1218-L"), at(40, 11, "Paprika edelsüß"), at(40, 12, "Menge: 21 kg")]


def test_a_postcode_row_with_a_customer_number_beside_it_is_no_item() -> None:
    """'DK-8600 Silkeborg' with 'Kunden-Nr. 42725' printed right of it: the postcode is code-shaped and the
    town names something, so the row started an item whose quantity was the customer number. The town
    ends at the column gap; what the letterhead prints beyond it does not make the address goods."""
    for label in ("Kunden-Nr.", "Account No.", "Cód. cliente", "N° client", "Codice cliente", "Klantnr.",
                  "Nr klienta", "N.º cliente"):
        rows = [OcrBox(b.text.replace("{label}", label), b.score, b.quad) for b in SHIP_TO_BESIDE_FIELDS]
        assert codes(rows) == ["Z-0225-V", "Z-1218-L"], label
        assert "DK-8600" not in codes(rows, None), label


def test_a_goods_row_whose_code_looks_like_a_postcode_stays_an_item() -> None:
    """'DE-4711  Weizenmehl Type 550  25 kg': a code of a country's letters and digits with its name and a
    quantity printed beside it is goods, not an address."""
    rows = boxes_of(["Müller Mühle GmbH", "Lieferschein"], ["Bestellung: PO-7", "Datum: 02.04.2026"], [],
                    ["DE-4711 Weizenmehl", "25 kg"], ["FLR-1001 Roggenmehl", "30 kg"])
    assert [line.sku.value for line in parse_slip(rows).lines] == ["DE-4711", "FLR-1001"]


PACKS_ORDER = Expected(orders=(ExpectedOrder("PO-66449", "Midwest Container Co.", (
    ExpectedItem(("391-KZ37",), "kg", Decimal(1572)), ExpectedItem(("497-VX01",), "pcs", Decimal(65)))),))
TABLE_HEAD = boxes_of(["Midwest Container Co.", "Packing Slip"], ["Customer PO: po-66449", "Date: 06/22/27"], [])


def table(*rows: list[str], top: int = 3) -> list[OcrBox]:
    """Cells under the headings Qty | U/M | Item No. | Description | Lot No., rows from line `top` down."""
    columns = (40, 200, 300, 460, 800)
    return [at(x, y, text) for y, row in enumerate(rows, start=top) for x, text in zip(columns, row, strict=False)
            if text]


def test_a_count_of_packages_or_a_page_number_under_the_table_is_no_item() -> None:
    """'Cartons  9', 'Colis  2', '11 Colis  7', 'Strona 1 z 1' under the goods: a number in the quantity
    column on a row that has no item code, names no goods and holds no lot. It was read as a line
    (2701:6 '9' without ⚠)."""
    for words in (["Cartons", "9"], ["", "", "", "", "Colis 2"], ["11 Colis", "7"], ["", "", "Strona 1 z 1"],
                  ["Packstücke: 3"], ["Bultos 4"], ["Colli 5"], ["Pakken 6"], ["Volumes 2"]):
        rows = TABLE_HEAD + table(["Qty", "U/M", "Item No.", "Description", "Lot No."],
                                  ["1,572", "kg", "391-KZ37", "Pecan halves, fancy", "L270412"],
                                  ["65", "ea", "497-VX01", "Shipping carton 12x10x8 RSC", ""], [], words)
        assert codes(rows, PACKS_ORDER) == ["391-KZ37", "497-VX01"], words
        assert codes(rows, None) == ["391-KZ37", "497-VX01"], words


def test_a_row_without_a_code_that_names_its_goods_stays_a_line() -> None:
    """A returnable pallet printed without a code under the goods is goods: kept, to be checked."""
    rows = TABLE_HEAD + table(["Qty", "U/M", "Item No.", "Description", "Lot No."],
                              ["1,572", "kg", "391-KZ37", "Pecan halves, fancy", "L270412"],
                              ["2", "ea", "", "Euro pallet", ""])
    assert codes(rows, PACKS_ORDER) == ["391-KZ37", None]


def test_a_bank_account_under_the_goods_is_no_item() -> None:
    """'IBAN ES91 2100 0418 4502 0005 1332' and 'Bank PKO, nr rach. 61 1090 1014 …' under a table whose
    signature line was not read as its footer: the account's digit groups fell into the code cell and
    joined into one code, an invented line (2701:0, :24)."""
    for words in (["IBAN", "ES91 2100", "0418 4502", "0005 1332"], ["Bank", "PKO, nr rach.", "61 1090 1014 0000"],
                  ["Bankverbindung:", "DE44 3705", "0198 2345"], ["Tel.", "96 555 12 40"],
                  ["BIC", "COLSDE33"]):
        rows = TABLE_HEAD + table(["Qty", "U/M", "Item No.", "Description", "Lot No."],
                                  ["1,572", "kg", "391-KZ37", "Pecan halves, fancy", "L270412"],
                                  ["65", "ea", "497-VX01", "Shipping carton 12x10x8 RSC", ""], [], words)
        assert codes(rows, PACKS_ORDER) == ["391-KZ37", "497-VX01"], words


GERMAN_HEAD = boxes_of(["Nordsee Gewürze GmbH", "Lieferschein"], ["Ihre Bestellung PO 924", "Lieferdatum: 02.04.2027"],
                       [])
GERMAN_ORDER = Expected(orders=(ExpectedOrder("PO-924", "Nordsee Gewürze GmbH", (
    ExpectedItem(("9629.143",), "kg", Decimal(140)), ExpectedItem(("1287.794",), "g", Decimal(127)))),))


def test_an_ean_line_under_an_item_is_its_barcode_not_an_item() -> None:
    """'EAN: 4097764776919  125' printed under each item: the 13 digits are code-shaped and 'EAN' was taken
    for a name, so each barcode line became an item with the delivered amount beside it as its quantity
    (2701:29: three invented lines)."""
    for label in ("EAN", "EAN:", "GTIN", "GTINe", "EAN-13:", "UPC"):
        rows = GERMAN_HEAD + [at(40, 3, "1 9629.143 Paprika edelsüß gemahlen"), at(560, 3, "140"), at(640, 3, "kg"),
                              at(200, 4, f"{label} 4024475602046"), at(600, 4, "140"),
                              at(40, 5, "2 1287.794 Bourbon-Vanille gemahlen"), at(560, 5, "127"), at(640, 5, "g"),
                              at(200, 6, f"{label} 4097764776919"), at(600, 6, "125")]
        assert codes(rows, GERMAN_ORDER) == ["9629.143", "1287.794"], label
        assert [line.lot.value for line in parse_slip(rows, GERMAN_ORDER).lines] == [None, None], label


def test_the_ordered_amount_with_the_delivered_one_under_it_is_not_vouched_for_by_the_po() -> None:
    """'127 g' under 'Bestellmenge' on the item's row, the delivered '125' on the row under it (2701:29): the
    quantity taken is the ordered 127 — exactly what the PO expects, so it was vouched for: a short delivery
    received as complete without ⚠. A second amount of the same size on the item's lines is a rival."""
    rows = GERMAN_HEAD + [at(40, 3, "1 9629.143 Paprika edelsüß gemahlen"), at(560, 3, "140"), at(640, 3, "kg"),
                          at(200, 4, "EAN 4024475602046"), at(600, 4, "140"),
                          at(40, 5, "2 1287.794 Bourbon-Vanille gemahlen"), at(560, 5, "127"), at(640, 5, "g"),
                          at(200, 6, "EAN: 4097764776919"), at(600, 6, "125")]
    lines = parse_slip(rows, GERMAN_ORDER).lines
    assert lines[1].quantity.value == Decimal(125) or lines[1].quantity.doubtful, lines[1].quantity
    assert (lines[0].quantity.value, lines[0].quantity.doubtful) == (Decimal(140), False)  # both say 140


SPANISH_ORDER = Expected(orders=(ExpectedOrder("PO-99064", "Conservas Rías Baixas S.L.", (
    ExpectedItem(("018743",), "kg", Decimal("33.75")), ExpectedItem(("011993",), "pcs", Decimal(5)))),))


def test_a_figure_beside_the_labelled_quantity_is_not_vouched_for_by_the_po() -> None:
    """'Unidades: 33,75 kg 2…' (2701:35): the printed 33,75 is struck out and 26,75 written by pen beside it,
    which the OCR read only in part ('2'). The printed figure equals what the PO expects, so it was vouched
    for without ⚠. A bare number printed right after the quantity may be its correction: marked."""
    for quantity in ("33,75.kg2", "33,75 kg 26", "33,75 kg 2"):
        rows = boxes_of(["Conservas Rías Baixas S.L.", "ALBARÁN DE ENTREGA"], ["Ref. pedido PO-99064"], [],
                        ["1. 018743 Almendra marcona tostada"], [f"Unidades: {quantity}", "Caducidad: 09/01/2028"],
                        ["2. 011993 Tarro de vidrio 370 ml"], ["Unidades: 5 un."])
        lines = parse_slip(rows, SPANISH_ORDER).lines
        assert lines[0].quantity.doubtful, (quantity, lines[0].quantity)
        assert (lines[1].quantity.value, lines[1].quantity.doubtful) == (Decimal(5), False)


def test_the_same_amount_printed_twice_or_a_litre_read_as_1_is_no_rival() -> None:
    """'40 kg  40' (ordered and delivered agree) and '720,0  1' (the l of litres read as 1) name no other
    amount: the PO still vouches for the quantity."""
    order = Expected(orders=(ExpectedOrder("PO-7", "Müller Mühle GmbH", (
        ExpectedItem(("FLR-1001",), "kg", Decimal(40)), ExpectedItem(("MAT-LEM",), "l", Decimal(720)))),))
    rows = boxes_of(["Müller Mühle GmbH", "Lieferschein"], ["Bestellung: PO-7", "Datum: 02.04.2026"], [],
                    ["1", "FLR-1001", "Weizenmehl Type 550", "40 kg", "40", "L2304A"],
                    ["2", "MAT-LEM", "Zitronensaft", "720,0", "1", "L26897"])
    lines = parse_slip(rows, order).lines
    assert [(line.quantity.value, line.quantity.doubtful) for line in lines] == [(40, False), (720, False)], \
        [line.quantity for line in lines]
