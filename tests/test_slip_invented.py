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

