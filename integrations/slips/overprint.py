"""Text with coloured ink over it — a rubber stamp across the goods — is not read as sure, however sure the OCR is.

A half-transparent RECEIVED/COPY stamp over a lot number makes the OCR drop or add a character at ≥ 0.99
(`CH3206` for CH32067, `B-66050COPI`), and often the stamp's own letters are not detected at all, so the
text alone cannot show it. The picture can: where a text box holds both black print and saturated
coloured ink, its words' scores are capped under evidence.OCR_SURE, so every value read from them is
marked ⚠. Blue ballpoint alone (a handwritten quantity) is coloured ink without print under it and is
left alone. Measured on the tuning corpus with open POs: wider layouts (seeds 31+32, stamps on most
slips) silent errors 3 → 1, ⚠ per line 1.34 → 1.36; classic layouts (seeds 21+22) unchanged.
"""
from __future__ import annotations

import dataclasses
import re

import numpy as np
from PIL import Image

from integrations.slips import vocab
from integrations.slips.evidence import STRUCK
from integrations.slips.layout import OcrBox, capped

COLOURED_SHARE = 0.02  # of a box's pixels in saturated ink
PRINT_SHARE = 0.02  # and in dark neutral ink (print)
OVERPRINTED_SCORE = 0.9  # under evidence.OCR_SURE: values from these words are marked
PAPER_HUE_APART = 25  # of PIL's 256 hue steps (≈ 35°): a red stamp on yellow paper is ink, yellow is paper


@dataclasses.dataclass(frozen=True)
class Colours:
    """A page's pixels as hue, saturation and value, and where they differ in hue from its paper: worked out
    once per page for both removing stamps and marking what they crossed."""

    hue: np.ndarray
    saturation: np.ndarray
    value: np.ndarray
    not_paper: np.ndarray
    paper_value: float  # the paper's brightness (most of a slip's picture is its paper)
    chroma: np.ndarray  # how far apart a pixel's red, green and blue are: its colour cast, however pale
    paper_chroma: float
    luma: np.ndarray  # a pixel's brightness as the eye sees it: red ink is dark, though its "value" is not
    paper_luma: float
    tint: np.ndarray  # how far a pixel's colour turned from the paper's other than darker: blue ink on cream
    # paper has a colour cast no stronger than the paper's own, but of another hue

    @classmethod
    def of(cls, image: Image.Image) -> Colours:
        hsv = np.asarray(image.convert("HSV")).astype(np.int16)
        rgb = np.asarray(image.convert("RGB"))
        red, green, blue = rgb[..., 0], rgb[..., 1], rgb[..., 2]  # channel by channel: 10x faster than axis=2
        value = hsv[..., 2]
        chroma = (np.maximum(np.maximum(red, green), blue) - np.minimum(np.minimum(red, green), blue)).astype(np.int16)
        luma = np.asarray(image.convert("L")).astype(np.int16)  # Pillow's ITU-R 601 luma, in C
        paper = np.median(rgb[::4, ::4].reshape(-1, 3), axis=0).astype(np.int16)  # most of the picture
        turned = [channel.astype(np.int16) - paper[i] for i, channel in enumerate((red, green, blue))]
        tint = np.maximum(np.maximum(*turned[:2]), turned[2]) - np.minimum(np.minimum(*turned[:2]), turned[2])
        return cls(hsv[..., 0], hsv[..., 1], value, _not_the_paper(hsv, hsv[..., 0]), float(np.median(value)),
                   chroma, float(np.median(chroma)), luma, float(np.median(luma)), tint)


def mark_overprinted(image: Image.Image, boxes: list[OcrBox], colours: Colours | None = None,
                     stamps: Stamps | None = None) -> list[OcrBox]:
    import cv2  # lazy: comes with the OCR engine

    colours = colours or Colours.of(image)
    stamps = stamps or find_stamps(image, colours)
    saturation, value = colours.saturation, colours.value
    coloured = (saturation > 90) & (value > 60) & colours.not_paper
    printed = (saturation < 60) & (value < 110)
    grey = _grey_print(image, colours)
    if grey is not None:
        printed |= grey
    # a coloured stroke's blurred edge is colourless and dark: no print (outside review 12, blue-black ballpoint)
    printed &= ~cv2.dilate(coloured.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
    pen = coloured & ~stamps.area(coloured.shape) & ~filled(coloured)  # a highlighter's or a panel's fill is none
    out = []
    for box in boxes:
        over = [_pen_over(pen, printed, box.quad, x0, x1) for _, _, x0, x1 in words_of(box)]
        if any(over):
            out.append(_written_over(box, over))
        else:
            out.append(capped(box, OVERPRINTED_SCORE) if _overprinted(box, coloured, printed) else box)
    return out


# A grey scan (or a photocopy) takes print from black to light grey: 2701:4's and 2703:37's print measures
# 124-190 on paper 249, never the 110 that `printed` asks. Where nearly all of a page's thin ink (lines of
# text, not a letterhead's panel) has the colour of print — none, or the paper's own, as on a yellow carbon
# copy (GREY_PAGE: 77-83 % on such scans, 10-28 % on slips printed in navy, whose ink edges are colourless too),
# print is what is darker than half-way from the paper to the page's darkest print-coloured ink.
GREY_PAGE = 0.6
PRINT_COLOUR = 0.04  # how far (in chromaticity, r/(r+g+b)…) print is from grey or from the paper's colour


def _grey_print(image: Image.Image, colours: Colours) -> np.ndarray | None:
    """Print on a grey page (see GREY_PAGE): a mask of the page, or None when the page is printed dark."""
    rgb = np.asarray(image.convert("RGB"))
    chroma = chromaticity(rgb[::2, ::2].astype(np.float32))  # decided on a quarter: most pages are not grey
    paper = np.median(chroma[::4, ::4].reshape(-1, 3), axis=0)  # most of the picture is its paper
    apart = apart_from_print(chroma, paper)
    luma = colours.luma[::2, ::2]
    ink = (luma < 0.8 * colours.paper_luma) & ~filled(luma < 0.8 * colours.paper_luma)
    print_coloured = ink & (apart < PRINT_COLOUR)
    if print_coloured.sum() < max(50, GREY_PAGE * ink.sum()):
        return None
    level = float(np.percentile(colours.value[::2, ::2][print_coloured], 5))
    if level <= 110:  # print this dark is found as it is
        return None
    apart = apart_from_print(chromaticity(rgb.astype(np.float32)), paper)  # the whole page only for a grey one
    half_way = colours.paper_value - 0.5 * (colours.paper_value - level)
    return np.asarray((apart < PRINT_COLOUR) & (colours.value < half_way))


def chromaticity(rgb: np.ndarray) -> np.ndarray:
    """Each pixel's colour without its brightness: r, g and b over their sum."""
    return np.asarray(rgb / np.maximum(rgb.sum(axis=2, keepdims=True), 1.0))


def apart_from_print(chroma: np.ndarray, paper: np.ndarray) -> np.ndarray:
    """How far each pixel's colour is from grey or from the paper's, whichever is nearer."""
    return np.asarray(np.minimum(np.abs(chroma - 1 / 3).max(axis=2), np.abs(chroma - paper).max(axis=2)))


def words_of(box: OcrBox) -> tuple[tuple[str, float, float, float], ...]:
    return box.words or ((box.text, box.score, min(p[0] for p in box.quad), max(p[0] for p in box.quad)),)


PEN_OVER_SHARE = 0.04  # of a figure's own stretch of its box in pen ink: something written over it


def _pen_over(pen: np.ndarray, printed: np.ndarray, quad: tuple[tuple[float, float], ...], x0: float,
              x1: float) -> bool:
    """Pen written across this figure's own stretch of its box, over print: a correction (2701:4, 17 in red
    over the printed 21), judged on the figure and not the whole box, where a long line dilutes it (outside
    review 12), nor its ends, where a tick or a coloured cell rule beside it would count."""
    ys = [p[1] for p in quad]
    height, width = pen.shape
    top, bottom = max(0, int(min(ys))), min(height, int(max(ys)) + 1)
    left, right = max(0, int(x0)), min(width, int(x1) + 1)
    if bottom <= top or right <= left:
        return False
    over, under = pen[top:bottom, left:right], printed[top:bottom, left:right]
    return bool(over.mean() > PEN_OVER_SHARE and under.mean() > PRINT_SHARE)


def _not_the_paper(hsv: np.ndarray, hue: np.ndarray) -> np.ndarray:
    """Coloured paper (a carbonless form's yellow or pink copy) or warm light is no ink: where the paper
    itself is saturated, only a hue PAPER_HUE_APART away from its own counts (outside review)."""
    paper = np.median(hsv.reshape(-1, 3), axis=0)  # most of a slip's picture is its paper
    if paper[1] <= 60:
        return np.ones(hue.shape, dtype=bool)
    apart = np.abs(hue - int(paper[0]))
    return np.asarray(np.minimum(apart, 256 - apart) > PAPER_HUE_APART, dtype=bool)


def _overprinted(box: OcrBox, coloured: np.ndarray, printed: np.ndarray) -> bool:
    """Print in the box, and stamp ink in it or across its ends (from a letter before the box to two into it,
    and so at its other end): a stamp's frame across a word's first or last letter makes the OCR drop the
    letter and leaves the box just short of the ink ('584-651' read, '2584-651' printed, the frame over the 2),
    and a thin frame line is too small a share of a long box to count."""
    xs, ys = [p[0] for p in box.quad], [p[1] for p in box.quad]
    height, width = coloured.shape
    x0, x1 = max(0, int(min(xs))), min(width, int(max(xs)) + 1)
    y0, y1 = max(0, int(min(ys))), min(height, int(max(ys)) + 1)
    if x1 <= x0 or y1 <= y0:
        return False
    letter = (y1 - y0) // 2  # about one letter's width
    ends = (coloured[y0:y1, max(0, x0 - letter):x0 + 2 * letter], coloured[y0:y1, max(0, x1 - 2 * letter):x1 + letter])
    inked = any(part.size and part.mean() > COLOURED_SHARE for part in (coloured[y0:y1, x0:x1], *ends))
    return bool(inked and printed[y0:y1, x0:x1].mean() > PRINT_SHARE)


def _written_over(box: OcrBox, over: list[bool]) -> OcrBox:
    """Pen over print, no stamp: someone wrote across these figures (2701:4, 17 in red over the printed 21).
    They are what was ordered as often as not, so they score as struck out: marked, and never vouched for by
    the PO. The box's other words are capped as under a stamp."""
    words = tuple((text, min(score, STRUCK if hit and any(c.isdigit() for c in text) else OVERPRINTED_SCORE), x0, x1)
                  for (text, score, x0, x1), hit in zip(words_of(box), over, strict=True))
    return dataclasses.replace(box, score=min(box.score, OVERPRINTED_SCORE, *(score for _, score, _, _ in words)),
                               words=words if box.words else ())


# Removing a stamp before the OCR reads the page. The detector takes a stamp's letters over a line of print
# for one blot and the line is lost (tuning: whole item lines missing on clean scans of the wider layouts).
# A stamp is light coloured ink in a solid shape at least STAMP_PX across, its frame or its large letters, no
# more than 2/5 of the page high and 3/5 wide (larger is tinted paper or JPEG's colour blotches on a
# scan); its pale pixels — the stamp where no print is under it — become paper. Print under the stamp
# stays, and so does blue ballpoint, darker than a stamp's ink, even where it is written across the stamp.
# The OCR's words are still marked where a stamp crossed them (mark_overprinted reads the original page).
STAMP_SATURATION = 40  # of 255: a half-transparent green or red stamp measures 50-130, print and paper under 10
STAMP_MAX_SATURATION = 170  # a stamp is half-transparent: solid colour (a firm's blue panel, a filled box) is print
STAMP_EDGE_SATURATION = 25  # inside a stamp, its paler edges too
STAMP_PALENESS = 0.75  # of the paper's brightness: a stamp's ink is lighter than that, blue ballpoint darker
STAMP_PX_SHARE = 20  # a stamp is at least 1/20 of the page's height high and wide (and never under 60 px)


@dataclasses.dataclass(frozen=True)
class Stamps:
    """Where the page's stamps are: their frames, and their own pale ink inside them (None: no stamp)."""

    frames: tuple[tuple[int, int, int, int], ...] = ()
    ink: np.ndarray | None = None

    def area(self, shape: tuple[int, ...]) -> np.ndarray:
        inside = np.zeros(shape[:2], dtype=bool)
        for left, top, right, bottom in self.frames:
            inside[top:bottom, left:right] = True
        return inside


def find_stamps(image: Image.Image, colours: Colours | None = None) -> Stamps:
    import cv2  # lazy: comes with the OCR engine

    colours = colours or Colours.of(image)
    saturation, value = colours.saturation, colours.value
    ink = colours.not_paper & (value > 100)
    ink &= saturation < STAMP_MAX_SATURATION
    solid = cv2.morphologyEx((ink & (saturation > STAMP_SATURATION)).astype(np.uint8), cv2.MORPH_OPEN,
                             np.ones((3, 3), np.uint8))  # speckle of a noisy scan is no stamp
    if solid.mean() < 0.001:
        return Stamps()
    count, labels, stats, _ = cv2.connectedComponentsWithStats(cv2.dilate(solid, np.ones((7, 7), np.uint8)))
    frames = _stamp_frames(stats[1:], image.size)
    if not frames:
        return Stamps()
    inside = np.array([index > 0 and any(_within(stat, frame) for frame in frames)
                       for index, stat in enumerate(stats)])
    pale = value > STAMP_PALENESS * colours.paper_value  # a stamp is pale ink; ballpoint and print are darker
    return Stamps(tuple(frames), inside[labels] & ink & pale & (saturation > STAMP_EDGE_SATURATION))


def remove_stamps(image: Image.Image, colours: Colours | None = None, stamps: Stamps | None = None) -> Image.Image:
    """The page without its stamps' own ink; the same picture when it has none."""
    stamps = stamps or find_stamps(image, colours)
    if stamps.ink is None:
        return image
    pixels = np.asarray(image.convert("RGB")).copy()
    pixels[stamps.ink] = np.median(pixels.reshape(-1, 3), axis=0).astype(np.uint8)  # the paper's colour
    return Image.fromarray(pixels)


def _stamp_frames(stats: np.ndarray, size: tuple[int, int]) -> list[tuple[int, int, int, int]]:
    width, height = size
    least = max(60, height // STAMP_PX_SHARE)
    return [(x, y, x + w, y + h) for x, y, w, h, _ in stats.tolist()
            if least < h < 0.4 * height and least < w < 0.6 * width]


def _within(stat: np.ndarray, frame: tuple[int, int, int, int]) -> bool:
    x, y, w, h = stat[:4].tolist()
    return bool(frame[0] <= x and x + w <= frame[2] and frame[1] <= y and y + h <= frame[3])


# A printed figure struck through by pen, the delivered amount written beside it ('1645' crossed out, '1316' by
# hand): the OCR reads the printed figure through the line, sure, and the handwriting worse or not at all. A
# strike is one stroke of ink through the middle of the word, from before its first character to after its
# last; print always leaves gaps between characters along any line through there. Words holding a digit
# (quantities, lots) with such an unbroken stroke get evidence.STRUCK as their score: a person checks, and the
# PO does not vouch for the figure (it is what was ordered: the pen says what came).
# On a phone photo a coloured pen's stroke is thin, pale and slanted: blur and JPEG take its saturation (it is
# told by its colour cast, PEN_CHROMA, and its darkness, PEN_LUMA), and the photo's perspective and the hand
# tilt it against the text, so it is also looked for along the word's own slant and PEN_SLANTS either side.
# Only pen-coloured ink counts there: dark print lines up into long runs along some slanted line (the bars
# and hyphens of '676-123-45-67'), so dark ink (a black pen, or a grey scan) is looked for about level only.
STRIKE_COVER = 0.95  # of the word's width, in one run, in some row of its middle band
STRIKE_RUN = 1.5  # or this many times the text's height (three characters): a figure struck in a word the OCR
# glued to its unit or label ('Menge26,00-kg')
STRIKE_INK = 0.6  # a pixel darker than this share of the paper's brightness is ink (pen or print)
PEN_CHROMA = 12  # a pixel this much more colourful than the paper is pen ink (red or blue), however pale,
PEN_LUMA = 0.85  # where it is also darker than the paper: a JPEG keeps colour at half resolution, so the
# colour cast of handwriting spreads over the paper between its strokes, the darkness does not
PEN_TINT = 25  # or this far from the paper's own colour in hue, not only darker: pale blue on cream paper has
# no stronger a cast than the paper (third corpus 2703:44: blue through '18,5 litres' on a warm-lit photo)
PEN_OWN_CHROMA = 12  # and colourful itself: black print on a pink carbon copy is as far from the paper's
# colour, and merged with the pen line under a bold figure into a fill (outside review 10)
PEN_SLANTS = np.arange(-0.2, 0.201, 0.02)  # slopes of a stroke against its word's line (about ±11°)
PEN_COVER = 0.85  # of the word's width for a pen line: the OCR's word often takes in the stroke's overhang
# ('80,25-') or the next character, and print in pen colour never runs unbroken through a word
FILL_PX = 6  # a square of pen-coloured pixels this wide is a fill, not a pen line (two or three pixels)
# Where the picture does not show the stroke plainly enough (a dark pen a little aslant on a photo), the OCR's
# text often does: it reads the stroke's ends, and the stretch of it between the figure and its unit, as
# dashes ('2.104,00-kg-', '2783stk-', '80,25-', '2783-stk', '—2783stk'; outside review 8 read 96 struck
# figures with our OCR). No printed amount has a dash glued in front, behind, or between it and its unit;
# where one does, it is a negative amount (a return, '–2', SAP's '2-'), which a person must look at too.
DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2212"  # hyphen, the typesetters' dashes, the minus sign
READ_AS_STRUCK = re.compile(rf"^[{DASHES}]+\d|\d.*[{DASHES}]\W*$")
_DASH_THEN_UNIT = re.compile(rf"\d[{DASHES}]+([^\W\d_]+\.?)")
_AMOUNT_DASH_WORD = re.compile(rf"\d[\d.,']*[{DASHES}]+[^\W\d_]+\.?")


def read_as_struck(text: str) -> bool:
    """The OCR's word shows a stroke through a figure (or a minus): see READ_AS_STRUCK."""
    if READ_AS_STRUCK.search(text):
        return True
    glued = _DASH_THEN_UNIT.search(text)  # '2783-stk'; a code's letters after its digits ('802-PG08') are no unit
    if glued is None:
        return False
    unit = glued.group(1).rstrip(".")
    # nothing but an amount, a dash and a unit after a quantity's label is no code: a one-letter unit
    # ('Aantal:250-g', third corpus 2708:27) or a unit the OCR misread a letter of ('Qtd:28-calxas' for caixas,
    # 2714:38). Elsewhere a one-letter unit is none: codes end in a size letter ('2040-M'; outside review 15);
    # and a printed word after a dash is none ('Qty:6-pack', 'Menge:2-teilig'; outside review 16)
    labelled = LABEL_THEN_AMOUNT.match(text)
    if labelled is not None and vocab.COLUMN_WORDS["quantity"].search(labelled.group(1)) is not None \
            and _AMOUNT_DASH_WORD.fullmatch(labelled.group(2)) is not None \
            and _a_unit(unit):
        return True
    return vocab.normalise_unit(glued.group(1)) is not None and glued.group(1).lower() not in vocab.WEAK_UNITS


_LOOK_ALIKE = frozenset({frozenset(pair) for pair in ("il", "lt", "it", "ec", "oc", "ao", "uv")})


def _a_unit(word: str) -> bool:
    """A unit word, or one with a letter misread (see _misread_unit)."""
    return vocab.normalise_unit(word) is not None or _misread_unit(word)


def _misread_unit(word: str) -> bool:
    """A unit word of four letters or more with one letter read as one it looks like ('calxas' for caixas): a
    printed word one other letter off a unit is a word ('6-cans' of ctns, '3-fach' of each; outside review 17),
    and shorter words are one letter off some unit too often."""
    word = word.lower()
    return len(word) >= 4 and any(len(unit) == len(word) and _one_look_alike(unit, word)
                                  for unit in vocab.UNIT_SYNONYMS)


def _one_look_alike(unit: str, word: str) -> bool:
    differ = [frozenset((a, b)) for a, b in zip(unit, word, strict=True) if a != b]
    return len(differ) == 1 and differ[0] in _LOOK_ALIKE


def mark_struck_through(image: Image.Image, boxes: list[OcrBox], colours: Colours | None = None) -> list[OcrBox]:
    colours = colours or Colours.of(image)
    saturated = (colours.saturation > 90) & colours.not_paper
    # a highlighter's fill over a row is no stroke (outside review 12)
    ink = (colours.value < STRIKE_INK * colours.paper_value) | (saturated & ~filled(saturated))
    # black print on tinted paper turns away from the paper's colour too: only ink with a colour of its own
    coloured = (colours.chroma > colours.paper_chroma + PEN_CHROMA) | \
        ((colours.tint > PEN_TINT) & (colours.chroma >= PEN_OWN_CHROMA))
    pen = coloured & colours.not_paper & (colours.luma < PEN_LUMA * colours.paper_luma)
    pen &= ~filled(pen)
    return [_struck(box, ink, pen, colours.luma) for box in boxes]


def _struck(box: OcrBox, ink: np.ndarray, pen: np.ndarray, luma: np.ndarray) -> OcrBox:
    crossed = [_figure_crossed(text, box.quad, x0, x1, ink, pen, luma) for text, _, x0, x1 in words_of(box)]
    if not any(crossed):
        return box
    if not box.words:
        return dataclasses.replace(box, score=min(box.score, STRUCK))
    return dataclasses.replace(box, score=min(box.score, STRUCK), words=tuple(
        (text, min(score, STRUCK) if hit else score, x0, x1)
        for (text, score, x0, x1), hit in zip(box.words, crossed, strict=True)))


def _figure_crossed(text: str, quad: tuple[tuple[float, float], ...], x0: float, x1: float, ink: np.ndarray,
                    pen: np.ndarray, luma: np.ndarray) -> bool:
    """A word with a figure in it, struck out over [x0, x1] by any of the checks above and below."""
    if not any(c.isdigit() for c in text):
        return False
    chars, run = _characters(text), _run_through(text)
    return read_as_struck(text) or _crossed(ink, quad, x0, x1, chars, run) \
        or _pen_line(pen, quad, x0, x1, chars=chars, run=run) or _grey_line(luma, quad, x0, x1, text) \
        or _crossed_out(ink, quad, x0, x1) or (chars == 1 and _one_figure_struck(pen, quad, x0, x1))


# A figure the OCR glued to its unit or to a quantity's label ('47cases', 'Qty:84each', '100g') is often two
# digits, and a stroke through it alone is about one text height long, not STRIKE_RUN: over such a word one
# height is enough (third corpus 2709:17, 2711:43, a dark stroke through '100' and '84' and the PO vouched for
# them). Diagnosis seeds 2706-2717 and tuning seeds 21+31 (630 slips): 6 more words struck, 5 of them real
# strikes, 1 not (a bold 'Cant.:1.800,0', marked, still right); silent errors 12 -> 10, ⚠ per line unchanged.
# Bold condensed small print under blur joins into such a run too (outside review 18: 'Qty:44each'), a ⚠
# more: a false strike never takes a mark away (table.settle_written_figures).
GLUED_RUN = 1.0
_FIGURE_GLUED = re.compile(r"^([^\W\d_][^\d]*[:.])?\d(?:[\d.,']*\d)?([^\W\d_]{1,8}\.?)?$")


def _run_through(text: str) -> float:
    """How long, in text heights, a stroke through this word must run: see GLUED_RUN."""
    glued = _FIGURE_GLUED.match(text)
    if glued is None:
        return STRIKE_RUN
    label, unit = glued.groups()
    if unit is not None and _a_unit(unit):
        return GLUED_RUN
    if label is not None and unit is None and vocab.COLUMN_WORDS["quantity"].search(label) is not None:
        return GLUED_RUN
    return STRIKE_RUN


def _characters(text: str) -> int:
    return sum(c.isalnum() for c in text)


def _long_enough(width: float, height: float, chars: int) -> bool:
    """Wide enough to be a word of two characters or more, where print leaves a gap a stroke does not: by its
    width, or by its text — a narrow typeface's '40' is 15 px wide on 23 px high text, and the OCR's share
    of its box for it narrower still (third corpus 2707:31, 2708:42, 2709:25: struck '33', '40', '84' vouched
    for by the PO)."""
    return width >= 8 and (width >= 0.8 * height or chars >= 2)


def _middle_band(quad: tuple[tuple[float, float], ...]) -> tuple[slice, float]:
    """The rows through the middle of a word's box, where a strike runs, and the box's height."""
    top, bottom = min(p[1] for p in quad), max(p[1] for p in quad)
    height = bottom - top
    return slice(max(0, int(top + 0.3 * height)), int(top + 0.75 * height) + 1), height


def _crossed(ink: np.ndarray, quad: tuple[tuple[float, float], ...], x0: float, x1: float, chars: int = 0,
             run: float = STRIKE_RUN) -> bool:
    """A stroke of ink (pen or print) about level through the middle of the word over [x0, x1], `run` text
    heights long or nearly the word's width."""
    rows, height = _middle_band(quad)
    band = ink[rows, max(0, int(x0)):int(x1) + 1]
    if band.shape[0] < 3 or not _long_enough(band.shape[1], height, chars):
        return False
    if band.shape[1] < 0.8 * height:
        return _overshooting(ink[rows], x0, x1, height, sides=1)
    sloped = np.maximum.reduce([band[i:band.shape[0] - 2 + i] for i in range(3)])  # a pen line is not level
    longest = max((_longest_run(row) for row in sloped), default=0)
    return bool(longest >= min(STRIKE_COVER * band.shape[1], run * height))


OVERSHOOT = 0.2  # of the text's height: how far a stroke through a narrow figure runs on past it


def _one_figure_struck(pen: np.ndarray, quad: tuple[tuple[float, float], ...], x0: float, x1: float) -> bool:
    """A single digit ('8 units') with a pen-coloured line through it that runs on past it on both sides: no
    printed digit is pen-coloured, and a coloured one's own bar ends where its glyph does (outside review 15:
    a struck '8' the PO vouched for)."""
    rows, height = _middle_band(quad)
    return height >= 3 and x1 - x0 >= 3 and _overshooting(pen[rows], x0, x1, height, sides=2)


def _overshooting(band: np.ndarray, x0: float, x1: float, height: float, sides: int) -> bool:
    """A stroke through a narrow figure ('40' 15 px wide): dark ink across the OCR's share of the word that runs
    on past it on `sides` sides, as a hand's line does. In any ink, print included, a narrow bold figure's own
    bars join across it under a little blur (outside review 15: a bold '44'); they end where its glyphs do."""
    pad = int(0.5 * height)
    lo = max(0, int(x0) - pad)
    wide = band[:, lo:int(x1) + pad + 1]
    sloped = np.maximum.reduce([wide[i:wide.shape[0] - 2 + i] for i in range(3)])
    start, end, past = int(x0) - lo, int(x1) - lo, OVERSHOOT * height
    for row in sloped:
        for a, b in _runs(row):
            if a <= start + (1 - STRIKE_COVER) * (end - start) and b - 1 >= end - (1 - STRIKE_COVER) * (end - start) \
                    and (a <= start - past) + (b - 1 >= end + past) >= sides:
                return True
    return False


def filled(mask: np.ndarray) -> np.ndarray:
    """Where `mask` covers whole areas (a coloured heading bar, a highlighted row): what survives an opening
    wider than any pen line. Text printed on such a fill is not struck by it."""
    import cv2  # lazy: comes with the OCR engine

    return cv2.morphologyEx(mask.astype(np.uint8), cv2.MORPH_OPEN, np.ones((FILL_PX, FILL_PX), np.uint8)).astype(bool)


def _pen_line(pen: np.ndarray, quad: tuple[tuple[float, float], ...], x0: float, x1: float,
              cover: float = PEN_COVER, slants: np.ndarray = PEN_SLANTS, *, chars: int = 0,
              run: float = STRIKE_RUN) -> bool:
    """A line of pen ink through the middle of the word over [x0, x1], followed along the word's own slant
    (the box's top edge) and `slants` either side of it."""
    (left, top), (right, top_right), _, (_, bottom) = quad[:4]
    height, slope = bottom - top, (top_right - top) / max(1.0, right - left)
    xs = np.arange(max(0, int(x0)), min(pen.shape[1], int(x1) + 1))
    if height < 3 or not _long_enough(xs.size, height, chars):
        return False
    ys = [p[1] for p in quad]
    if not pen[max(0, int(min(ys))):int(max(ys)) + 1, xs[0]:xs[-1] + 1].any():
        return False  # no pen ink anywhere on the word: most words, and the slants need not be tried
    edge = top + slope * (xs - left)  # the box's top edge above each column
    middle = np.arange(0.3 * height, 0.75 * height + 1)
    need = min(cover * xs.size, run * height)
    for slant in slants:
        ys = np.rint(edge + slant * (xs - xs.mean()) + middle[:, None]).astype(int).clip(0, pen.shape[0] - 2)
        along = pen[ys, xs] | pen[ys + 1, xs]  # a stroke is two pixels thick at least
        rows = along[along.sum(axis=1) >= need]  # a row with fewer inked pixels holds no such run
        if any(_longest_run(row) >= need for row in rows):
            return True
    return False


# A grey scan takes a pen's colour and much of the print's darkness: light grey print (a third darker than the
# paper) with a pen line through it as grey and as dark (third corpus 2705:1, '1991' struck and '1593'
# written beside it, on a degraded scan whose print never reaches STRIKE_INK). So a figure is also looked at
# against its own ink: darker than GREY_SHARE of the way from its paper to its darkest print, followed along
# slants as a pen line is. Only amounts ('1991', '41,7', '125kg'), whose characters print never joins, and
# only on scan-sized text (GREY_MIN_PX; a photo's blur joins a small figure's digits): on hyphenated codes
# and small photo text a line through the word's own ink turns up where none was drawn (tuning: 84 false
# strikes in 141 slips before both limits, 10 in 276 after, each one more ⚠ to tick).
GREY_SHARE = 0.45
GREY_MIN_PX = 24
AMOUNT = re.compile(r"^\d[\d.,' ]*[^\W\d_]{0,4}\.?$")
LABEL_THEN_AMOUNT = re.compile(r"^([^\W\d_][^\d]*[:.])(\d.*)$")  # 'Menge:1991', 'Quantidade:21cx'
AMOUNT_THEN_UNIT = re.compile(r"^(\d[\d.,']*)([^\W\d_]{1,8}\.?)$")  # '64.25kg'


def _grey_line(luma: np.ndarray, quad: tuple[tuple[float, float], ...], x0: float, x1: float, text: str) -> bool:
    """A line through the figure in ink as dark as its own print, pen or not: see GREY_SHARE. A figure the
    OCR glued to its label ('Menge:1991', outside review 12) or to its unit ('64.25kg': a hand's line stops
    where the amount does; fresh seeds 2747:40, 2715:10) is looked at over its share of the word."""
    glued = LABEL_THEN_AMOUNT.match(text)
    if glued:
        x0 += (x1 - x0) * len(glued.group(1)) / len(text)
        text = glued.group(2)
    unit = AMOUNT_THEN_UNIT.match(text)
    unit = unit if unit and _a_unit(unit.group(2)) else None
    if unit:
        x1 -= (x1 - x0) * _width(unit.group(2)) / _width(text)
        text = unit.group(1)
    ys = [p[1] for p in quad]
    top, bottom = max(0, int(min(ys))), min(luma.shape[0], int(max(ys)) + 1)
    left, right = max(0, int(x0)), min(luma.shape[1], int(x1) + 1)
    if not AMOUNT.match(text) or bottom - top < GREY_MIN_PX or right - left < 2:
        return False
    word = luma[top:bottom, left:right]
    paper, darkest = np.percentile(word, 90), np.percentile(word, 3)
    if paper - darkest < 40:  # no print to measure against
        return False
    dark = word < paper - GREY_SHARE * (paper - darkest)
    here = tuple((x - left, y - top) for x, y in quad)
    # a figure cut out of its word is judged long enough by its characters, as _crossed does: its share may be
    # narrower than the box is high when the box takes in a correction written above (outside review 24)
    return _pen_line(dark, here, 0, right - left - 1, STRIKE_COVER, chars=_characters(text) if glued or unit else 0)


# How wide characters print against a digit, for where a figure the OCR glued to its unit ends: digits are one
# width in most faces, letters are not (most small letters a tenth narrower, 'l' half, 'm' half as wide again).
# Cut by the count of characters, 'l' or 'pcs' took part of the last digit away (a bar joined by blur then
# read as a stroke) and 'm' left part of itself in (outside review 24).
_NARROW, _WIDE = frozenset("fijlrtI.,:;'"), frozenset("mwMW")


def _width(text: str) -> float:
    return sum(0.5 if c in _NARROW else 1.5 if c in _WIDE else 0.9 if c.islower() else 1.0 for c in text)


def _crossed_out(ink: np.ndarray, quad: tuple[tuple[float, float], ...], x0: float, x1: float) -> bool:
    """An X through the figure, corner to corner, in any ink (outside review 12: a black ballpoint X over a
    black printed 1991; its strokes are steeper than PEN_SLANTS). Both diagonals must run unbroken: print
    never inks one diagonal of a word from end to end, let alone both."""
    ys = [p[1] for p in quad]
    steep = (max(ys) - min(ys)) * 0.8 / max(1.0, x1 - x0)  # corner to corner of the middle band, and more
    diagonals = [np.linspace(sign * steep * 0.7, sign * steep * 1.4, 8) for sign in (1, -1)]
    return all(_pen_line(ink, quad, x0, x1, STRIKE_COVER, slants) for slants in diagonals)


def _edges(row: np.ndarray) -> np.ndarray:
    """Where the row's unbroken runs of ink start and end: [start, end, start, end, …], each run [start, end)."""
    return np.flatnonzero(np.diff(np.concatenate(([0], row.astype(np.int8), [0]))))


def _runs(row: np.ndarray) -> list[tuple[int, int]]:
    edges = _edges(row)
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


def _longest_run(row: np.ndarray) -> int:  # on the hot path: numpy throughout
    edges = _edges(row)
    return int((edges[1::2] - edges[::2]).max()) if edges.size else 0
