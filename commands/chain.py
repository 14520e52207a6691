"""The production chain: cook → label → pack → ship.

Both the floor commands and Katana's webhooks move an MO along the chain through these functions,
so a stage finished in Slack and the same stage finished in Katana's own app end in the same state:
one task per MO and stage, announced once.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from commands import cards
from commands.context import Floor
from commands.ports import Message, SlackRefused
from integrations.katana.models import ManufacturingOrder
from models.base import utcnow
from models.tasks import NEXT_STAGE, ProductionTask, TaskKind, TaskSource, task_id

log = logging.getLogger(__name__)
Render = Callable[[ProductionTask, str], Message]
TASK_POSTED = "floor_task_posted"  # message metadata: lets a restarted bot find a post it never saw answered


@dataclass(frozen=True)
class OrderRef:
    """What the chain needs to know about an MO."""

    mo_id: int
    order_no: str
    planned_quantity: Decimal | None = None
    sku: str | None = None
    sales_order_id: int | None = None
    linked_to_sales_order: bool = False


def order_ref(mo: ManufacturingOrder, sku: str | None = None) -> OrderRef:
    return OrderRef(mo.id, mo.order_no, mo.planned_quantity, sku, mo.sales_order_id,
                    bool(mo.is_linked_to_sales_order or mo.sales_order_id))


def next_stage(stage: str, order: OrderRef) -> TaskKind | None:
    following = NEXT_STAGE.get(stage)
    if following == "ship" and not order.linked_to_sales_order:
        return None  # made for stock, not for an order: nothing to ship from the floor
    return following


async def open_task(floor: Floor, order: OrderRef, kind: TaskKind, *, source: TaskSource,
                    details: dict[str, Any] | None = None) -> tuple[ProductionTask, bool]:
    """Create the task for (MO, stage) once and post it; a second caller only adds its details."""
    now = utcnow()
    details = {k: v for k, v in (details or {}).items() if v is not None}
    task = ProductionTask.model_validate({
        "_id": task_id(kind, order.mo_id), "kind": kind, "mo_id": order.mo_id, "mo_order_no": order.order_no,
        "sku": order.sku, "planned_quantity": order.planned_quantity, "sales_order_id": order.sales_order_id,
        "source": source, "created_at": now, "updated_at": now, **details})
    task, created = await floor.store.tasks.open_task(task)
    if details and not created and task.is_open:
        task = await floor.store.tasks.add_details(task.id, **details) or task
        await refresh_task_message(floor, task, cards.task_message)
    if task.is_open and task.message_ts is None:
        await post_once(floor, task.id)  # also retries a post that failed on an earlier delivery
    return task, created


async def post_once(floor: Floor, tid: str) -> None:
    before = await floor.store.tasks.claim_posting(tid)
    if before is None:
        return  # posted already, or someone is posting it now
    if before.posting_since is not None and await attach_earlier_post(floor, before):
        return  # the earlier attempt reached Slack before it was cut short: never post it twice
    await post_task(floor, before)


async def post_unposted(floor: Floor) -> int:
    """The worker's sweep: tasks whose message a crash or a Slack outage left unposted."""
    tids = await floor.store.tasks.unposted()
    for tid in tids:
        await post_once(floor, tid)
    return len(tids)


async def attach_earlier_post(floor: Floor, task: ProductionTask) -> bool:
    """Look in the channel for the message an interrupted post may have left (it carries the task id)."""
    channel = floor.settings.floor_channel
    if not channel or task.posting_since is None:
        return False
    try:
        history = await history_as_member(floor, channel, oldest=task.posting_since.timestamp() - 5)
    except SlackRefused as exc:
        # A private channel the bot is not in refuses the join, and refused the earlier post too: there is
        # nothing to find. Any other refusal leaves it unknown: posting again risks a double, not posting
        # risks a lost task (`bot check` and /healthz say when the bot is not in the channel).
        log.warning("could not check %s for task %s: %s; posting it", channel, task.id, exc.error)
        return False
    for message in history:
        payload = (message.get("metadata") or {}).get("event_payload") or {}
        if payload.get("task_id") == task.id:
            await floor.store.tasks.attach_message(task.id, channel, message["ts"])
            return True
    return False


async def history_as_member(floor: Floor, channel: str, *, oldest: float) -> list[dict[str, Any]]:
    """The channel's recent messages. Slack shows history only to members, while `chat:write.public` lets the
    bot post without being one: when Slack says it is not in the channel, it joins (a public channel) first."""
    try:
        return await floor.slack.history(channel, oldest=oldest, limit=200)
    except SlackRefused as exc:
        if exc.error != "not_in_channel":
            raise
    log.info("joining %s to read its history (the bot was not a member)", channel)
    await floor.slack.join(channel)
    return await floor.slack.history(channel, oldest=oldest, limit=200)


async def stage_finished(floor: Floor, order: OrderRef, stage: str, *, by: str | None,
                         details: dict[str, Any] | None = None,
                         source: TaskSource = "floor_action") -> ProductionTask | None:
    """A stage is done for an MO: close its task (if open) and open the next stage's task."""
    stage_task = task_id(stage, order.mo_id)
    if not order.sku:  # the floor action does not look the SKU up; the stage's task knows it
        known = await floor.store.tasks.get(stage_task)
        order = replace(order, sku=known.sku if known else None)
    finished = await floor.store.tasks.finish(stage_task, by=by, source=source)
    if finished is None and source == "floor_action" and by:
        finished = await floor.store.tasks.credit(stage_task, by=by)  # the webhook got there first
    if finished is not None:
        await refresh_task_message(floor, finished, cards.task_done_message)
    following = next_stage(stage, order)
    if following is None:
        return None
    task, _ = await open_task(floor, order, following, source=source, details=details)
    return task


async def order_done(floor: Floor, order: OrderRef, *, by: str | None = None) -> list[ProductionTask]:
    """The MO is DONE in Katana: no production stage is left to do; shipping may be."""
    open_tasks = await floor.store.tasks.open_for_order(order.mo_id)
    if not order.sku:  # (a floor command's read does not look the SKU up; its tasks know it)
        order = replace(order, sku=next((t.sku for t in open_tasks if t.sku), None))
    closed = await close_production_tasks(floor, open_tasks, reason="MO done in Katana", by=by)
    if next_stage("pack", order) == "ship":
        await open_task(floor, order, "ship", source="webhook")
    return closed


async def order_deleted(floor: Floor, mo_id: int) -> list[ProductionTask]:
    """The MO is gone from Katana: it is offered no more, and no production stage of it can be recorded."""
    await floor.orders.sync.closed("mo", mo_id)
    return await close_production_tasks(floor, await floor.store.tasks.open_for_order(mo_id),
                                        reason="MO deleted in Katana")


async def close_production_tasks(floor: Floor, tasks: list[ProductionTask], *, reason: str,
                                 by: str | None = None) -> list[ProductionTask]:
    closed = []
    for task in tasks:
        if task.kind == "ship":
            continue
        finished = await floor.store.tasks.finish(task.id, by=by, reason=reason, status="closed", source="webhook")
        if finished is not None:
            closed.append(finished)
            await refresh_task_message(floor, finished, cards.task_done_message)
    return closed


async def post_task(floor: Floor, task: ProductionTask) -> None:
    channel = floor.settings.floor_channel
    if not channel:  # (the claim stays, so the post is retried once the claim goes stale)
        log.warning("FLOOR_CHANNEL is not set: task %s was created but not posted", task.id)
        return
    task = await floor.store.tasks.get(task.id) or task  # details another source added meanwhile
    try:
        posted = await floor.slack.post(channel, cards.task_message(task, floor.katana_link(task.mo_id)),
                                        metadata={"event_type": TASK_POSTED, "event_payload": {"task_id": task.id}})
        await floor.store.tasks.attach_message(task.id, posted.channel, posted.ts)
        latest = await floor.store.tasks.get(task.id)
        if latest is not None and latest.updated_at != task.updated_at:  # details arrived while posting
            await refresh_task_message(floor, latest, cards.task_message if latest.is_open else cards.task_done_message)
    except SlackRefused as exc:
        log.error("could not post task %s to %s: %s", task.id, channel, exc.error)


async def refresh_task_message(floor: Floor, task: ProductionTask, render: Render) -> None:
    if not (task.channel and task.message_ts):
        return
    try:
        await floor.slack.update(task.channel, task.message_ts, render(task, floor.katana_link(task.mo_id)))
    except SlackRefused as exc:
        log.warning("could not update task message %s: %s", task.id, exc.error)
