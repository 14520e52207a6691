"""The /receive modals: the photo, "Reading the packing slip…", the confirmation of what was read (or typed),
and what to do when the slip could not be read.

Everything read off a slip is shown in plain_text (labels, hints, option texts) or escaped mrkdwn, so a
slip cannot mention people, post links or format the modal: text in a photo is data.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    CheckboxesElement,
    DatePickerElement,
    InputBlock,
    Option,
    RadioButtonsElement,
    StaticSelectElement,
)
from slack_sdk.models.blocks.block_elements import FileInputElement

from commands import cards
from commands.forms import code_input, order_element, quantity_input
from commands.mrkdwn import escape
from commands.orders import OrderList
from commands.receiving.matching import PoChoice
from commands.receiving.state import MAX_LINES, ReceiveState, doubtful_fields, room_left
from models.open_orders import OpenOrder
from models.packing_slip import Read, SlipLine

TITLE = "Receive goods"
PHOTO_CALLBACK = "receive_photo"
CONFIRM_CALLBACK = "receive_form"
UNREADABLE_CALLBACK = "receive_unreadable"
TYPE_LINES, READ_AGAIN = "type", "again"
PHOTO_TYPES = ["jpg", "jpeg", "png", "webp", "heic"]
SKIP = "skip"
UNSURE = " ⚠ check"


def amount(value: Decimal | None) -> str:
    return "?" if value is None else f"{value.normalize():f}"


def photo_view(orders: OrderList | None, *, channel_id: str | None, chosen: OpenOrder | None = None,
               warning: str | None = None) -> dict[str, Any]:
    """An optional PO (a plain select of the open ones, or a type-ahead search when there are many) and
    the slip's photo."""
    blocks: list[Block] = [cards.text(f":warning: {warning}")] if warning else []
    if chosen is not None or (orders is not None and orders.choices != []):
        hint = ("Type part of the PO number, the supplier or a product; or leave it empty: the PO is read "
                "from the slip." if orders and orders.searchable else
                "Leave empty: the PO number and supplier are read from the slip.")
        blocks.append(InputBlock(block_id="po", label="Purchase order", optional=True, hint=hint,
                                 element=order_element("po", "Any open PO", orders, chosen)))
    blocks.append(InputBlock(block_id="photo", label="Photo of the packing slip",
                             hint="One photo, flat and in good light (JPG, PNG, WEBP or HEIC, up to 10 MB).",
                             element=FileInputElement(action_id="photo", filetypes=PHOTO_TYPES, max_files=1)))
    metadata = {"ch": channel_id}
    return cards.modal(TITLE, blocks, callback_id=PHOTO_CALLBACK, submit="Read slip", close="Cancel", metadata=metadata)


def reading_view(ahead: int = 0) -> dict[str, Any]:
    waiting = f" {ahead} slip{'s' if ahead != 1 else ''} ahead of yours: it is read after them." if ahead else ""
    return cards.message_view(TITLE, f":hourglass_flowing_sand: Reading the packing slip…{waiting}",
                              footer="This takes a few seconds. Nothing is received until you confirm.")


def refused_view(reason: str) -> dict[str, Any]:
    return cards.message_view(TITLE, f":warning: {escape(reason)}",
                              footer="Nothing was received. Try /receive again with a photo of the slip.")


def unreadable_view(*, draft_id: str, channel_id: str | None, orders: OrderList | None,
                    chosen: OpenOrder | None) -> dict[str, Any]:
    """Every try failed: said plainly (what failed is in the bot's log, never here), with the ways on: type
    the lines of a PO (when there are open POs to choose from), or try reading the photo again."""
    again = Option(value=READ_AGAIN, text="Try reading the photo again")
    blocks: list[Block] = [cards.text(":warning: *The packing slip could not be read.* Nothing was received.")]
    if chosen is None and (orders is None or orders.choices == []):
        blocks.append(InputBlock(block_id="next", label="What now?", element=RadioButtonsElement(
            action_id="next", options=[again], initial_option=again)))
    else:
        typed = Option(value=TYPE_LINES, text="Type the lines by hand")
        blocks += [
            InputBlock(block_id="next", label="What now?", element=RadioButtonsElement(
                action_id="next", options=[typed, again], initial_option=typed)),
            InputBlock(block_id="po", label="Purchase order", optional=True,
                       hint="To type the lines: the open lines of this PO are listed for you to enter what arrived.",
                       element=order_element("po", "Choose the PO", orders, chosen))]
    return cards.modal(TITLE, blocks, callback_id=UNREADABLE_CALLBACK, submit="Continue", close="Cancel",
                       metadata={"ch": channel_id, "draft": draft_id})


def slip_summary(state: ReceiveState) -> Block:
    slip = state.slip
    if slip.reader == "typed":
        return cards.text("*Typed by hand* (the photo could not be read): enter what arrived on each line, "
                          "or choose “Not on this PO — don't receive it”.")
    parts = [f"*Packing slip* from *{escape(slip.supplier.value) or 'an unknown supplier'}*{mark(slip.supplier)}"]
    if slip.po_number.value:
        parts.append(f"PO number on the slip: {escape(slip.po_number.value)}{mark(slip.po_number)}")
    if slip.slip_date.value:
        parts.append(f"dated {slip.slip_date.value}{mark(slip.slip_date)}")
    reader = "read by the vision model" if slip.reader == "anthropic" else "read offline"
    closer = ("\n*The writing in this photo is very small*, so many values are likely misread: check each one, "
              "or cancel and send a photo taken closer, the slip filling the picture." if slip.small_print else "")
    return cards.text(" · ".join(parts) + f"\n_{reader}; fields marked ⚠ were hard to read: check them._" + closer)


def mark(read: Read[Any]) -> str:
    return UNSURE if read.doubtful else ""


def po_select(state: ReceiveState) -> InputBlock:
    ranked = [r.po_id for r in state.ranking]
    ordered = sorted(state.orders,
                     key=lambda o: (ranked.index(o.po_id) if o.po_id in ranked else len(ranked), -o.po_id))
    options = [Option(value=str(o.po_id), text=o.label) for o in ordered[:100]]
    initial = next((o for o in options if o.value == str(state.po_id)), None)
    return InputBlock(block_id="po", label="Purchase order", hint=state.note[:150] or None, element=StaticSelectElement(
        action_id="po", options=options, initial_option=initial, placeholder="Choose the PO"))


PO_CHECKED = "checked"


def po_check(state: ReceiveState) -> InputBlock:
    """The PO was chosen from a number read with ⚠: receiving into the wrong PO is the costliest misread."""
    order = state.order
    checked = Option(value=PO_CHECKED, text=f"I checked {order.order_no if order else 'the PO'} against the slip"[:75])
    return InputBlock(block_id="po_ok", label="Purchase order: hard to read", optional=True,
                      element=CheckboxesElement(action_id="po_ok", options=[checked]))


def line_label(index: int, line: SlipLine) -> str:
    what = " ".join(str(p) for p in (line.sku.value, line.description.value) if p) or "(unreadable item)"
    unit = f" {line.unit.value}" if line.unit.value else ""
    return f"Line {index}: {what} — {amount(line.quantity.value)}{unit} on the slip"[:150]


def row_select(index: int, line: SlipLine, order: PoChoice | None, row_id: int | None) -> InputBlock:
    options = [Option(value=str(r.row_id), text=r.label[:75]) for r in (order.rows if order else [])][:99]
    options.append(Option(value=SKIP, text="Not on this PO — don't receive it"))
    initial = next((o for o in options if o.value == str(row_id)), options[-1])
    return InputBlock(block_id=f"row_{index}", label=line_label(index, line), element=StaticSelectElement(
        action_id=f"row_{index}", options=options, initial_option=initial))


def line_blocks(state: ReceiveState, index: int, room: Decimal | None) -> list[Block]:
    line, entry = state.lines[index - 1], state.entries[index - 1]
    order = state.order
    row = order.row(entry.row_id) if order else None
    blocks: list[Block] = [row_select(index, line, order, entry.row_id)]
    quantity = quantity_input(f"qty_{index}", f"Quantity received{mark(line.quantity)}"[:150], initial=entry.quantity,
                              hint=(f"{amount(room)} {row.uom or ''} left on {order.order_no}".strip()
                                    if row and order else None))
    quantity.optional = True  # a line that is not received needs none
    lot = code_input(f"lot_{index}", f"Lot / batch{mark(line.lot)}", initial=entry.lot, optional=True, max_length=40)
    expiry = InputBlock(block_id=f"exp_{index}", label=f"Best before{mark(line.expiry)}", optional=True,
                        element=DatePickerElement(action_id=f"exp_{index}",
                                                  initial_date=entry.expiry.isoformat() if entry.expiry else None))
    blocks += [quantity, lot, expiry]
    unsure = doubtful_fields(line)
    if unsure:
        checked = Option(value="checked", text=f"I checked the {', '.join(unsure)} against the slip"[:75])
        blocks.append(InputBlock(block_id=f"ok_{index}", label=f"Line {index}: hard to read", optional=True,
                                 element=CheckboxesElement(action_id=f"ok_{index}", options=[checked],
                                                           initial_options=[checked] if entry.checked else None)))
    if row and order and room is not None and entry.quantity is not None and entry.quantity > room:
        blocks.append(over_choice(index, entry.quantity, room, order.order_no, entry.over))
    return blocks


def over_choice(index: int, quantity: Decimal, room: Decimal, order_no: str, chosen: str | None) -> InputBlock:
    options = [Option(value="left", text=f"Only the {amount(room)} still on {order_no}"[:75]),
               Option(value="all", text=f"All {amount(quantity)}: more than ordered"[:75])]
    initial = next((o for o in options if o.value == chosen), None)
    return InputBlock(block_id=f"over_{index}", label=f"Line {index} is more than {order_no} has left",
                      element=RadioButtonsElement(action_id=f"over_{index}", options=options, initial_option=initial))


def confirm_view(state: ReceiveState, *, draft_id: str, channel_id: str | None) -> dict[str, Any]:
    blocks: list[Block] = [slip_summary(state)]
    if state.banner:
        blocks.append(cards.text(f":warning: {escape(state.banner)}"))
    blocks.append(po_select(state))
    if state.po_to_check:
        blocks.append(po_check(state))
    if len(state.slip.lines) > MAX_LINES:
        blocks.append(cards.note(f"The slip has {len(state.slip.lines)} lines; the first {MAX_LINES} are shown. "
                                 "Receive the others in Katana."))
    for index, room in enumerate(room_left(state), start=1):
        blocks += line_blocks(state, index, room)
    metadata = {"ch": channel_id, "draft": draft_id, "po": state.po_id}
    return cards.modal(TITLE, blocks, callback_id=CONFIRM_CALLBACK, submit="Receive", close="Cancel", metadata=metadata)
