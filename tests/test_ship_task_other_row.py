"""A SHIP task's form used to ship only another MO's row of the same order leaves the task open (from an outside
attack: tests/test_attack_ship_task.py on branch attack, commit c7c5204)."""
from __future__ import annotations

from sandbox.harness import Sandbox
from sandbox.katana_trade import SO8_ID, SO8_ROW_IDS, shipped_of

ANA = "U0ANA"


async def test_shipping_the_other_row_of_the_same_order_leaves_this_mos_task_open(shop: Sandbox) -> None:
    """SO-8 has a soup row (made by one MO) and a chili row (made by another): each MO gets its own SHIP task.
    Ana taps Record on the soup MO's task and ships only the chili. close_ship_tasks closes the chili MO's task
    (its row went out in full) — and the soup MO's, the task the form came from, though no soup left."""
    from sandbox.katana_seed import CHILI_VARIANT_ID, SOUP_VARIANT_ID
    soup_row, chili_row = SO8_ROW_IDS
    soup_mo = shop.katana.create_manufacturing_order(variant_id=SOUP_VARIANT_ID, planned_quantity=6,
                                                     order_no="MO-SOUP-8", sales_order_id=SO8_ID)
    chili_mo = shop.katana.create_manufacturing_order(variant_id=CHILI_VARIANT_ID, planned_quantity=4,
                                                      order_no="MO-CHILI-8", sales_order_id=SO8_ID)
    shop.katana.finish_order_in_app(soup_mo["id"], 6)
    shop.katana.finish_order_in_app(chili_mo["id"], 4)
    pick = await shop.form_from_task(ANA, "Ship task: MO-SOUP-8")
    await shop.workspace.submit_view(ANA, pick, {"method": "carrier"})
    form = await shop.view_becomes(pick["id"], "ship_form")
    await shop.workspace.submit_view(ANA, form, {f"q_{soup_row}": "0", f"q_{chili_row}": "4", "carrier": "DHL"})
    await shop.settle()
    assert shipped_of(shop.katana, chili_row) == 4 and shipped_of(shop.katana, soup_row) == 0
    assert (await shop.store.tasks.get(f"ship:{chili_mo['id']}")).status == "done"
    task = await shop.store.tasks.get(f"ship:{soup_mo['id']}")
    assert task.status == "open", f"the soup MO's SHIP task is {task.status} though no soup was shipped"


async def test_delivering_only_the_other_mos_packed_goods_leaves_this_mos_task_open(shop: Sandbox) -> None:
    """The same through Mark delivered: the chili's packed shipment handed over from the soup MO's task."""
    from sandbox.katana_seed import CHILI_VARIANT_ID, SOUP_VARIANT_ID
    soup_row, chili_row = SO8_ROW_IDS
    soup_mo = shop.katana.create_manufacturing_order(variant_id=SOUP_VARIANT_ID, planned_quantity=6,
                                                     order_no="MO-SOUP-8", sales_order_id=SO8_ID)
    chili_mo = shop.katana.create_manufacturing_order(variant_id=CHILI_VARIANT_ID, planned_quantity=4,
                                                      order_no="MO-CHILI-8", sales_order_id=SO8_ID)
    shop.katana.finish_order_in_app(soup_mo["id"], 6)
    shop.katana.finish_order_in_app(chili_mo["id"], 4)
    chili_batch = next(b["id"] for b in shop.katana.batches.values() if b["batch_number"] == "B-MO-CHILI-8")
    packed = await shop.bot.katana.client.post("/sales_order_fulfillments", {
        "sales_order_id": SO8_ID, "status": "PACKED", "tracking_carrier": "UPS", "sales_order_fulfillment_rows": [
            {"sales_order_row_id": chili_row, "quantity": 4, "traceability": [{"batch_id": chili_batch, "quantity": "4"}]}]})
    pick = await shop.form_from_task(ANA, "Ship task: MO-SOUP-8")
    await shop.workspace.submit_view(ANA, pick, {"method": "deliver"})
    form = await shop.view_becomes(pick["id"], "ship_form", "packed and waiting for pickup")
    await shop.workspace.submit_view(ANA, form, {"packed": [str(packed["id"])]})
    await shop.settle()
    assert shop.katana.fulfillments[packed["id"]]["status"] == "DELIVERED", [m.get("text") for m in shop.slack.messages]
    assert (await shop.store.tasks.get(f"ship:{chili_mo['id']}")).status == "done"
    task = await shop.store.tasks.get(f"ship:{soup_mo['id']}")
    assert task.status == "open", f"the soup MO's SHIP task is {task.status} though no soup was delivered"
