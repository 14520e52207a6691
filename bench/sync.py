"""Row 5: the Unleashed stock sync at 50,000 products, against 5,000, with 50 ms per page.

The fake Unleashed (sandbox/unleashed.py, slowed to 50 ms a page) runs here; the sync runs in
a child process (bench/sync_child.py) so its peak RSS is measured alone. One product in a hundred is
below its minimum level, so alerts are raised and counted.
"""
from __future__ import annotations

import asyncio
import json
import sys
import uuid
from decimal import Decimal
from typing import Any

from aiohttp import web

from bench.report import Row
from sandbox.unleashed import DEFAULT_PAGE_SIZE, FakeUnleashed

PAGE_SECONDS = 0.05


class SlowUnleashed(FakeUnleashed):
    """Unleashed answering each page in PAGE_SECONDS.

    The plain fake sorts every product again for each page it serves: at 50,000 products that is ~20 ms of
    the bench process's CPU per page, on top of the 50 ms, and it grows with the account, so it inflated
    both the wall time and the 5k → 50k growth. The bench never changes stock mid-run: sort once."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._sorted: dict[str, list[dict[str, Any]]] = {}

    async def _serve(self, request: web.Request) -> web.Response:
        await asyncio.sleep(PAGE_SECONDS)
        return await super()._serve(request)

    def _items(self, resource: str, query: Any) -> list[dict[str, Any]]:
        if resource not in ("StockOnHand", "Products"):
            return super()._items(resource, query)
        if resource not in self._sorted:
            self._sorted[resource] = super()._items(resource, query)
        return self._sorted[resource]


def stocked(products: int) -> SlowUnleashed:
    """Every fourth product has a minimum level of 10; one in a hundred has 3 on hand (an alert).

    The fake's add_product finds each product again by code for its stock row (quadratic at 50,000):
    one product is added the ordinary way and the rest are copies of its rows, keyed as the fake keys them."""
    fake = SlowUnleashed()
    template = fake.add_product("SKU-TEMPLATE", "template", on_hand=0)
    product, stock = fake.products.pop(template), fake.stock.pop(template)
    for i in range(products):
        guid, code = str(uuid.uuid5(uuid.NAMESPACE_URL, f"bench/{i}")), f"SKU-{i:06d}"
        on_hand = Decimal(3 if i % 100 == 0 else 40)
        fake.products[guid] = {**product, "Guid": guid, "ProductCode": code, "ProductDescription": f"Product {i}",
                               "MinStockAlertLevel": Decimal(10) if i % 4 == 0 else None}
        fake.stock[guid] = {**stock, "ProductGuid": guid, "ProductCode": code, "ProductDescription": f"Product {i}",
                            "QtyOnHand": on_hand, "AvailableQty": on_hand}
    return fake


async def sync_in_child(products: int) -> dict[str, Any]:
    fake = stocked(products)
    await fake.start()
    try:
        child = await asyncio.create_subprocess_exec(sys.executable, "-m", "bench.sync_child", fake.base_url,
                                                     stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        out, err = await child.communicate()
    finally:
        await fake.stop()
    if child.returncode != 0:
        raise RuntimeError(f"sync child failed: {err.decode()[-2000:]}")
    result: dict[str, Any] = json.loads(out.decode().strip().splitlines()[-1])
    result["pages"] = len(fake.requests)
    return result


async def run(small: int = 5_000, large: int = 50_000) -> Row:
    little, big = await sync_in_child(small), await sync_in_child(large)
    floor = big["pages"] * PAGE_SECONDS
    growth = big["wall"] / little["wall"]
    expected_alerts = -(-large // 100)
    measured = (f"{large:,} products: {big['wall']:.1f} s vs {big['pages']} pages × {PAGE_SECONDS * 1000:.0f} ms = "
                f"{floor:.1f} s ({big['wall'] / floor:.2f}×); peak RSS {big['rss_peak']:.0f} MB "
                f"(before the sync {big['rss_before']:.0f} MB); alerts raised {big['raised']}/{expected_alerts}; "
                f"items read {big['items']:,}; {small:,} → {large:,}: {growth:.1f}× the time for "
                f"{large / small:.0f}× the items")
    linear = growth <= (large / small) * 1.25
    ok = (big["rss_peak"] < 150 and linear and big["raised"] == expected_alerts and big["items"] == large
          and big["outcome"] == "ok")
    return Row(5, f"Unleashed sync: {large:,} products ({big['pages']} pages of {DEFAULT_PAGE_SIZE}), 50 ms a page",
               measured, "peak RSS < 150 MB; growth linear (≤ 1.25 × 10× for 10× items)", ok, notes=[
                   "The sync is the bot's scheduled job (bot/alerts) run once in a child process against the fake "
                   f"Unleashed in the bench process; pages = Unleashed calls (stock on hand + products). Run: "
                   f"{big['outcome']} {big['errors'] or ''} {big['notes'] or ''}".rstrip()])
