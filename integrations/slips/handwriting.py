"""A figure written by hand beside a printed one, found by reading the pen's ink on its own.

The delivered quantity is often written by hand beside or above the printed one, which is struck out: the
supplier printed what was ordered, fewer came. When the strike is a thin line the picture does not show
(a phone photo's blur and JPEG take a 2-pixel pen line's colour and much of its darkness) and the OCR does not
read the handwriting (its detector takes the writing into the printed line's box, or leaves it out), the
printed figure is read clearly and the PO vouches for it, because it is what was ordered: a wrong quantity
shown without ⚠. A pen's ink keeps its colour where it is thick, though: the written figure does. So the
ink near a printed figure that is coloured and darker than the paper is cut out on its own, print left
out, and the recogniser reads it alone (no detection: about 15 ms). Where it reads a figure other than the
printed one, the printed one may have been corrected: it scores WRITTEN_BESIDE_SCORE, marked ⚠ and never
vouched for by the PO. Nothing is taken from the writing; a person reads it.

What is not: a tick reads as a stroke or a letter ('√', 'V', '/'), and figures made of ones only are left
out (a tick or a rule read as '1' or '11'); a goods-in circle round the figure is no piece of writing; print in
colour that the OCR read as a box of its own (a blue line total, a red row) is left out, and a line printed in
colour is left alone; a highlighter's pale block is left out; on a yellow or pink carbon copy, whose black
print turns from the paper's colour too, pen must also be apart from print's colour (outside review 21).
Measured on the OCR caches of the third corpus with open POs (fifteenth session): phone photos 2722–2745
(360) silent errors 10 -> 8 (the blue `46` over a struck `57`, the `22` over a struck `28`), ⚠ per line
1.83 -> 1.84; seeds 2706–2717 (540 scans and photos) silent 11 = 11, 1.44 -> 1.46; tuning 21+31 and clean
2718–2721 silent 0 = 0, 1.30 -> 1.31; evaluation corpus (aggregate) silent 1 = 1, 1.47 -> 1.48; about 0.1 s
more per slip. Red ink on a heavy JPEG (`400` read 'Ben'), writing smaller than the print, pencil and black
pen are not read.
"""
from __future__ import annotations

import dataclasses
import re

import numpy as np
from PIL import Image

from integrations.slips.layout import OcrBox
from integrations.slips.ocr import read_line
from integrations.slips.overprint import Colours, Stamps, apart_from_print, chromaticity, filled, words_of

WRITTEN_BESIDE_SCORE = 0.3  # under evidence.PO_VOUCHES_FROM: marked, and the PO does not vouch for it
# A printed figure, perhaps glued to its label or unit ('Menge:28', '500g', '85.'): the words looked beside.
PRINTED_FIGURE = re.compile(r"^([^\W\d_][^\d]*[:.])?(\d[\d.,']*)([^\W\d_]{0,8}\.?)?$")
# What the recogniser made of the writing: a figure, perhaps with its unit or a tick after it ("46 kg", "46v";
# outside review 21).
WRITTEN_FIGURE = re.compile(r"\W?\d[\d.,]*\s?[^\W\d_]{0,6}\.?\W?")
READ_SURE = 0.6  # the recogniser's score for the writing: under it, it may be anything (a smudge, a tick)
PEN_TINT_FROM, PEN_TINT_FULL = 15, 55  # how far from the paper's colour ink starts to count as pen, and fully
PEN_DARK_FULL = 0.4  # of the paper's brightness darker than it: fully pen (a pale tint is JPEG's colour noise)
# On a yellow or pink carbon copy black print turns from the paper's colour as far as blue ink on white does: where
# CARBON_COPY of the lines' print counts as pen, pen must also be apart from print's colour (grey, or the paper's;
# overprint.apart_from_print). Not on every page: a phone photo's blue ink is nearly as grey as its print
# (2741:17) and would be lost (outside review 21).
CARBON_COPY = 0.5
PEN_APART_FROM, PEN_APART_FULL = 0.02, 0.06
STRONG = 0.35  # pen strength a pixel needs to be part of the writing cut out
WRITING_HEIGHT = 0.35  # of the printed line's height: smaller pieces of pen ink are specks, not writing
PRINT_DARK = 0.6  # of the paper's brightness: darker is the line's print (or pen over it)
MARKER_PALE, SLIVER = 0.65, 9  # a marker is lighter than this share of the paper; its slivers reach 9 px past
COLOURED_PRINT = 0.5  # share of the line's own print in pen colour: a slip printed in colour (check is blind)
ABOVE, BELOW, BEFORE, AFTER = 1.5, 0.8, 1.0, 3.0  # where writing is looked for, in the printed line's heights


def mark_written_beside(image: Image.Image, boxes: list[OcrBox], colours: Colours,
                        stamps: Stamps) -> list[OcrBox]:
    """The boxes, their printed figures with a different figure written by hand beside them scored
    WRITTEN_BESIDE_SCORE (see the module's doc)."""
    strength = _pen_strength(colours)
    strength[stamps.area(strength.shape)] = 0  # a stamp's date is no correction
    if not (strength > STRONG).any():
        return boxes  # no pen on the page: most scans
    strength[_highlighted(colours)] = 0  # nor a marker's block over the print (outside review 21)
    coloured = [_print_coloured(strength, colours, _area(box)) for box in boxes]
    if sum(coloured) >= CARBON_COPY * len(boxes):  # the print itself turned from the paper's colour
        strength *= _apart_from_print(image)
        coloured = [_print_coloured(strength, colours, _area(box)) for box in boxes]
    for box, printed_in_colour in zip(boxes, coloured, strict=True):
        if printed_in_colour:  # print the OCR read, in colour (a line total, a row): no writing (review 21)
            strength[_area(box)] = 0
    return [box if printed_in_colour else _marked(box, strength)
            for box, printed_in_colour in zip(boxes, coloured, strict=True)]


def _highlighted(colours: Colours) -> np.ndarray:
    """Where a marker's block lies — pale colour (a pen's ink is dark) over an area wider than any pen line
    (overprint.filled) — with the slivers of it between the print showing through, which the opening drops and
    which read as figures in negative."""
    import cv2  # lazy: comes with the OCR engine

    pale = (colours.luma > MARKER_PALE * colours.paper_luma) & (colours.tint > PEN_TINT_FULL)
    block = filled(pale).astype(np.uint8)
    return np.asarray(cv2.dilate(block, np.ones((SLIVER, SLIVER), np.uint8)), dtype=bool)


def _area(box: OcrBox) -> tuple[slice, slice]:
    xs, ys = [p[0] for p in box.quad], [p[1] for p in box.quad]
    return slice(max(0, int(min(ys))), max(0, int(max(ys)) + 1)), slice(max(0, int(min(xs))), max(0, int(max(xs)) + 1))


def _pen_strength(colours: Colours) -> np.ndarray:
    """How much each pixel looks like pen, 0 to 1: turned from the paper's colour, and darker than it."""
    tint = np.clip((colours.tint.astype(np.float32) - PEN_TINT_FROM) / (PEN_TINT_FULL - PEN_TINT_FROM), 0, 1)
    paper = max(1.0, colours.paper_luma)  # a black picture has no paper
    dark = np.clip((paper - colours.luma.astype(np.float32)) / (PEN_DARK_FULL * paper), 0, 1)
    return np.asarray(tint * dark, dtype=np.float32)


def _apart_from_print(image: Image.Image) -> np.ndarray:
    """0 to 1: how far each pixel's colour is from print's (grey, or the paper's own)."""
    colour = chromaticity(np.asarray(image.convert("RGB"), dtype=np.float32))
    paper = np.median(colour[::4, ::4].reshape(-1, 3), axis=0)  # most of the picture is its paper
    apart = apart_from_print(colour, paper)
    return np.asarray(np.clip((apart - PEN_APART_FROM) / (PEN_APART_FULL - PEN_APART_FROM), 0, 1), dtype=np.float32)


def _marked(box: OcrBox, strength: np.ndarray) -> OcrBox:
    words = words_of(box)
    if not any(PRINTED_FIGURE.match(text) and score > WRITTEN_BESIDE_SCORE for text, score, _, _ in words):
        return box
    top, bottom = min(p[1] for p in box.quad), max(p[1] for p in box.quad)
    marked = tuple((text, WRITTEN_BESIDE_SCORE if _corrected(text, score, strength, top, bottom, x0, x1) else score,
                    x0, x1) for text, score, x0, x1 in words)
    if marked == words:
        return box
    return dataclasses.replace(box, score=min(box.score, *(score for _, score, _, _ in marked)),
                               words=marked if box.words else ())


def _print_coloured(strength: np.ndarray, colours: Colours, line: tuple[slice, slice]) -> bool:
    inked = colours.luma[line] < PRINT_DARK * colours.paper_luma
    return bool(inked.any() and (strength[line][inked] > STRONG).mean() >= COLOURED_PRINT)


def _corrected(text: str, score: float, strength: np.ndarray, top: float, bottom: float, x0: float,
               x1: float) -> bool:
    printed = PRINTED_FIGURE.match(text)
    if printed is None or score <= WRITTEN_BESIDE_SCORE:
        return False
    written, sure = _read_writing(strength, top, bottom, x0, x1)
    if sure < READ_SURE or not WRITTEN_FIGURE.fullmatch(written.strip()):
        return False
    digits = re.sub(r"\D", "", written)
    return bool(digits) and set(digits) != {"1"} and digits != re.sub(r"\D", "", printed.group(2))


def _read_writing(strength: np.ndarray, top: float, bottom: float, x0: float, x1: float) -> tuple[str, float]:
    """The pen's ink above and around a printed figure, cut out to its pieces of writing's size, read."""
    import cv2  # lazy: comes with the OCR engine

    height = max(1.0, bottom - top)
    rows = slice(max(0, int(top - ABOVE * height)), max(0, int(bottom + BELOW * height)))
    cols = slice(max(0, int(x0 - BEFORE * height)), max(0, int(x1 + AFTER * height)))
    pen = strength[rows, cols]
    strong = (pen > STRONG).astype(np.uint8)
    if not strong.any():
        return "", 0.0
    count, labels, stats, _ = cv2.connectedComponentsWithStats(cv2.dilate(strong, np.ones((3, 3), np.uint8)),
                                                               connectivity=8)
    middle = ((top + bottom) / 2 - rows.start, (x0 + x1) / 2 - cols.start)
    pieces = [k for k in range(1, count) if stats[k, cv2.CC_STAT_HEIGHT] >= WRITING_HEIGHT * height
              and not _round(stats[k], middle)]
    if not pieces:
        return "", 0.0
    left = int(min(stats[k, cv2.CC_STAT_LEFT] for k in pieces))
    upper = int(min(stats[k, cv2.CC_STAT_TOP] for k in pieces))
    right = int(max(stats[k, cv2.CC_STAT_LEFT] + stats[k, cv2.CC_STAT_WIDTH] for k in pieces))
    lower = int(max(stats[k, cv2.CC_STAT_TOP] + stats[k, cv2.CC_STAT_HEIGHT] for k in pieces))
    ink = np.where(np.isin(labels, pieces), 255 * (1 - pen), 255).astype(np.uint8)  # dark on light, as printed
    return read_line(ink[max(0, upper - 4):lower + 4, max(0, left - 6):right + 6])  # a margin, as the OCR crops


def _round(stat: np.ndarray, middle: tuple[float, float]) -> bool:
    """A piece drawn round the printed figure (its box, as OpenCV gives it, holds the figure's middle): a
    goods-in circle, no figure (outside review 21)."""
    left, upper, width, tall = (int(v) for v in stat[:4])
    return bool(left <= middle[1] <= left + width and upper <= middle[0] <= upper + tall)
