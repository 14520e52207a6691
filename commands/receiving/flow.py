"""/receive, stage by stage.

open:    "Loading…" → the photo modal (an optional PO and one file)
photo:   ack with "Reading the packing slip…" → download (Slack file hosts only, images only, ≤ 10 MB)
         → read → match to an open PO → the confirmation view (a refused file says why; nothing changes)
confirm: field errors, or the view again (another PO chosen, an over-receipt that needs a choice),
         or a durable floor action: batches, the PO receipt, the receipt kept for audit.
"""
from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from commands import cards
from commands.context import Floor
from commands.facts import ReceiveFacts
from commands.fields import Form
from commands.forms import FloorCommand
from commands.mrkdwn import escape
from commands.order_fields import offered, typed_order
from commands.orders import OrderList
from commands.ports import Ack, SlackRefused, Submission, View
from commands.receiving.confirm import read_confirmation
from commands.receiving.matching import PoChoice, PoRow, rank_orders, suggested_order
from commands.receiving.service import READ_PATIENCE_SECONDS, Receiving
from commands.receiving.state import PhotoRef, ReceiveState, entries_for
from commands.receiving.views import TITLE, confirm_view, photo_view, reading_view, refused_view
from commands.recording import Recorder
from commands.submissions import ack_landed, new_action, save_and_record
from integrations.katana.errors import KatanaError
from integrations.katana.purchasing import OPEN_PO_STATUSES, PurchasingService, open_rows, supplier_name
from integrations.katana.stock import StockService
from integrations.slack_files import FileRefused
from integrations.slips import Expected, ExpectedItem, ExpectedOrder, SlipImageError, reconcile
from models.base import utcnow
from models.open_orders import Kind
from models.receipts import ModalDraft
from models.tasks import ProductionTask

log = logging.getLogger(__name__)
PO: Kind = "po"


async def open_receive(floor: Floor, command: FloorCommand[ReceiveFacts], *, trigger_id: str,
                       channel_id: str | None, task: ProductionTask | None = None, typed: str = "") -> None:
    """Open at once from the store's open purchase orders; through "Loading…" only before they were ever
    read from Katana. `typed`: a PO number after the command."""
    listed = await floor.orders.current(PO)
    if listed is not None:
        await floor.slack.open_view(trigger_id, await photo_for(floor, listed, typed, channel_id))
        return
    opened = await floor.slack.open_view(trigger_id, cards.message_view(
        TITLE, ":hourglass_flowing_sand: Loading open purchase orders from Katana…"))
    try:
        view = await photo_for(floor, await floor.orders.loaded(PO), typed, channel_id)
    except KatanaError as exc:
        view = cards.message_view(TITLE, f":warning: Can't load the open purchase orders: {escape(exc.user_message)}",
                                  footer="Nothing was received. Try again in a minute.")
    await floor.slack.update_view(opened.id, view, hash=opened.hash)


async def photo_for(floor: Floor, listed: OrderList | None, typed: str, channel_id: str | None) -> View:
    chosen, warning = await typed_order(floor, PO, typed) if typed.strip() else (None, None)
    return photo_view(listed, channel_id=channel_id, chosen=chosen, warning=warning)


async def on_photo(floor: Floor, receiving: Receiving, ack: Ack, submission: Submission) -> None:
    view, user = submission.view, submission.user_id
    refusal = await floor.permissions.refusal(user, "receive")
    if refusal:
        await ack(response_action="errors", errors={"photo": refusal})
        return
    metadata = cards.read_metadata(view)
    values = (view.get("state") or {}).get("values") or {}
    files = ((values.get("photo") or {}).get("photo") or {}).get("files") or []
    po = Form(values).raw("po")
    if len(files) != 1 or not isinstance(files[0], dict):
        await ack(response_action="errors", errors={"photo": "Attach one photo of the packing slip."})
        return
    if po is not None and str(po) not in await offered(floor, PO, "po", Form(values), metadata):
        await ack(response_action="errors", errors={"po": "That purchase order is not open any more."})
        return
    draft, created = await floor.store.drafts.create(ModalDraft(
        id=submission.key, kind="receive", user_id=user, channel_id=metadata.get("ch"),
        view_id=view["id"], status="reading", data={"po_hint": int(po) if po else None},
        created_at=utcnow(), updated_at=utcnow()))
    await ack(response_action="update", view=reading_view())
    if created:  # a re-sent submission reads the slip once
        floor.jobs.spawn(read_slip(floor, receiving, draft, files[0], utcnow()), name=f"read slip {draft.id}")


async def read_slip(floor: Floor, receiving: Receiving, draft: ModalDraft, file: dict[str, Any],
                    acked_at: datetime) -> None:
    async def waiting(ahead: int) -> None:  # other slips are being read first (SLIP_READS_AT_ONCE): say so
        await ack_landed(acked_at)
        try:
            await floor.slack.update_view(str(draft.view_id), reading_view(ahead))
        except SlackRefused:
            pass  # the modal was closed meanwhile: nobody to tell
    try:
        view = await confirmation_for(floor, receiving, draft, file, waiting)
    except FileRefused as refusal:
        await floor.store.drafts.save(draft.id, status="refused", problem=str(refusal))
        view = refused_view(str(refusal))
    await ack_landed(acked_at)
    try:
        await floor.slack.update_view(str(draft.view_id), view)
    except SlackRefused as exc:
        log.info("the /receive confirmation could not be shown (closed?): %s", exc.error)


async def confirmation_for(floor: Floor, receiving: Receiving, draft: ModalDraft, file: dict[str, Any],
                           waiting: Callable[[int], Awaitable[None]] | None = None) -> View:
    if receiving.reader is None:
        raise FileRefused("This bot cannot read packing slips yet (no slip reader is installed).")
    photo = await receiving.files.download_photo(file)
    try:
        async with receiving.queue.turn(on_wait=waiting):
            slip = await receiving.reader.read(photo.content, patience=READ_PATIENCE_SECONDS)
    except SlipImageError as exc:  # not a usable photo after all; its message is for floor staff
        raise FileRefused(str(exc)) from None
    except Exception:  # any reader failure: say so plainly, change nothing
        log.exception("reading packing slip %s failed", file.get("id"))
        raise FileRefused("The photo could not be read. Take it again, flat and in good light.") from None
    try:
        orders = await open_orders(floor, also=draft.data.get("po_hint"))
    except KatanaError as exc:
        raise FileRefused(f"Can't load the open purchase orders: {exc.user_message}") from None
    slip = reconcile(slip, expected_goods(orders, draft.data.get("po_hint")))  # codes snapped to the POs' rows
    if not slip.lines:
        raise FileRefused("No item lines could be read on that photo. Take it again, flat and in good light.")
    state = ReceiveState(photo=PhotoRef(file_id=str(file.get("id") or ""), name=str(file.get("name") or "")[:100]),
                         slip=slip, orders=orders, ranking=rank_orders(slip, orders))
    choose_order(state, draft.data.get("po_hint"))
    await floor.store.drafts.save(draft.id, status="ready", state=state.dump(),
                             suggested_rows=[e.row_id for e in state.entries])
    return confirm_view(state, draft_id=draft.id, channel_id=draft.channel_id)


def choose_order(state: ReceiveState, po_hint: int | None) -> None:
    """The operator's PO if they chose one, else the slip's printed number or a clear best match."""
    best = suggested_order(state.ranking)
    if po_hint and any(o.po_id == po_hint for o in state.orders):
        state.po_id, state.note = po_hint, "You chose this PO."
    elif best is not None and best.doubtful:
        state.po_id, state.po_to_check = best.po_id, True
        state.note = f"The {best.reason} was hard to read: check it and tick below."
    elif best is not None:
        state.po_id = best.po_id
        state.note = f"Matched by {best.reason}." if best.printed else f"Best match ({best.reason}): check it."
    else:
        state.note = "No open PO clearly matches this slip: choose it."
    state.entries = entries_for(state.lines, state.order)


def expected_goods(orders: list[PoChoice], po_hint: int | None) -> Expected:
    """The open POs as the slip reader's dictionary: each row's SKU, supplier codes, unit and what is left."""
    return Expected(orders=tuple(ExpectedOrder(o.order_no, o.supplier, tuple(
        ExpectedItem((r.sku, *r.codes), r.uom, r.remaining, r.name) for r in o.rows)) for o in orders),
        chosen=next((o.order_no for o in orders if o.po_id == po_hint), None))


async def open_orders(floor: Floor, also: int | None = None) -> list[PoChoice]:
    """The open POs (with their rows) a slip is matched against; `also`: the PO the operator chose, read
    on its own when it is older than the newest hundred."""
    purchasing = PurchasingService(floor.katana.client)
    orders = await purchasing.open_purchase_orders()
    if also and all(o.id != also for o in orders):
        chosen = await purchasing.get_purchase_order(int(also))
        orders += [chosen] if chosen.status in OPEN_PO_STATUSES and chosen.deleted_at is None else []
    rows = [(o, r) for o in orders for r in open_rows(o) if r.variant_id]
    items = await StockService(floor.katana.client).items({r.variant_id for _, r in rows if r.variant_id})
    choices = []
    for order in orders:
        po_rows = [PoRow(row_id=r.id, variant_id=int(r.variant_id), sku=items[r.variant_id].sku or "",
                         name=items[r.variant_id].name, codes=items[r.variant_id].supplier_item_codes,
                         remaining=r.quantity, uom=items[r.variant_id].uom, tracked=items[r.variant_id].batch_tracked)
                   for o, r in rows if o.id == order.id and r.variant_id in items]
        choices.append(PoChoice(po_id=order.id, order_no=order.order_no, supplier=supplier_name(order),
                                location_id=order.location_id, rows=po_rows))
    return choices


async def submit_receive(floor: Floor, recorder: Recorder, command: FloorCommand[ReceiveFacts], ack: Ack,
                         submission: Submission) -> None:
    view, user = submission.view, submission.user_id
    metadata = cards.read_metadata(view)
    draft = await floor.store.drafts.get(str(metadata.get("draft") or ""))
    if draft is None or draft.kind != "receive" or draft.user_id != user or "state" not in draft.data:
        await ack(response_action="update", view=refused_view("This confirmation has expired: start /receive again."))
        return
    if draft.action_id not in (None, submission.key):
        await ack(response_action="update", view=cards.message_view(TITLE, "This packing slip was already received."))
        return
    state = ReceiveState.model_validate(draft.data["state"])
    form = Form((view.get("state") or {}).get("values") or {})
    inputs = {b.get("block_id") for b in view.get("blocks") or [] if b.get("type") == "input"}
    outcome = read_confirmation(form, state, inputs, draft.data.get("suggested_rows") or [])
    if form.errors:
        await ack(response_action="errors", errors=form.errors.errors)
        return
    if outcome is None:  # shown again: another PO, or an over-receipt that needs a choice
        await floor.store.drafts.save(draft.id, state=state.dump())
        await ack(response_action="update", view=confirm_view(state, draft_id=draft.id, channel_id=draft.channel_id))
        return
    action = new_action(command, submission, {**outcome, "draft": draft.id}, metadata)
    await save_and_record(floor, recorder, ack, action, title=TITLE, draft_id=draft.id,
                          already="This packing slip was already received.", working="Receiving in Katana…")
