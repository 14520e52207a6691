"""`python -m sandbox demo | faults [--quick] | slips accuracy …`: the equipment's own commands.

`make demo` and `make faults` call these; `python -m bot demo` (and `faults`, `slips`) hand over here.
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m sandbox", description="Loopback shop floor: demo, faults, slips")
    sub = p.add_subparsers(required=True, metavar="command")
    sub.add_parser("demo", help="replay a shift against local sandboxes and print what people see").set_defaults(
        run=run_demo)
    faults = sub.add_parser("faults", help="run the fault scenarios on loopback and print lost/duplicated counts")
    faults.add_argument("--quick", action="store_true", help="smaller scenarios (what the test suite runs)")
    faults.set_defaults(run=run_faults)
    slips = sub.add_parser("slips", help="packing-slip reading: measure the offline reader")
    slips_sub = slips.add_subparsers(required=True, metavar="action")
    accuracy = slips_sub.add_parser("accuracy", help="read the evaluation slip corpus offline and print accuracy")
    accuracy.add_argument("--count", type=int, default=63,
                          help="evaluation slips, a third each clean, degraded and photographed")
    accuracy.add_argument("--out", type=Path, default=None, help="also write the images and ground truth here")
    accuracy.add_argument("--seed", type=int, default=None, help="corpus seed (same seed, same slips)")
    accuracy.add_argument("--corpus", choices=("evaluation", "third"), default="evaluation",
                          help="evaluation (default): the corpus the README reports; third: an outsider's "
                               "generator, seed 2701 used for diagnosis, --seed 2702 held back (--count 45)")
    accuracy.add_argument("--verbose", action="store_true", help="list every field read wrongly")
    accuracy.add_argument("--tuning", action="store_true",
                          help="also (--tuning-only: only) read the corpus the parser was tuned on")
    accuracy.add_argument("--tuning-only", action="store_true", help=argparse.SUPPRESS)
    accuracy.add_argument("--tuning-count", type=int, default=40, help="tuning slips, half clean half degraded")
    accuracy.add_argument("--tuning-photos", action="store_true",
                          help="tuning slips a third each clean, degraded and photographed")
    accuracy.set_defaults(run=slips_accuracy)
    return p


def run_demo(_: argparse.Namespace) -> int:
    from sandbox.demo import run

    return asyncio.run(run())


def run_faults(args: argparse.Namespace) -> int:
    from sandbox.fault_table import run

    logging.getLogger().setLevel(logging.ERROR)  # the table is the output
    return asyncio.run(run(quick=args.quick))


def slips_accuracy(args: argparse.Namespace) -> int:
    from integrations.slips import OfflineOcrUnavailable
    from sandbox.slips.accuracy import evaluate, run

    if args.count < 3 or args.tuning_count < 2:
        print("--count must be at least 3 (clean, degraded, photo), --tuning-count at least 2", file=sys.stderr)
        return 2
    logging.getLogger().setLevel(logging.ERROR)  # the table is the output
    try:
        if not args.tuning_only:
            evaluate(args.count, args.out, verbose=args.verbose, seed=args.seed, corpus=args.corpus)
        if args.tuning or args.tuning_only:
            run(args.tuning_count, None, verbose=args.verbose, seed=7 if args.seed is None else args.seed,
                photos=args.tuning_photos)
    except OfflineOcrUnavailable as exc:
        print(exc, file=sys.stderr)
        return 2
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return int(args.run(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
