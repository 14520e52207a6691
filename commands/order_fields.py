"""What the order fields of every form share: the order a person named after the command, and which
submitted orders the field could have offered.
"""
from __future__ import annotations

from typing import Any

from commands.context import Floor
from commands.fields import Form
from commands.mrkdwn import escape
from models.base import whole_number
from models.open_orders import Kind, OpenOrder

ORDER_NOUNS = {"mo": "manufacturing order", "so": "sales order", "po": "purchase order"}


async def typed_order(floor: Floor, kind: Kind, typed: str) -> tuple[OpenOrder | None, str | None]:
    """The open order a person named after the command, or why not and the closest open ones."""
    found, closest = await floor.orders.find(kind, typed)
    if found is not None:
        return found, None
    noun = ORDER_NOUNS[kind]
    said = f"No open {noun} has the number *{escape(typed.strip()[:40])}*."
    if not closest:
        return None, f"{said} Choose it below."
    return None, f"{said} Closest: {', '.join(escape(o.order_no) for o in closest)}. Choose it below."


async def offered(floor: Floor, kind: Kind, block_id: str, form: Form, metadata: dict[str, Any]) -> set[str]:
    """What the order field could have offered, for the submitted value: an open order of the store,
    or the order of the task the form was opened from. Anything else — a crafted id, an order closed
    since — is refused at the field."""
    value = str(form.raw(block_id) or "")
    order_id = whole_number(value)
    if order_id is None:
        return set()
    if await floor.orders.is_open(kind, order_id):
        return {value}
    task = await floor.store.tasks.get(str(metadata.get("task") or "")) if metadata.get("task") else None
    if task is None or not task.is_open:
        return set()
    return {value} if str(task.sales_order_id if kind == "so" else task.mo_id) == value else set()
