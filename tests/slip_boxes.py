"""Hand-made OCR output for slip parser tests: one box per cell, as RapidOCR boxes a crisply printed slip."""
from __future__ import annotations

from integrations.slips.layout import OcrBox


def boxes_of(*rows: list[str]) -> list[OcrBox]:
    """Hand-made OCR output: one box per cell, rows 40 px apart, cells where their text would be printed,
    each scored as RapidOCR scores a crisply printed word (its least sure character, evidence.OCR_SURE)."""
    out = []
    for y, cells in enumerate(rows):
        x = 40.0
        for cell in cells:
            width = 13.0 * len(cell)
            out.append(OcrBox(cell, 0.999, ((x, 40.0 * y), (x + width, 40.0 * y), (x + width, 40.0 * y + 24),
                                           (x, 40.0 * y + 24))))
            x += width + 60
    return out


def cells_under(rows: tuple[list[str], ...], top: int, columns: tuple[int, ...]) -> list[OcrBox]:
    """A printed table as the OCR boxes it: one box per non-empty cell, the cell's text starting at its
    column's x, rows 40 px apart from line `top` down, each scored as a crisply printed word."""
    return [OcrBox(text, 0.999, ((x, 40.0 * y), (x + 13.0 * len(text), 40.0 * y),
                                 (x + 13.0 * len(text), 40.0 * y + 24), (x, 40.0 * y + 24)))
            for y, row in enumerate(rows, start=top) for x, text in zip(columns, row, strict=False) if text]


def word_box(text: str, x0: float, y: float, *, right: bool = False) -> OcrBox:
    """One crisply printed word box; `right`: x0 is where the text ends (a right-aligned figure)."""
    width = 13.0 * len(text)
    x0 = x0 - width if right else x0
    return OcrBox(text, 0.999, ((x0, y), (x0 + width, y), (x0 + width, y + 24), (x0, y + 24)))


def spreadsheet(headings: list[tuple[str, bool]], rows: list[list[str]], pad: int = 10, top: int = 4) -> list[OcrBox]:
    """A table as office software prints it: each cell `pad` px wider than its heading, 20 px between cells,
    headings and text left-aligned in their cells, figures (the columns marked True) right-aligned."""
    boxes, spans, x = [], [], 40.0
    for heading, numeric in headings:
        width = 13.0 * len(heading) + pad
        spans.append((x, x + width, numeric))
        boxes.append(word_box(heading, x, 40.0 * top))
        x += width + 20
    for r, row in enumerate(rows, start=top + 1):
        for (x0, x1, numeric), text in zip(spans, row, strict=False):
            if text:
                boxes.append(word_box(text, x1, 40.0 * r, right=True) if numeric else word_box(text, x0, 40.0 * r))
    return boxes


def word_table(columns: list[tuple[str, int, bool]], rows: list[list[str]], top: int = 4) -> list[OcrBox]:
    """A table as a word processor prints it: cells side by side, each `width` px wide; headings CENTRED in
    their cells, every cell's text (figures too: the default) LEFT-aligned 6 px inside its cell. Columns
    marked False (code, description) have their headings left-aligned as well."""
    boxes, x, spans = [], 40.0, []
    for heading, width, centred in columns:
        spans.append(x)
        hx = x + (width - 13.0 * len(heading)) / 2 if centred else x + 6
        boxes.append(word_box(heading, hx, 40.0 * top))
        x += width
    for r, row in enumerate(rows, start=top + 1):
        boxes += [word_box(text, x0 + 6, 40.0 * r) for x0, text in zip(spans, row, strict=False) if text]
    return boxes
