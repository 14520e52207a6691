"""/ship → "Packed earlier: mark delivered", and **Mark delivered** on a SHIP task waiting for pickup.

A fulfilment recorded PACKED waits for the carrier. When the carrier takes it, the form lists the order's
packed fulfilments (all ticked) with the carrier and tracking number they have; the carrier must be given
for one that has none yet. Recording is a durable floor action (DELIVER_PLAN in commands/shipping/steps.py):
Katana is read again, then each fulfilment still PACKED is PATCHed to DELIVERED.
"""
from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, Field
from slack_sdk.models.blocks import Block, CheckboxesElement, InputBlock, Option

from commands import cards
from commands.claiming import save_once
from commands.context import Floor
from commands.fields import Form
from commands.forms import FloorCommand, code_input
from commands.mrkdwn import escape
from commands.ports import Ack, Submission, View
from commands.recording import Recorder
from commands.shipping.offer import amount
from commands.shipping.steps import DELIVER_PLAN, own_task
from commands.shipping.views import CARRIER_LEN, FORM_CALLBACK, TITLE, TRACKING_LEN, carrier_name
from commands.submissions import new_action
from integrations.katana import Katana
from integrations.katana.errors import KatanaError
from integrations.katana.sales import Fulfilment, SalesService
from integrations.katana.stock import StockService
from models.base import utcnow, whole_number
from models.receipts import ModalDraft
from models.tasks import ProductionTask

log = logging.getLogger(__name__)

MAX_SHOWN = 10  # Slack's checkbox group holds ten options


class Packed(BaseModel):
    """A packed fulfilment as the form shows it."""

    id: int
    label: str
    carrier: str | None = None
    tracking: str | None = None
    mos: list[int] = Field(default_factory=list)  # the MOs that made its rows (Katana's links)


class Delivery(BaseModel):
    so_id: int
    order_no: str
    packed: list[Packed]
    linked_mos: list[int] = Field(default_factory=list)  # the MOs the order's rows were made by

    def common(self, field: str) -> str | None:
        """The carrier (or tracking number) every packed fulfilment has, to prefill the form."""
        values = {getattr(p, field) for p in self.packed}
        return values.pop() if len(values) == 1 else None


async def find_packed(katana: Katana, so_id: int) -> Delivery:
    sales = SalesService(katana.client)
    order = await sales.get_sales_order(so_id)
    packed = (await sales.packed(so_id))[:MAX_SHOWN]
    variants = {r.id: r.variant_id for r in order.sales_order_rows}
    items = await StockService(katana.client).items({v for v in variants.values() if v})
    skus = {row: (items[v].sku if v in items else None) or f"row {row}" for row, v in variants.items()}
    made_by = {r.id: r.linked_manufacturing_order_id for r in order.sales_order_rows if r.linked_manufacturing_order_id}
    return Delivery(so_id=order.id, order_no=order.order_no, packed=[
        Packed(id=f.id, label=label(f, lambda row: skus.get(row, f"row {row}")), carrier=f.tracking_carrier,
               tracking=f.tracking_number,
               mos=sorted({made_by[r.sales_order_row_id] for r in f.sales_order_fulfillment_rows
                           if r.sales_order_row_id in made_by}))
        for f in packed], linked_mos=sorted(set(made_by.values())))


def label(fulfilment: Fulfilment, sku: Callable[[int], str]) -> str:
    rows = fulfilment.sales_order_fulfillment_rows
    goods = ", ".join(f"{amount(r.quantity)} × {sku(r.sales_order_row_id)}" for r in rows)
    carrier = f" · {fulfilment.tracking_carrier}" if fulfilment.tracking_carrier else " · no carrier yet"
    return f"#{fulfilment.id} · {goods}{carrier}"[:75]


def room(held: str | None, typed: int) -> int:
    """The input's max_length: what a person may type, or longer when Katana already holds a longer value (Slack
    refuses an initial value over max_length; its inputs take at most 3000 characters)."""
    return min(max(typed, len(held or "")), 3000)


def delivery_form(delivery: Delivery, *, draft_id: str, channel_id: str | None, task_id: str | None) -> View:
    options = [Option(value=str(p.id), text=p.label) for p in delivery.packed]
    missing = [p for p in delivery.packed if not p.carrier]
    carrier, tracking = delivery.common("carrier"), delivery.common("tracking")
    blocks: list[Block] = [
        cards.text(f"*{escape(delivery.order_no)}* — packed and waiting for pickup. "
                   "Tick what the carrier took."),
        InputBlock(block_id="packed", label="Packed shipments", element=CheckboxesElement(
            action_id="packed", options=options, initial_options=options)),
        code_input("carrier", "Carrier", initial=carrier, optional=not missing, placeholder="e.g. DHL, UPS, own van",
                   max_length=room(carrier, CARRIER_LEN)),
        code_input("tracking", "Tracking number", initial=tracking, optional=True,
                   max_length=room(tracking, TRACKING_LEN)),
    ]
    metadata = {"ch": channel_id, "task": task_id, "draft": draft_id}
    return cards.modal(TITLE, blocks, callback_id=FORM_CALLBACK, submit="Delivered", close="Cancel", metadata=metadata)


async def delivery_view(floor: Floor, so_id: int, user: str, *, channel_id: str | None, task_id: str | None) -> View:
    try:
        delivery = await find_packed(floor.katana, so_id)
    except KatanaError as exc:
        return cards.message_view(TITLE, f":warning: Can't load the order: {escape(exc.user_message)}",
                                  footer="Nothing was recorded. Try again in a minute.")
    if not delivery.packed:
        return cards.message_view(TITLE, f"Nothing on *{escape(delivery.order_no)}* is packed and waiting "
                                         "for pickup.")
    now = utcnow()
    draft, _ = await floor.store.drafts.create(ModalDraft(
        id=uuid.uuid4().hex, kind="ship", user_id=user, channel_id=channel_id,
        data={"delivery": delivery.model_dump(mode="json")}, created_at=now, updated_at=now))
    task = await own_task(floor, task_id, delivery.so_id, delivery.linked_mos)
    return delivery_form(delivery, draft_id=draft.id, channel_id=channel_id, task_id=task)


async def open_delivery(floor: Floor, user: str, *, trigger_id: str, channel_id: str | None,
                        task: ProductionTask) -> None:
    """From a SHIP task's Mark delivered: open at once (trigger ids die in 3 s), then fill in."""
    opened = await floor.slack.open_view(trigger_id, cards.message_view(
        TITLE, ":hourglass_flowing_sand: Loading what was packed…"))
    if task.sales_order_id is None:
        view = cards.message_view(TITLE, f"{escape(task.mo_order_no)} is not for a sales order.")
    else:
        try:
            view = await delivery_view(floor, task.sales_order_id, user, channel_id=channel_id, task_id=task.id)
        except Exception:  # noqa: BLE001 — e.g. the store failing over: say so, never leave it "Loading…"
            log.exception("Mark delivered for %s could not be filled in", task.id)
            view = cards.message_view(TITLE, "What was packed could not be loaded just now. Nothing was "
                                             "recorded: tap Mark delivered again in a moment.")
    await floor.slack.update_view(opened.id, view, hash=opened.hash)


def read_delivery(form: Form, delivery: Delivery) -> dict[str, Any]:
    block = form.values.get("packed")
    element = block.get("packed") if isinstance(block, dict) else None
    ticked = element.get("selected_options") if isinstance(element, dict) else None
    offered = {str(p.id): p for p in delivery.packed}
    values = [str(o.get("value")) for o in ticked if isinstance(o, dict)] if isinstance(ticked, list) else []
    chosen = [offered[v] for v in values if v in offered]  # a stale, crafted or oddly shaped choice is none
    if not chosen:
        form.errors.add("packed", "Tick at least one packed shipment the carrier took.")
    held_carrier, held_tracking = delivery.common("carrier"), delivery.common("tracking")
    carrier = held_carrier if as_held(form, "carrier", held_carrier) else carrier_name(form, required=False)
    bare = [p for p in chosen if not p.carrier]
    if bare and not carrier and "carrier" not in form.errors.errors:
        form.errors.add("carrier", f"Enter the carrier: #{bare[0].id} has none yet.")
    tracking = held_tracking if as_held(form, "tracking", held_tracking) else form.code(
        "tracking", "tracking number", required=False, max_len=TRACKING_LEN)
    return {"so_id": delivery.so_id, "order_no": delivery.order_no, "method": "deliver",
            "fulfilments": [p.id for p in chosen], "carrier": carrier, "tracking": tracking}


def as_held(form: Form, block_id: str, held: str | None) -> bool:
    """The field was left as prefilled from Katana: Katana's value, whatever it is, is not ours to refuse (it
    was typed in Katana's app, under Katana's rules, not this form's)."""
    raw = form.raw(block_id)
    return bool(held and held.strip()) and isinstance(raw, str) and raw.strip() == str(held).strip()


def carries_task_goods(delivery: Delivery, chosen: list[int], mo_id: int | None) -> bool:
    """Whether the packed shipments the carrier took carry the SHIP task's goods: one of them holds a row made by
    the task's MO, or Katana links none of the order's rows to it (the person's word, then)."""
    if mo_id is None or mo_id not in delivery.linked_mos:
        return True
    return any(mo_id in p.mos for p in delivery.packed if p.id in chosen)


async def submit_delivery(floor: Floor, recorder: Recorder, command: FloorCommand[Any], ack: Ack,
                          submission: Submission, draft: ModalDraft, metadata: dict[str, Any]) -> None:
    form = Form((submission.view.get("state") or {}).get("values") or {})
    delivery = Delivery.model_validate(draft.data["delivery"])
    data = read_delivery(form, delivery)
    if form.errors:
        await ack(response_action="errors", errors=form.errors.errors)
        return
    mo = str(metadata.get("task") or "").partition(":")[2]
    if not carries_task_goods(delivery, data["fulfilments"], whole_number(mo)):
        metadata, mo = {**metadata, "task": None}, ""  # only another MO's goods of the order went: not the task's
    action = new_action(command, submission, {**data, "mo_id": whole_number(mo)}, metadata,
                        plan=DELIVER_PLAN)
    await save_once(floor, recorder, command, ack, action, metadata, draft_id=draft.id,
                    already="This delivery was already recorded.")

