"""The Katana steps of /ship: check again, record the fulfilment (or the FBA transfer), close SHIP tasks.

The check comes first so a refusal (someone shipped part of the order meanwhile, a batch ran out)
happens before anything is written. Both writes are POSTs: each has a look-up that finds a write whose
answer was lost, so a retry never ships twice.
"""
from __future__ import annotations

from decimal import Decimal

from commands import cards
from commands.chain import refresh_task_message
from commands.facts import ShipFacts
from commands.plan import Result, Step, StepContext, StepRefused, step
from commands.shipping.offer import build_offer, fba_note, over_problems
from integrations.katana.sales import SalesService, ShipLine
from integrations.katana.stock import IN_TRANSIT, ON_ITS_WAY, MoveLine, StockService
from models.tasks import task_id

Ctx = StepContext[ShipFacts]


def lines_of(facts: ShipFacts) -> list[tuple[int, Decimal, int | None]]:
    return [(line.row_id, line.quantity, line.batch_id) for line in facts.lines]


@step("check_shipment", "")
async def check_shipment(ctx: Ctx) -> Result:
    facts = ctx.facts
    offer = await build_offer(ctx.katana, facts.so_id, facts.method, facts.fba_location_id, facts.fba_location_name)
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


@step("close_ship_tasks", "", in_katana=False)
async def close_ship_tasks(ctx: Ctx) -> Result:
    """The SHIP task it was opened from, and those of MOs whose order row has now gone out in full."""
    facts = ctx.facts
    wanted = [task_id("ship", mo) for mo in facts.finished_mos]
    if str(ctx.action.task_id or "").startswith("ship:"):
        wanted.insert(0, str(ctx.action.task_id))
    closed = []
    for tid in dict.fromkeys(wanted):
        finished = await ctx.floor.store.tasks.finish(tid, by=str(facts.person or ctx.action.user_name))
        if finished is not None:
            closed.append(tid)
            await refresh_task_message(ctx.floor, finished, cards.task_done_message)
    return {"closed_tasks": closed}


CARRIER_PLAN: tuple[Step[ShipFacts], ...] = (check_shipment, record_fulfilment, close_ship_tasks)
FBA_PLAN: tuple[Step[ShipFacts], ...] = (check_shipment, record_fba_transfer, send_fba_transfer, close_ship_tasks)
