"""/ship: a sales order (or part of it) left the building.

Records in Katana: a sales-order fulfilment (PACKED or DELIVERED, rows with their batches, carrier and
tracking number), or — for Amazon FBA — a stock transfer from the order's location to `FBA_LOCATION`
with the shipment reference and pallet count. Closes the SHIP task. More than the order still asks for,
or more than the chosen batch holds, is refused at the field before anything is saved.
The modals and the steps live in commands/shipping/.
"""
from __future__ import annotations

from commands.context import Floor
from commands.facts import ShipFacts
from commands.forms import FloorCommand
from commands.shipping.flow import open_ship, submit_ship
from commands.shipping.steps import CARRIER_PLAN, FBA_PLAN
from commands.shipping.views import TITLE


def shipped_lines(facts: ShipFacts) -> str:
    parts = []
    for line in facts.lines:
        batch = f" (batch {line.batch})" if line.batch else ""
        parts.append(f"{line.quantity} × {line.sku}{batch}")
    return ", ".join(parts)


def headline(facts: ShipFacts) -> tuple[str, list[str]]:
    who, order = facts.person, facts.order_no
    if facts.method == "fba":
        line = f":truck: *{who}* sent *{order}* to Amazon FBA — {shipped_lines(facts)}"
        extra = [f"shipment {facts.shipment}", f"{facts.pallets} pallet(s)", f"transfer to {facts.fba_location_name}"]
    else:
        verb = "packed" if facts.status == "PACKED" else "shipped"
        line = f":truck: *{who}* {verb} *{order}* — {shipped_lines(facts)}"
        extra = [f"by {facts.carrier}"] + ([f"tracking {facts.tracking}"] if facts.tracking else [])
    closed = len(facts.closed_tasks)
    return line, extra + ([f"{closed} ship task(s) done"] if closed else [])


def sales_order_link(floor: Floor, facts: ShipFacts) -> str:
    return floor.order_link("salesorder", facts.so_id)


COMMAND = FloorCommand(
    name="ship", title=TITLE, stage="ship", facts=ShipFacts, plan=CARRIER_PLAN, other_plans=(FBA_PLAN,),
    headline=headline, link=sales_order_link, opens=open_ship, submits=submit_ship,
    help="Records what left for a sales order: a fulfilment with carrier and tracking number, or a stock "
         "transfer to Amazon FBA. Quantities and batches are checked against the order and the stock.")
