"""The store fails (a MongoDB failover, sandbox/flaky_store.py) during the /ship pick step.

The /cook, /label, /pack and /ship form submissions turn a store error into "nothing was recorded, submit
again" at the form (bot/listeners/commands.py submit_handler). The /ship pick step (`ship_pick`,
commands/shipping/flow.py on_pick) has no such guard: Slack gets HTTP 500, or the modal is left on
"Loading the order…" for good."""
from __future__ import annotations

import asyncio

from sandbox.flaky_store import Faults, flaky_store
from sandbox.harness import shop_floor
from sandbox.katana_seed import SO7_ID

ANA = "U0ANA"


def once(match):  # noqa: ANN001, ANN201
    left = [True]
    return lambda call: match(call) and bool(left) and left.pop()


async def test_store_error_reading_the_open_orders_on_ship_pick_is_told_in_the_form() -> None:
    faults = Faults()
    async with shop_floor(store=flaky_store(faults)) as shop:
        pick = await shop.form_from_command(ANA, "/ship")
        faults.rule = once(lambda call: call.collection == "open_orders" and call.method == "find_one")
        reply = await shop.workspace.submit_view(ANA, pick, {"so": str(SO7_ID), "method": "carrier"})
        assert faults.failed
        assert reply.status == 200, reply.body  # not Slack's "We had some trouble connecting"
        assert reply.json and reply.json["response_action"] == "errors"


async def test_store_error_saving_the_ship_draft_does_not_leave_the_modal_loading_for_ever() -> None:
    faults = Faults()
    async with shop_floor(store=flaky_store(faults)) as shop:
        pick = await shop.form_from_command(ANA, "/ship")
        faults.rule = once(lambda call: call.collection == "modal_drafts" and call.method == "insert_one")
        reply = await shop.workspace.submit_view(ANA, pick, {"so": str(SO7_ID), "method": "carrier"})
        assert reply.status == 200
        await shop.settle()
        await asyncio.sleep(1.0)
        assert faults.failed, "the draft was saved elsewhere: adjust the rule"
        shown = str(shop.slack.views[pick["id"]]["blocks"])
        assert "Loading the order" not in shown, shown  # stuck: no form, no apology, no way on


async def test_store_error_saving_the_receive_draft_is_told_in_the_form() -> None:
    """commands/receiving/flow.py on_photo saves its draft before the ack, outside any PyMongoError guard."""
    from tests.test_crafted_ids import receive_state
    faults = Faults()
    async with shop_floor(store=flaky_store(faults)) as shop:
        form = await shop.form_from_command(ANA, "/receive")
        state = receive_state("x")
        del state["po"]  # no purchase order chosen: the slip says which
        faults.rule = once(lambda call: call.collection == "modal_drafts" and call.method == "insert_one")
        reply = await shop.workspace.submit_crafted(ANA, form, state)
        assert faults.failed
        assert reply.status == 200, reply.body
        assert reply.json and reply.json["response_action"] == "errors"


async def test_store_error_as_cook_opens_its_form_tells_the_person() -> None:
    """bot/listeners/commands.py slash_handler → commands/flow.py open_form reads the open orders from the store:
    a failover there escapes the listener, Bolt answers the slash command HTTP 404 {"error": "unhandled
    request"}, and Slack shows the person its own "/cook failed" error: no form, no "try again"."""
    faults = Faults()
    async with shop_floor(store=flaky_store(faults)) as shop:
        await shop.form_from_command(ANA, "/cook")  # loaded once
        ephemerals, views = len(shop.slack.ephemerals), set(shop.slack.views)
        faults.rule = once(lambda call: call.collection == "open_order_lists" and call.method == "find_one")
        reply = await shop.workspace.slash_command(ANA, "/cook", "", channel_id="C0FLOOR")
        await shop.settle()
        assert faults.failed
        assert reply.status == 200, (reply.status, reply.body)
        told = str(reply.json or "") + str(shop.slack.ephemerals[ephemerals:]) + str(
            [v for k, v in shop.slack.views.items() if k not in views])
        assert "again" in told, told


async def test_store_error_saving_the_delivery_draft_does_not_leave_mark_delivered_loading_for_ever() -> None:
    """The SHIP task's Mark delivered (commands/shipping/delivery.py open_delivery) opens "Loading what was
    packed…", then delivery_view saves a draft: a store error there escapes, and the modal stays on Loading."""
    from sandbox.harness import FLOOR
    from tests.test_scenario_deliver import BEN, pack_from_the_ship_task
    faults = Faults()
    async with shop_floor(store=flaky_store(faults)) as shop:
        message = await pack_from_the_ship_task(shop)
        views = set(shop.slack.views)
        faults.rule = once(lambda call: call.collection == "modal_drafts" and call.method == "insert_one")
        await shop.workspace.click_button(BEN, message, "task_deliver", channel_id=FLOOR)
        await shop.settle()
        await asyncio.sleep(1.0)
        assert faults.failed
        [opened] = [v for k, v in shop.slack.views.items() if k not in views]
        shown = str(opened["blocks"])
        assert "Loading what was packed" not in shown, shown
