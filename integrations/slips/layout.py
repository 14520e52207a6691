"""From OCR boxes to rows of words with positions, the shape every parsing step works on.

A phone photo is rarely square to the slip: at 5° a line across a 1500 px page drifts 130 px, more than
the line spacing. Rows are therefore grouped after undoing the page's skew, measured as the median slant
of the long text boxes. Words inside one box get positions by their share of its characters, which is
enough to put them in the right table column when the OCR merged two cells into one box.
"""
from __future__ import annotations

import math
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field

from integrations.slips.vocab import glued_pieces, unglue


@dataclass(frozen=True)
class OcrBox:
    text: str
    score: float
    quad: tuple[tuple[float, float], ...]  # top-left, top-right, bottom-right, bottom-left
    words: tuple[tuple[str, float, float, float], ...] = ()  # (text, score, x0, x1) when the OCR gives words


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    x1: float
    score: float
    cell: int  # index of the OCR box within its row: words of one box belong together
    glued: bool = False  # a date the OCR read glued to the code before it, or that code ('L2612/04/2028'): unglue
    # cut them apart where one of them ends is a guess (vocab.glued_pieces)

    @property
    def x(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class Row:
    y: float
    height: float
    words: list[Word] = field(default_factory=list)
    stamp: bool = False  # a rubber stamp's line (stamped): its dates are its owner's way (values.learn_convention)

    @property
    def text(self) -> str:
        """Words joined by one space, boxes by two, so a column gap stays visible."""
        return "".join(self._separator(i) + word.text for i, word in enumerate(self.words))

    def _separator(self, i: int) -> str:
        """What `text` puts before word i: nothing first, two spaces where a new OCR box starts, else one."""
        return "" if not i else "  " if self.words[i].cell != self.words[i - 1].cell else " "

    def spans(self) -> list[tuple[int, int, Word]]:
        """Each word with where it starts and ends in `text`."""
        out, at = [], 0
        for i, word in enumerate(self.words):
            at += len(self._separator(i))
            out.append((at, at + len(word.text), word))
            at += len(word.text)
        return out

    @property
    def score(self) -> float:
        return min((w.score for w in self.words), default=0.0)

    def char_positions(self) -> tuple[str, list[float]]:
        """`text` and, for each of its characters, the x where it was printed."""
        text, xs = "", []
        for i, word in enumerate(self.words):
            sep = self._separator(i)
            text += sep
            xs += [word.x0] * len(sep)
            step = (word.x1 - word.x0) / max(1, len(word.text))
            text += word.text
            xs += [word.x0 + step * (k + 0.5) for k in range(len(word.text))]
        return text, xs

    def words_between(self, start: int, end: int) -> list[Word]:
        """The words overlapping characters [start, end) of `text`."""
        return [word for first, last, word in self.spans() if first < end and last > start]


def skew(boxes: list[OcrBox]) -> float:
    """The page's rotation in radians: the median slant of the boxes clearly wider than tall, among those
    that agree (within AGREE) with most of the page's characters, so that a stamp's lines do not move it."""
    angles: list[tuple[float, int]] = []
    for box in boxes:
        (x0, y0), (x1, y1) = box.quad[0], box.quad[1]
        width, height = math.hypot(x1 - x0, y1 - y0), _height(box)
        if width > 3 * height and width > 0:
            angles.append((math.atan2(y1 - y0, x1 - x0), len(box.text)))
    if not angles:
        return 0.0
    best = max(angles, key=lambda one: sum(n for a, n in angles if abs(a - one[0]) <= AGREE))[0]
    return statistics.median(a for a, _ in angles if abs(a - best) <= AGREE)


AGREE = math.radians(2.0)


# Print is level with the page; a rubber stamp is pressed on at an angle, and the OCR reads its words as
# sure as print ('EINGANG', '26.02.2027' in a row's expiry cell, shown as the line's expiry: third corpus
# 2716:15). Every box at least three times as wide as tall (so its slant is measured, not guessed from a
# word's few pixels) and turned more than 6° from the page's text was a stamp's on the diagnosis caches:
# 275 boxes (third corpus 2706-2745, tuning seeds), none of 35,000 others. A shorter box beside one of them,
# at its angle and turned more than 4° itself (a few pixels measure it less surely), is the same stamp's (a
# date filled in short, '2.3.27'; outside reviews 22 and 23).
# A stamp's words are scored under evidence.OCR_SURE, so a value read from them is marked, and they make rows
# of their own: in a printed row they would make the row's print unsure too (its slip date, a labelled lot).
# Kept, not dropped: a tilted line may be a hand's.
STAMP_TILT_DEGREES = 6.0
AT_AN_ANGLE_SCORE = 0.9
MEASURED = 3.0  # widths per height from which a box's slant is its text's
SAME_STAMP = 4.0  # degrees apart, within three line heights: one stamp's lines


def stamped(boxes: list[OcrBox], page: float | None = None) -> list[bool]:
    """Which boxes are a stamp's: turned against the page's text (see STAMP_TILT_DEGREES); `page`: its
    slant (skew), when the caller has it already."""
    page = skew(boxes) if page is None else page
    turns = [_turn(box, page) for box in boxes]
    long = [abs(turn) > STAMP_TILT_DEGREES and _aspect(box) >= MEASURED for box, turn in zip(boxes, turns, strict=True)]
    return [is_long or (abs(turn) > STAMP_TILT_DEGREES - SAME_STAMP / 2 and _aspect(box) >= 2 and any(
        other and abs(turns[j] - turn) <= SAME_STAMP and _apart(boxes[j], box) < 3 * _height(boxes[j])
        for j, other in enumerate(long))) for box, turn, is_long in zip(boxes, turns, long, strict=True)]


def _turn(box: OcrBox, page: float) -> float:
    (x0, y0), (x1, y1) = box.quad[0], box.quad[1]
    return (math.degrees(math.atan2(y1 - y0, x1 - x0) - page) + 180) % 360 - 180


def _aspect(box: OcrBox) -> float:
    (x0, y0), (x1, y1) = box.quad[0], box.quad[1]
    return math.hypot(x1 - x0, y1 - y0) / _height(box)


def _apart(one: OcrBox, other: OcrBox) -> float:
    """How far apart two boxes' centres are."""
    (ax, ay), (bx, by) = ([statistics.fmean(p[i] for p in box.quad) for i in (0, 1)] for box in (one, other))
    return math.hypot(ax - bx, ay - by)


def capped(box: OcrBox, most: float) -> OcrBox:
    """The box with its and its words' scores at most `most` (a value read from it then shows how it was found)."""
    words = tuple((text, min(score, most), left, right) for text, score, left, right in box.words)
    return OcrBox(box.text, min(box.score, most), box.quad, words)


def rows_of(boxes: list[OcrBox]) -> list[Row]:
    """Boxes grouped into printed lines, top to bottom, each line's words left to right; a stamp's boxes
    (turned against the page's text) make rows of their own, their words scored unsure."""
    angle = skew(boxes)
    cos, sin = math.cos(-angle), math.sin(-angle)
    printed: list[tuple[float, float, float, float, OcrBox]] = []
    stamps: list[tuple[float, float, float, float, OcrBox]] = []
    flags = stamped(boxes, angle)
    turned = [[(x * cos - y * sin, x * sin + y * cos) for x, y in box.quad] for box in boxes]
    level = _levelled([(box, pts) for box, pts, is_stamp in zip(boxes, turned, flags, strict=True) if not is_stamp])
    for box, is_stamp, pts in zip(boxes, flags, turned, strict=True):
        if not box.text.strip():
            continue
        xs, ys = [p[0] for p in pts], [level(x, y) for x, y in pts]
        (stamps if is_stamp else printed).append(
            (statistics.fmean(ys), _height(box), min(xs), max(xs), capped(box, AT_AN_ANGLE_SCORE) if is_stamp else box))
    return sorted(_grouped(printed) + _grouped(stamps, stamp=True), key=lambda row: row.y)


# What is left of the slant after turning the page by its median varies across it: a photo's page curls, or
# its perspective was not all taken out, and a row's figures at the right edge sit half a line above or
# below its code at the left (photo 2724:41: slant 7° at the left, 4-5° at the right; '18 liter' read as a
# row of its own). The slant's residue is fitted as a plane over the page (least squares, a + b·x + c·y,
# from the long printed boxes) and each point is moved along its line to where the line meets the page's
# left edge.
BEND_FROM_BOXES = 12  # fewer long boxes, or all in one half of the page's width or height: the median's turn alone
BEND_MISFIT_DEGREES = 0.8


def _levelled(printed: list[tuple[OcrBox, list[tuple[float, float]]]]) -> Callable[[float, float], float]:
    """y → the height the point's text line has at the page's left edge, for points of the turned page."""
    slants = []
    for box, pts in printed:
        (x0, y0), (x1, y1) = pts[0], pts[1]
        if math.hypot(x1 - x0, y1 - y0) >= MEASURED * _height(box):
            slants.append(((x0 + x1) / 2, (y0 + y1) / 2, (y1 - y0) / max(1.0, x1 - x0)))
    slants = [slant for slant in slants if all(math.isfinite(v) and abs(v) < HUGE for v in slant)]
    points = [(x, y) for _, pts in printed for x, y in pts if math.isfinite(x) and math.isfinite(y)]
    if len(slants) < BEND_FROM_BOXES or not _spans(slants, points, 0) or not _spans(slants, points, 1):
        return lambda x, y: y  # long boxes in a band of the page: b or c would be a guess carried across it
    plane = _plane(slants)
    if plane is None:
        return lambda x, y: y
    a, b, c = plane
    misfit = statistics.pstdev(z - (a + b * x + c * y) for x, y, z in slants)
    if not misfit <= math.radians(BEND_MISFIT_DEGREES):
        return lambda x, y: y
    left = min(x for x, _ in points)  # measured from the page's own edge: the same wherever it lies in the picture
    return lambda x, y: y - (a + c * y) * (x - left) - b * (x * x - left * left) / 2


HUGE = 1e7  # pixels: no photo is this large; a box further out is not measured


def _spans(slants: list[tuple[float, float, float]], points: list[tuple[float, float]], axis: int) -> bool:
    """Whether the long boxes spread over at least half the page along x (0) or y (1)."""
    along = [slant[axis] for slant in slants]
    page = [point[axis] for point in points]
    return max(along) - min(along) >= 0.5 * (max(page) - min(page))


def _plane(points: list[tuple[float, float, float]]) -> tuple[float, float, float] | None:
    """Least squares z = a + b·x + c·y (its normal equations, by Cramer's rule); None when the points lie on
    a line and the plane is not determined."""
    rows = [(1.0, x, y) for x, y, _ in points]
    normal = [[sum(r[i] * r[j] for r in rows) for j in range(3)] for i in range(3)]
    right = [sum(r[i] * z for r, (_, _, z) in zip(rows, points, strict=True)) for i in range(3)]
    whole = _determinant(normal)
    if abs(whole) < 1e-9 * max(1.0, abs(normal[1][1] * normal[2][2])):
        return None
    a, b, c = (_determinant([[right[i] if j == k else normal[i][j] for j in range(3)] for i in range(3)]) / whole
               for k in range(3))
    return a, b, c


def _determinant(m: list[list[float]]) -> float:
    return (m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]))


def _grouped(placed: list[tuple[float, float, float, float, OcrBox]], *, stamp: bool = False) -> list[Row]:
    placed = sorted(placed, key=lambda p: p[0])
    rows: list[Row] = []
    members: list[list[tuple[float, float, float, float, OcrBox]]] = []
    for item in placed:
        y, height = item[0], item[1]
        if rows and abs(y - rows[-1].y) < 0.5 * min(height, rows[-1].height):
            members[-1].append(item)
            group = members[-1]
            rows[-1].y = statistics.fmean(m[0] for m in group)
            rows[-1].height = statistics.fmean(m[1] for m in group)
        else:
            rows.append(Row(y, height, stamp=stamp))
            members.append([item])
    for row, group in zip(rows, members, strict=False):
        row.words = _words(sorted(group, key=lambda m: m[2]))
    return rows


def _words(group: list[tuple[float, float, float, float, OcrBox]]) -> list[Word]:
    words: list[Word] = []
    for cell, (_, _, x0, x1, box) in enumerate(group):
        pieces = _placed(box, x0, x1) if box.words and _consistent(box) else ((box.text, box.score, x0, x1),)
        for text, score, left, right in pieces:
            glued = {piece for token in text.split() for piece in glued_pieces(token)}
            words += _split(" ".join(unglue(text).split()), score, left, right, cell, glued)
    return words


def _placed(box: OcrBox, x0: float, x1: float) -> list[tuple[str, float, float, float]]:
    """The OCR's words moved into the row's (deskewed) frame, by where they sit along their box."""
    xs = [x for x, _ in box.quad]
    left, width = min(xs), max(1.0, max(xs) - min(xs))
    return [(text, score, x0 + (a - left) / width * (x1 - x0), x0 + (b - left) / width * (x1 - x0))
            for text, score, a, b in box.words]


def _consistent(box: OcrBox) -> bool:
    """The OCR's words spell the box's text (else its word boxes are not to be trusted)."""
    return "".join(w[0] for w in box.words).replace(" ", "") == box.text.replace(" ", "")


def _split(text: str, score: float, x0: float, x1: float, cell: int, glued: set[str] | None = None) -> list[Word]:
    """A piece of text over [x0, x1]: its words placed by their share of the characters. A word the OCR
    scored on its own keeps that score; words cut from one long box share the box's; `glued`: the pieces of
    words unglue cut apart at a date where either's end is a guess (vocab.glued_pieces)."""
    step = (x1 - x0) / max(1, len(text))
    out, pos = [], 0
    for token in text.split(" "):
        if token:
            out.append(Word(token, x0 + step * pos, x0 + step * (pos + len(token)), score, cell,
                            token in (glued or ())))
        pos += len(token) + 1
    return out


def _height(box: OcrBox) -> float:
    (x0, y0), (x3, y3) = box.quad[0], box.quad[3]
    return max(1.0, math.hypot(x3 - x0, y3 - y0))


def line_height(boxes: list[OcrBox]) -> float:
    """The median height of the text boxes: how large the writing is on the picture (a box is one text line)."""
    return statistics.median(_height(box) for box in boxes)
