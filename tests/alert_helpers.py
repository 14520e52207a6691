"""Shared set-up for the alert scenario tests: a shop floor with fake Unleashed and Amazon beside Katana."""
from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sandbox.alert_fakes import ESCALATION_CHANNEL, QUALITY_CHANNEL, STOCK_CHANNEL
from sandbox.amazon import FakeAmazon
from sandbox.harness import Sandbox, shop_floor
from sandbox.unleashed import FakeUnleashed

SUPERVISOR, COOK = "U0SUP", "U0ANA"
__all__ = ["COOK", "ESCALATION_CHANNEL", "QUALITY_CHANNEL", "STOCK_CHANNEL", "SUPERVISOR", "alert_floor",
           "channel_messages", "kitchen_stock", "last_response", "message_about"]


def kitchen_stock() -> FakeUnleashed:
    unleashed = FakeUnleashed()
    unleashed.add_product("SOUP-TOM", "Tomato soup 1 L", on_hand=4, min_level=20)  # below half: high
    unleashed.add_product("CHILI", "Chili 400 g", on_hand=15, min_level=20)  # below: medium
    unleashed.add_product("BREAD", "Sourdough", on_hand=0, min_level=5)  # none: critical
    unleashed.add_product("SALT", "Sea salt", on_hand=100, min_level=10)  # fine
    unleashed.add_product("PEPPER", "Pepper", on_hand=0)  # no minimum level: never alerted on
    return unleashed


@asynccontextmanager
async def alert_floor(*, unleashed: FakeUnleashed | None = None, amazon: FakeAmazon | None = None,
                      **settings: Any) -> AsyncIterator[Sandbox]:
    channels = {"alerts_inventory_channel": STOCK_CHANNEL, "alerts_quality_channel": QUALITY_CHANNEL,
                "alerts_escalation_channel": ESCALATION_CHANNEL}
    async with shop_floor(unleashed=unleashed, amazon=amazon, supervisors=SUPERVISOR, **{**channels, **settings}) as shop:
        shop.bot.alerts.desk.poster.pacer.interval = 0.0  # Slack's 1/s pacing is tested on its own
        yield shop
        await shop.settle()
        assert shop.katana.violations == [], "requests Katana's published spec does not allow"
        if unleashed is not None:
            assert unleashed.auth_refusals == [], "the bot's Unleashed requests must always be signed right"


def channel_messages(shop: Sandbox, channel: str) -> list[dict[str, Any]]:
    return [m for m in shop.slack.messages if m["channel"] == channel]


def message_about(shop: Sandbox, channel: str, words: str) -> dict[str, Any]:
    found = [m for m in channel_messages(shop, channel) if words in m["text"]]
    assert found, f"no message about {words!r} in {channel}: {[m['text'] for m in channel_messages(shop, channel)]}"
    return found[-1]


async def last_response(shop: Sandbox, user: str, after: int) -> dict[str, Any]:
    """The newest ephemeral response the user got via response_url after Slack call number `after`."""
    await shop.slack.wait_for(lambda c: c.method == "response_url" and shop.slack.calls.index(c) >= after)
    await shop.settle()
    return [e for e in shop.slack.ephemerals if e.get("user") == user][-1]
