"""`python -m sandbox.serve`: the real `python -m bot serve`, with the in-memory store's key indexes.

The fault scenarios and the benchmarks run the bot as its own process; production's MongoDB has
indexes, mongomock scans: this installs the shortcuts (see memory_indexes) and the driver's BSON
check of updates (strict_store), then is exactly
`python -m bot serve`.
"""
from __future__ import annotations

import sys

from bot.cli import main
from sandbox import memory_indexes, strict_store

if __name__ == "__main__":
    memory_indexes.install()
    strict_store.install()
    sys.exit(main(["serve", *sys.argv[1:]]))
