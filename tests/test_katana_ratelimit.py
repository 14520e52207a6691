"""The shared Katana request budget, on a simulated clock (no real waiting)."""
from __future__ import annotations

import asyncio

import pytest

from integrations.katana.ratelimit import WINDOW_SECONDS, RateLimiter

EPOCH = 1_700_000_000.0  # wall-clock time at simulated t=0


class FakeTime:
    """A monotonic clock that only moves when someone sleeps; records every sleep."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def wall(self) -> float:
        return EPOCH + self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(0.0, seconds)
        await asyncio.sleep(0)


def make_limiter(per_minute: int, fake: FakeTime, **kwargs) -> RateLimiter:
    return RateLimiter(per_minute, clock=fake.clock, sleep=fake.sleep, wall_clock=fake.wall, **kwargs)


def max_in_any_window(starts: list[float]) -> int:
    ordered = sorted(starts)
    best = 0
    for i, start in enumerate(ordered):
        inside = [t for t in ordered[i:] if t < start + WINDOW_SECONDS]
        best = max(best, len(inside))
    return best


async def test_200_concurrent_callers_never_exceed_the_window_and_use_it_fully() -> None:
    fake = FakeTime()
    limiter = make_limiter(10, fake)
    starts: dict[int, float] = {}

    async def caller(index: int) -> None:
        await limiter.acquire()
        starts[index] = fake.now

    await asyncio.wait_for(asyncio.gather(*(caller(i) for i in range(200))), timeout=10)

    assert len(starts) == 200
    assert max_in_any_window(list(starts.values())) == 10
    # 20 bursts of 10, each one window (+ the small margin) after the previous: nearly full use.
    assert fake.now == pytest.approx(19 * (WINDOW_SECONDS + 0.25))
    # Fair: callers start in the order they arrived.
    assert sorted(starts, key=lambda i: (starts[i], i)) == list(range(200))
    # No busy loop: only the head of the queue sleeps, once per blocked burst.
    assert len(fake.sleeps) == 19


async def test_callers_arriving_over_time_get_a_sliding_window() -> None:
    fake = FakeTime()
    limiter = make_limiter(3, fake, margin=0.0)
    starts = []
    for _ in range(3):
        await limiter.acquire()
        starts.append(fake.now)
        await fake.sleep(10)  # time passes between requests
    await limiter.acquire()
    starts.append(fake.now)
    # The 4th may start exactly when the 1st leaves the window (t=60), not a fixed window later.
    assert starts == [0.0, 10.0, 20.0, 60.0]
    assert limiter.in_window == 3


async def test_remaining_zero_holds_everyone_until_reset_in_milliseconds() -> None:
    fake = FakeTime()
    limiter = make_limiter(60, fake)
    reset_ms = int((EPOCH + 5.0) * 1000)
    limiter.observe({"X-Ratelimit-Limit": "60", "X-Ratelimit-Remaining": "0",
                     "X-Ratelimit-Reset": str(reset_ms)})
    await limiter.acquire()
    assert fake.now == pytest.approx(5.0)


async def test_remaining_zero_holds_until_reset_in_seconds() -> None:
    fake = FakeTime()
    limiter = make_limiter(60, fake)
    limiter.observe({"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(EPOCH + 12))})
    await limiter.acquire()
    assert fake.now == pytest.approx(12.0)


async def test_remaining_above_zero_or_reset_in_the_past_does_not_hold() -> None:
    fake = FakeTime()
    limiter = make_limiter(60, fake)
    limiter.observe({"X-Ratelimit-Remaining": "5", "X-Ratelimit-Reset": str(int(EPOCH + 30))})
    limiter.observe({"X-Ratelimit-Remaining": "0", "X-Ratelimit-Reset": str(int(EPOCH - 30))})
    limiter.observe({"X-Ratelimit-Remaining": "garbage"})
    await limiter.acquire()
    assert fake.now == 0.0 and fake.sleeps == []


async def test_a_far_future_reset_is_capped() -> None:
    fake = FakeTime()
    limiter = make_limiter(60, fake)
    limiter.observe({"X-Ratelimit-Remaining": "0", "X-Ratelimit-Reset": str(int(EPOCH + 86_400))})
    await limiter.acquire()
    assert fake.now == pytest.approx(120.0)


async def test_pause_for_holds_every_waiting_caller() -> None:
    fake = FakeTime()
    limiter = make_limiter(60, fake)
    await limiter.acquire()
    limiter.pause_for(7.5)
    done_at: list[float] = []

    async def caller() -> None:
        await limiter.acquire()
        done_at.append(fake.now)

    await asyncio.gather(*(caller() for _ in range(5)))
    assert done_at == [pytest.approx(7.5)] * 5


async def test_a_pause_arriving_while_the_head_sleeps_extends_the_wait() -> None:
    fake = FakeTime()
    limiter = make_limiter(1, fake, margin=0.0)
    await limiter.acquire()  # t=0; the next slot frees at t=60

    async def head() -> float:
        await limiter.acquire()
        return fake.now

    task = asyncio.create_task(head())
    await asyncio.sleep(0)  # head is now sleeping until t=60 (fake time jumps there at once)
    limiter.pause_for(30)  # a 429 seen at t=60 → everyone waits until t=90
    assert await asyncio.wait_for(task, timeout=5) == pytest.approx(90.0)


async def test_a_lower_server_limit_tightens_the_budget() -> None:
    fake = FakeTime()
    limiter = make_limiter(60, fake)
    limiter.observe({"X-Ratelimit-Limit": "2", "X-Ratelimit-Remaining": "2"})
    for _ in range(3):
        await limiter.acquire()
    assert limiter.per_minute == 2
    assert fake.now == pytest.approx(WINDOW_SECONDS + 0.25)


async def test_a_cancelled_waiter_does_not_block_the_queue() -> None:
    fake = FakeTime()
    limiter = make_limiter(1, fake)
    await limiter.acquire()
    limiter.pause_for(1000)  # capped at 120 s
    stuck = asyncio.create_task(limiter.acquire())
    await asyncio.sleep(0)
    stuck.cancel()
    with pytest.raises(asyncio.CancelledError):
        await stuck
    await asyncio.wait_for(limiter.acquire(), timeout=5)
    assert limiter.in_window >= 1


async def test_a_slow_answer_keeps_its_slot_while_quicker_later_ones_leave() -> None:
    """The window forgets from its oldest starts: one still counted must not hide those behind it."""
    fake = FakeTime()
    limiter = make_limiter(3, fake, margin=0.0)
    slow = await limiter.acquire()
    fake.now = 1.0
    quick = await limiter.acquire()
    fake.now = 1.5
    limiter.answered(quick)
    fake.now = 5.0
    limiter.answered(slow)

    fake.now = 61.6  # the quick one left the window at 61.5; the slow one counts until 65
    assert limiter.in_window == 1
    fake.now = 65.1
    assert limiter.in_window == 0


def test_per_minute_must_be_positive() -> None:
    with pytest.raises(ValueError):
        RateLimiter(0)


async def test_has_room_says_whether_a_request_could_start_without_waiting() -> None:
    """What an advisory read asks before Slack's ack (commands/batch_stock.py): with the window full or a
    pause held it would wait, so it is not sent at all. Mutation caught: has_room ignoring the window."""
    fake = FakeTime()
    limiter = make_limiter(2, fake)
    assert limiter.has_room()
    for _ in range(2):
        await limiter.finished(await limiter.acquire())
    assert not limiter.has_room() and fake.sleeps == []  # asking never waits
    fake.now += WINDOW_SECONDS + 1
    assert limiter.has_room()
    limiter.pause_for(5)
    assert not limiter.has_room()
