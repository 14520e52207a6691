"""Crafted order ids in the order fields of /cook and /ship (a modified client, properly signed).

Every crafted id must be refused at its field (response_action errors), never a 500 / stack trace."""
from __future__ import annotations

import pytest

from sandbox.harness import Sandbox
from sandbox.slack_user import crafted_state_values

ANA = "U0ANA"

# "²" and "①" pass str.isdigit() (commands/order_fields.py `offered`) but int() refuses them: ValueError → HTTP 500.
# (Tried too, and refused properly: ids beyond int64, "-1", "abc", Arabic-Indic digits "١٠١" (int() reads them).)
CRAFTED = ["²", "¹²³", "①"]


@pytest.mark.parametrize("mo", CRAFTED)
async def test_cook_crafted_mo_id_is_refused_at_the_field(shop: Sandbox, mo: str) -> None:
    form = await shop.form_from_command(ANA, "/cook")
    values = {"mo": mo, "quantity": "10", "batch": "B-1", "crate": "C-1", "minutes": None}
    reply = await shop.workspace.submit_crafted(ANA, form, crafted_state_values(form, values))
    assert reply.status == 200, reply.body
    assert reply.json["response_action"] == "errors" and "mo" in reply.json["errors"]


@pytest.mark.parametrize("so", CRAFTED)
async def test_ship_crafted_so_id_is_refused_at_the_field(shop: Sandbox, so: str) -> None:
    form = await shop.form_from_command(ANA, "/ship")
    reply = await shop.workspace.submit_crafted(ANA, form, crafted_state_values(form, {"so": so, "method": "carrier"}))
    assert reply.status == 200, reply.body
    assert reply.json["response_action"] == "errors" and "so" in reply.json["errors"]


async def test_ship_crafted_batch_id_is_refused_at_the_field(shop: Sandbox) -> None:
    """commands/shipping/flow.py read_shipment: `int(raw_batch) if raw_batch.isdigit()` — "²" passes isdigit."""
    from sandbox.katana_seed import SO7_ID, SO7_ROW_ID
    from sandbox.slack_user import build_state_values
    pick = await shop.form_from_command(ANA, "/ship")
    await shop.workspace.submit_view(ANA, pick, {"so": str(SO7_ID), "method": "carrier"})
    form = await shop.view_becomes(pick["id"], "ship_form")
    state = build_state_values(form, {f"q_{SO7_ROW_ID}": "8", "carrier": "DHL"})
    batch = state[f"b_{SO7_ROW_ID}"][f"b_{SO7_ROW_ID}"]
    batch["selected_option"] = {"text": {"type": "plain_text", "text": "x"}, "value": "²"}
    writes = len(shop.katana.writes())
    reply = await shop.workspace.submit_crafted(ANA, form, state)
    assert reply.status == 200, reply.body
    assert reply.json["response_action"] == "errors"
    await shop.settle()
    assert len(shop.katana.writes()) == writes


def receive_state(po: str) -> dict:
    """/receive's photo form as a modified client sends it: one photo, and a crafted purchase order."""
    return {"photo": {"photo": {"type": "file_input", "files": [{"id": "F0CRAFTED", "name": "slip.jpg"}]}},
            "po": {"po": {"type": "static_select", "selected_option": {
                "text": {"type": "plain_text", "text": "x"}, "value": po}}}}


@pytest.mark.parametrize("po", CRAFTED)
async def test_receive_crafted_po_id_is_refused_at_the_field(shop: Sandbox, po: str) -> None:
    form = await shop.form_from_command(ANA, "/receive")
    reply = await shop.workspace.submit_crafted(ANA, form, receive_state(po))
    assert reply.status == 200, reply.body
    assert reply.json["response_action"] == "errors" and "po" in reply.json["errors"]


async def test_fba_crafted_pallet_count_is_refused_at_the_field() -> None:
    """commands/shipping/flow.py read_dispatch: `int(raw) if raw.isdigit()` for the pallets."""
    from sandbox.harness import shop_floor
    from sandbox.katana_seed import SO7_ID, SO7_ROW_ID
    from sandbox.slack_user import build_state_values
    async with shop_floor(fba_location="Amazon FBA") as shop:
        pick = await shop.form_from_command(ANA, "/ship")
        await shop.workspace.submit_view(ANA, pick, {"so": str(SO7_ID), "method": "fba"})
        form = await shop.view_becomes(pick["id"], "ship_form")
        state = build_state_values(form, {f"q_{SO7_ROW_ID}": "8", "shipment": "FBA15ABC", "pallets": "1"})
        next(iter(state["pallets"].values()))["value"] = "²"
        reply = await shop.workspace.submit_crafted(ANA, form, state)
        assert reply.status == 200, reply.body
        assert reply.json["response_action"] == "errors" and "pallets" in reply.json["errors"]
