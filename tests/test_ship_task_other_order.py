"""A SHIP task's form switched to another sales order (the pick form offers every open SO): that order ships, the
task stays open and the shipment is not its MO's (from an outside attack: tests/test_attack_ship_task.py on branch
attack)."""
from __future__ import annotations

from sandbox.harness import Sandbox
from sandbox.katana_seed import MO101_ID, SO7_ROW_ID
from sandbox.katana_trade import SO8_ID, SO8_ROW_IDS, shipped_of

ANA = "U0ANA"


async def test_shipping_another_order_from_a_ship_task_leaves_that_task_open(shop: Sandbox) -> None:
    """MO-101 is done for SO-7: its SHIP task waits. Ana taps Record on it, but in the pick form chooses SO-8
    (offered beside SO-7) and ships SO-8's soup. commands/shipping/steps.py close_ship_tasks closes the task
    the form came from whatever order was shipped: MO-101's task says done, SO-7 never left."""
    shop.katana.finish_order_in_app(MO101_ID, 120)
    pick = await shop.form_from_task(ANA, "Ship task: MO-101")
    await shop.workspace.submit_view(ANA, pick, {"so": str(SO8_ID), "method": "carrier"})
    form = await shop.view_becomes(pick["id"], "ship_form")
    soup, chili = SO8_ROW_IDS
    await shop.workspace.submit_view(ANA, form, {f"q_{soup}": "6", f"q_{chili}": "0", "carrier": "DHL"})
    await shop.settle()
    assert shipped_of(shop.katana, soup) == 6  # SO-8's soup went
    assert shipped_of(shop.katana, SO7_ROW_ID) == 0  # SO-7's did not
    task = await shop.store.tasks.get(f"ship:{MO101_ID}")
    assert task.status == "open", f"MO-101's SHIP task is {task.status} though SO-7 was not shipped"
    [action] = await shop.store.actions.all()
    assert (action.task_id, action.mo_id) == (None, None)  # not in MO-101's history either


async def test_delivering_another_order_from_a_ship_task_leaves_that_task_open(shop: Sandbox) -> None:
    """The same through "Packed earlier: mark delivered" (commands/shipping/delivery.py submit_delivery takes
    the MO from the task, close_ship_tasks closes it)."""
    from sandbox.katana_seed import SOUP_BATCH_ID
    soup, _ = SO8_ROW_IDS
    await shop.bot.katana.client.post("/sales_order_fulfillments", {
        "sales_order_id": SO8_ID, "status": "PACKED", "tracking_carrier": "UPS", "sales_order_fulfillment_rows": [
            {"sales_order_row_id": soup, "quantity": 2, "traceability": [{"batch_id": SOUP_BATCH_ID, "quantity": "2"}]}]})
    shop.katana.finish_order_in_app(MO101_ID, 120)
    pick = await shop.form_from_task(ANA, "Ship task: MO-101")
    await shop.workspace.submit_view(ANA, pick, {"so": str(SO8_ID), "method": "deliver"})
    form = await shop.view_becomes(pick["id"], "ship_form", "packed and waiting for pickup")
    await shop.workspace.submit_view(ANA, form, {})
    await shop.settle()
    assert [f["status"] for f in shop.katana.fulfillments.values()] == ["DELIVERED"]  # SO-8's
    task = await shop.store.tasks.get(f"ship:{MO101_ID}")
    assert task.status == "open", f"MO-101's SHIP task is {task.status} though SO-7 was not shipped"
