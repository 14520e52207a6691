"""An order number typed in Katana with Slack markup, on the new "Mark delivered" button."""
from __future__ import annotations

import copy

from sandbox.harness import FLOOR, Sandbox
from sandbox.katana_seed import MO101_ID
from tests.test_hostile_text import RAW_MARKUP, SHORT
from tests.test_scenario_deliver import ANA, BEN, pack_from_the_ship_task, tap_mark_delivered


async def test_mark_delivered_on_a_finished_task_names_its_mo_as_text(shop: Sandbox) -> None:
    """bot/listeners/commands.py deliver_task_handler: f"for {task.mo_order_no} is already {task.status}" is
    not escaped (record_task_handler's twin line is)."""
    shop.katana.manufacturing_orders[MO101_ID]["order_no"] = SHORT
    message = copy.deepcopy(await pack_from_the_ship_task(shop, "Ship task: "))
    [fulfilment] = shop.katana.fulfillments.values()
    form = await tap_mark_delivered(shop, BEN, message)
    await shop.workspace.submit_view(BEN, form, {"packed": [str(fulfilment["id"])]})
    await shop.settle()
    before = len(shop.slack.ephemerals)

    await shop.workspace.click_button(ANA, message, "task_deliver", channel_id=FLOOR)  # the stale copy's button
    await shop.settle()
    told = [e.get("text", "") for e in shop.slack.ephemerals[before:]]
    assert told and "already" in told[-1], told
    assert not RAW_MARKUP.search(told[-1]), told[-1]
