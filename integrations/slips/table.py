"""Slips that print their goods as a table under a row of column headings.

The headings say which column is which, in whatever order the supplier chose. Where one column ends and
the next begins is taken from the data, not the headings: right-aligned numbers start left of their
heading, long descriptions run past theirs. The boundary between two neighbouring columns is the
widest vertical strip that no word of the table crosses.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from integrations.slips import vocab
from integrations.slips.blurred_headings import blurred_heading, fold, kind_of
from integrations.slips.evidence import STRUCK
from integrations.slips.goods import BARCODE, codes_x, ends_goods, item_row
from integrations.slips.items import (
    CODE,
    LONG_DIGIT_RUN,
    PACK_SIZE,
    SEPARATORS,
    Quantity,
    code_certainty,
    glued_litre,
    is_footer,
    labelled,
    labelled_date,
    looks_like_code,
    quantities,
    read,
    tidy_code,
    unlabelled_barcode,
)
from integrations.slips.layout import Row, Word
from integrations.slips.overprint import DASHES
from integrations.slips.values import Convention, FoundDate, find_date, names_a_month
from models.packing_slip import Read, SlipLine


@dataclass(frozen=True)
class Column:
    kind: str  # a key of vocab.COLUMN_WORDS
    x0: float
    x1: float
    also: tuple[str, ...] = ()  # kinds its heading names too: 'Lot / Exp.' heads one cell holding both
    twice: bool = False  # the heading row names this kind twice ('Qty Ord  Qty Ship'): the last taken, marked


JOINED_HEADINGS = re.compile(r"\s?[/&+]\s?|\s(?:and|und|y|et|e|i|en)\s", re.I)  # 'Charge / MHD', 'Lot & Expiry'


def find_heading(rows: list[Row]) -> tuple[int, list[Column]] | None:
    """The first row that reads like column headings (quantity and at least two other kinds, no digits)."""
    for index, row in enumerate(rows):
        text, xs = row.char_positions()
        if any(c.isdigit() for c in text):
            continue
        matches = sorted(_heading_matches(text), key=lambda m: m[0] - m[1])
        chosen: list[tuple[int, int, str]] = []
        for m in matches:  # the longest reading wins: "Lot No." is a lot heading, not "No." for position
            if all(m[1] <= c[0] or m[0] >= c[1] for c in chosen) and m[2] not in {c[2] for c in chosen}:
                chosen.append(m)
        chosen += _blurred_words(row, chosen)
        kinds = {c[2] for c in chosen}
        if "quantity" in kinds and len(kinds - {"pos", *vocab.NO_FIELD_KINDS}) >= 3:
            return index, _quantity_twice(_joined(sorted(chosen), text, xs), matches, chosen, xs)
    blurred = blurred_heading(rows)  # none reads exactly: perhaps one the photo blurred (blurred_headings.py)
    return (blurred[0], [Column(*column) for column in blurred[1]]) if blurred else None


def _heading_matches(text: str) -> list[tuple[int, int, str]]:
    """Every heading the row's text names, as (start, end, kind). A heading may run over two OCR boxes ('Qty'
    'Shipped'), but not over an ordered or back-order heading that one box names whole: 'Order Qty  Shipped'
    is 'Order Qty' and 'Shipped', not 'Order' and 'Qty Shipped' (outside review 14: the ordered column
    vanished and its figure was vouched for as the delivered one)."""
    def found(source: str) -> list[tuple[int, int, str]]:
        return [(m.start(), m.end(), kind) for kind, pattern in vocab.COLUMN_WORDS.items()
                for m in pattern.finditer(source)]

    boxed = found(text.replace("  ", " \x00"))  # the boxes' two-space gap, kept at its length
    amounts = [b for b in boxed if b[2] in vocab.OTHER_AMOUNTS]
    kept = [m for m in found(text) if not any(m[0] < a[1] and a[0] < m[1] and m[2] != a[2] for a in amounts)]
    return kept + [b for b in boxed if not any(b[0] < k[1] and k[0] < b[1] for k in kept)]


def _blurred_words(row: Row, chosen: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Words of a heading row that no heading reads exactly, but one the photo blurred does ('Betch' beside
    'Product Code  Quantity  Use By'): headings are printed small and bold, and a photo often blurs one of
    them while the rest read. Without it the column has no kind and its values fall into the neighbour's
    cell (every lot of the slip missed). Only kinds the row has not named yet, as (start, end, kind) in
    `row.text`; the strict rules for a blurred word are blurred_headings.kind_of's."""
    named, found = {c[2] for c in chosen}, []
    for start, pos, word in row.spans():
        if any(start < c[1] and pos > c[0] for c in chosen):
            continue  # part of a heading read exactly ('Use' of 'Use By')
        kind = kind_of(fold(word.text))
        if kind is not None and kind not in named:
            named.add(kind)
            found.append((start, pos, kind))
    return found


def _quantity_twice(columns: list[Column], matches: list[tuple[int, int, str]],
                    chosen: list[tuple[int, int, str]], xs: list[float]) -> list[Column]:
    """'Qty Ord  Qty Ship', 'Ordered  Shipped': a second quantity heading no other heading overlaps. Which
    column is what came is a guess (usually the last: ordered, then shipped), so it is taken and its values
    are marked — a short delivery must not read as the ordered amount without ⚠ (outside review)."""
    taken = next(c for c in chosen if c[2] == "quantity")
    others = [m for m in matches if m[2] == "quantity" and m != taken
              and all(m[1] <= c[0] or m[0] >= c[1] for c in chosen)]
    if not others:
        return columns
    last = max([taken, *others], key=lambda m: m[0])
    return [Column("quantity", xs[last[0]], xs[last[1] - 1], c.also, True) if c.kind == "quantity" else c
            for c in columns]


def _joined(chosen: list[tuple[int, int, str]], text: str, xs: list[float]) -> list[Column]:
    """Headings joined by '/', '&' or 'and' within one heading cell name one column holding both values."""
    columns: list[Column] = []
    for i, (start, end, kind) in enumerate(chosen):
        before = chosen[i - 1] if i else None
        if before and columns and JOINED_HEADINGS.fullmatch(text[before[1]:start]):
            last = columns[-1]
            columns[-1] = Column(last.kind, last.x0, xs[end - 1], (*last.also, kind))
        else:
            columns.append(Column(kind, xs[start], xs[end - 1]))
    return columns


HEADING_CUT = 1000  # cutting through a heading costs more than through any number of figures under it


def boundaries(columns: list[Column], rows: list[Row]) -> list[float]:
    """For each pair of neighbouring columns, the x that separates them: where the fewest words are cut,
    `rows[0]`'s headings before any other. Goods grouped by pallet are one table under the first heading row,
    though each group's columns may sit a little apart; where no x passes between all their figures, cutting one
    figure of the data was priced like cutting a heading, and the cut went through 'Commandé' and put the
    ordered 90 in the quantity's cell (third corpus 2703:33). A heading printed as words apart is one heading
    from its first word to its last, and two columns' headings may be cut between however close they are
    (photo 2722:11: diagnosis seeds 2706-2717 lines right 73.2 -> 73.4 %, silent errors 10 = 10; photos
    2722-2737 silent 10 -> 8; tuning 21+31 and clean 2718-2721 silent 0 = 0)."""
    words = [(w, 1) for row in rows[1:] for w in row.words]
    heading = sorted(rows[0].words, key=lambda w: w.x0) if rows else []
    owned = [[w for w in heading if _heads(column, w)] for column in columns]  # each column's heading words
    spans = [(w.x0, w.x1) for w in heading] + _headings_of_words(owned)
    cuts = []
    for k, (left, right) in enumerate(zip(columns, columns[1:], strict=False)):
        # not right of the right heading's middle: past it the heading's own column has begun, and the widest
        # gap there is the blank after a last column's short values ('litr  2027-04-18' under a long
        # 'jm  Termin przydatności': the dates fell into the unit's cell, every expiry lost)
        lo, hi = int(left.x0) + 4, int((right.x0 + right.x1) / 2) - 4
        if hi <= lo:
            cuts.append((left.x1 + right.x0) / 2)
            continue
        apart = _between_headings(owned[k], owned[k + 1], heading)
        cost = [sum(k for w, k in words if w.x0 - 2 < x < w.x1 + 2)
                + HEADING_CUT * (any(a - 2 < x < b + 2 for a, b in spans) and not apart[0] < x < apart[1])
                for x in range(lo, hi)]
        least = min(cost)
        runs, start = [], None
        for i, c in enumerate(cost + [least + 1]):
            if c == least and start is None:
                start = i
            elif c != least and start is not None:
                runs.append((start, i))
                start = None
        middle = (left.x1 + right.x0) / 2
        a, b = max(runs, key=lambda r: (r[1] - r[0], -abs(lo + (r[0] + r[1]) / 2 - middle)))
        cuts.append(lo + (a + b) / 2)
    return cuts


def _between_headings(left: list[Word], right: list[Word], heading: list[Word]) -> tuple[float, float]:
    """The gap between the left column's last heading word and the right one's first, when nothing is printed
    between them: the columns' own boundary, however narrow ('Qty Despatched' 2 px from 'Unit' on a photo,
    2722:11). Between a known heading and words the vocabulary does not know it may be no boundary
    ('Cant.' of 'Cant. pedida', third corpus 2716:34)."""
    if not left or not right or any(left[-1].x1 <= w.x0 and w.x1 <= right[0].x0 for w in heading):
        return 0.0, 0.0
    return left[-1].x1, right[0].x0


def _heads(column: Column, word: Word) -> bool:
    """The heading word is (mostly) over the column's heading."""
    return min(word.x1, column.x1) - max(word.x0, column.x0) > (word.x1 - word.x0) / 2


def _headings_of_words(owned: list[list[Word]]) -> list[tuple[float, float]]:
    """The span of each heading printed as words apart ('Qty  Ordered'; `owned`: each column's heading words,
    left to right): the gap between its words is inside the heading, not between two columns."""
    return [(own[0].x0, max(w.x1 for w in own)) for own in owned if len(own) > 1]


def _column_index(columns: list[Column], kind: str, *, joined: bool = False) -> int | None:
    """Where the column of `kind` is among the columns (`joined`: also one it shares a cell with, 'Lot / Exp.')."""
    return next((i for i, c in enumerate(columns) if c.kind == kind or (joined and kind in c.also)), None)


def _guessed_quantity_cut(columns: list[Column], rows: list[Row]) -> bool:
    """Whether the quantity's column could not be cut from a neighbouring amount column by the headings alone:
    a figure under no heading word, well apart from both, in the gap between the quantity heading and the
    heading word beside it that names an amount (ordered, back order, weight) or nothing the vocabulary knows
    ('Price', 'Auftragsmenge'). A spreadsheet prints figures right-aligned past their left-aligned heading, a
    word processor left-aligned before their centred one: the same gap, opposite owners, and the PO agrees
    with the ordered figure whichever is taken (outside reviews 10, 13, 14: short deliveries shown
    complete). Then every line's quantity is marked. A figure a character or less from a heading is that
    heading's (outside review 14: a tight spreadsheet's '6')."""
    index = _column_index(columns, "quantity")
    if index is None or not rows:
        return False
    headings = sorted(rows[0].words, key=lambda w: w.x0)
    owner = {id(w): c for c in columns for w in headings if w.x1 > c.x0 and w.x0 < c.x1}
    own = [w for w in headings if owner.get(id(w)) is columns[index]]
    if not own:  # a heading found blurred, its words not where the column is: nothing to measure against
        return False
    start, end = own[0].x0, max(w.x1 for w in own)
    before = [w for w in headings if w.x1 <= start]
    after = [w for w in headings if w.x0 >= end]
    gaps = [(side.x1, start) for side in before[-1:] if _amount_or_unknown(owner.get(id(side)))] + \
        [(end, side.x0) for side in after[:1] if _amount_or_unknown(owner.get(id(side)))]
    return any(lo_ + row.height / 2 <= w.x0 and w.x1 <= hi_ - row.height / 2 and any(c.isdigit() for c in w.text)
               and not any(h.x0 < w.x1 and w.x0 < h.x1 for h in headings)
               for row in rows[1:] for w in row.words for lo_, hi_ in gaps)


def _cuts_beside_quantity(columns: list[Column], cuts: list[float]) -> list[float]:
    """The cuts between the quantity's column and an amount column beside it (ordered, back order, weight)."""
    index = _column_index(columns, "quantity")
    if index is None:
        return []
    return [cuts[cut] for cut, neighbour in ((index - 1, index - 1), (index, index + 1))
            if 0 <= cut < len(cuts) and neighbour < len(columns) and _is_amount(columns[neighbour])]


def _cut_through(row: Row, beside: list[float]) -> bool:
    """A figure of the row straddles a cut beside the quantity's column (`_cuts_beside_quantity`): which cell
    it belongs to is a guess (outside review 13: a later pallet's figures 30 px to one side, the cut through
    them rather than through a heading, the back order left alone in the quantity's cell)."""
    return any(w.x0 - SQUEEZED < cut < w.x1 + SQUEEZED and any(c.isdigit() for c in w.text)
               for w in row.words for cut in beside)


def _cut_before(columns: list[Column], cuts: list[float], kind: str) -> float | None:
    """The cut on the left of the column of `kind` (or of the one it shares a cell with); None for the first."""
    index = _column_index(columns, kind, joined=True)
    return cuts[index - 1] if index else None


def _reaches_back(words: list[Word] | None, cut: float | None, height: float) -> bool:
    """A figure of a cell that starts half a line's height or more inside the column before it (`cut`): the OCR
    glued that column's value on ('46421364376' for the position 4 and the lot 6421364376, third corpus
    2706:16), or the value ran over; which characters are the cell's is a guess."""
    return cut is not None and any(w.x0 < cut - height / 2 and any(ch.isdigit() for ch in w.text)
                                   for w in words or [])


SQUEEZED = 4  # px: a cut this close to a figure was squeezed between rows printed apart; it is a guess too


def _amount_or_unknown(column: Column | None) -> bool:
    return column is None or _is_amount(column)


def _is_amount(column: Column) -> bool:
    return any(kind in vocab.OTHER_AMOUNTS for kind in (column.kind, *column.also))


def read_table(heading: Row, rows: list[Row], columns: list[Column], convention: Convention) -> list[SlipLine]:
    body: list[Row] = []
    for r, row in enumerate(rows):
        if is_footer(row.text):
            items_x = codes_x(body)
            if ends_goods(rows, r, items_x):
                break
            if not item_row(row, items_x):  # 'Total  45' above the returnable pallets: no item
                continue
        if _bank_or_phone(row):
            continue
        body.append(row)
    cuts = boundaries(columns, [heading, *body])  # headings count too: no boundary cuts through "Quantity"
    shared = {kind for c in columns if c.also for kind in (c.kind, *c.also)}  # kinds printed in one cell
    shared |= {"quantity twice"} if any(c.twice for c in columns) else set()
    shared |= {"expiry column"} if any("expiry" in (c.kind, *c.also) for c in columns) else set()
    shared |= _amounts_in_one_cell(columns)
    codes_unheaded = not any("sku" in (c.kind, *c.also) for c in columns)
    guessed = _guessed_quantity_cut(columns, [heading, *body])
    beside = _cuts_beside_quantity(columns, cuts)
    before_lot = _cut_before(columns, cuts, "lot")
    lines: list[SlipLine] = []
    every_cells = [_cells_of(row, columns, cuts) for row in body]
    if sum(_FIGURES_ONLY.fullmatch(_text(cells.get("lot"))[0]) is not None for cells in every_cells) >= 2:
        shared |= {FIGURE_LOTS}
    written: list[Placed] = []  # the items and the figures alone between them, top to bottom
    totals: dict[str, Decimal] = {}  # each amount column's figures summed over the items so far
    for row, cells in zip(body, every_cells, strict=True):
        if codes_unheaded:
            _code_by_shape(cells)
        line = _line(cells, convention, shared)
        if line is not None and (guessed or _under_another_amount(cells, columns) or _cut_through(row, beside)):
            _as_rival(line)
        if line is not None and line.lot.value is not None and _reaches_back(cells.get("lot"), before_lot, row.height):
            line.lot = read(line.lot.value, line.lot.confidence, 1.0, "lot.crowded")
        runs_on = line is not None and bool(lines) and _runs_on(line, lines[-1])
        if line is not None and not runs_on:
            lines.append(line)
            written.append(Placed(row.y, row.height, line=line, struck=_struck_printed(cells, line, convention)))
            _add_to_totals(totals, cells, convention)
        else:
            if lines:
                _continue(lines[-1], row, convention, cells, runs_on=runs_on)
            alone = _figure_alone(cells, convention)
            written += to_settle(None if _column_total(alone, cells, totals) else alone, row, lines)
    settle_written_figures(written)
    return _without_total(lines)


@dataclass(eq=False)  # placed.index finds this one, not an equal one
class Placed:
    """An item's line, or a figure alone on a row between items, and where its row is."""

    y: float
    height: float
    line: SlipLine | None = None
    struck: bool = False  # the item's quantity is its printed figure, seen struck out
    figure: Quantity | None = None


def settle_written_figures(placed: list[Placed]) -> None:
    """A figure alone on a row between two items (or under the last) is a delivered amount written by hand
    over, under or beside a printed one, read as a row of its own ('22,4' over '28,4 kg'; third corpus 2714:14,
    a pale red stroke the picture check missed and the PO vouched for 28.4). Which item it corrects is a guess:
    each item within two rows of it whose figure differs and is of its order of size is marked (a rival, never
    vouched for), the item above too when the one below was seen struck and takes the figure: a strike seen
    where there is none (bold small print under blur) must not take a mark away (outside review 18: 60 written
    under an unstruck 72, the PO's 72 shown sure). It is taken as the quantity of a struck item only where it
    is the only figure between the two and `_taker` names that item (outside reviews 16 and 17: corrections
    under each figure, a handwritten cell, a figure beside the struck one)."""
    for k, here in enumerate(placed):
        if here.figure is None:
            continue
        above, below = _item_beside(placed, k, -1), _item_beside(placed, k, 1)
        above = above if above is not None and here.y - above.y <= 2 * here.height else None
        below = below if below is not None and below.y - here.y <= 2 * here.height else None
        taker = _taker(placed, above, below) if _figures_between(placed, above, below) == 1 else None
        if above is not None:
            _corrected(here.figure, above, take=taker is above)
        if below is not None:
            _corrected(here.figure, below, take=taker is below)


def _taker(placed: list[Placed], above: Placed | None, below: Placed | None) -> Placed | None:
    """Which struck item the only figure alone between two items was written for: the slip's habit where it
    shows (a figure alone right under the item below too: corrections written under the figures; right over
    the item above too: over them), else the one struck item, else — both struck — the one below: a hand
    writes the delivered figure over the printed one more often than under it (third corpus 2714:36,
    2717:24)."""
    if below is not None and _figure_on_side(placed, below, 1):
        owner = above
    elif above is not None and _figure_on_side(placed, above, -1):
        owner = below
    else:
        owner = below if below is not None and below.struck else above
    return owner if owner is not None and owner.struck else None


def _item_beside(placed: list[Placed], k: int, step: int) -> Placed | None:
    """The nearest item below (step 1) or above (step -1) the k-th row."""
    side = placed[k + 1:] if step > 0 else placed[:k][::-1]
    return next((p for p in side if p.line is not None), None)


def _figures_between(placed: list[Placed], above: Placed | None, below: Placed | None) -> int:
    start = placed.index(above) + 1 if above is not None else 0
    end = placed.index(below) if below is not None else len(placed)
    return sum(p.figure is not None for p in placed[start:end])


def _figure_on_side(placed: list[Placed], item: Placed, step: int) -> bool:
    """A figure alone right under (step 1) or right over (step -1) the item, before the next item."""
    k = placed.index(item) + step
    return 0 <= k < len(placed) and placed[k].figure is not None


def _corrected(figure: Quantity, item: Placed, *, take: bool) -> None:
    line = item.line
    if line is None or line.quantity.value is None or not _corrects(figure, line.quantity.value):
        return
    _as_rival(line)
    if take:  # the printed figure struck out: the written one is what came (still marked)
        line.quantity = read(figure.value, line.quantity.confidence, figure.certainty, "qty.rival")


def _figure_alone(cells: dict[str, list[Word]], convention: Convention) -> Quantity | None:
    """A bare figure in the quantity's cell of a row that holds nothing else but perhaps the item's barcode:
    a figure with a unit is the item's count of cartons or its weight ('10 ctn', '920 kg'), figures in other
    cells too a row of column numbers ('1  2  3  4  5'; outside review 16). A hand writes the delivered figure
    over the printed one's neighbour too, where there is room: in the unit's cell or an amount column's
    (third corpus photos 2735:44, '400' over 'g' beside a struck 500; 2736:8, '173' over the back order beside
    a struck 216, both vouched for by the PO)."""
    own = cells.get("quantity") or next((cells[kind] for kind in WRITTEN_BESIDE if cells.get(kind)), [])
    for kind, words in cells.items():
        rest = _text([word for word in words if word not in own])[0] if kind != "quantity" else ""
        if rest and not (BARCODE.fullmatch(rest) or unlabelled_barcode(rest)):
            return None
    return figure_alone(_text(own)[0], convention)


# Cells beside the quantity's a correction is written over. Not a weight's: a two-line weight cell prints the
# gross weight under the net one, a figure alone on its row (outside review 20).
AMOUNTS_BESIDE = ("ordered", "outstanding")
WRITTEN_BESIDE = ("unit", *AMOUNTS_BESIDE)


def _add_to_totals(totals: dict[str, Decimal], cells: dict[str, list[Word]], convention: Convention) -> None:
    for kind in AMOUNTS_BESIDE:
        found = quantities(_text(cells[kind])[0], convention) if cells.get(kind) else []
        if found:
            totals[kind] = totals.get(kind, Decimal(0)) + found[0].value


def _column_total(alone: Quantity | None, cells: dict[str, list[Word]], totals: dict[str, Decimal]) -> bool:
    """The figure alone in an amount column sums that column's figures on the items above: the column's total,
    printed under it by a spreadsheet without a label (outside review 20), not a correction."""
    return alone is not None and any(cells.get(kind) and totals.get(kind) == alone.value for kind in AMOUNTS_BESIDE)


def to_settle(alone: Quantity | None, row: Row, lines: list[SlipLine]) -> list[Placed]:
    """The figure alone on `row` for settle_written_figures, unless it corrects no item: a subtotal, or the
    figure the item above took for its own (printed on its name's second line)."""
    if alone is None or (lines and lines[-1].quantity.value == alone.value) or _subtotal(alone.value, lines):
        return []
    return [Placed(row.y, row.height, figure=alone)]


def seen_struck(pieces: list[tuple[str, float]], value: Decimal | None, convention: Convention) -> bool:
    """One of the (text, OCR score) pieces reads `value` and was seen struck out: the picture check gives a
    struck word exactly STRUCK, so a handwritten figure the OCR scored low is none (outside review 17)."""
    return any(score == STRUCK and any(q.value == value for q in quantities(text, convention))
               for text, score in pieces)


def _subtotal(figure: Decimal, lines: list[SlipLine]) -> bool:
    """The sum of the quantities of two or more items right above: a pallet's or a page's subtotal."""
    total = Decimal(0)
    for count, line in enumerate(reversed(lines), start=1):
        total += line.quantity.value or 0
        if count >= 2 and total == figure:
            return True
    return False


def figure_alone(text: str, convention: Convention) -> Quantity | None:
    """A bare figure and nothing else, as a hand writes one: no unit, not in brackets (some ERPs print the
    ordered amount so, '(1000)')."""
    text = text.strip()
    if text[:1] == "(" and text[-1:] == ")":
        return None
    text = text.strip(_STRAY)
    found = quantities(text, convention) if _FIGURES_ONLY.fullmatch(text) else []
    return found[0] if len(found) == 1 else None


def _cells_of(row: Row, columns: list[Column], cuts: list[float]) -> dict[str, list[Word]]:
    """The row's words by the kind of column each falls in."""
    cells: dict[str, list[Word]] = {}
    for word in row.words:
        column = columns[sum(1 for cut in cuts if word.x > cut)]
        for kind in (column.kind, *column.also):
            cells.setdefault(kind, []).append(word)
    return cells


STRIKE_BEFORE = re.compile(rf"^[{DASHES}]+(?=\d)")
FIGURE_LOTS = "lots of figures only"  # in `shared`: two rows or more have a bare figure for their lot
_FIGURES_ONLY = re.compile(r"\d{1,5}(?:[.,]\d{1,3})?")  # a bare figure a hand writes, not a long numeric lot


def without_other_amounts(heading: Row, rows: list[Row], columns: list[Column]) -> list[Row]:
    """The rows without the words right under a heading that names the ordered or the outstanding amount
    ('Ordered', 'Back order'), for reading by item code, which reads a row's text and not its columns: on a
    photo whose rows slant, the delivered figure (often written in by hand, lower in its cell) falls on the
    row under the item's and the ordered one beside the code was taken (third corpus 2703:8). A weight may
    be what was delivered (goods sold by the kilo): it stays."""
    if not any(c.kind in ("ordered", "outstanding") for c in columns):
        return rows
    # right under the heading, not merely in its column: a cut between close headings can be wrong, and then
    # this reading is the one that still finds the quantity
    return [Row(row.y, row.height, [word for word in row.words
                                    if not _under_heading_of(word, columns, ("ordered", "outstanding"))])
            for row in rows]


def _under_heading_of(word: Word, columns: list[Column], kinds: tuple[str, ...]) -> bool:
    """The word lies right under a heading of one of `kinds` (within its printed span) and not under the
    quantity's own heading."""
    own = next((c for c in columns if c.kind == "quantity"), None)
    return own is not None and not own.x0 <= word.x <= own.x1 and \
        any(c.x0 <= word.x <= c.x1 for c in columns if c.kind in kinds)


def column_span(heading: Row, rows: list[Row], columns: list[Column], kind: str) -> tuple[float, float] | None:
    """The x-range of the column `kind` heads, between its neighbours' boundaries (the page's edges at the ends)."""
    cuts = boundaries(columns, [heading, *rows])
    at = _column_index(columns, kind)
    if at is None:
        return None
    return (cuts[at - 1] if at else float("-inf"), cuts[at] if at < len(cuts) else float("inf"))


def _bank_or_phone(row: Row) -> bool:
    """'IBAN ES91 2100 0418 …', 'Bank PKO, nr rach. 61 1090 …', 'Tel. 96 555 12 40' under the goods (the
    signature line above them not read as a footer): the digit groups fell into the code cell and joined into
    one code, an invented line. A row that starts with a bank, phone or tax label as a word of its own and
    holds the long run of digits such a number has is the footer's; an item code that starts like one
    ('TEL-3001', 'CIF-0750') or goods named so ('Cif Crema 750 ml', 'Banco de trabajo') are not (outside
    review, tests/test_attack7_findings.py)."""
    if not row.words or vocab.PHONE_OR_TAX.match(first := row.words[0].text) is None:
        return False
    labelled = re.fullmatch(r"[^\W\d_]+(?:[.\s][^\W\d_]+)*[.:]?", first) is not None  # no code's digits glued on
    return labelled and sum(c.isdigit() for c in row.text) >= BANK_DIGITS


BANK_DIGITS = 8  # a phone number, a tax number, an IBAN; a goods row's numbers are shorter


def _without_total(lines: list[SlipLine]) -> list[SlipLine]:
    """A last row without an item code whose number is the sum of the quantities above it is the table's
    total ('Subtotal  13263,92', in whatever words), not an item — where at least three are summed: that
    two items add up to a third printed without a code (2 + 3 Euro pallets) happens by chance."""
    if len(lines) < 4 or lines[-1].sku.value or lines[-1].quantity.value is None:
        return lines
    above = [line.quantity.value for line in lines[:-1] if line.quantity.value is not None]
    if len(above) < len(lines) - 1:
        return lines
    if abs(sum(above, Decimal(0)) - lines[-1].quantity.value) <= Decimal("0.01"):
        return lines[:-1]
    if any(line.quantity.how == "qty.rival" for line in lines[:-1]):
        _as_rival(lines[-1])  # a figure taken for a printed one above: the printed ones may be what it sums
    return lines


VALUE_KINDS = ("quantity", "lot", "expiry", *vocab.SIDE_COLUMNS)  # values, never a code


def _amounts_in_one_cell(columns: list[Column]) -> set[str]:
    """'Qty Ord/Ship' heads one cell printing '500/200': which number is the delivered one is the quantity's
    place among the heading's amounts, noted as 'delivered i of n'."""
    for column in columns:
        kinds = [k for k in (column.kind, *column.also) if k == "quantity" or k in vocab.OTHER_AMOUNTS]
        if "quantity" in kinds and len(kinds) > 1:
            return {f"delivered {kinds.index('quantity')} of {len(kinds)}"}
    return set()


def _the_quantity(qty_text: str, convention: Convention, shared: frozenset[str] | set[str]
                  ) -> tuple[list[Quantity], Quantity | None, str]:
    """The cell's numbers, the quantity among them and how it was found. A number that may be the delivered
    amount as well as the one taken — an ordered amount in the same cell, a second quantity heading, a pen
    correction beside the printed figure — is a rival ('qty.rival'): marked, and the PO may not vouch for
    the one taken, since the ordered amount always equals what the PO expects (outside review)."""
    place = next((k.split() for k in shared if k.startswith("delivered ")), None)
    if place is not None:  # '500/200' under 'Qty Ord/Ship': the slash parts are the amounts, in heading order
        found = quantities(re.sub(r"(?<=\d)\s?/\s?(?=\d)", "  ", qty_text), convention)
        index, count = int(place[1]), int(place[3])
        if len(found) == count:
            rivals = len({q.value for q in found}) > 1
            return found, found[index], "qty.rival" if rivals else "qty.cell"
        return found, found[0] if found else None, "qty.rival"
    found = quantities(qty_text, convention)
    if not found:
        return found, None, "qty.cell"
    if "quantity twice" in shared:  # shipped after ordered, a guess
        return found, found[-1], "qty.rival"
    taken = found[0]
    if any(q.value != taken.value and _comparable(q.value, taken.value) for q in found[1:]):
        return found, taken, "qty.rival"
    return found, taken, "qty.cell" if len(found) == 1 else "qty.crowded"


_STRAY = "[](){}|'\""  # what the OCR makes of a handwritten figure's first or last stroke


def _figure_in_unit_cell(cells: dict[str, list[Word]], convention: Convention) -> Quantity | None:
    """A bare figure heading the unit's cell ('38' of '38 opak.', '[5,5'): an amount where none belongs. A pack
    size ('Sack 25 kg', '25 kg', 'Carton de 12') and an l read as '1' are none."""
    unit = [word.text.strip(_STRAY) for word in cells.get("unit", [])]  # '[5,5': a handwritten 2 read as '['
    if not unit or unit == ["1"]:
        return None
    first = quantities(unit[0], convention)
    after = unit[1] if len(unit) > 1 else ""
    pack = vocab.normalise_unit(after) in MEASURES or after.lower().rstrip(".") in CONTENTS or after[:1] in ("x", "×")
    whole = bool(first) and (first[0].start, first[0].end) == (0, len(unit[0]))
    return first[0] if whole and not first[0].unit and not pack else None


def _written_in_lot_cell(cells: dict[str, list[Word]], struck: Quantity | None,
                         convention: Convention) -> Quantity | None:
    """The delivered amount written by hand where the lot's column is, beside or above a printed figure struck
    out ('500 units' struck, '400' written over the empty lot cell; third corpus 2706:42, 2709:16): a bare
    figure of the struck one's order of size, alone in the cell. Lots are longer, or have letters or dashes;
    where they are short figures the other rows show it (outside review 15: '2411', '2412')."""
    text = _text(cells.get("lot"))[0].strip(_STRAY)
    if struck is None or not _FIGURES_ONLY.fullmatch(text):
        return None
    found = quantities(text, convention)
    return found[0] if len(found) == 1 and _comparable(found[0].value, struck.value) else None


def _rival_beside(cells: dict[str, list[Word]], taken: Decimal, convention: Convention) -> bool:
    """Another amount where none belongs: a column the heading row did not name (an ordered amount whose
    heading the OCR glued to its neighbour, 'towaruZamówiono'), or the photo's slant pushed the delivered
    figure one column on — under the unit's heading ('39  38 opak.', '0 opak.' for nothing delivered) or,
    with the unit printed in the quantity's cell, under the lot's ('39 opak.  38 opak.'). Which came is then
    a guess, and the PO agrees with the ordered one: marked, never vouched for (third corpus 2703:23, outside
    review 8). A pack size in the unit's cell ('Sack 25 kg', 'Carton de 12', '25 kg') and an l the OCR read
    as '1' are no amount."""
    figure = _figure_in_unit_cell(cells, convention)
    if figure is not None and figure.value != taken:
        return True
    if FIGURE_AFTER_UNIT.match(_text(cells.get("unit"))[0]):
        return True  # '2036 | kg|629': a figure written after the unit, read glued to it (third corpus 2713:21)
    for kind in ("lot", "expiry"):  # an amount with a unit word is no lot and no date
        text, _ = _text(cells.get(kind))
        if any(q.unit and q.value != taken for q in quantities(text, convention)):
            return True
    return False


FIGURE_AFTER_UNIT = re.compile(r"(?![x×]\d)[^\W\d_]{1,4}\.?[|\[\](){}'\"]?\d")  # 'kg|629', 'kg1819' in the unit's cell
MEASURES = frozenset({"kg", "g", "l", "m"})  # a number before one of these in the unit's cell is a pack's content
CONTENTS = frozenset({"cl", "ml", "dl", "mm", "cm", "oz", "lb", "lbs"})  # and these, which name no unit we receive in


def _comparable(a: Decimal, b: Decimal) -> bool:
    """Two amounts of one order of size: a correction or an ordered amount, not a position number ('3  541 g')."""
    return a > 0 and b > 0 and Decimal("0.1") <= a / b <= 10


def _code_by_shape(cells: dict[str, list[Word]]) -> None:
    """No heading named the item-code column ('Cód.', 'Nr katalogowy'): its words were counted into a
    neighbour's cell, mostly the description's. The first code-shaped word outside the value cells is the
    item code — by shape only, so marked (evidence 'sku.shape') unless the PO has it exactly."""
    for kind, words in cells.items():
        if kind in VALUE_KINDS:
            continue
        for word in words:
            text = word.text.strip(SEPARATORS)
            if len(text) >= 4 and looks_like_code(text) and not PACK_SIZE.fullmatch(text):
                words.remove(word)
                cells["sku by shape"] = [word]
                return


def _text(words: list[Word] | None) -> tuple[str, float]:
    """A cell's words: one space inside an OCR box, two between boxes ('3  541 g' is a position and a
    quantity, '3 541 g' one grouped number)."""
    if not words:
        return "", 0.0
    text = words[0].text
    for before, word in zip(words, words[1:], strict=False):
        text += (" " if word.cell == before.cell else "  ") + word.text
    return text, min(w.score for w in words)


def _line(cells: dict[str, list[Word]], convention: Convention,
          shared: frozenset[str] | set[str] = frozenset()) -> SlipLine | None:
    """One table row. A heading vouches for a cell that holds one value of its kind; a cell holding two
    numbers (or codes, or dates) took words from a column the heading row did not name: which one is the
    value is a guess by position, marked ("*.crowded", evidence.py). A row with an item code but no number
    under the quantity heading (the photo smudged it) is still an item: its quantity is left for a person."""
    qty_text, qty_score = _text(cells.get("quantity"))
    if qty_score <= STRUCK:  # '-288': the pen's line run out before the struck figure, read as a minus sign
        qty_text = STRIKE_BEFORE.sub("", qty_text)
    found, quantity, qty_how = _the_quantity(qty_text, convention, shared)
    written = None
    if quantity is not None and _rival_beside(cells, quantity.value, convention):
        qty_how = "qty.rival"
        written = _figure_in_unit_cell(cells, convention)
        if qty_score <= STRUCK and written is not None:
            quantity = written  # the printed figure is struck out: the one beside it is what came (still marked)
    written_in_lot = _written_in_lot_cell(cells, quantity, convention) \
        if qty_score <= STRUCK and written is None else None
    if quantity is not None and written_in_lot is not None and FIGURE_LOTS not in shared:
        quantity, qty_how = replace(written_in_lot, unit=quantity.unit), "qty.rival"
        cells.pop("lot")
    sku_text, sku_score = _text(cells.get("sku") or cells.get("sku by shape"))
    sku, sku_guessed = _code(sku_text, apart=_apart(cells.get("sku")))
    sku_how = "sku.shape" if "sku by shape" in cells else "sku.crowded" if sku_guessed else "sku.cell"
    if not found and not (sku and _item_without_figure(sku, _text(cells.get("description"))[0], convention)):
        return None
    unit_text, unit_score = _text(cells.get("unit"))
    unit, unit_certainty = quantity.unit if quantity else None, 0.95
    unit_how = "unit.cell" if len(found) == 1 else "unit.crowded"
    if unit is None and "unit" in cells:
        (unit, unit_certainty), unit_how = _unit_cell(unit_text), "unit.cell"
    elif unit is None and (glued := glued_litre(qty_text.split(" ")[0], 0, convention)):  # "62,661" = "62,66 l"
        quantity, unit, unit_certainty = glued, "l", 0.45
    desc_text, desc_score = _text(cells.get("description"))
    lot_text, lot_score = _text(cells.get("lot"))
    exp_text, exp_score = _text(cells.get("expiry"))
    lot_and_expiry = {"lot", "expiry"} <= shared  # one cell holds both
    lot_text, month_glued = _glued_month(lot_text, exp_text, shared, convention)
    exp_text = lot_text if lot_and_expiry else exp_text
    unlabelled = vocab.LOT_LABEL.sub("", lot_text).lstrip()
    dashed = re.match(r"[-–]\d", unlabelled) is not None  # 'LOT-55522': 'LOT#55522' with its '#' read as a dash
    lot, lot_how = _lot_cell(unlabelled[1:] if dashed else unlabelled, lot_and_expiry, convention,
                             dated="expiry column" not in shared, apart=_apart(cells.get("lot")),
                             glued=month_glued or any(word.glued for word in cells.get("lot", [])))
    lot_how = "lot.label_glued" if dashed and lot else lot_how
    # lots of figures only in other rows too ('2411', '2412'): the figure is this row's lot, or the delivered
    # amount written there beside the struck one ('288' struck, '230' written over the lot column, which holds
    # '27012' and '16617' in other rows; third corpus 2751:3): which, only a person can tell
    lot_how = "lot.rival" if written_in_lot is not None and lot else lot_how
    if not sku and not lot and not _names_goods(desc_text):
        return None  # 'Cartons  9', 'Colis  2', 'Strona 1 z 1': a count of packages or a page, not goods
    expiry = find_date(exp_text, convention, lost_separator=True) if exp_text else None
    date_glued = expiry is not None and (_glued_to_lot(exp_text, expiry) or month_glued
                                         or any(word.glued for word in cells.get("expiry", [])))
    exp_how = "exp.crowded" if expiry and (find_date(exp_text[expiry.end:], convention) or date_glued) else "exp.cell"
    if expiry is None and "expiry" not in cells and lot_text:  # no expiry heading read: a date in the lot's cell
        expiry, exp_score, exp_how = find_date(lot_text, convention), lot_score, "exp.crowded"
    if expiry is None and "expiry" not in cells:  # or in an amount's, weight's or EAN's cell
        expiry, exp_score, exp_how = _unheaded_date(cells, convention)
    return SlipLine(
        sku=read(sku, sku_score, code_certainty(sku), sku_how) if sku else Read(),
        description=read(desc_text.strip(" |:"), desc_score, 0.9, "description") if desc_text.strip(" |:")
        else Read(),
        quantity=read(quantity.value, qty_score, quantity.certainty, qty_how) if quantity else Read(),
        unit=read(unit, unit_score if "unit" in cells else qty_score, unit_certainty, unit_how) if unit else Read(),
        lot=read(lot, lot_score, code_certainty(lot), lot_how) if lot else Read(),
        expiry=read(expiry.value, exp_score, expiry.certainty, exp_how) if expiry else Read())


# A month and a four-figure year at the end of the lot's cell, glued to it: '2608-8364-10-2028' for '2608-8364 /
# 10-2028' under 'Lotto / Da consumarsi entro', the slash and its spaces read as one dash (third corpus
# 2765:16); '543415012908/2028' for lot 5434150129 and August 2028 (2773:16). Years 2020-2049 only: a lot
# '2703-2095' is no lot 27 best before March 2095 (2712:24).
_MONTH_AT_END = re.compile(r"(?<=[A-Za-z0-9])([-/.]?)((?:0[1-9]|1[0-2])[./\-]20[2-4]\d)$")


def _glued_month(lot_text: str, exp_text: str, shared: frozenset[str] | set[str],
                 convention: Convention) -> tuple[str, bool]:
    """The lot's cell with a month and year glued to its end set apart, where a date belongs in the cell (it
    holds the expiry too, or the slip has no expiry column); and whether where the lot ends is a guess: the
    lot ran straight into the month (or 54341501290 and 8/2028), or — in a lot column of its own beside an
    empty expiry cell — the expiry may have been read into the lot. Lots, like codes, may end so ('PRD-11-2026'
    beside its expiry '03/2028'): cut nowhere else, and left alone where the row's expiry was read (outside
    review 25)."""
    glued = _MONTH_AT_END.search(lot_text)
    if glued is None or find_date(lot_text, convention) is not None:
        return lot_text, False
    if {"lot", "expiry"} <= shared or "expiry column" not in shared:
        return f"{lot_text[:glued.start(2)]} {lot_text[glued.start(2):]}", not glued.group(1)
    return lot_text, not exp_text.strip()


def _item_without_figure(code: str, name: str, convention: Convention) -> bool:
    """A row with a code but no quantity is an item whose figure was not read — where the code is one:
    shaped like a code, or figures only ('0883.464', 2701:19) beside a name. An item's barcode printed under
    its code ('4006524928260'), a date under it or a signature's date under the table is none of them
    (outside review 9)."""
    if unlabelled_barcode(code) or LONG_DIGIT_RUN.fullmatch(code) or find_date(code, convention) is not None:
        return False
    return looks_like_code(code) or (sum(c.isdigit() for c in code) >= 5 and _names_goods(name))


def _names_goods(text: str) -> bool:
    """A word of two letters or more in the description cell: the row says what goods it is about (German
    'Öl', 'Ei' are goods; outside review)."""
    return re.search(r"[^\W\d_]{2}", text) is not None


def _unheaded_date(cells: dict[str, list[Word]], convention: Convention) -> tuple[FoundDate | None, float, str]:
    """A date under a heading the vocabulary does not know ('TGT', a blurred 'THT') beside a weight, EAN or
    ordered-amount column falls into that column's cell: those hold no dates, so it is the expiry, marked."""
    for kind in vocab.SIDE_COLUMNS:
        text, score = _text(cells.get(kind))
        if text and (found := find_date(text, convention)) is not None:
            return found, score, "exp.crowded"
    return None, 0.0, "exp.cell"


def _lot_cell(text: str, with_expiry: bool, convention: Convention, *, dated: bool = False,
              apart: bool = False, glued: bool = False) -> tuple[str | None, str]:
    """The lot in its cell; in a cell that holds the expiry too ('L2304A / 12.05.2026', OCR's
    'L2304A/12.05.2026') the date is cut out first. Where no date could be read there, the lot is what
    comes before the '/', a guess (marked), as it is where a month's name shows a date was printed there.
    Where no heading named an expiry column at all (`dated`: the photo broke 'Verfall' into 'Ver fall') a
    date in the lot's cell is the expiry too: cut out, the lot marked. Under a lot heading beside an expiry
    column the cell is the lot, whatever it holds ('4711-05-06-27'). `glued`: the OCR read the date glued to
    the lot ('L2612/04/2028': lot L26 and 12 April, or L2612 and April), which is a guess (outside review 20),
    wherever the date fell ('543415012908/2028' across the lot's and the expiry's cells; third corpus 2773:16)."""
    crowded = glued or sum(looks_like_code(w) for w in text.split()) > 1
    found = find_date(text, convention) if with_expiry or dated else None
    if found is not None:
        glued = glued or _glued_to_lot(text, found)
        text = f"{text[:found.start]} {text[found.end:]}"
        crowded = not with_expiry or sum(looks_like_code(w.strip("/&+|")) for w in text.split()) > 1
    elif with_expiry and "/" in text:
        text, crowded = text.split("/")[0], True
    elif with_expiry and names_a_month(text):  # a date printed here but not read whole: where the lot ends is a
        crowded = True  # guess ('2366443211-13 Sep', its year glued to the next cell's code; photo 2734:44)
    if with_expiry or found is not None:  # and the dash the date was joined on by ('B26219 -30-09-2028')
        text = " ".join(w.strip("/&+|-–") for w in text.split())
        # two runs of figures left beside the date: the OCR split the lot ('28163704 20-07/2028' for the lot
        # 2816370420, third corpus 2704:21), or took in a neighbour's; which is the lot is a guess
        crowded = crowded or glued or sum(any(c.isdigit() for c in w) for w in text.split()) > 1
    lot, guessed = _code(text, apart=apart)
    if lot and LABEL_GLUED_TO_LOT.match(lot):
        return lot, "lot.label_glued"
    return lot, "lot.crowded" if crowded or guessed else "lot.cell"


# 'LOT55522' under a lot heading: a lot numbered so ('LOT660500'), or 'LOT#55522' whose '#' the scan lost or the
# OCR read as a figure or a letter ('LOT887245', 'LOTH55522'), or 'LOT NR' glued on ('LOTNR55522'; third corpus
# 2706:31, 2708:14, outside review 15). Only the slip tells: kept as read, marked.
LABEL_GLUED_TO_LOT = re.compile(r"(?:lot[eo]?|lotto|batch|charge|partij|partia)(?:n[or]\.?|h)?\d", re.I)


def _glued_to_lot(text: str, found: FoundDate) -> bool:
    """'L2304-12/05/2029': lot L2304 and 12 May, or lot L2304-12 and May — the hyphen glueing the date to the
    lot could be either's (outside review 9), so both are a guess. So is a slash, or the bar the OCR reads for
    one: 'CH54346/26 Feb 2027' is lot CH54346 and 26 February (tuning seed 31:20), 'FR826/27 - Apr 2028' lot
    FR826/27 and April (third corpus 2710:33, read sure as lot FR826 and 27 April); and a date found starting
    inside the lot's figures ('L261227 Apr 2028': lot L2612 and 27 April, or L261227 and April; a date
    vocab.unglue cut off the lot, 'L2612/04/2028', is flagged on its word instead, layout.Word.glued). Only a
    date that starts with its day can take the lot's last figures for it ('L2612/2028-04-27' cannot). With
    spaces round the slash, it is a separator."""
    printed, before = text[found.start:found.end], text[:found.start]
    figures = len(re.findall(r"\d+", printed))  # '26-07/2028': no day
    with_day = figures == 3 or (figures == 2 and re.search(r"[^\W\d_]", printed) is not None)
    day_first = re.match(r"\d{1,2}\D", printed) is not None
    return with_day and day_first and re.search(r"(?:[^\W_][-–/|]{1,2}\s?|\d)$", before) is not None


def _unit_cell(text: str) -> tuple[str | None, float]:
    """The unit column: its word ('1  gr': a position number no heading named fell into the first column, and
    is passed over). A lone "1", "|", "i" or "I" may be an l the OCR misread (no unit is called 1), or the
    table's rule in a cell left empty (pieces printed without a unit): an l, marked. A cell holding more
    ('6x 1 l', a pack) names no unit the quantity counts in."""
    words = text.split()
    if len(words) == 2 and re.fullmatch(r"\d{1,2}[.)]?", words[0]):
        words = words[1:]
    if len(words) == 1 and words[0].rstrip(".") in ("1", "|", "i", "I", "l1"):
        return "l", 0.5
    if len(words) == 1 and (unit := vocab.normalise_unit(words[0])) is not None:
        return unit, 0.95
    return None, 0.95


def _apart(words: list[Word] | None) -> bool:
    """Two of the cell's words (dates aside) printed further apart than a space: separate values, a
    neighbour's that fell into the cell because no heading the vocabulary knows named its column ('B2304'
    and the catch weight '30.50' beside it), not one code the OCR split."""
    words = [w for w in words or [] if find_date(w.text) is None]
    for before, word in zip(words, words[1:], strict=False):
        width = (before.x1 - before.x0 + word.x1 - word.x0) / max(1, len(before.text) + len(word.text))
        if word.cell != before.cell and word.x0 - before.x1 > width:
            return True
    return False


def _code(text: str, *, apart: bool = False) -> tuple[str | None, bool]:
    """The code in a code cell, and whether which of its pieces it is was a guess. Its pieces are joined
    when OCR split one code ('FLR- 1001'), never when a piece is a word of the description or a position
    number that spilled into the cell. Pieces printed `apart` are two values: the first that is a code on
    its own is taken, else they are joined — either way a guess, to be marked."""
    text = text.strip()
    pieces = text.split()
    joinable = len(pieces) > 1 and not any(re.search(r"[a-zà-ÿ]{2}", p) or re.fullmatch(r"\d{1,2}[.)]?", p)
                                           or find_date(p) for p in pieces)  # nor a date beside the lot
    joined = "".join(pieces)
    word = re.search(r"[a-zà-ÿ]{2}", joined) and not any(c.isdigit() for c in joined)  # 'Kartons' is no code
    whole = (joinable or len(pieces) == 1) and (looks_like_code(joined) or (CODE.fullmatch(joined) and len(joined) >= 3
                                                                            and not word))
    alone = next((token for token in pieces if looks_like_code(token) and not _measure(token)), None)
    if whole and not (apart and joinable and alone):
        return tidy_code(joined), bool(apart and joinable)
    return (tidy_code(alone), apart and joinable) if alone else (None, False)


def _measure(token: str) -> bool:
    """'1645kg', '30,5kg': a weight the OCR glued to its unit, from a neighbouring column — no code."""
    m = re.fullmatch(r"[\d.,]+([A-Za-z]{1,6}\.?)", token)
    return bool(m and vocab.normalise_unit(m.group(1)))


def _under_another_amount(cells: dict[str, list[Word]], columns: list[Column]) -> bool:
    """The quantity cell's figure sits under a heading that names another amount ('Besteld', 'Ordered') and
    not under the quantity's own: the cut between two close headings put the ordered figure in the
    quantity's cell (third corpus 2703:11, 'Besteld Aant.' 60 px apart on a photo). Which came is a guess.
    A figure right-aligned past its own heading's end, short of the next heading, is in its own column
    (outside review 9: 'Qty Shipped | B/O')."""
    return any(_under_heading_of(word, columns, vocab.OTHER_AMOUNTS)
               for word in cells.get("quantity", []) if any(ch.isdigit() for ch in word.text))


def _struck_printed(cells: dict[str, list[Word]], line: SlipLine, convention: Convention) -> bool:
    """The item's quantity is the figure printed in its cell, seen struck out: not one written in its unit's
    or lot's cell and taken already (outside review 16)."""
    return seen_struck([_text(cells.get("quantity"))], line.quantity.value, convention)


def _corrects(figure: Quantity | None, taken: Decimal) -> bool:
    """A figure alone beside an item's, of its order of size and not the same: perhaps its correction."""
    return figure is not None and figure.value != taken and _comparable(figure.value, taken)


def _as_rival(line: SlipLine) -> None:
    """The line's quantity may not be the delivered one: marked, and the PO may not vouch for it."""
    if line.quantity.value is not None and line.quantity.how != "qty.rival":
        line.quantity = read(line.quantity.value, line.quantity.confidence, 1.0, "qty.rival")


def _runs_on(line: SlipLine, above: SlipLine) -> bool:
    """A row with neither code nor lot under an item, whose words continue the item's name ('window  2000'
    under 'Kraft gift box with  2003', or '305x215x50 mm', '(with window)'): the same item's row, not another
    item (a name starts with a capital). Its number is the item's quantity if the item has none, else a rival
    (third corpus 2704:0: the delivered figures written under the ordered ones read as items without a code)."""
    name = (line.description.value or "").strip()
    barcode = BARCODE.fullmatch(name) is not None or unlabelled_barcode(name)  # the item's EAN line
    return bool(above.sku.value) and not line.sku.value and not line.lot.value and (not name[:1].isupper() or barcode)


def _continue(line: SlipLine, row: Row, convention: Convention, cells: dict[str, list[Word]], *,
              runs_on: bool = False) -> None:
    """A row under an item that is no item of its own: its lot or expiry may be printed on a line of their
    own. An amount under the unit's or the lot's heading there is a rival (_rival_beside): the delivered
    figure printed under the ordered one, or a correction written under a printed figure; so is one under
    the quantity's heading on a row that continues the item's name (`runs_on`), or it is the quantity."""
    text = row.text
    taken = line.quantity.value
    qty_text, qty_score = _text(cells.get("quantity"))
    # a figure alone between two items may be the next one's pen correction: only a row that continues
    # the item's name speaks for its quantity
    under = quantities(qty_text, convention) if runs_on else []
    if taken is None and len(under) == 1:  # the quantity printed on the name's second line
        line.quantity = read(under[0].value, qty_score, under[0].certainty, "qty.crowded")
    elif taken is not None and (_rival_beside(cells, taken, convention) or any(q.value != taken for q in under)):
        _as_rival(line)
    lot = labelled(text, vocab.LOT_LABEL)
    expiry = labelled_date(text, convention)
    if lot and line.lot.value is None:
        line.lot = read(lot[2], row.score, code_certainty(lot[2]) * 0.95, "lot.label")
    if expiry and line.expiry.value is None:
        line.expiry = read(expiry[2], row.score, expiry[3] * 0.9, "exp.label")
