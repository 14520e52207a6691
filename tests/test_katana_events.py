"""Katana events act on the resource's current state, whatever the event is called; repeats are told from
new occurrences by Katana's own retry ladder (issue 15)."""
from __future__ import annotations

import json
from datetime import datetime, timedelta

from models.base import utcnow
from models.events import RETRY_WINDOW, TWIN_WINDOW, EventRepository
from models.store import open_store
from models.tasks import task_id
from sandbox.harness import Sandbox
from sandbox.katana_seed import CHILI_VARIANT_ID
from tests.test_webhooks import post, sign


def quiet_mo(shop: Sandbox) -> dict:
    """An MO the bot has not heard of (its creation was never delivered)."""
    for hook in shop.katana.webhooks.values():
        hook["enabled"] = False
    mo = shop.katana.create_manufacturing_order(variant_id=CHILI_VARIANT_ID, planned_quantity=4)
    for hook in shop.katana.webhooks.values():
        hook["enabled"] = True
    return mo


def rows_of(shop: Sandbox, mo: dict) -> list[dict]:
    return sorted((r for r in shop.katana.operation_rows.values() if r["manufacturing_order_id"] == mo["id"]),
                  key=lambda r: r["rank"])


async def deliver(shop: Sandbox, event: str, object_id: int, status: str | None) -> None:
    body = json.dumps({"resource_type": event.rsplit(".", 1)[0], "action": event, "webhook_id": 1,
                       "object": {"id": object_id, "status": status}}).encode()
    assert (await post(shop, body, {"x-sha2-signature": sign(body)}))[0] == 200
    await shop.settle()


async def test_mo_done_sent_as_two_identical_updated_payloads_still_closes_its_tasks(shop: Sandbox) -> None:
    """Katana's docs: subscribed to `.updated` and `.done`, a status change can arrive as two identical
    payloads. The old bot kept one and, it saying `.updated`, only refreshed a list: the task stayed open."""
    shop.katana.identical_overlaps = True
    mo = shop.katana.create_manufacturing_order(variant_id=CHILI_VARIANT_ID, planned_quantity=4)
    await shop.message_with(f"Cook task: {mo['order_no']}")
    shop.katana.finish_order_in_app(mo["id"], 4)
    await shop.settle()
    sent = [d["body"] for d in shop.katana.deliveries if json.loads(d["body"])["object"]["status"] == "DONE"]
    assert len(sent) == 2 and sent[0] == sent[1] and json.loads(sent[0])["action"] == "manufacturing_order.updated"
    cook = await shop.store.tasks.get(task_id("cook", mo["id"]))
    assert cook is not None and cook.status == "closed"
    [event] = [e async for e in shop.store.db["katana_events"].find({"payload.object.status": "DONE"})]
    assert event["deliveries"] == 2


async def test_a_late_created_opens_the_stage_the_mo_is_at_not_cook(shop: Sandbox) -> None:
    """`created` processed after the cook was completed in Katana's app: the old bot posted a cook task
    for work already done."""
    mo = quiet_mo(shop)
    shop.katana.complete_operation_in_app(rows_of(shop, mo)[0]["id"])
    await deliver(shop, "manufacturing_order.created", mo["id"], "NOT_STARTED")
    assert await shop.store.tasks.get(task_id("cook", mo["id"])) is None
    label = await shop.store.tasks.get(task_id("label", mo["id"]))
    assert label is not None and label.is_open and shop.messages_with(f"Label task: {mo['order_no']}")


async def test_an_update_of_an_mo_the_bot_never_saw_opens_its_task(shop: Sandbox) -> None:
    mo = quiet_mo(shop)
    await deliver(shop, "manufacturing_order.updated", mo["id"], "NOT_STARTED")
    assert shop.messages_with(f"Cook task: {mo['order_no']}")


async def test_an_update_of_an_mo_with_open_tasks_reads_nothing(shop: Sandbox) -> None:
    mo = shop.katana.create_manufacturing_order(variant_id=CHILI_VARIANT_ID, planned_quantity=4)
    await shop.message_with(f"Cook task: {mo['order_no']}")
    reads = len(shop.katana.requests)
    shop.katana.note_in_app(mo["id"], "allergen check done")  # `.updated`, still NOT_STARTED
    await shop.settle()
    assert len(shop.katana.requests) == reads, "an edit of an order the floor is on costs no Katana call"


async def test_a_row_completed_under_another_name_advances_the_chain(shop: Sandbox) -> None:
    mo = shop.katana.create_manufacturing_order(variant_id=CHILI_VARIANT_ID, planned_quantity=4)
    await shop.message_with(f"Cook task: {mo['order_no']}")
    cook_row = rows_of(shop, mo)[0]
    cook_row["status"] = "COMPLETED"  # completed in the app; its event arrives as `.updated`
    await deliver(shop, "manufacturing_order_operation_row.updated", cook_row["id"], "COMPLETED")
    assert shop.messages_with(f"Label task: {mo['order_no']}")


class Clock:
    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> datetime:
        return self.now


DONE = {"resource_type": "manufacturing_order", "action": "manufacturing_order.updated", "object": {"id": 9, "status": "DONE"}}


async def test_repeat_windows_follow_katanas_retry_ladder() -> None:
    """A twin (no retry number) only within 30 s; a numbered retry within the ladder (~20 min); beyond,
    a new occurrence. The old single one-hour window dropped a genuine second DONE five minutes later."""
    assert (TWIN_WINDOW.total_seconds(), RETRY_WINDOW.total_seconds()) == (30, 30 + 120 + 900 + 4 * 10 + 120)
    clock = Clock()
    events = EventRepository(open_store(None, "ladder").db, clock=clock)
    key, fresh = await events.deliver(DONE, None)
    await events.finish(await events.claim(key), "tasks left open")  # read while Katana still showed it in progress
    clock.now += timedelta(seconds=5)
    assert await events.deliver(DONE, None) == (key, False), "the overlapping subscription's twin"
    clock.now += timedelta(minutes=14)
    assert await events.deliver(DONE, 3) == (key, False), "Katana's third retry"
    clock.now += timedelta(minutes=5)
    assert await events.deliver(DONE, None) == (key, True), "first attempt, minutes later: it happened again"
    assert (await events.get(key)).status == "pending"


async def test_a_retry_after_the_ladder_is_processed_again() -> None:
    clock = Clock()
    events = EventRepository(open_store(None, "late-retry").db, clock=clock)
    key, _ = await events.deliver(DONE, None)
    await events.finish(await events.claim(key), "done")
    clock.now += RETRY_WINDOW + timedelta(seconds=2)
    assert await events.deliver(DONE, 1) == (key, True)
