"""/ship recorded once (from an outside attack: tests/test_attack_ship_twice.py and test_attack_delivery.py on
branch attack).

- The same /ship entered twice by one person (the first modal was closed on "Recording…", so they did it
  again): asked to confirm, as /cook asks (commands/claiming.py, same facts within 10 minutes).
- Two people marking the same packed shipment delivered at once from /ship (no task between them): one
  PATCH, one announcement."""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from sandbox.harness import Sandbox, shop_floor
from sandbox.katana_seed import SO7_ID, SO7_ROW_ID
from sandbox.katana_trade import shipped_of
from tests.test_scenario_deliver import ANA, BEN, pack_from_the_ship_task


async def ship_form(shop: Sandbox) -> dict:
    pick = await shop.form_from_command(ANA, "/ship")
    await shop.workspace.submit_view(ANA, pick, {"so": str(SO7_ID), "method": "carrier"})
    return await shop.view_becomes(pick["id"], "ship_form")


async def test_the_same_shipment_entered_twice_is_asked_about_before_shipping_twice(shop: Sandbox) -> None:
    first = await ship_form(shop)
    await shop.workspace.submit_view(ANA, first, {f"q_{SO7_ROW_ID}": "4", "carrier": "DHL", "tracking": "JD0142"})
    await shop.settle()
    again = await ship_form(shop)
    await shop.workspace.submit_view(ANA, again, {f"q_{SO7_ROW_ID}": "4", "carrier": "DHL", "tracking": "JD0142"})
    await shop.settle()
    assert shipped_of(shop.katana, SO7_ROW_ID) == 4, "the same parcel (same tracking number) booked twice"
    asked = shop.slack.views[again["id"]]
    assert "You entered exactly this /ship" in str(asked["blocks"]) and "4 × SOUP-TOM-500" in str(asked["blocks"])
    assert asked["submit"]["text"] == "Record it again"
    await shop.workspace.submit_view(ANA, asked, {})  # really a second parcel: recorded, by carrier, once
    await shop.workspace.submit_view(ANA, asked, {})
    await shop.settle()
    assert shipped_of(shop.katana, SO7_ROW_ID) == 8 and len(shop.katana.fulfillments) == 2
    assert len(shop.messages_with("shipped SO-7")) == 2


async def test_the_same_tracking_number_or_the_same_rows_are_asked_about_other_entries_are_not(shop: Sandbox) -> None:
    """Same order and tracking number (other quantities), or same order, rows and quantities (another tracking
    number): asked. Another person, or other rows and another tracking number: recorded at once."""
    first = await ship_form(shop)
    await shop.workspace.submit_view(ANA, first, {f"q_{SO7_ROW_ID}": "2", "carrier": "DHL", "tracking": "JD0142"})
    await shop.settle()
    same_tracking = await ship_form(shop)
    await shop.workspace.submit_view(ANA, same_tracking, {f"q_{SO7_ROW_ID}": "3", "carrier": "DHL", "tracking": "jd0142"})
    same_rows = await ship_form(shop)
    await shop.workspace.submit_view(ANA, same_rows, {f"q_{SO7_ROW_ID}": "2", "carrier": "UPS", "tracking": "1Z9"})
    await shop.settle()
    assert shipped_of(shop.katana, SO7_ROW_ID) == 2
    for form in (same_tracking, same_rows):
        assert shop.slack.views[form["id"]]["submit"]["text"] == "Record it again"
    other = await ship_form(shop)
    await shop.workspace.submit_view(ANA, other, {f"q_{SO7_ROW_ID}": "1", "carrier": "UPS", "tracking": "1Z8"})
    pick = await shop.form_from_command(BEN, "/ship")
    await shop.workspace.submit_view(BEN, pick, {"so": str(SO7_ID), "method": "carrier"})
    ben = await shop.view_becomes(pick["id"], "ship_form")
    await shop.workspace.submit_view(BEN, ben, {f"q_{SO7_ROW_ID}": "2", "carrier": "DHL", "tracking": "JD0142"})
    await shop.settle()
    assert shipped_of(shop.katana, SO7_ROW_ID) == 5  # 2 + Ana's 1 + Ben's 2


async def deliver_form_from_command(shop: Sandbox, user: str, so_id: int) -> dict:
    pick = await shop.form_from_command(user, "/ship")
    await shop.workspace.submit_view(user, pick, {"so": str(so_id), "method": "deliver"})
    return await shop.view_becomes(pick["id"], "ship_form", "packed and waiting for pickup")


async def test_two_people_delivering_from_ship_command_at_once_deliver_and_announce_once(shop: Sandbox) -> None:
    await pack_from_the_ship_task(shop)
    [fulfilment] = shop.katana.fulfillments.values()
    ana_form = await deliver_form_from_command(shop, ANA, SO7_ID)
    ben_form = await deliver_form_from_command(shop, BEN, SO7_ID)

    await asyncio.gather(
        shop.workspace.submit_view(ANA, ana_form, {"packed": [str(fulfilment["id"])], "tracking": "JD1"}),
        shop.workspace.submit_view(BEN, ben_form, {"packed": [str(fulfilment["id"])], "tracking": "JD2"}))
    await shop.settle()

    assert fulfilment["status"] == "DELIVERED"
    patches = [r.body for r in shop.katana.writes(f"/sales_order_fulfillments/{fulfilment['id']}")]
    told = [m.get("text") for m in shop.slack.messages if "1 packed shipment delivered" in str(m.get("text"))]
    assert len(patches) == 1, patches  # JD2 overwrote JD1: Katana's tracking is the loser's
    assert len(told) == 1, told
    assert len(shop.messages_with("handed SO-7 to the carrier")) == 1  # not even "nothing new" for the second
    winner = ANA if fulfilment["tracking_number"] == "JD1" else BEN
    loser_form = ben_form if winner == ANA else ana_form
    busy = str(shop.slack.views[loser_form["id"]]["blocks"])
    assert f"<@{winner}> started recording /ship for *SO-7*" in busy and "Nothing was recorded for you" in busy


async def test_once_the_first_delivery_is_finished_the_order_can_be_delivered_again(shop: Sandbox) -> None:
    """The order's claim lasts while its recording is unfinished: a later Mark delivered of what was packed
    since is recorded (and a refused one frees the order at once)."""
    from sandbox.katana_seed import SOUP_BATCH_ID
    from sandbox.katana_trade import SO8_ID, SO8_ROW_IDS
    soup, chili = SO8_ROW_IDS

    async def packed(row: int, carrier: str | None) -> dict:
        return await shop.bot.katana.client.post("/sales_order_fulfillments", {
            "sales_order_id": SO8_ID, "status": "PACKED", "tracking_carrier": carrier, "sales_order_fulfillment_rows": [
                {"sales_order_row_id": row, "quantity": 1, "traceability": [{"batch_id": SOUP_BATCH_ID, "quantity": "1"}]}]})
    first = await packed(soup, "UPS")
    form = await deliver_form_from_command(shop, ANA, SO8_ID)
    await shop.workspace.submit_view(ANA, form, {"packed": [str(first["id"])]})
    await shop.settle()
    second = await packed(soup, "UPS")
    form = await deliver_form_from_command(shop, BEN, SO8_ID)
    shop.katana.fulfillments[second["id"]]["status"] = "DELIVERED"  # delivered in Katana's app meanwhile …
    shop.katana.fulfillments.pop(second["id"])  # … and then deleted there: Ben's delivery is refused
    await shop.workspace.submit_view(BEN, form, {"packed": [str(second["id"])]})
    await shop.settle()
    third = await packed(soup, "UPS")
    form = await deliver_form_from_command(shop, BEN, SO8_ID)
    await shop.workspace.submit_view(BEN, form, {"packed": [str(third["id"])]})
    await shop.settle()
    assert [shop.katana.fulfillments[f["id"]]["status"] for f in (first, third)] == ["DELIVERED", "DELIVERED"]
    assert len(shop.messages_with("1 packed shipment delivered")) == 2


@pytest.fixture
async def fba_shop() -> AsyncIterator[Sandbox]:
    async with shop_floor(fba_location="Amazon FBA") as sandbox:
        yield sandbox


async def test_a_confirmed_fba_shipment_is_recorded_as_a_transfer_to_fba(fba_shop: Sandbox) -> None:
    """"Record it again" runs the plan the entry was made for (here the FBA transfer, not a fulfilment)."""
    from tests.test_scenario_ship import ship_form as form_for
    shop = fba_shop
    first = await form_for(shop, SO7_ID, method="fba")
    await shop.workspace.submit_view(ANA, first, {f"q_{SO7_ROW_ID}": "3", "shipment": "FBA15A", "pallets": "1"})
    await shop.settle()
    again = await form_for(shop, SO7_ID, method="fba")
    await shop.workspace.submit_view(ANA, again, {f"q_{SO7_ROW_ID}": "3", "shipment": "FBA15B", "pallets": "1"})
    await shop.settle()
    assert [t["stock_transfer_number"] for t in shop.katana.stock_transfers.values()] == ["FBA15A"]
    await shop.workspace.submit_view(ANA, shop.slack.views[again["id"]], {})
    await shop.settle()
    transfers = {t["stock_transfer_number"]: t["status"] for t in shop.katana.stock_transfers.values()}
    assert transfers == {"FBA15A": "inTransit", "FBA15B": "inTransit"} and shop.katana.fulfillments == {}
