"""`python -m sandbox slips accuracy`: how well the offline reader reads the generated corpus.

A line is fully correct when every field the slip prints for it (code, description, quantity, unit,
lot, expiry) was read exactly; descriptions are compared ignoring case and spacing. Lines are matched to
the truth by code, so a missed line and an invented one both count against the score.
"""
from __future__ import annotations

import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from models.packing_slip import PackingSlip, SlipLine
from sandbox.slips.corpus import Sample, TruthLine, TruthSlip, make_corpus, write_corpus

LINE_FIELDS = ("sku", "description", "quantity", "unit", "lot", "expiry")
SLIP_FIELDS = ("supplier", "po_number", "slip_date")


@dataclass
class Tally:
    slips: int = 0
    lines: int = 0
    lines_correct: int = 0
    invented: int = 0
    seconds: float = 0.0
    fields: dict[str, list[int]] = field(default_factory=dict)  # name → [correct, total]
    wrong_but_sure: int = 0  # wrong fields the reader did not mark for checking (confidence ≥ 0.6)

    def count(self, name: str, ok: bool) -> None:
        right, total = self.fields.setdefault(name, [0, 0])
        self.fields[name] = [right + ok, total + 1]


def _norm(text: object) -> str:
    return re.sub(r"[^0-9a-zà-ÿ%]+", "", str(text).casefold()) if text is not None else ""


def _same(name: str, truth: object, read: object) -> bool:
    if name in ("description", "supplier"):
        return _norm(truth) == _norm(read)
    if name in ("sku", "lot", "po_number"):
        return (truth or None) == (read or None)
    return truth == read


def score(truth: TruthSlip, read: PackingSlip, tally: Tally) -> list[str]:
    """Add one slip to the tally; returns what was wrong, for --verbose."""
    problems = []
    tally.slips += 1
    for name in SLIP_FIELDS:
        got = getattr(read, name)
        ok = _same(name, getattr(truth, name), got.value)
        tally.count(name, ok)
        if not ok:
            tally.wrong_but_sure += not got.doubtful and got.value is not None
            problems.append(f"{name}: expected {getattr(truth, name)!r}, read {got.value!r}")
    unmatched = list(read.lines)
    for line in truth.lines:
        match = next((r for r in unmatched if r.sku.value == line.sku), None)
        if match is not None:
            unmatched.remove(match)
        problems += _score_line(line, match, tally)
    tally.invented += len(unmatched)
    problems += [f"invented line: {r.sku.value} {r.quantity.value} {r.unit.value}" for r in unmatched]
    return problems


def _score_line(truth: TruthLine, read: SlipLine | None, tally: Tally) -> list[str]:
    tally.lines += 1
    problems, all_ok = [], read is not None
    for name in LINE_FIELDS:
        got = getattr(read, name) if read is not None else None
        ok = got is not None and _same(name, getattr(truth, name), got.value)
        tally.count(name, ok)
        if not ok:
            all_ok = False
            if got is not None and got.value is not None and not got.doubtful:
                tally.wrong_but_sure += 1
            problems.append(f"{truth.sku} {name}: expected {getattr(truth, name)!r}, read "
                            f"{got.value if got is not None else 'no line'!r}")
    tally.lines_correct += all_ok
    return problems


def warm_up() -> None:
    from PIL import Image

    from integrations.slips.ocr import recognise

    recognise(Image.new("RGB", (96, 48), "white"))


def read_offline(sample: Sample) -> PackingSlip:
    from integrations.slips.offline import read_offline_sync

    return read_offline_sync(sample.image)


def run(count: int = 40, out: Path | None = None, *, verbose: bool = False, seed: int = 7,
        stream: TextIO = sys.stdout) -> dict[str, Tally]:
    samples = make_corpus(count, seed=seed)
    if out is not None:
        write_corpus(samples, out)
    tallies = {"clean": Tally(), "degraded": Tally()}
    warm_up()  # load the OCR models before timing
    for sample in samples:
        started = time.perf_counter()
        slip = read_offline(sample)
        tally = tallies["degraded" if sample.truth.degraded else "clean"]
        tally.seconds += time.perf_counter() - started
        problems = score(sample.truth, slip, tally)
        if verbose and problems:
            print(f"{sample.truth.name}:", *problems, sep="\n  ", file=stream)
    print_table(tallies, stream)
    return tallies


def _pct(right: int, total: int) -> str:
    return f"{100 * right / total:5.1f} %" if total else "    –  "


def print_table(tallies: dict[str, Tally], stream: TextIO) -> None:
    both = Tally()
    for t in tallies.values():
        both.slips += t.slips
        both.lines += t.lines
        both.lines_correct += t.lines_correct
        both.invented += t.invented
        both.seconds += t.seconds
        both.wrong_but_sure += t.wrong_but_sure
        for name, (right, total) in t.fields.items():
            r, n = both.fields.get(name, [0, 0])
            both.fields[name] = [r + right, n + total]
    columns = {**tallies, "all": both}
    print(f"{'offline reader':<28}" + "".join(f"{name:>12}" for name in columns), file=stream)
    rows = [("slips", lambda t: str(t.slips)), ("lines", lambda t: str(t.lines)),
            ("lines fully correct", lambda t: _pct(t.lines_correct, t.lines))]
    rows += [(f"  {name}", lambda t, n=name: _pct(*t.fields.get(n, [0, 0]))) for name in LINE_FIELDS]
    rows += [(name, lambda t, n=name: _pct(*t.fields.get(n, [0, 0]))) for name in SLIP_FIELDS]
    rows += [("invented lines", lambda t: str(t.invented)),
             ("wrong but not marked", lambda t: str(t.wrong_but_sure)),
             ("seconds per image", lambda t: f"{t.seconds / t.slips:.2f}" if t.slips else "–")]
    for label, value in rows:
        print(f"{label:<28}" + "".join(f"{value(t):>12}" for t in columns.values()), file=stream)
