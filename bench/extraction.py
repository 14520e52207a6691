"""Row 6: reading packing-slip photos for /receive — offline OCR time, and the vision path's requests.

Uses integrations/slips (`build_slip_reader`) and the evaluation slip corpus (sandbox/slips/heldout/):
a third each clean scans, degraded scans and phone photos. The vision path is
pointed at the fake Anthropic API on loopback (sandbox/anthropic.py) and counted from its side.
"""
from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from typing import Any

from pydantic import SecretStr

from bench.report import Row

PATIENCE = 20.0  # seconds /receive gives a reader (integrations/slips: `read(..., patience=20.0)`)


@dataclass
class VisionSettings:
    """The three settings build_slip_reader reads."""
    anthropic_api_key: SecretStr
    anthropic_model: str
    anthropic_base_url: str


def not_available(why: str) -> Row:
    return Row(6, "Packing-slip extraction", f"not available yet ({why})", "—", None)


async def run(slips: int = 6) -> Row:
    try:
        from integrations.slips import OfflineOcrUnavailable, build_slip_reader
        from sandbox.anthropic import FakeAnthropic
        from sandbox.slips.accuracy import warm_up
        from sandbox.slips.heldout import make_corpus
    except ImportError as exc:
        return not_available(f"{exc.name} is not installed")
    samples = make_corpus(slips)
    try:
        warm_up()  # loading the OCR models once per process is not per-image work
    except OfflineOcrUnavailable as exc:
        return not_available(str(exc))
    offline = build_slip_reader(object())  # no ANTHROPIC_API_KEY: offline only
    seconds = []
    for sample in samples:
        started = time.perf_counter()
        await offline.read(sample.image)
        seconds.append(time.perf_counter() - started)
    async with FakeAnthropic() as fake:
        vision = build_slip_reader(VisionSettings(SecretStr(fake.api_key), "claude-haiku-5-5", fake.base_url))
        for sample in samples:
            await vision.read(sample.image)
        await _close(vision)
        per_slip, violations = len(fake.requests) / len(samples), len(fake.violations)
    return row(seconds, per_slip, violations, len(samples))


async def _close(reader: Any) -> None:
    close = getattr(reader, "aclose", None)
    if close is not None:
        await close()


def row(seconds: list[float], per_slip: float, violations: int, count: int) -> Row:
    median, worst = statistics.median(seconds), max(seconds)
    measured = (f"offline OCR {median:.2f} s per image (worst {worst:.2f} s, {count} slips, 1/3 photos); "
                f"vision path {per_slip:g} request per slip, {violations} request violations")
    ok = worst <= PATIENCE and per_slip == 1 and violations == 0
    return Row(6, "Packing-slip extraction", measured, f"OCR within /receive's {PATIENCE:g} s; 1 request per slip",
               ok, notes=["Slips from sandbox/slips/heldout (seeded, rendered; scans, degraded scans, phone photos). "
                          "OCR time is after the models are loaded once; the vision path answers from the fake "
                          "Anthropic API, which checks each request."])
