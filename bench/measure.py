"""Small measuring tools shared by the rows: percentiles, bounded concurrency, memory."""
from __future__ import annotations

import asyncio
import os
import resource
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

T = TypeVar("T")


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (share 0.5 = p50, 0.99 = p99); 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, -(-int(share * 1000) * len(ordered) // 1000))  # ceil, without float surprises
    return ordered[min(rank, len(ordered)) - 1]


@dataclass
class Latencies:
    """Response times of one load run, in seconds, and how long the run took."""
    seconds: list[float] = field(default_factory=list)
    wall: float = 0.0
    failures: int = 0

    @property
    def p50_ms(self) -> float:
        return percentile(self.seconds, 0.50) * 1000

    @property
    def p99_ms(self) -> float:
        return percentile(self.seconds, 0.99) * 1000

    @property
    def per_second(self) -> float:
        return len(self.seconds) / self.wall if self.wall else 0.0


async def load(send: Callable[[int], Awaitable[tuple[float, bool]]], count: int, concurrency: int) -> Latencies:
    """`count` requests, `concurrency` in flight at any moment (a closed loop, like Slack's many users).

    `send(i)` returns (seconds the request took, whether it was answered as expected)."""
    result = Latencies()
    numbers = iter(range(count))

    async def worker() -> None:
        for i in numbers:
            elapsed, ok = await send(i)
            result.seconds.append(elapsed)
            result.failures += 0 if ok else 1

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    result.wall = time.perf_counter() - started
    return result


async def until(done: Callable[[], bool], timeout: float, every: float = 0.01) -> float | None:
    """Seconds until `done()` holds, or None after `timeout`."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if done():
            return time.perf_counter() - started
        await asyncio.sleep(every)
    return None


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far: unlike latency, barely moved by neighbours."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mb() -> float:
    """This process's peak resident memory, in MiB.

    Linux: VmHWM, because getrusage's ru_maxrss survives fork+exec and would report the parent's
    size (the bench process holding 50,000 fake products) as the child's peak."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024
