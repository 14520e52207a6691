"""Outside review 21: handwriting.mark_written_beside (commits 0b5f55c, 9f74476), attacked from outside.

Each test failed on the reviewed code (9f74476; xfail strict on branch attack21) and says what is wrong and
what would be right; the fix that followed lifted every xfail. Pictures
drawn with PIL as in tests/test_slip_handwriting.py (30 px DejaVu print, Indie Flower for the hand, a 0.6 px
blur), OCR boxes made by hand; the recogniser itself reads the cut-out ink.

False warnings (a correct figure shown with ⚠, the clerk checks for nothing): anything pen-coloured within
1.5 line heights above or 3 after a figure that the recogniser reads as a figure counts as 'written' — coloured
print in the next column or the row above, a goods-in circle round each figure, a highlighter over the rows.
Missed corrections (a wrong quantity shown as sure, the worst): a yellow or pink carbon copy (the black
print itself counts as 'pen', so every line is 'printed in colour' and left alone), writing beside that sits a
little lower than the print, writing below, a written figure with its unit, a written figure with a tick.
"""
from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from integrations.slips.handwriting import WRITTEN_BESIDE_SCORE, mark_written_beside
from integrations.slips.layout import OcrBox
from integrations.slips.overprint import Colours, find_stamps
from tests.test_slip_handwriting import BLACK, BLUE, DEJAVU, HAND, PAPER, RED, _row
from tests.test_slip_handwriting import _scores as _scores_of_row

PRINT = ImageFont.truetype(DEJAVU, 30)
SURE = 0.999


def _box(draw: ImageDraw.ImageDraw, xy: tuple[int, int], text: str) -> OcrBox:
    """The OCR's box round one printed cell, 4 px of margin, one word."""
    x0, top, x1, bottom = draw.textbbox(xy, text, font=PRINT)
    return OcrBox(text, SURE, ((x0 - 4.0, top - 4.0), (x1 + 4.0, top - 4.0), (x1 + 4.0, bottom + 4.0),
                               (x0 - 4.0, bottom + 4.0)), ((text, SURE, float(x0), float(x1)),))


def _scores(page: Image.Image, boxes: list[OcrBox], printed: list[OcrBox] = ()) -> list[float]:
    """The scores of `boxes` after the check, with the OCR's boxes of the other `printed` cells beside them."""
    page = page.filter(ImageFilter.GaussianBlur(0.6))
    colours = Colours.of(page)
    return [box.score for box in mark_written_beside(page, [*boxes, *printed], colours, find_stamps(page, colours))][
        :len(boxes)]


def _table(total: tuple[int, int, int] = BLACK, rows: tuple = (BLACK, BLACK, BLACK),
           paper: tuple[int, int, int] = PAPER) -> tuple[Image.Image, ImageDraw.ImageDraw, list[OcrBox], list[OcrBox]]:
    """Three item rows 45 px apart (30 px type): code, quantity (black), line total (in `total`), each row's
    print in its colour in `rows`. The boxes: the quantities' cells, and the OCR's boxes of the other cells
    (the OCR reads every printed cell; the review first gave the check the quantities' boxes only)."""
    page = Image.new("RGB", (1000, 400), paper)
    draw = ImageDraw.Draw(page)
    boxes, printed = [], []
    for i, ((code, qty, line_total), colour) in enumerate(zip(
            (("FLR-1001", "57", "12,50"), ("FLR-1002", "24", "8,40"), ("FLR-1003", "36", "19,80")), rows,
            strict=True)):
        y = 100 + 45 * i
        draw.text((40, y), code, fill=colour, font=PRINT)
        draw.text((500, y), qty, fill=colour, font=PRINT)
        draw.text((620, y), line_total, fill=total if colour == BLACK else colour, font=PRINT)
        boxes.append(_box(draw, (500, y), qty))
        printed += [_box(draw, (40, y), code), _box(draw, (620, y), line_total)]
    return page, draw, boxes, printed


# --- false warnings: correct figures marked by things that are no corrections --------------------------------


@pytest.mark.parametrize("colour", [BLUE, RED], ids=["blue", "red"])
def test_line_totals_printed_in_colour_do_not_mark_the_black_quantities(colour: tuple[int, int, int]) -> None:
    """Many slips print the line total (or a negative/credit amount) in blue or red, 120 px right of a black
    quantity. _print_coloured looks only at the quantity's own box (black), and the crop reaches 3 line heights
    after the figure: the total's first digit (with the row above's) is read '8', 'another figure', and the
    24 and 36 score WRITTEN_BESIDE_SCORE — ⚠ on every line of every such slip. Right: print is no writing; the
    figures keep their scores (e.g. judge pen by stroke, not colour; or leave out ink that the OCR itself read
    as a printed box)."""
    page, _, boxes, printed = _table(total=colour)
    assert _scores(page, boxes, printed) == [SURE, SURE, SURE]


def test_a_row_printed_in_colour_does_not_mark_the_figure_below_it() -> None:
    """A slip printing one row in blue (a subtotal, a replaced article, a promotional line): that row is left
    alone (its own print is coloured), but its blue '57' is 45 px above the next row's black '24', inside the
    1.5 line heights looked at, read '57' and taken for a correction of the 24. Right: the 24 keeps its score."""
    page, _, boxes, printed = _table(rows=(BLUE, BLACK, BLACK))
    assert _scores(page, boxes, printed) == [SURE, SURE, SURE]


@pytest.mark.parametrize("colour", [BLUE, RED], ids=["blue", "red"])
def test_figures_circled_by_goods_in_are_not_marked(colour: tuple[int, int, int]) -> None:
    """Goods-in often circles each quantity it counted instead of ticking it. The circle round the 24 with the
    one round the 57 above it is read '8' (sure, 0.99): the 24 and the 36 are marked although nothing was
    corrected. The docstring's claim that a check mark reads 'a stroke or a letter' holds for ticks only.
    Right: a circle (or loop) round the printed figure is no written figure; all keep their scores."""
    page, draw, boxes, _ = _table()
    for box in boxes:
        (x0, y0), _, (x1, y1), _ = box.quad
        draw.ellipse((x0 - 6, y0 - 6, x1 + 6, y1 + 6), outline=colour, width=3)
    assert _scores(page, boxes) == [SURE, SURE, SURE]


@pytest.mark.parametrize("marker", [(250, 240, 110), (150, 240, 130), (250, 150, 200)],
                         ids=["yellow", "green", "pink"])
def test_highlighted_figures_are_not_marked(marker: tuple[int, int, int]) -> None:
    """A clerk highlights the quantities (a marker multiplied over the print). The highlighted block is 'pen'
    (coloured, a little darker than the paper); cut out with the print inside it left as holes, the recogniser
    reads the printed figures in negative — the 57 above with the 24 ('524', '234', scores 0.64-0.73) — and
    the 24 and/or the 36 are marked. Right: a filled marker block is no writing (overprint already has _filled for
    this); all keep their scores."""
    page, _, boxes, _ = _table()
    mark = Image.new("RGB", page.size, (255, 255, 255))
    draw = ImageDraw.Draw(mark)
    for box in boxes:
        (x0, y0), _, (x1, y1), _ = box.quad
        draw.rectangle((x0, y0, x1, y1), fill=marker)
    page = Image.fromarray((np.asarray(page, np.float32) * np.asarray(mark, np.float32) / 255).astype(np.uint8))
    assert _scores(page, boxes) == [SURE, SURE, SURE]


# --- missed corrections: a wrong quantity shown as sure ----------------------------------------------------

@pytest.mark.parametrize("paper", [(250, 240, 160), (250, 215, 225)], ids=["yellow", "pink"])
def test_a_correction_on_a_coloured_carbon_copy_is_found(paper: tuple[int, int, int]) -> None:
    """The copy a driver leaves is often the yellow or pink carbon. The pen strength measures the turn from
    the paper's colour: black print on yellow turns by ~100 (all channels fall, blue least) and is darker —
    full 'pen'. So _print_coloured finds every line 'printed in colour' and leaves it alone: the 46 written
    in blue above the printed 57 (found on white and cream paper) is missed and the 57 stays sure — the
    silent error the change is for, on every carbon copy. Right: neutral dark print is not pen on any paper
    (measure the ink's own colour cast, not its distance from the paper's); the 57 scores
    WRITTEN_BESIDE_SCORE."""
    assert _scores_of_row(*_row(written="46", paper=paper))["57"] == WRITTEN_BESIDE_SCORE


def test_a_figure_written_beside_a_little_lower_is_found() -> None:
    """46 written in blue right of '57 kg' (x 720-764), a hand a little larger than the print and sitting a
    little lower: its ink 134-166 px against the print's 125-154. The crop stops 0.2 line heights under the
    printed box, so the written figure is cut through its middle and read 'u' (unsure): missed, the 57 stays
    sure. 5 px higher (foot 161) it is found. Right: take whole pieces of writing that start within the
    looked-at area (crop to the pieces' own extent, not the search window); the 57 scores
    WRITTEN_BESIDE_SCORE."""
    assert _scores_of_row(*_row(written="46", at=(720, 115)))["57"] == WRITTEN_BESIDE_SCORE


def test_a_figure_written_under_the_printed_one_is_found() -> None:
    """The delivered 46 written just under the printed 57 (clear of the next printed line) is never looked at
    (the search ends 0.2 line heights under the box): missed, the 57 stays sure. Right: look below too (as
    far as the next printed line); the 57 scores WRITTEN_BESIDE_SCORE."""
    assert _scores_of_row(*_row(written="46", at=(600, 150)))["57"] == WRITTEN_BESIDE_SCORE


@pytest.mark.parametrize("written", ["46 kg", "46kg", "46 Stk"])
def test_a_figure_written_with_its_unit_is_found(written: str) -> None:
    """Clerks write the delivered quantity with its unit, as printed ('46 kg'). The recogniser reads it right
    ('46 kg', 0.98), but WRITTEN_FIGURE must match the whole reading, so it is no figure: missed, the 57 stays
    sure. Right: a figure followed by a unit (as PRINTED_FIGURE allows for print) counts; the 57 scores
    WRITTEN_BESIDE_SCORE."""
    assert _scores_of_row(*_row(written=written))["57"] == WRITTEN_BESIDE_SCORE


def test_a_written_figure_with_a_tick_beside_it_is_found() -> None:
    """Goods-in corrects the 57 to 46 and ticks the line with a hand 'v' just right of the writing. Both are
    cut out together and read as one text, not a figure alone: missed, the 57 stays sure (the test's red
    stroke tick happens to read '√', which WRITTEN_FIGURE's \\W? allows; a 'v' does not). Right: read the
    pieces of writing separately (or take a figure out of the reading); the 57 scores WRITTEN_BESIDE_SCORE."""
    def tick(draw: ImageDraw.ImageDraw, box: OcrBox) -> None:
        draw.text((660, 70), "v", fill=BLUE, font=ImageFont.truetype(HAND, 52))

    assert _scores_of_row(*_row(written="46", decorate=tick))["57"] == WRITTEN_BESIDE_SCORE


def test_the_reviewed_cases_still_hold() -> None:
    """Control (passes): the same pictures without the attack — a black table keeps its scores, and 46 above
    the 57 on white paper and right beside it on the print's own line are found."""
    page, _, boxes, _ = _table()
    assert _scores(page, boxes) == [SURE, SURE, SURE]
    assert _scores_of_row(*_row(written="46"))["57"] == WRITTEN_BESIDE_SCORE
    assert _scores_of_row(*_row(written="46", at=(720, 110)))["57"] == WRITTEN_BESIDE_SCORE
