"""Outside review 23: attacks on 73e53c6 (a stamp's rows apart, its short date, lots numbered alike) and
5e37134 (the residual slant fitted as a plane a + b·x + c·y and each point moved along its line).

Findings, all fixed in the commit that added this file (each was a strict xfail on 5e37134):
- B1 (5e37134, wrong rows): a flat slip whose only long boxes are its letterhead: the letterhead lines' slant
  jitter (±0.3°, what the OCR measures on level print) is fitted as a slant that changes with y and
  extrapolated down a tall table; rows split, every quantity and lot below is one row off. Old code: all right.
- L1 (73e53c6, silent): three or more lots with the same letter suffix or prefix, all misread the same way
  ('CH1951O'… read 'CH19510'…) are 'numbered alike' and all shown without ⚠. 83661e8 marked each of them.
- S1 (73e53c6, silent): a stamp at 7.5°: its long line is taken for a stamp's, its short date beside it
  (measured ~1° flatter, under 6°) is not, and becomes a line's expiry, sure.
- C1 (5e37134, crash): an infinite or very large coordinate makes rows_of raise (statistics.pstdev over inf).
- T1 (5e37134, wrong rows, low): rows depend on where the page sits in the picture's x (the c·y·x term).

Fixed by: B1 — the plane is fitted only when the long boxes span half the page's height as well as its width;
L1 — lots shaped alike exempt a place only where one of them holds another digit there ('4711228' beside
'4711230'); S1 — the shorter box beside a stamp's line needs only 4° itself; C1 — non-finite or huge slants
are left out and a misfit that is not a number bends nothing; T1 — the move along a line is measured from
the page's left edge. Attacks that found nothing are listed in the last test's docstring.
"""
from __future__ import annotations

import math
from decimal import Decimal

import pytest

from integrations.slips import Expected, ExpectedItem, ExpectedOrder, layout
from integrations.slips.layout import OcrBox, rows_of
from integrations.slips.parser import parse_slip
from tests.test_slip_lot_letters import _slip_with_lots, rendered_lots
from tests.test_slip_stamp_angle import _box, stamped_expiries


@pytest.fixture
def before_the_bend(monkeypatch: pytest.MonkeyPatch):
    """rows_of as 73e53c6 had it (before 5e37134): the median's turn alone."""
    def use() -> None:
        monkeypatch.setattr(layout, "_levelled", lambda printed: lambda x, y: y)
    return use


# --- B1: a letterhead band's slant jitter extrapolated down a tall table ------------------------------------------

LEFT = ["Bergmuehle Schneider KG", "Muehlenweg 12, 29640 Schneverdingen", "Tel 05193 98760 Fax 98761",
        "info@bergmuehle-schneider.de", "USt-IdNr DE 123456789", "Lieferschein Nr 4711 vom 23.02.2027"]
RIGHT = ["Lieferanschrift Baeckerei Nord", "Hafenstrasse 5 Lager Tor 3", "21079 Hamburg Harburg",
         "Ihre Bestellung: BST-80078", "Kunden-Nr 10442 Tour 7", "Datum: 23.02.2027"]
NAMES = ["Mehl", "Salz", "Oel", "Nuss", "Box", "Sahne", "Papr", "Honig", "Hefe", "Mohn", "Reis"]
UNITS = [("kg", "kg"), ("kg", "kg"), ("kg", "kg"), ("l", "l"), ("kg", "kg"), ("Stk", "pcs")]
COLUMNS = (40, 200, 700, 850, 1000)


def _letterhead_slip(slants: list[float], rows: int) -> tuple[list[OcrBox], list[tuple[str, str, str, str, str]]]:
    """A two-column letterhead (six lines each, the slip's only boxes 3+ widths per height, each turned by its
    entry in `slants`, degrees) over a level table of short cells, rows 40 px apart."""
    boxes = []
    for i, (left, right) in enumerate(zip(LEFT, RIGHT, strict=True)):
        boxes += [_box(left, 40, 20 + 40 * i, 13 * len(left), degrees=slants[2 * i]),
                  _box(right, 660, 20 + 40 * i, 13 * len(right), degrees=slants[2 * i + 1])]
    boxes += [_box(text, x, 290, 13 * len(text)) for x, text in zip(COLUMNS, ["Art", "Text", "Menge", "Einh", "Lot"],
                                                                     strict=True)]
    items = []
    for i in range(rows):
        item = (f"A{100 + i}", NAMES[i % len(NAMES)], str(3 + 7 * i), UNITS[i % len(UNITS)][0], f"C{i:02d}X")
        items.append(item)
        boxes += [_box(text, x, 330 + 40 * i, 13 * len(text)) for x, text in zip(COLUMNS, item, strict=True)]
    return boxes, items


def _wrong(boxes: list[OcrBox], items: list[tuple[str, str, str, str, str]]) -> list[tuple]:
    units = dict(UNITS)
    po = Expected(orders=(ExpectedOrder("BST-80078", "Bergmuehle", tuple(
        ExpectedItem((code,), units[unit], Decimal(qty)) for code, _, qty, unit, _ in items)),))
    truth = {item[0]: item for item in items}
    out = []
    for line in parse_slip(boxes, po).lines:
        item = truth.get(line.sku.value)
        if item is None:
            out.append(("phantom line", line.sku.value))
            continue
        if str(line.quantity.value) != item[2]:
            out.append((line.sku.value, "quantity", line.quantity.value, "⚠" if line.quantity.doubtful else "sure"))
        if line.lot.value != item[4]:
            out.append((line.sku.value, "lot", line.lot.value, "⚠" if line.lot.doubtful else "sure"))
    return out


# the letterhead lines' slants, top to bottom: +0.3° at the top line to -0.3° at the sixth, both columns - the
# spread the real OCR measures on level print (a rendered letterhead: 0.63..1.15° about their median 0.86°)
JITTER = [0.3 - 0.6 * (i // 2) / 5 for i in range(12)]


def test_a_letterhead_s_slant_jitter_does_not_bend_a_tall_level_table() -> None:
    """The slip: a flat, level page; a two-column letterhead (supplier, delivery address: twelve lines, the only
    boxes three widths per height or more) measured with the OCR's usual ±0.3° jitter, here falling from
    +0.3° at the top line to -0.3° at the sixth (a gentle lift of the page's top edge would do the same); below
    it a 20-row table of short cells (codes 'A100', names 'Mehl', figures, lots 'C00X'). The code: the twelve
    long boxes span the page's width, fit a plane within 0.05°, so it is applied; its c (-5e-5 rad/px, fitted
    over a band 200 px tall) is extrapolated 800 px down, where it says the rows slope 2-3°, and each point is
    moved that much along a line that is not there. From row 13 on the quantities and lots at the right are
    moved a row up: A112 gets no quantity and no lot (blank, no ⚠), A113..A119 get the previous line's
    quantity and lot (⚠). Old code (before 5e37134): all 20 lines right. Why it matters: a whole block of
    lines to re-key on an ordinary flat slip - the grouping error the bend was meant to remove."""
    boxes, items = _letterhead_slip(JITTER, 20)
    assert _wrong(boxes, items) == []


# --- L1: lots numbered alike hide a letter the OCR misreads on every one of them ---------------------------------

CH_READ = ["CH19510", "CH19520", "CH19530"]  # printed CH1951O, CH1952O, CH1953O: the shift letter O on each


@pytest.mark.parametrize("lots", [CH_READ, ["00245/26", "00246/26", "00247/26"], ["2106260", "2206260", "2306260"]],
                         ids=["suffix O", "prefix OO", "date and O"])
def test_lots_sharing_a_misread_letter_are_marked(lots: list[str]) -> None:
    """The slip: three lines whose lots carry the same letter where a lot's letter stands - a shift or line
    letter after the serial ('CH1951O', 'CH1952O', 'CH1953O'), a prefix ('OO245/26'...) - printed in the one
    typeface, so the recogniser misreads the letter on every one of them, sure. The code: the three read lots
    ('CH19510', ...) are shaped alike (NUMBERED_ALIKE), taken for the supplier's numbering and left sure; with
    two such lots both are marked. 83661e8 (before 73e53c6) marked all three. Why it matters: a misread that
    repeats is exactly what repeats on every lot of a delivery; the more lines, the less ⚠ - three silent wrong
    lots, which is what a recall is traced by."""
    assert _slip_with_lots(lots) == ([(lot, True) for lot in lots], len(lots))


def test_rendered_lots_with_the_same_letter_are_right_or_marked() -> None:
    """The slip: tests/test_slip_lot_letters.py's rendered table (layout seed 1), its four lots 'CH1951O' ..
    'CH1954O'. The real OCR reads every O as 0; the four lots are shaped alike and all four are shown as read,
    without ⚠ (the same table with one such lot among others is marked)."""
    lots = rendered_lots(["CH1951O", "CH1952O", "CH1953O", "CH1954O"])
    assert all(read.value == printed or read.doubtful for printed, read in lots), lots


# --- S1: a stamp at 7.5°: its long line is a stamp's, its short date is not ------------------------------------

def test_a_stamp_s_short_date_is_marked_when_its_line_is() -> None:
    """The slip: tests/test_attack22_findings.py's F1 slip (a grey 'ERHALTEN' stamp with its date filled in
    short, '2.3.27', over BOX-2002's empty MHD cell), the stamp pressed on at 7.5° instead of 9°. The code: the
    OCR measures 'ERHALTEN' 6.6° against the page (a stamp's), the short date beside it 5.8° (at 7°: 6.0°
    and 5.7°): the date is not over 6°, so the rule for 'a shorter box beside
    a stamp's long line, at its angle' (within 4° of it: it is, by 1°) never looks at it, and the date becomes
    BOX-2002's expiry 2027-03-02, sure. (At 8° and more the date is marked.) Why it matters: the stamp is found
    but its date still lands as a silent best-before - the F1 class, a degree and a half less turned."""
    printed, stamped = stamped_expiries("2.3.27", 7.5)
    assert printed.value is not None and not printed.doubtful  # print: sure
    assert stamped.value is None or stamped.doubtful, stamped  # on 73e53c6: 2027-03-02, sure


# --- C1: a non-finite or enormous coordinate crashes the plane's misfit ----------------------------------------

@pytest.mark.parametrize("left, right", [(100, math.inf), (1e160, 2e160)], ids=["inf", "1e160"])
def test_an_infinite_or_huge_coordinate_does_not_crash_the_rows(left: float, right: float) -> None:
    """The OCR output: B1's level slip plus one box whose right edge is at x = inf (or a box at x = 1e160:
    its square overflows in the normal equations). The code: the plane's residuals are inf/nan and statistics.pstdev
    raises AttributeError ('float' object has no attribute 'numerator'); the slip is not read at all.
    73e53c6's rows_of read it (the median's turn ignores the box). Why it matters: robustness only - RapidOCR
    does not give such boxes - but the reader should fail soft, as it did, not with an AttributeError."""
    boxes, _ = _letterhead_slip([0.0] * 12, 12)
    rows_of([*boxes, OcrBox("Lieferschein Kopie 2", 0.9, ((left, 900), (right, 900), (right, 924), (left, 924)))])


def test_the_huge_box_was_read_before_the_bend(before_the_bend) -> None:
    before_the_bend()
    boxes, _ = _letterhead_slip([0.0] * 12, 12)
    for left, right in ((100, math.inf), (1e160, 2e160)):
        quad = ((left, 900), (right, 900), (right, 924), (left, 924))
        assert rows_of([*boxes, OcrBox("Lieferschein Kopie 2", 0.9, quad)])


# --- T1: rows depend on where the page lies along the picture's x ----------------------------------------------

def _perspective_slip(shift: float) -> list[OcrBox]:
    """A 12-row table with long descriptions, seen slightly from one side (lines converge to the right:
    x' = x / w, y' = y / w, w = 1 + 5e-5·x), then moved `shift` px to the right in the picture."""
    names = ["Weizenmehl Type 550", "Zucker fein", "Meersalz grob", "Rapsoel kaltgepresst", "Haselnusskerne",
             "Versandkarton 40x30", "Sahne 30 % Fett", "Paprika edelsuess", "Deckel TO 66 gold", "Schraubglas 212 ml",
             "Roggenmehl 1150", "Honig 12x250 g"]
    cells = [(20, 40, "Bergmuehle Schneider KG"), (60, 40, "Lieferschein 4711  Bestellung: BST-80078")]
    cells += [(140, x, t) for x, t in zip((40, 200, 700, 820, 950), ["Artikel", "Bezeichnung", "Menge", "Einheit",
                                                                        "Charge"], strict=True)]
    for i, name in enumerate(names):
        cells += [(180 + 40 * i, x, t) for x, t in zip((40, 200, 700, 820, 950),
                                                        [f"ART-{1001 + i}", name, str(3 + 7 * i), "kg", f"L24{i:02d}A"],
                                                        strict=True)]

    def seen(x: float, y: float) -> tuple[float, float]:
        w = 1 + 5e-5 * x
        return x / w + shift, y / w

    return [OcrBox(t, 0.999, tuple(seen(px, py) for px, py in ((x, y), (x + 13 * len(t), y), (x + 13 * len(t), y + 24),
                                                                  (x, y + 24)))) for y, x, t in cells]


def test_rows_do_not_depend_on_where_the_page_lies_in_the_picture() -> None:
    """The OCR output: the same slightly-perspective table twice, once at the picture's left edge and once
    30,000 px to the right (a huge picture, or coordinates from a tiled scan). The code: each point is moved
    along its line to x = 0, the picture's edge, by -(a + c·y)·x; the c·y·x term scales every row's spacing by
    (1 - c·x), and at x = 30,000 with c = -5e-5 rows merge and split: a phantom line, a lost quantity. The
    median's turn alone (73e53c6) reads both alike. Why it matters: low - ocr_photo's pictures are at most
    1,568 px - but the fit is only right near x = 0, the picture's edge, not near the page's text."""
    assert [row.text for row in rows_of(_perspective_slip(30_000))] == [row.text for row in rows_of(
        _perspective_slip(0))]


def test_where_the_page_lies_did_not_matter_before_the_bend(before_the_bend) -> None:
    before_the_bend()
    assert [row.text for row in rows_of(_perspective_slip(30_000))] == [row.text for row in rows_of(
        _perspective_slip(0))]


# --- handled: attacks that found nothing ------------------------------------------------------------------------

def test_attacks_that_found_nothing() -> None:
    """Handled (not findings):
    - a signature and two handwritten notes at 3-5.9° under a 6-14 row table with long descriptions: the misfit
      guard refuses the plane or the bend is harmless below the table (rows as before);
    - pages turned 7° and -9° with side perspective (homographies, w = 1 ± 1-3e-4·x, ± 1e-4·y): results identical
      for every turn (rows_of is turn-invariant), and the bend reads more rows right than the median alone;
    - a rendered letterhead band curled 1-3% (cv2.remap, 10-28 rows): the real OCR's box slants are too coarse to
      show the band's gradient; no row worse than before (one page the old code split, the bend read right);
    - NaN coordinates (in x or in y), a zero-size quad, a quad with its corners in reverse order, a vertical margin
      line, 200 identical boxes, 50 identical long boxes: no crash, rows as before;
    - 2,500 boxes (a page behind the slip, turned 10°): stamped() is quadratic in turned boxes but takes 2.7 s.
    """
    boxes, items = _letterhead_slip([0.0] * 12, 12)
    nan = float("nan")
    odd = [OcrBox("Kopie", 0.9, ((nan, 500), (nan, 500), (nan, 524), (nan, 524))),
           OcrBox("Lieferschein Kopie Nr 2", 0.9, ((100, 900),) * 4),
           OcrBox("Lieferschein Kopie Nr 2", 0.9, ((400, 950), (100, 950), (100, 974), (400, 974)))]
    assert _wrong([*boxes, *odd], items) == []
    assert len(rows_of([boxes[0]] * 50)) == 1 and rows_of([]) == []
