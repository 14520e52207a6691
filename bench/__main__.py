"""`make bench` (`python -m bench`): the seven rows, one table, written to bench/results.md.

    python -m bench            full sizes (~5–10 min on 2 cores)
    python -m bench --tiny     every row at a tiny size (what tests/test_bench.py runs)
    python -m bench --rows 1,3 only some rows (results.md is still rewritten with those)
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench import ack, budget, budget_replicas, confirm, extraction, ingest, report_week, sync
from bench.report import Row, machine, table, write


@dataclass(frozen=True)
class Plan:
    number: int
    title: str
    run: Callable[[], Any]  # a Row, or a coroutine giving one


def plans(tiny: bool) -> list[Plan]:
    if tiny:
        return [Plan(1, "ack", lambda: ack.run(requests=40, concurrency=10, rounds=1)),
                Plan(2, "confirm", lambda: confirm.run(commands=2)),
                Plan(3, "ingest", lambda: ingest.run(count=200, concurrency=10)),
                Plan(4, "budget", lambda: budget.run(actions=8)),
                Plan(5, "sync", lambda: sync.run(small=200, large=1000)),
                Plan(6, "extraction", lambda: extraction.run(slips=1)),
                Plan(7, "report", lambda: report_week.run(mos=20, builds=1)),
                Plan(10, "budget, 3 replicas", lambda: budget_replicas.run(actions=6))]
    return [Plan(1, "ack", lambda: ack.run()), Plan(2, "confirm", lambda: confirm.run()),
            Plan(3, "ingest", lambda: ingest.run()), Plan(4, "budget", lambda: budget.run()),
            Plan(5, "sync", lambda: sync.run()), Plan(6, "extraction", lambda: extraction.run()),
            Plan(7, "report", lambda: report_week.run()),
            Plan(10, "budget, 3 replicas", lambda: budget_replicas.run())]


def run_one(plan: Plan) -> Row:
    """Each row on a fresh event loop; a row that breaks is shown as broken, the others still run."""
    try:
        outcome = plan.run()
        return asyncio.run(outcome) if asyncio.iscoroutine(outcome) else outcome
    except Exception as exc:  # noqa: BLE001 — the table must show which row broke and why
        traceback.print_exc()
        return Row(plan.number, plan.title, f"broke: {type(exc).__name__}: {exc}"[:300], "—", False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--tiny", action="store_true", help="tiny sizes: checks the bench works, measures nothing")
    parser.add_argument("--rows", default="", help="comma-separated row numbers, e.g. 1,3")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)  # the sandboxes' own warnings are not results
    wanted = {int(n) for n in args.rows.split(",") if n.strip()}
    started = time.perf_counter()
    rows = []
    for plan in plans(args.tiny):
        if wanted and plan.number not in wanted:
            continue
        print(f"row {plan.number} ({plan.title})…", file=sys.stderr, flush=True)
        rows.append(run_one(plan))
    seconds = time.perf_counter() - started
    write(rows, seconds=seconds, tiny=args.tiny)
    print(f"\n{table(rows)}\n\n{machine()}; {seconds:.0f} s. Written to bench/results.md.")
    return 0 if all(r.met is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
