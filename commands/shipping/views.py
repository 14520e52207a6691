"""The /ship modals: pick the order and how it ships, then the rows, batches and carrier or FBA details."""
from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    Block,
    InputBlock,
    NumberInputElement,
    Option,
    RadioButtonsElement,
    StaticSelectElement,
)

from commands import cards
from commands.fields import Form
from commands.forms import code_input, order_element, quantity_input
from commands.mrkdwn import escape
from commands.orders import OrderList
from commands.shipping.offer import OfferRow, ShipOffer, amount
from models.open_orders import OpenOrder

TITLE = "Record shipping"
PICK_CALLBACK = "ship_pick"
FORM_CALLBACK = "ship_form"
MAX_ROWS = 30  # two inputs a row keeps the form under Slack's 100 blocks
METHODS = {"carrier": "By carrier (fulfilment in Katana)", "fba": "To Amazon FBA (stock transfer)",
           "deliver": "Packed earlier: mark delivered"}
STATUSES = {"DELIVERED": "Shipped: handed to the carrier", "PACKED": "Packed: waiting for pickup"}
CARRIER_LEN, TRACKING_LEN = 60, 100  # what a person may type (Katana: a carrier of any length, tracking ≤ 256)


def carrier_name(form: Form, *, required: bool) -> str | None:
    """A carrier is a name ("Royal Mail (24h)", "Correos Exprés", "own van"), not a code printed on our labels:
    any text, shown escaped wherever it is put into mrkdwn (commands/ship.py), as Katana takes any string."""
    return form.text("carrier", "carrier", required=required, max_len=CARRIER_LEN)


def pick_view(orders: OrderList | None, *, channel_id: str | None, task_id: str | None,
              chosen: OpenOrder | None = None, warning: str | None = None) -> dict[str, Any]:
    """The order (a plain select of the open ones, or a type-ahead search when there are many) and how
    it ships."""
    methods = [Option(value=key, text=text) for key, text in METHODS.items()]
    hint = "Type part of the order number, a SKU or a product." if orders and orders.searchable else None
    blocks: list[Block] = [cards.text(f":warning: {warning}")] if warning else []
    blocks += [
        InputBlock(block_id="so", label="Sales order", hint=hint,
                   element=order_element("so", "Choose the order", orders, chosen)),
        InputBlock(block_id="method", label="How it ships", element=RadioButtonsElement(
            action_id="method", options=methods, initial_option=methods[0])),
    ]
    metadata = {"ch": channel_id, "task": task_id}
    return cards.modal(TITLE, blocks, callback_id=PICK_CALLBACK, submit="Next", close="Cancel", metadata=metadata)


def row_blocks(row: OfferRow) -> list[Block]:
    hint = f"{amount(row.ordered)} ordered, {amount(row.shipped)} shipped, {amount(row.in_stock)} in stock"
    quantity = quantity_input(f"q_{row.row_id}", f"{row.label}"[:150], initial=row.remaining.normalize(), hint=hint)
    quantity.optional = True  # an empty quantity means this row does not go out now
    blocks: list[Block] = [quantity]
    if row.tracked and row.batches:
        options = [Option(value=str(b.batch_id), text=f"{b.number} · {amount(b.in_stock)} in stock"[:75])
                   for b in row.batches[:100]]
        suggested = row.suggested_batch()
        initial = next((o for o in options if suggested and o.value == str(suggested.batch_id)), None)
        blocks.append(InputBlock(block_id=f"b_{row.row_id}", label=f"Batch of {row.sku}"[:150], optional=True,
                                 element=StaticSelectElement(action_id=f"b_{row.row_id}", options=options,
                                                             initial_option=initial, placeholder="Batch")))
    elif row.tracked:
        blocks.append(cards.note(f":warning: No batch of {escape(row.sku)} is in stock at the order's location."))
    return blocks


def carrier_blocks() -> list[Block]:
    statuses = [Option(value=key, text=text) for key, text in STATUSES.items()]
    return [
        code_input("carrier", "Carrier", placeholder="e.g. DHL, UPS, own van", max_length=CARRIER_LEN),
        code_input("tracking", "Tracking number", optional=True, max_length=TRACKING_LEN),
        InputBlock(block_id="status", label="Status", element=RadioButtonsElement(
            action_id="status", options=statuses, initial_option=statuses[0])),
    ]


def fba_blocks(offer: ShipOffer) -> list[Block]:
    return [
        cards.note(f"Stock moves from the order's location to *{escape(offer.fba_location_name)}* in Katana."),
        code_input("shipment", "FBA shipment reference", placeholder="e.g. FBA15ABCD123", max_length=60),
        InputBlock(block_id="pallets", label="Pallets", element=NumberInputElement(
            action_id="pallets", is_decimal_allowed=False, min_value="1", max_value="99")),
    ]


def form_view(offer: ShipOffer, *, draft_id: str, channel_id: str | None, task_id: str | None) -> dict[str, Any]:
    rows = offer.open_rows[:MAX_ROWS]
    blocks: list[Block] = [cards.text(f"*{escape(offer.order_no)}* — what goes out now. Leave a quantity empty to "
                                      "ship that row later.")]
    if len(offer.open_rows) > MAX_ROWS:
        blocks.append(cards.note(f"Showing the first {MAX_ROWS} rows; ship the rest with another /ship."))
    for row in rows:
        blocks += row_blocks(row)
    blocks += fba_blocks(offer) if offer.method == "fba" else carrier_blocks()
    metadata = {"ch": channel_id, "task": task_id, "draft": draft_id}
    return cards.modal(TITLE, blocks, callback_id=FORM_CALLBACK, submit="Record", close="Cancel", metadata=metadata)

