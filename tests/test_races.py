"""Exactly once when people, workers and the store race (issue 14): each test drives the real bot over
loopback with signed requests and fails on the code before its fix (named in each docstring)."""
from __future__ import annotations

import asyncio
from datetime import timedelta

from models.base import utcnow
from sandbox.flaky_store import Call, Faults, flaky_store
from sandbox.harness import Sandbox, shop_floor
from sandbox.katana_seed import MO101_ID, SOUP_VARIANT_ID

ANA, BEN = "U0ANA", "U0BEN"
COOK = {"mo": str(MO101_ID), "quantity": "30", "batch": "B-30", "crate": "C-30"}


def productions(shop: Sandbox, mo_id: int = MO101_ID) -> list[dict]:
    return [p for p in shop.katana.productions.values() if p["manufacturing_order_id"] == mo_id]


def is_renewal(call: Call) -> bool:
    return call.collection == "floor_actions" and call.method == "update_one" and call.sets_only("lease_until")


async def test_lease_renewal_survives_store_errors_so_no_second_worker_posts_again() -> None:
    """The worker waits 1.5 s on Katana's answer to its production while the store refuses its lease
    renewals for 0.6 s (a failover). Before: renewal stopped at the first error, the 0.4 s lease ran out,
    the sweeping worker took the action over, found no production yet and posted a second one."""
    faults = Faults()
    async with shop_floor(store=flaky_store(faults)) as shop:
        shop.bot.recorder.lease, shop.bot.recorder.grace = timedelta(seconds=0.4), timedelta(seconds=2)
        loop = asyncio.get_running_loop()
        failing_until = loop.time() + 0.6
        faults.rule = lambda call: is_renewal(call) and loop.time() < failing_until
        form = await shop.form_from_command(ANA, "/cook")
        shop.katana.fail_next(1, method="POST", path_prefix="/manufacturing_order_productions", hang=1.5)
        await shop.workspace.submit_view(ANA, form, COOK)
        for _ in range(25):  # the worker sweeps meanwhile, as it does every 10 s in production
            await shop.bot.recorder.resume_due()
            await asyncio.sleep(0.1)
        await shop.settle()
        assert faults.failed, "no renewal was refused: the test did not test anything"
        assert len(productions(shop)) == 1
        assert len(shop.messages_with("cooked 30")) == 1


async def two_forms_from_one_task(shop: Sandbox) -> tuple[dict, dict, dict]:
    mo = shop.katana.create_manufacturing_order(variant_id=SOUP_VARIANT_ID, planned_quantity=40)
    ana = await shop.form_from_task(ANA, f"Cook task: {mo['order_no']}")
    ben = await shop.form_from_task(BEN, f"Cook task: {mo['order_no']}")
    return mo, ana, ben


async def test_two_people_one_task_record_one_production_and_the_second_is_told_who(shop: Sandbox) -> None:
    """Ana and Ben both tapped Record on the same cook task and submit at the same moment. Before: two
    productions and two confirmations (whether the task was open was checked only when the form opened)."""
    mo, ana, ben = await two_forms_from_one_task(shop)
    await asyncio.gather(shop.workspace.submit_view(ANA, ana, {"quantity": "40", "batch": "T-1", "crate": "C-1"}),
                         shop.workspace.submit_view(BEN, ben, {"quantity": "38", "batch": "T-2", "crate": "C-2"}))
    await shop.settle()
    assert len(productions(shop, mo["id"])) == 1
    assert len(shop.messages_with(f"for {mo['order_no']}")) == 1  # one confirmation
    told = [v for v in (shop.slack.views[ana["id"]], shop.slack.views[ben["id"]]) if "already recorded" in str(v)]
    assert len(told) == 1, "the one who came second is told, in the form"
    winner = ANA if told[0]["id"] == ben["id"] else BEN
    said = str(told[0]["blocks"])
    assert f"<@{winner}> already recorded this cook task" in said and ("40" in said or "38" in said)
    assert told[0]["submit"]["text"] == "Record another batch"


async def test_another_batch_is_recorded_only_on_the_explicit_choice(shop: Sandbox) -> None:
    mo, ana, ben = await two_forms_from_one_task(shop)
    await shop.workspace.submit_view(ANA, ana, {"quantity": "40", "batch": "T-1", "crate": "C-1"})
    await shop.settle()
    await shop.workspace.submit_view(BEN, ben, {"quantity": "12", "batch": "T-9", "crate": "C-9"})
    choice = shop.slack.views[ben["id"]]
    assert "already recorded" in str(choice["blocks"]) and len(productions(shop, mo["id"])) == 1
    await shop.workspace.submit_view(BEN, choice, {})  # "Record another batch"
    await shop.settle()
    made = sorted(int(float(p["quantity"])) for p in productions(shop, mo["id"]))
    assert made == [12, 40], made
    label = await shop.store.tasks.get(f"label:{mo['id']}")
    assert label.batch_number == "T-1", "another batch leaves the label task as the first recording made it"


async def test_the_same_facts_twice_within_ten_minutes_are_asked_to_confirm(shop: Sandbox) -> None:
    """Forms opened without a task may record several batches of an MO, but the same person entering the
    same facts twice is asked first. Before: recorded twice."""
    first = await shop.form_from_command(ANA, "/cook")
    await shop.workspace.submit_view(ANA, first, COOK)
    await shop.settle()
    second = await shop.form_from_command(ANA, "/cook")
    await shop.workspace.submit_view(ANA, second, COOK)
    await shop.settle()
    assert len(productions(shop)) == 1
    asked = shop.slack.views[second["id"]]
    assert "You entered exactly this /cook" in str(asked["blocks"]) and asked["submit"]["text"] == "Record it again"
    await shop.workspace.submit_view(ANA, asked, {})
    await shop.settle()
    assert len(productions(shop)) == 2
    third = await shop.form_from_command(ANA, "/cook")  # other facts: no question asked
    await shop.workspace.submit_view(ANA, third, {**COOK, "batch": "B-31"})
    await shop.settle()
    assert len(productions(shop)) == 3


def cook_row(shop: Sandbox, mo: dict) -> dict:
    return min((r for r in shop.katana.operation_rows.values() if r["manufacturing_order_id"] == mo["id"]),
               key=lambda r: r["rank"])


async def test_a_late_timer_sync_never_reopens_a_completed_row(shop: Sandbox) -> None:
    """Ana starts the task's timer but Katana refuses that PATCH, so its sync waits for the worker; she
    records the cook and, between completing the row and closing the task, the worker's sweep runs.
    Before: the sweep PATCHed the row back to IN_PROGRESS after the cook had completed it."""
    from commands import timers

    mo = shop.katana.create_manufacturing_order(variant_id=SOUP_VARIANT_ID, planned_quantity=40)
    task_message = await shop.message_with(f"Cook task: {mo['order_no']}")
    shop.katana.fail_next(4, status=503, method="PATCH", path_prefix="/manufacturing_order_operation_rows")
    await shop.workspace.click_button(ANA, task_message, "task_start", channel_id="C0FLOOR")
    await shop.settle()
    assert (await shop.store.tasks.get(f"cook:{mo['id']}")).katana_sync == "pending"
    form = await shop.form_from_task(ANA, f"Cook task: {mo['order_no']}")
    shop.katana.fail_next(1, method="PATCH", path_prefix="/manufacturing_orders/", hang=1.0)  # the note, slowly
    await shop.workspace.submit_view(ANA, form, {"quantity": "40", "batch": "R-1", "crate": "C-1"})
    for _ in range(100):  # wait until the row is completed (the note is still on its way)
        if cook_row(shop, mo)["status"] == "COMPLETED":
            break
        await asyncio.sleep(0.02)
    await timers.sweep(shop.bot.floor)  # the worker's sweep: resends the pending timer sync
    await shop.settle()
    assert cook_row(shop, mo)["status"] == "COMPLETED"
    assert len(productions(shop, mo["id"])) == 1


async def test_a_note_typed_in_katana_while_the_cook_is_recorded_is_kept(shop: Sandbox) -> None:
    """A supervisor types "allergen check pending, do not ship" on the MO in Katana's app while Ana's
    /cook is writing (its operation row PATCH takes 0.5 s). Before: the bot took that update for the echo
    of its own writes, rewrote additional_info from its memory, and the supervisor's note was gone."""
    mo = shop.katana.create_manufacturing_order(variant_id=SOUP_VARIANT_ID, planned_quantity=40)
    form = await shop.form_from_task(ANA, f"Cook task: {mo['order_no']}")
    shop.katana.fail_next(1, method="PATCH", path_prefix="/manufacturing_order_operation_rows", hang=0.5)
    await shop.workspace.submit_view(ANA, form, {"quantity": "40", "batch": "N-1", "crate": "C-1"})
    for _ in range(100):  # the production is in; the row's PATCH is on its way
        if productions(shop, mo["id"]):
            break
        await asyncio.sleep(0.02)
    shop.katana.note_in_app(mo["id"], "allergen check pending, do not ship")
    await shop.settle()
    text = shop.katana.manufacturing_orders[mo["id"]]["additional_info"]
    assert "allergen check pending, do not ship" in text and "batch N-1, 40 in crate C-1" in text, text


def reopens_a_task(call: Call) -> bool:
    update = call.args[1] if len(call.args) > 1 else {}
    return (call.collection == "production_tasks" and call.method == "find_one_and_update"
            and isinstance(update, dict) and (update.get("$set") or {}).get("status") == "open")


async def test_a_store_error_in_the_middle_of_an_undo_is_resumed_to_the_end() -> None:
    """The store fails once right after the undo deleted the production in Katana. Before: the production
    was gone in Katana but the cook task stayed done, the label task open, no audit entry, and the Undo
    button answered "already undone" for ever. Now the undo is a floor action the worker resumes."""
    faults = Faults()
    async with shop_floor(store=flaky_store(faults)) as shop:
        mo = shop.katana.create_manufacturing_order(variant_id=SOUP_VARIANT_ID, planned_quantity=40)
        form = await shop.form_from_task(ANA, f"Cook task: {mo['order_no']}")
        await shop.workspace.submit_view(ANA, form, {"quantity": "40", "batch": "U-1", "crate": "C-1"})
        confirmation = await shop.message_with("cooked 40")
        once = [True]
        faults.rule = lambda call: reopens_a_task(call) and bool(once) and once.pop()
        await shop.workspace.click_button(ANA, confirmation, "action_author_undo", channel_id=confirmation["channel"])
        await shop.settle()
        assert faults.failed and all(p["deleted_at"] for p in productions(shop, mo["id"]))
        await shop.store.db["floor_actions"].update_many({}, {"$set": {"next_attempt_at": None}})
        await shop.bot.recorder.resume_due()  # the worker's next sweep
        await shop.settle()
        deletes = [r for r in shop.katana.requests if r.method == "DELETE"]
        assert len(deletes) == 1, "the production is deleted once"
        assert (await shop.store.tasks.get(f"cook:{mo['id']}")).status == "open"
        assert await shop.store.tasks.get(f"label:{mo['id']}") is None  # withdrawn: nobody had started it
        audit = [(e.subject, e.outcome) for e in await shop.store.audit.for_order(mo["id"]) if e.kind == "floor_action"]
        assert ("/cook", "undone by its author") in audit
        assert (await shop.store.undo_offers.get((await shop.store.db["floor_actions"].find_one(
            {"command": "cook"}))["_id"]))["state"] == "undone"
        shown = shop.slack.find_message(confirmation["channel"], confirmation["ts"])
        assert "undid /cook" in shown["text"] and "undone: production" in str(shown["blocks"])
        again = await shop.form_from_task(BEN, f"Cook task: {mo['order_no']}")  # the task is free again
        await shop.workspace.submit_view(BEN, again, {"quantity": "39", "batch": "U-2", "crate": "C-2"})
        await shop.settle()
        assert [p for p in productions(shop, mo["id"]) if not p["deleted_at"]]


async def test_a_claim_whose_action_was_never_saved_does_not_block_the_task_for_ever() -> None:
    """The store fails right after Ana's submission claimed the cook task, before her action is saved.
    Before: the claim named an action that never existed, and everyone after her was told "already
    recorded" for ever. Now a minute later the next submission takes the orphaned claim over."""
    faults = Faults()
    async with shop_floor(store=flaky_store(faults)) as shop:
        mo, ana, ben = await two_forms_from_one_task(shop)
        once = [True]
        faults.rule = lambda call: (call.collection == "floor_actions" and call.method == "insert_one"
                                    and bool(once) and once.pop())
        await shop.workspace.submit_view(ANA, ana, {"quantity": "40", "batch": "O-1", "crate": "C-1"})
        await shop.settle()
        assert faults.failed and productions(shop, mo["id"]) == []
        await shop.workspace.submit_view(BEN, ben, {"quantity": "39", "batch": "O-2", "crate": "C-2"})
        assert "already recorded" in str(shop.slack.views[ben["id"]]), "within the minute the claim still holds"
        await shop.store.db["claims"].update_many({}, {"$set": {"at": utcnow() - timedelta(minutes=2)}})
        again = await shop.form_from_task(BEN, f"Cook task: {mo['order_no']}")
        await shop.workspace.submit_view(BEN, again, {"quantity": "39", "batch": "O-2", "crate": "C-2"})
        await shop.settle()
        assert [int(float(p["quantity"])) for p in productions(shop, mo["id"])] == [39]
