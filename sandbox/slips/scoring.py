"""Scoring a read slip against its ground truth, the same way for both corpora.

A line is *fully right* when its item code, quantity, unit and lot were all read exactly (the values a
receipt is made of; issue 18's measure). Expiry, description, supplier, PO number and date are counted
field by field. A *silent error* is a wrong value the confirmation view shows without ⚠ among the values
that end up in Katana or choose what is received (code, quantity, unit, lot, expiry, PO number, date);
a wrong description or supplier name is counted apart, as cosmetic (it is shown, never recorded).

Read lines are paired with printed lines by code first; a line whose code was misread is still paired
(by position, when its quantity or code is close), so its wrong code counts as a wrong value rather than
vanishing into "invented".
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from models.packing_slip import PackingSlip, SlipLine

RECEIPT_FIELDS = ("sku", "quantity", "unit", "lot")
LINE_FIELDS = ("sku", "description", "quantity", "unit", "lot", "expiry")
SLIP_FIELDS = ("supplier", "po_number", "slip_date")
COSMETIC = frozenset({"description", "supplier"})


@dataclass
class Tally:
    slips: int = 0
    lines: int = 0
    lines_right: int = 0
    invented: int = 0
    seconds: float = 0.0
    fields: dict[str, list[int]] = field(default_factory=dict)  # name → [right, total]
    silent: int = 0  # wrong values that matter, shown without ⚠
    cosmetic: int = 0  # wrong descriptions / supplier names shown without ⚠
    read_lines: int = 0  # lines the confirmation form shows
    marked: int = 0  # their fields marked ⚠ (what a person must look at)
    ticked: int = 0  # of them, lines with at least one ⚠ (each needs its "I checked" ticked)

    def count(self, name: str, ok: bool) -> None:
        right, total = self.fields.setdefault(name, [0, 0])
        self.fields[name] = [right + ok, total + 1]

    def share(self, name: str) -> float | None:
        right, total = self.fields.get(name, [0, 0])
        return right / total if total else None

    def add(self, other: Tally) -> None:
        for name in ("slips", "lines", "lines_right", "invented", "seconds", "silent", "cosmetic", "read_lines",
                     "marked", "ticked"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name, (right, total) in other.fields.items():
            mine = self.fields.get(name, [0, 0])
            self.fields[name] = [mine[0] + right, mine[1] + total]


def _norm(text: object) -> str:
    return re.sub(r"[^0-9a-zà-ÿ%]+", "", str(text).casefold()) if text is not None else ""


def same(name: str, truth: object, read: object) -> bool:
    if name in COSMETIC:
        return _norm(truth) == _norm(read)
    if name in ("sku", "lot", "po_number"):
        return (truth or None) == (read or None)
    return truth == read


def _wrong(tally: Tally, name: str, got: Any) -> None:
    if got is not None and got.value is not None and not got.doubtful:
        if name in COSMETIC:
            tally.cosmetic += 1
        else:
            tally.silent += 1


def score(truth: Any, read: PackingSlip, tally: Tally) -> list[str]:
    """Add one slip to the tally; returns what was wrong (for --verbose)."""
    problems: list[str] = []
    tally.slips += 1
    for name in SLIP_FIELDS:
        got = getattr(read, name)
        ok = same(name, getattr(truth, name), got.value)
        tally.count(name, ok)
        if not ok:
            _wrong(tally, name, got)
            problems.append(f"{name}: expected {getattr(truth, name)!r}, read {got.value!r}{' ⚠' * got.doubtful}")
    for line in read.lines:  # the fields commands.receiving.state.doubtful_fields marks
        marks = sum(getattr(line, name).doubtful for name in LINE_FIELDS)
        tally.read_lines, tally.marked, tally.ticked = tally.read_lines + 1, tally.marked + marks, tally.ticked + bool(marks)
    pairs, spare = pair_lines(truth.lines, read.lines)
    for line, match in pairs:
        problems += _score_line(line, match, tally)
    tally.invented += len(spare)
    return problems + [f"invented line: {r.sku.value} {r.quantity.value} {r.unit.value}" for r in spare]


def pair_lines(printed: list[Any], read: list[SlipLine]) -> tuple[list[tuple[Any, SlipLine | None]], list[SlipLine]]:
    left = list(read)
    matches: dict[int, SlipLine] = {}
    for i, line in enumerate(printed):
        found = next((r for r in left if r.sku.value == line.sku), None)
        if found is not None:
            matches[i] = found
            left.remove(found)
    for i, line in enumerate(printed):
        if i in matches or not left:
            continue
        close = [r for r in left if r.quantity.value == line.quantity or
                 SequenceMatcher(None, str(r.sku.value or ""), line.sku).ratio() >= 0.6]
        if close:
            matches[i] = close[0]
            left.remove(close[0])
    return [(line, matches.get(i)) for i, line in enumerate(printed)], left


def _score_line(truth: Any, read: SlipLine | None, tally: Tally) -> list[str]:
    tally.lines += 1
    problems, receipt_ok = [], read is not None
    for name in LINE_FIELDS:
        got = getattr(read, name) if read is not None else None
        ok = got is not None and same(name, getattr(truth, name), got.value)
        tally.count(name, ok)
        if not ok:
            receipt_ok = receipt_ok and name not in RECEIPT_FIELDS
            _wrong(tally, name, got)
            shown = got.value if got is not None else "no line"
            problems.append(f"{truth.sku} {name}: expected {getattr(truth, name)!r}, read {shown!r}"
                            f"{' ⚠' * bool(got is not None and got.doubtful)}")
    tally.lines_right += receipt_ok
    return problems


def pct(share: float | None) -> str:
    return f"{100 * share:5.1f} %" if share is not None else "    –  "


def print_table(title: str, tallies: dict[str, Tally], stream: Any) -> None:
    both = Tally()
    for t in tallies.values():
        both.add(t)
    columns = {**tallies, "all": both}
    print(f"{title:<40}" + "".join(f"{name:>11}" for name in columns), file=stream)
    rows = [("slips", lambda t: str(t.slips)), ("lines", lambda t: str(t.lines)),
            ("lines fully right (code,qty,unit,lot)", lambda t: pct(t.lines_right / t.lines if t.lines else None))]
    rows += [(f"  {name}", lambda t, n=name: pct(t.share(n))) for name in LINE_FIELDS]
    rows += [(name, lambda t, n=name: pct(t.share(n))) for name in SLIP_FIELDS]
    rows += [("invented lines", lambda t: str(t.invented)),
             ("silent errors (wrong, no ⚠)", lambda t: str(t.silent)),
             ("  cosmetic (description, name)", lambda t: str(t.cosmetic)),
             ("⚠ per line shown", lambda t: f"{t.marked / t.read_lines:.2f}" if t.read_lines else "–"),
             ("lines to tick", lambda t: pct(t.ticked / t.read_lines if t.read_lines else None)),
             ("seconds per slip", lambda t: f"{t.seconds / t.slips:.2f}" if t.slips else "–")]
    for label, value in rows:
        print(f"{label:<40}" + "".join(f"{value(t):>11}" for t in columns.values()), file=stream)
