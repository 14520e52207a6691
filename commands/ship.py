"""/ship: a sales order (or part of it) left the building.

Records in Katana: a sales-order fulfilment (PACKED or DELIVERED, rows with their batches, carrier and
tracking number), or — for Amazon FBA — a stock transfer from the order's location to `FBA_LOCATION`
with the shipment reference and pallet count; or marks fulfilments packed earlier DELIVERED (with the
carrier and tracking number they lacked). Closes the SHIP task — once delivered: packed goods leave it
waiting for pickup, with Mark delivered. More than the order still asks for,
or more than the chosen batch holds, is refused at the field before anything is saved.
The modals and the steps live in commands/shipping/.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from commands.context import Floor
from commands.facts import ShipFacts
from commands.forms import FloorCommand
from commands.mrkdwn import escape
from commands.shipping.flow import open_ship, submit_ship
from commands.shipping.steps import CARRIER_PLAN, DELIVER_PLAN, FBA_PLAN
from commands.shipping.views import TITLE


def shipped_lines(facts: ShipFacts) -> str:
    parts = []
    for line in facts.lines:
        batch = f" (batch {escape(line.batch)})" if line.batch else ""
        parts.append(f"{line.quantity} × {escape(line.sku)}{batch}")
    return ", ".join(parts)


def headline(facts: ShipFacts) -> tuple[str, list[str]]:
    who, order = escape(facts.person), escape(facts.order)
    if facts.method == "deliver":
        return delivered_headline(facts)
    if facts.method == "fba":
        line = f":truck: *{who}* sent *{order}* to Amazon FBA — {shipped_lines(facts)}"
        extra = [f"shipment {escape(facts.shipment)}", f"{facts.pallets} pallet(s)",
                 f"transfer to {escape(facts.fba_location_name)}"]
    else:
        verb = "packed" if facts.status == "PACKED" else "shipped"
        line = f":truck: *{who}* {verb} *{order}* — {shipped_lines(facts)}"
        extra = [f"by {escape(facts.carrier)}"] + ([f"tracking {escape(facts.tracking)}"] if facts.tracking else [])
    return line, extra + tasks_said(facts)


def delivered_headline(facts: ShipFacts) -> tuple[str, list[str]]:
    count = len(facts.to_deliver)
    what = f"{count} packed shipment{'s' if count != 1 else ''}" if count else "nothing new (already delivered)"
    line = f":truck: *{escape(facts.person)}* handed *{escape(facts.order)}* to the carrier — {what} delivered"
    extra = [f"by {escape(facts.carrier)}"] if facts.carrier else []
    extra += [f"tracking {escape(facts.tracking)}"] if facts.tracking else []
    return line, extra + tasks_said(facts)


def tasks_said(facts: ShipFacts) -> list[str]:
    closed, packed = len(facts.closed_tasks), len(facts.packed_tasks)
    return ([f"{closed} ship task(s) done"] if closed else []) + (
        [f"{packed} ship task(s) waiting for pickup"] if packed else [])


def same_shipment(entered: dict[str, Any]) -> list[dict[str, Any]]:
    """What makes two /ship entries by one person the same (commands.claiming asks before the second): the
    order with the same tracking number, or the order with the same rows and quantities. Marking packed
    goods delivered has none: the order's one-at-a-time claim and Katana's own state keep that to once."""
    if entered.get("method") == "deliver":
        return []
    rows = sorted((int(line["row_id"]), f"{Decimal(str(line['quantity'])).normalize():f}")
                  for line in entered.get("lines") or [])
    same = [{"so": entered.get("so_id"), "rows": rows}]
    if entered.get("tracking"):
        same.append({"so": entered.get("so_id"), "tracking": str(entered["tracking"]).strip().upper()})
    return same


def recap(entered: dict[str, Any]) -> str:
    """The earlier entry, as the person is reminded of it."""
    lines = ", ".join(f"{Decimal(str(line['quantity'])).normalize():f} × {line.get('sku')}"
                      for line in entered.get("lines") or [])
    tracking = f", tracking {entered['tracking']}" if entered.get("tracking") else ""
    return f"{entered.get('order_no')}: {lines or 'nothing'}{tracking}"


def one_order(entered: dict[str, Any]) -> str | None:
    """One recording of a sales order at a time: two submissions at once never both write (two people marking
    the same parcel delivered; two shipments of the same rows)."""
    return f"order:so:{entered['so_id']}" if entered.get("so_id") is not None else None


def sales_order_link(floor: Floor, facts: ShipFacts) -> str:
    return floor.order_link("salesorder", facts.so_id)


COMMAND = FloorCommand(
    name="ship", title=TITLE, stage="ship", facts=ShipFacts, plan=CARRIER_PLAN, other_plans=(FBA_PLAN, DELIVER_PLAN),
    headline=headline, link=sales_order_link, opens=open_ship, submits=submit_ship,
    same_facts=same_shipment, recap=recap, one_at_a_time=one_order,
    help="Records what left for a sales order: a fulfilment with carrier and tracking number, or a stock "
         "transfer to Amazon FBA; or marks what was packed earlier as delivered. Quantities and batches are "
         "checked against the order and the stock.")
