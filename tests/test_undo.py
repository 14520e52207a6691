"""The author's Undo on a confirmation: compensating Katana changes, the chain put back, the audit keeps both."""
from __future__ import annotations

import asyncio
import copy
from datetime import timedelta
from decimal import Decimal

from models.base import utcnow
from sandbox.harness import FLOOR, Sandbox, shop_floor
from sandbox.katana_seed import CENTRAL_KITCHEN_ID, SO7_ID, SOUP_VARIANT_ID

ANA, BEN = "U0ANA", "U0BEN"


async def cooked(shop: Sandbox) -> dict:
    mo = shop.katana.create_manufacturing_order(variant_id=SOUP_VARIANT_ID, planned_quantity=120, sales_order_id=SO7_ID)
    form = await shop.form_from_task(ANA, f"Cook task: {mo['order_no']}")
    await shop.workspace.submit_view(ANA, form, {"quantity": "118", "batch": "B-8", "crate": "C-1"})
    await shop.settle()
    return mo


async def labelled(shop: Sandbox, mo: dict) -> dict:
    form = await shop.form_from_task(BEN, f"Label task: {mo['order_no']}")
    await shop.workspace.submit_view(BEN, form, {"to_crate": "C-2", "minutes": "12", "expiry": "2027-01-01"})
    return await shop.message_with("labelled 118")


def rows(shop: Sandbox, mo: dict) -> list[dict]:
    return sorted((r for r in shop.katana.operation_rows.values() if r["manufacturing_order_id"] == mo["id"]),
                  key=lambda r: r["rank"])


async def tap_undo(shop: Sandbox, user: str, confirmation: dict) -> None:
    await shop.workspace.click_button(user, confirmation, "action_author_undo", channel_id=confirmation["channel"])
    await shop.settle()


async def test_undo_reverses_a_label_step(shop: Sandbox) -> None:
    mo = await cooked(shop)
    confirmation = copy.deepcopy(await labelled(shop, mo))
    assert "Ben Carter can undo this for 15 min" in str(confirmation["blocks"])
    note_line = next(line for line in shop.katana.manufacturing_orders[mo["id"]]["additional_info"].splitlines()
                     if " label: " in line)
    assert rows(shop, mo)[1]["status"] == "COMPLETED" and shop.messages_with(f"Pack task: {mo['order_no']}")

    await tap_undo(shop, ANA, confirmation)  # not the author
    assert "Only Ben Carter can undo this" in shop.slack.ephemerals[-1]["text"]
    assert rows(shop, mo)[1]["status"] == "COMPLETED"

    await asyncio.gather(tap_undo(shop, BEN, confirmation), tap_undo(shop, BEN, confirmation))  # a double tap
    assert rows(shop, mo)[1]["status"] == "IN_PROGRESS"  # the compensating change in Katana
    info = shop.katana.manufacturing_orders[mo["id"]]["additional_info"]
    assert note_line not in info and " cook: " in info  # the cook's note stays
    label = await shop.store.tasks.get(f"label:{mo['id']}")
    assert label.status == "open" and label.done_by is None
    assert await shop.store.tasks.get(f"pack:{mo['id']}") is None  # withdrawn: nobody had started it
    [pack_message] = [m for m in shop.slack.messages if m["text"] == f"Pack done: {mo['order_no']}"]
    assert "closed: label undone by Ben Carter" in str(pack_message["blocks"])
    assert "task_start" not in str(pack_message["blocks"])
    updated = shop.slack.find_message(confirmation["channel"], confirmation["ts"])
    assert "Ben Carter undid /label" in updated["text"] and "action_author_undo" not in str(updated["blocks"])
    assert "undone: the operation completed" in str(updated["blocks"])
    assert "by hand" in str(updated["blocks"]) and "batch B-8" in str(updated["blocks"])  # the expiry/barcode
    assert "already undone" in shop.slack.ephemerals[-1]["text"]
    audit = [(e.subject, e.outcome) for e in await shop.store.audit.for_order(mo["id"]) if e.kind == "floor_action"]
    assert ("/label", "recorded") in audit and ("/label", "undone by its author") in audit

    again = copy.deepcopy(await labelled(shop, mo))  # labelled again: a fresh pack task is posted
    assert again["ts"] != confirmation["ts"] and rows(shop, mo)[1]["status"] == "COMPLETED"
    assert (await shop.store.tasks.get(f"pack:{mo['id']}")).status == "open"


async def test_undo_of_a_cook_deletes_the_production(shop: Sandbox) -> None:
    stock = shop.katana.stock_of(SOUP_VARIANT_ID, CENTRAL_KITCHEN_ID)
    mo = await cooked(shop)
    assert shop.katana.stock_of(SOUP_VARIANT_ID, CENTRAL_KITCHEN_ID) == stock + 118
    await tap_undo(shop, ANA, await shop.message_with("cooked 118"))
    assert shop.katana.stock_of(SOUP_VARIANT_ID, CENTRAL_KITCHEN_ID) == stock
    assert all(p["deleted_at"] for p in shop.katana.productions.values() if p["manufacturing_order_id"] == mo["id"])
    told = shop.slack.find_message(FLOOR, (await shop.message_with("undid /cook"))["ts"])
    assert "Batch B-8 was created in Katana; delete it there" in str(told["blocks"])
    assert (await shop.store.tasks.get(f"cook:{mo['id']}")).status == "open"


async def test_undo_clears_a_note_that_was_the_orders_only_text(shop: Sandbox) -> None:
    """Old code handed it to a person ("delete the line by hand"): Katana refuses "" but takes null."""
    mo = await cooked(shop)  # a new MO: the bot's crate line is all its additional info
    assert shop.katana.manufacturing_orders[mo["id"]]["additional_info"].endswith("cook: batch B-8, 118 in crate C-1 (Ana Lopez)")
    await tap_undo(shop, ANA, await shop.message_with("cooked 118"))
    assert not shop.katana.manufacturing_orders[mo["id"]]["additional_info"]
    told = str(shop.slack.find_message(FLOOR, (await shop.message_with("undid /cook"))["ts"])["blocks"])
    assert "Additional info" not in told and "undone: the note" in told
    patches = [r.body for r in shop.katana.requests
               if r.method == "PATCH" and r.path == f"/manufacturing_orders/{mo['id']}"]
    assert patches[-1] == {"additional_info": None}


async def test_undo_is_refused_once_the_next_stage_is_recorded(shop: Sandbox) -> None:
    mo = await cooked(shop)
    cook_confirmation = await shop.message_with("cooked 118")
    await labelled(shop, mo)
    await tap_undo(shop, ANA, cook_confirmation)
    assert "label step for" in shop.slack.ephemerals[-1]["text"] and "already recorded" in shop.slack.ephemerals[-1]["text"]
    assert [p for p in shop.katana.productions.values() if not p["deleted_at"] and p["manufacturing_order_id"] == mo["id"]]


async def test_undoing_a_further_cook_leaves_the_task_anothers_cook_recorded(shop: Sandbox) -> None:
    """Ana records the cook task; Ben types /cook for a further 5 on that order, then undoes his.
    Only his production goes: the cook task stays done by Ana and the label task her cook opened
    stays (found by the stateful search, sandbox/exactly_once.py's cook_typed then undo; fails when
    the undo reopens the stage whatever the undone action did to its task)."""
    mo = await cooked(shop)
    form = await shop.form_from_command(BEN, "/cook")
    await shop.workspace.submit_view(BEN, form, {"mo": str(mo["id"]), "quantity": "5", "batch": "B-9", "crate": "C-9"})
    await shop.settle()
    await tap_undo(shop, BEN, await shop.message_with("cooked 5"))

    live = [p for p in shop.katana.productions.values() if not p["deleted_at"] and p["manufacturing_order_id"] == mo["id"]]
    assert [p["quantity"] for p in live] == [Decimal(118)]
    cook = await shop.store.tasks.get(f"cook:{mo['id']}")
    assert cook.status == "done" and cook.done_by == "Ana Lopez"
    label = await shop.store.tasks.get(f"label:{mo['id']}")
    assert label is not None and label.is_open, "Ana's cook still stands: its label task must stay"
    assert rows(shop, mo)[0]["status"] == "COMPLETED"


async def test_undo_window_closes_and_the_button_goes() -> None:
    async with shop_floor(undo_window_minutes=15) as shop:
        mo = await cooked(shop)
        confirmation = copy.deepcopy(await shop.message_with("cooked 118"))
        shop.store.clock.wall = lambda: utcnow() + timedelta(minutes=16)  # the database's clock, 16 min on
        await tap_undo(shop, ANA, confirmation)
        assert "minutes to undo this are over" in shop.slack.ephemerals[-1]["text"]
        assert Decimal(str(next(p for p in shop.katana.productions.values()
                                if p["manufacturing_order_id"] == mo["id"])["quantity"])) == 118
        from commands import timers

        await timers.sweep(shop.bot.floor)
        await shop.settle()
        shown = shop.slack.find_message(confirmation["channel"], confirmation["ts"])
        assert "action_author_undo" not in str(shown["blocks"]) and "cooked 118" in shown["text"]
