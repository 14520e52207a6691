"""Task buttons with timers, the Record form filled from a task, and scrap — through signed Slack requests."""
from __future__ import annotations

import asyncio
import copy
from datetime import timedelta
from decimal import Decimal
from typing import Any

from bot.alerts.policy import katana_yields
from commands import timers
from integrations.katana import ManufacturingOrder
from sandbox.harness import FLOOR, Sandbox
from sandbox.katana_seed import SO7_ID, SOUP_VARIANT_ID

ANA, BEN = "U0ANA", "U0BEN"


async def cook_task(shop: Sandbox) -> tuple[dict, dict]:
    mo = shop.katana.create_manufacturing_order(variant_id=SOUP_VARIANT_ID, planned_quantity=120, sales_order_id=SO7_ID)
    return mo, await shop.message_with(f"Cook task: {mo['order_no']}")


def cook_row(shop: Sandbox, mo: dict) -> dict:
    return min((r for r in shop.katana.operation_rows.values() if r["manufacturing_order_id"] == mo["id"]),
               key=lambda r: r["rank"])


def row_patches(shop: Sandbox, row: dict) -> list[Any]:
    return [r.body for r in shop.katana.writes(f"/manufacturing_order_operation_rows/{row['id']}")]


async def tap(shop: Sandbox, user: str, message: dict, action: str) -> None:
    """Tap a button on the message as it is now in the channel (it changes as the task moves)."""
    current = shop.slack.find_message(message["channel"], message["ts"]) or message
    await shop.workspace.click_button(user, current, action, channel_id=FLOOR)
    await shop.settle()


async def pause_with(shop: Sandbox, user: str, message: dict, action: str, reason: str, detail: str = "") -> None:
    before = len(shop.slack.calls)
    current = shop.slack.find_message(message["channel"], message["ts"])
    await shop.workspace.click_button(user, current, action, channel_id=FLOOR)
    form = await shop.opened_form(before)
    assert form["callback_id"] in timers.FORMS.values()
    reply = await shop.workspace.submit_view(user, form, {"reason": reason, "detail": detail or None})
    assert reply.status == 200
    await shop.settle()


async def age_timer(shop: Sandbox, task_id: str, minutes: int) -> None:
    """The timer has been running `minutes` longer than it has (the test does not wait an hour)."""
    doc = await shop.store.db["production_tasks"].find_one({"_id": task_id})
    await shop.store.db["production_tasks"].update_one(
        {"_id": task_id}, {"$set": {"timer_running_since": doc["timer_running_since"] - timedelta(minutes=minutes)}})


async def test_started_paused_resumed_and_recorded_with_accumulated_time(shop: Sandbox) -> None:
    mo, message = await cook_task(shop)
    tid = f"cook:{mo['id']}"
    await tap(shop, ANA, message, "task_start")
    task = await shop.store.tasks.get(tid)
    assert task.timer_state == "running" and task.assignee == ANA and task.status == "in_progress"
    shown = shop.slack.find_message(FLOOR, message["ts"])
    assert "Ana Lopez* started" in str(shown["blocks"]) and "running (Ana Lopez)" in shown["text"]
    assert cook_row(shop, mo)["status"] == "IN_PROGRESS"

    await age_timer(shop, tid, 40)
    await pause_with(shop, ANA, message, "task_pause", "Waiting for ingredients", "jars")
    row = cook_row(shop, mo)
    assert row["status"] == "PAUSED" and row["total_actual_time"] == 40 * 60
    assert "Paused by Ana Lopez: Waiting for ingredients — jars" in str(shop.slack.find_message(FLOOR, message["ts"]))

    await tap(shop, ANA, message, "task_start")  # Resume
    assert cook_row(shop, mo)["status"] == "IN_PROGRESS"
    await age_timer(shop, tid, 20)

    form = await shop.form_from_task(ANA, f"Cook task: {mo['order_no']}")
    minutes = next(b for b in form["blocks"] if b.get("block_id") == "minutes")
    assert minutes["element"]["initial_value"] == "60"  # 40 + 20, filled in
    await shop.workspace.submit_view(ANA, form, {"quantity": "118", "crate": "C-1"})
    await shop.settle()
    row = cook_row(shop, mo)
    assert row["status"] == "COMPLETED" and row["total_actual_time"] == 60 * 60
    task = await shop.store.tasks.get(tid)
    assert task.status == "done" and task.timer_state == "stopped" and len(task.intervals) == 1
    assert [p.get("status") for p in row_patches(shop, row)] == ["IN_PROGRESS", "PAUSED", "IN_PROGRESS", "COMPLETED"]
    trail = [e.outcome for e in await shop.store.audit.for_order(mo["id"]) if e.subject == "task timer"]
    assert trail == ["running", "paused", "running"]


async def test_double_start_makes_one_timer(shop: Sandbox) -> None:
    mo, message = await cook_task(shop)
    stale = copy.deepcopy(message)  # a screen that still shows Start after the first tap
    clicks = [shop.workspace.click_button(u, message, "task_start", channel_id=FLOOR) for u in (ANA, ANA, BEN)]
    await asyncio.gather(*clicks)
    await shop.settle()
    task = await shop.store.tasks.get(f"cook:{mo['id']}")
    assert task.timer_state == "running" and task.timer_version == 1 and task.intervals == []
    assert [p["status"] for p in row_patches(shop, cook_row(shop, mo))] == ["IN_PROGRESS"]
    told = [e["text"] for e in shop.slack.ephemerals]
    assert len(told) == 2 and all("started" in t or "already running" in t for t in told)

    await shop.crash_and_restart()  # a restart keeps the one timer; Start again is refused, not doubled
    await shop.workspace.click_button(ANA, stale, "task_start", channel_id=FLOOR)
    await shop.settle()
    again = await shop.store.tasks.get(f"cook:{mo['id']}")
    assert again.timer_version == 1 and again.timer_running_since == task.timer_running_since
    assert "already running" in shop.slack.ephemerals[-1]["text"]


async def test_cook_from_a_task_needs_two_inputs(shop: Sandbox) -> None:
    mo, _ = await cook_task(shop)
    form = await shop.form_from_task(ANA, f"Cook task: {mo['order_no']}")
    inputs = [b for b in form["blocks"] if b.get("type") == "input"]
    to_type = [b["block_id"] for b in inputs if not b.get("optional") and not any(
        b["element"].get(k) for k in ("initial_value", "initial_option"))]
    assert to_type == ["crate"]  # the quantity is suggested; so at most two inputs: check it, type the crate
    await shop.workspace.submit_view(ANA, form, {"quantity": "117", "crate": "C-9"})
    await shop.settle()
    [production] = [p for p in shop.katana.productions.values() if p["manufacturing_order_id"] == mo["id"]]
    assert Decimal(str(production["quantity"])) == 117
    assert f"{mo['order_no']}-" in shop.katana.manufacturing_orders[mo["id"]]["additional_info"]  # suggested batch


async def test_block_sets_the_row_blocked_and_only_resume_is_offered(shop: Sandbox) -> None:
    mo, message = await cook_task(shop)
    await tap(shop, ANA, message, "task_start")
    stale = copy.deepcopy(shop.slack.find_message(FLOOR, message["ts"]))  # a screen still showing Pause
    await pause_with(shop, BEN, message, "task_block", "Equipment broken", "kettle 2 leaks")
    assert cook_row(shop, mo)["status"] == "BLOCKED"
    shown = shop.slack.find_message(FLOOR, message["ts"])
    assert "Blocked by Ben Carter: Equipment broken — kettle 2 leaks" in str(shown["blocks"])
    buttons = [e["action_id"] for b in shown["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert buttons == ["task_start", "task_record"]
    await shop.workspace.click_button(ANA, stale, "task_pause", channel_id=FLOOR)
    await shop.settle()
    assert "isn't running" in shop.slack.ephemerals[-1]["text"]


async def test_a_timer_left_running_is_paused_and_the_operator_told(shop: Sandbox) -> None:
    mo, message = await cook_task(shop)
    await tap(shop, ANA, message, "task_start")
    await age_timer(shop, f"cook:{mo['id']}", 5 * 60)  # past TIMER_AUTO_PAUSE_HOURS (4)
    assert await timers.sweep(shop.bot.floor) == 1
    await shop.settle()
    task = await shop.store.tasks.get(f"cook:{mo['id']}")
    assert task.timer_state == "paused" and task.timer_seconds == 4 * 3600  # counted up to the limit
    row = cook_row(shop, mo)
    assert row["status"] == "PAUSED" and row["total_actual_time"] == 4 * 3600
    told = shop.messages_with("ran over 4 h")  # in the task's thread, mentioning her
    assert len(told) == 1 and told[0]["thread_ts"] == message["ts"] and "<@U0ANA>" in told[0]["text"]
    assert await timers.sweep(shop.bot.floor) == 0  # once


async def test_katana_refusing_the_row_leaves_the_timer_and_the_sweep_resends(shop: Sandbox) -> None:
    mo, message = await cook_task(shop)
    shop.katana.fail_next(1, status=503, method="PATCH", path_prefix="/manufacturing_order_operation_rows")
    await tap(shop, ANA, message, "task_start")
    task = await shop.store.tasks.get(f"cook:{mo['id']}")
    assert task.timer_state == "running"
    if task.katana_sync == "pending":  # the client may have retried the 503 itself
        await timers.sweep(shop.bot.floor)
        await shop.settle()
    assert cook_row(shop, mo)["status"] == "IN_PROGRESS"
    assert (await shop.store.tasks.get(f"cook:{mo['id']}")).katana_sync == "synced"


async def test_scrap_is_noted_on_the_mo_and_counted_by_quality_alerts(shop: Sandbox) -> None:
    mo, _ = await cook_task(shop)
    form = await shop.form_from_task(ANA, f"Cook task: {mo['order_no']}")
    reply = await shop.workspace.submit_view(ANA, form, {"quantity": "112", "crate": "C-2", "scrap": "6"})
    assert reply.json["errors"] == {"scrap_reason": "Choose why it was scrapped."}
    await shop.workspace.submit_view(ANA, form, {"quantity": "112", "crate": "C-2", "scrap": "6", "scrap_reason": "burnt"})
    await shop.settle()
    label = await shop.form_from_task(BEN, f"Label task: {mo['order_no']}")
    await shop.workspace.submit_view(BEN, label, {"to_crate": "C-3"})
    pack = await shop.form_from_task(ANA, f"Pack task: {mo['order_no']}")
    await shop.workspace.submit_view(ANA, pack, {"quantity": "110", "scrap": "2", "scrap_reason": "damaged"})
    await shop.settle()

    order = shop.katana.manufacturing_orders[mo["id"]]
    assert order["status"] == "DONE"
    assert "scrap 6 (burnt)" in order["additional_info"] and "scrap 2 (damaged)" in order["additional_info"]
    assert "scrap 6 (burnt)" in str((await shop.message_with("cooked 112"))["blocks"])
    [finding] = katana_yields([ManufacturingOrder.model_validate(order)], lambda i: "").findings
    assert finding.severity == "medium" and finding.facts["scrap"] == "8 (burnt 6, damaged 2)"
