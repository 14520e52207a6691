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

import numpy as np
from PIL import Image

from integrations.slips.layout import OcrBox

COLOURED_SHARE = 0.02  # of a box's pixels in saturated ink
PRINT_SHARE = 0.02  # and in dark neutral ink (print)
OVERPRINTED_SCORE = 0.9  # under evidence.OCR_SURE: values from these words are marked
PAPER_HUE_APART = 25  # of PIL's 256 hue steps (≈ 35°): a red stamp on yellow paper is ink, yellow is paper


def mark_overprinted(image: Image.Image, boxes: list[OcrBox]) -> list[OcrBox]:
    hsv = np.asarray(image.convert("HSV")).astype(np.int16)
    hue, saturation, value = hsv[..., 0], hsv[..., 1], hsv[..., 2]
    coloured = (saturation > 90) & (value > 60) & _not_the_paper(hsv, hue)
    printed = (saturation < 60) & (value < 110)
    return [_capped(box) if _overprinted(box, coloured, printed) else box for box in boxes]


def _not_the_paper(hsv: np.ndarray, hue: np.ndarray) -> np.ndarray:
    """Coloured paper (a carbonless form's yellow or pink copy) or warm light is no ink: where the paper
    itself is saturated, only a hue PAPER_HUE_APART away from its own counts (outside review)."""
    paper = np.median(hsv.reshape(-1, 3), axis=0)  # most of a slip's picture is its paper
    if paper[1] <= 60:
        return np.ones(hue.shape, dtype=bool)
    apart = np.abs(hue - int(paper[0]))
    return np.asarray(np.minimum(apart, 256 - apart) > PAPER_HUE_APART, dtype=bool)


def _overprinted(box: OcrBox, coloured: np.ndarray, printed: np.ndarray) -> bool:
    xs, ys = [p[0] for p in box.quad], [p[1] for p in box.quad]
    height, width = coloured.shape
    x0, x1 = max(0, int(min(xs))), min(width, int(max(xs)) + 1)
    y0, y1 = max(0, int(min(ys))), min(height, int(max(ys)) + 1)
    if x1 <= x0 or y1 <= y0:
        return False
    return bool(coloured[y0:y1, x0:x1].mean() > COLOURED_SHARE and printed[y0:y1, x0:x1].mean() > PRINT_SHARE)


def _capped(box: OcrBox) -> OcrBox:
    return dataclasses.replace(box, score=min(box.score, OVERPRINTED_SCORE),
                               words=tuple((text, min(score, OVERPRINTED_SCORE), x0, x1)
                                           for text, score, x0, x1 in box.words))
