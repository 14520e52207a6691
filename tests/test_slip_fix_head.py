"""The slip's letterhead and small value rules: whose order number is ours, which date is the slip's,
month-year expiries, a year that lost a digit, US addresses as a date-order vote, variant codes, O and 0.

Hand-made OCR boxes (no OCR runs), each cell scored as RapidOCR scores crisp print.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from integrations.slips import Expected, ExpectedItem, ExpectedOrder
from integrations.slips.layout import OcrBox
from integrations.slips.parser import parse_slip
from integrations.slips.values import find_date, learn_convention
from tests.slip_boxes import boxes_of, cells_under


def table(*rows: list[str], top: int = 4, columns: tuple[int, ...] = (40, 200, 420, 520, 640, 840)) -> list[OcrBox]:
    return cells_under(rows, top, columns)


GOODS = table(["Item", "Description", "Qty", "Unit", "Lot"], ["PKG-BOX-12", "Shipper box", "200", "pcs", "L26897"])


@pytest.mark.parametrize("theirs, ours", [
    ("Nuestro pedido: 5512", "Su pedido: PO-77"),
    ("Ns. ordine: 24051", "Vs. ordine: PO-77"),
    ("Onze order: 88123", "Uw order: PO-77"),
    ("Nosso pedido: 9981", "Sua encomenda: PO-77"),
    ("Our order: 88123", "Your ref: PO-77"),
    ("Sales Order: SO-88123", "PO #: PO-77"),
    ("Auftrag: 240517", "Ihr Auftrag: PO-77"),
], ids=["es", "it", "nl", "pt", "en your ref", "plain PO label", "Ihr Auftrag"])
def test_the_label_naming_our_order_wins_over_the_suppliers_own(theirs: str, ours: str) -> None:
    head = boxes_of(["Some Supplier Ltd", "DELIVERY NOTE"], [theirs, "Date: 12.03.2026"], [ours])
    assert parse_slip(head + GOODS).po_number.value == "PO-77"


def test_the_suppliers_own_order_number_alone_is_marked() -> None:
    head = boxes_of(["Müller Mühle GmbH", "Lieferschein"], ["Auftrags-Nr.: 240517", "Datum: 12.03.2026"])
    po = parse_slip(head + GOODS).po_number
    assert po.value == "240517" and po.doubtful, po


def test_a_plain_order_label_stays_sure() -> None:
    head = boxes_of(["Müller Mühle GmbH", "Lieferschein"], ["Bestellung: PO-77", "Datum: 12.03.2026"])
    po = parse_slip(head + GOODS).po_number
    assert po.value == "PO-77" and not po.doubtful, po


@pytest.mark.parametrize("order_date, slip_date", [
    ("PO Date: 02/20/2026", "Ship Date: 03/02/2026"),
    ("Fecha pedido: 20.02.2026", "Fecha: 02.03.2026"),
    ("Data ordine: 20.02.2026", "Data: 02.03.2026"),
    ("Date de commande: 20.02.2026", "Date: 02.03.2026"),
    ("Auftragsdatum: 20.02.2026", "Datum: 02.03.2026"),
    ("Data zamówienia: 20.02.2026", "Data: 02.03.2026"),
], ids=["en", "es", "it", "fr", "de", "pl"])
def test_the_order_date_is_not_the_slip_date(order_date: str, slip_date: str) -> None:
    head = boxes_of(["Some Supplier Ltd", "DELIVERY NOTE"], ["PO #: PO-4471", order_date], [slip_date])
    read = parse_slip(head + GOODS).slip_date
    assert read.value == date(2026, 3, 2) or read.doubtful, read


@pytest.mark.parametrize("printed, last_day", [
    ("Oct 2027", date(2027, 10, 31)), ("Okt. 2027", date(2027, 10, 31)), ("mar 2027", date(2027, 3, 31)),
    ("Best By: Nov 2028", date(2028, 11, 30)), ("febrero 2028", date(2028, 2, 29)), ("listopad 2028", date(2028, 11, 30)),
    ("maart 2027", date(2027, 3, 31)), ("03/2027", date(2027, 3, 31))])
def test_a_month_and_year_is_the_months_last_day(printed: str, last_day: date) -> None:
    found = find_date(printed)
    assert found is not None and found.value == last_day, found


@pytest.mark.parametrize("text", ["Marzipan 2027", "Deckel 2027", "Order 2027"])
def test_a_word_before_a_year_is_no_month(text: str) -> None:
    assert find_date(text) is None


def test_a_year_that_lost_its_first_digit_is_not_read_day_first() -> None:
    """'027-11-16': the OCR dropped the 2 of 2027; no day has three digits."""
    found = find_date("Validade: 027-11-16")
    assert found is not None and found.value == date(2027, 11, 16) and found.certainty < 0.6, found


@pytest.mark.parametrize("text", ["Bon de livraison IN 24051", "Lieferschein CH 8004 Zürich", "Réf. BL 24051",
                                  "Lieferschein LS 24051", "Livraison BL 24051"])
def test_two_capitals_and_digits_are_no_us_address(text: str) -> None:
    assert learn_convention([text, "Date: 03/04/2026", "Poids net: 12,5 kg"]).date_order != "MDY"


@pytest.mark.parametrize("text", ["Dallas, TX 75001", "Columbus OH 43219", "Springfield, IL 62701-1234"])
def test_a_us_address_votes_month_first(text: str) -> None:
    assert learn_convention([text, "Ship date: 03/04/2026"]).date_order == "MDY"


def test_a_lone_glyph_in_a_unit_cell_is_a_doubtful_litre() -> None:
    head = boxes_of(["Dairy Direct Ltd", "DELIVERY NOTE"], ["Your order: PO-77", "Date: 12/03/2026"])
    for glyph in ("|", "1", "i", "I"):
        read = parse_slip(head + table(["Code", "Description", "Qty", "Unit", "Batch"],
                                       ["CHS-1001", "Cheddar mature", "6", glyph, "B2304"],
                                       ["BTR-2003", "Butter unsalted", "20", "kg", "B2306"],
                                       top=2, columns=(40, 200, 520, 620, 720)))
        unit = read.lines[0].unit
        assert unit.value is None or unit.doubtful, (glyph, unit)
        assert read.lines[1].unit.value == "kg" and not read.lines[1].unit.doubtful


VARIANTS = Expected(orders=(ExpectedOrder("PO-77", "Müller Mühle GmbH", (
    ExpectedItem(("FLR-1001",), "kg", Decimal(500)), ExpectedItem(("PKG-BOX-12",), "pcs", Decimal(100)))),))


@pytest.mark.parametrize("printed", ["FLR-1001-BIO", "FLR-1001B", "FLR-1001-EU", "FLR-1001XL"])
def test_a_variant_of_an_ordered_code_is_asked_with_a_note(printed: str) -> None:
    head = boxes_of(["Müller Mühle GmbH", "Lieferschein"], ["Ihre Bestellung: PO-77", "Datum: 12.03.2026"])
    read = parse_slip(head + table(["Art.-Nr.", "Bezeichnung", "Menge", "Einheit", "Charge"],
                                   [printed, "Weizenmehl", "500", "kg", "L2304A"], top=2), VARIANTS)
    sku = read.lines[0].sku
    assert sku.value == printed or sku.doubtful, sku
    assert any(printed in note for note in read.notes), read.notes


def test_a_word_glued_to_an_ordered_code_still_snaps_sure() -> None:
    from integrations.slips.dictionary import GLUED, Dictionary
    dictionary = Dictionary(list(VARIANTS.orders[0].items))
    assert dictionary.code_for("PKG-BOX-12Shipper") == ("PKG-BOX-12", GLUED)
    assert dictionary.code_for("FLR-1001Weizenmehl") == ("FLR-1001", GLUED)


@pytest.mark.parametrize("read_as, tidied", [
    ("24K0A15", "24K0A15"), ("BX0A-1204", "BX0A-1204"), ("B0X-3086", "B0X-3086"),  # codes: left as read
    ("L0T581205", "LOT581205"), ("L0T: 4711", "LOT: 4711"), ("C0LIS", "COLIS"), ("0rder", "Order")])
def test_a_zero_between_letters_is_an_o_only_in_words(read_as: str, tidied: str) -> None:
    from integrations.slips.vocab import unglue
    assert unglue(read_as) == tidied


def test_a_code_with_a_zero_between_letters_is_marked() -> None:
    """'B0X-3086' may be BOX-3086 the OCR read with a zero, '24K0A15' a batch printed so: either way, ask."""
    head = boxes_of(["Dairy Direct Ltd", "DELIVERY NOTE"], ["Your order: PO-77", "Date: 12/03/2026"])
    read = parse_slip(head + table(["Code", "Description", "Qty", "Unit", "Batch"],
                                   ["B0X-3086", "Shipper box", "6", "pcs", "24K0A15"],
                                   top=2, columns=(40, 200, 520, 620, 720)))
    assert read.lines[0].lot.value == "24K0A15" and read.lines[0].lot.doubtful, read.lines[0].lot
    assert read.lines[0].sku.doubtful, read.lines[0].sku


OPEN = Expected(orders=(ExpectedOrder("PO-924", "Nordsee Gewürze GmbH"), ExpectedOrder("PO-2168", "Other AG"),
                        ExpectedOrder("PO-9240", "Third BV")))


@pytest.mark.parametrize("label, printed, po, sure", [
    ("Ihre Bestellung", "PO 924", "PO-924", True),  # the label took the prefix
    ("Your order:", "2168", "PO-2168", True),
    ("Your order:", "002168", "PO-2168", True)])
def test_a_po_number_printed_without_its_prefix_is_the_open_po(label: str, printed: str, po: str, sure: bool) -> None:
    head = boxes_of(["Nordsee Gewürze GmbH", "Lieferschein"], [f"{label} {printed}", "Datum: 12.03.2026"])
    read = parse_slip(head + GOODS, OPEN).po_number
    assert read.value == po and read.doubtful != sure, read


def test_a_supplier_number_equal_to_an_open_pos_digits_is_asked() -> None:
    head = boxes_of(["Nordsee Gewürze GmbH", "Lieferschein"], ["Auftrags-Nr.: 2168", "Datum: 12.03.2026"])
    read = parse_slip(head + GOODS, OPEN).po_number
    assert read.value == "PO-2168" and read.doubtful, read
