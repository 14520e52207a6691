"""A running timer belongs to whoever started it: only they or a supervisor may pause or block it; a task
whose timer is not running may be blocked by anyone on the stage's list (issue 14, point 10)."""
from __future__ import annotations

from sandbox.harness import FLOOR, Sandbox, shop_floor
from sandbox.katana_seed import SOUP_VARIANT_ID
from tests.test_scenario_timers import pause_with, tap

ANA, BEN, SAM = "U0ANA", "U0BEN", "U0SUP"


async def started_by_ana(shop: Sandbox) -> tuple[str, dict]:
    mo = shop.katana.create_manufacturing_order(variant_id=SOUP_VARIANT_ID, planned_quantity=50)
    message = await shop.message_with(f"Cook task: {mo['order_no']}")
    await tap(shop, ANA, message, "task_start")
    return f"cook:{mo['id']}", message


async def test_someone_else_cannot_pause_or_block_a_running_timer_and_is_told_why() -> None:
    async with shop_floor(supervisors=SAM) as shop:
        tid, message = await started_by_ana(shop)
        for action in ("task_pause", "task_block"):
            before = len(shop.slack.calls)
            await tap(shop, BEN, message, action)
            assert [c.method for c in shop.slack.calls[before:]] == ["chat.postEphemeral"], "no form for Ben"
            told = shop.slack.ephemerals[-1]
            assert told["user"] == BEN and "only they or a supervisor" in told["text"] and "Ana Lopez" in told["text"]
        task = await shop.store.tasks.get(tid)
        assert task.timer_state == "running" and task.assignee == ANA


async def test_a_replayed_pause_form_from_someone_else_changes_nothing() -> None:
    async with shop_floor(supervisors=SAM) as shop:
        tid, message = await started_by_ana(shop)
        before = len(shop.slack.calls)
        current = shop.slack.find_message(message["channel"], message["ts"])
        await shop.workspace.click_button(ANA, current, "task_pause", channel_id=FLOOR)
        form = await shop.opened_form(before)  # Ana's own form; Ben submits it
        reply = await shop.workspace.submit_view(BEN, form, {"reason": "Break", "detail": None})
        await shop.settle()
        assert reply.status == 200
        assert (await shop.store.tasks.get(tid)).timer_state == "running"
        assert "only they or a supervisor" in shop.slack.ephemerals[-1]["text"]


async def test_the_runner_and_a_supervisor_may_and_anyone_may_block_a_stopped_task() -> None:
    async with shop_floor(supervisors=SAM) as shop:
        tid, message = await started_by_ana(shop)
        await pause_with(shop, SAM, message, "task_pause", "Shift change")  # a supervisor
        task = await shop.store.tasks.get(tid)
        assert (task.timer_state, task.timer_by) == ("paused", "Sam Supervisor")
        await tap(shop, ANA, message, "task_start")
        await pause_with(shop, ANA, message, "task_pause", "Break")  # her own timer
        await pause_with(shop, BEN, message, "task_block", "Equipment broken")  # not running: anyone on the list
        task = await shop.store.tasks.get(tid)
        assert (task.timer_state, task.timer_by) == ("blocked", "Ben Carter")
