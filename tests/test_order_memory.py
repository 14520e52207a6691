"""The bot's memory of Katana orders: reads it may skip, and the ones it must not.

A /cook from its task reads only the order itself (whether it is still open is never taken from memory),
and its note echoes that read: 5 Katana calls (the order, its note, batch, production, operation row). Its
rows and recipe come from memory while nothing changed the order since the task was made. Anything Katana
announces about the order in between (a person's note in Katana's app) makes the bot read those again.
"""
from __future__ import annotations

from datetime import timedelta

import mongomock_motor

from integrations.katana.models import ManufacturingOrder
from models.base import utcnow
from models.order_memory import TRUST_FOR, OrderMemory
from sandbox.harness import Sandbox
from sandbox.katana_seed import CHILI_VARIANT_ID

ANA = "U0ANA"


async def cook_from_task(shop: Sandbox, mo: dict, batch: str, *, before_submit: object = None) -> list:
    """Record a /cook from the MO's task; the Katana requests from the submission until all settled."""
    form = await shop.form_from_task(ANA, f"Cook task: {mo['order_no']}")
    if before_submit is not None:
        before_submit()  # type: ignore[operator]
        await shop.settle()
    first = len(shop.katana.requests)
    await shop.workspace.submit_view(ANA, form, {"quantity": "40", "batch": batch, "crate": "C-3"})
    await shop.settle()
    return [(r.method, r.path) for r in shop.katana.requests[first:]]


async def test_cook_from_its_task_writes_four_times_and_reads_only_the_mo_before_its_note(shop: Sandbox) -> None:
    """Four writes; the one read is the MO, before anything is written and right before its note is rewritten
    (issue 14: a note typed in Katana a moment before must survive); its rows come from memory."""
    mo = shop.katana.create_manufacturing_order(variant_id=CHILI_VARIANT_ID, planned_quantity=40)
    await cook_from_task(shop, shop.katana.create_manufacturing_order(variant_id=CHILI_VARIANT_ID, planned_quantity=5),
                         "WARM-1")  # the first /cook after start fetches the operators once

    calls = await cook_from_task(shop, mo, "MEM-1")

    assert [m for m, _ in calls] == ["GET", "PATCH", "POST", "POST", "PATCH"], calls
    assert calls[:2] == [("GET", f"/manufacturing_orders/{mo['id']}"), ("PATCH", f"/manufacturing_orders/{mo['id']}")]
    assert "batch MEM-1, 40 in crate C-3" in shop.katana.manufacturing_orders[mo["id"]]["additional_info"]
    assert len(shop.messages_with(f"Label task: {mo['order_no']}")) == 1  # its own webhook echo advanced nothing twice


async def test_a_note_made_in_katana_after_the_task_is_kept(shop: Sandbox) -> None:
    mo = shop.katana.create_manufacturing_order(variant_id=CHILI_VARIANT_ID, planned_quantity=40)

    calls = await cook_from_task(shop, mo, "MEM-2",
                                 before_submit=lambda: shop.katana.note_in_app(mo["id"], "QA: hold two jars back"))

    text = shop.katana.manufacturing_orders[mo["id"]]["additional_info"]
    assert "QA: hold two jars back" in text and "batch MEM-2, 40 in crate C-3" in text
    assert ("GET", f"/manufacturing_orders/{mo['id']}") in calls  # the note's text comes from a read of Katana


async def test_an_order_finished_in_katana_is_refused_not_recorded(shop: Sandbox) -> None:
    """Katana's events about the finish close the MO in the open orders the forms offer (issue 20), so the
    submission is refused at the field; were they late, the plan's fresh read refuses it (test_scenario_chain)."""
    mo = shop.katana.create_manufacturing_order(variant_id=CHILI_VARIANT_ID, planned_quantity=40)

    await cook_from_task(shop, mo, "MEM-3", before_submit=lambda: shop.katana.finish_order_in_app(mo["id"], 40))

    assert not [p for p in shop.katana.productions.values()
                if p["manufacturing_order_id"] == mo["id"] and p.get("_batch_id") is not None
                and shop.katana.batches[p["_batch_id"]]["batch_number"] == "MEM-3"]
    refusals = [str(errors) for errors in shop.slack.view_errors.values()]
    assert any("not open any more" in r for r in refusals) or any(
        "already done" in str(m.get("text")) for m in shop.slack.messages), refusals


def order(mo_id: int = 7, info: str = "first line") -> dict:
    """An MO as Katana's JSON (the memory keeps what Katana returned)."""
    return ManufacturingOrder(id=mo_id, order_no=f"MO-{mo_id}", status="NOT_STARTED",
                              additional_info=info).model_dump(mode="json")


async def event(memory: OrderMemory, action: str, object_id: int, at: object,
                resource: str = "manufacturing_order") -> None:
    await memory.events.insert_one({"_id": f"{action}:{object_id}:{at}", "resource_type": resource,
                                    "action": action, "object_id": str(object_id), "last_received_at": at})


async def test_memory_trusts_a_view_only_until_katana_announces_a_change() -> None:
    memory = OrderMemory(mongomock_motor.AsyncMongoMockClient()["t"], trust_for=TRUST_FOR)
    read_at = utcnow()
    await memory.saw_order(7, order(), read_at)
    await event(memory, "manufacturing_order.created", 7, read_at)  # creation is what the view was read for
    assert (await memory.known_order(7))["additional_info"] == "first line"

    await memory.saw_order(7, order(info="older"), read_at - timedelta(minutes=1))  # an older view never wins
    assert (await memory.known_order(7))["additional_info"] == "first line"

    writing = utcnow()
    await event(memory, "manufacturing_order.updated", 7, writing + timedelta(milliseconds=5))
    assert await memory.known_order(7) is None  # someone changed it: read again (an own write's echo too)


async def test_memory_without_webhooks_or_when_old_trusts_nothing() -> None:
    db = mongomock_motor.AsyncMongoMockClient()["t"]
    await OrderMemory(db).saw_order(7, order(), utcnow())
    assert await OrderMemory(db).known_order(7) is None  # no webhooks configured: nothing would say it changed
    old = OrderMemory(db, trust_for=TRUST_FOR)
    await old.col.update_one({"_id": 7}, {"$set": {"order_seen_at": utcnow() - TRUST_FOR - timedelta(minutes=1)}})
    assert await old.known_order(7) is None


async def test_a_recent_view_stands_for_a_read_only_if_read_since_and_nothing_announced_since() -> None:
    """What the note echoes (integrations.katana.manufacturing.NOTE_ECHO). Mutation caught: recent_order
    ignoring `since` (an old view would be echoed and a note typed in Katana since wiped), or the events."""
    memory = OrderMemory(mongomock_motor.AsyncMongoMockClient()["t"])  # trusted without webhooks too: it is young
    read_at = utcnow()
    await memory.saw_order(7, order(), read_at)
    assert (await memory.recent_order(7, read_at - timedelta(seconds=2)))["additional_info"] == "first line"
    assert await memory.recent_order(7, read_at + timedelta(milliseconds=1)) is None  # read before `since`

    await event(memory, "manufacturing_order.updated", 7, read_at + timedelta(milliseconds=5))
    assert await memory.recent_order(7, read_at - timedelta(seconds=2)) is None  # a change announced since

    await memory.forget(7)  # Katana answered 404
    assert await memory.col.find_one({"_id": 7}) is None


async def test_a_variants_sku_is_read_once_for_all_its_orders(shop: Sandbox) -> None:
    """Every MO webhook names its variant; the SKU on the task card is read from Katana once, not per order."""
    sku = shop.katana.variants[CHILI_VARIANT_ID]["sku"]
    shop.katana.create_manufacturing_order(variant_id=CHILI_VARIANT_ID, planned_quantity=1)
    await shop.katana.flush_webhooks()
    await shop.settle()
    first = len(shop.katana.requests)

    second = shop.katana.create_manufacturing_order(variant_id=CHILI_VARIANT_ID, planned_quantity=2)
    await shop.katana.flush_webhooks()
    await shop.settle()

    reads = [r.path for r in shop.katana.requests[first:] if r.method == "GET"]
    assert not [path for path in reads if path.startswith("/variants")], reads
    card = await shop.message_with(f"Cook task: {second['order_no']}")
    assert sku in str(card), card


async def test_a_view_read_while_an_own_write_was_on_its_way_stands_for_no_read() -> None:
    """A read sent after the bot's note PATCH was sent, answered before it landed, is newer by the clock but
    misses that note (tests/test_attack2_cook_note.py). Mutation caught: recent_order or known_order not
    asking `misses_own_write` (the next note echoes the view and wipes the first); `wrote_order` not counting
    a write whose answer was lost."""
    memory = OrderMemory(mongomock_motor.AsyncMongoMockClient()["t"], trust_for=TRUST_FOR)
    patch_sent = utcnow()
    writes = await memory.writes_of(7)  # the read asks before it is sent, while the PATCH is on its way
    await memory.saw_order(7, order(), patch_sent + timedelta(milliseconds=5), writes=writes)
    await memory.wrote_order(7, order(info="first line\nnote"), patch_sent)  # its answer: older by the clock
    assert await memory.recent_order(7, patch_sent - timedelta(seconds=2)) is None
    assert await memory.known_order(7) is None

    writes = await memory.writes_of(7)  # a read sent after the answer shows the note
    await memory.saw_order(7, order(info="first line\nnote"), patch_sent + timedelta(seconds=1), writes=writes)
    assert (await memory.recent_order(7, patch_sent))["additional_info"] == "first line\nnote"

    await memory.wrote_order(7, None, patch_sent + timedelta(seconds=2))  # answer lost: the PATCH may have landed
    assert await memory.recent_order(7, patch_sent) is None
    await memory.wrote_order(7, order(info="first line\nnote\nmore"), patch_sent + timedelta(seconds=3))  # a write's own answer stands
    assert (await memory.recent_order(7, patch_sent))["additional_info"] == "first line\nnote\nmore"
