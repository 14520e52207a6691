"""/receive: goods arrived with a packing slip; a photo of it becomes a confirmed receipt in Katana.

The slip is read (vision model, or offline OCR), matched to an open purchase order, and shown for
confirmation: lines editable, matched to PO rows with what each still has to come, hard-to-read fields
marked and to be confirmed, more than ordered only on an explicit choice. Then, in Katana: batches for
batch-tracked items, `POST /purchase_order_receive`; and the receipt kept for audit.
The modals, the matching and the steps live in commands/receiving/.
"""
from __future__ import annotations

from commands.context import Floor
from commands.facts import ReceiveFacts
from commands.forms import FloorCommand
from commands.receiving.flow import open_receive, submit_receive
from commands.receiving.steps import RECEIVE_PLAN
from commands.receiving.views import TITLE


def received_lines(facts: ReceiveFacts) -> str:
    parts = []
    for line in facts.lines:
        lot = f" (lot {line.lot})" if line.lot else ""
        parts.append(f"{line.quantity} {line.uom or ''} × {line.sku}{lot}".replace("  ", " "))
    return ", ".join(parts)


def headline(facts: ReceiveFacts) -> tuple[str, list[str]]:
    supplier = f" from {facts.supplier}" if facts.supplier else ""
    line = f":inbox_tray: *{facts.person}* received *{facts.order_no}*{supplier} — {received_lines(facts)}"
    extra = []
    if facts.created_batches:
        extra.append(f"new batch(es): {', '.join(facts.created_batches)}")
    over = [each.sku for each in facts.lines if each.over_receipt]
    if over:
        extra.append(f"more than ordered: {', '.join(over)}")
    if facts.skipped:
        extra.append(f"{len(facts.skipped)} slip line(s) not received")
    if facts.changes:
        extra.append(f"{len(facts.changes)} correction(s) to what was read")
    return line, extra + ["receipt and photo kept"]


def purchase_order_link(floor: Floor, facts: ReceiveFacts) -> str:
    return floor.order_link("purchaseorder", facts.po_id)


COMMAND = FloorCommand(
    name="receive", title=TITLE, stage="receive", facts=ReceiveFacts, plan=RECEIVE_PLAN,
    headline=headline, link=purchase_order_link, opens=open_receive, submits=submit_receive,
    help="Reads a photo of the packing slip, matches it to an open purchase order, and after you confirm "
         "the lines receives them in Katana (batches included). The photo and the receipt are kept.")
