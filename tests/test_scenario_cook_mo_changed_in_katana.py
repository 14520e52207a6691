"""A floor command on an MO that changed in Katana's own app while its form was open, the webhook saying so
late (or lost): the order is read from Katana before the first write, never vouched for by the bot's memory.

Each test names the mutation of the code that makes it fail.
"""
from __future__ import annotations

import pytest

from sandbox.harness import Sandbox
from tests.test_scenario_chain import rows_of
from tests.test_scenario_ingredients import ANA, soup_task
from tests.test_scenario_katana_faults import resume_now

COOK = {"quantity": "118", "batch": "B-9", "crate": "C-1"}


def shown(shop: Sandbox, form: dict) -> str:
    return str(shop.slack.views[form["id"]]["blocks"])


async def task_states(shop: Sandbox, mo_id: int) -> dict[str, tuple[str, str | None]]:
    return {t["kind"]: (t["status"], t.get("close_reason"))
            async for t in shop.store.db["production_tasks"].find({"mo_id": mo_id})}


async def test_an_mo_finished_in_katana_is_refused_at_once_with_when_and_its_tasks_close(shop: Sandbox) -> None:
    """Mutation caught: load_order taking the order from the memory again (`known_order`); or leaving the
    tasks to the late webhook (no `order_done` in load_order)."""
    mo, form = await soup_task(shop)
    shop.katana.webhooks.clear()  # its `done` webhook is late
    done = shop.katana.finish_order_in_app(mo["id"], 120)
    await shop.settle()
    writes = len(shop.katana.writes())

    await shop.workspace.submit_view(ANA, form, COOK)
    await shop.settle()

    assert shop.katana.writes()[writes:] == []
    said = shown(shop, form)
    assert f"/cook for *{mo['order_no']}* was not recorded" in said  # not "not fully": nothing was
    assert f"{mo['order_no']} is already done in Katana: it was finished there on {done['done_date'][:10]}" in said
    assert "with 120 made" in said and "nothing was written" in said and "Recorded in Katana: nothing" in said
    assert not shop.messages_with("needs a decision")
    assert await task_states(shop, mo["id"]) == {"cook": ("closed", "MO done in Katana"), "ship": ("open", None)}
    assert "closed: MO done in Katana" in str((await shop.message_with(f"Cook done: {mo['order_no']}"))["blocks"])
    assert (await shop.store.orders.col.find_one({"_id": mo["id"]}))["order"]["status"] == "DONE"  # the memory too
    assert not await shop.bot.floor.orders.is_open("mo", mo["id"])  # no form offers it any more

    again = await shop.workspace.submit_view(ANA, form, {**COOK, "batch": "B-10"})  # Record pressed again
    assert again.json["errors"]["mo"].startswith("That manufacturing order is not open any more")


async def test_an_mo_deleted_in_katana_is_refused_and_its_tasks_close(shop: Sandbox) -> None:
    """Mutation caught: load_order reading the memory again (the batch is created, the production 404s); or
    current_order letting KatanaNotFound through (a bare "not found" and the task left open)."""
    mo, form = await soup_task(shop)
    shop.katana.webhooks.clear()  # its `deleted` webhook is late
    shop.katana.delete_order_in_app(mo["id"])
    writes = len(shop.katana.writes())

    await shop.workspace.submit_view(ANA, form, COOK)
    await shop.settle()

    assert shop.katana.writes()[writes:] == []
    said = shown(shop, form)
    assert f"/cook for *{mo['order_no']}* was not recorded" in said
    assert f"{mo['order_no']} is no longer in Katana (it was deleted there), so nothing was written" in said
    assert not shop.messages_with("needs a decision")
    assert await task_states(shop, mo["id"]) == {"cook": ("closed", "MO deleted in Katana")}
    assert await shop.store.orders.col.find_one({"_id": mo["id"]}) is None  # forgotten: nothing vouches for it


async def test_an_open_mo_is_read_once_and_its_note_echoes_that_read(shop: Sandbox) -> None:
    """The normal path: 5 Katana calls for the recording (bench row 2's goal), the read doing for both the
    refusal and the note — after the one read, before Slack's ack, of what the soup's olive-oil batch holds now
    (commands/batch_stock.py). A note typed in Katana while the form was open, its webhook late, is in that read
    and kept.
    Mutation caught: note_on_order back after the writes (6 calls: the production's echo makes the note read
    again); NOTE_ECHO at 0 (6 calls); load_order taking the order from the memory (no read before the writes)."""
    warm, warm_form = await soup_task(shop)  # the first /cook after start reads the operators once
    await shop.workspace.submit_view(ANA, warm_form, {**COOK, "batch": "W-1"})
    await shop.settle()
    mo, form = await soup_task(shop)
    shop.katana.webhooks.clear()  # the note's webhook is late: only the read can know it
    shop.katana.note_in_app(mo["id"], "QA: hold two jars back")
    first = len(shop.katana.requests)

    await shop.workspace.submit_view(ANA, form, COOK)
    await shop.settle()

    calls = [(r.method, r.path) for r in shop.katana.requests[first:]]
    assert calls == [("GET", "/batch_stocks"),
                     ("GET", f"/manufacturing_orders/{mo['id']}"), ("PATCH", f"/manufacturing_orders/{mo['id']}"),
                     ("POST", "/batches"), ("POST", "/manufacturing_order_productions"),
                     ("PATCH", f"/manufacturing_order_operation_rows/{rows_of(shop, mo['id'])[0]['id']}")], calls
    note = shop.katana.manufacturing_orders[mo["id"]]["additional_info"]
    assert "QA: hold two jars back" in note and "batch B-9, 118 in crate C-1" in note
    assert shop.messages_with(f"cooked 118 for {mo['order_no']}") and shop.messages_with(f"Label task: {mo['order_no']}")


async def test_katana_failing_the_read_saves_the_cook_writes_nothing_and_records_it_when_katana_answers(
        shop: Sandbox) -> None:
    """Katana answers 500 to every attempt of the first read: the person is told it is saved (and not to enter
    it again), nothing is written, and the worker records it once Katana answers — refused then if the MO was
    finished meanwhile. Mutation caught: load_order treating a failed read as a refusal (the action fails and
    the cook is lost), or as "no change" (the memory vouches, the batch is written)."""
    mo, form = await soup_task(shop)
    shop.katana.fail_next(4, status=500, method="GET", path_prefix=f"/manufacturing_orders/{mo['id']}")
    writes = len(shop.katana.writes())

    await shop.workspace.submit_view(ANA, form, COOK)
    await shop.settle()

    assert shop.katana.writes()[writes:] == []
    said = shown(shop, form)
    assert "Saved" in said and "records it as soon as Katana answers" in said
    action = await shop.store.db["floor_actions"].find_one({"mo_id": mo["id"]})
    assert action["status"] == "waiting" and action["steps"][0] == {**action["steps"][0], "_id": "load_order",
                                                                    "state": "pending"}
    await resume_now(shop)
    assert (await shop.store.db["floor_actions"].find_one({"mo_id": mo["id"]}))["status"] == "recorded"
    assert len([p for p in shop.katana.productions.values() if p["manufacturing_order_id"] == mo["id"]]) == 1
    assert shop.messages_with(f"cooked 118 for {mo['order_no']}")


async def test_an_mo_finished_while_its_cook_waited_for_katana_is_refused_when_it_answers(shop: Sandbox) -> None:
    mo, form = await soup_task(shop)
    shop.katana.fail_next(4, status=500, method="GET", path_prefix=f"/manufacturing_orders/{mo['id']}")
    await shop.workspace.submit_view(ANA, form, COOK)
    await shop.settle()
    shop.katana.webhooks.clear()
    shop.katana.finish_order_in_app(mo["id"], 120)
    writes = len(shop.katana.writes())

    await resume_now(shop)

    assert shop.katana.writes()[writes:] == []
    assert shop.messages_with(f"{mo['order_no']} is already done in Katana")  # in the channel: the modal was told
    assert not shop.messages_with("needs a decision")
    assert (await task_states(shop, mo["id"]))["cook"] == ("closed", "MO done in Katana")


@pytest.mark.parametrize("stage", ["label", "pack"])
async def test_label_and_pack_on_an_mo_finished_in_katana_write_nothing(shop: Sandbox, stage: str) -> None:
    """The earlier stages were completed in Katana's app, so the bot read the order when it opened this
    stage's task and nothing it did since made it doubt that view. Mutation caught: load_order taking the
    order from the memory (the operation row's PATCH goes out, refused by Katana on a DONE order, and the
    person reads Katana's refusal instead of why)."""
    mo, _ = await soup_task(shop)
    for row in rows_of(shop, mo["id"])[: 1 if stage == "label" else 2]:
        shop.katana.complete_operation_in_app(row["id"])
        await shop.settle()
    form = await shop.form_from_task(ANA, f"{stage.capitalize()} task: {mo['order_no']}")
    shop.katana.webhooks.clear()
    shop.katana.finish_order_in_app(mo["id"], 120)
    writes = len(shop.katana.writes())

    entered = ({"batch": "B-1", "from_crate": "C-1", "to_crate": "C-2", "quantity": "118"} if stage == "label"
               else {"quantity": "118"})
    await shop.workspace.submit_view(ANA, form, entered)
    await shop.settle()

    assert shop.katana.writes()[writes:] == []
    assert f"{mo['order_no']} is already done in Katana" in shown(shop, form)
    assert (await task_states(shop, mo["id"]))[stage] == ("closed", "MO done in Katana")


async def test_an_mo_deleted_in_katana_closes_its_tasks_when_the_webhook_comes_in_time(shop: Sandbox) -> None:
    """The webhook does what the late one's /cook does. Mutation caught: mo_event's `deleted` branch only
    taking the MO out of the open orders (the cook task stayed open, its Record button on an MO that is gone)."""
    mo, _ = await soup_task(shop)
    shop.katana.delete_order_in_app(mo["id"])
    await shop.settle()

    assert await task_states(shop, mo["id"]) == {"cook": ("closed", "MO deleted in Katana")}
    assert "closed: MO deleted in Katana" in str((await shop.message_with(f"Cook done: {mo['order_no']}"))["blocks"])
    assert not await shop.bot.floor.orders.is_open("mo", mo["id"])
