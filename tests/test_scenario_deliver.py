"""Packed, then handed to the carrier: a PACKED fulfilment waits on its SHIP task until Mark delivered."""
from __future__ import annotations

import copy
from decimal import Decimal

from sandbox.harness import FLOOR, Sandbox
from sandbox.katana_seed import CENTRAL_KITCHEN_ID, MO101_ID, SO7_ID, SO7_ROW_ID, SOUP_BATCH_ID
from sandbox.katana_trade import SO8_ID, SO8_ROW_IDS

ANA, BEN = "U0ANA", "U0BEN"
SHIP_TASK = f"ship:{MO101_ID}"


def batch_of_mo101(shop: Sandbox) -> int:
    return next(b["id"] for b in shop.katana.batches.values() if b["batch_number"] == "B-MO-101")


def in_stock(shop: Sandbox, batch_id: int) -> Decimal:
    return Decimal(shop.katana.batch_stock(batch_id, CENTRAL_KITCHEN_ID)["quantity_in_stock"])


async def pack_from_the_ship_task(shop: Sandbox, task_title: str = "Ship task: MO-101") -> dict:
    """MO-101 (for SO-7) is done; Ana records its whole row packed, waiting for pickup; the task's message.
    `task_title`: how its task message begins (shorter when a test renamed the MO)."""
    shop.katana.finish_order_in_app(MO101_ID, 120)
    pick = await shop.form_from_task(ANA, task_title)
    await shop.workspace.submit_view(ANA, pick, {"method": "carrier"})
    form = await shop.view_becomes(pick["id"], "ship_form")
    await shop.workspace.submit_view(ANA, form, {f"q_{SO7_ROW_ID}": "120", "carrier": "DHL", "status": "PACKED"})
    await shop.settle()
    task = await shop.store.tasks.get(SHIP_TASK)
    return next(m for m in shop.slack.messages if m["ts"] == task.message_ts)


async def tap_mark_delivered(shop: Sandbox, user: str, message: dict) -> dict:
    before = len(shop.slack.calls)
    await shop.workspace.click_button(user, message, "task_deliver", channel_id=FLOOR)
    opened = await shop.opened_form(before)
    return await shop.view_becomes(opened["id"], "ship_form", "packed and waiting for pickup")


async def test_packed_waits_for_pickup_and_mark_delivered_delivers_it_and_closes_the_task(shop: Sandbox) -> None:
    """Old code: the SHIP task closed when packed and nothing could ever set the fulfilment DELIVERED."""
    message = await pack_from_the_ship_task(shop)
    batch = batch_of_mo101(shop)
    [fulfilment] = shop.katana.fulfillments.values()
    assert fulfilment["status"] == "PACKED" and in_stock(shop, batch) == 120  # packed goods are still here
    task = await shop.store.tasks.get(SHIP_TASK)
    assert task.status == "open" and task.packed_by == "Ana Lopez"
    assert "waiting for pickup" in str(message["blocks"]) and "Mark delivered" in str(message["blocks"])
    assert "packed SO-7" in (await shop.message_with("packed SO-7"))["text"]

    form = await tap_mark_delivered(shop, BEN, message)
    [packed] = next(b for b in form["blocks"] if b.get("block_id") == "packed")["element"]["initial_options"]
    assert packed["value"] == str(fulfilment["id"]) and "120 × SOUP-TOM-500 · DHL" in packed["text"]["text"]
    carrier = next(b for b in form["blocks"] if b.get("block_id") == "carrier")
    assert carrier["element"]["initial_value"] == "DHL" and carrier["optional"] is True  # given already
    reply = await shop.workspace.submit_view(BEN, form, {"packed": [str(fulfilment["id"])], "tracking": "JD0999"})
    assert reply.json["response_action"] == "update"
    await shop.settle()

    assert (fulfilment["status"], fulfilment["tracking_carrier"], fulfilment["tracking_number"]) == (
        "DELIVERED", "DHL", "JD0999")
    assert in_stock(shop, batch) == 0 and shop.katana.sales_orders[SO7_ID]["status"] == "DELIVERED"
    patches = [r.body for r in shop.katana.writes(f"/sales_order_fulfillments/{fulfilment['id']}")]
    assert patches == [{"status": "DELIVERED", "tracking_carrier": "DHL", "tracking_number": "JD0999"}]
    task = await shop.store.tasks.get(SHIP_TASK)
    assert task.status == "done" and task.done_by == "Ben Carter"
    told = await shop.message_with("handed SO-7 to the carrier")
    assert "1 packed shipment delivered" in told["text"] and "tracking JD0999" in str(told["blocks"])


async def test_ship_asks_the_carrier_a_packed_fulfilment_lacks_and_refuses_nothing_ticked(shop: Sandbox) -> None:
    soup, _ = SO8_ROW_IDS  # packed in Katana's app, without a carrier
    packed = await shop.bot.katana.client.post("/sales_order_fulfillments", {
        "sales_order_id": SO8_ID, "status": "PACKED", "sales_order_fulfillment_rows": [
            {"sales_order_row_id": soup, "quantity": 2, "traceability": [{"batch_id": SOUP_BATCH_ID, "quantity": "2"}]}]})
    pick = await shop.form_from_command(ANA, "/ship")
    await shop.workspace.submit_view(ANA, pick, {"so": str(SO8_ID), "method": "deliver"})
    form = await shop.view_becomes(pick["id"], "ship_form", "packed and waiting for pickup")
    assert next(b for b in form["blocks"] if b.get("block_id") == "carrier")["optional"] is False
    writes = len(shop.katana.writes())

    nothing = await shop.workspace.submit_view(ANA, form, {"packed": [], "carrier": "UPS"})
    assert nothing.json["errors"] == {"packed": "Tick at least one packed shipment the carrier took."}
    crafted = copy.deepcopy(form)  # Slack's client would not submit the required carrier empty; a crafted one
    next(b for b in crafted["blocks"] if b.get("block_id") == "carrier")["optional"] = True
    no_carrier = await shop.workspace.submit_view(ANA, crafted, {"packed": [str(packed["id"])]})
    assert no_carrier.json["errors"] == {"carrier": f"Enter the carrier: #{packed['id']} has none yet."}
    assert len(shop.katana.writes()) == writes and await shop.store.actions.all() == []

    await shop.workspace.submit_view(ANA, form, {"packed": [str(packed["id"])], "carrier": "UPS"})
    await shop.settle()
    fulfilment = shop.katana.fulfillments[packed["id"]]
    assert (fulfilment["status"], fulfilment["tracking_carrier"], fulfilment["tracking_number"]) == (
        "DELIVERED", "UPS", None)


async def test_delivered_meanwhile_in_katana_is_not_written_again(shop: Sandbox) -> None:
    message = await pack_from_the_ship_task(shop)
    [fulfilment] = shop.katana.fulfillments.values()
    form = await tap_mark_delivered(shop, BEN, message)
    await shop.bot.katana.client.patch(f"/sales_order_fulfillments/{fulfilment['id']}", {"status": "DELIVERED"})
    writes = len(shop.katana.writes())

    await shop.workspace.submit_view(BEN, form, {"packed": [str(fulfilment["id"])]})
    await shop.settle()

    assert len(shop.katana.writes()) == writes  # checked first: nothing to write
    assert (await shop.store.tasks.get(SHIP_TASK)).status == "done"
    assert "nothing new (already delivered)" in (await shop.message_with("handed SO-7"))["text"]


async def test_a_delivery_whose_answers_were_lost_delivers_once(shop: Sandbox) -> None:
    message = await pack_from_the_ship_task(shop)
    batch = batch_of_mo101(shop)
    [fulfilment] = shop.katana.fulfillments.values()
    form = await tap_mark_delivered(shop, BEN, message)
    # Katana books the PATCH and the answers to it and the client's retries are lost: the action waits for Katana.
    attempts = shop.bot.katana.client._max_attempts
    shop.katana.fail_next(attempts, status=504, method="PATCH", path_prefix="/sales_order_fulfillments",
                          apply_first=True)
    await shop.workspace.submit_view(BEN, form, {"packed": [str(fulfilment["id"])]})
    await shop.settle()
    [action] = [a for a in await shop.store.actions.all() if a.input.get("method") == "deliver"]
    assert action.status == "waiting" and fulfilment["status"] == "DELIVERED" and in_stock(shop, batch) == 0
    patches = len(shop.katana.writes("/sales_order_fulfillments/"))

    await shop.bot.recorder.record(action.id)
    await shop.settle()

    assert patches == attempts  # (a repeat of the PATCH changed nothing: the stock left once)
    assert len(shop.katana.writes("/sales_order_fulfillments/")) == patches  # it looked, and wrote nothing more
    assert (await shop.store.actions.get(action.id)).status == "recorded"  # type: ignore[union-attr]
    assert in_stock(shop, batch) == 0 and (await shop.store.tasks.get(SHIP_TASK)).status == "done"
