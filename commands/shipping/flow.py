"""/ship, stage by stage: "Loading…" → pick the order and how it ships → the rows form → a durable action.

Field errors (more than the order asks, more than the batch holds) come back from the rows form before
anything is saved; the action's first step checks the same against Katana again before writing.
"""
from __future__ import annotations

import logging
import uuid
from typing import Any, Awaitable, Callable

from slack_sdk.errors import SlackApiError

from commands import cards
from commands.context import Floor
from commands.fields import Form
from commands.forms import FloorCommand
from commands.recording import Recorder
from commands.shipping.offer import ShipOffer, build_offer, over_problems
from commands.shipping.views import TITLE, form_view, pick_view
from commands.trade_outcome import AckClock, record_once
from integrations.katana.errors import KatanaError
from integrations.katana.sales import SalesService
from integrations.katana.stock import StockService
from models.actions import ActionStep
from models.base import utcnow
from models.receipts import DraftRepository, ModalDraft
from models.tasks import ProductionTask

log = logging.getLogger(__name__)


def shared_flow() -> Any:
    # commands.flow imports the registry, which imports this module: take it at call time.
    from commands import flow

    return flow
Ack = Callable[..., Awaitable[None]]
CARRIER_PLAN = ("check_shipment", "record_fulfilment", "close_ship_tasks")
FBA_PLAN = ("check_shipment", "record_fba_transfer", "send_fba_transfer", "close_ship_tasks")


async def open_ship(floor: Floor, command: FloorCommand, *, trigger_id: str, channel_id: str | None,
                    task: ProductionTask | None = None) -> None:
    """Open at once (trigger ids die in 3 s), then fill in the open sales orders."""
    opened = await floor.slack.views_open(trigger_id=trigger_id, view=cards.message_view(
        TITLE, ":hourglass_flowing_sand: Loading open sales orders from Katana…"))
    try:
        orders = await SalesService(floor.katana.client).open_sales_orders()
    except KatanaError as exc:
        view = cards.message_view(TITLE, f":warning: Can't load the open sales orders: {exc.user_message}",
                                  footer="Nothing was recorded. Try again in a minute.")
    else:
        so_id = task.sales_order_id if task else None
        view = (pick_view(orders, channel_id=channel_id, task_id=task.id if task else None, so_id=so_id) if orders
                else cards.message_view(TITLE, "No sales order in Katana has anything left to ship."))
    await floor.slack.views_update(view_id=opened["view"]["id"], hash=opened["view"]["hash"], view=view)


async def on_pick(floor: Floor, ack: Ack, body: dict[str, Any]) -> None:
    view, user = body["view"], (body.get("user") or {}).get("id", "")
    if not await floor.permissions.allows(user, "ship"):
        await ack(response_action="errors", errors={"so": floor.permissions.refusal("ship")})
        return
    metadata = cards.read_metadata(view)
    form = Form((view.get("state") or {}).get("values") or {})
    so_id = form.choice("so", "sales order", {str(s) for s in metadata.get("sos") or []})
    method = form.choice("method", "way it ships", {"carrier", "fba"})
    if method == "fba" and not (floor.settings.fba_location or "").strip():
        form.errors.add("method", "Amazon FBA is not set up (FBA_LOCATION): ask a supervisor.")
    if form.errors:
        await ack(response_action="errors", errors=form.errors.errors)
        return
    await ack(response_action="update", view=cards.message_view(TITLE, ":hourglass_flowing_sand: Loading the order…"))
    clock = AckClock()
    next_view = await offer_view(floor, int(str(so_id)), str(method), user, metadata)
    await clock.landed()
    try:
        await floor.slack.views_update(view_id=view["id"], view=next_view)
    except SlackApiError as exc:
        log.info("the /ship form could not be shown (closed?): %s", exc.response.get("error"))


async def offer_view(floor: Floor, so_id: int, method: str, user: str, metadata: dict[str, Any]) -> dict[str, Any]:
    try:
        fba_id, fba_name = await fba_location(floor) if method == "fba" else (None, None)
        if method == "fba" and fba_id is None:
            return cards.message_view(TITLE, f":warning: Katana has no location “{floor.settings.fba_location}” "
                                             "(FBA_LOCATION). Ask a supervisor to fix the setting.")
        offer = await build_offer(floor.katana, so_id, method, fba_id, fba_name)  # type: ignore[arg-type]
    except KatanaError as exc:
        return cards.message_view(TITLE, f":warning: Can't load the order: {exc.user_message}",
                                  footer="Nothing was recorded. Try again in a minute.")
    if not offer.open_rows:
        return cards.message_view(TITLE, f"Everything on *{offer.order_no}* has shipped already.")
    draft = await drafts(floor).create(ModalDraft(
        _id=uuid.uuid4().hex, kind="ship", user_id=user, channel_id=metadata.get("ch"),
        data={"offer": offer.model_dump(mode="json")}, created_at=utcnow(), updated_at=utcnow()))
    return form_view(offer, draft_id=draft[0].id, channel_id=metadata.get("ch"), task_id=metadata.get("task"))


async def fba_location(floor: Floor) -> tuple[int | None, str | None]:
    found = await StockService(floor.katana.client).find_location(str(floor.settings.fba_location))
    return (found.id, found.name) if found else (None, None)


def drafts(floor: Floor) -> DraftRepository:
    return DraftRepository(floor.store.db)


async def submit_ship(floor: Floor, recorder: Recorder, command: FloorCommand, ack: Ack, body: dict[str, Any]) -> None:
    view, user = body["view"], (body.get("user") or {}).get("id", "")
    metadata = cards.read_metadata(view)
    draft = await drafts(floor).get(str(metadata.get("draft") or ""))
    if draft is None or draft.kind != "ship" or draft.user_id != user:
        await ack(response_action="update", view=cards.message_view(TITLE, "This form has expired: start /ship again."))
        return
    offer = ShipOffer.model_validate(draft.data["offer"])
    form = Form((view.get("state") or {}).get("values") or {})
    data = read_shipment(form, offer, view)
    if form.errors:
        await ack(response_action="errors", errors=form.errors.errors)
        return
    action = shared_flow().new_action(command, body, {**data, "mo_id": task_mo(metadata.get("task"))}, metadata)
    plan = FBA_PLAN if offer.method == "fba" else CARRIER_PLAN
    action = action.model_copy(update={"steps": [ActionStep(_id=name) for name in plan]})
    await record_once(floor, recorder, ack, draft_id=draft.id, action=action, title=TITLE,
                      already="This shipment was already recorded.", working="Recording in Katana…")


def task_mo(task_id: Any) -> int | None:
    """A SHIP task is per MO ("ship:<mo id>"): the action then shows in that MO's history."""
    kind, _, mo = str(task_id or "").partition(":")
    return int(mo) if kind == "ship" and mo.isdigit() else None


def read_shipment(form: Form, offer: ShipOffer, view: dict[str, Any]) -> dict[str, Any]:
    inputs = {b.get("block_id") for b in view.get("blocks") or [] if b.get("type") == "input"}
    lines: list[dict[str, Any]] = []
    for row in offer.open_rows:
        if f"q_{row.row_id}" not in inputs:
            continue  # beyond the rows the form showed
        quantity = form.quantity(f"q_{row.row_id}", f"quantity of {row.sku}", required=False, allow_zero=True)
        if not quantity:
            continue
        raw_batch = form.raw(f"b_{row.row_id}") if row.tracked else None
        batch_id = int(raw_batch) if str(raw_batch or "").isdigit() else None
        lines.append({"row_id": row.row_id, "variant_id": row.variant_id, "sku": row.sku, "quantity": quantity,
                      "batch_id": batch_id, "batch": (row.batch(batch_id).number if row.batch(batch_id) else None),
                      "linked_mo_id": row.linked_mo_id})
    for row_id, problem in over_problems(offer, [(l["row_id"], l["quantity"], l["batch_id"]) for l in lines]).items():
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
        pallets = int(raw) if raw.isdigit() else None
        if pallets is None or not 1 <= pallets <= 99:
            form.errors.add("pallets", "Enter the number of pallets (1 to 99).")
        return {"shipment": form.code("shipment", "FBA shipment reference", max_len=60), "pallets": pallets}
    status = form.choice("status", "status", {"DELIVERED", "PACKED"})
    return {"carrier": form.code("carrier", "carrier", max_len=60),
            "tracking": form.code("tracking", "tracking number", required=False, max_len=100),
            "status": status or "DELIVERED"}

