"""Outside review 22: attacks on 83661e8 (plausible.lots_with_letters_read_as_digits) and 663b73e
(layout.marked_at_an_angle). Each test is xfail(strict) where the current code does the wrong thing.

Silent errors: a stamp's short date box is not measured (F1); the page's median slant is moved by the stamp
itself (F2); a two-letter-prefix lot with a separator is not looked at (F7).
Over-marking: a capped stamp word lowers the score of every printed value on its row (F3, F4); a folded
letterhead's level print is marked (F5); a one-letter prefix with a zero-padded serial, and numeric lots, are
marked although the slip's other lots show how the supplier numbers them (F6).

Fixed since (layout.skew takes the slant most of the page's characters agree with, so the first F2 case
passes). Fixed in the commit that added this file: F1 (a shorter box beside a stamp's long line, at its angle, is the
same stamp's), F3 (a stamp's boxes make rows of their own), F6 for numeric lots (three lots shaped alike are the
supplier's numbering), F7 (a separator after the prefix). Left as strict xfail: F2's second case (a stamp
whose long lines hold more characters than the print's), F4 (a stamp row inside an item's block of listed
rows lowers the block's score: over-marking, the safe side), F5 (a folded panel's print is taken for a stamp: over-marking), F6 for a letter
and a zero-padded serial (items.code_certainty, older than these commits).
"""
from __future__ import annotations

import io
from decimal import Decimal

import pytest
from PIL import Image, ImageDraw, ImageFont

from integrations.slips import Expected, ExpectedItem, ExpectedOrder
from integrations.slips.layout import AT_AN_ANGLE_SCORE, OcrBox, stamped
from integrations.slips.parser import parse_slip
from tests.slip_boxes import boxes_of
from tests.test_slip_lot_letters import _slip_with_lots
from tests.test_slip_stamp_angle import PO, _box, stamped_expiries

GREY = (110, 110, 110, 255)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def _png(page: Image.Image) -> bytes:
    out = io.BytesIO()
    page.save(out, "PNG")
    return out.getvalue()


def _read(png: bytes, expected: Expected):
    pytest.importorskip("rapidocr", reason="offline OCR not installed (pip install rapidocr onnxruntime)")
    from integrations.slips.offline import ocr_photo, parse_boxes

    return parse_boxes(ocr_photo(png), expected)


def _centred(text: str, x: float, y: float, width: float, degrees: float, height: float = 24) -> OcrBox:
    """tests.test_slip_stamp_angle._box, but placed by its centre (so it falls into the row at y)."""
    box = _box(text, 0, 0, width, height=height, degrees=degrees)
    mx, my = (sum(p[i] for p in box.quad) / 4 for i in (0, 1))
    return _box(text, x - mx, y - my, width, height=height, degrees=degrees)


def marked_at_an_angle(boxes: list[OcrBox]) -> list[OcrBox]:
    """The boxes as the rows read them: a stamp's scored unsure (layout.rows_of)."""
    return [OcrBox(box.text, min(box.score, AT_AN_ANGLE_SCORE), box.quad) if is_stamp else box
            for box, is_stamp in zip(boxes, stamped(boxes), strict=True)]


# --- F1: a stamp's short date is a box under three widths: never measured, shown sure --------------------------

def test_a_stamp_s_short_date_over_an_empty_expiry_cell_is_marked() -> None:
    """The slip: the grey 'ERHALTEN' stamp of tests/test_slip_stamp_angle.py, turned 9°, pressed over the second
    row's empty MHD cell, its date filled in short ('2.3.27', as staff write it into a goods-in stamp's date
    field). The code: the OCR's box for '2.3.27' is 2.5x as wide as tall, so marked_at_an_angle does not
    measure its slant (the 'ERHALTEN' box of the same stamp, at the same 8°, is marked); the date becomes
    BOX-2002's expiry at 0.999, without ⚠. Why it matters: the floor books a best-before date that is the
    delivery's receipt date - exactly the class the change claims to cover, only with a shorter date."""
    printed, stamped = stamped_expiries("2.3.27", 9)
    assert printed.value is not None and not printed.doubtful  # print: sure
    assert stamped.value is None or stamped.doubtful, stamped  # on 663b73e: 2027-03-02, sure


# --- F2: the page's slant is a median the stamp itself takes part in ------------------------------------------

@pytest.mark.parametrize("stamp_lines", [3, pytest.param(4, marks=pytest.mark.xfail(strict=True, reason=(
    "F2, left: a stamp with more characters in its long lines than the print has in its own sets the page's "
    "slant (layout.skew: the slant most characters agree with)")))],
    ids=["as many long stamp lines as print", "one more"])
def test_a_big_stamp_on_a_small_slip_is_still_the_one_marked(stamp_lines: int) -> None:
    """The slip: a small one (A6, one or two items, short codes and figures), whose only boxes three times as wide
    as tall are its letterhead lines; a four-line goods-in stamp ('WARENEINGANG', 'Bäckerei Nord', its date,
    'Geprüft: KM') pressed on at 9°. The code: skew() takes the median slant over print AND stamp; with as many
    long stamp lines as print lines the median is halfway (4.5°), so neither is marked; with one more it is the
    stamp's, so the stamp is 'level' and the printed letterhead is marked. Why it matters: the stamp's date is
    then a sure value (a silent error waiting for a cell to land in), and the print the floor should trust gets
    ⚠ - on small slips, where big stamps are most likely to outnumber the print."""
    print_ = [_box(text, 40, 40 * row, 13 * len(text))
              for row, text in enumerate(["Bergmühle KG", "Lieferschein 4711", "Best.: BST-80078"])]
    print_ += [_box(text, 40 + 90 * i, 160, 13 * len(text)) for i, text in enumerate(["F-101", "Mehl", "12", "kg"])]
    stamp = [_centred(text, 620, 212 + 22 * i, 13 * len(text), -9)
             for i, text in enumerate(["WARENEINGANG", "26.02.2027", "Geprüft: KM", "Bäckerei Nord"][:stamp_lines])]
    scores = {box.text: box.score for box in marked_at_an_angle(print_ + stamp)}
    assert scores["26.02.2027"] < 0.99  # the stamp's date: marked
    assert all(scores[box.text] == 0.999 for box in print_)  # the print: not


# --- F3/F4: a stamp word capped at 0.9 lowers the score of its whole row --------------------------------------

def _beside_the_date(at: tuple[int, int]) -> bytes:
    page = Image.new("RGB", (1160, 360), "white")
    draw = ImageDraw.Draw(page)
    draw.text((60, 30), "Bergmuehle Schneider KG", fill="black", font=_font(34))
    draw.text((60, 90), "Lieferschein Nr. 4711", fill="black", font=_font(24))
    draw.text((60, 130), "Bestellung: BST-80078", fill="black", font=_font(24))
    draw.text((420, 130), "Lieferdatum: 23.02.2027", fill="black", font=_font(24))
    draw.text((60, 220), "FLR-1001  Weizenmehl  Menge: 12 kg", fill="black", font=_font(24))
    draw.text((60, 280), "BOX-2002  Versandkarton  Menge: 228 Stk", fill="black", font=_font(24))
    stamp = Image.new("RGBA", (320, 70), (0, 0, 0, 0))
    ink = ImageDraw.Draw(stamp)
    ink.rectangle((2, 2, 317, 67), outline=GREY, width=5)
    ink.text((25, 12), "WARENEINGANG", fill=GREY, font=_font(36))
    stamp = stamp.rotate(9, expand=True, resample=Image.Resampling.BICUBIC)
    page.paste(stamp, at, stamp)
    return _png(page)


def test_a_stamp_beside_the_printed_slip_date_leaves_the_date_sure() -> None:
    """The slip: 'Lieferdatum: 23.02.2027' printed level; a grey 'WARENEINGANG' stamp pressed at 9° in the top
    right corner, beside that line, touching nothing printed (where goods-in stamps usually go). The code:
    the stamp's box is scored 0.9, rows_of puts it in the date's row, Row.score is the row's least word score,
    and header._slip_date reads the date with row.score: the printed date is now marked (it was sure before
    663b73e). Why it matters: every stamped slip's date gets a ⚠ it does not deserve - the cap was meant for
    values read FROM the stamp, not for its neighbours."""
    read = _read(_beside_the_date((740, 95)), PO)
    assert str(read.slip_date.value) == "2027-02-23"
    assert not read.slip_date.doubtful


@pytest.mark.xfail(strict=True, reason="F4: a capped stamp word on an item's row marks the row's printed lot/expiry")
def test_a_stamp_beside_a_labelled_item_line_leaves_its_lot_and_expiry_sure() -> None:
    """The slip: items printed as labelled lines ('ART-100  Weizenmehl Type 550  Menge: 12 kg  Charge: L2403A
    MHD: 30.05.2027'); a 'WARENEINGANG' stamp at 9° in the right margin of the first item's line, over nothing.
    The code: the stamp box is scored 0.9 and joins the item's row; goods.read_region reads quantity, unit, lot
    and expiry with min(row.score) over the item's rows, so the printed lot and expiry get ⚠ (the quantity is
    saved only because the PO vouches for it). Why it matters: over-marking of correct print on every
    stamped line; the floor learns to tick ⚠ without looking."""
    head = (["Bergmühle Schneider KG", "Lieferschein"], ["Ihre Bestellung: BST-80078", "Lieferdatum: 03.04.2026"])
    rows = [["ART-100", "Weizenmehl Type 550", "Menge: 12 kg", "Charge: L2403A", "MHD: 30.05.2027"],
            ["ART-101", "Zucker fein", "Menge: 7 kg", "Charge: L2404B", "MHD: 30.06.2027"]]
    items = tuple(ExpectedItem((f"ART-{100 + i}",), "kg", Decimal(q)) for i, q in enumerate([12, 7]))
    expected = Expected(orders=(ExpectedOrder("BST-80078", "Bergmühle", items),))
    stamp = _centred("WARENEINGANG", 1400, 92, 160, -9)
    lines = parse_slip(boxes_of(*head, *rows) + [stamp], expected).lines
    assert (lines[0].lot.value, str(lines[0].expiry.value)) == ("L2403A", "2027-05-30")
    assert not lines[0].lot.doubtful and not lines[0].expiry.doubtful


# --- F5: level print on a folded panel is turned against the rest of the page ---------------------------------

@pytest.mark.xfail(strict=True, reason="F5: a slip folded in thirds: the letterhead panel's print is marked")
def test_a_folded_letterhead_panel_s_date_stays_sure() -> None:
    """The slip: folded in thirds for its envelope and photographed unflattened, so the letterhead panel lies
    turned 7° against the goods table (picture: the letterhead drawn level, turned 7°, pasted above a level
    table). The code: the letterhead's lines are long boxes 7° from the median slant (the table's), so all of
    them are scored 0.9 as if stamped; the printed 'Lieferdatum: 23.02.2027' is shown with ⚠ (sure before
    663b73e). Why it matters: mixed slants are normal on photos of folded or curled slips; the 6° rule
    calls every such panel a stamp."""
    page = Image.new("RGB", (1100, 560), "white")
    head = Image.new("RGBA", (700, 200), (255, 255, 255, 255))
    draw = ImageDraw.Draw(head)
    draw.text((20, 10), "Bergmuehle Schneider KG", fill="black", font=_font(34))
    for y, text in [(70, "Lieferschein Nr. 4711"), (115, "Bestellung: BST-80078"), (160, "Lieferdatum: 23.02.2027")]:
        draw.text((20, y), text, fill="black", font=_font(24))
    head = head.rotate(7, expand=True, resample=Image.Resampling.BICUBIC, fillcolor=(255, 255, 255, 0))
    page.paste(head, (40, 0), head)
    draw = ImageDraw.Draw(page)
    rows = [["Artikel", "Bezeichnung", "Menge", "Einheit", "Charge", "MHD"],
            ["FLR-1001", "Weizenmehl", "12", "kg", "L2403A", "30.05.2027"],
            ["BOX-2002", "Versandkarton", "228", "Stk", "B26144", "31.12.2028"]]
    for r, row in enumerate(rows):
        for x, text in zip([60, 220, 520, 620, 720, 880], row, strict=True):
            draw.text((x, 300 + 50 * r), text, fill="black", font=_font(24))
    draw.text((60, 470), "Ware ordnungsgemaess erhalten: ____________________", fill="black", font=_font(24))

    read = _read(_png(page), PO)
    assert str(read.slip_date.value) == "2027-02-23"
    assert not read.slip_date.doubtful


# --- F6: the lot rules ignore how the slip's other lots are numbered ------------------------------------------

@pytest.mark.parametrize("lots", [
    pytest.param(["L0012/26", "L0057/26", "L0123/26", "L1034/26"], marks=pytest.mark.xfail(strict=True, reason=(
        "F6, older than 83661e8: items.code_certainty asks about every labelled code whose letters are followed "
        "by 0 and a digit ('P02025' may be 'PO2025'), however many lots on the slip are numbered so"))),
    ["4711228", "4711229", "4711230", "4711231"]], ids=["one letter and a zero-padded serial", "seven-digit numeric batches"])
def test_lots_numbered_like_their_neighbours_are_not_marked(lots: list[str]) -> None:
    """The slip: four lines whose lots are numbered alike. (1) 'L' and a four-digit, zero-padded serial and a
    year ('L0012/26'): _PREFIX_READ_AS_DIGITS cannot tell 'L0'+'012' from a two-letter prefix 'LO'+'012',
    so every lot with a serial under 2000 - nearly all of them - is marked. (2) consecutive seven-digit
    batches: the two ending in 0 and 1 are marked as '...O'/'...I', though the other lots on the slip show
    the supplier numbers with digits only. Why it matters: over-marking of a whole supplier's lots (every
    line, every delivery), which is what teaches the floor to tick ⚠ blindly."""
    assert _slip_with_lots(lots) == ([(lot, False) for lot in lots], 0)


# --- F7: the prefix rule needs the lot glued together ---------------------------------------------------------

def test_a_prefixed_lot_with_a_separator_read_with_digits_is_marked() -> None:
    """The slip: lots 'SI-402/27' and 'OO-245/26', the two-letter prefix set off by a hyphen; the recogniser
    reads them 'S1-402/27' and '00-245/26' at 0.99+ (the same misread the change is about). The code:
    _PREFIX_READ_AS_DIGITS wants the prefix glued to the three digits, so both are shown as read, without ⚠.
    Why it matters: a silent wrong lot - the worst outcome - for the same letters in the same place, only
    printed with a hyphen."""
    lots = ["S1-402/27", "00-245/26"]
    assert _slip_with_lots(lots) == ([(lot, True) for lot in lots], len(lots))


def test_steep_and_short_boxes_are_left_alone() -> None:
    """Handled (not a finding): a word too short to measure (8°), a zero-size quad, a box without words, an empty
    page; no crash and nothing marked that is level."""
    boxes = [_box("Lieferschein Nr 4711", 0, 0, 260), _box("kg", 300, 0, 30, degrees=8),
             OcrBox("Bestellung", 0.99, ((0, 40),) * 4), OcrBox("", 0.99, ((0, 80), (100, 80), (100, 100), (0, 100)))]
    assert [box.score for box in marked_at_an_angle(boxes)] == [0.999, 0.999, 0.99, 0.99]
    assert marked_at_an_angle([]) == []
