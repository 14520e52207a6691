"""The bench table: one row per measurement, goals beside figures, written to bench/results.md."""
from __future__ import annotations

import os
import platform
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results.md"


@dataclass
class Row:
    number: int
    title: str
    measured: str
    goal: str
    met: bool | None  # None: nothing to judge (e.g. the part is not built yet)
    notes: list[str] = field(default_factory=list)

    def cells(self) -> list[str]:
        verdict = {True: "yes", False: "**NO**", None: "-"}[self.met]
        return [str(self.number), self.title, self.measured, self.goal, verdict]


def table(rows: list[Row]) -> str:
    head = ["#", "what", "measured", "goal", "met"]
    lines = [head] + [r.cells() for r in rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    fmt = lambda cells: "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths)) + " |"  # noqa: E731
    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([fmt(head), rule] + [fmt(c) for c in lines[1:]])


def machine() -> str:
    return (f"{os.cpu_count()} CPUs, Python {platform.python_version()} ({sys.implementation.name}), "
            f"{platform.system()} {platform.machine()}")


def document(rows: list[Row], *, seconds: float, tiny: bool) -> str:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    notes = [f"- ({r.number}) {n}" for r in rows for n in r.notes]
    size = "tiny sizes (the test run), not the figures to quote" if tiny else "full sizes"
    parts = [f"# `make bench` — {stamp}", "", f"Machine: {machine()}. Run: {size}, {seconds:.0f} s.", "",
             table(rows)]
    if notes:
        parts += ["", "How each row was measured:", "", *notes]
    return "\n".join(parts) + "\n"


def write(rows: list[Row], *, seconds: float, tiny: bool, path: Path = RESULTS) -> str:
    text = document(rows, seconds=seconds, tiny=tiny)
    path.write_text(text, encoding="utf-8")
    return text
