"""Actions that need a decision reach supervisors with Retry / Cancel; Cancel undoes what it can."""
from __future__ import annotations

import copy
from decimal import Decimal

from sandbox.harness import Sandbox, shop_floor
from sandbox.katana_seed import CENTRAL_KITCHEN_ID, MO101_ID, SOUP_VARIANT_ID

ANA, BEN, SAM = "U0ANA", "U0BEN", "U0SUP"
COOK = {"mo": str(MO101_ID), "quantity": "30", "batch": "B-30", "crate": "C-30"}


async def cook_that_fails_halfway(shop: Sandbox) -> None:
    form = await shop.form_from_command(ANA, "/cook")
    shop.katana.fail_next(1, status=422, method="PATCH", path_prefix="/manufacturing_order_operation_rows")
    await shop.workspace.submit_view(ANA, form, COOK)
    await shop.settle()


def live_productions(shop: Sandbox) -> list[dict]:
    return [p for p in shop.katana.productions.values()
            if p["manufacturing_order_id"] == MO101_ID and not p["deleted_at"]]


async def test_cancel_with_undo_deletes_the_production_and_tells_everyone() -> None:
    async with shop_floor(supervisor_channel="C0SUPER", supervisors="U0SUP") as shop:
        stock_before = shop.katana.stock_of(SOUP_VARIANT_ID, CENTRAL_KITCHEN_ID)
        await cook_that_fails_halfway(shop)
        decision = await shop.message_with("needs a decision")
        assert decision["channel"] == "C0SUPER"
        recorded = "Recorded in Katana: note added to the MO, batch created, production recorded"  # (note first)
        assert recorded in str(decision["blocks"])
        assert len(live_productions(shop)) == 1

        refused = len(shop.slack.ephemerals)
        await shop.workspace.click_button(BEN, decision, "action_cancel", channel_id="C0SUPER")
        await shop.settle()
        assert len(shop.slack.ephemerals) == refused + 1, "only supervisors decide"

        await shop.workspace.click_button(SAM, decision, "action_cancel", channel_id="C0SUPER")
        await shop.settle()
        preview = shop.slack.find_message("C0SUPER", decision["ts"])
        assert "production #" in str(preview["blocks"]) and "undone automatically" in str(preview["blocks"])
        assert "Batch B-30 was created in Katana" in str(preview["blocks"])  # no API to delete: by hand
        assert "by Ana Lopez" in str(preview["blocks"])

        await shop.workspace.click_button(SAM, preview, "action_undo", channel_id="C0SUPER")
        await shop.settle()
        assert live_productions(shop) == []
        assert shop.katana.stock_of(SOUP_VARIANT_ID, CENTRAL_KITCHEN_ID) == stock_before
        assert "batch B-30" not in (shop.katana.manufacturing_orders[MO101_ID]["additional_info"] or "")  # note too
        action = await shop.store.db["floor_actions"].find_one({})
        assert action["status"] == "cancelled" and action["decided_by"] == "Sam Supervisor"
        told = await shop.message_with("was cancelled by Sam Supervisor")
        assert told["channel"] == "C0FLOOR" and "undone: production" in str(told["blocks"])


async def test_retry_finishes_the_action_without_doubling() -> None:
    async with shop_floor(supervisor_channel="C0SUPER", supervisors="U0SUP") as shop:
        await cook_that_fails_halfway(shop)
        decision = await shop.message_with("needs a decision")
        stale = copy.deepcopy(decision)  # a second supervisor's screen still shows the buttons
        await shop.workspace.click_button(SAM, decision, "action_retry", channel_id="C0SUPER")
        await shop.settle()
        assert len(live_productions(shop)) == 1
        assert (await shop.store.db["floor_actions"].find_one({}))["status"] == "recorded"
        assert "Retrying" in str(shop.slack.find_message("C0SUPER", decision["ts"])["blocks"])
        assert await shop.message_with("cooked 30")
        await shop.workspace.click_button(SAM, stale, "action_retry", channel_id="C0SUPER")
        await shop.settle()
        assert len(live_productions(shop)) == 1 and "already handled" in shop.slack.ephemerals[-1]["text"]


async def test_refusal_with_nothing_written_does_not_bother_supervisors() -> None:
    async with shop_floor(supervisor_channel="C0SUPER") as shop:
        form = await shop.form_from_command(ANA, "/cook")
        shop.katana.finish_order_in_app(MO101_ID, Decimal(120))
        await shop.workspace.submit_view(ANA, form, COOK)
        await shop.settle()
        assert shop.messages_with("needs a decision") == []
