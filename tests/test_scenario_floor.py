"""`/floor`, the Amazon and quality syncs, scheduling, and what happens when a source is missing or down."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import aiohttp

from bot.alerts.poster import ChannelPacer
from integrations.amazon import amazon_time
from sandbox.amazon import FakeAmazon
from sandbox.katana_seed import MO101_ID
from sandbox.unleashed import FakeUnleashed
from tests.alert_helpers import (
    COOK,
    QUALITY_CHANNEL,
    STOCK_CHANNEL,
    SUPERVISOR,
    alert_floor,
    channel_messages,
    kitchen_stock,
    last_response,
    message_about,
)


async def floor_says(shop: object, text: str, user: str = SUPERVISOR) -> dict:
    before = len(shop.slack.calls)  # type: ignore[attr-defined]
    reply = await shop.workspace.slash_command(user, "/floor", text, channel_id="C0SUPER")  # type: ignore[attr-defined]
    assert reply.acked_in_time, reply
    return await last_response(shop, user, before)  # type: ignore[arg-type]


async def test_an_unconfigured_integration_is_reported_clearly_without_breaking_the_rest() -> None:
    async with alert_floor(unleashed=kitchen_stock()) as shop:  # Unleashed yes, Amazon no
        jobs = {job.id: job for job in shop.bot.scheduler.get_jobs()}
        assert {"sync_unleashed", "sync_quality", "escalate_alerts"} <= set(jobs) and "sync_amazon" not in jobs

        async with aiohttp.ClientSession() as http, http.get(f"{shop.url}/healthz") as reply:
            health = await reply.json()
        assert reply.status == 200 and health["status"] == "ok"
        amazon = health["integrations"]["amazon"]
        assert amazon["configured"] is False and amazon["missing"] == [
            "AMAZON_LWA_CLIENT_ID", "AMAZON_LWA_CLIENT_SECRET", "AMAZON_REFRESH_TOKEN", "AMAZON_MARKETPLACE_ID"]
        assert health["integrations"]["unleashed"]["configured"] is True

        status = await floor_says(shop, "status")
        shown = str(status["blocks"])
        assert "*amazon* — not configured: set AMAZON_LWA_CLIENT_ID, AMAZON_LWA_CLIENT_SECRET" in shown
        assert "Unleashed stock: never run" in shown and "0 critical · 0 high · 0 medium" in shown

        assert "not configured: set AMAZON_LWA_CLIENT_ID" in (await floor_says(shop, "sync amazon"))["text"]
        assert "3 new alerts" in (await floor_says(shop, "sync unleashed"))["text"]
        shown = str((await floor_says(shop, "status"))["blocks"])
        assert ":white_check_mark: Unleashed stock: ok at" in shown and "1 critical · 1 high · 1 medium" in shown


async def test_an_unleashed_outage_is_logged_and_leaves_alerts_alone() -> None:
    unleashed = kitchen_stock()
    async with alert_floor(unleashed=unleashed) as shop:
        await shop.bot.alerts.jobs.run("unleashed")
        unleashed.fail_next(1, status=403)
        result = await shop.bot.alerts.jobs.run("unleashed")
        assert result.outcome == "failed" and "UNLEASHED_API_KEY" in result.errors[0]
        assert (await shop.store.alerts.open_counts())["critical"] == 1  # silence is not recovery
        shown = str((await floor_says(shop, "status"))["blocks"])
        assert ":x: Unleashed stock: failed" in shown and "check UNLEASHED_API_ID and UNLEASHED_API_KEY" in shown
        assert unleashed.api_key not in shown


async def test_floor_is_for_supervisors() -> None:
    async with alert_floor(unleashed=kitchen_stock()) as shop:
        reply = await shop.workspace.slash_command(COOK, "/floor", "sync unleashed", channel_id="C0FLOOR")
        assert "not on the list" in reply.body
        assert await shop.store.audit.latest("sync", "unleashed") is None
        help_reply = await shop.workspace.slash_command(COOK, "/floor", "help", channel_id="C0FLOOR")
        assert "sync unleashed|amazon|quality" in help_reply.body


async def test_the_alert_list_has_working_buttons() -> None:
    async with alert_floor(unleashed=kitchen_stock()) as shop:
        await shop.bot.alerts.jobs.run("unleashed")
        listing = await floor_says(shop, "alerts")
        assert listing["text"] == "3 open alerts" and str(listing["blocks"]).index("Sourdough") < \
            str(listing["blocks"]).index("Chili")  # worst first
        before = len(shop.slack.calls)
        await shop.workspace.click_button(SUPERVISOR, listing, "alert_ack", channel_id="C0SUPER")  # the first: bread
        await shop.slack.wait_for(lambda c: c.method == "response_url" and shop.slack.calls.index(c) >= before)
        bread = message_about(shop, STOCK_CHANNEL, "Sourdough")
        assert "Acknowledged by <@U0SUP>" in str(shop.slack.find_message(STOCK_CHANNEL, bread["ts"]))
        assert "Acknowledged by <@U0SUP>" in str(listing["blocks"])  # the list itself was replaced too


async def test_amazon_sync_alerts_on_fulfillable_units_and_days_of_cover() -> None:
    amazon = FakeAmazon()  # starts from Amazon's static example: two SKUs at 0, "Silicon Power 32GB" at 66 (+21 inbound)
    two_days_ago = amazon_time(datetime.now(UTC) - timedelta(days=2))
    amazon.add_order(seller_sku="Silicon Power 32GB", quantity=240, created=two_days_ago)  # 8 a day over 30 days
    async with alert_floor(amazon=amazon) as shop:
        result = await shop.bot.alerts.jobs.run("amazon")
        assert (result.items_read, result.raised, result.outcome) == (3, 3, "ok")
        power = message_about(shop, STOCK_CHANNEL, "Silicon Power 32GB")
        assert power["text"].startswith("Low stock (medium)") and "10.9 days of cover (below 14)" in power["text"]
        assert len([m for m in channel_messages(shop, STOCK_CHANNEL) if "(critical)" in m["text"]]) == 2
        cached = await shop.store.inventory.get("amazon", "Silicon Power 32GB", "ATVPDKIKX0DER")
        assert cached is not None and cached.quantity == 66

        amazon.set_fulfillable("EMTEC 1 GB", 40)
        again = await shop.bot.alerts.jobs.run("amazon")
        assert (again.raised, again.resolved) == (0, 1)
        assert len(amazon.calls_to("/orders/2026-01-01/orders")) == 1  # velocity is kept for hours, not re-read
        assert len([r for r in amazon.requests if r.method == "POST"]) == 1  # one LWA exchange


async def test_a_low_yield_mo_raises_one_quality_alert_until_acknowledged() -> None:
    async with alert_floor() as shop:
        shop.katana.finish_order_in_app(MO101_ID, 100)  # 100 of 120 planned: 83.3 %
        await shop.settle()
        result = await shop.bot.alerts.jobs.run("quality")
        assert result.raised == 1
        [message] = channel_messages(shop, QUALITY_CHANNEL)
        assert message["text"] == "Low yield (high): MO-101 — yield 83.3 % (100 made of 120 planned)"
        assert (await shop.bot.alerts.jobs.run("quality")).raised == 0

        await shop.workspace.click_button(SUPERVISOR, message, "alert_ack", channel_id=QUALITY_CHANNEL)
        await shop.slack.wait_for(lambda c: c.method == "chat.update")
        assert (await shop.store.alerts.open_counts())["high"] == 0  # a finished order's yield: noted = closed
        assert (await shop.bot.alerts.jobs.run("quality")).raised == 0  # and never raised again
        assert len(channel_messages(shop, QUALITY_CHANNEL)) == 1


async def test_syncs_are_scheduled_with_jitter_one_at_a_time_and_coalesced() -> None:
    async with alert_floor(unleashed=kitchen_stock(), amazon=FakeAmazon(), amazon_sync_minutes=30) as shop:
        jobs = {job.id: job for job in shop.bot.scheduler.get_jobs()}
        assert {"sync_unleashed", "sync_amazon", "sync_quality", "escalate_alerts"} <= set(jobs)
        for name in ("sync_unleashed", "sync_amazon", "sync_quality"):
            assert jobs[name].max_instances == 1 and jobs[name].coalesce is True
            assert jobs[name].trigger.jitter
        assert jobs["sync_unleashed"].trigger.interval == timedelta(minutes=15)
        assert jobs["sync_amazon"].trigger.interval == timedelta(minutes=30)


async def test_alert_posts_keep_to_one_per_second_per_channel() -> None:
    unleashed = FakeUnleashed()
    for n in range(5):  # five at once: past Slack's burst of posts to one channel
        unleashed.add_product(f"JAR-{n}", f"Jar {n}", on_hand=0, min_level=10)
    async with alert_floor(unleashed=unleashed) as shop:
        time = VirtualTime(shop.slack.clock())
        shop.slack.clock, shop.slack.enforce_rate_limit = time.clock, True
        shop.bot.alerts.desk.poster.pacer = ChannelPacer(1.0, clock=time.clock, sleep=time.sleep)  # production pace
        await shop.bot.alerts.jobs.run("unleashed")
        posts = [c for c in shop.slack.calls_to("chat.postMessage") if c.args.get("channel") == STOCK_CHANNEL]
        assert len(posts) == 5 and all(c.ok for c in posts)  # Slack never had to say "ratelimited"
        assert [round(b.at - a.at, 3) for a, b in zip(posts, posts[1:])] == [1.0] * 4


class VirtualTime:
    """Slack's clock and the pacer's: waiting advances it at once (the test takes milliseconds, not seconds)."""

    def __init__(self, start: float) -> None:
        self.now = start

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
