"""A small food kitchen for the Katana sandbox: soup and chili made at the Central Kitchen, sold via FBA.

Ids are module constants so tests and the demo can refer to them. They are deliberately distinct across
resources (an MO id never equals a variant or row id) so that a client mixing ids up fails visibly.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from . import katana_floor as floor
from .katana_state import KatanaBooks
from .katana_trade import seed_trade

CENTRAL_KITCHEN_ID = 11
FBA_LOCATION_ID = 12

SOUP_PRODUCT_ID = 201
CHILI_PRODUCT_ID = 202
SOUP_VARIANT_ID = 2001
CHILI_VARIANT_ID = 2002
SOUP_SKU = "SOUP-TOM-500"
CHILI_SKU = "CHILI-400"

TOMATOES_VARIANT_ID = 3001
ONIONS_VARIANT_ID = 3002
BEEF_MINCE_VARIANT_ID = 3003
JARS_VARIANT_ID = 3004
LABELS_VARIANT_ID = 3005

COOK_OPERATION_ID = 51
LABEL_OPERATION_ID = 52
PACK_OPERATION_ID = 53

ANA_OPERATOR_ID = 41
BEN_OPERATOR_ID = 42

CUSTOMER_ID = 801
SO7_ID = 701
SO7_ROW_ID = 7011

MO101_ID = 5101
MO102_ID = 5102
MO101_ROW_IDS = (61011, 61012, 61013)  # Cook, Label, Pack
MO102_ROW_IDS = (61021, 61022, 61023)
MO101_RECIPE_ROW_IDS = (62011, 62012, 62013, 62014)  # tomatoes, onions, jars, labels
MO102_RECIPE_ROW_IDS = (62021, 62022, 62023, 62024, 62025)  # beef, tomatoes, onions, jars, labels
MO101_ADDITIONAL_INFO = "Use the 50 l kettle. Harbour Deli wants the new label design."

SOUP_BATCH_ID = 901
SOUP_BATCH_NUMBER = "B-SOUP-0412"
CHILI_BATCH_ID = 902
CHILI_BATCH_NUMBER = "B-CHILI-0409"

# (material id, variant id, name, uom, SKU, stock at the Central Kitchen)
MATERIALS = [
    (301, TOMATOES_VARIANT_ID, "Tomatoes", "kg", "MAT-TOMATO", "150"),
    (302, ONIONS_VARIANT_ID, "Onions", "kg", "MAT-ONION", "30"),
    (303, BEEF_MINCE_VARIANT_ID, "Beef mince", "kg", "MAT-BEEF", "40"),
    (304, JARS_VARIANT_ID, "Glass jars", "pcs", "MAT-JAR", "500"),
    (305, LABELS_VARIANT_ID, "Labels", "pcs", "MAT-LABEL", "1000"),
]
# per-unit planned quantities of each finished product
RECIPES = {
    SOUP_VARIANT_ID: [(TOMATOES_VARIANT_ID, "0.4"), (ONIONS_VARIANT_ID, "0.05"),
                      (JARS_VARIANT_ID, "1"), (LABELS_VARIANT_ID, "1")],
    CHILI_VARIANT_ID: [(BEEF_MINCE_VARIANT_ID, "0.2"), (TOMATOES_VARIANT_ID, "0.15"),
                       (ONIONS_VARIANT_ID, "0.04"), (JARS_VARIANT_ID, "1"), (LABELS_VARIANT_ID, "1")],
}
# (operation id, name, resource id, resource name, planned seconds per unit)
ROUTING = [
    (COOK_OPERATION_ID, "Cook", 71, "Stove", 30),
    (LABEL_OPERATION_ID, "Label", 72, "Label printer", 6),
    (PACK_OPERATION_ID, "Pack", 73, "Packing table", 10),
]


def seed_kitchen(books: KatanaBooks) -> None:
    _locations(books)
    _operators(books)
    _finished_goods(books)
    _materials(books)
    _stock(books)
    _sales_order(books)
    seed_trade(books, kitchen_id=CENTRAL_KITCHEN_ID, soup_variant_id=SOUP_VARIANT_ID,  # suppliers, POs, SO-8
               chili_variant_id=CHILI_VARIANT_ID, customer_id=CUSTOMER_ID,
               materials={sku: variant_id for _, variant_id, _, _, sku, _ in MATERIALS})
    floor.open_manufacturing_order(
        books, mo_id=MO101_ID, order_no="MO-101", variant_id=SOUP_VARIANT_ID, planned_quantity=120,
        location_id=CENTRAL_KITCHEN_ID, sales_order_id=SO7_ID, sales_order_row_id=SO7_ROW_ID,
        additional_info=MO101_ADDITIONAL_INFO, row_ids=MO101_ROW_IDS, recipe_row_ids=MO101_RECIPE_ROW_IDS)
    floor.open_manufacturing_order(
        books, mo_id=MO102_ID, order_no="MO-102", variant_id=CHILI_VARIANT_ID, planned_quantity=80,
        location_id=CENTRAL_KITCHEN_ID, row_ids=MO102_ROW_IDS, recipe_row_ids=MO102_RECIPE_ROW_IDS)


def _stamp(books: KatanaBooks, *, deletable: bool = True) -> dict[str, Any]:
    """Timestamps; `deleted_at` only on records whose Katana example shows it (products, materials and
    sales orders do not: sandbox/openapi_responses.py)."""
    now = books.now()
    return {"created_at": now, "updated_at": now, **({"deleted_at": None} if deletable else {})}


def _locations(books: KatanaBooks) -> None:
    for location_id, name, primary, manufacturing in (
        (CENTRAL_KITCHEN_ID, "Central Kitchen", True, True),
        (FBA_LOCATION_ID, "Amazon FBA", False, False),
    ):
        books.locations[location_id] = {
            "id": location_id, "name": name, "legal_name": "Sandbox Kitchen Ltd", "address_id": None,
            "address": None, "is_primary": primary, "manufacturing_allowed": manufacturing,
            "purchase_allowed": manufacturing, "sales_allowed": True, **_stamp(books)}


def _operators(books: KatanaBooks) -> None:
    for operator_id, name in ((ANA_OPERATOR_ID, "Ana Lopez"), (BEN_OPERATOR_ID, "Ben Carter")):
        books.operators[operator_id] = {"id": operator_id, "operator_name": name,
                                        "_working_area": "shopFloor"}


def _item(books: KatanaBooks, item_id: int, name: str, uom: str, kind: str, batch_tracked: bool) -> dict:
    return {"id": item_id, "name": name, "uom": uom, "type": kind, "category_name": "Kitchen",
            "is_sellable": kind == "product", "is_producible": kind == "product",
            "is_purchasable": kind == "material", "is_auto_assembly": False,
            "batch_tracked": batch_tracked, "serial_tracked": False, "operations_in_sequence": True,
            "purchase_uom": uom, "purchase_uom_conversion_rate": 1, "additional_info": "",
            "default_supplier_id": None, "archived_at": None, "configs": [], **_stamp(books, deletable=False)}


def _variant(books: KatanaBooks, variant_id: int, sku: str, kind: str, item_id: int, price: str) -> dict:
    return {"id": variant_id, "sku": sku, "type": kind,
            "product_id": item_id if kind == "product" else None,
            "material_id": item_id if kind == "material" else None,
            "sales_price": Decimal(price) if kind == "product" else None,
            "purchase_price": Decimal(price) if kind == "material" else None,
            "internal_barcode": None, "registered_barcode": None, "supplier_item_codes": [],
            "config_attributes": [], "custom_fields": [], "lead_time": None,
            "minimum_order_quantity": None, **_stamp(books)}


def _finished_goods(books: KatanaBooks) -> None:
    for product_id, variant_id, name, sku, price in (
        (SOUP_PRODUCT_ID, SOUP_VARIANT_ID, "Tomato Soup 500 ml", SOUP_SKU, "4.50"),
        (CHILI_PRODUCT_ID, CHILI_VARIANT_ID, "Chili con Carne 400 g", CHILI_SKU, "5.90"),
    ):
        books.products[product_id] = _item(books, product_id, name, "pcs", "product", True)
        books.variants[variant_id] = _variant(books, variant_id, sku, "product", product_id, price)
        for rank, (operation_id, operation, resource_id, resource, seconds) in enumerate(ROUTING, 1):
            row_id = product_id * 10 + rank
            books.product_operation_rows[row_id] = {
                "id": row_id, "product_id": product_id, "rank": rank, "operation_id": operation_id,
                "operation_name": operation, "resource_id": resource_id, "resource_name": resource,
                "type": "perUnit", "planned_time_per_unit": seconds, "cost_per_hour": 0}
        for index, (ingredient, per_unit) in enumerate(RECIPES[variant_id], 1):
            bom_id = variant_id * 10 + index
            books.bom_rows[bom_id] = {"id": bom_id, "product_variant_id": variant_id,
                                      "ingredient_variant_id": ingredient, "quantity": per_unit}


def _materials(books: KatanaBooks) -> None:
    for material_id, variant_id, name, uom, sku, _ in MATERIALS:
        books.materials[material_id] = _item(books, material_id, name, uom, "material", False)
        books.variants[variant_id] = _variant(books, variant_id, sku, "material", material_id, "1.00")


def _stock(books: KatanaBooks) -> None:
    for _, variant_id, _, _, _, in_stock in MATERIALS:
        books.add_stock(variant_id, CENTRAL_KITCHEN_ID, Decimal(in_stock))
    for batch_id, number, variant_id, kitchen, fba in (
        (SOUP_BATCH_ID, SOUP_BATCH_NUMBER, SOUP_VARIANT_ID, 10, 24),
        (CHILI_BATCH_ID, CHILI_BATCH_NUMBER, CHILI_VARIANT_ID, 0, 12),
    ):
        now = books.now()
        books.batches[batch_id] = {
            "id": batch_id, "batch_number": number, "variant_id": variant_id, "batch_barcode": None,
            "batch_created_date": now, "expiration_date": None, "created_at": now, "updated_at": now}
        for location_id, quantity in ((CENTRAL_KITCHEN_ID, kitchen), (FBA_LOCATION_ID, fba)):
            books.add_stock(variant_id, location_id, Decimal(quantity))
            books.add_batch_stock(batch_id, location_id, Decimal(quantity))


def _sales_order(books: KatanaBooks) -> None:
    books.customers[CUSTOMER_ID] = {"id": CUSTOMER_ID, "name": "Harbour Deli", **_stamp(books)}
    now = books.now()
    books.sales_orders[SO7_ID] = {
        "id": SO7_ID, "order_no": "SO-7", "customer_id": CUSTOMER_ID, "location_id": CENTRAL_KITCHEN_ID,
        "status": "NOT_SHIPPED", "currency": "GBP", "order_created_date": now, "delivery_date": now,
        "production_status": "NOT_STARTED", "product_availability": "EXPECTED",
        "ingredient_availability": "IN_STOCK", "invoicing_status": "not_invoiced",
        "customer_ref": "HD-2231", "additional_info": "", "total": Decimal("540.00"),
        "addresses": [], **_stamp(books, deletable=False)}
    books.sales_order_rows[SO7_ROW_ID] = {
        "id": SO7_ROW_ID, "sales_order_id": SO7_ID, "variant_id": SOUP_VARIANT_ID,
        "quantity": Decimal(120), "price_per_unit": Decimal("4.50"), "total": Decimal("540.00"),
        "linked_manufacturing_order_id": MO101_ID, "location_id": CENTRAL_KITCHEN_ID,
        "product_availability": "EXPECTED", "tax_rate_id": None, "batch_transactions": [],
        "attributes": [], "serial_numbers": [], **_stamp(books)}
