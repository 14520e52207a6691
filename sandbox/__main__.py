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
    accuracy = slips_sub.add_parser("accuracy", help="read the generated slip corpus offline and print accuracy")
    accuracy.add_argument("--count", type=int, default=40, help="slips to generate, half clean half degraded")
    accuracy.add_argument("--out", type=Path, default=None, help="also write the images and ground truth here")
    accuracy.add_argument("--seed", type=int, default=7, help="corpus seed (same seed, same slips)")
    accuracy.add_argument("--verbose", action="store_true", help="list every field read wrongly")
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
    from sandbox.slips.accuracy import run

    if args.count < 2:
        print("--count must be at least 2 (one clean, one degraded slip)", file=sys.stderr)
        return 2
    logging.getLogger().setLevel(logging.ERROR)  # the table is the output
    try:
        run(args.count, args.out, verbose=args.verbose, seed=args.seed)
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
