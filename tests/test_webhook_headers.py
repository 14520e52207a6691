"""What Katana's signature does not cover is untrusted: `X-Katana-Retry-Num` is validated and bounded, a
count that cannot be written never jams the retry sweep, and only verified deliveries count as Katana
sending (issue 14, points 6 and 11)."""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
from datetime import timedelta
from typing import Any

import aiohttp
import pytest

from bot.katana_events import QUIET_SECONDS
from models.base import utcnow
from models.events import Tally, dedup_key
from models.store import open_store
from sandbox.harness import WEBHOOK_TOKEN, Sandbox
from sandbox.katana_seed import MO102_ID

EVENT = {"resource_type": "manufacturing_order", "action": "manufacturing_order.updated", "webhook_id": 1,
         "object": {"id": MO102_ID, "status": "NOT_STARTED", "href": "https://api.katanamrp.com/v1/manufacturing_orders/5102"}}


def body_of(payload: dict) -> bytes:
    return json.dumps(payload).encode()


async def deliver(shop: Sandbox, body: bytes, headers: dict[str, str] | None = None,
                  signed: bool = True) -> int:
    signature = {"x-sha2-signature": hmac.new(WEBHOOK_TOKEN.encode(), body, hashlib.sha256).hexdigest()} if signed else {}
    async with aiohttp.ClientSession() as http, http.post(f"{shop.url}/webhooks/katana", data=body, headers={
            "Content-Type": "application/json", **signature, **(headers or {})}) as reply:
        return reply.status


@pytest.mark.parametrize(("header", "kept"), [
    ("2", [2]), ("0", [0]), ("1000", [1000]),
    ("²", []), ("9" * 25, []), ("1001", []), ("-1", []), ("1e3", []), ("٣", []), ("0x10", []), ("", [])])
async def test_retry_number_outside_the_signature_is_bounded_or_ignored(
        shop: Sandbox, header: str, kept: list[int]) -> None:
    assert await deliver(shop, body_of(EVENT), {"X-Katana-Retry-Num": header}) == 200
    stored = await shop.store.events.get(dedup_key(EVENT))
    assert stored is not None and stored.retry_nums == kept


async def test_a_replay_with_a_25_digit_retry_number_does_not_jam_the_retry_sweep(shop: Sandbox) -> None:
    genuine = body_of(EVENT)
    assert await deliver(shop, genuine) == 200
    await shop.settle()
    assert await deliver(shop, genuine, {"X-Katana-Retry-Num": "9" * 25}) == 200  # a replay: counted later
    waiting = {**EVENT, "webhook_id": 2}
    key, _ = await shop.store.events.deliver(waiting, None)
    await shop.store.events.fail(await shop.store.events.claim(key), "Katana did not answer",
                                 utcnow() - timedelta(seconds=1))
    await asyncio.sleep(2 * QUIET_SECONDS)  # Katana paused: the sweep runs
    assert await shop.bot.events.retry_due() == 1
    await shop.settle()
    assert (await shop.store.events.get(key)).status == "processed"
    assert (await shop.store.events.get(dedup_key(EVENT))).deliveries == 2


async def test_a_repeat_count_the_store_cannot_take_is_dropped_and_the_others_are_written(
        caplog: pytest.LogCaptureFixture) -> None:
    events = open_store(None, "unwritable").events
    good, bad = {**EVENT, "webhook_id": 1}, {**EVENT, "webhook_id": 2}
    for payload in (good, bad):
        await events.deliver(payload, None)
    now = utcnow()
    events.untold[dedup_key(bad)] = Tally(bad, now, now, 1, [10 ** 25])  # what an unchecked header once made
    await events.deliver(good, 1)
    with caplog.at_level(logging.WARNING):
        assert await events.write_repeats() == []
    assert events.untold == {}, "an unwritable count is not retried on every sweep"
    assert (await events.get(dedup_key(good))).retry_nums == [1]
    assert (await events.get(dedup_key(bad))).deliveries == 1
    assert any("could not be written" in r.getMessage() for r in caplog.records)


async def test_only_verified_deliveries_count_as_katana_sending(shop: Sandbox) -> None:
    processor = shop.bot.events
    quiet = processor.last_delivery
    for junk in (b"x" * 100, body_of(EVENT)):
        assert await deliver(shop, junk, signed=False) == 401
        assert await deliver(shop, junk, {"x-sha2-signature": "0" * 64}, signed=False) == 401
    assert processor.last_delivery == quiet and not processor.storming()
    assert await deliver(shop, body_of(EVENT)) == 200
    assert processor.last_delivery > quiet


class CountsRefused:
    """The store refusing the repeat counts' updates (down, or failing over); everything else goes through."""

    def __init__(self, col: Any) -> None:
        self.col = col

    def __getattr__(self, name: str) -> Any:
        return getattr(self.col, name)

    async def update_one(self, *args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("store unreachable")


async def test_the_sweep_finds_due_events_when_the_repeat_counts_cannot_be_written(shop: Sandbox) -> None:
    events = shop.store.events
    await events.deliver(EVENT, None)
    await events.deliver(EVENT, 1)  # a repeat, tallied
    waiting = {**EVENT, "webhook_id": 2}
    key, _ = await events.deliver(waiting, None)
    await events.fail(await events.claim(key), "Katana did not answer", utcnow() - timedelta(seconds=1))
    await asyncio.sleep(2 * QUIET_SECONDS)
    col, events.col = events.col, CountsRefused(events.col)
    try:
        due = await shop.bot.events.retry_due()
    finally:
        events.col = col
    assert due >= 1 and dedup_key(EVENT) in events.untold, "the count waits; the due event does not"
    await shop.settle()
    assert (await events.get(key)).status == "processed"
