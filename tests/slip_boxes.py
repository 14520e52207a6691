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
