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
