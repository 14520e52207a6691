"""Reading each source for one sync run: the calls, in order, and what they become (a `Reading`)."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from contextlib import aclosing
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from bot.alerts.policy import AmazonThresholds, Reading, UnleashedTally, amazon_low_stock, katana_yields
from integrations.amazon import Amazon, AmazonError, UnitsSold
from integrations.katana import Katana, ManufacturingOrder
from integrations.unleashed import Unleashed

log = logging.getLogger(__name__)
VELOCITY_MAX_AGE = timedelta(hours=6)  # searchOrders allows ~20 pages then one per 3 min: don't re-read often
QUALITY_FIRST_LOOKBACK = timedelta(hours=24)  # first run after start-up: orders finished in the last day
QUALITY_OVERLAP = timedelta(hours=1)  # later runs re-read a little before the last one (clock skew, lag)


async def read_unleashed(unleashed: Unleashed) -> Reading:
    """Stock and products are read side by side (half the wall time of one after the other) and reduced
    page by page into an `UnleashedTally`; the policy runs once both are complete."""
    tally = UnleashedTally()

    async def stock() -> None:
        async with aclosing(unleashed.stock_lines()) as pages:
            async for rows in pages:
                tally.count_stock(rows)

    async def products() -> None:
        async with aclosing(unleashed.product_levels()) as pages:
            async for rows in pages:
                tally.note_products(rows)

    await together(stock(), products())
    return tally.finish()


async def together(*steps: Coroutine[Any, Any, None]) -> None:
    """Run the steps concurrently; the first to fail stops the others and its error is raised as itself
    (not an ExceptionGroup), so a job still sees the `UnleashedError` it reports."""
    tasks = [asyncio.ensure_future(step) for step in steps]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    for task in tasks:
        if not task.cancelled() and task.exception() is not None:
            raise task.exception()  # type: ignore[misc]


class AmazonReader:
    """FBA inventory every run; order velocity at most every VELOCITY_MAX_AGE (kept between runs)."""

    def __init__(self, amazon: Amazon, thresholds: AmazonThresholds, now: Callable[[], datetime]) -> None:
        self.amazon, self.thresholds, self.now = amazon, thresholds, now
        self.sold: UnitsSold | None = None
        self._sold_at: datetime | None = None

    async def read(self) -> Reading:
        summaries = await self.amazon.fba_inventory()
        notes: list[str] = []
        sold = await self._velocity(notes)
        reading = amazon_low_stock(summaries, sold, self.thresholds, self.now(), self.amazon.marketplace_id)
        reading.notes = notes + reading.notes
        return reading

    async def _velocity(self, notes: list[str]) -> UnitsSold | None:
        now = self.now()
        if self.sold is not None and self._sold_at is not None and now - self._sold_at < VELOCITY_MAX_AGE:
            return self.sold
        try:
            self.sold = await self.amazon.units_sold_since(now - timedelta(days=self.thresholds.window_days))
            self._sold_at = now
        except AmazonError as exc:  # inventory alone still gives the units check
            notes.append(f"order history: {exc}")
            log.warning("Amazon searchOrders failed: %s (x-amzn-RequestId %s)", exc, exc.request_id)
        return self.sold


class QualityReader:
    """Finished manufacturing orders in Katana since the previous run (with an overlap)."""

    def __init__(self, katana: Katana, link: Callable[[int], str], now: Callable[[], datetime],
                 overuse: Decimal = Decimal("0.10")) -> None:
        self.katana, self.link, self.now, self.overuse = katana, link, now, overuse
        self.last_run: datetime | None = None

    async def read(self) -> Reading:
        started = self.now()
        since = (self.last_run - QUALITY_OVERLAP) if self.last_run else started - QUALITY_FIRST_LOOKBACK
        rows = await self.katana.client.get_all("/manufacturing_orders",
                                                {"status": "DONE", "updated_at_min": since.isoformat()}, max_pages=20)
        orders = [ManufacturingOrder.model_validate(r) for r in rows]
        # Katana ignores filters it does not know; the done date decides, when Katana gives one.
        recent = [o for o in orders if o.done_date is None or o.done_date >= since]
        self.last_run = started
        return katana_yields(recent, self.link, self.overuse)


def thresholds(low_units: int, min_days_cover: float, window_days: int) -> AmazonThresholds:
    return AmazonThresholds(Decimal(low_units), Decimal(str(min_days_cover)), window_days)
