"""A task post cut short by a crash: taken over by the worker's sweep, never lost, never doubled."""
from __future__ import annotations

import asyncio
from datetime import timedelta

from commands import cards
from commands.chain import TASK_POSTED, post_unposted
from models.base import utcnow
from models.tasks import ProductionTask, task_id
from sandbox.harness import Sandbox

MO_ID = 424242


async def unposted_task(shop: Sandbox) -> ProductionTask:
    now = utcnow()
    task = ProductionTask(_id=task_id("cook", MO_ID), kind="cook", mo_id=MO_ID, mo_order_no="MO-4242",
                          source="webhook", created_at=now, updated_at=now)
    created, _ = await shop.store.tasks.open_task(task)
    shop.store.tasks.posting_stale = timedelta(seconds=0.05)
    return created


def posts_of(shop: Sandbox) -> list[dict]:
    return shop.messages_with("MO-4242")


async def test_a_claimed_post_that_never_went_out_is_posted_by_the_sweep(shop: Sandbox) -> None:
    task = await unposted_task(shop)
    assert await shop.store.tasks.claim_posting(task.id) is not None  # …and the bot died here
    assert await post_unposted(shop.bot.floor) == 0  # the claim is fresh: someone may still be posting
    await asyncio.sleep(0.1)
    assert await post_unposted(shop.bot.floor) == 1
    [message] = posts_of(shop)
    assert (await shop.store.tasks.get(task.id)).message_ts == message["ts"]
    assert await post_unposted(shop.bot.floor) == 0 and len(posts_of(shop)) == 1


async def test_a_post_that_reached_slack_before_the_crash_is_attached_not_repeated(shop: Sandbox) -> None:
    task = await unposted_task(shop)
    await shop.store.tasks.claim_posting(task.id)
    # The post went out, but the bot died before it stored Slack's answer.
    sent = await shop.bot.slack.chat_postMessage(
        channel=shop.bot.floor.settings.floor_channel, **cards.task_message(task, ""),
        metadata={"event_type": TASK_POSTED, "event_payload": {"task_id": task.id}})
    await asyncio.sleep(0.1)
    await post_unposted(shop.bot.floor)
    assert len(posts_of(shop)) == 1
    assert (await shop.store.tasks.get(task.id)).message_ts == sent["ts"]
