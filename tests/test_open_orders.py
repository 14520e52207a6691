"""The open-orders list in the modals: read again in the background while in use, so a steady stream of
/cook never finds it expired (bench row 1's flipping p99); unused it expires; invalidated it is not
served, and a read begun before an invalidation is not taken as fresh."""
from __future__ import annotations

import asyncio

from commands.orders import REFRESH_AFTER, OpenOrders
from sandbox.harness import Sandbox
from sandbox.katana_seed import SOUP_VARIANT_ID
from tests.fake_clock import FakeClock


def mo_reads(shop: Sandbox) -> int:
    return sum(r.method == "GET" and r.path == "/manufacturing_orders" for r in shop.katana.requests)


async def test_a_list_in_use_is_read_again_in_the_background_and_never_expires(shop: Sandbox) -> None:
    clock = FakeClock()
    orders = OpenOrders(shop.bot.katana, ttl=30.0, clock=clock)
    first = await orders.choices()
    reads = mo_reads(shop)
    for _ in range(5):  # two minutes of /cook every REFRESH_AFTER seconds: never a cold list
        clock.now += REFRESH_AFTER
        assert orders.peek() is not None
        assert orders._refreshing is not None
        await orders._refreshing
    assert mo_reads(shop) > reads
    assert orders.peek() is first, "an unchanged list stays the same object: the forms built from it are kept"
    clock.now += 31  # nobody asked for half a minute: it expires
    assert orders.peek() is None


async def test_an_order_created_during_a_background_read_is_not_missed(shop: Sandbox) -> None:
    clock = FakeClock()
    orders = OpenOrders(shop.bot.katana, ttl=30.0, clock=clock)
    await orders.choices()
    reads = mo_reads(shop)
    clock.now += REFRESH_AFTER
    shop.katana.fail_next(1, method="GET", path_prefix="/manufacturing_orders", hang=0.5)  # Katana is slow
    assert orders.peek() is not None  # starts a background read…
    for _ in range(500):  # (until Katana has the request; bounded)
        if mo_reads(shop) > reads:
            break
        await asyncio.sleep(0.01)
    mo = shop.katana.create_manufacturing_order(variant_id=SOUP_VARIANT_ID, planned_quantity=5)
    orders.invalidate()  # …and the MO's webhook arrives while it runs
    assert orders._refreshing is not None
    await orders._refreshing
    assert orders.peek() is None, "a read begun before the invalidation is not served as fresh"
    assert mo["id"] in {c.mo_id for c in await orders.choices()}
