"""Stock alerts end to end: fake Unleashed → the real bot's sync job → fake Slack, and people's taps back."""
from __future__ import annotations

import asyncio
from datetime import timedelta
from decimal import Decimal

from models.base import utcnow
from sandbox.unleashed import FakeUnleashed
from tests.alert_helpers import (
    COOK,
    ESCALATION_CHANNEL,
    STOCK_CHANNEL,
    SUPERVISOR,
    alert_floor,
    channel_messages,
    kitchen_stock,
    last_response,
    message_about,
)


async def test_a_sync_raises_the_right_alerts_once_and_resolves_them_when_stock_recovers() -> None:
    unleashed = kitchen_stock()
    async with alert_floor(unleashed=unleashed) as shop:
        before = len(shop.slack.calls)
        reply = await shop.workspace.slash_command(SUPERVISOR, "/floor", "sync unleashed", channel_id="C0SUPER")
        assert reply.acked_in_time and "Syncing unleashed" in reply.body
        result = await last_response(shop, SUPERVISOR, before)
        assert "read 5 items · 3 new alerts" in result["text"]

        posted = {m["text"].split(": ", 1)[1].split(" — ")[0]: m for m in channel_messages(shop, STOCK_CHANNEL)}
        assert set(posted) == {"Tomato soup 1 L (SOUP-TOM)", "Chili 400 g (CHILI)", "Sourdough (BREAD)"}
        assert posted["Sourdough (BREAD)"]["text"].startswith("Low stock (critical)")
        assert posted["Tomato soup 1 L (SOUP-TOM)"]["text"].startswith("Low stock (high)")
        assert posted["Chili 400 g (CHILI)"]["text"].startswith("Low stock (medium)")
        log = await shop.store.audit.latest("sync", "unleashed")
        assert log is not None and log.outcome == "ok"
        assert (log.details["items_read"], log.details["alerts_raised"], log.details["calls"]) == (5, 3, 2)
        cached = await shop.store.inventory.get("unleashed", "SOUP-TOM")
        assert cached is not None and cached.quantity == Decimal(4)

        second = await shop.bot.alerts.jobs.run("unleashed")  # nothing changed: nothing new is said
        assert (second.raised, second.resolved) == (0, 0) and len(channel_messages(shop, STOCK_CHANNEL)) == 3

        unleashed.set_stock("SOUP-TOM", 30)
        third = await shop.bot.alerts.jobs.run("unleashed")
        assert third.resolved == 1 and len(channel_messages(shop, STOCK_CHANNEL)) == 3  # updated, not re-posted
        soup = shop.slack.find_message(STOCK_CHANNEL, posted["Tomato soup 1 L (SOUP-TOM)"]["ts"])
        assert soup is not None and soup["text"].startswith("Resolved: Tomato soup 1 L")
        assert "actions" not in str([b["type"] for b in soup["blocks"]])
        assert (await shop.store.alerts.open_counts()) == {"medium": 1, "high": 0, "critical": 1}

        unleashed.set_stock("SOUP-TOM", 2)  # low again later: a new alert, a new message
        await shop.bot.alerts.jobs.run("unleashed")
        assert len(channel_messages(shop, STOCK_CHANNEL)) == 4
        history = [d async for d in shop.store.db["alerts"].find({"item": "SOUP-TOM"})]
        assert sorted(d["status"] for d in history) == ["open", "resolved"]


async def test_worse_is_posted_again_better_is_updated_in_place() -> None:
    unleashed = kitchen_stock()
    async with alert_floor(unleashed=unleashed) as shop:
        await shop.bot.alerts.jobs.run("unleashed")
        first = message_about(shop, STOCK_CHANNEL, "Chili 400 g")
        unleashed.set_stock("CHILI", 0)
        result = await shop.bot.alerts.jobs.run("unleashed")
        assert result.worsened == 1 and len(channel_messages(shop, STOCK_CHANNEL)) == 4
        newer = message_about(shop, STOCK_CHANNEL, "Low stock (critical): Chili")
        assert "got worse" in shop.slack.find_message(STOCK_CHANNEL, first["ts"])["text"]  # type: ignore[index]

        unleashed.set_stock("CHILI", 15)
        result = await shop.bot.alerts.jobs.run("unleashed")
        assert (result.raised, result.worsened, result.resolved) == (0, 0, 0)
        assert len(channel_messages(shop, STOCK_CHANNEL)) == 4
        assert shop.slack.find_message(STOCK_CHANNEL, newer["ts"])["text"].startswith("Low stock (medium)")  # type: ignore[index]


async def test_more_than_ten_new_alerts_become_one_digest() -> None:
    unleashed = FakeUnleashed()
    for n in range(12):
        unleashed.add_product(f"JAR-{n:02d}", f"Jar {n}", on_hand=n % 3, min_level=10)
    async with alert_floor(unleashed=unleashed) as shop:
        result = await shop.bot.alerts.jobs.run("unleashed")
        [digest] = channel_messages(shop, STOCK_CHANNEL)
        assert result.raised == 12 and result.posted == 1
        assert digest["text"] == "12 new alerts from Unleashed (4 critical, 8 high)"
        assert "JAR-11" in str(digest["blocks"])

        unleashed.set_stock("JAR-00", 50)
        await shop.bot.alerts.jobs.run("unleashed")
        back = channel_messages(shop, STOCK_CHANNEL)[-1]
        assert back["text"] == "Back to normal (Unleashed): Jar 0 (JAR-00)"

        before = len(shop.slack.calls)
        await shop.workspace.slash_command(SUPERVISOR, "/floor", "alerts", channel_id="C0SUPER")
        listing = await last_response(shop, SUPERVISOR, before)
        assert listing["text"] == "11 open alerts" and "…and 1 more" in str(listing["blocks"])


async def test_acknowledge_and_snooze_buttons_record_who_and_update_the_message() -> None:
    async with alert_floor(unleashed=kitchen_stock()) as shop:
        await shop.bot.alerts.jobs.run("unleashed")
        soup = message_about(shop, STOCK_CHANNEL, "Tomato soup")

        await shop.workspace.click_button(COOK, soup, "alert_ack", channel_id=STOCK_CHANNEL)
        await shop.slack.wait_for(lambda c: c.method == "response_url")
        [alert] = [a for a in await shop.store.alerts.open_for("unleashed") if a.item == "SOUP-TOM"]
        assert alert.acknowledged_at is None  # only supervisors may acknowledge
        assert "not on the list" in shop.slack.ephemerals[-1]["text"]

        await shop.workspace.click_button(SUPERVISOR, soup, "alert_ack", channel_id=STOCK_CHANNEL)
        await wait_until(lambda: "Acknowledged by <@U0SUP>" in str(shop.slack.find_message(STOCK_CHANNEL, soup["ts"])))
        updated = shop.slack.find_message(STOCK_CHANNEL, soup["ts"])
        assert "alert_ack" not in str(updated) and "alert_snooze_4h" in str(updated)
        acked = await shop.store.alerts.get(alert.id)
        assert acked is not None and acked.acknowledged_by == SUPERVISOR and acked.acknowledged_at is not None

        bread = message_about(shop, STOCK_CHANNEL, "Sourdough")
        tapped_at = utcnow().replace(microsecond=0)
        shop.bot.alerts.desk.now = lambda: tapped_at  # the desk's clock, injected: no race with the real one
        await shop.workspace.click_button(SUPERVISOR, bread, "alert_snooze_4h", channel_id=STOCK_CHANNEL)
        await wait_until(lambda: "Snoozed by <@U0SUP>" in str(shop.slack.find_message(STOCK_CHANNEL, bread["ts"])))
        snoozed = next(a for a in await shop.store.alerts.open_for("unleashed") if a.item == "BREAD")
        assert snoozed.snoozed_until is not None
        assert snoozed.snoozed_until == tapped_at + timedelta(hours=4)
        assert len(channel_messages(shop, STOCK_CHANNEL)) == 3  # taps update messages, they never add posts


async def test_unacknowledged_high_and_critical_alerts_are_escalated_once() -> None:
    async with alert_floor(unleashed=kitchen_stock(), alert_escalate_after_minutes=60) as shop:
        await shop.bot.alerts.jobs.run("unleashed")
        soup = message_about(shop, STOCK_CHANNEL, "Tomato soup")
        await shop.workspace.click_button(SUPERVISOR, soup, "alert_ack", channel_id=STOCK_CHANNEL)
        await wait_until(lambda: "Acknowledged" in str(shop.slack.find_message(STOCK_CHANNEL, soup["ts"])))
        assert await shop.bot.alerts.desk.escalate_due() == 0  # not an hour yet
        # An hour passes (moved in the store rather than waited for: a slow machine cannot make it race).
        await shop.store.db["alerts"].update_many({}, {"$set": {"severe_since": utcnow() - timedelta(minutes=61)}})

        assert await shop.bot.alerts.desk.escalate_due() == 1
        [escalation] = channel_messages(shop, ESCALATION_CHANNEL)
        assert "Sourdough" in escalation["text"] and "Not acknowledged for" in str(escalation["blocks"])
        assert await shop.bot.alerts.desk.escalate_due() == 0  # once
        await shop.bot.alerts.jobs.run("unleashed")
        assert len(channel_messages(shop, ESCALATION_CHANNEL)) == 1  # the medium one (chili) never escalates

        await shop.workspace.click_button(SUPERVISOR, escalation, "alert_ack", channel_id=ESCALATION_CHANNEL)
        bread = message_about(shop, STOCK_CHANNEL, "Sourdough")
        await wait_until(lambda: "Acknowledged" in str(shop.slack.find_message(STOCK_CHANNEL, bread["ts"])))
        # The escalation message is updated right after the stock message (desk.refresh): wait for it too.
        await wait_until(lambda: "Acknowledged" in str(shop.slack.find_message(ESCALATION_CHANNEL, escalation["ts"])))
        assert "Acknowledged by <@U0SUP>" in str(shop.slack.find_message(ESCALATION_CHANNEL, escalation["ts"]))


async def test_snoozed_alerts_wait_and_worse_news_ends_the_snooze() -> None:
    unleashed = kitchen_stock()
    async with alert_floor(unleashed=unleashed, alert_escalate_after_minutes=0.001) as shop:
        await shop.bot.alerts.jobs.run("unleashed")
        for words in ("Sourdough", "Tomato soup"):
            message = message_about(shop, STOCK_CHANNEL, words)
            await shop.workspace.click_button(SUPERVISOR, message, "alert_snooze_24h", channel_id=STOCK_CHANNEL)
            await wait_until(lambda ts=message["ts"]: "Snoozed" in str(shop.slack.find_message(STOCK_CHANNEL, ts)))
        await asyncio.sleep(0.1)
        assert await shop.bot.alerts.desk.escalate_due() == 0

        unleashed.set_stock("SOUP-TOM", 0)  # high → critical while snoozed
        result = await shop.bot.alerts.jobs.run("unleashed")
        assert result.worsened == 1
        soup = next(a for a in await shop.store.alerts.open_for("unleashed") if a.item == "SOUP-TOM")
        assert soup.snoozed_until is None and soup.severity == "critical"


async def wait_until(condition: object, timeout: float = 5.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():  # type: ignore[operator]
        if loop.time() > deadline:
            raise TimeoutError("condition never became true")
        await asyncio.sleep(0.01)
