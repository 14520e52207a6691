"""A third packing-slip corpus, written without sight of the other two generators or of the parser.

It draws delivery notes as European and US suppliers print them (eight languages, six layout families,
pen corrections, goods-in stamps) and damages them as scanners and phones do. `make_corpus` is
deterministic for a seed.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

from .compose import plan_slip
from .damage import DAMAGE
from .truth import CONDITIONS, Line, Slip
from .typeset import render

SEED = 2701

__all__ = ["CONDITIONS", "SEED", "Line", "Sample", "Slip", "make_corpus", "make_sample"]


@dataclass
class Sample:
    truth: Slip
    image: bytes
    media_type: str


def make_sample(index: int, *, seed: int = SEED) -> Sample:
    condition = CONDITIONS[index % len(CONDITIONS)]
    rng = random.Random(f"third:{seed}:{index}")
    plan = plan_slip(seed, index, condition, rng)
    page, _ = render(plan, rng)
    image, media_type = DAMAGE[condition](page, rng)
    return Sample(plan.slip, image, media_type)


def make_corpus(count: int = 45, *, seed: int = SEED) -> list[Sample]:
    return [make_sample(i, seed=seed) for i in range(count)]
