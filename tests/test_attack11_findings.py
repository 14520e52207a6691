"""Review of 046e73d..b78b9e2 (attack11): interleavings under which a task, a label task or an operation
row ends in the wrong state after an Undo of one of several cooks of one order."""
from __future__ import annotations

from decimal import Decimal

from sandbox.harness import Sandbox
from sandbox.katana_seed import SO7_ID, SOUP_VARIANT_ID

ANA, BEN = "U0ANA", "U0BEN"


async def resume_now(shop: Sandbox) -> None:
    await shop.store.db["floor_actions"].update_many({}, {"$set": {"next_attempt_at": None}})
    await shop.bot.recorder.resume_due()
    await shop.settle()


async def tap_undo(shop: Sandbox, user: str, confirmation: dict) -> None:
    await shop.workspace.click_button(user, confirmation, "action_author_undo", channel_id=confirmation["channel"])
    await shop.settle()


def new_order(shop: Sandbox) -> dict:
    return shop.katana.create_manufacturing_order(variant_id=SOUP_VARIANT_ID, planned_quantity=120,
                                                  sales_order_id=SO7_ID)


def cook_row(shop: Sandbox, mo: dict) -> dict:
    return min((r for r in shop.katana.operation_rows.values() if r["manufacturing_order_id"] == mo["id"]),
               key=lambda r: r["rank"])


def live(shop: Sandbox, mo: dict) -> list[Decimal]:
    return sorted(Decimal(str(p["quantity"])) for p in shop.katana.productions.values()
                  if p["manufacturing_order_id"] == mo["id"] and not p["deleted_at"])


async def ana_cooks_the_task(shop: Sandbox) -> tuple[dict, dict]:
    """A new order; Ana records its cook task (118). The order and her confirmation."""
    mo = new_order(shop)
    await shop.settle()
    form = await shop.form_from_task(ANA, f"Cook task: {mo['order_no']}")
    await shop.workspace.submit_view(ANA, form, {"quantity": "118", "batch": "B-8", "crate": "C-1"})
    await shop.settle()
    return mo, await shop.message_with("cooked 118")


async def further_cook(shop: Sandbox, mo: dict, quantity: str = "5") -> dict:
    form = await shop.form_from_command(BEN, "/cook")
    await shop.workspace.submit_view(BEN, form, {"mo": str(mo["id"]), "quantity": quantity, "batch": "B-9",
                                                 "crate": "C-9"})
    await shop.settle()
    return await shop.message_with(f"cooked {quantity}")


async def test_undoing_a_further_cook_reopens_a_task_katanas_own_app_completed(shop: Sandbox) -> None:
    """The cook step is completed in Katana's own app (its webhook closes the cook task, opens the
    label task). Ben then types /cook for a further 5: his cook writes no operation row (it was
    completed), yet tasks.credit hands him the task (`done_action` = Ben). When Ben undoes his 5, the
    cook task reopens and the label task is withdrawn, while Katana still shows the cook step
    COMPLETED and nothing Ben did closed it. On the floor: the cook crew is told to cook the order
    again, and the labeller's task vanishes, for a cook that stands."""
    mo = new_order(shop)
    await shop.settle()
    shop.katana.complete_operation_in_app(cook_row(shop, mo)["id"])
    await shop.settle()
    cook = await shop.store.tasks.get(f"cook:{mo['id']}")
    assert cook is not None and cook.status == "done"
    assert (await shop.store.tasks.get(f"label:{mo['id']}")).is_open

    confirmation = await further_cook(shop, mo)
    await tap_undo(shop, BEN, confirmation)

    assert cook_row(shop, mo)["status"] == "COMPLETED"  # Ben's undo rightly leaves the row alone
    cook = await shop.store.tasks.get(f"cook:{mo['id']}")
    assert cook.status == "done", "Ben's further cook did not close the cook task: his Undo must not reopen it"
    label = await shop.store.tasks.get(f"label:{mo['id']}")
    assert label is not None and label.is_open, "the cook done in Katana stands: its label task must stay"


async def test_a_further_cook_takes_the_task_from_a_waiting_cook_and_its_undo_reopens_it(shop: Sandbox) -> None:
    """Ana's cook task: her PATCH completing the cook row is applied but its answer lost, so her action
    waits; Katana's webhook (her action not recorded) closes the cook task as 'done in Katana'. Ben
    types /cook for a further 5 meanwhile: tasks.credit gives *him* the task. Ana's retry completes;
    her advance_chain can no longer credit (done_source is floor_action now). Ben then undoes his 5:
    the task reopens and the label task goes, though Ana's 118 and the COMPLETED row stand. The
    labeller loses the task for 118 cooked soups; the cook task says to cook them again."""
    mo = new_order(shop)
    await shop.settle()
    form = await shop.form_from_task(ANA, f"Cook task: {mo['order_no']}")
    shop.katana.fail_next(20, status=500, method="PATCH", path_prefix="/manufacturing_order_operation_rows",
                          apply_first=True)  # every try of this run: the action waits
    await shop.workspace.submit_view(ANA, form, {"quantity": "118", "batch": "B-8", "crate": "C-1"})
    await shop.settle()
    assert cook_row(shop, mo)["status"] == "COMPLETED"
    shop.katana._faults.clear()  # Katana answers again from here
    [ana] = [a async for a in shop.store.db["floor_actions"].find({"user_id": ANA, "command": "cook"})]

    confirmation = await further_cook(shop, mo)
    await resume_now(shop)
    ana = await shop.store.db["floor_actions"].find_one({"_id": ana["_id"]})
    assert ana["status"] == "recorded"

    await tap_undo(shop, BEN, confirmation)
    assert live(shop, mo) == [Decimal(118)]
    assert cook_row(shop, mo)["status"] == "COMPLETED"
    cook = await shop.store.tasks.get(f"cook:{mo['id']}")
    assert cook.status == "done", "Ana's cook closed the task; Ben's Undo of his further 5 reopened it"
    label = await shop.store.tasks.get(f"label:{mo['id']}")
    assert label is not None and label.is_open, "Ana's 118 stand: the label task must stay"


async def test_undoing_the_first_cook_reopens_the_row_a_standing_further_cook_needs(shop: Sandbox) -> None:
    """Ana records the cook task (118); Ben types /cook for a further 5 (recorded). Ana undoes hers.
    Ben's 5 stand in Katana, yet the cook row goes back to IN_PROGRESS and the label task for Ben's
    5 is withdrawn. The same events with Ben's cook recorded *after* Ana's Undo (the commit's own
    test_a_cook_that_waited_completes_the_step_an_undo_reopened_meanwhile) end with the row COMPLETED:
    the end state depends on which came first. On the floor: 5 soups cooked and booked, nobody is
    told to label them, and Katana's step says the cooking is not done."""
    mo, ana_confirmation = await ana_cooks_the_task(shop)
    await further_cook(shop, mo)

    await tap_undo(shop, ANA, ana_confirmation)
    assert live(shop, mo) == [Decimal(5)]
    assert cook_row(shop, mo)["status"] == "COMPLETED", "Ben's recorded cook stands: its step is done"
    label = await shop.store.tasks.get(f"label:{mo['id']}")
    assert label is not None and label.is_open, "Ben's 5 stand: someone must label them"


async def test_a_waiting_cook_retried_during_an_undo_leaves_its_step_reopened(shop: Sandbox) -> None:
    """The race the commit's still_completed fix leaves open. Ana's /cook completed the cook step; Ben's
    /cook waits (its POST lost before Katana booked it). Ana taps Undo; her reversal's PATCH setting the
    row back to IN_PROGRESS is slow to be answered (and applied). Ben's retry runs meanwhile: its
    still_completed re-read sees COMPLETED, so it writes no row, and is recorded. Then Ana's PATCH lands.
    The undo side takes no row lock (complete_operation does), so the check and the reopen interleave.
    End: Ben's 12 booked, his action 'operation completed' (kept), Katana's cook step IN_PROGRESS."""
    import asyncio

    from sandbox.katana_seed import MO101_ID

    cook = {"mo": str(MO101_ID), "quantity": "30", "batch": "B-30", "crate": "C-30"}
    form = await shop.form_from_command(ANA, "/cook")
    await shop.workspace.submit_view(ANA, form, cook)
    ana_confirmation = await shop.message_with("cooked 30")
    row_id = next(r["id"] for r in shop.katana.operation_rows.values() if r["manufacturing_order_id"] == MO101_ID
                  and r["status"] == "COMPLETED")

    ben_form = await shop.form_from_command(BEN, "/cook")
    shop.katana.fail_next(1, status=500, method="POST", path_prefix="/manufacturing_order_productions")
    await shop.workspace.submit_view(BEN, ben_form, {**cook, "quantity": "12", "batch": "B-31", "crate": "C-31"})
    await shop.settle()

    shop.katana.fail_next(1, method="PATCH", path_prefix=f"/manufacturing_order_operation_rows/{row_id}", hang=1.5)
    await shop.workspace.click_button(ANA, ana_confirmation, "action_author_undo",
                                      channel_id=ana_confirmation["channel"])
    await asyncio.sleep(0.3)  # Ana's reversal is waiting for Katana's answer to its row PATCH
    await shop.store.db["floor_actions"].update_many({}, {"$set": {"next_attempt_at": None}})
    await shop.bot.recorder.resume_due()
    await shop.settle()

    [ben] = [a async for a in shop.store.db["floor_actions"].find({"command": "cook", "user_id": BEN})]
    assert ben["status"] == "recorded"
    assert [p["quantity"] for p in shop.katana.productions.values()
            if p["manufacturing_order_id"] == MO101_ID and not p["deleted_at"]] == [12]
    assert shop.katana.operation_rows[row_id]["status"] == "COMPLETED", "Ben's cook is recorded: its step is done"


async def test_undoing_the_cook_an_undo_left_the_step_to_takes_the_step_back(shop: Sandbox) -> None:
    """The other half of test_undoing_the_first_cook_reopens_the_row_a_standing_further_cook_needs: Ana's
    Undo left the cook step COMPLETED because Ben's further 5 stood. Ben then undoes his 5 too: no cook of
    the order stands, yet his Undo left the step COMPLETED and the label task open (his cook had found the
    step completed and wrote nothing to it, so it had nothing to take back). The step Ana's Undo kept was
    handed to Ben's cook: his Undo takes it back. Right: step IN_PROGRESS, cook task open, label task
    withdrawn, no production left. Fails without the hand-over (reversal.handed_the_stage): COMPLETED."""
    mo, ana_confirmation = await ana_cooks_the_task(shop)
    ben_confirmation = await further_cook(shop, mo)
    await tap_undo(shop, ANA, ana_confirmation)
    assert cook_row(shop, mo)["status"] == "COMPLETED"

    await tap_undo(shop, BEN, ben_confirmation)
    assert live(shop, mo) == []
    assert cook_row(shop, mo)["status"] == "IN_PROGRESS", "no cook of the order stands: its step is to do again"
    cook = await shop.store.tasks.get(f"cook:{mo['id']}")
    assert cook is not None and cook.is_open
    label = await shop.store.tasks.get(f"label:{mo['id']}")
    assert label is None or not label.is_open, "nothing cooked stands: nothing to label"
