"""The open purchase orders a packing slip is matched against, read from Katana with their rows and items
(what a slip read, and lines typed by hand, are checked against)."""
from __future__ import annotations

from commands.context import Floor
from commands.receiving.matching import PoChoice, PoRow
from integrations.katana.purchasing import OPEN_PO_STATUSES, PurchasingService, open_rows, supplier_name
from integrations.katana.stock import StockService
from integrations.slips import Expected, ExpectedItem, ExpectedOrder


def expected_goods(orders: list[PoChoice], po_hint: int | None) -> Expected:
    """The open POs as the slip reader's dictionary: each row's SKU, supplier codes, unit and what is left."""
    return Expected(orders=tuple(ExpectedOrder(o.order_no, o.supplier, tuple(
        ExpectedItem((r.sku, *r.codes), r.uom, r.remaining, r.name) for r in o.rows)) for o in orders),
        chosen=next((o.order_no for o in orders if o.po_id == po_hint), None))


async def open_orders(floor: Floor, also: int | None = None) -> list[PoChoice]:
    """The open POs (with their rows) a slip is matched against; `also`: the PO the operator chose, read
    on its own when it is older than the newest hundred."""
    purchasing = PurchasingService(floor.katana.client)
    orders = await purchasing.open_purchase_orders()
    if also and all(o.id != also for o in orders):
        chosen = await purchasing.get_purchase_order(int(also))
        orders += [chosen] if chosen.status in OPEN_PO_STATUSES and chosen.deleted_at is None else []
    rows = [(o, r) for o in orders for r in open_rows(o) if r.variant_id]
    items = await StockService(floor.katana.client).items({r.variant_id for _, r in rows if r.variant_id})
    choices = []
    for order in orders:
        po_rows = [PoRow(row_id=r.id, variant_id=int(r.variant_id), sku=items[r.variant_id].sku or "",
                         name=items[r.variant_id].name, codes=items[r.variant_id].supplier_item_codes,
                         remaining=r.quantity, uom=items[r.variant_id].uom, tracked=items[r.variant_id].batch_tracked)
                   for o, r in rows if o.id == order.id and r.variant_id in items]
        choices.append(PoChoice(po_id=order.id, order_no=order.order_no, supplier=supplier_name(order),
                                location_id=order.location_id, rows=po_rows))
    return choices
