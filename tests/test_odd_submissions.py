"""view_submission state.values of an unexpected shape (a modified client, properly signed).
commands/fields.py Form.raw assumes every block's value is a dict of dicts: `"selected_option" in element` on
a number raises TypeError, `.values()` on a list raises AttributeError → Slack got HTTP 500 (found by an outside attack; fails with the old Form.raw and read_reason)."""
from __future__ import annotations

import pytest

from sandbox.harness import FLOOR, Sandbox
from sandbox.slack_user import crafted_state_values
from tests.test_scenario_ingredients import soup_task
from tests.test_scenario_timers import tap

ANA = "U0ANA"


@pytest.mark.parametrize("odd", [{"quantity": 5}, ["5"], "5"], ids=["number", "list", "string"])
async def test_cook_with_an_oddly_shaped_quantity_state_is_refused_at_the_field(shop: Sandbox, odd: object) -> None:
    form = await shop.form_from_command(ANA, "/cook")
    state = crafted_state_values(form, {"mo": None, "quantity": "1", "batch": "B-1", "crate": "C-1"})
    state["quantity"] = odd
    reply = await shop.workspace.submit_crafted(ANA, form, state)
    assert reply.status == 200, reply.body
    assert reply.json["response_action"] == "errors"

async def test_a_pause_form_with_a_null_detail_is_answered(shop: Sandbox) -> None:
    mo, _ = await soup_task(shop)
    message = await shop.message_with(f"Cook task: {mo['order_no']}")
    await tap(shop, ANA, message, "task_start")
    before = len(shop.slack.calls)
    current = shop.slack.find_message(message["channel"], message["ts"])
    await shop.workspace.click_button(ANA, current, "task_pause", channel_id=FLOOR)
    form = await shop.opened_form(before)
    state = {"reason": {"reason": {"type": "radio_buttons", "selected_option": {
                 "text": {"type": "plain_text", "text": "Break"}, "value": "Break"}}},
             "detail": {"detail": None}}
    reply = await shop.workspace.submit_crafted(ANA, form, state)
    assert reply.status == 200, reply.body


@pytest.mark.parametrize("odd", [["1"], "1", {"packed": [1]}, {"packed": {"selected_options": "1"}}],
                         ids=["list", "string", "list-element", "string-options"])
async def test_a_mark_delivered_form_with_an_oddly_shaped_choice_is_refused_at_the_field(
        shop: Sandbox, odd: object) -> None:
    """commands/shipping/delivery.py read_delivery read the ticked shipments without checking their shape:
    a list where Slack sends an object answered 500 (fails with the old read)."""
    from tests.test_scenario_deliver import BEN, pack_from_the_ship_task, tap_mark_delivered
    form = await tap_mark_delivered(shop, BEN, await pack_from_the_ship_task(shop))
    writes = len(shop.katana.writes())
    reply = await shop.workspace.submit_crafted(BEN, form, {"packed": odd})
    assert reply.status == 200, reply.body
    assert reply.json["response_action"] == "errors" and "packed" in reply.json["errors"]
    await shop.settle()
    assert len(shop.katana.writes()) == writes
