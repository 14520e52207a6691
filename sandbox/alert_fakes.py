"""Wiring the Unleashed and Amazon fakes (and the alert channels) into the loopback shop floor.

Kept apart from harness.py so the harness only gains two optional parameters: without them, nothing here runs.
"""
from __future__ import annotations

from typing import Any

from sandbox.amazon import FakeAmazon
from sandbox.slack import FakeSlack
from sandbox.unleashed import FakeUnleashed

STOCK_CHANNEL, QUALITY_CHANNEL, ESCALATION_CHANNEL = "C0STOCK", "C0QUALITY", "C0ESCALATE"
ALERT_CHANNELS = {STOCK_CHANNEL: "stock-alerts", QUALITY_CHANNEL: "quality-alerts", ESCALATION_CHANNEL: "escalations"}


def wants_alerts(unleashed: Any, amazon: Any, overrides: dict[str, Any]) -> bool:
    return unleashed is not None or amazon is not None or any(k.startswith("alert") for k in overrides)


async def start_alert_fakes(slack: FakeSlack, unleashed: FakeUnleashed | None,
                            amazon: FakeAmazon | None) -> dict[str, Any]:
    """Start the given fakes; returns the settings that point the bot at them (and at the alert channels)."""
    slack.channels.update(ALERT_CHANNELS)
    settings: dict[str, Any] = {"alerts_inventory_channel": STOCK_CHANNEL, "alerts_quality_channel": QUALITY_CHANNEL,
                                "alerts_escalation_channel": ESCALATION_CHANNEL}
    if unleashed is not None:
        await unleashed.start()
        settings.update(unleashed_api_id=unleashed.api_id, unleashed_api_key=unleashed.api_key,
                        unleashed_base_url=unleashed.base_url)
    if amazon is not None:
        await amazon.start()
        settings.update(amazon_lwa_client_id=amazon.client_id, amazon_lwa_client_secret=amazon.client_secret,
                        amazon_refresh_token=amazon.refresh_token, amazon_marketplace_id="ATVPDKIKX0DER",
                        amazon_sp_api_url=amazon.base_url, amazon_lwa_url=amazon.lwa_url)
    return settings


async def stop_alert_fakes(unleashed: FakeUnleashed | None, amazon: FakeAmazon | None) -> None:
    for fake in (unleashed, amazon):
        if fake is not None:
            await fake.stop()
