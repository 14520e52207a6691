"""`python -m sandbox slips accuracy`: how well the offline reader reads slips it was not tuned on.

By default it reads the evaluation corpus (sandbox/slips/heldout/: other layouts, typefaces, wording, eight
languages, scans and phone photos), each slip twice from one OCR pass: as /receive reads it, with the open
purchase orders Katana holds as the dictionary, and by reading alone. `--tuning` also reads the corpus the
parser was tuned on (sandbox/slips/corpus.py). Scoring: sandbox/slips/scoring.py.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any, TextIO

from models.packing_slip import PackingSlip
from sandbox.slips.scoring import Tally, print_table, score


def warm_up() -> None:
    from PIL import Image

    from integrations.slips.ocr import recognise

    recognise(Image.new("RGB", (96, 48), "white"))


def read_offline(sample: Any) -> PackingSlip:
    from integrations.slips.offline import read_offline_sync

    return read_offline_sync(sample.image)


def _write(samples: list[Any], out: Path) -> None:
    import json
    from dataclasses import asdict

    out.mkdir(parents=True, exist_ok=True)
    for sample in samples:
        suffix = ".png" if sample.media_type == "image/png" else ".jpg"
        (out / f"{sample.truth.name}{suffix}").write_bytes(sample.image)
        truth = {k: v for k, v in asdict(sample.truth).items() if k != "open_orders"}
        (out / f"{sample.truth.name}.json").write_text(json.dumps(truth, default=str, ensure_ascii=False, indent=1),
                                                       encoding="utf-8")


def run(count: int = 40, out: Path | None = None, *, verbose: bool = False, seed: int = 7,
        stream: TextIO = sys.stdout) -> dict[str, Tally]:
    """The tuning corpus: half clean, half degraded; read without a dictionary (it has no POs)."""
    from sandbox.slips.corpus import make_corpus

    samples = make_corpus(count, seed=seed)
    if out is not None:
        _write(samples, out)
    tallies = {"clean": Tally(), "degraded": Tally()}
    warm_up()  # load the OCR models before timing
    for sample in samples:
        started = time.perf_counter()
        slip = read_offline(sample)
        tally = tallies["degraded" if sample.truth.degraded else "clean"]
        tally.seconds += time.perf_counter() - started
        _report(sample.truth.name, score(sample.truth, slip, tally), verbose, stream)
    print_table(f"tuning corpus (seed {seed})", tallies, stream)
    return tallies


def evaluate(count: int = 63, out: Path | None = None, *, verbose: bool = False, seed: int | None = None,
             stream: TextIO = sys.stdout) -> dict[str, dict[str, Tally]]:
    """The evaluation corpus, as /receive reads it (open POs known) and by reading alone."""
    from integrations.slips.offline import ocr_photo, parse_boxes
    from sandbox.slips.heldout import CONDITIONS, SEED, make_corpus

    seed = SEED if seed is None else seed
    samples = make_corpus(count, seed=seed)
    if out is not None:
        _write(samples, out)
    passes: dict[str, dict[str, Tally]] = {"with open POs": {c: Tally() for c in CONDITIONS},
                                           "reading alone": {c: Tally() for c in CONDITIONS}}
    warm_up()
    for sample in samples:
        started = time.perf_counter()
        boxes = ocr_photo(sample.image)
        slip = parse_boxes(boxes, sample.truth.open_orders)
        seconds = time.perf_counter() - started
        alone = parse_boxes(boxes)
        for name, read in (("with open POs", slip), ("reading alone", alone)):
            tally = passes[name][sample.truth.condition]
            tally.seconds += seconds
            problems = score(sample.truth, read, tally)
            if name == "with open POs":
                _report(sample.truth.name, problems, verbose, stream)
    for name, tallies in passes.items():
        print_table(f"evaluation corpus (seed {seed}), {name}", tallies, stream)
        print(file=stream)
    return passes


def _report(name: str, problems: list[str], verbose: bool, stream: TextIO) -> None:
    if verbose and problems:
        print(f"{name}:", *problems, sep="\n  ", file=stream)
