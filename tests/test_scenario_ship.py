"""/ship end to end: signed Slack requests to the real app, the fake Katana checked against its spec."""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from decimal import Decimal

import pytest

from sandbox.harness import Sandbox, shop_floor
from sandbox.katana_seed import (
    CENTRAL_KITCHEN_ID,
    FBA_LOCATION_ID,
    MO101_ID,
    SO7_ID,
    SO7_ROW_ID,
    SOUP_BATCH_ID,
    SOUP_VARIANT_ID,
)
from sandbox.katana_trade import SO8_ID, SO8_ROW_IDS, shipped_of

ANA = "U0ANA"


@pytest.fixture
async def fba_shop() -> AsyncIterator[Sandbox]:
    async with shop_floor(fba_location="Amazon FBA") as sandbox:
        yield sandbox
        await sandbox.settle()
        assert sandbox.katana.violations == [] and sandbox.katana.server_errors == []


async def view_with(shop: Sandbox, view_id: str, callback_id: str, timeout: float = 5.0) -> dict:
    """The modal once the bot has replaced it with the view `callback_id` (after its "Loading…")."""
    return await shop.view_becomes(view_id, callback_id, timeout=timeout)


async def ship_form(shop: Sandbox, so_id: int, method: str = "carrier") -> dict:
    pick = await shop.form_from_command(ANA, "/ship")
    assert pick["callback_id"] == "ship_pick"
    reply = await shop.workspace.submit_view(ANA, pick, {"so": str(so_id), "method": method})
    assert reply.acked_in_time and reply.json["response_action"] == "update"
    return await view_with(shop, pick["id"], "ship_form")


def batch_stock(shop: Sandbox, batch_id: int, location_id: int) -> Decimal:
    return Decimal(shop.katana.batch_stock(batch_id, location_id)["quantity_in_stock"])


async def test_ship_records_a_fulfilment_with_batch_carrier_and_tracking(shop: Sandbox) -> None:
    form = await ship_form(shop, SO7_ID)
    assert "120" in str(form["blocks"]) and "B-SOUP-0412" in str(form["blocks"])  # prefilled from order and stock
    reply = await shop.workspace.submit_view(ANA, form, {f"q_{SO7_ROW_ID}": "8", "carrier": "DHL", "tracking": "JD0142"})
    assert reply.json["response_action"] == "update"
    await shop.settle()

    [fulfilment] = shop.katana.fulfillments.values()
    assert fulfilment["sales_order_id"] == SO7_ID and fulfilment["status"] == "DELIVERED"
    assert (fulfilment["tracking_carrier"], fulfilment["tracking_number"]) == ("DHL", "JD0142")
    [row] = fulfilment["sales_order_fulfillment_rows"]
    assert row["sales_order_row_id"] == SO7_ROW_ID and row["quantity"] == 8
    assert row["batch_transactions"] == [{"batch_id": SOUP_BATCH_ID, "quantity": 8}]
    assert batch_stock(shop, SOUP_BATCH_ID, CENTRAL_KITCHEN_ID) == 2
    assert shop.katana.sales_orders[SO7_ID]["status"] == "PARTIALLY_DELIVERED"
    message = await shop.message_with("shipped SO-7")
    assert "8 × SOUP-TOM-500" in message["text"] and "tracking JD0142" in str(message["blocks"])
    assert "Recorded in Katana" in str(shop.slack.views[form["id"]]["blocks"])


async def test_over_shipping_is_refused_at_the_field_and_nothing_is_written(shop: Sandbox) -> None:
    form = await ship_form(shop, SO8_ID)
    soup, chili = SO8_ROW_IDS
    writes = len(shop.katana.writes())

    more_than_ordered = await shop.workspace.submit_view(ANA, form, {f"q_{soup}": "7", f"q_{chili}": "", "carrier": "UPS"})
    assert more_than_ordered.json["response_action"] == "errors"
    assert "6 of SOUP-TOM-500 left to ship" in more_than_ordered.json["errors"][f"q_{soup}"]

    more_than_in_stock = await shop.workspace.submit_view(ANA, form, {f"q_{soup}": "", f"q_{chili}": "3", "carrier": "UPS"})
    assert more_than_in_stock.json["errors"] == {f"q_{chili}": "No batch of CHILI-400 is in stock at the order's location."}

    nothing = await shop.workspace.submit_view(ANA, form, {f"q_{soup}": "", f"q_{chili}": "", "carrier": "UPS"})
    assert nothing.json["errors"] == {f"q_{soup}": "Enter the quantity of at least one row that goes out."}

    await shop.settle()
    assert len(shop.katana.writes()) == writes and shop.katana.fulfillments == {}
    assert await shop.store.actions.all() == []
    assert shop.slack.view_errors[form["id"]]  # the person sees the message under the field


async def test_batch_stock_is_checked_per_batch(shop: Sandbox) -> None:
    form = await ship_form(shop, SO7_ID)
    reply = await shop.workspace.submit_view(ANA, form, {f"q_{SO7_ROW_ID}": "11", "carrier": "DHL"})
    assert reply.json["errors"] == {f"q_{SO7_ROW_ID}": "Batch B-SOUP-0412 has only 10 in stock."}
    assert shop.katana.fulfillments == {}


async def test_shipping_the_whole_row_closes_the_ship_task(shop: Sandbox) -> None:
    shop.katana.finish_order_in_app(MO101_ID, 120)  # MO-101 (for SO-7) done in Katana: a SHIP task opens
    pick = await shop.form_from_task(ANA, "Ship task: MO-101")
    so = next(b for b in pick["blocks"] if b.get("block_id") == "so")
    assert so["element"]["initial_option"]["value"] == str(SO7_ID)  # the task's sales order, preselected
    await shop.workspace.submit_view(ANA, pick, {"method": "carrier"})
    form = await view_with(shop, pick["id"], "ship_form")
    assert "B-MO-101" in str(next(b for b in form["blocks"] if b.get("block_id") == f"b_{SO7_ROW_ID}")["element"]["initial_option"])
    await shop.workspace.submit_view(ANA, form, {f"q_{SO7_ROW_ID}": "120", "carrier": "Own van"})
    await shop.settle()

    assert shipped_of(shop.katana, SO7_ROW_ID) == 120
    task = await shop.store.tasks.get(f"ship:{MO101_ID}")
    assert task is not None and task.status == "done" and task.done_by == "Ana Lopez"
    assert shop.messages_with("Ship done: MO-101")
    assert shop.katana.sales_orders[SO7_ID]["status"] == "DELIVERED"


async def test_double_submitted_form_ships_once(shop: Sandbox) -> None:
    form = await ship_form(shop, SO7_ID)
    values = {f"q_{SO7_ROW_ID}": "2", "carrier": "DHL"}
    await asyncio.gather(shop.workspace.submit_view(ANA, form, values), shop.workspace.submit_view(ANA, form, values))
    await shop.settle()
    assert len(shop.katana.fulfillments) == 1 and len(await shop.store.actions.all()) == 1


async def test_fba_ship_records_a_stock_transfer_to_the_fba_location(fba_shop: Sandbox) -> None:
    shop = fba_shop
    form = await ship_form(shop, SO7_ID, method="fba")
    assert "Amazon FBA" in str(form["blocks"])
    await shop.workspace.submit_view(ANA, form, {f"q_{SO7_ROW_ID}": "6", "shipment": "FBA15XK2", "pallets": "2"})
    await shop.settle()

    [transfer] = shop.katana.stock_transfers.values()
    assert transfer["stock_transfer_number"] == "FBA15XK2"
    assert (transfer["source_location_id"], transfer["target_location_id"]) == (CENTRAL_KITCHEN_ID, FBA_LOCATION_ID)
    assert "2 pallets" in transfer["additional_info"] and "SO-7" in transfer["additional_info"]
    [row] = transfer["stock_transfer_rows"]
    assert row["variant_id"] == SOUP_VARIANT_ID and row["quantity"] == 6
    sent = [r for r in shop.katana.requests if r.method == "POST" and r.path == "/stock_transfers"]
    assert sent[0].body["stock_transfer_rows"][0]["quantity"] == "6"  # a string, as the spec wants
    # Set in transit after creation (a new transfer is a draft in the sandbox; the old /ship never set it):
    # the stock has left the kitchen and is not at Amazon until Amazon receives it.
    assert transfer["status"] == "inTransit"
    [status] = [r for r in shop.katana.requests if r.path == f"/stock_transfers/{transfer['id']}/status"]
    assert (status.method, status.body, status.status) == ("PATCH", {"status": "inTransit"}, 200)
    assert batch_stock(shop, SOUP_BATCH_ID, CENTRAL_KITCHEN_ID) == 4
    assert batch_stock(shop, SOUP_BATCH_ID, FBA_LOCATION_ID) == 24
    [action] = await shop.store.actions.all()
    assert action.step("send_fba_transfer").result == {"transfer_status": "inTransit", "wrote": True}
    assert shop.katana.fulfillments == {}
    assert "sent *SO-7* to Amazon FBA" in str((await shop.message_with("to Amazon FBA"))["blocks"])

    again = await ship_form(shop, SO7_ID, method="fba")  # what went to FBA counts as shipped for the order
    assert "6 shipped" in str(again["blocks"])


async def test_an_fba_transfer_left_waiting_is_resumed_without_moving_it_back(fba_shop: Sandbox) -> None:
    """The status step is its own, resumable step: Katana down after the transfer was created leaves only
    the status to set; if someone marked the transfer received meanwhile, the resumed step leaves it so."""
    shop = fba_shop
    form = await ship_form(shop, SO7_ID, method="fba")
    shop.katana.fail_next(20, status=503, method="PATCH", path_prefix="/stock_transfers")
    await shop.workspace.submit_view(ANA, form, {f"q_{SO7_ROW_ID}": "6", "shipment": "FBA15XK3", "pallets": "1"})
    await shop.settle()
    [action] = await shop.store.actions.all()
    [transfer] = shop.katana.stock_transfers.values()
    assert action.status == "waiting" and action.step("record_fba_transfer").state == "done"
    assert action.step("send_fba_transfer").state == "pending" and transfer["status"] == "draft"

    shop.katana._faults.clear()
    transfer["status"] = "received"  # Amazon's receipt, booked by a person in Katana's app
    patches = len(shop.katana.writes("/stock_transfers/"))
    await shop.bot.recorder.record(action.id)
    await shop.settle()
    done = await shop.store.actions.get(action.id)
    assert done is not None and done.status == "recorded"
    assert done.step("send_fba_transfer").result == {"transfer_status": "received", "wrote": True}
    assert len(shop.katana.writes("/stock_transfers/")) == patches and transfer["status"] == "received"


async def test_fba_without_fba_location_is_refused_at_the_field(shop: Sandbox) -> None:
    pick = await shop.form_from_command(ANA, "/ship")
    reply = await shop.workspace.submit_view(ANA, pick, {"so": str(SO7_ID), "method": "fba"})
    assert "FBA_LOCATION" in reply.json["errors"]["method"]


async def test_a_fulfilment_whose_answer_was_lost_is_not_recorded_twice(shop: Sandbox) -> None:
    form = await ship_form(shop, SO7_ID)
    shop.katana.fail_next(status=504, method="POST", path_prefix="/sales_order_fulfillments", apply_first=True)
    await shop.workspace.submit_view(ANA, form, {f"q_{SO7_ROW_ID}": "3", "carrier": "DHL"})
    await shop.settle()
    [action] = await shop.store.actions.all()
    assert action.step("record_fulfilment").state == "unknown"

    await shop.bot.recorder.record(action.id)
    await shop.settle()
    assert len(shop.katana.fulfillments) == 1 and len(shop.katana.writes("/sales_order_fulfillments")) == 1
    assert (await shop.store.actions.get(action.id)).status == "recorded"  # type: ignore[union-attr]


async def test_stock_gone_while_the_form_was_open_is_refused_before_writing(shop: Sandbox) -> None:
    form = await ship_form(shop, SO7_ID)
    shop.katana.add_batch_stock(SOUP_BATCH_ID, CENTRAL_KITCHEN_ID, Decimal(-8))  # shipped by hand meanwhile
    await shop.workspace.submit_view(ANA, form, {f"q_{SO7_ROW_ID}": "5", "carrier": "DHL"})
    await shop.settle()
    assert shop.katana.fulfillments == {}
    outcome = str(shop.slack.views[form["id"]]["blocks"])
    assert "Batch B-SOUP-0412 has only 2 in stock" in outcome and "Recorded in Katana: nothing" in outcome
