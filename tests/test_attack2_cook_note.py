"""Attack 2: /cook's MO note echoes a read that can be older than another /cook's note on the same MO.

load_order's GET is made outside the order's note lock and is kept in the order memory by the time its
request was *sent*. A second /cook whose GET is sent while the first /cook's note PATCH is still on its way
(Katana answers the GET from the text before that PATCH lands) stores a view that is "newer" than the
first note's PATCH answer, so the first answer is dropped from the memory; the second note then echoes
that view (≤ NOTE_ECHO old, no webhook yet: Katana's webhooks take seconds) and its PATCH wipes the first
cook's crate line. Nobody is told: both cooks say "recorded".
"""
from __future__ import annotations

import asyncio

from sandbox.harness import Sandbox
from sandbox.katana_seed import MO101_ID

ANA, BEN = "U0ANA", "U0BEN"


def note_patches(shop: Sandbox) -> list:
    return [r for r in shop.katana.requests if r.method == "PATCH" and r.path == f"/manufacturing_orders/{MO101_ID}"]


async def test_two_cooks_of_one_mo_at_once_keep_both_crate_notes(shop: Sandbox) -> None:
    ana = await shop.form_from_command(ANA, "/cook")
    ben = await shop.form_from_command(BEN, "/cook")
    await shop.settle()
    shop.katana.webhooks.clear()  # Katana's webhooks about these writes come seconds later
    shop.katana.fail_next(1, method="PATCH", path_prefix=f"/manufacturing_orders/{MO101_ID}", hang=1.0)

    await shop.workspace.submit_view(ANA, ana, {"mo": str(MO101_ID), "quantity": "30", "batch": "A-1",
                                                "crate": "C-ANA"})
    for _ in range(200):  # Ana's note PATCH has left (Katana is slow to answer it)
        if note_patches(shop):
            break
        await asyncio.sleep(0.01)
    assert note_patches(shop), "Ana's note never went out: the test tested nothing"
    await shop.workspace.submit_view(BEN, ben, {"mo": str(MO101_ID), "quantity": "12", "batch": "B-1",
                                                "crate": "C-BEN"})
    await shop.settle()

    assert shop.messages_with("cooked 30") and shop.messages_with("cooked 12")  # both told "recorded"
    text = shop.katana.manufacturing_orders[MO101_ID]["additional_info"]
    assert "crate C-BEN" in text, text
    assert "crate C-ANA" in text, f"Ana's crate note was overwritten by Ben's note PATCH: {text!r}"
