"""/receive, stage by stage.

open:    "Loading…" → the photo modal (an optional PO and one file)
photo:   ack with "Reading the packing slip…" → download (Slack file hosts only, images only, ≤ 10 MB)
         → read → match to an open PO → the confirmation view (a refused file says why; nothing changes).
         The read is leased, resumed after a restart or by another replica, and tried a few times
         (commands/receiving/reading.py); then the person may type the lines or try again (unreadable.py).
confirm: field errors, or the view again (another PO chosen, an over-receipt that needs a choice),
         or a durable floor action: batches, the PO receipt, the receipt kept for audit.
"""
from __future__ import annotations

import logging

from commands import cards
from commands.context import Floor
from commands.facts import ReceiveFacts
from commands.fields import Form
from commands.forms import FloorCommand
from commands.mrkdwn import escape
from commands.order_fields import offered, typed_order
from commands.orders import OrderList
from commands.ports import Ack, Submission, View
from commands.receiving.confirm import read_confirmation
from commands.receiving.reading import SlipRead, slack_file
from commands.receiving.service import Receiving
from commands.receiving.state import ReceiveState
from commands.receiving.views import TITLE, confirm_view, photo_view, reading_view, refused_view
from commands.recording import Recorder
from commands.submissions import new_action, save_and_record
from integrations.katana.errors import KatanaError
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
    draft, created = await floor.store.drafts.create_read(ModalDraft(
        id=submission.key, kind="receive", user_id=user, channel_id=metadata.get("ch"), view_id=view["id"],
        data={"po_hint": int(po) if po else None, "file": slack_file(files[0])},  # the file: to read it again
        created_at=utcnow(), updated_at=utcnow()), receiving.replica, receiving.lease)
    await ack(response_action="update", view=reading_view())
    if created:  # a re-sent submission reads the slip once
        floor.jobs.spawn(SlipRead(floor, receiving, draft, acked_at=utcnow()).run(), name=f"read slip {draft.id}")


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
