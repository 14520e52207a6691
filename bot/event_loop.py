"""The event loop every process of ours runs on: uvloop where it installs, asyncio's own elsewhere.

A webhook delivery costs the bot ~0.2 ms of CPU, a third of it in the loop and its sockets; uvloop
does that part in C (bench row 3: a bare aiohttp server's CPU per request went from ~70 to ~45 µs on
this machine). uvloop has no Windows build, so there the bot runs on asyncio, unchanged.
"""
from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

try:
    import uvloop
except ImportError:  # Windows, or an install without it: asyncio's loop does the same work, slower
    uvloop = None  # type: ignore[assignment]

T = TypeVar("T")


def new_event_loop() -> asyncio.AbstractEventLoop:
    return uvloop.new_event_loop() if uvloop is not None else asyncio.new_event_loop()


def run(main: Coroutine[Any, Any, T]) -> T:
    """`asyncio.run` on our loop (3.11 has no `loop_factory` argument on `asyncio.run`)."""
    with asyncio.Runner(loop_factory=new_event_loop) as runner:
        return runner.run(main)


def name() -> str:
    return "uvloop" if uvloop is not None else "asyncio"
