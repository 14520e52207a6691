"""The Katana steps of /ship: check again, record the fulfilment (or the FBA transfer), close SHIP tasks.

The check comes first so a refusal (someone shipped part of the order meanwhile, a batch ran out)
happens before anything is written. Both writes are POSTs: each has a look-up that finds a write whose
answer was lost, so a retry never ships twice.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from commands import cards
from commands.chain import refresh_task_message
from commands.recording import StepContext, StepRefused, step
from commands.shipping.offer import build_offer, fba_note, over_problems
from integrations.katana.sales import SalesService, ShipLine
from integrations.katana.stock import IN_TRANSIT, ON_ITS_WAY, MoveLine, StockService
from models.tasks import task_id


def lines_of(facts: dict[str, Any]) -> list[tuple[int, Decimal, int | None]]:
    return [(int(l["row_id"]), Decimal(str(l["quantity"])), l.get("batch_id")) for l in facts["lines"]]


@step("check_shipment", "")
async def check_shipment(ctx: StepContext) -> dict[str, Any]:
    facts = ctx.input
    offer = await build_offer(ctx.katana, int(facts["so_id"]), facts["method"], facts.get("fba_location_id"),
                              facts.get("fba_location_name"))
    problems = over_problems(offer, lines_of(facts))
    if problems:
        raise StepRefused(" ".join(problems.values()))
    person = await ctx.floor.people.name(ctx.action.user_id, ctx.action.user_name)  # type: ignore[union-attr]
    finished = [int(l["linked_mo_id"]) for l in facts["lines"] if l.get("linked_mo_id")
                and Decimal(str(l["quantity"])) >= offer.row(int(l["row_id"])).remaining]  # type: ignore[union-attr]
    result: dict[str, Any] = {"order_no": offer.order_no, "person": person, "finished_mos": finished}
    if facts["method"] == "fba":
        existing = await StockService(ctx.katana.client).find_transfer(str(facts["shipment"]))
        if existing is not None:
            raise StepRefused(f"FBA shipment {facts['shipment']} is already recorded in Katana "
                              f"(stock transfer #{existing.id}).")
    else:
        result["fulfilments_before"] = [f.id for f in await SalesService(ctx.katana.client).fulfilments(offer.so_id)]
    return result


async def fulfilment_found(ctx: StepContext) -> dict[str, Any] | None:
    """A fulfilment of exactly these rows that was not there before the POST: the lost answer's."""
    facts = ctx.facts
    before, wanted = set(facts.get("fulfilments_before") or []), {(r, q) for r, q, _ in lines_of(facts)}
    for fulfilment in await SalesService(ctx.katana.client).fulfilments(int(facts["so_id"])):
        rows = {(r.sales_order_row_id, r.quantity) for r in fulfilment.sales_order_fulfillment_rows}
        if fulfilment.id not in before and rows == wanted:
            return {"fulfilment_id": fulfilment.id, "wrote": True}
    return None


@step("record_fulfilment", "fulfilment recorded", check=fulfilment_found)
async def record_fulfilment(ctx: StepContext) -> dict[str, Any]:
    facts = ctx.facts
    lines = [ShipLine(row, quantity, batch) for row, quantity, batch in lines_of(facts)]
    fulfilment = await SalesService(ctx.katana.client).fulfil(
        int(facts["so_id"]), lines, status=facts["status"], picked=ctx.action.created_at,
        carrier=facts.get("carrier"), tracking_number=facts.get("tracking"))
    return {"fulfilment_id": fulfilment.id, "wrote": True}


async def transfer_found(ctx: StepContext) -> dict[str, Any] | None:
    found = await StockService(ctx.katana.client).find_transfer(str(ctx.facts["shipment"]))
    return None if found is None else {"transfer_id": found.id, "wrote": True}


@step("record_fba_transfer", "stock transfer to FBA recorded", check=transfer_found)
async def record_fba_transfer(ctx: StepContext) -> dict[str, Any]:
    facts = ctx.facts
    lines = [MoveLine(int(l["variant_id"]), Decimal(str(l["quantity"])), l.get("batch_id")) for l in facts["lines"]]
    transfer = await StockService(ctx.katana.client).transfer(
        str(facts["shipment"]), source=int(facts["location_id"]), target=int(facts["fba_location_id"]),
        lines=lines, when=ctx.action.created_at,
        note=fba_note(str(facts["order_no"]), int(facts["so_id"]), str(facts["shipment"]), int(facts["pallets"])))
    return {"transfer_id": transfer.id, "wrote": True}


async def transfer_on_its_way(ctx: StepContext) -> dict[str, Any] | None:
    """The transfer already shows the goods as gone: this step's answer was lost, or someone in Katana's
    app marked it (even received); setting it again could only move it back."""
    found = await StockService(ctx.katana.client).find_transfer(str(ctx.facts["shipment"]))
    if found is None or found.status not in ON_ITS_WAY:
        return None
    return {"transfer_status": found.status, "wrote": True}


@step("send_fba_transfer", "stock transfer marked in transit")
async def send_fba_transfer(ctx: StepContext) -> dict[str, Any]:
    """The pallets have left for Amazon: the transfer is in transit (the gateway spec's value; the portal's
    `received|created` has none for goods on the road, and what a new transfer starts as is undocumented).
    A resumed step looks first (one read, only then)."""
    if not ctx.first_try and (already := await transfer_on_its_way(ctx)) is not None:
        return already
    reported = await StockService(ctx.katana.client).set_transfer_status(int(ctx.facts["transfer_id"]), IN_TRANSIT)
    return {"transfer_status": reported or IN_TRANSIT, "wrote": True}


@step("close_ship_tasks", "", in_katana=False)
async def close_ship_tasks(ctx: StepContext) -> dict[str, Any]:
    """The SHIP task it was opened from, and those of MOs whose order row has now gone out in full."""
    facts = ctx.facts
    wanted = [task_id("ship", mo) for mo in facts.get("finished_mos") or []]
    if str(ctx.action.task_id or "").startswith("ship:"):
        wanted.insert(0, str(ctx.action.task_id))
    closed = []
    for tid in dict.fromkeys(wanted):
        finished = await ctx.floor.store.tasks.finish(tid, by=str(facts.get("person") or ctx.action.user_name))
        if finished is not None:
            closed.append(tid)
            await refresh_task_message(ctx.floor, finished, cards.task_done_message)
    return {"closed_tasks": closed}
