"""Attack: an order number typed in Katana with Slack markup, on the new "Mark delivered" button."""
from __future__ import annotations

import copy

from sandbox.harness import FLOOR, Sandbox
from sandbox.katana_seed import MO101_ID, SO7_ROW_ID
from tests.test_hostile_text import RAW_MARKUP, SHORT
from tests.test_scenario_deliver import ANA, BEN, SHIP_TASK, tap_mark_delivered


async def pack_from_the_ship_task(shop: Sandbox) -> dict:
    """tests/test_scenario_deliver.py's helper, for an MO whose number is not "MO-101"."""
    shop.katana.finish_order_in_app(MO101_ID, 120)
    pick = await shop.form_from_task(ANA, "Ship task: ")
    await shop.workspace.submit_view(ANA, pick, {"method": "carrier"})
    form = await shop.view_becomes(pick["id"], "ship_form")
    await shop.workspace.submit_view(ANA, form, {f"q_{SO7_ROW_ID}": "120", "carrier": "DHL", "status": "PACKED"})
    await shop.settle()
    task = await shop.store.tasks.get(SHIP_TASK)
    return next(m for m in shop.slack.messages if m["ts"] == task.message_ts)


async def test_mark_delivered_on_a_finished_task_names_its_mo_as_text(shop: Sandbox) -> None:
    """bot/listeners/commands.py deliver_task_handler: f"for {task.mo_order_no} is already {task.status}" is
    not escaped (record_task_handler's twin line is)."""
    shop.katana.manufacturing_orders[MO101_ID]["order_no"] = SHORT
    message = copy.deepcopy(await pack_from_the_ship_task(shop))
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
