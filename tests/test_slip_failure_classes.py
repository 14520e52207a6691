"""Each failure class of issue 18, on a rendered slip read by the real OCR, and on hand-made OCR boxes.

Classes: column headings in wording the vocabulary does not know (or no heading row at all), words OCR
glues together, block layouts (code and description on one line, quantity/lot/expiry on the next), and
expiry dates whose day/month order only the slip's country tells. For each: every code, quantity, unit
and lot read right, and nothing read wrong without ⚠. OCR runs once per slip (module-scoped).
"""
from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

pytest.importorskip("rapidocr", reason="offline OCR not installed (pip install rapidocr onnxruntime)")

from integrations.slips import Expected, ExpectedItem, ExpectedOrder, values  # noqa: E402
from integrations.slips.layout import OcrBox  # noqa: E402
from integrations.slips.offline import ocr_photo, parse_boxes  # noqa: E402
from integrations.slips.parser import parse_slip  # noqa: E402
from models.packing_slip import PackingSlip, SlipLine  # noqa: E402
from sandbox.slips.corpus import TruthLine, TruthSlip, make_truth  # noqa: E402
from sandbox.slips.locales import LOCALES  # noqa: E402
from sandbox.slips.render import render  # noqa: E402
from tests.slip_boxes import boxes_of, cells_under  # noqa: E402


def slip(locale: str, layout: str, lines: list[TruthLine], *, degraded: bool = False, **changes: object) -> TruthSlip:
    base = make_truth(0, degraded=degraded)
    return dataclasses.replace(base, locale=locale, layout=layout, lines=lines, degraded=degraded,
                               name=f"{locale}-{layout}", **changes)  # type: ignore[arg-type]


def line(sku: str, name: str, qty: str, unit: str, shown: str, lot: str | None = None,
         expiry: date | None = None, printed_expiry: str = "") -> TruthLine:
    return TruthLine(sku, name, Decimal(qty), unit, lot, expiry, shown.split()[0], shown.split()[1], printed_expiry)


def as_read(truth: TruthSlip, read: PackingSlip) -> None:
    got = {l.sku.value: l for l in read.lines}
    for want in truth.lines:
        assert want.sku in got, f"{want.sku} not read: {[l.sku.value for l in read.lines]}"
        line = got[want.sku]
        assert (line.quantity.value, line.unit.value, line.lot.value) == (want.quantity, want.unit, want.lot)
    for line in read.lines:
        for field in ("sku", "quantity", "unit", "lot", "expiry"):
            value = getattr(line, field)
            want = next((getattr(t, field) for t in truth.lines if t.sku == line.sku.value), None)
            assert value.value == want or value.doubtful, f"{line.sku.value} {field}: {value.value} shown as sure"


def dictionary(truth: TruthSlip) -> Expected:
    items = tuple(ExpectedItem((l.sku,), l.unit, l.quantity, l.description) for l in truth.lines)
    return Expected(orders=(ExpectedOrder(truth.po_number, truth.supplier, items),))


UNKNOWN_HEADINGS = slip("xx", "codeafter", [
    line("MAT-LEM", "Zumo de limón", "1330", "l", "1.330 litros", "L26897", date(2026, 3, 12), "12/03/2026"),
    line("PKG-BOX-12", "Caja de envío 12x", "200", "pcs", "200 uds", None),
    line("OAT-2231", "Copos de avena", "48.5", "kg", "48,5 kg", "2406-118", date(2027, 1, 5), "05/01/2027")])
BLOCKS = slip("de", "list", [
    line("MAT-LEM", "Zitronensaft", "720", "l", "720 l", "L26897", date(2026, 11, 30), "30.11.2026"),
    line("PKG-BOX-12", "Versandkarton 12er", "1440", "pcs", "1.440 Stk", None),
    line("HON-220B", "Akazienhonig", "12.5", "kg", "12,5 kg", "CH-7781", date(2027, 4, 2), "02.04.2027")],
    degraded=True)
US_DATES = slip("us", "tight", [
    line("PKG-BOX-12", "Shipper box 12x", "200", "pcs", "200 pcs", "L26897", date(2026, 5, 6), "05/06/2026"),
    line("MAT-LEM", "Lemon juice", "720", "l", "720 L", "L30112", date(2027, 3, 4), "03/04/2027")],
    printed_date="04/02/2026", slip_date=date(2026, 4, 2))
UK_DATES = slip("uk", "table", [
    line("SP-1602", "Lemon juice", "24", "l", "24 L", "B240517", date(2026, 6, 5), "05/06/2026"),
    line("SP-1603", "Rolled oats", "3", "kg", "3 kg", "B240519", date(2027, 4, 3), "03/04/2027")])


# A Spanish supplier whose headings the vocabulary has never seen ("Clave" for the item code, …).
UNHEARD = dataclasses.replace(LOCALES["es"], code="xx", columns={
    "sku": ("Clave",), "description": ("Mercancía",), "quantity": ("Servido",), "unit": ("Envase",),
    "lot": ("Partida",), "expiry": ("Fecha límite",), "pos": ("Línea",)})


@pytest.fixture(scope="module")
def read_once() -> dict[str, list[OcrBox]]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(LOCALES, "xx", UNHEARD)  # the renderer looks its locale up by code
        return {truth.name: ocr_photo(render(truth)[0]) for truth in (UNKNOWN_HEADINGS, BLOCKS, US_DATES, UK_DATES)}


def test_headings_in_unknown_wording(read_once: dict[str, list[OcrBox]]) -> None:
    boxes = read_once[UNKNOWN_HEADINGS.name]
    as_read(UNKNOWN_HEADINGS, parse_boxes(boxes))  # by code shapes, whatever the headings say
    as_read(UNKNOWN_HEADINGS, parse_boxes(boxes, dictionary(UNKNOWN_HEADINGS)))


def test_block_layouts_read_the_details_line_under_the_code(read_once: dict[str, list[OcrBox]]) -> None:
    as_read(BLOCKS, parse_boxes(read_once[BLOCKS.name], dictionary(BLOCKS)))


@pytest.mark.parametrize("truth", [US_DATES, UK_DATES], ids=["month first (US)", "day first (UK)"])
def test_day_month_order_follows_the_slip(read_once: dict[str, list[OcrBox]], truth: TruthSlip) -> None:
    read = parse_boxes(read_once[truth.name], dictionary(truth))
    as_read(truth, read)
    for want in truth.lines:
        got = next(l for l in read.lines if l.sku.value == want.sku)
        assert got.expiry.value == want.expiry or got.expiry.doubtful


def test_glued_words_are_split_at_labels_units_and_codes() -> None:
    boxes = boxes_of(["Lone Star Provisions Inc.", "PACKING LIST"], ["PO #: PO-31", "Ship Date: 04/23/2026"],
                     ["PKG-BOX-12Shipper box 12x", "Qty:200 pcsLot: L26897Best before: 05/30/2027"],
                     ["MAT-LEMLemonjuice", "Qty: 720pcsLot: L30112"],
                     ["MAT-OIL Olive oil", "1,3301", "Lot: B-1120"])
    read = parse_slip(boxes, Expected(orders=(ExpectedOrder("PO-31", "Lone Star Provisions Inc.", (
        ExpectedItem(("PKG-BOX-12",), "pcs", Decimal(500)), ExpectedItem(("RM-7", "MAT-LEM"), "pcs", Decimal(720)),
        ExpectedItem(("MAT-OIL",), "l", Decimal(2000)))),)))
    got = [(l.sku.value, l.quantity.value, l.unit.value, l.lot.value) for l in read.lines]
    assert got == [("PKG-BOX-12", 200, "pcs", "L26897"), ("MAT-LEM", 720, "pcs", "L30112"),
                   ("MAT-OIL", Decimal("1330"), "l", "B-1120")]
    assert read.lines[0].expiry.value == date(2027, 5, 30) and read.po_number.value == "PO-31"
    assert read.lines[2].quantity.doubtful  # "1,3301" is 1,330 l only by a guess: a person checks it


def test_a_code_one_character_off_is_snapped_but_marked() -> None:
    boxes = boxes_of(["Acme Foods GmbH"], ["Bestellnr.: PO-31"], ["SP-1608 Weizenmehl", "12 kg"])
    read = parse_slip(boxes, Expected(orders=(ExpectedOrder("PO-31", "Acme Foods GmbH", (
        ExpectedItem(("SP-1602",), "kg", Decimal(12)),)),)))
    assert read.lines[0].sku.value == "SP-1602" and read.lines[0].sku.doubtful
    assert any("SP-1608" in note and "SP-1602" in note for note in read.notes)
    alone = parse_slip(boxes)
    assert alone.lines[0].sku.value == "SP-1608"  # without the PO nothing is snapped


def test_a_table_without_headings_keeps_its_cells_apart() -> None:
    """A bare table (no heading row, no labels): the unlabelled lot and expiry after the quantity are read,
    a lost litre unit ("4,43 1") is still a quantity, and a pack size in a name ("12x") is not. (Fails
    without litres() in goods._quantity, or without the PACK_SIZE test there.)"""
    boxes = boxes_of(["Moulins de Provence SAS", "BON DE LIVRAISON"],
                     ["Date de livraison: 03/10/2025", "Votre commande: PO2025-2221"],
                     ["CRM-6866", "Crème entière", "4,43", "1", "LOT297772", "14/08/2027"],
                     ["FLR-3388", "Farine de blé T55", "293", "kg", "LOT478158", "10/02/2027"],
                     ["Caisse carton 12x", "BOX-1200", "200", "pièces", "CH20566"],
                     ["Total colis: 3"])
    read = [(l.sku.value, l.quantity.value, l.unit.value, l.lot.value, str(l.expiry.value))
            for l in parse_slip(boxes).lines]
    assert read == [("CRM-6866", Decimal("4.43"), "l", "LOT297772", "2027-08-14"),
                    ("FLR-3388", Decimal(293), "kg", "LOT478158", "2027-02-10"),
                    ("BOX-1200", Decimal(200), "pcs", "CH20566", "None")]


@pytest.mark.parametrize("cells", [["SLT-3619", "Sel gros sac 25", "293", "kg", "LOT373578"],
                                   ["SLT-3619", "Sel gros T25 293 kg", "LOT373578"]], ids=["two cells", "one box"])
def test_a_number_ending_a_description_is_not_the_quantity_s_thousands(cells: list[str]) -> None:
    """French slips group thousands with a space ("1 763,9"). "sac 25" ending the description and "293" in
    the next cell, joined by one space, read as 25 293 kg; a code-like word "T25" is no number at all.
    (two cells: fails with goods.read_region joining the row's words by single spaces, losing the column gap;
    one box: fails with SPACE_GROUPED's number allowed to start right after a letter.)"""
    boxes = boxes_of(["Moulins de Provence SAS", "BON DE LIVRAISON"], ["Date de livraison: 03/10/2025"],
                     cells, ["CRM-6866", "Crème entière", "1 763,9", "l", "LOT297772"])
    read = [(l.sku.value, l.quantity.value, l.unit.value) for l in parse_slip(boxes).lines]
    assert read == [("SLT-3619", Decimal(293), "kg"), ("CRM-6866", Decimal("1763.9"), "l")]


def test_an_expiry_whose_separator_the_photo_lost_is_read_and_marked() -> None:
    """Photos lose a dot between digits: "MHD: 0705.2027", "16.042027" under an expiry heading. Where a label
    or heading says a date is there, the date is read, with ⚠ (it is a guess which dot was lost); an
    unlabelled "1204.2026" on an item's line stays no date (it may be a lot). (Fails with find_date's
    lost_separator ignored, or with its certainty at 1.0.)"""
    listed = parse_slip(boxes_of(["Müller Verpackung GmbH", "Lieferschein"], ["Ihre Bestellung: PO-77"],
                                 ["1.", "SLT-9829 Meersalz grob"],
                                 ["Menge 97,5 kg", "Charge: 2382-918", "MHD: 0705.2027"],
                                 ["2.", "MLK-4445 Vollmilch"], ["Menge 43 l", "1204.2026"]))
    table = parse_slip(boxes_of(["Müller Verpackung GmbH", "Lieferschein"], ["Ihre Bestellung: PO-77"])
                       + printed_table(["Art.-Nr.", "Bezeichnung", "Menge", "Einheit", "Charge", "MHD"],
                                       ["YST-1446", "Trockenhefe", "948", "g", "CH45572", "16.042027"]))
    first, second, cell = listed.lines[0].expiry, listed.lines[1].expiry, table.lines[0].expiry
    assert (first.value, cell.value) == (date(2027, 5, 7), date(2027, 4, 16))
    assert first.doubtful and cell.doubtful
    assert second.value is None


def printed_table(*rows: list[str], top: int = 2, columns: tuple[int, ...] = (40, 200, 420, 520, 640, 840)
                  ) -> list[OcrBox]:
    """Hand-made OCR boxes of a table whose cells sit under their headings (rows from line `top` down)."""
    return cells_under(rows, top, columns)


PT_HEAD = boxes_of(["Lacticínios Costa S.A.", "Guia de remessa"], ["Sua encomenda: BST-83686"])


def test_a_heading_row_the_photo_misspelt_still_names_the_columns() -> None:
    """'Cadigo  Desciotion  Oty  Unidade  Latto  Val.': no heading word reads exactly, yet the row names the
    quantity and four other columns in place; the goods are read as a table, so '449' under 'Oty' is the
    quantity although its unit cell reads '9'. (Fails with table.find_heading not falling back to
    blurred_heading: by item code alone '449 9' is no quantity with a unit.)"""
    read = parse_slip(PT_HEAD + printed_table(["Cadigo", "Desciotion", "Oty", "Unidade", "Latto", "Val."],
                                              ["YST-5379", "Dry yeast", "449", "9", "LOT671080", "17/11/2026"],
                                              ["BOX-4692", "Shipping carton", "44", "cx", "LOT884183", ""]))
    got = [(l.sku.value, l.quantity.value, l.lot.value, l.expiry.value) for l in read.lines]
    assert got == [("YST-5379", 449, "LOT671080", date(2026, 11, 17)), ("BOX-4692", 44, "LOT884183", None)]


def test_one_misspelt_word_or_a_row_with_numbers_is_no_heading() -> None:
    """A blur is forgiven only in a row that reads as headings throughout. (Fails if blurred_headings
    accepts a row with a number, or allows a wrong letter in words under five letters: 'mm' in a
    description is one letter from the unit heading 'um'.)"""
    from integrations.slips.blurred_headings import blurred_heading, kind_of
    from integrations.slips.layout import rows_of

    assert blurred_heading(rows_of(printed_table(["Cadigo", "Desciotion", "Oty 2", "Unidade", "Latto"]))) is None
    assert [kind_of(w) for w in ("oty", "latto", "desclotlon", "mm", "lld", "twlst", "gold")] == [
        "quantity", "lot", "description", None, None, None, None]  # "mm" is no misread "um" (unit)


def test_a_date_glued_to_the_lot_is_the_expiry() -> None:
    """The lot and expiry cells read as one word ('LOT63970529-12-2026'), or the expiry heading not read and
    the date counted into the lot's cell: the lot is the code, the date the expiry (⚠ when only its cell
    says so). (Fails without vocab's _GLUED_DATE split; the second half without table._line reading a date
    from the lot's cell, or with table._code joining a date to the lot.)"""
    glued = parse_slip(PT_HEAD + printed_table(["Código", "Descrição", "Quantidade", "Unidade", "Lote", "Validade"],
                                               ["SLT-1248", "Sea salt coarse", "51", "kg", "LOT63970529-12-2026"]))
    assert (glued.lines[0].lot.value, glued.lines[0].expiry.value) == ("LOT639705", date(2026, 12, 29))
    crowded = parse_slip(PT_HEAD + printed_table(["Código", "Descrição", "Quantidade", "Unidade", "Lote", "Vld"],
                                                 ["SLT-1248", "Sea salt coarse", "51", "kg", "LOT639705",
                                                  "29-12-2026"]))
    line = crowded.lines[0]
    assert (line.lot.value, line.expiry.value) == ("LOT639705", date(2026, 12, 29)) and line.expiry.doubtful


def test_a_table_row_with_a_code_but_no_readable_quantity_is_kept() -> None:
    """'PEP-5392  Pepe nero  fetoh  ar': the quantity smudged, the item is still on the slip — the line is
    kept with its quantity empty for a person to fill in, not dropped. (Fails with table._line returning
    None when the quantity cell holds no number.)"""
    read = parse_slip(PT_HEAD + printed_table(["Código", "Descrição", "Quantidade", "Unidade", "Lote", "Validade"],
                                              ["PEP-5392", "Pimenta preta", "fetoh", "ar", "B-50534", "03/11/2026"],
                                              ["SLT-1248", "Sea salt coarse", "51", "kg", "LOT639705", ""]))
    got = [(l.sku.value, l.quantity.value, l.lot.value) for l in read.lines]
    assert got == [("PEP-5392", None, "B-50534"), ("SLT-1248", 51, "LOT639705")]


def test_small_text_is_detected_finely_and_a_scan_is_not() -> None:
    """A tuning photo taken from further away (text 6-9 px high, sandbox/slips/photograph.py `far`): at
    RapidOCR's default detection threshold 0.3 faint strokes drop out and two more lines are misread; a
    degraded scan of a shuffled table read at 0.2 merges its noise into the cells and loses every line.
    (The photo fails with SMALL_TEXT_THRESHOLD = 0.3 or SMALL_TEXT_PX = 0: 1 of 5 lines right; the scan
    fails with DETECT_THRESHOLD = 0.2 or SMALL_TEXT_PX = 40: 0 of 4.)"""
    from sandbox.slips.accuracy import tuning_orders
    from sandbox.slips.corpus import WIDER, make_corpus, make_truth
    from sandbox.slips.scoring import Tally, score

    photo = make_corpus(12, seed=21, photos=True)[11]
    scan = make_truth(46, degraded=True, seed=31, layouts=WIDER)
    assert (photo.truth.name, scan.name) == ("slip-011-fr-bare-photo", "slip-046-fr-shuffled-degraded")
    for truth, image, right in ((photo.truth, photo.image, (3, 5, 0)), (scan, render(scan)[0], (4, 4, 0))):
        tally = Tally()
        score(truth, parse_boxes(ocr_photo(image), tuning_orders(truth)), tally)
        assert (tally.lines_right, tally.lines, tally.silent) == right, truth.name


def test_a_date_after_a_slash_in_the_lot_cell_is_cut_out_of_the_lot() -> None:
    """'2584-651/26-07-2025' under 'Lote/Caducidad': the lot's '651/26-07' is no date, and the real date starts
    inside it; '07-2025' is no month/year either. Under 'Lot / Ver fall' (the photo broke 'Verfall', so the
    heading names only the lot) the date is still no part of the lot: cut out, the lot marked. (Fails with
    values._numeric skipping a failed candidate whole (finditer): no expiry (on tuning slip 33:24 it read
    31 July, sure, from '07-2025'); with MONTH_YEAR allowing a digit-hyphen before it; with table._lot_cell cutting dates only
    under a heading that names the expiry: lot '2341-445/10.06.2027', sure.)"""
    both = parse_slip(PT_HEAD + printed_table(["Código", "Descrição", "Quantidade", "Unidade", "Lote/Validade"],
                                              ["FLR-7933", "Harina de trigo", "41,54", "kg", "2584-651/26-07-2025"]))
    assert (both.lines[0].lot.value, both.lines[0].expiry.value) == ("2584-651", date(2025, 7, 26))
    assert values.MONTH_YEAR.search("26-07-2025") is None and values.MONTH_YEAR.search("MHD-12/2026")
    lot_only = parse_slip(PT_HEAD + printed_table(["Artikelnr.", "Bezeichnung", "Menge", "Einheit", "LOT / Ver fall"],
                                                  ["VAN-9127", "Vanilleschoten", "1.907", "g", "2341-445/10.06.2027"]))
    line = lot_only.lines[0]
    assert (line.lot.value, line.expiry.value) == ("2341-445", date(2027, 6, 10)) and line.lot.doubtful


US_HEAD = boxes_of(["Green Valley Farms Inc.", "PACKING SLIP"], ["Purchase Order: 4500046932"])


def test_a_position_number_no_heading_names_is_not_the_unit() -> None:
    """'1  gr' in the first column: the row's position number, printed left of the first heading ('UOM'), falls
    into the unit's cell; the unit is the word that names one, not an l misread as '1'. With the units right the
    table's reading — a stamp over one quantity, two quantities marked — beats reading by item codes, which
    took the lots' '2448' and '2482' for quantities and swapped codes and lots without a PO. (Fails with
    table._unit_cell taking the cell's first word; with parser._worth counting a guessed quantity as much as
    a sure one; with the heading's margin kept for a table reading that found no item code at all.)"""
    boxes = US_HEAD + printed_table(
        ["", "UOM", "Lot & Expiry", "Description", "Quantity", "Item #"],
        ["1", "gr", "2448-861 / 2028-01-02", "Dry yeast", "127", "YST-6214"],
        ["2", "Ltr", "2482-240 / 09/11/2027", "Whole milk 3.5%, organic", "79.60", "MLK-2412"],
        ["3", "grams", "B-20913", "Vanilla pods Bourbon", "16,433", "VAN-7705"],
        ["4", "each", "", "Glass jar 370 ml, organic", "RECE VED", "JAR-6047"],
        ["5", "units", "", "Paper bags kraft, in 25 kg sacks", "4,968", "BAG-319"], columns=(40, 150, 290, 570, 940, 1100))
    order = Expected(orders=(ExpectedOrder("4500046932", "Green Valley Farms Inc.", tuple(
        ExpectedItem((code,), unit, Decimal(qty)) for code, unit, qty in [
            ("YST-6214", "g", 127), ("MLK-2412", "l", "79.6"), ("VAN-7705", "g", 16433), ("JAR-6047", "pcs", 4991),
            ("BAG-319", "pcs", 4968)])),))
    for expected in (None, order):
        read = parse_slip(boxes, expected)
        got = [(l.sku.value, l.quantity.value, l.unit.value, l.lot.value) for l in read.lines[:3]]
        assert got == [("YST-6214", 127, "g", "2448-861"), ("MLK-2412", Decimal("79.6"), "l", "2482-240"),
                       ("VAN-7705", 16433, "g", "B-20913")]
        assert read.lines[3].quantity.value is None  # under the stamp: left for a person


def test_a_lot_heading_with_its_number_word_glued_on() -> None:
    """'Partijnr.' (Dutch 'lot no.') heads the lot column as 'Partij' does. (Fails without vocab's number
    word after 'partij' in COLUMN_WORDS: every lot of the slip missed.)"""
    read = parse_slip(boxes_of(["Bakkersgroothandel Visser B.V.", "Pakbon"], ["Uw bestelling: PO-34622"])
                      + printed_table(["Art.nr.", "Omschrijving", "Aantal", "Eenheid", "Partijnr.", "THT"],
                                      ["ALM-4549", "Almonds blanched", "1.816", "kg", "CH61850", "24-12-2026"]))
    assert (read.lines[0].lot.value, read.lines[0].expiry.value) == ("CH61850", date(2026, 12, 24))


def test_item_codes_under_a_position_heading_are_found_by_shape() -> None:
    """'Nr katalogowy' (catalogue number) reads as the position column's 'Nr', and 'llość' is a blurred
    'Ilość': the codes fall into the position's cell, where the table's reading finds them by shape (marked
    without a PO), with the quantities under the blurred quantity heading. (Fails with table.read_table not
    calling _code_by_shape: reading by item code then wins, '39,10' without a unit lost.)"""
    boxes = boxes_of(["Młyn Kowalski Sp. z o.o.", "Dowód dostawy"], ["Zamówienie nr: PO-63298"]) + printed_table(
        ["Opis towaru", "Nr katalogowy", "Jedn.", "llość", "Partia", "Data ważności"],
        ["Double cream", "CRM-7883", "1", "39,10", "CH32978", "03-11-2026"],
        ["Butter unsalted 82%", "BTR-7309", "kg", "61", "LOT565154", "08-12-2025"],
        ["Twist lid 82 mm gold", "LID-6761", "szt", "774", "LOT359943", ""], columns=(40, 420, 640, 780, 920, 1120))
    alone = parse_slip(boxes)
    assert [(l.sku.value, l.quantity.value, l.lot.value) for l in alone.lines] == [
        ("CRM-7883", Decimal("39.1"), "CH32978"), ("BTR-7309", 61, "LOT565154"), ("LID-6761", 774, "LOT359943")]
    assert all(l.sku.doubtful and not l.quantity.doubtful for l in alone.lines)
    order = Expected(orders=(ExpectedOrder("PO-63298", "Młyn Kowalski Sp. z o.o.", (
        ExpectedItem(("CRM-7883",), "l", Decimal("39.1")), ExpectedItem(("BTR-7309",), "kg", Decimal(61)),
        ExpectedItem(("LID-6761",), "pcs", Decimal(774)))),))
    assert [l.sku.value for l in parse_slip(boxes, order).lines] == ["CRM-7883", "BTR-7309", "LID-6761"]


ES_HEAD = boxes_of(["Harinas del Sur S.L.", "ALBARÁN DE ENTREGA"], ["Su pedido: PO2025-0314"])
NO_CODE_HEADING = ES_HEAD + printed_table(
    ["Clave", "Descripción", "Ud.", "Lote / Cad.", "Cant."],
    ["SUG-4902", "Azúcar de caña", "", "B-98937", "1.681,72"],
    ["CRM-2386", "Nata para montar", "", "2606-19 / 14/02/2027", "356"],
    ["HNY-0737", "Miel 12x250 g", "cj", "B-56092", "206"],
    ["OIL-5226", "Aceite de oliva", "l", "CH70643 / 18-05-2028", "1.181,50"], columns=(40, 250, 560, 720, 1080))


def test_item_codes_under_a_heading_the_vocabulary_does_not_know_are_found_by_shape() -> None:
    """'Clave' is no item-code heading the vocabulary knows: the codes are counted into the description's
    cell. The table's reading finds each row's code by its shape there, marked without a PO (a lot could
    look the same), sure where the PO has it exactly; the quantities stay those under 'Cant.', sure — reading
    by item code finds no unit beside '356' or '1.181,50' and can only guess them. (Fails with
    table.read_table not calling _code_by_shape.)"""
    order = Expected(orders=(ExpectedOrder("PO2025-0314", "Harinas del Sur S.L.", (
        ExpectedItem(("SUG-4902",), "kg", Decimal("1681.72")), ExpectedItem(("CRM-2386",), "l", Decimal(356)),
        ExpectedItem(("HNY-0737",), "cases", Decimal(206)), ExpectedItem(("OIL-5226",), "l", Decimal("1181.5")))),))
    for expected in (None, order):
        read = parse_slip(NO_CODE_HEADING, expected)
        assert [(l.sku.value, l.quantity.value, l.lot.value) for l in read.lines] == [
            ("SUG-4902", Decimal("1681.72"), "B-98937"), ("CRM-2386", 356, "2606-19"), ("HNY-0737", 206, "B-56092"),
            ("OIL-5226", Decimal("1181.5"), "CH70643")]
        assert all(l.sku.doubtful == (expected is None) for l in read.lines)
        assert not any(l.quantity.doubtful for l in read.lines)  # under 'Cant.': no guess by position
        assert read.lines[1].description.value == "Nata para montar"


def test_a_word_in_the_lot_cell_is_no_lot() -> None:
    """A photo's skew put the unit 'Kartons' into the lot's cell: a word of small letters without a digit is
    no code, so no lot is read (the line's lot stays empty for a person). (Fails with table._code accepting
    any code-like run of three letters: lot 'Kartons', sure.)"""
    read = parse_slip(PT_HEAD + printed_table(["Código", "Descrição", "Quantidade", "Unidade", "Lote", "Validade"],
                                              ["BOX-8471", "Versandkarton 40x30", "62", "", "Kartons", ""]))
    assert read.lines[0].sku.value == "BOX-8471" and read.lines[0].lot.value is None


def test_without_a_po_a_code_shaped_unlike_the_others_is_marked() -> None:
    """'ALM-555' among 'YST-3215', 'OIL-4626', 'BAG-4421': the OCR, sure of every character, dropped the last
    digit. Nothing on the slip can check a code without a PO, but one supplier numbers its items one way:
    the odd one is marked, the others not. With a PO the PO checks the codes instead. (Fails without
    plausible.odd_codes in parse_slip.)"""
    boxes = PT_HEAD + printed_table(["Código", "Descrição", "Quantidade", "Unidade", "Lote"],
                                    ["YST-3215", "Levadura seca", "694", "g", "2571-608"],
                                    ["OIL-4626", "Aceite de oliva", "304,15", "l", "CH92225"],
                                    ["ALM-555", "Almendras peladas", "1.157,20", "kg", "LOT104588"],
                                    ["BAG-4421", "Bolsas de papel", "5.467", "ud", ""])
    assert [l.sku.doubtful for l in parse_slip(boxes).lines] == [False, False, True, False]


def test_a_word_glued_after_a_lot_s_digits_is_marked() -> None:
    """'B-66050COPI': a stamp's 'COPIA' printed over the lot cell and read into the lot. Codes end in a digit or
    one letter, so three letters after the digits mark the value. (Fails without items.code_certainty's
    trailing-letters rule: lot 'B-66050COPI', sure.)"""
    read = parse_slip(PT_HEAD + printed_table(["Código", "Descrição", "Quantidade", "Unidade", "Lote"],
                                              ["SUG-7967", "Sucre de canne", "12", "kg", "B-66050COPI"],
                                              ["FLR-1001", "Farine T55", "30", "kg", "L2522A"]))
    assert [(l.lot.value, l.lot.doubtful) for l in read.lines] == [("B-66050COPI", True), ("L2522A", False)]


def test_a_total_row_under_the_table_is_no_item() -> None:
    """'Subtotal  13263,92' (in whatever words) under the goods: a row without an item code whose number is the
    sum of the quantities above is the table's total, not a line to receive. A row without a code whose
    number is not that sum stays (its code smudged: a person fills it in). (Fails with table._without_total
    keeping every line.)"""
    rows = NO_CODE_HEADING[:len(ES_HEAD)]
    table = [["Código", "Descripción", "Ud.", "Lote", "Cant."], ["SUG-4902", "Azúcar de caña", "kg", "B-98937", "1.681,72"],
             ["CRM-2386", "Nata para montar", "l", "2606-19", "356"], ["HNY-0737", "Miel 12x250 g", "cj", "B-56092", "206"]]
    columns = (40, 250, 560, 720, 1080)
    total = parse_slip(rows + printed_table(*table, ["Subtotal", "", "", "", "2.243,72"], columns=columns))
    assert [l.sku.value for l in total.lines] == ["SUG-4902", "CRM-2386", "HNY-0737"]
    smudged = parse_slip(rows + printed_table(*table, ["", "Aceite de oliva", "l", "CH70643", "1.181,50"], columns=columns))
    assert [(l.sku.value, l.quantity.value) for l in smudged.lines][-1] == (None, Decimal("1181.5"))


def test_a_stamp_is_taken_off_the_page_before_the_ocr_reads_it() -> None:
    """A half-transparent green CHECKED stamp, framed, across two printed lines; a blue ballpoint '12' beside
    them; and a degraded tuning scan whose paper JPEG blotched in colour, without a stamp. The stamp's own ink becomes
    paper, the print under it and the ballpoint stay exactly as they were, and the blotched scan is left
    alone. (Fails with STAMP_SATURATION at 60: the stamp stays; with _stamp_frames taking any size: the
    blotched page is repainted; with every pixel inside a stamp taken: print under the stamp goes; without
    the paleness rule: the ballpoint's strokes go.)"""
    import numpy as np
    from PIL import Image, ImageDraw

    from integrations.slips.overprint import remove_stamps

    page = Image.new("RGB", (1200, 700), "white")
    draw = ImageDraw.Draw(page)
    draw.text((60, 200), "VAN-7691   Vanilla pods Bourbon", fill=(20, 20, 25), font_size=30)
    draw.text((90, 250), "Qty: 244 g", fill=(20, 20, 25), font_size=30)
    draw.text((700, 250), "12", fill=(35, 50, 140), font_size=34)  # a handwritten quantity in blue ballpoint
    stamp = Image.new("RGBA", (460, 160), (0, 0, 0, 0))
    ImageDraw.Draw(stamp).rectangle((0, 0, 459, 159), outline=(60, 150, 80, 120), width=7)
    ImageDraw.Draw(stamp).text((30, 30), "CHECKED", fill=(60, 150, 80, 120), font_size=90)
    page.paste(stamp, (250, 170), stamp)
    before, after = np.asarray(page), np.asarray(remove_stamps(page))
    print_ = before.max(axis=2) < 90  # black print, also where the stamp lies over it
    assert (after[print_] == before[print_]).all()
    pen = before[240:290, 690:760].max(axis=2) < 180  # the ballpoint's strokes (their pale rims may go)
    assert pen.sum() > 50 and (after[240:290, 690:760][pen] == before[240:290, 690:760][pen]).all()
    frame = before[170:177, 600:700]  # the stamp's frame, no print there
    assert frame.min() < 200 and after[170:177, 600:700].min() > 240

    from integrations.slips.images import decode_photo
    from integrations.slips.photo import flatten_page
    from sandbox.slips.corpus import WIDER

    blotched = make_truth(4, degraded=True, seed=33, layouts=WIDER)  # a degraded tuning scan, no stamp on it
    scan = flatten_page(decode_photo(render(blotched)[0]).image)
    assert remove_stamps(scan) is scan


def test_a_line_a_stamp_crossed_is_read() -> None:
    """A tuning slip (cards layout) whose CHECKED stamp lies across an item's first line: the detector took
    stamp and print for one blot and the item was lost. With the stamp taken off first its line is read —
    and its values stay marked where the stamp crossed them (overprint.mark_overprinted reads the page as
    photographed). (Fails without remove_stamps in offline.ocr_photo: VAN-7691 missing.)"""
    from sandbox.slips.corpus import WIDER

    truth = make_truth(36, degraded=False, seed=31, layouts=WIDER)
    read = parse_boxes(ocr_photo(render(truth)[0]), dictionary(truth))
    as_read(truth, read)
    assert "VAN-7691" in [l.sku.value for l in read.lines]


def test_a_lot_s_tail_before_a_date_casts_no_vote_on_the_date_order() -> None:
    """'2482-240 / 09/11/2027' on a US slip: '240 / 09/11' is no date (no day 240), so it says nothing of
    whether dates are written day first; with nothing else on the slip to say so, 09/11/2027 stays
    ambiguous and is marked, not read as 9 November, sure. (Fails with values.learn_convention voting on
    every day-month-year shaped run: the order is then DMY.)"""
    read = parse_slip(US_HEAD + printed_table(["Item #", "Description", "Quantity", "UOM", "Lot & Expiry"],
                                              ["MLK-2412", "Whole milk 3.5%", "79.60", "Ltr", "2482-240 / 09/11/2027"]))
    line = read.lines[0]
    assert line.lot.value == "2482-240" and line.expiry.value in (date(2027, 9, 11), date(2027, 11, 9))
    assert line.expiry.doubtful


def test_a_lot_beside_an_expiry_column_is_the_lot_whatever_it_holds() -> None:
    """A lot printed as its production date ('12.05.26') under 'Lot', the expiry in its own column: the lot's
    cell is the lot — a date is cut out of it only where the cell holds the expiry too, or no column is
    headed expiry at all. (Fails with table._lot_cell cutting a date out of every lot cell: no lot.)"""
    read = parse_slip(PT_HEAD + printed_table(["Código", "Descrição", "Quantidade", "Unidade", "Lote", "Validade"],
                                              ["SLT-1248", "Sea salt coarse", "51", "kg", "12.05.26", "29-12-2026"]))
    assert (read.lines[0].lot.value, read.lines[0].expiry.value) == ("12.05.26", date(2026, 12, 29))


def _printed_note(paper: Any, ink: Any, oil: str) -> tuple[Any, Any, Any]:
    """A delivery note for PO-77 (flour 25 kg, olive oil `oil` l) on `paper`: the page, its pen and its font."""
    from PIL import Image, ImageDraw, ImageFont

    page = Image.new("RGB", (1400, 700), paper)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 28)
    rows = [("Olive Co Ltd", "DELIVERY NOTE"), ("PO: PO-77", "Date: 12/03/2026"), ("Item", "Description", "Qty", "Unit"),
            ("FLR-1001", "Flour", "25", "kg"), ("OIL-3003", "Olive oil", oil, "l")]
    for y, row in enumerate(rows):
        for x, cell in zip((60, 330, 800, 1000), row, strict=False):
            draw.text((x, 60 + 90 * y), cell, fill=ink, font=font)
    return page, draw, font


def _slip_with_a_pen_correction(struck: bool) -> bytes:
    """A printed delivery note whose second line's quantity 26 is struck out by pen and 21 written above it."""
    import io

    from PIL import ImageFont

    page, draw, font = _printed_note("white", "black", "26")
    if struck:
        left, top, right, bottom = draw.textbbox((800, 60 + 90 * 4), "26", font=font)
        middle = (top + bottom) // 2
        draw.line((left - 6, middle + 2, right + 6, middle - 1), fill=(30, 40, 160), width=3)
        draw.text((left + 10, top - 52), "21", fill=(30, 40, 160), font=ImageFont.truetype(  # written above it
            "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Italic.ttf", 26))
    out = io.BytesIO()
    page.save(out, "PNG")
    return out.getvalue()


def _phone_photo_of_a_red_pen_correction(struck: bool) -> bytes:
    """The same note photographed: a thin red ballpoint line struck slanting through 1645 (the hand and the
    camera's angle tilt it against the print), 1316 written beside it, the page a little turned, taken at
    half size and saved as a heavy JPEG, so the stroke is pale and two or three pixels thick."""
    import io

    from PIL import Image, ImageFont

    page, draw, font = _printed_note((236, 232, 222), (25, 25, 25), "1645")  # paper under a warm light
    if struck:
        left, top, right, bottom = draw.textbbox((800, 60 + 90 * 4), "1645", font=font)
        middle = (top + bottom) // 2
        draw.line((left - 8, middle + 6, right + 8, middle - 6), fill=(205, 40, 45), width=3)  # 8° off level
        draw.text((right + 70, top - 6), "1316", fill=(205, 40, 45), font=ImageFont.truetype(
            "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Italic.ttf", 30))
    photo = page.rotate(2.5, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=(90, 85, 80))
    photo = photo.resize((photo.width // 2, photo.height // 2), Image.Resampling.BILINEAR)
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=40)
    return out.getvalue()


def _oil_read_against_the_po(image: bytes, printed: int) -> SlipLine:
    """The pen-correction note read with its PO (flour 25 kg, oil the printed figure): the oil line, once the
    flour line, which no pen touched, is checked to be read right and sure — or marked as having a rival, where
    the figure written over the oil's was read as a row of its own between the two: which item it corrects the
    strike below suggests, and a strike can be seen where there is none (outside review 18)."""
    expected = Expected(orders=(ExpectedOrder("PO-77", "Olive Co Ltd", (
        ExpectedItem(("FLR-1001",), "kg", Decimal(25)), ExpectedItem(("OIL-3003",), "l", Decimal(printed)))),))
    read = parse_boxes(ocr_photo(image), expected)
    flour = next(line for line in read.lines if line.sku.value == "FLR-1001")
    assert flour.quantity.value == 25 and (not flour.quantity.doubtful or flour.quantity.how == "qty.rival")
    return next(line for line in read.lines if line.sku.value == "OIL-3003")


@pytest.mark.parametrize("struck", [True, False], ids=["struck out in red pen", "printed only"])
def test_a_slanted_pale_pen_stroke_on_a_phone_photo_still_marks_the_figure(struck: bool) -> None:
    """On a phone photo the stroke is thin, pale and not level with the print: blur and JPEG take most of a
    red line's saturation and darkness (only its colour cast is left), and a level band of rows misses a
    line tilted a few degrees, so the PO vouched for the struck figure (third corpus, 48,200 struck and
    38,2 written beside it). (Fails with the detector of 6a323ec, and with pen ink never told by its colour
    cast: PEN_CHROMA = 255.) The same figure unstruck on the same photo stays sure."""
    oil = _oil_read_against_the_po(_phone_photo_of_a_red_pen_correction(struck), printed=1645)
    if struck:
        assert oil.quantity.value is None or oil.quantity.doubtful, oil.quantity  # left to fill in, or marked
    else:
        assert oil.quantity.value == 1645 and not oil.quantity.doubtful


@pytest.mark.parametrize("struck", [True, False], ids=["struck out by pen", "printed only"])
def test_a_figure_struck_out_by_pen_is_never_vouched_for_by_the_po(struck: bool) -> None:
    """The printed figure is what was ordered, so it equals what the PO expects, and the PO used to make it
    sure while the pen said 21 came (third corpus, its largest class of silent errors). A stroke of ink
    through the middle of the figure marks it, and the PO no longer vouches for it (fails with
    overprint.mark_struck_through not called, or with snapping vouching whatever the score); the same figure
    unstruck is still confirmed by the PO."""
    oil = _oil_read_against_the_po(_slip_with_a_pen_correction(struck), printed=26)
    if struck:
        assert oil.quantity.doubtful, oil.quantity  # whatever was read (26, 21 or both), a person checks it
    else:
        assert oil.quantity.value == 26 and not oil.quantity.doubtful
