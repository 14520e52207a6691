"""A packing slip that no read could read (commands/receiving/reading.py gave up after its attempts): the
person types its lines by hand, or asks for one more read of the photo.

- Type the lines: the chosen PO's open rows become the lines of the confirmation, each on its row with the
  quantity left empty (a typed line is as much the person's word as a corrected one: nothing is marked ⚠,
  every quantity must be entered or the line left out). From there it is the usual confirmation: checked
  against the PO, recorded once, the receipt kept with `reader: typed`.
- Try again: a fresh count of attempts, read by this replica, leased and resumed as any read.
"""
from __future__ import annotations

import logging
from datetime import datetime

from commands import cards
from commands.context import Floor
from commands.fields import Form
from commands.order_fields import offered
from commands.ports import Ack, SlackRefused, Submission
from commands.receiving.matching import PoChoice
from commands.receiving.open_pos import open_orders
from commands.receiving.reading import PO, SlipRead
from commands.receiving.service import Receiving
from commands.receiving.state import LineEntry, PhotoRef, ReceiveState
from commands.receiving.views import READ_AGAIN, TITLE, TYPE_LINES, confirm_view, reading_view, refused_view
from commands.submissions import ack_landed
from integrations.katana.errors import KatanaError
from models.base import utcnow, whole_number
from models.packing_slip import PackingSlip, Read, SlipLine
from models.receipts import ModalDraft
from models.store import StoreError

log = logging.getLogger(__name__)
EXPIRED = "This form has expired: start /receive again."


async def on_unreadable(floor: Floor, receiving: Receiving, ack: Ack, submission: Submission) -> None:
    refusal = await floor.permissions.refusal(submission.user_id, "receive")
    if refusal:
        await ack(response_action="errors", errors={"next": refusal})
        return
    metadata = cards.read_metadata(submission.view)
    draft = await floor.store.drafts.get(str(metadata.get("draft") or ""))
    if draft is None or draft.kind != "receive" or draft.user_id != submission.user_id or draft.status != "unreadable":
        await ack(response_action="update", view=refused_view(EXPIRED))
        return
    form = Form((submission.view.get("state") or {}).get("values") or {})
    if form.choice("next", "way on", {TYPE_LINES, READ_AGAIN}) == READ_AGAIN:
        await read_again(floor, receiving, ack, draft)
        return
    po = whole_number(form.raw("po"))
    if po is None or str(po) not in await offered(floor, PO, "po", form, metadata):
        form.errors.add("po", "Choose the purchase order whose lines you type." if po is None
                        else "That purchase order is not open any more.")
    if form.errors:
        await ack(response_action="errors", errors=form.errors.errors)
        return
    await ack(response_action="update", view=cards.message_view(
        TITLE, ":hourglass_flowing_sand: Loading the lines of the purchase order…"))
    floor.jobs.spawn(type_lines(floor, draft, int(po or 0), utcnow()), name=f"type slip {draft.id}")


async def read_again(floor: Floor, receiving: Receiving, ack: Ack, draft: ModalDraft) -> None:
    again = await floor.store.drafts.read_again(draft.id, draft.user_id, receiving.replica, receiving.lease)
    if again is None:  # chosen twice, or typed meanwhile
        await ack(response_action="update", view=refused_view(EXPIRED))
        return
    await ack(response_action="update", view=reading_view())
    floor.jobs.spawn(SlipRead(floor, receiving, again, acked_at=utcnow()).run(), name=f"read slip {draft.id}")


async def type_lines(floor: Floor, draft: ModalDraft, po_id: int, acked_at: datetime) -> None:
    try:
        view = await typed_confirmation(floor, draft, po_id)
    except KatanaError as exc:
        view = cards.message_view(TITLE, f":warning: Can't load the purchase order: {exc.user_message}",
                                  footer="Nothing was received. Try /receive again in a minute.")
    except StoreError as exc:
        log.warning("/receive lines to type not shown: the store failed (%s)", type(exc).__name__)
        view = cards.message_view(TITLE, ":warning: The bot could not keep the lines just now (its database did "
                                         "not answer).", footer="Nothing was received. Try /receive again in a moment.")
    await ack_landed(acked_at)
    try:
        await floor.slack.update_view(str(draft.view_id), view)
    except SlackRefused as exc:
        log.info("the /receive lines to type could not be shown (closed?): %s", exc.error)


async def typed_confirmation(floor: Floor, draft: ModalDraft, po_id: int) -> dict[str, object]:
    orders = await open_orders(floor, also=po_id)
    order = next((o for o in orders if o.po_id == po_id), None)
    if order is None or not order.rows:
        return refused_view("That purchase order has nothing left to receive.")
    file = draft.data.get("file") or {}
    state = ReceiveState(photo=PhotoRef(file_id=str(file.get("id") or ""), name=str(file.get("name") or "")[:100]),
                         slip=typed_slip(order), orders=orders, po_id=po_id, note="You chose this PO.")
    state.entries = [LineEntry(row_id=row.row_id) for row in order.rows][:len(state.lines)]  # each on its own row
    saved = await floor.store.drafts.save(draft.id, status="ready", state=state.dump(),
                                          suggested_rows=[e.row_id for e in state.entries])
    if saved is None:  # received meanwhile from another form of this slip
        return refused_view(EXPIRED)
    return confirm_view(state, draft_id=draft.id, channel_id=draft.channel_id)


def typed_slip(order: PoChoice) -> PackingSlip:
    """The PO's open rows as the lines to fill in: what they are is the PO's (sure), what came is to be typed."""
    def sure(value: str | None) -> Read[str]:
        return Read(value=value, confidence=1.0)
    return PackingSlip(supplier=sure(order.supplier), po_number=sure(order.order_no), reader="typed",
                       lines=[SlipLine(sku=sure(row.sku), description=sure(row.name), unit=sure(row.uom))
                              for row in order.rows],
                       notes=["the photo could not be read: the lines were typed by hand"])
