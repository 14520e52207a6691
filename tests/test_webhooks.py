"""POST /webhooks/katana: signature, size, shape, dedup — before any work is done."""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from datetime import timedelta

import aiohttp

from bench.warp import WarpLoop
from bench.warp import run as run_warped
from bot.webhooks import signature_ok
from models.base import utcnow
from sandbox.harness import WEBHOOK_TOKEN, Sandbox, shop_floor
from sandbox.katana_seed import CHILI_VARIANT_ID, MO102_ID

EVENT = {"resource_type": "manufacturing_order", "action": "manufacturing_order.created", "webhook_id": 1,
         "object": {"id": MO102_ID, "status": "NOT_STARTED", "href": "https://api.katanamrp.com/v1/manufacturing_orders/5102"}}


def sign(body: bytes, token: str = WEBHOOK_TOKEN) -> str:
    return hmac.new(token.encode(), body, hashlib.sha256).hexdigest()


async def post(shop: Sandbox, body: bytes, headers: dict[str, str]) -> tuple[int, dict]:
    async with aiohttp.ClientSession() as http, http.post(f"{shop.url}/webhooks/katana", data=body,
                         headers={"Content-Type": "application/json", **headers}) as reply:
        return reply.status, await reply.json()


async def events_stored(shop: Sandbox) -> int:
    return await shop.store.db["katana_events"].count_documents({})


def test_signature_check() -> None:
    body = b'{"a":1}'
    assert signature_ok(body, sign(body), "tok-123456")is False  # other key
    assert signature_ok(body, sign(body, "tok-123456"), "tok-123456")
    assert signature_ok(body, "sha256=" + sign(body, "tok-123456"), "tok-123456")
    assert signature_ok(body, sign(body, "tok-123456").upper(), "tok-123456")
    assert not signature_ok(body, None, "tok-123456")
    assert not signature_ok(body + b" ", sign(body, "tok-123456"), "tok-123456")
    good = sign(body, "tok-123456")
    for bad in ("z" * 64, "é" * 64, good[:31] + " " + good[32:], good[:-1], good + "0"):
        assert not signature_ok(body, bad, "tok-123456"), bad  # not hex, not ASCII, not 32 bytes


async def test_wrong_or_missing_signature_is_401_and_stores_nothing(shop: Sandbox) -> None:
    body = json.dumps(EVENT).encode()
    assert (await post(shop, body, {"x-sha2-signature": sign(body, "not-the-token")}))[0] == 401
    assert (await post(shop, body, {}))[0] == 401
    await shop.settle()
    assert await events_stored(shop) == 0
    assert shop.messages_with("Cook task") == []


async def test_oversized_body_is_413(shop: Sandbox) -> None:
    body = b'{"pad":"' + b"x" * (1024 * 1024 + 10) + b'"}'
    assert (await post(shop, body, {"x-sha2-signature": sign(body)}))[0] == 413
    assert await events_stored(shop) == 0


async def test_signed_body_that_is_not_a_katana_event_is_400(shop: Sandbox) -> None:
    for body in (b"not json", b"[]", json.dumps({"resource_type": "x"}).encode(),
                 json.dumps({**EVENT, "object": {"id": True}}).encode()):
        assert (await post(shop, body, {"x-sha2-signature": sign(body)}))[0] == 400, body
    assert await events_stored(shop) == 0


async def test_same_webhook_twice_creates_one_task(shop: Sandbox) -> None:
    body = json.dumps(EVENT).encode()
    first = await post(shop, body, {"x-sha2-signature": sign(body)})
    second = await post(shop, body, {"x-sha2-signature": "sha256=" + sign(body), "X-Katana-Retry-Num": "1"})
    await shop.settle()
    assert first == (200, {"ok": True, "duplicate": False})
    assert second == (200, {"ok": True, "duplicate": True})
    assert len(shop.messages_with("Cook task: MO-102")) == 1
    [event] = [e async for e in shop.store.db["katana_events"].find({})]
    assert event["status"] == "processed" and event["deliveries"] == 2


async def test_events_the_floor_does_not_need_are_stored_and_ignored(shop: Sandbox) -> None:
    payload = {**EVENT, "resource_type": "product", "action": "product.updated"}
    body = json.dumps(payload).encode()
    assert (await post(shop, body, {"x-sha2-signature": sign(body)}))[0] == 200
    await shop.settle()
    [event] = [e async for e in shop.store.db["katana_events"].find({})]
    assert event["status"] == "ignored"


async def test_failed_processing_is_recorded_and_retried(shop: Sandbox) -> None:
    shop.katana.go_down()
    body = json.dumps(EVENT).encode()
    assert (await post(shop, body, {"x-sha2-signature": sign(body)}))[0] == 200  # answered before any work
    await shop.settle()
    [event] = [e async for e in shop.store.db["katana_events"].find({})]
    assert event["status"] == "failed" and event["error"] and event["next_attempt_at"] is not None
    assert "katana-sandbox-key" not in event["error"]

    shop.katana.come_up()
    await shop.store.db["katana_events"].update_one({}, {"$set": {"next_attempt_at": event["received_at"]}})
    assert await shop.bot.events.retry_due() == 1  # the worker's sweep
    await shop.settle()
    assert len(shop.messages_with("Cook task: MO-102")) == 1


async def test_chunked_body_is_read_whole(shop: Sandbox) -> None:
    body = json.dumps({**EVENT, "pad": "x" * 3000}).encode()

    async def pieces():
        for i in range(0, len(body), 500):
            yield body[i:i + 500]

    async with aiohttp.ClientSession() as http, http.post(f"{shop.url}/webhooks/katana", data=pieces(),
                         headers={"Content-Type": "application/json", "x-sha2-signature": sign(body)}) as reply:
        assert reply.status == 200


async def test_non_ascii_signature_is_401_not_500(shop: Sandbox) -> None:
    body = json.dumps(EVENT).encode()
    async with aiohttp.ClientSession() as http, http.post(f"{shop.url}/webhooks/katana", data=body,
                         headers={"x-sha2-signature": "é" * 64}) as reply:
        assert reply.status == 401


def test_processing_steps_aside_while_katana_is_still_sending() -> None:
    """Deliveries are answered first: a task waits for a quiet moment, but not for the whole storm.
    On a warped clock (bench/warp.py): the storm's seconds pass on the loop's clock, not the wall's."""
    run_warped(steps_aside)


async def steps_aside(loop: WarpLoop) -> None:
    from bot.katana_events import MAX_DEFER_SECONDS

    async with shop_floor() as shop:
        shop.bot.events.clock = loop.time
        storm_until = loop.time() + 3 * MAX_DEFER_SECONDS
        stormy = asyncio.create_task(storm(shop, loop, storm_until))
        await asyncio.sleep(0.05)
        mo = shop.katana.create_manufacturing_order(variant_id=CHILI_VARIANT_ID, planned_quantity=3)
        await shop.katana.flush_webhooks()
        await asyncio.sleep(MAX_DEFER_SECONDS / 2)
        assert not shop.messages_with(f"Cook task: {mo['order_no']}"), "processing waited while deliveries arrived"
        while not shop.messages_with(f"Cook task: {mo['order_no']}") and loop.time() < storm_until:
            await asyncio.sleep(0.02)
        assert shop.messages_with(f"Cook task: {mo['order_no']}"), "...but not until the storm was over"
        await stormy
        await shop.settle()


async def storm(shop: Sandbox, loop: WarpLoop, until: float) -> None:
    """What the webhook route tells the processor on every delivery, every 10 ms."""
    while loop.time() < until:
        shop.bot.events.delivery_arrived()
        await asyncio.sleep(0.01)


def test_during_a_storm_events_are_processed_a_pace_apart() -> None:
    """Processed together, events added their work to every delivery in flight at once (bench row 3)."""
    run_warped(a_pace_apart)


async def a_pace_apart(loop: WarpLoop) -> None:
    from bot.katana_events import MAX_DEFER_SECONDS, STORM_PACE

    async with shop_floor() as shop:
        shop.bot.events.clock, shop.slack.clock = loop.time, loop.epoch
        stormy = asyncio.create_task(storm(shop, loop, loop.time() + MAX_DEFER_SECONDS + 4 * STORM_PACE + 0.5))
        await asyncio.sleep(0.05)
        orders = [shop.katana.create_manufacturing_order(variant_id=CHILI_VARIANT_ID, planned_quantity=n)
                  for n in (1, 2, 3)]
        await shop.katana.flush_webhooks()
        await stormy
        await shop.settle()
        posted = sorted(call.at for call in shop.slack.calls_to("chat.postMessage")
                        if any(f"Cook task: {mo['order_no']}" in str(call.args.get("text")) for mo in orders))
        assert len(posted) == 3, "every event was processed during the storm"
        gaps = [later - earlier for earlier, later in zip(posted, posted[1:], strict=False)]
        assert min(gaps) >= 0.8 * STORM_PACE, gaps


async def test_the_sweep_steps_aside_during_a_storm_but_not_for_long(shop: Sandbox) -> None:
    """The sweep reads every waiting event; during a storm new ones are queued as they arrive anyway."""
    from bot.katana_events import STORM_SWEEP_SECONDS

    events, now = shop.bot.events, [time.monotonic()]
    events.clock = lambda: now[0]
    await events.retry_due()  # a sweep while Katana is quiet
    key, _ = await shop.store.events.deliver(EVENT, None)
    await shop.store.events.fail(await shop.store.events.claim(key), "Katana unavailable",
                                utcnow() - timedelta(seconds=1))  # its retry is due
    events.delivery_arrived()
    now[0] += 0.01
    assert await events.retry_due() == 0, "skipped: Katana is sending"
    now[0] += STORM_SWEEP_SECONDS
    events.delivery_arrived()
    now[0] += 0.01
    assert await events.retry_due() == 1, "the storm goes on, but the sweep has waited long enough"
    events.clock, events.last_delivery = time.monotonic, float("-inf")  # the storm is over
    await shop.settle()


async def stored_deliveries(shop: Sandbox) -> list[tuple[int, list[int]]]:
    return [(e["deliveries"], e["retry_nums"]) async for e in shop.store.db["katana_events"].find({})]


async def test_a_repeat_during_a_storm_is_counted_when_katana_pauses(shop: Sandbox) -> None:
    import asyncio

    body = json.dumps(EVENT).encode()
    await post(shop, body, {"x-sha2-signature": sign(body)})
    storm_until = time.monotonic() + 0.5

    async def storm() -> None:
        while time.monotonic() < storm_until:
            shop.bot.events.delivery_arrived()
            await asyncio.sleep(0.01)

    stormy = asyncio.create_task(storm())
    assert await post(shop, body, {"x-sha2-signature": sign(body), "X-Katana-Retry-Num": "1"}) == (
        200, {"ok": True, "duplicate": True})
    await asyncio.sleep(0.2)
    assert await stored_deliveries(shop) == [(1, [])], "not written while Katana is sending"
    await stormy
    await shop.settle()
    assert await stored_deliveries(shop) == [(2, [1])]


async def test_repeats_answered_from_memory_are_counted_at_shutdown(shop: Sandbox) -> None:
    body = json.dumps(EVENT).encode()
    await post(shop, body, {"x-sha2-signature": sign(body)})
    shop.bot.events.delivery_arrived()
    shop.bot.events.clock = lambda: shop.bot.events.last_delivery  # a storm that never pauses
    await post(shop, body, {"x-sha2-signature": sign(body), "X-Katana-Retry-Num": "1"})
    await shop.bot.stop()
    assert await stored_deliveries(shop) == [(2, [1])]
    shop.bot.events.clock = time.monotonic


async def test_every_repeat_in_a_burst_is_counted_on_its_event(shop: Sandbox) -> None:
    import asyncio
    import random
    from collections import Counter

    rng = random.Random(3)
    bodies = [json.dumps({**EVENT, "resource_type": "product", "action": "product.updated",
                          "object": {"id": n}}).encode() for n in range(60)]
    bodies += [rng.choice(bodies) for _ in range(40)]
    rng.shuffle(bodies)
    sent = Counter(json.loads(b)["object"]["id"] for b in bodies)
    async with aiohttp.ClientSession() as http:
        async def send(body: bytes) -> int:
            async with http.post(f"{shop.url}/webhooks/katana", data=body,
                                 headers={"x-sha2-signature": sign(body)}) as reply:
                return reply.status
        assert set(await asyncio.gather(*(send(b) for b in bodies))) == {200}
    await shop.settle()
    counted = {int(e["object_id"]): e["deliveries"] async for e in shop.store.db["katana_events"].find({})}
    assert counted == dict(sent)
