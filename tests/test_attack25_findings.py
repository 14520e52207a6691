"""Outside review 25: the last three slip commits (de80494 struck '-288' / 'lot.rival', 27954af stamp rows out
of the date vote and ';'/'·' in a US address, 16f2538 a month and year cut off the code glued before them).

Each test is a slip made here on which the commits made the reading worse than at ae5d1e6 (HEAD~3): a wrong
value shown sure, a right value lost, or a right value newly marked. vocab.unglue runs on every OCR word of the
slip, so its new month-year cut (vocab._GLUED_MONTH) reached lots printed in their own column, item codes and
order numbers that merely end in '-MM-20YY' or 'MM/20YY'. Written as strict xfails; all pass since the fix
that followed: the month and year are cut only inside a lot's cell where a date belongs there
(table._glued_month), ';' is no US address's comma again, and stamps' addresses still vote (values.
learn_convention's `stamps`)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from integrations.slips import Expected, ExpectedItem, ExpectedOrder
from integrations.slips.parser import parse_slip
from models.packing_slip import PackingSlip, SlipLine
from tests.slip_boxes import boxes_of, cells_under
from tests.test_slip_stamp_angle import _box

ITALIAN_HEAD = boxes_of(["Caseificio Valle Verde S.r.l.", "Documento di trasporto"],
                        ["Vs. ordine: PO-65234", "Data: 14/09/2026"])
SEPARATE = (40, 160, 420, 520, 620, 780)  # a 'Lotto' column and a 'Scadenza' column of its own


def _order(sku: str = "BA60/77", po: str = "PO-65234") -> Expected:
    return Expected(orders=(ExpectedOrder(po, "Caseificio Valle Verde S.r.l.", (
        ExpectedItem((sku,), "l", Decimal("8.5")), ExpectedItem(("PH73/69",), "kg", Decimal(1394)))),))


def _first(lot: str, expiry: str, sku: str = "BA60/77", expected: Expected | None = None) -> SlipLine:
    """The first line of a table with its lot and its expiry in columns of their own."""
    rows = cells_under((["Codice", "Descrizione", "Qtà", "U.M.", "Lotto", "Scadenza"],
                        [sku, "Panna fresca 35 %", "8,5", "l", lot, expiry],
                        ["PH73/69", "Zucchero semolato", "1394", "kg", "26-7910", "12/2027"]), 4, SEPARATE)
    return parse_slip(ITALIAN_HEAD + rows, expected).lines[0]


def test_a_lot_ending_in_a_month_and_year_beside_an_expiry_column_stays_whole() -> None:
    """Slip: 'Lotto' and 'Scadenza' in columns of their own; lot 'L-4711-03-2026' (a lot numbered with its
    production month), expiry '03/2028' printed in its column.
    Observed: lot 'L-4711-' sure (a wrong value shown sure), expiry 31 March 2026 marked (the printed March
    2028 lost: the lot's tail taken instead).
    Expected: lot 'L-4711-03-2026' and expiry 31 March 2028 — table._lot_cell's own rule, 'under a lot heading
    beside an expiry column the cell is the lot, whatever it holds'.
    HEAD~3: lot 'L-4711-03-2026' and expiry 2028-03-31, both right and sure."""
    line = _first("L-4711-03-2026", "03/2028", expected=_order())
    assert (line.lot.value, line.expiry.value) == ("L-4711-03-2026", date(2028, 3, 31)), line
    assert not line.lot.doubtful, line


def test_a_lot_made_of_a_code_and_a_month_and_year_is_not_lost() -> None:
    """Slip: as F1, lot 'PRD-11-2026', expiry '11/2028' in its column.
    Observed: lot None (unglue leaves 'PRD-' and '11-2026'; neither is kept), expiry right.
    Expected: lot 'PRD-11-2026'.
    HEAD~3: lot 'PRD-11-2026', sure."""
    line = _first("PRD-11-2026", "11/2028", expected=_order())
    assert line.lot.value == "PRD-11-2026", line


def test_an_item_code_ending_in_a_month_and_year_is_read() -> None:
    """Slip: item 'CAL-12-2026' (a 2026 calendar; a magazine issue 'MAG-03-2026' alike) ordered on the PO and
    printed in the code column.
    Observed: sku None — the right code lost, the line no longer tied to the PO's item by its code.
    Expected: sku 'CAL-12-2026', sure (it is the PO's code).
    HEAD~3: sku 'CAL-12-2026', sure."""
    line = _first("26-7911", "12/2027", sku="CAL-12-2026", expected=_order(sku="CAL-12-2026"))
    assert (line.sku.value, line.sku.doubtful) == ("CAL-12-2026", False), line


def test_an_item_code_ending_in_a_month_and_year_is_not_shown_cut_and_sure() -> None:
    """Slip: as F3, item code 'SKU-4711-01-2027', no PO to read it against (expected None).
    Observed: sku 'SKU-4711-' without ⚠ (a wrong value shown sure).
    Expected: 'SKU-4711-01-2027', or a marked value.
    HEAD~3: 'SKU-4711-01-2027', right and sure."""
    line = _first("26-7911", "12/2027", sku="SKU-4711-01-2027")
    assert line.sku.value == "SKU-4711-01-2027" or line.sku.doubtful, line


def test_an_order_number_ending_in_a_month_and_year_is_not_cut() -> None:
    """Slip: 'Vs. ordine: PO-4711-12-2026' in the letterhead, no PO known to read it against.
    Observed: po_number 'PO-4711' without ⚠ (a wrong value shown sure). With the PO known, 'PO-4711' marked
    (0.55) where HEAD~3 matched it at 0.949.
    Expected: 'PO-4711-12-2026'.
    HEAD~3: 'PO-4711-12-2026', sure, with and without the PO."""
    head = boxes_of(["Caseificio Valle Verde S.r.l.", "Documento di trasporto"],
                    ["Vs. ordine: PO-4711-12-2026", "Data: 14/09/2026"])
    rows = cells_under((["Codice", "Descrizione", "Qtà", "U.M.", "Lotto", "Scadenza"],
                        ["BA60/77", "Panna fresca 35 %", "8,5", "l", "26-7911", "12/2027"]), 4, SEPARATE)
    slip: PackingSlip = parse_slip(head + rows, None)
    assert slip.po_number.value == "PO-4711-12-2026" or slip.po_number.doubtful, slip.po_number


def test_a_german_address_read_with_a_semicolon_is_no_us_address() -> None:
    """Slip: 'Bergmuehle Schneider KG, Mühlweg 5; DE 80331 München' (the comma read ';', as 27954af says scans
    do), 'Datum: 03/04/2026' (3 April), a decimal comma in the table ('12,5' kg).
    Observed: slip date 4 March 2026 without ⚠ — '; DE 80331' is taken for a Delaware ZIP (values._US now
    accepts ';'), its month-first vote beats the decimal comma's day-first fallback.
    Expected: 3 April 2026 (or a marked date).
    HEAD~3: 3 April 2026, sure (no US vote; the decimal comma says day-first)."""
    order = Expected(orders=(ExpectedOrder("BST-80078", "Bergmuehle Schneider KG", (
        ExpectedItem(("FLR-1001",), "kg", Decimal("12.5")),)),))
    head = boxes_of(["Bergmuehle Schneider KG", "Lieferschein"], ["Mühlweg 5; DE 80331 München"],
                    ["Bestellung: BST-80078", "Datum: 03/04/2026"])
    rows = cells_under((["Artikel", "Bezeichnung", "Einheit", "Menge", "Charge"],
                        ["FLR-1001", "Weizenmehl Type 550", "kg", "12,5", "L2403A"]), 4, SEPARATE[:5])
    slip = parse_slip(head + rows, order)
    assert slip.slip_date.value == date(2026, 4, 3) or slip.slip_date.doubtful, slip.slip_date


def test_the_suppliers_company_stamp_still_says_where_the_supplier_writes_from() -> None:
    """Slip: a US supplier's packing slip, 'Ship Date: 10/11/26' (11 October), 'Ship to: Bergmuehle Schneider
    GmbH', and the supplier's rubber company stamp 'GREAT LAKES PACKAGING LLC / 1200 Main St, Columbus, OH
    43219' pressed on at an angle — the supplier's hand, not the receiver's.
    Observed: 10 November 2026 without ⚠: the stamp's rows (Row.stamp) no longer vote, so the consignee's
    GmbH is the only hint and wins.
    Expected: 11 October 2026, or a marked date.
    HEAD~3: 10 November marked (the stamp's US address tied the GmbH: the date was left to a person)."""
    order = Expected(orders=(ExpectedOrder("PO-1806", "Great Lakes Packaging LLC", (
        ExpectedItem(("FKB-5497",), "pcs", Decimal(800)),)),))
    head = boxes_of(["Great Lakes Packaging LLC", "Packing Slip"], ["Ship Date:", "10/11/26"],
                    ["Customer PO:", "PO-1806"], ["Ship to: Bergmuehle Schneider GmbH"])
    rows = cells_under((["Item", "Description", "Unit", "Qty", "Lot"],
                        ["FKB-5497", "Corrugated box", "pcs", "800", "27012"]), 5, SEPARATE[:5])
    stamp = [_box("GREAT LAKES PACKAGING LLC", 560, 420, 330, degrees=-12),
             _box("1200 Main St, Columbus, OH 43219", 560, 460, 400, degrees=-12)]
    slip = parse_slip(head + rows + stamp, order)
    assert slip.slip_date.value == date(2026, 10, 11) or slip.slip_date.doubtful, slip.slip_date


def test_a_lot_ending_in_a_month_and_four_figure_year_beside_an_expiry_column_is_kept() -> None:
    """Slip: as F1, lot 'L10512/2026' (lot-number/year, as Italian documents number things), expiry '12/2028';
    and lot '26/10512/2026'.
    Observed: lot 'L105' marked; for '26/10512/2026' lot '26/105' marked and the expiry 31 Dec 2026 marked,
    the printed December 2028 lost. Marked, but right values lost.
    Expected: the lots as printed, the expiry 31 December 2028.
    HEAD~3: both lots whole and sure, expiry 2028-12-31 sure."""
    line = _first("L10512/2026", "12/2028", expected=_order())
    assert line.lot.value == "L10512/2026", line
    line = _first("26/10512/2026", "12/2028", expected=_order())
    assert (line.lot.value, line.expiry.value) == ("26/10512/2026", date(2028, 12, 31)), line


def test_an_expiry_with_its_label_glued_on_stays_sure() -> None:
    """Slip: as F1, the expiry column's cell read 'EXP12/2026' ('MHD12.2026' alike).
    Observed: expiry 31 December 2026 marked (glued_pieces flags 'EXP' and '12/2026').
    Expected: 31 December 2026, sure — a label, not a code, before the month; where 'EXP' ends is no guess.
    HEAD~3: 31 December 2026, sure."""
    line = _first("26-7911", "EXP12/2026", expected=_order())
    assert (line.expiry.value, line.expiry.doubtful) == (date(2026, 12, 31), False), line
