"""OCR boxes of a packing-slip photo → PackingSlip, for the offline reader.

Pure (no OCR, no I/O), so every layout rule is testable with hand-written boxes. The text on the slip is
only ever data here: it can fill the fields of lines shown for confirmation, nothing else.

Two readings of the goods are made and the better kept: by the table's heading row when one is understood
(table.py: columns in any order), and by item codes wherever they are printed (goods.py: no heading
needed, block layouts, codes after descriptions). With the open POs known (`Expected`), the PO's codes are
the dictionary both readings snap to (dictionary.py), and each snap is noted on the slip.
"""
from __future__ import annotations

import re

from integrations.slips import vocab
from integrations.slips.cards import one_under_another
from integrations.slips.dictionary import SURE, Dictionary
from integrations.slips.expected import Expected
from integrations.slips.goods import ends_goods, find_anchors, quantity_column, read_region, regions
from integrations.slips.header import is_header_row, read_letterhead
from integrations.slips.items import is_footer, looks_like_code, read_item
from integrations.slips.layout import OcrBox, Row, rows_of
from integrations.slips.pallets import without_pallet_rows
from integrations.slips.plausible import (
    implausible_expiries,
    lots_begun_with_a_letter_read_as_a_digit,
    lots_ended_with_a_letter_read_as_a_digit,
    lots_with_letters_read_as_digits,
    odd_codes,
)
from integrations.slips.snapping import snap_lines
from integrations.slips.table import (
    Placed,
    column_span,
    figure_alone,
    find_heading,
    read_table,
    seen_struck,
    settle_written_figures,
    to_settle,
    without_other_amounts,
)
from integrations.slips.values import Convention, learn_convention
from models.packing_slip import PackingSlip, SlipLine


def parse_slip(boxes: list[OcrBox], expected: Expected | None = None) -> PackingSlip:
    rows = without_pallet_rows(rows_of(boxes))  # goods grouped by pallet read as one table
    convention = learn_convention([row.text for row in rows if not row.stamp], [row.text for row in rows if row.stamp])
    start = _body_start(rows)
    head = read_letterhead(rows[:start] or rows, convention, expected, rows)
    items, source = expected.dictionary(head.po_number.value, head.supplier.value) if expected else ([], "")
    dictionary = Dictionary(items)
    body = one_under_another(rows, dictionary)  # item cards side by side: each read as its own block
    lines = best_reading(body, start if body is rows else _body_start(body), convention, dictionary)
    lines, notes = snap_lines(lines, dictionary, source)
    notes += implausible_expiries(lines, head.slip_date.value) + lots_with_letters_read_as_digits(lines) \
        + lots_begun_with_a_letter_read_as_a_digit(lines, head.slip_date.value) \
        + lots_ended_with_a_letter_read_as_a_digit(lines, head.slip_date.value)
    notes += [] if dictionary else odd_codes(lines)
    notes = notes if lines else ["no goods lines found on the slip"]
    return PackingSlip(supplier=head.supplier, po_number=head.po_number, slip_date=head.slip_date,
                       lines=lines, reader="offline", notes=notes)


def best_reading(rows: list[Row], start: int, convention: Convention, dictionary: Dictionary) -> list[SlipLine]:
    heading = find_heading(rows)
    if heading is not None:
        index, columns = heading
        printed = read_table(rows[index], rows[index + 1:], columns, convention)
        body = without_other_amounts(rows[index], rows[index + 1:], columns)
    else:
        start = _first_item_row(rows, start, dictionary)
        printed = read_listed(rows, start, convention)
        body = rows[start:]
    anchors = find_anchors(body, dictionary)
    column = quantity_column([body[anchor.row] for anchor in anchors], convention)
    if column is None and heading is not None:  # no number printed with its unit: the heading says where
        column = column_span(rows[heading[0]], body, heading[1], "quantity")
    by_code: list[SlipLine] = []
    written: list[Placed] = []  # as table.read_table: the items and the figures alone between them
    for i, (anchor, block) in enumerate(regions(body, anchors)):
        line = read_region(anchor, block, convention, dictionary, column)
        if line is None:
            continue
        by_code.append(line)
        row = body[anchor.row]
        written.append(Placed(row.y, row.height, line=line, struck=_struck(block, line, convention)))
        end = anchors[i + 1].row if i + 1 < len(anchors) else len(body)
        for between in body[anchor.row + 1:end]:
            written += to_settle(figure_alone(between.text, convention), between, by_code)
    settle_written_figures(written)
    margin = 1 if heading is not None else 0  # a heading row that was understood is worth trusting
    return by_code if _worth(by_code, dictionary) >= _worth(printed, dictionary) + margin else printed


def _struck(block: list[Row], line: SlipLine, convention: Convention) -> bool:
    """The item's quantity was read off a figure the picture check saw struck out, with no rival of its own in
    its block (a correction written beside it; outside review 17)."""
    return line.quantity.how != "qty.rival" and seen_struck(
        [(word.text, word.score) for row in block for word in row.words], line.quantity.value, convention)


def _worth(lines: list[SlipLine], dictionary: Dictionary) -> float:
    """Lines that have a code and a quantity; codes the PO expects count double."""
    total = 0.0
    for line in lines:
        if line.sku.value and line.quantity.value is not None:  # a quantity that is a guess counts half
            total += (1 + bool(dictionary and dictionary.code_for(line.sku.value))) / (1 + line.quantity.doubtful)
        total += 0.1 * bool(line.lot.value) + 0.1 * bool(line.expiry.value)
    return total


def parse_text(text: str) -> PackingSlip:
    """A slip typed as text, one printed line per line (tests, and OCR engines that return plain text)."""
    boxes = []
    for y, line in enumerate(text.splitlines()):
        for cell in re.finditer(r"\S+(?: {1,2}\S+)*", line):  # 3+ spaces separate boxes, like a column gap
            x0, x1, top = 12.0 * cell.start(), 12.0 * cell.end(), 40.0 * y
            boxes.append(OcrBox(cell.group(), 1.0, ((x0, top), (x1, top), (x1, top + 24), (x0, top + 24))))
    return parse_slip(boxes)


def read_listed(rows: list[Row], start: int, convention: Convention) -> list[SlipLine]:
    """Items printed as text: each starts with a position number or a code, details may follow below."""
    blocks: list[list[Row]] = []
    body = rows[start:]
    for r, row in enumerate(body):
        if is_footer(row.text) and ends_goods(body, r, _codes_x(blocks)):
            break
        if _starts_item(row):
            blocks.append([row])
        elif blocks and row.y - blocks[-1][-1].y < 2.6 * row.height:
            blocks[-1].append(row)
    lines = []
    for block in blocks:
        item = read_item("  ".join(r.text for r in block), min(r.score for r in block), convention)
        if item is not None:
            lines.append(SlipLine(sku=item.sku, description=item.description, quantity=item.quantity,
                                  unit=item.unit, lot=item.lot, expiry=item.expiry))
    return lines


def _codes_x(blocks: list[list[Row]]) -> list[float]:
    """Where the items listed so far print their codes (or their first word after the position number)."""
    firsts = [block[0].words[1] if _position(block[0].words[0].text) and len(block[0].words) > 1
              else block[0].words[0] for block in blocks]
    return [word.x0 for word in firsts]


def _position(text: str) -> bool:
    return re.fullmatch(r"\d{1,2}[.)]?\S{0,2}", text) is not None


def _body_start(rows: list[Row]) -> int:
    """Goods come after the letterhead: after the last row with a PO, date, supplier or ship-to label."""
    last = -1
    for i, row in enumerate(rows[: max(1, len(rows) * 2 // 3)]):
        if is_header_row(row):
            last = i
    return last + 1


def _first_item_row(rows: list[Row], start: int, dictionary: Dictionary) -> int:
    """The body's start, or the first row above it that holds one of the PO's codes exactly: a word of the
    goods that reads as a letterhead label ('workach po 25 kg', Polish 'in sacks of', wrapped under an
    item's name: 'po' as a PO label) pushed the start past that item, and the item was lost."""
    for i, row in enumerate(rows[:start]):
        if any((hit := dictionary.code_for(word.text)) is not None and hit[1] == SURE for word in row.words):
            return i
    return start


def _starts_item(row: Row) -> bool:
    words = [w.text for w in row.words]
    if words and re.fullmatch(r"\d{1,2}[.)]", words[0]) and len(words) > 1:
        return True
    if words and re.fullmatch(r"\d{1,2}[.)]?\S{0,2}", words[0]):  # "3." that OCR read as "3.1"
        words = words[1:]
    if not words:
        return False
    return looks_like_code(words[0]) and not vocab.LOT_LABEL.match(row.text) and any(
        c.isalpha() for w in words[1:3] for c in w)
