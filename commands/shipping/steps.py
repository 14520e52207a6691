"""The Katana steps of /ship: check again, record the fulfilment (or the FBA transfer), close SHIP tasks;
or mark what was packed earlier as delivered.

The check comes first so a refusal (someone shipped part of the order meanwhile, a batch ran out)
happens before anything is written. Both writes are POSTs: each has a look-up that finds a write whose
answer was lost, so a retry never ships twice. Marking delivered is a PATCH, safe to repeat; a resumed
step reads Katana first and leaves alone what is delivered already.

A SHIP task stays open while its order is only packed (the floor's work is done when the carrier has it):
it shows "waiting for pickup" with Mark delivered, and closes when the packed goods are delivered.
"""
from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from commands import cards
from commands.chain import refresh_task_message
from commands.context import Floor
from commands.facts import ShipFacts
from commands.plan import Result, Step, StepContext, StepRefused, step
from commands.shipping.offer import Method, build_offer, fba_note, over_problems
from integrations.katana.models import SalesOrder
from integrations.katana.sales import OPEN_SO_STATUSES, Fulfilment, SalesService, ShipLine
from integrations.katana.stock import IN_TRANSIT, ON_ITS_WAY, MoveLine, StockService
from models.base import utcnow
from models.tasks import task_id

Ctx = StepContext[ShipFacts]


def lines_of(facts: ShipFacts) -> list[tuple[int, Decimal, int | None]]:
    return [(line.row_id, line.quantity, line.batch_id) for line in facts.lines]


@step("check_shipment", "")
async def check_shipment(ctx: Ctx) -> Result:
    facts = ctx.facts
    method: Method = "fba" if facts.method == "fba" else "carrier"  # (this step is not in the deliver plan)
    offer = await build_offer(ctx.katana, facts.so_id, method, facts.fba_location_id, facts.fba_location_name)
    if offer.status not in OPEN_SO_STATUSES:  # delivered, a quote again, …: the form's order is closed now
        raise StepRefused(f"{offer.order_no} is {(offer.status or 'closed').replace('_', ' ').lower()} in Katana "
                          "now: nothing was shipped.")
    problems = over_problems(offer, lines_of(facts))
    if problems:
        raise StepRefused(" ".join(problems.values()))
    person = await ctx.floor.slack.person_name(ctx.action.user_id, ctx.action.user_name)
    finished = [line.linked_mo_id for line in facts.lines
                if line.linked_mo_id and (row := offer.row(line.row_id)) is not None and line.quantity >= row.remaining]
    result: Result = {"order_no": offer.order_no, "person": person, "finished_mos": finished}
    if facts.method == "fba":
        existing = await StockService(ctx.katana.client).find_transfer(str(facts.shipment))
        if existing is not None:
            raise StepRefused(f"FBA shipment {facts.shipment} is already recorded in Katana "
                              f"(stock transfer #{existing.id}).")
    else:
        result["fulfilments_before"] = [f.id for f in await SalesService(ctx.katana.client).fulfilments(offer.so_id)]
    return result


async def fulfilment_found(ctx: Ctx) -> Result | None:
    """A fulfilment of exactly these rows that was not there before the POST: the lost answer's."""
    facts = ctx.facts
    before, wanted = set(facts.fulfilments_before), {(r, q) for r, q, _ in lines_of(facts)}
    for fulfilment in await SalesService(ctx.katana.client).fulfilments(facts.so_id):
        rows = {(r.sales_order_row_id, r.quantity) for r in fulfilment.sales_order_fulfillment_rows}
        if fulfilment.id not in before and rows == wanted:
            return {"fulfilment_id": fulfilment.id, "wrote": True}
    return None


@step("record_fulfilment", "fulfilment recorded", check=fulfilment_found)
async def record_fulfilment(ctx: Ctx) -> Result:
    facts = ctx.facts
    lines = [ShipLine(row, quantity, batch) for row, quantity, batch in lines_of(facts)]
    fulfilment = await SalesService(ctx.katana.client).fulfil(
        facts.so_id, lines, status=facts.status, picked=ctx.action.created_at,
        carrier=facts.carrier, tracking_number=facts.tracking)
    return {"fulfilment_id": fulfilment.id, "wrote": True}


async def transfer_found(ctx: Ctx) -> Result | None:
    found = await StockService(ctx.katana.client).find_transfer(str(ctx.facts.shipment))
    return None if found is None else {"transfer_id": found.id, "wrote": True}


@step("record_fba_transfer", "stock transfer to FBA recorded", check=transfer_found)
async def record_fba_transfer(ctx: Ctx) -> Result:
    facts = ctx.facts
    lines = [MoveLine(line.variant_id, line.quantity, line.batch_id) for line in facts.lines]
    transfer = await StockService(ctx.katana.client).transfer(
        str(facts.shipment), source=int(facts.location_id or 0), target=int(facts.fba_location_id or 0),
        lines=lines, when=ctx.action.created_at,
        note=fba_note(facts.order, facts.so_id, str(facts.shipment), int(facts.pallets or 0)))
    return {"transfer_id": transfer.id, "wrote": True}


async def transfer_on_its_way(ctx: Ctx) -> Result | None:
    """The transfer already shows the goods as gone: this step's answer was lost, or someone in Katana's
    app marked it (even received); setting it again could only move it back."""
    found = await StockService(ctx.katana.client).find_transfer(str(ctx.facts.shipment))
    if found is None or found.status not in ON_ITS_WAY:
        return None
    return {"transfer_status": found.status, "wrote": True}


@step("send_fba_transfer", "stock transfer marked in transit")
async def send_fba_transfer(ctx: Ctx) -> Result:
    """The pallets have left for Amazon: the transfer is in transit (the gateway spec's value; the portal's
    `received|created` has none for goods on the road, and what a new transfer starts as is undocumented).
    A resumed step looks first (one read, only then)."""
    if not ctx.first_try and (already := await transfer_on_its_way(ctx)) is not None:
        return already
    reported = await StockService(ctx.katana.client).set_transfer_status(int(ctx.facts.transfer_id or 0), IN_TRANSIT)
    return {"transfer_status": reported or IN_TRANSIT, "wrote": True}


@step("check_delivery", "")
async def check_delivery(ctx: Ctx) -> Result:
    """Read the order's fulfilments again: each one chosen must still be there; one delivered meanwhile
    (in Katana's app, or by a colleague) is left as it is."""
    facts, sales = ctx.facts, SalesService(ctx.katana.client)
    order = await sales.get_sales_order(facts.so_id)
    found = {f.id: f for f in await sales.fulfilments(facts.so_id)}
    gone = [i for i in facts.fulfilments if i not in found]
    if gone:
        raise StepRefused(f"Packed shipment #{gone[0]} of {order.order_no} is no longer in Katana.")
    to_deliver = [i for i in facts.fulfilments if found[i].status == "PACKED"]
    bare = [i for i in to_deliver if not (facts.carrier or found[i].tracking_carrier)]
    if bare:
        raise StepRefused(f"Packed shipment #{bare[0]} has no carrier in Katana: enter the carrier.")
    person = await ctx.floor.slack.person_name(ctx.action.user_id, ctx.action.user_name)
    return {"order_no": order.order_no, "person": person, "to_deliver": to_deliver,
            "finished_mos": delivered_in_full(order, list(found.values()), set(facts.fulfilments))}


def delivered_in_full(order: SalesOrder, fulfilments: list[Fulfilment], leaving: set[int]) -> list[int]:
    """MOs whose sales-order row is all delivered once `leaving` is: their SHIP tasks are done."""
    delivered: dict[int, Decimal] = {}
    for fulfilment in fulfilments:
        if fulfilment.status == "DELIVERED" or fulfilment.id in leaving:
            for row in fulfilment.sales_order_fulfillment_rows:
                delivered[row.sales_order_row_id] = delivered.get(row.sales_order_row_id, Decimal(0)) + row.quantity
    return [row.linked_manufacturing_order_id for row in order.sales_order_rows
            if row.linked_manufacturing_order_id and delivered.get(row.id, Decimal(0)) >= row.quantity]


@step("mark_delivered", "packed shipment marked delivered")
async def mark_delivered(ctx: Ctx) -> Result:
    facts, sales = ctx.facts, SalesService(ctx.katana.client)
    todo = facts.to_deliver
    if not ctx.first_try:  # an earlier attempt may have delivered some: look, then only what is still PACKED
        status = {f.id: f.status for f in await sales.fulfilments(facts.so_id)}
        todo = [i for i in todo if status.get(i) == "PACKED"]
    for fulfilment_id in todo:
        answer = await sales.deliver(fulfilment_id, carrier=facts.carrier, tracking_number=facts.tracking)
        if answer.status != "DELIVERED":
            raise StepRefused(f"Katana kept packed shipment #{fulfilment_id} as {answer.status or 'it was'}.")
    return {"wrote": bool(facts.to_deliver)}


async def own_task(floor: Floor, tid: Any, so_id: int, linked_mos: Iterable[int | None]) -> str | None:
    """The SHIP task a /ship form was opened from, if the order chosen is that task's: only then is the shipment
    the task's (it shows in its MO's history, close_ship_tasks closes it). The pick form offers every open order,
    and another order shipped leaves the task's goods where they are. A task that does not know its order (an MO
    linked to a sales order Katana did not name) is the order's when one of the order's rows is linked to its MO."""
    tid = str(tid or "")
    task = await floor.store.tasks.get(tid) if tid.startswith("ship:") else None
    if task is None:
        return None
    if task.sales_order_id is not None:
        return tid if task.sales_order_id == so_id else None
    return tid if task.mo_id in set(linked_mos) else None


@step("close_ship_tasks", "", in_katana=False)
async def close_ship_tasks(ctx: Ctx) -> Result:
    """The SHIP task it was opened from (when the order was that task's: own_task), and those of MOs whose order
    row has now gone out in full: done, or — when the goods were only packed — waiting for pickup, with Mark
    delivered."""
    facts = ctx.facts
    wanted = [task_id("ship", mo) for mo in facts.finished_mos]
    if str(ctx.action.task_id or "").startswith("ship:"):
        wanted.insert(0, str(ctx.action.task_id))
    by = str(facts.person or ctx.action.user_name)
    if facts.method == "carrier" and facts.status == "PACKED":
        return {"packed_tasks": [tid for tid in dict.fromkeys(wanted) if await waits_for_pickup(ctx, tid, by)]}
    closed = []
    for tid in dict.fromkeys(wanted):
        finished = await ctx.floor.store.tasks.finish(tid, by=by)
        if finished is not None:
            closed.append(tid)
            await refresh_task_message(ctx.floor, finished, cards.task_done_message)
    return {"closed_tasks": closed}


async def waits_for_pickup(ctx: Ctx, tid: str, by: str) -> bool:
    task = await ctx.floor.store.tasks.get(tid)
    if task is None or not task.is_open:
        return False
    packed = await ctx.floor.store.tasks.add_details(tid, packed_by=by, packed_at=utcnow()) or task
    await refresh_task_message(ctx.floor, packed, cards.task_message)
    return True


CARRIER_PLAN: tuple[Step[ShipFacts], ...] = (check_shipment, record_fulfilment, close_ship_tasks)
FBA_PLAN: tuple[Step[ShipFacts], ...] = (check_shipment, record_fba_transfer, send_fba_transfer, close_ship_tasks)
DELIVER_PLAN: tuple[Step[ShipFacts], ...] = (check_delivery, mark_delivered, close_ship_tasks)
