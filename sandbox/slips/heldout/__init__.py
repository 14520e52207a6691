"""The evaluation corpus: packing slips the offline reader was never tuned on.

A second generator, written apart from the tuning corpus (sandbox/slips/corpus.py, render.py): other
layout families (sandbox/slips/heldout/goods.py), other typefaces (paper.py), eight languages with their
own wording (words.py), scans and phone photos (camera.py), and with each slip the open purchase orders
Katana would hold when it arrives (truth.py). `python -m sandbox slips accuracy` reports on this corpus;
the parser is tuned on the other one. Same seed, same slips on every machine with the test extras.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

from sandbox.slips.heldout.camera import expose
from sandbox.slips.heldout.goods import LAYOUTS, goods
from sandbox.slips.heldout.paper import footer, letterhead, new_sheet, stamp
from sandbox.slips.heldout.truth import CONDITIONS, Line, Slip, make_slip

SEED = 1801


@dataclass
class Sample:
    truth: Slip
    image: bytes
    media_type: str


def make_truth(index: int, *, seed: int = SEED) -> Slip:
    """Slip `index`: conditions cycle clean, degraded, photo; languages and layouts turn with them."""
    return make_slip(index, seed=seed, layouts=LAYOUTS)


def render(slip: Slip) -> tuple[bytes, str]:
    rng = random.Random(slip.seed + ":paper")
    sheet = new_sheet(rng, rng.choice([1300, 1450, 1600]))
    letterhead(sheet, slip, rng)
    goods(sheet, slip, rng)
    footer_top = sheet.y
    footer(sheet, slip, rng)
    page = sheet.image.crop((0, 0, sheet.width, min(sheet.image.height, sheet.y + sheet.margin)))
    if rng.random() < 0.4:
        page = stamp(page, rng, slip, top=footer_top)
    return expose(page, slip.condition, rng)


def make_corpus(count: int = 63, *, seed: int = SEED) -> list[Sample]:
    """`count` slips, a third each clean, degraded and photographed (any multiple of 3 is balanced)."""
    samples = []
    for index in range(count):
        truth = make_truth(index, seed=seed)
        image, media_type = render(truth)
        samples.append(Sample(truth, image, media_type))
    return samples


__all__ = ["CONDITIONS", "LAYOUTS", "Line", "Sample", "Slip", "make_corpus", "make_truth", "render"]
