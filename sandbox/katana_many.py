"""A busy kitchen's Katana: hundreds or thousands of open MOs, sales orders and purchase orders.

Added quietly (no webhooks: they were there before the bot started) with ids and numbers of their own
(MO-1000…, SO-1000…, PO-1000…; the highest id is the newest), so the seed kitchen's orders keep theirs.
Ids are given, not searched for, so 5,000 orders take well under a second (bench row 7).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

from . import katana_floor as floor
from .katana_seed import CENTRAL_KITCHEN_ID, CHILI_VARIANT_ID, CUSTOMER_ID, SOUP_VARIANT_ID
from .katana_state import KatanaBooks
from .katana_trade import FRESH_FARMS_ID, GLASSWORKS_ID, OLIVE_OIL_VARIANT_ID, _purchase_order

FIRST_NUMBER = 1000
MO_BASE, SO_BASE, PO_BASE = 100_000, 200_000, 300_000  # ids; rows get id × 10 + n


@contextmanager
def quietly(books: KatanaBooks) -> Iterator[None]:
    """No webhooks while the orders are added."""
    books.emit = lambda *args, **kwargs: None  # type: ignore[method-assign]
    try:
        yield
    finally:
        del books.emit


def many_open_orders(books: KatanaBooks, *, mos: int = 0, sales_orders: int = 0, purchase_orders: int = 0) -> None:
    with quietly(books):
        for i in range(mos):
            add_mo(books, i)
        for i in range(sales_orders):
            add_sales_order(books, i)
        for i in range(purchase_orders):
            add_purchase_order(books, i)


def add_mo(books: KatanaBooks, i: int) -> None:
    mo_id = MO_BASE + i
    variant = (SOUP_VARIANT_ID, CHILI_VARIANT_ID)[i % 2]
    floor.open_manufacturing_order(
        books, mo_id=mo_id, order_no=f"MO-{FIRST_NUMBER + i}", variant_id=variant, planned_quantity=40 + i % 60,
        location_id=CENTRAL_KITCHEN_ID, row_ids=[mo_id * 10 + n for n in range(1, 4)],
        recipe_row_ids=[mo_id * 10 + 5 + n for n in range(5)])


def add_sales_order(books: KatanaBooks, i: int) -> None:
    so_id, now = SO_BASE + i, books.now()
    stamp = {"created_at": now, "updated_at": now}  # Katana's sales-order shape has no deleted_at
    variant = (SOUP_VARIANT_ID, CHILI_VARIANT_ID)[i % 2]
    books.sales_orders[so_id] = {
        "id": so_id, "order_no": f"SO-{FIRST_NUMBER + i}", "customer_id": CUSTOMER_ID,
        "location_id": CENTRAL_KITCHEN_ID, "status": "NOT_SHIPPED", "currency": "GBP", "order_created_date": now,
        "delivery_date": now, "production_status": "NOT_APPLICABLE", "product_availability": "IN_STOCK",
        "ingredient_availability": "NOT_APPLICABLE", "invoicing_status": "not_invoiced", "customer_ref": None,
        "additional_info": "", "total": Decimal("45.00"), "addresses": [], **stamp}
    books.sales_order_rows[so_id * 10] = {
        "id": so_id * 10, "sales_order_id": so_id, "variant_id": variant, "quantity": Decimal(2),
        "price_per_unit": Decimal("4.50"), "total": Decimal("9.00"), "linked_manufacturing_order_id": None,
        "location_id": CENTRAL_KITCHEN_ID, "product_availability": "IN_STOCK", "tax_rate_id": None,
        "batch_transactions": [], "attributes": [], "serial_numbers": [], "deleted_at": None, **stamp}


def add_purchase_order(books: KatanaBooks, i: int) -> None:
    po_id, now = PO_BASE + i, books.now()
    stamp = {"created_at": now, "updated_at": now, "deleted_at": None}
    supplier = (FRESH_FARMS_ID, GLASSWORKS_ID)[i % 2]
    _purchase_order(books, po_id, f"PO-{FIRST_NUMBER + i}", supplier, CENTRAL_KITCHEN_ID, stamp,
                    [(po_id * 10, (OLIVE_OIL_VARIANT_ID, "10", "6.50"))])
