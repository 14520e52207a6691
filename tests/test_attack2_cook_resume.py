"""Attack 2: an MO finished or deleted in Katana while a /cook waits for Katana *after* its note.

load_order reads the MO fresh "before the first write" so that an MO finished or deleted in Katana's own
app is refused with nothing more written. But /cook's first write is now the note, and a cook that waits
after it (Katana answering 503 to the batch POST) is resumed by the worker from the step it stopped at:
nobody looks at the MO again. Katana's webhook has meanwhile closed the MO's tasks ("MO done/deleted in
Katana"), yet the worker creates the batch (Katana cannot delete a batch: by hand) and sends the production,
which Katana refuses; the supervisors get a "needs a decision" with Retry (futile) for an order that is gone
or finished, worded as Katana's "has no such record" / refusal rather than why.
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from sandbox.harness import Sandbox, shop_floor
from sandbox.katana_seed import MO101_ID
from tests.test_scenario_katana_faults import resume_now

ANA = "U0ANA"
COOK = {"mo": str(MO101_ID), "quantity": "30", "batch": "B-30", "crate": "C-30"}


def batches_named(shop: Sandbox, number: str) -> list[dict]:
    return [b for b in shop.katana.batches.values() if b.get("batch_number") == number]


@pytest.mark.parametrize("change", ["finished", "deleted"])
async def test_an_mo_changed_in_katana_while_its_cook_waited_after_the_note_gets_nothing_more(change: str) -> None:
    async with shop_floor(supervisor_channel="C0SUPER", supervisors="U0SUP") as shop:
        form = await shop.form_from_command(ANA, "/cook")
        shop.katana.fail_next(2, status=503, method="POST", path_prefix="/batches")
        await shop.workspace.submit_view(ANA, form, COOK)
        await shop.settle()
        assert "crate C-30" in shop.katana.manufacturing_orders[MO101_ID]["additional_info"]  # the note is in
        assert batches_named(shop, "B-30") == []
        if change == "finished":
            shop.katana.finish_order_in_app(MO101_ID, Decimal(120))
        else:
            shop.katana.delete_order_in_app(MO101_ID)
        await shop.settle()  # its webhook comes in time: the MO's tasks are closed

        for _ in range(4):
            await resume_now(shop)
            if (await shop.store.db["floor_actions"].find_one({}))["status"] != "waiting":
                break

        assert batches_named(shop, "B-30") == [], f"a batch was created on an MO {change} in Katana"
        assert not shop.messages_with("needs a decision"), [m["text"] for m in shop.messages_with("needs a decision")]
        # (added with the fix) the person is told why, and the note of a cook Katana never got is taken back
        told = (await shop.message_with("/cook for MO-101 was not"))["text"]
        assert ("is already done in Katana" if change == "finished" else "is no longer in Katana") in told, told
        assert "nothing more was written" in told and "taken back out: the note on MO-101" in told, told
        if change == "finished":
            assert "crate C-30" not in shop.katana.manufacturing_orders[MO101_ID]["additional_info"]
