"""The sandbox Katana's books: plain dicts keyed by int id, plus stock per (variant, location).

Records are stored in the shape Katana returns them (readme-portal.yaml examples), with Decimal quantities;
keys starting with "_" are sandbox-internal and never leave the server (see katana_http.render).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from .katana_http import iso, not_found, render

# Where each resource lives in the API, for webhook `href`s and resource_type names.
RESOURCE_PATHS = {
    "manufacturing_order": "manufacturing_orders",
    "manufacturing_order_operation_row": "manufacturing_order_operation_rows",
    "manufacturing_order_recipe_row": "manufacturing_order_recipe_rows",
    "sales_order": "sales_orders",
    "product": "products",
    "material": "materials",
    "variant": "variants",
}

class KatanaBooks:
    """Everything the sandbox knows. FakeKatana extends this with the HTTP server."""

    # GET /operators: readme-portal.yaml shows a bare list, audit-overrides.yaml says live wraps it.
    operators_wrapped: bool = False

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.locations: dict[int, dict] = {}
        self.products: dict[int, dict] = {}
        self.materials: dict[int, dict] = {}
        self.variants: dict[int, dict] = {}
        self.operators: dict[int, dict] = {}
        self.customers: dict[int, dict] = {}
        self.manufacturing_orders: dict[int, dict] = {}
        self.operation_rows: dict[int, dict] = {}
        self.recipe_rows: dict[int, dict] = {}
        self.productions: dict[int, dict] = {}
        self.batches: dict[int, dict] = {}
        # keyed by an internal id; each record is one batch at one location (batch_id, location_id)
        self.batch_stocks: dict[int, dict] = {}
        self.webhooks: dict[int, dict] = {}
        self.sales_orders: dict[int, dict] = {}
        self.sales_order_rows: dict[int, dict] = {}
        # the product's routing and recipe, from which new MOs take their operation and recipe rows
        self.product_operation_rows: dict[int, dict] = {}
        self.bom_rows: dict[int, dict] = {}
        self.inventory: dict[tuple[int, int], Decimal] = {}
        # buying and shipping (katana_trade.py): suppliers, purchase orders, fulfilments, transfers
        self.suppliers: dict[int, dict] = {}
        self.purchase_orders: dict[int, dict] = {}
        self.purchase_order_rows: dict[int, dict] = {}
        self.fulfillments: dict[int, dict] = {}
        self.stock_transfers: dict[int, dict] = {}

    # --- plumbing ------------------------------------------------------------------------------

    def now(self) -> str:
        return iso(self.clock())

    @staticmethod
    def next_id(table: dict[int, Any], floor: int = 1) -> int:
        return max([floor - 1, *table]) + 1

    @staticmethod
    def require(table: dict[int, dict], record_id: int) -> dict:
        record = table.get(record_id)
        if record is None or record.get("deleted_at"):
            raise not_found()
        return record

    def emit(self, event: str, record: dict, status: str | None = None) -> None:
        """Tell subscribers that something changed. The server overrides this to post webhooks."""

    def touch(self, record: dict) -> None:
        record["updated_at"] = self.now()

    # --- stock ---------------------------------------------------------------------------------

    def stock_of(self, variant_id: int, location_id: int) -> Decimal:
        return self.inventory.get((variant_id, location_id), Decimal(0))

    def add_stock(self, variant_id: int, location_id: int, delta: Decimal) -> None:
        """Katana lets stock go negative (consumption before receipt), so no floor at zero."""
        self.inventory[(variant_id, location_id)] = self.stock_of(variant_id, location_id) + delta

    def batch_stock(self, batch_id: int, location_id: int) -> dict:
        """The stock record of one batch at one location, created empty on first use."""
        for record in self.batch_stocks.values():
            if record["batch_id"] == batch_id and record["location_id"] == location_id:
                return record
        batch = self.batches[batch_id]
        record = {"id": self.next_id(self.batch_stocks), "batch_id": batch_id,
                  "location_id": location_id, "variant_id": batch["variant_id"],
                  "quantity_in_stock": Decimal(0)}
        self.batch_stocks[record["id"]] = record
        return record

    def add_batch_stock(self, batch_id: int, location_id: int, delta: Decimal) -> None:
        record = self.batch_stock(batch_id, location_id)
        record["quantity_in_stock"] += delta

    # --- lookups -------------------------------------------------------------------------------

    def item_of_variant(self, variant_id: int) -> dict:
        """The product or material a variant belongs to."""
        variant = self.variants[variant_id]
        if variant.get("product_id"):
            return self.products[variant["product_id"]]
        return self.materials[variant["material_id"]]

    def operator_ref(self, given: dict) -> dict:
        """Resolve {operator_id} or {name} the way the API echoes operators on operation rows."""
        operator = self.operators.get(given.get("operator_id") or 0)
        if operator is None and given.get("name"):
            operator = next((o for o in self.operators.values()
                             if o["operator_name"] == given["name"]), None)
        if operator is None:
            return {"operator_id": given.get("operator_id"), "name": given.get("name"),
                    "deleted_at": None}
        return {"operator_id": operator["id"], "name": operator["operator_name"], "deleted_at": None}

    def snapshot(self, record: dict) -> dict:
        """What a helper method hands back: the record as the API would show it."""
        return render(record)
