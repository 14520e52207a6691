"""What the kettle really used, and stock that ends at exactly what was packed — through signed Slack requests.

The Katana sandbox moves stock as Katana's docs describe (sandbox/katana_floor.py, katana_ingredients.py,
katana_adjustments.py); these tests read its books after the bot has recorded cook → label → pack.
"""
from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from sandbox.harness import Sandbox
from sandbox.katana_seed import (
    CENTRAL_KITCHEN_ID,
    JARS_VARIANT_ID,
    LABELS_VARIANT_ID,
    MO101_ID,
    OIL_BATCH_ID,
    OIL_OLD_BATCH_ID,
    ONIONS_VARIANT_ID,
    SO7_ID,
    SOUP_VARIANT_ID,
    TOMATOES_VARIANT_ID,
)
from sandbox.katana_trade import OLIVE_OIL_VARIANT_ID
from sandbox.slack_user import build_state_values
from tests.test_undo import tap_undo

ANA, BEN = "U0ANA", "U0BEN"
KITCHEN = CENTRAL_KITCHEN_ID


def recipe_rows(shop: Sandbox, mo: dict) -> dict[int, int]:
    """variant id → the MO's recipe row id."""
    return {r["variant_id"]: r["id"] for r in shop.katana.recipe_rows.values() if r["manufacturing_order_id"] == mo["id"]}


def stock(shop: Sandbox, variant_id: int) -> Decimal:
    return shop.katana.stock_of(variant_id, KITCHEN)


def in_batch(shop: Sandbox, batch_id: int) -> Decimal:
    return Decimal(shop.katana.batch_stock(batch_id, KITCHEN)["quantity_in_stock"])


def batch_id(shop: Sandbox, number: str) -> int:
    return next(b["id"] for b in shop.katana.batches.values() if b["batch_number"] == number)


async def soup_task(shop: Sandbox) -> tuple[dict, dict]:
    mo = shop.katana.create_manufacturing_order(variant_id=SOUP_VARIANT_ID, planned_quantity=120, sales_order_id=SO7_ID)
    form = await shop.form_from_task(ANA, f"Cook task: {mo['order_no']}")
    return mo, form


async def test_stock_ends_at_what_was_packed_and_ingredients_fell_by_what_the_cook_entered(shop: Sandbox) -> None:
    mo, form = await soup_task(shop)
    rows = recipe_rows(shop, mo)
    before = {v: stock(shop, v) for v in (TOMATOES_VARIANT_ID, ONIONS_VARIANT_ID, JARS_VARIANT_ID,
                                          LABELS_VARIANT_ID, OLIVE_OIL_VARIANT_ID)}
    oil_before = in_batch(shop, OIL_BATCH_ID)
    shown = {b["block_id"]: b for b in form["blocks"] if b.get("type") == "input"}
    assert shown[f"ing_q_{rows[TOMATOES_VARIANT_ID]}"]["element"]["initial_value"] == "48"  # plan for 120
    assert shown[f"ing_b_{rows[OLIVE_OIL_VARIANT_ID]}"]["element"]["initial_option"]["value"] == str(OIL_BATCH_ID)

    await shop.workspace.submit_view(ANA, form, {"quantity": "118", "batch": "B-9", "crate": "C-1",
                                                 f"ing_q_{rows[TOMATOES_VARIANT_ID]}": "50"})
    label = await shop.form_from_task(BEN, f"Label task: {mo['order_no']}")
    await shop.workspace.submit_view(BEN, label, {"to_crate": "C-2"})
    pack = await shop.form_from_task(ANA, f"Pack task: {mo['order_no']}")
    await shop.workspace.submit_view(ANA, pack, {"quantity": "116"})
    await shop.settle()

    assert in_batch(shop, batch_id(shop, "B-9")) == 116  # exactly what was packed
    order = shop.katana.manufacturing_orders[mo["id"]]
    assert (order["status"], order["actual_quantity"]) == ("DONE", 118)  # at what /cook booked: DONE moved nothing
    fell = {v: before[v] - stock(shop, v) for v in before}
    # tomatoes as entered; the rest at plan for the 118 cooked (left as prefilled for 120)
    assert fell == {TOMATOES_VARIANT_ID: 50, ONIONS_VARIANT_ID: Decimal("5.9"), JARS_VARIANT_ID: 118,
                    LABELS_VARIANT_ID: 118, OLIVE_OIL_VARIANT_ID: Decimal("1.18")}
    assert oil_before - in_batch(shop, OIL_BATCH_ID) == Decimal("1.18")  # from the batch the form offered first
    [adjustment] = shop.katana.stock_adjustments.values()
    assert adjustment["reason"] == "Packing loss" and adjustment["stock_adjustment_rows"][0]["traceability"] == [
        {"batch_id": batch_id(shop, "B-9"), "bin_location_id": None, "quantity": "-2", "serial_number_id": None}]
    info = shop.katana.manufacturing_orders[mo["id"]]["additional_info"]
    assert "used Tomatoes 50 kg (plan 47.2)" in info
    assert (f"pack: packed 116 of 118 cooked: 2 written off from batch B-9 (stock adjustment "
            f"{adjustment['stock_adjustment_number']})") in info
    confirmation = await shop.message_with("cooked 118")
    assert "used Tomatoes 50 kg (plan 47.2)" in str(confirmation["blocks"])
    assert "Olive oil from OIL-2405" in str(confirmation["blocks"])
    trail = [e for e in await shop.store.audit.for_order(mo["id"]) if e.subject == "/pack"]
    assert trail[-1].details["katana"]["settle_packed_stock"]["stock_adjustment_id"] == adjustment["id"]


async def test_a_batch_tracked_ingredient_without_its_batch_is_refused_at_the_field(shop: Sandbox) -> None:
    mo, form = await soup_task(shop)
    oil_field = f"ing_b_{recipe_rows(shop, mo)[OLIVE_OIL_VARIANT_ID]}"
    state = build_state_values(form, {"quantity": "118", "crate": "C-1"})
    state[oil_field][oil_field]["selected_option"] = None  # cleared (a phone's client may let it through)
    reply = await shop.workspace.submit_crafted(ANA, form, state)
    assert reply.json["response_action"] == "errors"
    assert list(reply.json["errors"]) == [oil_field] and "batch" in reply.json["errors"][oil_field]
    await shop.settle()
    assert shop.katana.writes() == [] and await shop.store.db["floor_actions"].count_documents({}) == 0


async def test_undo_of_a_cook_returns_what_the_kettle_really_used(shop: Sandbox) -> None:
    mo, form = await soup_task(shop)
    rows = recipe_rows(shop, mo)
    before = {v: stock(shop, v) for v in (TOMATOES_VARIANT_ID, OLIVE_OIL_VARIANT_ID)}
    old_oil = in_batch(shop, OIL_OLD_BATCH_ID)
    await shop.workspace.submit_view(ANA, form, {
        "quantity": "100", "crate": "C-1", f"ing_q_{rows[TOMATOES_VARIANT_ID]}": "44.5",
        f"ing_q_{rows[OLIVE_OIL_VARIANT_ID]}": "0.8", f"ing_b_{rows[OLIVE_OIL_VARIANT_ID]}": str(OIL_OLD_BATCH_ID)})
    confirmation = copy.deepcopy(await shop.message_with("cooked 100"))
    assert before[TOMATOES_VARIANT_ID] - stock(shop, TOMATOES_VARIANT_ID) == Decimal("44.5")  # not the plan's 40
    assert in_batch(shop, OIL_OLD_BATCH_ID) == 0  # the old batch, emptied

    await tap_undo(shop, ANA, confirmation)
    assert {v: stock(shop, v) for v in before} == before  # the actual quantities came back, not the plan's
    assert in_batch(shop, OIL_OLD_BATCH_ID) == old_oil  # into the batch they came from
    assert [p["deleted_at"] is not None for p in shop.katana.productions.values()] == [True]


async def test_undo_of_a_pack_books_the_compensating_adjustment(shop: Sandbox) -> None:
    mo, form = await soup_task(shop)
    await shop.workspace.submit_view(ANA, form, {"quantity": "118", "batch": "B-4", "crate": "C-1"})
    label = await shop.form_from_task(BEN, f"Label task: {mo['order_no']}")
    await shop.workspace.submit_view(BEN, label, {"to_crate": "C-2"})
    pack = await shop.form_from_task(ANA, f"Pack task: {mo['order_no']}")
    await shop.workspace.submit_view(ANA, pack, {"quantity": "115"})
    confirmation = copy.deepcopy(await shop.message_with("packed 115"))
    assert in_batch(shop, batch_id(shop, "B-4")) == 115

    await tap_undo(shop, ANA, confirmation)
    await tap_undo(shop, ANA, confirmation)  # again: nothing is booked twice
    assert in_batch(shop, batch_id(shop, "B-4")) == 118  # back to what /cook put in
    numbers = sorted(a["stock_adjustment_number"] for a in shop.katana.stock_adjustments.values())
    assert len(numbers) == 2 and numbers[1] == numbers[0] + "-UNDO"
    report = str(shop.slack.find_message(confirmation["channel"], confirmation["ts"])["blocks"])
    assert "undone: stock adjustment" in report and "reopen" in report  # DONE itself: by hand


async def test_cook_without_a_task_takes_the_likeliest_batch_and_says_so(shop: Sandbox) -> None:
    form = await shop.form_from_command(ANA, "/cook")
    assert not [b for b in form["blocks"] if str(b.get("block_id", "")).startswith("ing_")]  # no MO known yet
    await shop.workspace.submit_view(ANA, form, {"mo": str(MO101_ID), "quantity": "100", "batch": "B-2",
                                                 "crate": "C-1"})
    confirmation = await shop.message_with("cooked 100")
    assert "Olive oil from OIL-2405 (chosen by the bot: the form did not ask)" in str(confirmation["blocks"])
    [production] = shop.katana.productions.values()
    oil = next(i for i in production["ingredients"] if i["variant_id"] == OLIVE_OIL_VARIANT_ID)
    assert (oil["quantity"], oil["_batches"]) == (Decimal("1"), [(OIL_BATCH_ID, Decimal("1"))])


def long_recipe(count: int, batches: int) -> Any:
    from datetime import UTC, datetime, timedelta

    from integrations.katana.recipes import Ingredient, Recipe, StockedBatch
    start = datetime(2026, 1, 1, tzinfo=UTC)
    return Recipe(mo_id=1, location_id=1, ingredients=[
        Ingredient(row_id=9_000_000 + n, variant_id=n, name=f"Spice blend number {n} with a long name",
                   uom="kg", per_unit=Decimal("0.0123"), batch_tracked=n % 2 == 0,
                   batches=[StockedBatch(id=7_000_000 + n * 100 + b, number=f"LOT-{n}-{b}-XXXXXXXXXXXX",
                                         in_stock=Decimal(b), created=start + timedelta(days=b))
                            for b in range(batches)])
        for n in range(count)])


def test_a_recipe_with_many_rows_stays_within_slacks_limits() -> None:
    from commands import cook
    from commands.flow import form_view, task_order
    from commands.forms import Prefill
    from commands.orders import OrderList
    from models.base import utcnow
    from models.open_orders import OpenOrder
    from models.tasks import ProductionTask

    now = utcnow()
    task = ProductionTask(id="cook:1", kind="cook", mo_id=1, mo_order_no="MO-1", planned_quantity=Decimal(120),
                          created_at=now, updated_at=now)
    choices = [OpenOrder(kind="mo", order_id=1_000_000 + n, order_no=f"MO-{n}", skus=["SKU"],
                         planned_quantity=Decimal(1), status="NOT_STARTED", label=f"MO-{n} · SKU")
               for n in range(100)]
    prefill = Prefill(OrderList("mo", 1, choices), task, None, chosen=task_order(task),
                      extra={"recipe": long_recipe(80, 40)})
    view = form_view(cook.COMMAND, prefill, "C0FLOOR",
                     [f"reason-{n}" for n in range(6)])
    assert len(view["blocks"]) <= 100 and len(view["private_metadata"]) <= 3000
    fields = [b for b in view["blocks"] if str(b.get("block_id", "")).startswith("ing_q_")]
    assert len(fields) == 12 and "and 60 more" in str(view["blocks"])  # the rest at plan, and the form says so
