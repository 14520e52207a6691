"""Item cards printed side by side (cards.py): each card read as an item of its own, tables left alone."""
from __future__ import annotations

from datetime import date

from integrations.slips import Expected, ExpectedItem, ExpectedOrder
from integrations.slips.layout import OcrBox
from integrations.slips.parser import parse_slip

LETTERHEAD = [[(40, "Bakker Etiketten B.V.")], [(40, "PAKBON"), (600, "Uw ordernr.: PO-21920")],
              [(40, "Datum: 27-07-2027")]]


def placed(*rows: list[tuple[float, str]]) -> list[OcrBox]:
    """Hand-made OCR output with each cell where it is printed: rows 28 px apart, a blank line where a row
    is empty (between rows of cards)."""
    out = []
    for y, cells in enumerate(rows):
        for x, text in cells:
            top, width = 28.0 * y, 11.0 * len(text)
            out.append(OcrBox(text, 0.999, ((x, top), (x + width, top), (x + width, top + 20), (x, top + 20))))
    return out


def cards(*row_of_cards: list[list[str]], xs: tuple[float, ...] = (60, 400, 740)) -> list[list[tuple[float, str]]]:
    """Rows of cards, each card its printed lines, the cards of a row starting at `xs`."""
    rows: list[list[tuple[float, str]]] = []
    for row in row_of_cards:
        for line in range(max(len(card) for card in row)):
            rows.append([(x, card[line]) for x, card in zip(xs, row, strict=False) if line < len(card)])
        rows.append([])
    return rows


THREE_AND_ONE = cards(
    [["Art.nr. UAT-2323", "Deksel twist-off 82 mm", "Aantal: 37 colli"],
     ["Art.nr. UAT-2948", "Verzenddoos 40x30x20", "Aantal: 168 stk"],
     ["Art.nr. UAT-0191", "Zonnebloemolie", "Aantal: 160 l", "Charge: 9726712487", "Houdbaar tot: 05-03-2029"]],
    [["Art.nr. UAT-8324", "Tarwebloem type 405", "Aantal: 225 kg", "Charge: 2704-9694"]])

EXPECTED = Expected(orders=(ExpectedOrder("PO-21920", "Bakker Etiketten B.V.", (
    ExpectedItem(("UAT-2323",), "cases"), ExpectedItem(("UAT-2948",), "pcs"), ExpectedItem(("UAT-0191",), "l"),
    ExpectedItem(("UAT-8324",), "kg"))),))


def lines(boxes: list[OcrBox], expected: Expected | None = None) -> list[tuple[object, ...]]:
    return [(line.sku.value, line.quantity.value, line.unit.value, line.lot.value)
            for line in parse_slip(boxes, expected).lines]


WANT = [("UAT-2323", 37, "cases", None), ("UAT-2948", 168, "pcs", None), ("UAT-0191", 160, "l", "9726712487"),
        ("UAT-8324", 225, "kg", "2704-9694")]


def test_three_cards_to_a_row_and_a_last_row_of_one_are_four_items() -> None:
    assert lines(placed(*LETTERHEAD, [], *THREE_AND_ONE), EXPECTED) == WANT


def test_cards_are_read_without_the_po_too() -> None:
    """Without the PO's codes, 'Art.nr. UAT-2323' alone on a card's first line starts the item: the label
    says it is the item's code though the line names nothing."""
    assert lines(placed(*LETTERHEAD, [], *THREE_AND_ONE)) == WANT


def test_two_cards_to_a_row_with_labels_in_another_language() -> None:
    rows = cards([["Code article DNC-4520", "Farine de blé T65", "Qté: 200 kg", "N° lot: L260730"],
                  ["Code article DNC-8987", "Fleur de sel de Guérande", "Qté: 125 g", "N° lot: 3025384293"]],
                 [["Code article DNC-4354", "Capsule métal 63 mm", "Qté: 39 pcs"]], xs=(60, 540))
    got = lines(placed(*LETTERHEAD, [], *rows))
    assert got == [("DNC-4520", 200, "kg", "L260730"), ("DNC-8987", 125, "g", "3025384293"),
                   ("DNC-4354", 39, "pcs", None)]


def test_a_table_row_with_the_code_and_a_lot_alike_stays_one_item() -> None:
    """Code and lot of one numbering in one table row: not two cards (the row holds a name and a quantity)."""
    rows = [[(60, "Art.nr."), (250, "Omschrijving"), (560, "Aantal"), (700, "Charge")],
            [(60, "UAT-2323"), (250, "Deksel twist-off"), (560, "37 colli"), (700, "UAT-9911")],
            [(60, "UAT-2948"), (250, "Verzenddoos"), (560, "168 stk"), (700, "UAT-9912")]]
    got = lines(placed(*LETTERHEAD, [], *rows))
    assert got == [("UAT-2323", 37, "cases", "UAT-9911"), ("UAT-2948", 168, "pcs", "UAT-9912")]


def test_a_table_with_the_suppliers_code_and_an_address_header_in_two_columns_stays_as_it_is() -> None:
    """Ship-to | bill-to above the goods, and our code beside the supplier's in a table row: no cards."""
    rows = [[(60, "Afleveradres:"), (540, "Factuuradres:")], [(60, "Atelier Norden ApS"), (540, "Atelier Norden ApS")],
            [(60, "Fabriksvej 21"), (540, "Postboks 118")], [],
            [(60, "Art.nr."), (200, "Uw art.nr."), (360, "Omschrijving"), (620, "Aantal")],
            [(60, "UAT-2323"), (200, "ATN-1001"), (360, "Deksel twist-off"), (620, "37 colli")],
            [(60, "UAT-2948"), (200, "ATN-1002"), (360, "Verzenddoos"), (620, "168 stk")]]
    got = lines(placed(*LETTERHEAD, [], *rows))
    assert [line[:3] for line in got] == [("UAT-2323", 37, "cases"), ("UAT-2948", 168, "pcs")]


def test_a_cards_fifth_line_is_its_own() -> None:
    """Code, name, quantity, lot, expiry: the expiry on a card's fifth line is the card's (it was cut off)."""
    slip = parse_slip(placed(*LETTERHEAD, [], *THREE_AND_ONE), EXPECTED)
    assert [line.expiry.value for line in slip.lines] == [None, None, date(2029, 3, 5), None]


def test_a_cards_code_label_is_not_its_name() -> None:
    slip = parse_slip(placed(*LETTERHEAD, [], *THREE_AND_ONE))
    assert [line.description.value for line in slip.lines] == [
        "Deksel twist-off 82 mm", "Verzenddoos 40x30x20", "Zonnebloemolie", "Tarwebloem type 405"]
