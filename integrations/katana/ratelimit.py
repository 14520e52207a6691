"""One request budget for the whole process: Katana allows `per_minute` requests per 60 s per API key.

Every attempt (retries included) must call `acquire()` right before it is sent. The limiter:
- keeps a sliding 60 s window of start times and lets a request start only while fewer than
  `per_minute` started in the last 60 s (a sliding window is never looser than a server's fixed window);
- holds everyone when Katana says the quota is spent (`X-Ratelimit-Remaining: 0` until
  `X-Ratelimit-Reset`) or answered 429 (`pause_for(Retry-After)`);
- is fair: waiters are served first-come first-served. Only the head of the queue sleeps on the clock
  (for exactly as long as it must); the others wait on a FIFO lock, so nothing polls.

Safety margin: a slot frees `margin` seconds (default 0.25 s) after the 60 s window strictly allows it.
Katana counts requests when they *arrive*, we count them when they *start*; if a later request reaches
Katana faster than the one it replaces in the window, the server would see < 60 s between them. A quarter
of a second covers that jitter and costs < 0.5 % of the budget.

(bench, issue 6) Jitter is not the only gap: when 60 slots free at once, this process sends the 60
requests one after another, and the last reaches Katana a few hundred ms after it "started" — `make
bench` got 8 × 429 in 1,409 calls that way. So a request's place in the window moves to the moment its
answer came back (`answered(slot)`, which the client calls): no later than Katana counted it.

Several replicas share one API key, so the budget is the account's, not the process's: with `shared`
(models.budget.SharedWindow over MongoDB) every start also takes a turn in the shared window, after
this process's own window allowed it (which can only be stricter), counted there too from its answer
(`finished`), and a 429's or a spent quota's pause
holds every replica (`share_pause`). If the store cannot be reached for SHARED_PATIENCE seconds, this
process goes on with its own window alone and says so in the log: Katana's 429s then pace it.
"""
from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from typing import Protocol

log = logging.getLogger(__name__)
WINDOW_SECONDS = 60.0
_MAX_HOLD_SECONDS = 120.0  # a garbled or skewed Reset header must not stall the floor for long
SHARED_PATIENCE = 5.0  # seconds of store errors before a replica paces itself alone


class SharedBudget(Protocol):
    """The account's budget, shared by every replica (models.budget.SharedWindow)."""

    async def take(self, token: str | None = None) -> float: ...  # 0: taken; else seconds to wait

    async def answered(self, token: str) -> None: ...  # the turn counts from now

    async def pause_for(self, seconds: float) -> None: ...


class RateLimiter:
    def __init__(
        self,
        per_minute: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        wall_clock: Callable[[], float] = time.time,
        margin: float = 0.25,
        shared: SharedBudget | None = None,
    ) -> None:
        if per_minute < 1:
            raise ValueError("per_minute must be at least 1")
        self.per_minute = per_minute
        self._clock = clock
        self._sleep = sleep
        self._wall_clock = wall_clock  # X-Ratelimit-Reset is an epoch time; convert via the wall clock
        self._margin = margin
        self._starts: deque[Slot] = deque()
        self._hold_until = float("-inf")
        self._queue = asyncio.Lock()  # asyncio.Lock hands over in FIFO order: that is our fairness
        self.shared = shared
        self._to_share = 0.0  # a pause heard here, not yet told to the other replicas

    async def acquire(self) -> Slot:
        """Wait until one more request may start, then count it as started; pass the slot to
        `answered` when its answer (or its failure) is back."""
        async with self._queue:
            while (wait := self._wait_needed(self._clock())) > 0:
                # Re-check after waking: pause_for/observe may have extended the hold meanwhile.
                await self._sleep(wait)
            token = await self._take_shared(self.shared) if self.shared is not None else None
            slot = Slot(self._clock(), token)
            self._starts.append(slot)
            return slot

    def has_room(self) -> bool:
        """Whether a request could start now without waiting for this process's window (nobody queued, no
        pause, a free slot). The shared window is not asked: it can still make `acquire` wait."""
        return not self._queue.locked() and self._wait_needed(self._clock()) <= 0

    def answered(self, slot: Slot) -> None:
        """The request is over: Katana counted it when it arrived, which was no later than now."""
        slot.at, slot.in_flight = max(slot.at, self._clock()), False

    async def finished(self, slot: Slot) -> None:
        """`answered`, and the shared window told too (once; the client calls it for every attempt)."""
        if not slot.in_flight:
            return
        self.answered(slot)
        if self.shared is not None and slot.token is not None:
            try:
                await self.shared.answered(slot.token)
            except Exception:  # noqa: BLE001 — the turn then counts from its start: our own window still holds it
                log.warning("could not tell the shared Katana budget when a request was answered")

    async def _take_shared(self, shared: SharedBudget) -> str | None:
        """The token of the turn taken in the shared window, or None when the store is away."""
        token = uuid.uuid4().hex
        failing_since: float | None = None
        while True:
            try:
                wait = await shared.take(token)
                failing_since = None
            except Exception:  # noqa: BLE001 — the store is away: keep to our own window for a while
                failing_since = self._clock() if failing_since is None else failing_since
                if self._clock() - failing_since >= SHARED_PATIENCE:
                    log.warning("the shared Katana budget cannot be read; this replica paces itself alone")
                    return None
                wait = 0.5
            if wait <= 0:
                return token
            await self._sleep(min(wait, WINDOW_SECONDS))

    async def share_pause(self) -> None:
        """Tell every replica about a pause this one heard (the client calls it after each answer)."""
        if self.shared is None or self._to_share <= 0:
            return
        seconds, self._to_share = self._to_share, 0.0
        try:
            await self.shared.pause_for(seconds)
        except Exception:  # noqa: BLE001 — the others will hear Katana's own 429 soon enough
            log.warning("could not share a Katana pause of %.0f s with the other replicas", seconds)

    def pause_for(self, seconds: float) -> None:
        """Hold every caller for `seconds` from now (used for 429 Retry-After)."""
        if seconds > 0:
            held = min(seconds, _MAX_HOLD_SECONDS)
            self._hold(held)
            self._to_share = max(self._to_share, held)

    def observe(self, headers: Mapping[str, str]) -> None:
        """Learn from Katana's X-Ratelimit-* response headers."""
        lowered = {k.lower(): v for k, v in headers.items()}
        limit = _number(lowered.get("x-ratelimit-limit"))
        if limit is not None and 1 <= limit < self.per_minute:
            self.per_minute = int(limit)  # the server knows our plan better than our config does
        remaining = _number(lowered.get("x-ratelimit-remaining"))
        if remaining is None or remaining > 0:
            return
        seconds = self._seconds_until_reset(_number(lowered.get("x-ratelimit-reset")))
        # Remaining=0 without a usable Reset: our own window already stops the next start.
        if seconds is not None and seconds > 0:
            self.pause_for(seconds)

    @property
    def in_window(self) -> int:
        """Requests started in the last 60 s (for metrics and tests)."""
        self._forget_old(self._clock())
        return len(self._starts)

    # --- internals ---------------------------------------------------------------------------------

    def _wait_needed(self, now: float) -> float:
        self._forget_old(now)
        wait = self._hold_until - now
        if len(self._starts) >= self.per_minute:
            # The slot that must leave the window before one more may begin (answers move slots later,
            # so the window is ordered here rather than kept in order).
            times = sorted(slot.at for slot in self._starts)
            blocking = times[len(times) - self.per_minute]
            wait = max(wait, blocking + WINDOW_SECONDS + self._margin - now)
        return wait

    def _forget_old(self, now: float) -> None:
        """Drop the slots that left the window. Slots sit in the order they started and a slot's `at`
        is never before its start, so only those that started before the horizon can have left: that
        prefix is all this looks at (a scan of the whole window on every request was 17 % of the CPU
        of processing a webhook backlog at a high limit, bench row 3)."""
        horizon = now - WINDOW_SECONDS - self._margin
        still_counted = []  # started before the horizon, answered after it
        while self._starts and self._starts[0].started <= horizon:
            slot = self._starts.popleft()
            if slot.at > horizon:
                still_counted.append(slot)
        self._starts.extendleft(reversed(still_counted))

    def _hold(self, seconds: float) -> None:
        self._hold_until = max(self._hold_until, self._clock() + seconds)

    def _seconds_until_reset(self, reset: float | None) -> float | None:
        """Reset is documented as ms since epoch but shown in seconds: values > 1e11 are ms.

        Small values (< 1e9, i.e. before 2001 as an epoch) are read as "seconds from now", which some
        gateways send; anything else is an epoch time in seconds.
        """
        if reset is None or reset <= 0:
            return None
        if reset > 1e11:
            return reset / 1000.0 - self._wall_clock()
        if reset > 1e9:
            return reset - self._wall_clock()
        return reset


class Slot:
    """One request's place in the window: when it started, then when its answer came back."""

    __slots__ = ("started", "at", "in_flight", "token")

    def __init__(self, at: float, token: str | None = None) -> None:
        self.started, self.at, self.in_flight = at, at, True
        self.token = token  # its turn in the shared window, if any


def _number(raw: str | None) -> float | None:
    if raw is None:
        return None
    try:
        value = float(str(raw).strip())
    except ValueError:
        return None
    return value if value == value and value not in (float("inf"), float("-inf")) else None
