"""An ingredient not used at all: Katana's ProductionIngredientDto refuses a quantity of 0 (live-gateway.yaml:
`quantity` is "not 0"), so the form says so under that field, with what to do instead, and nothing is saved.
(Found by an outside attack, which expected 0 to be recorded: the published contract does not allow it.)
Fails if 0 is passed through to Katana (no refusal) or refused with the generic "more than 0"."""
from __future__ import annotations

from sandbox.harness import Sandbox
from sandbox.katana_seed import ONIONS_VARIANT_ID
from tests.test_scenario_ingredients import ANA, recipe_rows, soup_task


async def test_an_ingredient_left_out_is_refused_at_its_field_saying_why(shop: Sandbox) -> None:
    mo, form = await soup_task(shop)
    onions = recipe_rows(shop, mo)[ONIONS_VARIANT_ID]
    reply = await shop.workspace.submit_view(ANA, form, {"quantity": "118", "batch": "B-9", "crate": "C-1",
                                                         f"ing_q_{onions}": "0"})
    assert reply.json["response_action"] == "errors", reply.json
    said = reply.json["errors"][f"ing_q_{onions}"]
    assert "Katana cannot book 0" in said and "supervisor" in said
    await shop.settle()
    assert not shop.katana.productions and await shop.store.db["floor_actions"].count_documents({}) == 0
