"""An event loop whose clock jumps ahead whenever everything is waiting on a timer.

Row 4 needs many minutes of Katana's 60-calls-a-minute budget. Time here stands still while any
work is ready (requests in flight on loopback, handlers running) and jumps to the next timer only
when the loop would otherwise sleep — so a request is never "in flight" across a jump, which a
clock that simply runs faster could not promise. `loop.time()` is the warped clock; `epoch()` is
the matching wall clock for code that wants epoch seconds (Katana's X-Ratelimit-Reset).
"""
from __future__ import annotations

import asyncio
import selectors
import time
from typing import Any


class _JumpingSelector:
    def __init__(self, inner: selectors.BaseSelector, loop: WarpLoop) -> None:
        self._inner, self._loop = inner, loop

    def select(self, timeout: float | None = None) -> list[Any]:
        ready = self._inner.select(0)
        if ready or timeout == 0:
            return ready
        if timeout is None:  # no timer at all: only I/O can wake us, wait for it for real
            return self._inner.select(None)
        self._loop.jumped += timeout  # nothing to do until the next timer: be there at once
        return []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class WarpLoop(asyncio.SelectorEventLoop):
    def __init__(self) -> None:
        super().__init__()
        self.jumped = 0.0
        self._selector = _JumpingSelector(self._selector, self)  # type: ignore[assignment]
        self._epoch_offset = time.time() - super().time()

    def time(self) -> float:
        return super().time() + self.jumped

    def epoch(self) -> float:
        return self._epoch_offset + self.time()


def run(main: Any) -> Any:
    """Run a coroutine function on a fresh WarpLoop: `run(lambda loop: coro(loop))`."""
    loop = WarpLoop()
    try:
        return loop.run_until_complete(main(loop))
    finally:
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()
