"""Slack Events API retries are handled once; App Home lists open tasks."""
from __future__ import annotations

import json

from sandbox.harness import Sandbox


def home_opened(event_id: str) -> bytes:
    return json.dumps({"token": "verification_token", "team_id": "T0FLOOR", "api_app_id": "A0SHOPFLR",
                       "type": "event_callback", "event_id": event_id, "event_time": 1700000000,
                       "event": {"type": "app_home_opened", "user": "U0ANA", "channel": "D0ANA", "tab": "home",
                                 "event_ts": "1700000000.000100"}}).encode()


async def deliver(shop: Sandbox, body: bytes, retry: int | None = None) -> int:
    headers = {**shop.workspace.sign(body), "Content-Type": "application/json"}
    if retry is not None:
        headers.update({"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"})
    return (await shop.workspace.post_raw(body, headers)).status


async def publishes(shop: Sandbox, expected: int, timeout: float = 3.0) -> int:
    """Bolt runs event listeners in its own tasks: wait (bounded) until `expected` publishes happened."""
    import asyncio

    for _ in range(int(timeout / 0.02)):
        if len(shop.slack.calls_to("views.publish")) >= expected:
            break
        await asyncio.sleep(0.02)
    await asyncio.sleep(0.1)  # and a moment more, so a wrongly repeated one would show up
    return len(shop.slack.calls_to("views.publish"))


async def test_event_retry_is_handled_once(shop: Sandbox) -> None:
    assert await deliver(shop, home_opened("Ev1")) == 200
    assert await deliver(shop, home_opened("Ev1"), retry=1) == 200
    assert await deliver(shop, home_opened("Ev1"), retry=2) == 200
    assert await publishes(shop, 1) == 1
    assert await deliver(shop, home_opened("Ev2")) == 200  # a new event is handled
    assert await publishes(shop, 2) == 2


async def test_app_home_lists_open_tasks_with_record_buttons(shop: Sandbox) -> None:
    mo = shop.katana.create_manufacturing_order(variant_id=2001, planned_quantity=40)
    await shop.message_with(f"Cook task: {mo['order_no']}")
    await deliver(shop, home_opened("Ev3"))
    assert await publishes(shop, 1) == 1
    home = shop.slack.home_views["U0ANA"]
    assert mo["order_no"] in str(home["blocks"])
    before = len(shop.slack.calls)
    await shop.workspace.click_button("U0ANA", home, "task_record")  # opens the cook form from Home
    form = await shop.opened_form(before)
    assert form["callback_id"] == "cook_form"
