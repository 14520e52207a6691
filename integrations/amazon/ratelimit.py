"""Per-operation token buckets for the Selling Partner API's usage plans.

Each operation has its own plan (rate in requests per second, burst): getInventorySummaries 2/2,
searchOrders 0.0056/20 (fbaInventory and orders_2026-01-01 models in reference/amazon). A bucket starts
full, refills at `rate`, and a request takes one token, waiting when none is left. When Amazon reports a
different plan in `x-amzn-RateLimit-Limit`, the bucket follows it (sellers can have higher limits).
"""
from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

USAGE_PLANS: dict[str, tuple[float, int]] = {
    "getInventorySummaries": (2.0, 2),
    "searchOrders": (0.0056, 20),
}


class TokenBucket:
    def __init__(self, rate: float, burst: int, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be > 0 and burst ≥ 1")
        self.rate, self.burst = rate, burst
        self._clock, self._sleep = clock, sleep
        self._tokens, self._at = float(burst), clock()
        self._lock = asyncio.Lock()  # FIFO: callers are served in arrival order

    async def acquire(self) -> None:
        async with self._lock:
            while (wait := self._wait_needed()) > 0:
                await self._sleep(wait)
            self._tokens -= 1

    def observe(self, limit_header: str | None) -> None:
        try:
            rate = float(limit_header) if limit_header else 0.0
        except ValueError:
            return
        if rate > 0:
            self.rate = rate

    def empty(self) -> None:
        """Amazon said 429: spend what we thought we had, so the next call waits a full refill."""
        self._refill()
        self._tokens = min(self._tokens, 0.0)

    def _wait_needed(self) -> float:
        self._refill()
        return 0.0 if self._tokens >= 1 else (1 - self._tokens) / self.rate

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(float(self.burst), self._tokens + (now - self._at) * self.rate)
        self._at = now


class OperationLimits:
    def __init__(self, plans: dict[str, tuple[float, int]] | None = None, **bucket_kwargs: object) -> None:
        self._plans = plans or USAGE_PLANS
        self._kwargs = bucket_kwargs
        self._buckets: dict[str, TokenBucket] = {}

    def bucket(self, operation: str) -> TokenBucket:
        if operation not in self._buckets:
            rate, burst = self._plans.get(operation, (1.0, 1))  # unknown operation: be conservative
            self._buckets[operation] = TokenBucket(rate, burst, **self._kwargs)  # type: ignore[arg-type]
        return self._buckets[operation]
