"""/ship, stage by stage: "Loading…" → pick the order and how it ships → the rows form → a durable action.

Field errors (more than the order asks, more than the batch holds) come back from the rows form before
anything is saved; the action's first step checks the same against Katana again before writing.
"""
from __future__ import annotations

import logging
import uuid
from typing import Any

from commands import cards
from commands.claiming import save_once
from commands.context import Floor
from commands.facts import ShipFacts
from commands.fields import Form
from commands.forms import FloorCommand
from commands.mrkdwn import escape
from commands.order_fields import offered, typed_order
from commands.orders import OrderList
from commands.ports import Ack, SlackRefused, Submission, View
from commands.recording import Recorder
from commands.shipping.delivery import delivery_view, submit_delivery
from commands.shipping.offer import ShipOffer, build_offer, over_problems
from commands.shipping.steps import CARRIER_PLAN, FBA_PLAN, own_task
from commands.shipping.views import TITLE, TRACKING_LEN, carrier_name, form_view, pick_view
from commands.submissions import ack_landed, new_action
from integrations.katana.errors import KatanaError
from integrations.katana.stock import StockService
from models.base import utcnow, whole_number
from models.open_orders import Kind
from models.receipts import ModalDraft
from models.tasks import ProductionTask

log = logging.getLogger(__name__)
SO: Kind = "so"


async def open_ship(floor: Floor, command: FloorCommand[ShipFacts], *, trigger_id: str, channel_id: str | None,
                    task: ProductionTask | None = None, typed: str = "") -> None:
    """Open at once from the store's open sales orders (trigger ids die in 3 s); through "Loading…" only
    before they were ever read from Katana. `typed`: an order number after the command."""
    listed = await floor.orders.current(SO)
    if listed is not None:
        await floor.slack.open_view(trigger_id, await pick_for(floor, listed, task, typed, channel_id))
        return
    opened = await floor.slack.open_view(trigger_id, cards.message_view(
        TITLE, ":hourglass_flowing_sand: Loading open sales orders from Katana…"))
    try:
        listed = await floor.orders.loaded(SO)
    except KatanaError as exc:
        view = cards.message_view(TITLE, f":warning: Can't load the open sales orders: {escape(exc.user_message)}",
                                  footer="Nothing was recorded. Try again in a minute.")
    else:
        view = (await pick_for(floor, listed, task, typed, channel_id) if listed is not None else
                cards.message_view(TITLE, "The open sales orders are still being read from Katana: try again "
                                          "in a minute."))
    await floor.slack.update_view(opened.id, view, hash=opened.hash)


async def pick_for(floor: Floor, listed: OrderList, task: ProductionTask | None, typed: str,
                   channel_id: str | None) -> View:
    chosen, warning = None, None
    if task is not None and task.sales_order_id:
        chosen = await floor.orders.get(SO, task.sales_order_id)
    elif typed.strip():
        chosen, warning = await typed_order(floor, SO, typed)
    if listed.choices == [] and chosen is None:
        return cards.message_view(TITLE, "No sales order in Katana has anything left to ship.")
    return pick_view(listed, channel_id=channel_id, task_id=task.id if task else None, chosen=chosen, warning=warning)


async def on_pick(floor: Floor, ack: Ack, submission: Submission) -> None:
    view, user = submission.view, submission.user_id
    refusal = await floor.permissions.refusal(user, "ship")
    if refusal:
        await ack(response_action="errors", errors={"so": refusal})
        return
    metadata = cards.read_metadata(view)
    form = Form((view.get("state") or {}).get("values") or {})
    so_id = form.choice("so", "sales order", await offered(floor, SO, "so", form, metadata))
    method = form.choice("method", "way it ships", {"carrier", "fba", "deliver"})
    if method == "fba" and not (floor.settings.fba_location or "").strip():
        form.errors.add("method", "Amazon FBA is not set up (FBA_LOCATION): ask a supervisor.")
    if form.errors:
        await ack(response_action="errors", errors=form.errors.errors)
        return
    await ack(response_action="update", view=cards.message_view(TITLE, ":hourglass_flowing_sand: Loading the order…"))
    acked_at = utcnow()
    if method == "deliver":  # packed earlier, now the carrier has it (commands/shipping/delivery.py)
        next_view = await delivery_view(floor, int(str(so_id)), user, channel_id=metadata.get("ch"),
                                        task_id=metadata.get("task"))
    else:
        next_view = await offer_view(floor, int(str(so_id)), str(method), user, metadata)
    await ack_landed(acked_at)
    try:
        await floor.slack.update_view(view["id"], next_view)
    except SlackRefused as exc:
        log.info("the /ship form could not be shown (closed?): %s", exc.error)


async def offer_view(floor: Floor, so_id: int, method: str, user: str, metadata: dict[str, Any]) -> View:
    try:
        fba_id, fba_name = await fba_location(floor) if method == "fba" else (None, None)
        if method == "fba" and fba_id is None:
            location = escape(floor.settings.fba_location)
            return cards.message_view(TITLE, f":warning: Katana has no location “{location}” "
                                             "(FBA_LOCATION). Ask a supervisor to fix the setting.")
        offer = await build_offer(floor.katana, so_id, method, fba_id, fba_name)  # type: ignore[arg-type]
    except KatanaError as exc:
        return cards.message_view(TITLE, f":warning: Can't load the order: {escape(exc.user_message)}",
                                  footer="Nothing was recorded. Try again in a minute.")
    if not offer.open_rows:
        return cards.message_view(TITLE, f"Everything on *{escape(offer.order_no)}* has shipped already.")
    task = await own_task(floor, metadata.get("task"), offer.so_id, (r.linked_mo_id for r in offer.rows))
    draft = await floor.store.drafts.create(ModalDraft(
        id=uuid.uuid4().hex, kind="ship", user_id=user, channel_id=metadata.get("ch"),
        data={"offer": offer.model_dump(mode="json")}, created_at=utcnow(), updated_at=utcnow()))
    return form_view(offer, draft_id=draft[0].id, channel_id=metadata.get("ch"), task_id=task)


async def fba_location(floor: Floor) -> tuple[int | None, str | None]:
    found = await StockService(floor.katana.client).find_location(str(floor.settings.fba_location))
    return (found.id, found.name) if found else (None, None)


async def submit_ship(floor: Floor, recorder: Recorder, command: FloorCommand[ShipFacts], ack: Ack,
                      submission: Submission) -> None:
    view, user = submission.view, submission.user_id
    metadata = cards.read_metadata(view)
    draft = await floor.store.drafts.get(str(metadata.get("draft") or ""))
    if draft is None or draft.kind != "ship" or draft.user_id != user:
        await ack(response_action="update", view=cards.message_view(TITLE, "This form has expired: start /ship again."))
        return
    if "delivery" in draft.data:
        await submit_delivery(floor, recorder, command, ack, submission, draft, metadata)
        return
    offer = ShipOffer.model_validate(draft.data["offer"])
    form = Form((view.get("state") or {}).get("values") or {})
    data = read_shipment(form, offer, view)
    if form.errors:
        await ack(response_action="errors", errors=form.errors.errors)
        return
    if not carries_task_goods(offer, data["lines"], task_mo(metadata.get("task"))):
        metadata = {**metadata, "task": None}  # only another MO's rows of the order went: not the task's shipment
    action = new_action(command, submission, {**data, "mo_id": task_mo(metadata.get("task"))}, metadata,
                        plan=FBA_PLAN if offer.method == "fba" else CARRIER_PLAN)
    await save_once(floor, recorder, command, ack, action, metadata, draft_id=draft.id,
                    already="This shipment was already recorded.")


def carries_task_goods(offer: ShipOffer, lines: list[dict[str, Any]], mo_id: int | None) -> bool:
    """Whether a shipment from a SHIP task's form carries that task's goods: a row of the order made by the
    task's MO, or any row when Katana links none of the order's rows to it (the person's word, then)."""
    own_rows = {row.row_id for row in offer.rows if mo_id is not None and row.linked_mo_id == mo_id}
    return not own_rows or any(line["row_id"] in own_rows for line in lines)


def task_mo(task_id: Any) -> int | None:
    """A SHIP task is per MO ("ship:<mo id>"): the action then shows in that MO's history."""
    kind, _, mo = str(task_id or "").partition(":")
    return whole_number(mo) if kind == "ship" else None


def read_shipment(form: Form, offer: ShipOffer, view: dict[str, Any]) -> dict[str, Any]:
    inputs = {b.get("block_id") for b in view.get("blocks") or [] if b.get("type") == "input"}
    lines: list[dict[str, Any]] = []
    for row in offer.open_rows:
        if f"q_{row.row_id}" not in inputs:
            continue  # beyond the rows the form showed
        quantity = form.quantity(f"q_{row.row_id}", f"quantity of {row.sku}", required=False, allow_zero=True)
        if not quantity:
            continue
        raw_batch = str(form.raw(f"b_{row.row_id}") or "") if row.tracked else ""
        batch_id = whole_number(raw_batch)
        chosen = row.batch(batch_id)
        lines.append({"row_id": row.row_id, "variant_id": row.variant_id, "sku": row.sku, "quantity": quantity,
                      "batch_id": batch_id, "batch": chosen.number if chosen else None,
                      "linked_mo_id": row.linked_mo_id})
    wanted = [(line["row_id"], line["quantity"], line["batch_id"]) for line in lines]
    for row_id, problem in over_problems(offer, wanted).items():
        batch_block = f"b_{row_id}"
        key = batch_block if problem.startswith("Choose a batch") and batch_block in inputs else f"q_{row_id}"
        form.errors.add(key, problem)
    if not lines and offer.open_rows:
        form.errors.add(f"q_{offer.open_rows[0].row_id}", "Enter the quantity of at least one row that goes out.")
    return {"so_id": offer.so_id, "order_no": offer.order_no, "method": offer.method, "location_id": offer.location_id,
            "fba_location_id": offer.fba_location_id, "fba_location_name": offer.fba_location_name,
            "lines": lines, **read_dispatch(form, offer)}


def read_dispatch(form: Form, offer: ShipOffer) -> dict[str, Any]:
    if offer.method == "fba":
        raw = str(form.raw("pallets") or "").strip()
        pallets = whole_number(raw)
        if pallets is None or not 1 <= pallets <= 99:
            form.errors.add("pallets", "Enter the number of pallets (1 to 99).")
        return {"shipment": form.code("shipment", "FBA shipment reference", max_len=60), "pallets": pallets}
    status = form.choice("status", "status", {"DELIVERED", "PACKED"})
    return {"carrier": carrier_name(form, required=True),
            "tracking": form.code("tracking", "tracking number", required=False, max_len=TRACKING_LEN),
            "status": status or "DELIVERED"}

