"""A cook task's form switched to another MO: its ingredient fields are the task MO's recipe, so the choice is
refused at the order field and nothing is saved (found by an outside attack: it was accepted, then refused in the
channel with an untrue reason). Fails without commands.ingredients.same_order."""
from __future__ import annotations

from sandbox.harness import Sandbox
from tests.test_scenario_ingredients import ANA, soup_task


async def test_cook_task_form_switched_to_another_mo_is_answered_at_the_form(shop: Sandbox) -> None:
    """Once the open MOs are in the store, a cook task's form offers every open MO; the cook picks another one
    (the wrong task tapped). The ingredient rows (and their batches) in the form are the task MO's recipe
    rows; the submission is accepted ("Recording in Katana…"), then plan_ingredients refuses it in the
    channel with ":x: … The ingredients of MO-101 changed in Katana since the form was opened" — untrue, and
    after the form is gone. Expected: refused at the form (the ingredients are for the task's MO), nothing saved."""
    from sandbox.katana_seed import MO101_ID
    await shop.form_from_command(ANA, "/cook")  # the open MOs are in the store now
    mo, form = await soup_task(shop)
    offered = [o["value"] for o in next(b for b in form["blocks"] if b.get("block_id") == "mo")["element"]["options"]]
    assert str(MO101_ID) in offered
    reply = await shop.workspace.submit_view(ANA, form, {"mo": str(MO101_ID), "quantity": "100", "batch": "B-9",
                                                         "crate": "C-1"})
    await shop.settle()
    assert not [m for m in shop.slack.messages if "changed in Katana since the form was opened" in str(m.get("text"))]
    assert reply.json["response_action"] == "errors", reply.json
