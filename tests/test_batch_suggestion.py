"""MO numbers as Katana lets people type them, through the /cook task's prefilled batch number
(commands/cook.py suggested_batch). Found by an outside attack; fails with the MO number used as it is."""
from __future__ import annotations

import pytest

from sandbox.harness import Sandbox
from sandbox.katana_seed import SOUP_VARIANT_ID

ANA = "U0ANA"


@pytest.mark.parametrize("order_no", ["MO-1399 (rush)", "MO-" + "7" * 36, "МО-15"])
async def test_a_cook_task_form_submitted_untouched_records(shop: Sandbox, order_no: str) -> None:
    """A cook who only types the crate (what the README promises for a task form) must get it recorded. The
    suggested batch is built from the MO number: "(", Cyrillic letters, or a number long enough to make it
    exceed the field's 40 characters are refused by the bot's own CODE_PATTERN / max_len — on a value the
    bot filled in itself."""
    mo = shop.katana.create_manufacturing_order(variant_id=SOUP_VARIANT_ID, planned_quantity=10, order_no=order_no)
    form = await shop.form_from_task(ANA, f"Cook task: {order_no}")
    reply = await shop.workspace.submit_crafted(ANA, form, _untouched(form, crate="C-1"))
    assert reply.status == 200, reply.body
    assert reply.json["response_action"] == "update", reply.json
    await shop.settle()
    assert [p for p in shop.katana.productions.values() if p["manufacturing_order_id"] == mo["id"]]


def _untouched(form: dict, **typed: str) -> dict:
    """state.values as Slack's client sends a form whose prefilled values were left as they are."""
    from sandbox.slack_user import _element_state, _initial  # noqa: PLC2701
    state = {}
    for block in form["blocks"]:
        if block.get("type") != "input":
            continue
        element = block["element"]
        value = typed.get(block["block_id"], _initial(element))
        if element["type"] == "plain_text_input":
            state[block["block_id"]] = {element["action_id"]: {"type": element["type"], "value": value}}
        else:
            state[block["block_id"]] = {element["action_id"]: _element_state(element, value)}
    return state
