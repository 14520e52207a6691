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
from commands.forms import code_input, quantity_input
from commands.shipping.offer import OfferRow, ShipOffer, amount
from integrations.katana.models import SalesOrder

TITLE = "Record shipping"
PICK_CALLBACK = "ship_pick"
FORM_CALLBACK = "ship_form"
MAX_ROWS = 30  # two inputs a row keeps the form under Slack's 100 blocks
METHODS = {"carrier": "By carrier (fulfilment in Katana)", "fba": "To Amazon FBA (stock transfer)"}
STATUSES = {"DELIVERED": "Shipped: handed to the carrier", "PACKED": "Packed: waiting for pickup"}


def order_label(order: SalesOrder) -> str:
    rows = len(order.sales_order_rows)
    parts = [order.order_no, (order.status or "").replace("_", " ").lower(), f"{rows} row{'s' if rows != 1 else ''}"]
    return " · ".join(p for p in parts if p)[:75]


def pick_view(orders: list[SalesOrder], *, channel_id: str | None, task_id: str | None,
              so_id: int | None) -> dict[str, Any]:
    options = [Option(value=str(o.id), text=order_label(o)) for o in orders[:100]]
    initial = next((o for o in options if o.value == str(so_id)), None)
    methods = [Option(value=key, text=text) for key, text in METHODS.items()]
    blocks: list[Block] = [
        InputBlock(block_id="so", label="Sales order", element=StaticSelectElement(
            action_id="so", placeholder="Choose the order", options=options, initial_option=initial)),
        InputBlock(block_id="method", label="How it ships", element=RadioButtonsElement(
            action_id="method", options=methods, initial_option=methods[0])),
    ]
    metadata = {"ch": channel_id, "task": task_id, "sos": [o.id for o in orders[:100]]}
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
        blocks.append(cards.note(f":warning: No batch of {row.sku} is in stock at the order's location."))
    return blocks


def carrier_blocks() -> list[Block]:
    statuses = [Option(value=key, text=text) for key, text in STATUSES.items()]
    return [
        code_input("carrier", "Carrier", placeholder="e.g. DHL, UPS, own van", max_length=60),
        code_input("tracking", "Tracking number", optional=True, max_length=100),
        InputBlock(block_id="status", label="Status", element=RadioButtonsElement(
            action_id="status", options=statuses, initial_option=statuses[0])),
    ]


def fba_blocks(offer: ShipOffer) -> list[Block]:
    return [
        cards.note(f"Stock moves from the order's location to *{offer.fba_location_name}* in Katana."),
        code_input("shipment", "FBA shipment reference", placeholder="e.g. FBA15ABCD123", max_length=60),
        InputBlock(block_id="pallets", label="Pallets", element=NumberInputElement(
            action_id="pallets", is_decimal_allowed=False, min_value="1", max_value="99")),
    ]


def form_view(offer: ShipOffer, *, draft_id: str, channel_id: str | None, task_id: str | None) -> dict[str, Any]:
    rows = offer.open_rows[:MAX_ROWS]
    blocks: list[Block] = [cards.text(f"*{offer.order_no}* — what goes out now. Leave a quantity empty to "
                                      "ship that row later.")]
    if len(offer.open_rows) > MAX_ROWS:
        blocks.append(cards.note(f"Showing the first {MAX_ROWS} rows; ship the rest with another /ship."))
    for row in rows:
        blocks += row_blocks(row)
    blocks += fba_blocks(offer) if offer.method == "fba" else carrier_blocks()
    metadata = {"ch": channel_id, "task": task_id, "draft": draft_id}
    return cards.modal(TITLE, blocks, callback_id=FORM_CALLBACK, submit="Record", close="Cancel", metadata=metadata)

