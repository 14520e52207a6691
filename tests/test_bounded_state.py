"""Per-key maps in a long-running bot forget what is no longer in use (issue 14: "lock dictionaries and name
caches that never shrink must be bounded")."""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import json

import aiohttp

from bot.slack_pacing import CHANNELS_KEPT
from commands.order_sync import Variants
from integrations.keyed import BoundedCache
from models.events import RETRY_NUMS_KEPT, dedup_key
from models.leases import ProcessLocks
from sandbox.harness import WEBHOOK_TOKEN, Sandbox
from sandbox.katana_seed import CHILI_VARIANT_ID, MO102_ID, SOUP_VARIANT_ID


async def test_process_locks_serialise_one_key_and_keep_nothing_afterwards() -> None:
    """The in-process locks of an order's notes and a task's row (models.leases.ProcessLocks)."""
    locks = ProcessLocks()
    holding = dict.fromkeys(("0", "1", "2"), 0)

    async def hold(key: str) -> None:
        async with locks.hold(key):
            holding[key] += 1
            await asyncio.sleep(0)
            assert holding[key] == 1, "two holders of the same key at once"
            holding[key] -= 1

    await asyncio.gather(*(hold(str(n % 3)) for n in range(30)))
    assert len(locks) == 0


async def test_the_sku_cache_keeps_the_newest_and_reads_a_forgotten_one_again(shop: Sandbox) -> None:
    variants = Variants(shop.bot.katana, kept=1)
    await variants.learn([SOUP_VARIANT_ID])
    await variants.learn([CHILI_VARIANT_ID])
    assert variants.sku(CHILI_VARIANT_ID) and len(variants.known) == 1
    reads = sum(r.path == "/variants" for r in shop.katana.requests)
    await variants.learn([SOUP_VARIANT_ID])
    assert variants.sku(SOUP_VARIANT_ID)
    assert sum(r.path == "/variants" for r in shop.katana.requests) == reads + 1


def test_bounded_cache_forgets_the_least_recently_used() -> None:
    cache: BoundedCache[str, int] = BoundedCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # read: now the newest
    cache.put("c", 3)
    assert ("a" in cache, "b" in cache, "c" in cache, len(cache)) == (True, False, True, 2)


async def test_a_delivery_replayed_many_times_keeps_only_its_latest_retry_numbers(shop: Sandbox) -> None:
    event = {"resource_type": "manufacturing_order", "action": "manufacturing_order.updated",
             "object": {"id": MO102_ID}}
    body = json.dumps(event).encode()
    signature = hmac.new(WEBHOOK_TOKEN.encode(), body, hashlib.sha256).hexdigest()
    async with aiohttp.ClientSession() as http:
        for n in range(3 * RETRY_NUMS_KEPT):
            async with http.post(f"{shop.url}/webhooks/katana", data=body, headers={
                    "x-sha2-signature": signature, "X-Katana-Retry-Num": str(n % 4)}) as reply:
                assert reply.status == 200
            if n == RETRY_NUMS_KEPT:
                await shop.bot.events.write_repeats()  # a pause in the middle: written in two goes
    await shop.bot.events.write_repeats()
    stored = await shop.store.events.get(dedup_key(event))
    assert stored.deliveries == 3 * RETRY_NUMS_KEPT
    assert stored.retry_nums == [n % 4 for n in range(2 * RETRY_NUMS_KEPT, 3 * RETRY_NUMS_KEPT)]


async def test_the_slack_pacer_keeps_a_bounded_number_of_channel_windows(shop: Sandbox) -> None:
    pacer = shop.bot.pacer
    for n in range(CHANNELS_KEPT + 20):  # every person's DM is a channel of its own
        await pacer.wait_turn(f"D{n:06d}")
    assert len(pacer.windows) == CHANNELS_KEPT
