"""Options for the type-ahead order fields (`external_select`): what a person typed → open orders.

Slack sends a signed `block_suggestion` request to the interactivity options URL (/slack/events, so
bot/slack_guard.py checks it like every other request) for each character typed, and shows whatever
comes back within its short deadline. The answer comes from the store's search (models.open_orders):
no Katana call per keystroke. Order numbers are for the people who may use the form: the view's
command is checked against the allow lists, as when the form was opened.
"""
from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from commands.context import Floor
from models.open_orders import Kind

ORDER_FIELDS: dict[str, Kind] = {"mo": "mo", "so": "so", "po": "po"}  # action_id → the orders it offers
FORM_COMMANDS = {"cook_form": "cook", "label_form": "label", "pack_form": "pack", "ship_pick": "ship",
                 "receive_photo": "receive", "receive_unreadable": "receive"}  # callback_id → whose allow list applies
MAX_TYPED = 100


def register(app: AsyncApp, floor: Floor) -> None:
    for action_id, kind in ORDER_FIELDS.items():
        app.options(action_id)(order_suggestions(floor, kind))


def order_suggestions(floor: Floor, kind: Kind) -> Any:
    async def on_options(ack: Any, body: dict[str, Any]) -> None:
        command = FORM_COMMANDS.get(str((body.get("view") or {}).get("callback_id") or ""))
        user = str((body.get("user") or {}).get("id") or "")
        if command is None or not await floor.permissions.allows(user, command):
            await ack(options=[])
            return
        found = await floor.orders.search(kind, str(body.get("value") or "")[:MAX_TYPED])
        # Plain dicts: slack_sdk's option objects cost more than the search (labels are ≤ 75 characters).
        await ack(options=[{"text": {"type": "plain_text", "text": (o.label or o.order_no)[:75]},
                            "value": str(o.order_id)} for o in found])
    return on_options
