"""/ship: a sales order (or part of it) left the building.

Records in Katana: a sales-order fulfilment (PACKED or DELIVERED, rows with their batches, carrier and
tracking number), or — for Amazon FBA — a stock transfer from the order's location to `FBA_LOCATION`
with the shipment reference and pallet count. Closes the SHIP task. More than the order still asks for,
or more than the chosen batch holds, is refused at the field before anything is saved.
The modals and the steps live in commands/shipping/.
"""
from __future__ import annotations

from typing import Any

from commands.context import Floor
from commands.forms import FloorCommand
from commands.recording import Outcome
from commands.shipping import steps  # noqa: F401 — registers the plan's step names
from commands.shipping.flow import CARRIER_PLAN, on_pick, open_ship, submit_ship
from commands.shipping.views import PICK_CALLBACK, TITLE
from commands.trade_outcome import no_note, order_link, outcome_texts


def shipped_lines(facts: dict[str, Any]) -> str:
    parts = []
    for line in facts.get("lines") or []:
        batch = f" (batch {line['batch']})" if line.get("batch") else ""
        parts.append(f"{line['quantity']} × {line['sku']}{batch}")
    return ", ".join(parts)


def headline(facts: dict[str, Any]) -> tuple[str, list[str]]:
    who, order = facts.get("person"), facts.get("order_no")
    if facts.get("method") == "fba":
        line = f":truck: *{who}* sent *{order}* to Amazon FBA — {shipped_lines(facts)}"
        extra = [f"shipment {facts['shipment']}", f"{facts['pallets']} pallet(s)",
                 f"transfer to {facts.get('fba_location_name')}"]
    else:
        verb = "packed" if facts.get("status") == "PACKED" else "shipped"
        line = f":truck: *{who}* {verb} *{order}* — {shipped_lines(facts)}"
        extra = [f"by {facts['carrier']}"] + ([f"tracking {facts['tracking']}"] if facts.get("tracking") else [])
    closed = len(facts.get("closed_tasks") or [])
    return line, extra + ([f"{closed} ship task(s) done"] if closed else [])


def outcome(floor: Floor, result: Outcome) -> tuple[dict[str, Any], dict[str, Any]]:
    facts = {**result.action.input, **result.action.results()}
    return outcome_texts(result, title=TITLE, order_no=str(facts.get("order_no")), headline=headline,
                         link=order_link(floor, "salesorder", int(facts["so_id"])))


def listeners(app: Any, floor: Floor) -> None:
    """The order-and-method stage that comes before the form."""
    async def on_pick_submit(ack: Any, body: dict[str, Any]) -> None:
        await on_pick(floor, ack, body)
    app.view(PICK_CALLBACK)(on_pick_submit)


COMMAND = FloorCommand(
    name="ship", title=TITLE, stage="ship", blocks=lambda prefill: [], read=lambda form, offered: {},
    plan=CARRIER_PLAN, note=no_note, handover=lambda facts: {}, headline=headline,
    help="Records what left for a sales order: a fulfilment with carrier and tracking number, or a stock "
         "transfer to Amazon FBA. Quantities and batches are checked against the order and the stock.",
    extra={"open": open_ship, "submit": submit_ship, "outcome": outcome, "listeners": listeners})
