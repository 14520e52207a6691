"""The Katana steps of /receive: check the PO again, create the batches, receive, keep the receipt.

The check comes first, so a PO that was received meanwhile (in Katana's app, or by a second /receive)
refuses before anything is written. Receiving is a POST that answers 204 with nothing to find it by, so
a lost answer is recognised by what the PO shows as received compared with before the request.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from commands.recording import StepContext, StepRefused, step
from commands.receiving.views import amount
from integrations.katana.purchasing import PurchasingService, ReceiveLine, open_rows, received_by_variant
from models.base import utcnow
from models.receipts import Receipt, ReceiptLine, ReceiptRepository


def qty(value: Any) -> Decimal:
    return Decimal(str(value))


def per_row(lines: list[dict[str, Any]]) -> dict[int, Decimal]:
    total: dict[int, Decimal] = defaultdict(Decimal)
    for line in lines:
        total[int(line["row_id"])] += qty(line["quantity"])
    return dict(total)


@step("load_purchase_order", "")
async def load_purchase_order(ctx: StepContext) -> dict[str, Any]:
    facts = ctx.input
    order = await PurchasingService(ctx.katana.client).get_purchase_order(int(facts["po_id"]))
    still_open = {r.id: r.quantity for r in open_rows(order)}
    allowed_over = {int(l["row_id"]) for l in facts["lines"] if l.get("over_receipt")}
    problems = []
    for row_id, wanted in per_row(facts["lines"]).items():
        sku = next(l["sku"] for l in facts["lines"] if int(l["row_id"]) == row_id)
        if row_id not in still_open:
            problems.append(f"{sku} on {order.order_no} has been received already.")
        elif wanted > still_open[row_id] and row_id not in allowed_over:
            problems.append(f"{order.order_no} has only {amount(still_open[row_id])} of {sku} left now.")
    if problems:
        raise StepRefused(" ".join(problems) + " Start /receive again to see the PO as it is now.")
    person = await ctx.floor.people.name(ctx.action.user_id, ctx.action.user_name)  # type: ignore[union-attr]
    before = received_by_variant(order.purchase_order_rows)
    return {"order_no": order.order_no, "person": person, "location_id": order.location_id,
            "received_before": {str(k): str(v) for k, v in before.items()}}


@step("ensure_receipt_batches", "batches created")
async def ensure_receipt_batches(ctx: StepContext) -> dict[str, Any]:
    """The lots of batch-tracked items as Katana batches (found first, so a retry never doubles one)."""
    inventory, batch_ids, created = ctx.katana.inventory, {}, []
    for line in ctx.input["lines"]:
        if not (line.get("tracked") and line.get("lot")):
            continue  # Katana keeps no batches of this item; the lot stays in the receipt
        variant_id = int(line["variant_id"])
        found = await inventory.find_batch(line["lot"], variant_id)
        if found is None:
            expiry = date.fromisoformat(line["expiry"]) if line.get("expiry") else None
            found = await inventory.ensure_batch(line["lot"], variant_id, expiration_date=expiry)
            created.append(line["lot"])
        batch_ids[str(line["line"])] = found.id
    return {"batch_ids": batch_ids, "created_batches": created, "wrote": bool(created)}


def receive_lines(facts: dict[str, Any]) -> list[ReceiveLine]:
    batches: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    for line in facts["lines"]:
        batch_id = (facts.get("batch_ids") or {}).get(str(line["line"]))
        if batch_id is not None:
            batches[int(line["row_id"])].append((int(batch_id), qty(line["quantity"])))
    return [ReceiveLine(row_id, total, tuple(batches.get(row_id, ()))) for row_id, total in per_row(facts["lines"]).items()]


async def receipt_found(ctx: StepContext) -> dict[str, Any] | None:
    """Did the lost receipt land? Each variant's received total has grown by what was sent."""
    facts = ctx.facts
    order = await PurchasingService(ctx.katana.client).get_purchase_order(int(facts["po_id"]))
    now = received_by_variant(order.purchase_order_rows)
    before = {int(k): qty(v) for k, v in (facts.get("received_before") or {}).items()}
    wanted: dict[int, Decimal] = defaultdict(Decimal)
    for line in facts["lines"]:
        wanted[int(line["variant_id"])] += qty(line["quantity"])
    landed = all(now.get(v, Decimal(0)) - before.get(v, Decimal(0)) >= q for v, q in wanted.items())
    return {"wrote": True} if landed else None


@step("receive_purchase_order", "purchase order received", check=receipt_found)
async def receive_purchase_order(ctx: StepContext) -> dict[str, Any]:
    await PurchasingService(ctx.katana.client).receive(receive_lines(ctx.facts), received=ctx.action.created_at.date())
    return {"wrote": True}


@step("keep_receipt", "", in_katana=False)
async def keep_receipt(ctx: StepContext) -> dict[str, Any]:
    """The receipt for audit: the photo, what was read, what the operator changed, what was received."""
    facts, action = ctx.facts, ctx.action
    batch_ids = facts.get("batch_ids") or {}
    lines = [ReceiptLine(_id=str(l["line"]), sku=l["sku"], purchase_order_row_id=int(l["row_id"]),
                         variant_id=int(l["variant_id"]), quantity=str(l["quantity"]), unit=l.get("uom"),
                         lot=l.get("lot"), expiry=l.get("expiry"), batch_id=batch_ids.get(str(l["line"])),
                         over_receipt=bool(l.get("over_receipt"))) for l in facts["lines"]]
    lines += [ReceiptLine(_id=str(s["line"]), sku=s.get("sku"), description=s.get("description")) for s in facts["skipped"]]
    receipt = Receipt(_id=action.id, purchase_order_id=int(facts["po_id"]), purchase_order_no=str(facts["order_no"]),
                      supplier=facts.get("supplier"), photo_file_id=facts["photo"]["file_id"],
                      photo_name=facts["photo"].get("name"), reader=str(facts.get("reader")),
                      extraction=facts["extraction"], changes=facts.get("changes") or [], lines=lines,
                      user_id=action.user_id, user_name=str(facts.get("person") or action.user_name), received_at=utcnow())
    kept, created = await ReceiptRepository(ctx.floor.store.db).keep(receipt)
    if created:
        await ctx.floor.store.audit.write(
            "floor_action", f"receipt {receipt.purchase_order_no}", "kept", actor=receipt.user_name,
            action_id=action.id, receipt_id=kept.id, photo_file_id=receipt.photo_file_id,
            changes=len(receipt.changes), over_receipts=sum(1 for l in lines if l.over_receipt))
    return {"receipt_id": kept.id}
