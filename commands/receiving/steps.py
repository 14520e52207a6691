"""The Katana steps of /receive: check the PO again, create the batches, receive, keep the receipt.

The check comes first, so a PO that was received meanwhile (in Katana's app, or by a second /receive)
refuses before anything is written. Receiving is a POST that answers 204 with nothing to find it by, so
a lost answer is recognised by what the PO shows as received compared with before the request.
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from commands.facts import ReceiveFacts, ReceiveLineFact
from commands.plan import Result, Step, StepContext, StepRefused, step
from commands.receiving.views import amount
from integrations.katana.purchasing import PurchasingService, ReceiveLine, open_rows, received_by_variant
from models.base import utcnow
from models.receipts import Receipt, ReceiptLine

Ctx = StepContext[ReceiveFacts]


def per_row(lines: list[ReceiveLineFact]) -> dict[int, Decimal]:
    total: dict[int, Decimal] = defaultdict(Decimal)
    for line in lines:
        total[line.row_id] += line.quantity
    return dict(total)


@step("load_purchase_order", "")
async def load_purchase_order(ctx: Ctx) -> Result:
    facts = ctx.facts
    order = await PurchasingService(ctx.katana.client).get_purchase_order(facts.po_id)
    still_open = {r.id: r.quantity for r in open_rows(order)}
    allowed_over = {line.row_id for line in facts.lines if line.over_receipt}
    problems = []
    for row_id, wanted in per_row(facts.lines).items():
        sku = next(line.sku for line in facts.lines if line.row_id == row_id)
        if row_id not in still_open:
            problems.append(f"{sku} on {order.order_no} has been received already.")
        elif wanted > still_open[row_id] and row_id not in allowed_over:
            problems.append(f"{order.order_no} has only {amount(still_open[row_id])} of {sku} left now.")
    if problems:
        raise StepRefused(" ".join(problems) + " Start /receive again to see the PO as it is now.")
    person = await ctx.floor.slack.person_name(ctx.action.user_id, ctx.action.user_name)
    before = received_by_variant(order.purchase_order_rows)
    return {"order_no": order.order_no, "person": person, "location_id": order.location_id,
            "received_before": {str(k): str(v) for k, v in before.items()}}


@step("ensure_receipt_batches", "batches created")
async def ensure_receipt_batches(ctx: Ctx) -> Result:
    """The lots of batch-tracked items as Katana batches (found first, so a retry never doubles one)."""
    inventory, batch_ids, created = ctx.katana.inventory, {}, []
    for line in ctx.facts.lines:
        if not (line.tracked and line.lot):
            continue  # Katana keeps no batches of this item; the lot stays in the receipt
        found = await inventory.find_batch(line.lot, line.variant_id)
        if found is None:
            found = await inventory.ensure_batch(line.lot, line.variant_id, expiration_date=line.expiry)
            created.append(line.lot)
        batch_ids[str(line.line)] = found.id
    return {"batch_ids": batch_ids, "created_batches": created, "wrote": bool(created)}


def receive_lines(facts: ReceiveFacts) -> list[ReceiveLine]:
    batches: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    for line in facts.lines:
        batch_id = facts.batch_ids.get(line.line)
        if batch_id is not None:
            batches[line.row_id].append((batch_id, line.quantity))
    return [ReceiveLine(row_id, total, tuple(batches.get(row_id, ())))
            for row_id, total in per_row(facts.lines).items()]


async def receipt_found(ctx: Ctx) -> Result | None:
    """Did the lost receipt land? Each variant's received total has grown by what was sent."""
    facts = ctx.facts
    order = await PurchasingService(ctx.katana.client).get_purchase_order(facts.po_id)
    now = received_by_variant(order.purchase_order_rows)
    wanted: dict[int, Decimal] = defaultdict(Decimal)
    for line in facts.lines:
        wanted[line.variant_id] += line.quantity
    landed = all(now.get(v, Decimal(0)) - facts.received_before.get(v, Decimal(0)) >= q for v, q in wanted.items())
    return {"wrote": True} if landed else None


@step("receive_purchase_order", "purchase order received", check=receipt_found)
async def receive_purchase_order(ctx: Ctx) -> Result:
    await PurchasingService(ctx.katana.client).receive(receive_lines(ctx.facts), received=ctx.action.created_at.date())
    return {"wrote": True}


@step("keep_receipt", "", in_katana=False)
async def keep_receipt(ctx: Ctx) -> Result:
    """The receipt for audit: the photo, what was read, what the operator changed, what was received."""
    facts, action = ctx.facts, ctx.action
    lines = [ReceiptLine(id=str(line.line), sku=line.sku, purchase_order_row_id=line.row_id,
                         variant_id=line.variant_id, quantity=str(line.quantity), unit=line.uom, lot=line.lot,
                         expiry=line.expiry.isoformat() if line.expiry else None,
                         batch_id=facts.batch_ids.get(line.line), over_receipt=line.over_receipt)
             for line in facts.lines]
    lines += [ReceiptLine(id=str(s.line), sku=s.sku, description=s.description) for s in facts.skipped]
    photo = facts.photo
    receipt = Receipt(id=action.id, purchase_order_id=facts.po_id, purchase_order_no=facts.order,
                      supplier=facts.supplier, photo_file_id=photo.file_id if photo else "",
                      photo_name=photo.name if photo else None, reader=str(facts.reader),
                      extraction=facts.extraction, changes=facts.changes, lines=lines,
                      user_id=action.user_id, user_name=str(facts.person or action.user_name), received_at=utcnow())
    kept, created = await ctx.floor.store.receipts.keep(receipt)
    if created:
        await ctx.floor.store.audit.write(
            "floor_action", f"receipt {receipt.purchase_order_no}", "kept", actor=receipt.user_name,
            action_id=action.id, receipt_id=kept.id, photo_file_id=receipt.photo_file_id,
            changes=len(receipt.changes), over_receipts=sum(1 for line in lines if line.over_receipt))
    return {"receipt_id": kept.id}


RECEIVE_PLAN: tuple[Step[ReceiveFacts], ...] = (
    load_purchase_order, ensure_receipt_batches, receive_purchase_order, keep_receipt)
