"""/receive: goods arrived with a packing slip; a photo of it becomes a confirmed receipt in Katana.

The slip is read (vision model, or offline OCR), matched to an open purchase order, and shown for
confirmation: lines editable, matched to PO rows with what each still has to come, hard-to-read fields
marked and to be confirmed, more than ordered only on an explicit choice. Then, in Katana: batches for
batch-tracked items, `POST /purchase_order_receive`; and the receipt kept for audit.
The modals, the matching and the steps live in commands/receiving/.
"""
from __future__ import annotations

from typing import Any

from commands.context import Floor
from commands.forms import FloorCommand
from commands.receiving import steps  # noqa: F401 — registers the plan's step names
from commands.receiving.flow import RECEIVE_PLAN, on_photo, open_receive, submit_receive
from commands.receiving.service import Receiving
from commands.receiving.views import PHOTO_CALLBACK, TITLE
from commands.recording import Outcome
from commands.trade_outcome import no_note, order_link, outcome_texts


def received_lines(facts: dict[str, Any]) -> str:
    parts = []
    for line in facts.get("lines") or []:
        lot = f" (lot {line['lot']})" if line.get("lot") else ""
        parts.append(f"{line['quantity']} {line.get('uom') or ''} × {line['sku']}{lot}".replace("  ", " "))
    return ", ".join(parts)


def headline(facts: dict[str, Any]) -> tuple[str, list[str]]:
    supplier = f" from {facts['supplier']}" if facts.get("supplier") else ""
    line = f":inbox_tray: *{facts.get('person')}* received *{facts.get('order_no')}*{supplier} — {received_lines(facts)}"
    extra = []
    if facts.get("created_batches"):
        extra.append(f"new batch(es): {', '.join(facts['created_batches'])}")
    over = [l["sku"] for l in facts.get("lines") or [] if l.get("over_receipt")]
    if over:
        extra.append(f"more than ordered: {', '.join(over)}")
    if facts.get("skipped"):
        extra.append(f"{len(facts['skipped'])} slip line(s) not received")
    if facts.get("changes"):
        extra.append(f"{len(facts['changes'])} correction(s) to what was read")
    return line, extra + ["receipt and photo kept"]


def outcome(floor: Floor, result: Outcome) -> tuple[dict[str, Any], dict[str, Any]]:
    facts = {**result.action.input, **result.action.results()}
    return outcome_texts(result, title=TITLE, order_no=str(facts.get("order_no")), headline=headline,
                         link=order_link(floor, "purchaseorder", int(facts["po_id"])))


def listeners(app: Any, floor: Floor, receiving: Receiving) -> None:
    """The photo stage that comes before the confirmation."""
    async def on_photo_submit(ack: Any, body: dict[str, Any]) -> None:
        await on_photo(floor, receiving, ack, body)
    app.view(PHOTO_CALLBACK)(on_photo_submit)


COMMAND = FloorCommand(
    name="receive", title=TITLE, stage="receive", blocks=lambda prefill: [], read=lambda form, offered: {},
    plan=RECEIVE_PLAN, note=no_note, handover=lambda facts: {}, headline=headline,
    help="Reads a photo of the packing slip, matches it to an open purchase order, and after you confirm "
         "the lines receives them in Katana (batches included). The photo and the receipt are kept.",
    extra={"open": open_receive, "submit": submit_receive, "outcome": outcome})
