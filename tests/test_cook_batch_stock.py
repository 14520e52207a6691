"""An ingredient batch emptied since the cook task was made is refused at its field, before anything is written.

The /cook form offers the batches that had stock when the task was made; by the time the cook records, the
suggested one may be empty or short (found by `make faults` at full size: the seed's old olive-oil batch ran
out after eight soups). Before, the bot created the output batch and noted the MO, Katana refused the
production and the supervisors got the action to decide. Now the submission reads the named batch's stock
(commands/batch_stock.py): short → said under the batch field, nothing saved, nothing written; a read that
fails lets the cook through (Katana's refusal stays the backstop, as it does for a batch emptied after the
check). Stock is moved in the Katana sandbox's books, as another kettle or a stock count would move it.
"""
from __future__ import annotations

import time
from decimal import Decimal

from sandbox.harness import Sandbox
from sandbox.katana_seed import CHILI_VARIANT_ID, OIL_BATCH_ID, OIL_BATCH_NUMBER, OIL_OLD_BATCH_ID
from sandbox.katana_trade import OLIVE_OIL_MATERIAL_ID, OLIVE_OIL_VARIANT_ID
from tests.test_hostile_text import HOSTILE
from tests.test_scenario_ingredients import ANA, KITCHEN, in_batch, recipe_rows, soup_task

COOKED = {"quantity": "118", "batch": "B-9", "crate": "C-1"}  # the plan for 118 takes 1.18 l of olive oil


def leave_in_batch(shop: Sandbox, batch_id: int, left: str) -> None:
    """Another kettle (or a stock count) took the rest of the batch since the form was opened."""
    taken = in_batch(shop, batch_id) - Decimal(left)
    shop.katana.add_batch_stock(batch_id, KITCHEN, -taken)
    shop.katana.add_stock(OLIVE_OIL_VARIANT_ID, KITCHEN, -taken)


def calls_since(shop: Sandbox, first: int) -> list[tuple[str, str]]:
    return [(r.method, r.path) for r in shop.katana.requests[first:]]


def stock_reads(shop: Sandbox, first: int) -> list[dict[str, str]]:
    return [dict(r.query) for r in shop.katana.requests[first:] if r.path == "/batch_stocks"]


async def test_a_batch_emptied_since_the_task_is_refused_at_its_field_and_nothing_is_written(shop: Sandbox) -> None:
    """Mutation caught: cook.COMMAND without `check` (recorded, then refused by Katana after the batch B-9
    was created: the old behaviour), or a check that reads Katana but never refuses."""
    mo, form = await soup_task(shop)
    oil = f"ing_b_{recipe_rows(shop, mo)[OLIVE_OIL_VARIANT_ID]}"
    assert form_choice(form, oil) == str(OIL_BATCH_ID)  # the suggestion: 250 l when the task was made
    leave_in_batch(shop, OIL_BATCH_ID, "0.5")
    first = len(shop.katana.requests)

    reply = await shop.workspace.submit_view(ANA, form, COOKED)

    assert reply.json["response_action"] == "errors", reply.json
    said = reply.json["errors"]
    assert list(said) == [oil]
    assert said[oil] == (f"Batch {OIL_BATCH_NUMBER} has only 0.5 l left in Katana; this cook takes 1.18 l of "
                         "Olive oil. Choose the batch you took it from. If it was "
                         f"{OIL_BATCH_NUMBER}, ask a supervisor to correct its stock in Katana first.")
    await shop.settle()
    assert shop.katana.writes() == [] and await shop.store.db["floor_actions"].count_documents({}) == 0
    assert stock_reads(shop, first) == [{"batch_id": str(OIL_BATCH_ID), "location_id": str(KITCHEN),
                                         "limit": "250", "page": "1"}]
    assert calls_since(shop, first) == [("GET", "/batch_stocks")]  # nothing else was asked or written


async def test_a_batch_katana_no_longer_lists_is_said_to_be_empty_and_another_one_records(shop: Sandbox) -> None:
    """Katana leaves empty batches out of getBatchStock: none listed is empty, not unknown. Choosing the batch
    really used then records as before. Mutation caught: an absent row taken as "could not tell"."""
    mo, form = await soup_task(shop)
    oil = f"ing_b_{recipe_rows(shop, mo)[OLIVE_OIL_VARIANT_ID]}"
    leave_in_batch(shop, OIL_BATCH_ID, "0")

    reply = await shop.workspace.submit_view(ANA, form, COOKED)
    assert reply.json["errors"][oil].startswith(f"Batch {OIL_BATCH_NUMBER} is empty in Katana; this cook takes "
                                                "1.18 l of Olive oil.")
    leave_in_batch(shop, OIL_OLD_BATCH_ID, "2")  # the old batch was topped up: the cook took it from there
    reply = await shop.workspace.submit_view(ANA, form, {**COOKED, oil: str(OIL_OLD_BATCH_ID)})

    assert reply.json["response_action"] == "update", reply.json
    await shop.message_with("cooked 118")
    assert in_batch(shop, OIL_OLD_BATCH_ID) == Decimal("0.82")


async def test_a_batch_holding_exactly_what_the_cook_takes_records_as_before(shop: Sandbox) -> None:
    """The check costs one read before the 5 calls of a /cook from its task (bench row 2). Mutation caught:
    `left > need` for `left >= need` (the exact amount refused), or the check asking more than once."""
    mo = shop.katana.create_manufacturing_order(variant_id=CHILI_VARIANT_ID, planned_quantity=5)
    warm = await shop.form_from_task(ANA, f"Cook task: {mo['order_no']}")  # the first /cook reads the operators
    await shop.workspace.submit_view(ANA, warm, {"quantity": "5", "batch": "WARM-1", "crate": "C-0"})
    await shop.settle()
    mo, form = await soup_task(shop)
    leave_in_batch(shop, OIL_BATCH_ID, "1.18")
    first = len(shop.katana.requests)

    reply = await shop.workspace.submit_view(ANA, form, COOKED)

    assert reply.json["response_action"] == "update", reply.json
    await shop.message_with("cooked 118")
    assert in_batch(shop, OIL_BATCH_ID) == 0
    assert calls_since(shop, first) == [
        ("GET", "/batch_stocks"), ("GET", f"/manufacturing_orders/{mo['id']}"),
        ("PATCH", f"/manufacturing_orders/{mo['id']}"), ("POST", "/batches"),
        ("POST", "/manufacturing_order_productions"), ("PATCH", calls_since(shop, first)[-1][1])]
    assert calls_since(shop, first)[-1][1].startswith("/manufacturing_order_operation_rows/")


async def test_a_stock_read_that_fails_lets_the_cook_through_without_retrying(shop: Sandbox) -> None:
    """Katana answering 503 to the check is no reason to stop the floor: recorded as before (Katana itself
    refuses the production if the batch really is short). Mutations caught: a failed read taken as "empty"
    (a spurious field error), or the check retrying (two reads of the budget before Slack's ack)."""
    mo, form = await soup_task(shop)
    shop.katana.fail_next(1, status=503, method="GET", path_prefix="/batch_stocks")
    first = len(shop.katana.requests)

    reply = await shop.workspace.submit_view(ANA, form, COOKED)

    assert reply.json["response_action"] == "update", reply.json
    await shop.message_with("cooked 118")
    assert len(stock_reads(shop, first)) == 1
    assert [p["manufacturing_order_id"] for p in shop.katana.productions.values()] == [mo["id"]]


async def test_a_stock_read_that_takes_too_long_is_given_up_before_slacks_ack_is_late(shop: Sandbox) -> None:
    """Slack waits 3 s for the answer to a submission: a stock read that hangs is abandoned after
    CHECK_SECONDS and the cook recorded unchecked. Mutation caught: the check without its deadline (the
    answer would come after the 5 s the read hangs)."""
    mo, form = await soup_task(shop)
    shop.katana.fail_next(1, method="GET", path_prefix="/batch_stocks", hang=5)
    started = time.monotonic()

    reply = await shop.workspace.submit_view(ANA, form, COOKED)

    assert reply.json["response_action"] == "update", reply.json
    assert time.monotonic() - started < 4  # CHECK_SECONDS is 1.5: margin for a loaded machine
    await shop.message_with("cooked 118")


async def test_a_batch_emptied_after_the_check_is_still_refused_by_katana(shop: Sandbox) -> None:
    """The check is advice: between it and the production the batch can still run out. Katana's refusal
    is the backstop, as before the check: nothing produced, the supervisors asked to decide."""
    mo, form = await soup_task(shop)
    shop.katana.fail_next(1, method="GET", path_prefix=f"/manufacturing_orders/{mo['id']}", hang=0.5)

    reply = await shop.workspace.submit_view(ANA, form, COOKED)  # checked: 250 l
    leave_in_batch(shop, OIL_BATCH_ID, "1")  # while the recording waits for its first read

    assert reply.json["response_action"] == "update", reply.json
    await shop.message_with("needs a decision")
    assert not shop.katana.productions and in_batch(shop, OIL_BATCH_ID) == 1
    [action] = await shop.store.db["floor_actions"].find({}).to_list(None)
    assert action["status"] == "failed"


async def test_a_typed_batch_number_is_checked_and_its_id_goes_with_the_action(shop: Sandbox) -> None:
    """No oil batch had stock when the task was made, so the form asks for the number on the container.
    Unknown there → said at the field; found with enough → recorded, looked up once in all (the recording
    takes the id the check found). Mutation caught: the found id not kept (the recording reads it again)."""
    leave_in_batch(shop, OIL_BATCH_ID, "0")
    leave_in_batch(shop, OIL_OLD_BATCH_ID, "0")
    mo, form = await soup_task(shop)
    oil = f"ing_b_{recipe_rows(shop, mo)[OLIVE_OIL_VARIANT_ID]}"
    assert "placeholder" in field(form, oil)["element"]  # a typed number, not a list

    reply = await shop.workspace.submit_view(ANA, form, {**COOKED, oil: "OIL-9999"})
    assert reply.json["errors"] == {oil: "Katana has no batch OIL-9999 of Olive oil in stock at this MO's "
                                         "location: check the number on the container."}
    leave_in_batch(shop, OIL_BATCH_ID, "5")  # the delivery was put away meanwhile
    first = len(shop.katana.requests)
    reply = await shop.workspace.submit_view(ANA, form, {**COOKED, oil: OIL_BATCH_NUMBER})

    assert reply.json["response_action"] == "update", reply.json
    confirmation = await shop.message_with("cooked 118")
    assert f"Olive oil from {OIL_BATCH_NUMBER}" in str(confirmation["blocks"])
    assert in_batch(shop, OIL_BATCH_ID) == Decimal("3.82")
    assert stock_reads(shop, first) == [{"batch_number": OIL_BATCH_NUMBER, "variant_id": str(OLIVE_OIL_VARIANT_ID),
                                         "limit": "250", "page": "1"}]


async def test_what_katana_holds_is_shown_as_typed_in_the_field_error(shop: Sandbox) -> None:
    """A field error is plain text: an ingredient name and a batch number typed in Katana are shown as they
    were typed, never escaped into `&lt;` (commands/mrkdwn.py), and appear in no mrkdwn. Mutation caught:
    the field error built with `escape`."""
    shop.katana.materials[OLIVE_OIL_MATERIAL_ID]["name"] = HOSTILE
    shop.katana.batches[OIL_BATCH_ID]["batch_number"] = "OIL<!channel>&1"
    mo, form = await soup_task(shop)
    oil = f"ing_b_{recipe_rows(shop, mo)[OLIVE_OIL_VARIANT_ID]}"
    leave_in_batch(shop, OIL_BATCH_ID, "0.5")

    reply = await shop.workspace.submit_view(ANA, form, COOKED)

    said = reply.json["errors"][oil]
    assert said.startswith("Batch OIL<!channel>&1 has only 0.5 l left in Katana; this cook takes 1.18 l of "
                           f"{HOSTILE[:60]}.")
    assert "&lt;" not in said and "&amp;" not in said
    await shop.settle()
    assert shop.katana.writes() == []


def field(form: dict, block_id: str) -> dict:
    return next(b for b in form["blocks"] if b.get("block_id") == block_id)


def form_choice(form: dict, block_id: str) -> str:
    return str(field(form, block_id)["element"]["initial_option"]["value"])
