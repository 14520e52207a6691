"""A task post cut short by a crash: taken over by the worker's sweep, never lost, never doubled."""
from __future__ import annotations

import asyncio
from datetime import timedelta

from commands import cards
from commands.chain import TASK_POSTED, post_unposted
from models.base import utcnow
from models.tasks import ProductionTask, task_id
from sandbox.harness import FLOOR, Sandbox

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


async def crash_cut_post(shop: Sandbox) -> tuple[ProductionTask, dict]:
    """A task whose post reached Slack, then the bot died before it stored Slack's answer."""
    task = await unposted_task(shop)
    await shop.store.tasks.claim_posting(task.id)
    sent = await shop.bot.slack.chat_postMessage(  # chat:write.public: no membership needed to post
        channel=FLOOR, **cards.task_message(task, ""),
        metadata={"event_type": TASK_POSTED, "event_payload": {"task_id": task.id}})
    await asyncio.sleep(0.1)
    return task, sent.data  # type: ignore[return-value]


async def test_the_bot_joins_the_floor_channel_at_start_up(shop: Sandbox) -> None:
    await shop.settle()
    assert shop.slack.roster.is_member(FLOOR)
    assert [c.args["channel"] for c in shop.slack.calls_to("conversations.join")] == [FLOOR]


async def test_a_post_cut_short_in_a_channel_the_bot_is_not_in_is_not_posted_twice(shop: Sandbox) -> None:
    """Old code: history answered not_in_channel (the bot posts with chat:write.public without being a member),
    and the task was posted a second time."""
    await shop.settle()
    shop.slack.roster.remove(FLOOR)  # someone removed the bot (or the start-up join failed)
    task, sent = await crash_cut_post(shop)

    await post_unposted(shop.bot.floor)

    assert len(posts_of(shop)) == 1
    assert (await shop.store.tasks.get(task.id)).message_ts == sent["ts"]
    assert shop.slack.roster.is_member(FLOOR)  # it joined to read the history


async def test_in_a_private_channel_the_bot_is_not_in_nothing_could_have_been_posted(shop: Sandbox) -> None:
    await shop.settle()
    shop.slack.roster.remove(FLOOR)
    shop.slack.roster.make_private(FLOOR)
    task = await unposted_task(shop)
    await shop.store.tasks.claim_posting(task.id)
    await asyncio.sleep(0.1)

    await post_unposted(shop.bot.floor)  # join refused; the post is refused too (no chat:write.public there)

    assert posts_of(shop) == [] and (await shop.store.tasks.get(task.id)).message_ts is None
    shop.slack.roster.invite(FLOOR)  # /invite @shopfloor
    await asyncio.sleep(0.1)
    await post_unposted(shop.bot.floor)
    assert len(posts_of(shop)) == 1
