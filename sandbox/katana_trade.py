"""Buying and shipping in the sandbox Katana: suppliers, purchase orders and their receipt, sales-order
fulfilments and stock transfers.

Shapes follow the readme-portal.yaml examples; rules follow its descriptions and INTEGRATIONS.md:
- `POST /purchase_order_receive` answers 204; receiving less than a row holds *splits* the row (the row keeps
  what is still to come, a new row carries what arrived, with `received_date`);
- fulfilments and transfers answer 200 with the record; transfer row quantities arrive as strings.
- a stock transfer's status is one of live-gateway.yaml's `draft|received|inTransit` (the portal says
  `received|created`); which one a new transfer starts with is undocumented: here it is `draft`, so a client
  that never sets the status leaves the goods where they were.
ASSUMPTIONS (not in Katana's docs, kept strict so a careless client fails here): a fulfilment may not exceed
what its sales-order row still has to ship; a batch-tracked item needs batches covering the whole quantity;
stock leaves on a DELIVERED fulfilment (PACKED only commits it); a draft transfer moves nothing, `inTransit`
takes the stock out of the source, `received` puts it into the target, and a status never goes back; a batch
cannot go below zero; a stock transfer number is unique.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .katana_http import ApiAnswer, not_found, parse_moment, qty, unprocessable
from .katana_reads import ApiCall, Handler, lister, single
from .katana_state import KatanaBooks

FRESH_FARMS_ID = 851
GLASSWORKS_ID = 852
OLIVE_OIL_MATERIAL_ID = 306
OLIVE_OIL_VARIANT_ID = 3006
OLIVE_OIL_SKU = "MAT-OIL"
PO31_ID = 9031  # Fresh Farms: tomatoes, onions, olive oil
PO31_ROW_IDS = (90311, 90312, 90313)
PO32_ID = 9032  # Glassworks: jars and labels
PO32_ROW_IDS = (90321, 90322)
SO8_ID = 702  # a second open order, two rows (soup and chili)
SO8_ROW_IDS = (7021, 7022)


# --- seed ------------------------------------------------------------------------------------------


def seed_trade(books: KatanaBooks, *, kitchen_id: int, soup_variant_id: int, chili_variant_id: int,
               customer_id: int, materials: dict[str, int]) -> None:
    now = books.now()
    stamp = {"created_at": now, "updated_at": now, "deleted_at": None}
    _olive_oil(books, stamp)
    for supplier_id, name, email in ((FRESH_FARMS_ID, "Fresh Farms Ltd", "orders@freshfarms.example"),
                                     (GLASSWORKS_ID, "Glassworks GmbH", "sales@glassworks.example")):
        books.suppliers[supplier_id] = {"id": supplier_id, "name": name, "email": email, "currency": "GBP",
                                        "comment": "", **stamp}
    _purchase_order(books, PO31_ID, "PO-31", FRESH_FARMS_ID, kitchen_id, stamp, list(zip(PO31_ROW_IDS, (
        (materials["MAT-TOMATO"], "100", "1.20"), (materials["MAT-ONION"], "20", "0.80"),
        (OLIVE_OIL_VARIANT_ID, "30", "6.50")))))
    _purchase_order(books, PO32_ID, "PO-32", GLASSWORKS_ID, kitchen_id, stamp, list(zip(PO32_ROW_IDS, (
        (materials["MAT-JAR"], "1000", "0.30"), (materials["MAT-LABEL"], "2000", "0.02")))))
    books.sales_orders[SO8_ID] = {
        "id": SO8_ID, "order_no": "SO-8", "customer_id": customer_id, "location_id": kitchen_id,
        "status": "NOT_SHIPPED", "currency": "GBP", "order_created_date": now, "delivery_date": now,
        "production_status": "NOT_APPLICABLE", "product_availability": "IN_STOCK",
        "ingredient_availability": "NOT_APPLICABLE", "invoicing_status": "not_invoiced",
        "customer_ref": "HD-2240", "additional_info": "", "total": Decimal("50.60"), "addresses": [],
        "created_at": now, "updated_at": now}  # no deleted_at: Katana's sales order examples show none
    for row_id, variant_id, quantity, price in ((SO8_ROW_IDS[0], soup_variant_id, 6, "4.50"),
                                                (SO8_ROW_IDS[1], chili_variant_id, 4, "5.90")):
        books.sales_order_rows[row_id] = {
            "id": row_id, "sales_order_id": SO8_ID, "variant_id": variant_id, "quantity": Decimal(quantity),
            "price_per_unit": Decimal(price), "total": Decimal(price) * quantity,
            "linked_manufacturing_order_id": None, "location_id": kitchen_id, "product_availability": "IN_STOCK",
            "tax_rate_id": None, "batch_transactions": [], "attributes": [], "serial_numbers": [], **stamp}


def _olive_oil(books: KatanaBooks, stamp: dict) -> None:
    """A batch-tracked material, so receiving has batches to create."""
    books.materials[OLIVE_OIL_MATERIAL_ID] = {
        "id": OLIVE_OIL_MATERIAL_ID, "name": "Olive oil", "uom": "l", "type": "material",
        "category_name": "Kitchen", "is_sellable": False, "is_producible": False, "is_purchasable": True,
        "is_auto_assembly": False, "batch_tracked": True, "serial_tracked": False,
        "operations_in_sequence": False, "purchase_uom": "l", "purchase_uom_conversion_rate": 1,
        "additional_info": "", "default_supplier_id": FRESH_FARMS_ID, "archived_at": None, "configs": [],
        "created_at": stamp["created_at"], "updated_at": stamp["updated_at"]}  # no deleted_at: Katana shows none
    books.variants[OLIVE_OIL_VARIANT_ID] = {
        "id": OLIVE_OIL_VARIANT_ID, "sku": OLIVE_OIL_SKU, "type": "material", "product_id": None,
        "material_id": OLIVE_OIL_MATERIAL_ID, "sales_price": None, "purchase_price": Decimal("6.50"),
        "internal_barcode": None, "registered_barcode": None, "supplier_item_codes": ["FF-OIL-5L"],
        "config_attributes": [], "custom_fields": [], "lead_time": None, "minimum_order_quantity": None, **stamp}


def _purchase_order(books: KatanaBooks, po_id: int, order_no: str, supplier_id: int, location_id: int,
                    stamp: dict, rows: list[tuple[int, tuple[int, str, str]]]) -> None:
    books.purchase_orders[po_id] = {
        "id": po_id, "order_no": order_no, "entity_type": "regular", "status": "NOT_RECEIVED",
        "billing_status": "NOT_BILLED", "last_document_status": "NOT_SENT", "supplier_id": supplier_id,
        "location_id": location_id, "tracking_location_id": None, "currency": "GBP",
        "order_created_date": stamp["created_at"], "expected_arrival_date": stamp["created_at"],
        "additional_info": "", "total": Decimal(0), "total_in_base_currency": Decimal(0), **stamp}
    for row_id, (variant_id, quantity, price) in rows:
        books.purchase_order_rows[row_id] = {
            "id": row_id, "purchase_order_id": po_id, "variant_id": variant_id, "quantity": Decimal(quantity),
            "price_per_unit": Decimal(price), "purchase_uom": None, "purchase_uom_conversion_rate": 1,
            "received_date": None, "arrival_date": None, "batch_transactions": [], "tax_rate_id": None,
            "group_id": None, "currency": "GBP", "total": Decimal(quantity) * Decimal(price), **stamp}


# --- reads -----------------------------------------------------------------------------------------


def purchase_order_view(books: KatanaBooks, call: ApiCall, order: dict) -> dict:
    rows = [r for r in books.purchase_order_rows.values() if r["purchase_order_id"] == order["id"]
            and not r["deleted_at"]]
    view = {**order, "purchase_order_rows": sorted(rows, key=lambda r: r["id"])}
    if call.extends("supplier"):
        view["supplier"] = books.suppliers.get(order["supplier_id"])
    return view


PO_FILTERS = {"ids": ("id", "in"), "order_no": ("order_no", "eq"), "status": ("status", "eq"),
              "supplier_id": ("supplier_id", "eq"), "location_id": ("location_id", "eq")}
PO_ROW_FILTERS = {"ids": ("id", "in"), "purchase_order_id": ("purchase_order_id", "eq"),
                  "variant_id": ("variant_id", "eq"), "location_id": ("location_id", "eq")}
SUPPLIER_FILTERS = {"ids": ("id", "in"), "name": ("name", "eq"), "email": ("email", "eq")}
FULFILMENT_FILTERS = {"sales_order_id": ("sales_order_id", "eq"), "status": ("status", "eq"),
                      "tracking_number": ("tracking_number", "eq")}
TRANSFER_FILTERS = {"ids": ("id", "in"), "stock_transfer_number": ("stock_transfer_number", "eq"),
                    "source_location_id": ("source_location_id", "eq"),
                    "target_location_id": ("target_location_id", "eq")}


# --- writes ----------------------------------------------------------------------------------------


def _batches_for(books: KatanaBooks, variant_id: int, given: list[dict], total: Decimal, where: str) -> list[tuple[int, Decimal]]:
    """(batch id, quantity) pairs from traceability/batch_transactions, checked against the item."""
    chosen = []
    for index, item in enumerate(given):
        batch_id = item.get("batch_id")
        if batch_id is None:
            continue
        batch = books.batches.get(int(batch_id))
        if batch is None or batch["variant_id"] != variant_id:
            raise unprocessable(f"{where}[{index}].batch_id", f"batch {batch_id} is not a batch of variant {variant_id}")
        chosen.append((int(batch_id), qty(item["quantity"])))
    tracked = books.item_of_variant(variant_id).get("batch_tracked")
    if tracked and sum((q for _, q in chosen), Decimal(0)) != total:
        raise unprocessable(where, "batch-tracked item: batches must cover the whole quantity", "required")
    return chosen


def _check_stock(books: KatanaBooks, location_id: int, batches: list[tuple[int, Decimal]], where: str) -> None:
    for batch_id, amount in batches:
        if books.batch_stock(batch_id, location_id)["quantity_in_stock"] < amount:
            raise unprocessable(where, f"batch {batch_id} has less than {amount} in stock at location {location_id}")


def _take_stock(books: KatanaBooks, variant_id: int, location_id: int, quantity: Decimal,
                batches: list[tuple[int, Decimal]], where: str) -> None:
    _check_stock(books, location_id, batches, where)
    books.add_stock(variant_id, location_id, -quantity)
    for batch_id, amount in batches:
        books.add_batch_stock(batch_id, location_id, -amount)


def _shipped(books: KatanaBooks, row_id: int) -> Decimal:
    return sum((r["quantity"] for f in books.fulfillments.values()
                for r in f["sales_order_fulfillment_rows"] if r["sales_order_row_id"] == row_id), Decimal(0))


def post_fulfillment(books: KatanaBooks, call: ApiCall) -> ApiAnswer:
    body = call.body
    order = books.require(books.sales_orders, int(body["sales_order_id"]))
    planned = [_fulfilment_row(books, order, index, given) for index, given in enumerate(body["sales_order_fulfillment_rows"])]
    now = books.now()
    fulfilment_id = books.next_id(books.fulfillments, 4001)
    rows = []
    for index, (row, quantity, batches) in enumerate(planned):
        if body["status"] == "DELIVERED":  # stock leaves when the goods do
            _take_stock(books, row["variant_id"], row.get("location_id") or order["location_id"], quantity, batches,
                        f".sales_order_fulfillment_rows[{index}]")
        rows.append({"id": 100 * fulfilment_id + index, "sales_order_row_id": row["id"], "quantity": quantity,
                     "batch_transactions": [{"batch_id": b, "quantity": q} for b, q in batches],
                     "traceability": [{"batch_id": b, "bin_location_id": None, "quantity": str(q),
                                       "serial_number_id": None} for b, q in batches], "serial_numbers": []})
    record = {"id": fulfilment_id, "sales_order_id": order["id"], "status": body["status"],
              "picked_date": parse_moment(body["picked_date"], ".picked_date") if body.get("picked_date") else now,
              "conversion_rate": None, "conversion_date": None, "invoice_status": "NOT_INVOICED", "packer_id": None,
              "tracking_carrier": body.get("tracking_carrier"), "tracking_number": body.get("tracking_number"),
              "tracking_method": body.get("tracking_method"), "tracking_url": body.get("tracking_url"),
              "sales_order_fulfillment_rows": rows}  # no timestamps: Katana's fulfilment examples show none
    books.fulfillments[fulfilment_id] = record
    _settle_sales_order(books, order)
    return ApiAnswer(200, record)


def _fulfilment_row(books: KatanaBooks, order: dict, index: int, given: dict) -> tuple[dict, Decimal, list]:
    where = f".sales_order_fulfillment_rows[{index}]"
    row = books.sales_order_rows.get(int(given["sales_order_row_id"]))
    if row is None or row["sales_order_id"] != order["id"]:
        raise unprocessable(f"{where}.sales_order_row_id", f"row {given['sales_order_row_id']} is not on {order['order_no']}")
    quantity = qty(given["quantity"])
    if quantity <= 0 or _shipped(books, row["id"]) + quantity > row["quantity"]:
        raise unprocessable(f"{where}.quantity", f"more than row {row['id']} still has to ship", "maximum")
    batches = _batches_for(books, row["variant_id"], given.get("traceability") or given.get("batch_transactions") or [],
                           quantity, f"{where}.traceability")
    return row, quantity, batches


def _settle_sales_order(books: KatanaBooks, order: dict) -> None:
    rows = [r for r in books.sales_order_rows.values() if r["sales_order_id"] == order["id"] and not r["deleted_at"]]
    delivered = all(f["status"] == "DELIVERED" for f in books.fulfillments.values() if f["sales_order_id"] == order["id"])
    complete = all(_shipped(books, r["id"]) >= r["quantity"] for r in rows)
    word = "DELIVERED" if delivered else "PACKED"
    order["status"] = word if complete else f"PARTIALLY_{word}"
    books.touch(order)
    books.emit(f"sales_order.{word.lower()}", order)


def post_stock_transfer(books: KatanaBooks, call: ApiCall) -> ApiAnswer:
    body = call.body
    source = books.require(books.locations, int(body["source_location_id"]))["id"]
    target = books.require(books.locations, int(body["target_location_id"]))["id"]
    if source == target:
        raise unprocessable(".target_location_id", "source and target location are the same")
    if any(t["stock_transfer_number"] == body["stock_transfer_number"] for t in books.stock_transfers.values()):
        raise unprocessable(".stock_transfer_number", "a stock transfer with this number exists", "unique")
    transfer_id = books.next_id(books.stock_transfers, 6001)
    rows = [_transfer_row(books, transfer_id, index, given, source)
            for index, given in enumerate(body["stock_transfer_rows"])]
    now = books.now()
    record = {"id": transfer_id, "stock_transfer_number": body["stock_transfer_number"], "source_location_id": source,
              "target_location_id": target, "status": "draft", "additional_info": body.get("additional_info") or "",
              "transfer_date": parse_moment(body["transfer_date"], ".transfer_date") if body.get("transfer_date") else now,
              "order_created_date": now, "expected_arrival_date": None, "stock_transfer_rows": rows,
              "created_at": now, "updated_at": now, "deleted_at": None}
    books.stock_transfers[transfer_id] = record
    return ApiAnswer(200, record)


def _transfer_row(books: KatanaBooks, transfer_id: int, index: int, given: dict, source: int) -> dict:
    where = f".stock_transfer_rows[{index}]"
    variant_id = int(given["variant_id"])
    if variant_id not in books.variants:
        raise unprocessable(f"{where}.variant_id", f"variant {variant_id} does not exist")
    quantity = qty(given["quantity"])
    if quantity <= 0:
        raise unprocessable(f"{where}.quantity", "quantity must be greater than 0", "minimum")
    batches = _batches_for(books, variant_id, given.get("traceability") or given.get("batch_transactions") or [],
                           quantity, f"{where}.traceability")
    _check_stock(books, source, batches, where)  # a draft moves nothing yet, but must be possible
    return {"id": 100 * transfer_id + index, "variant_id": variant_id, "quantity": quantity, "cost_per_unit": 0,
            "batch_transactions": [{"batch_id": b, "quantity": q} for b, q in batches],
            "traceability": [{"batch_id": b, "bin_location_id": None, "quantity": str(q), "serial_number_id": None}
                             for b, q in batches], "deleted_at": None}


TRANSFER_STEPS = {"draft": 0, "inTransit": 1, "received": 2}  # how far the goods have gone


def patch_transfer_status(books: KatanaBooks, call: ApiCall) -> ApiAnswer:
    """PATCH /stock_transfers/{id}/status: stock leaves the source when the goods do, arrives when received."""
    transfer = books.require(books.stock_transfers, call.id())
    before, after = TRANSFER_STEPS[transfer["status"]], TRANSFER_STEPS[call.body["status"]]
    if after < before:
        raise unprocessable(".status", f"a {transfer['status']} transfer cannot go back to {call.body['status']}")
    rows = [r for r in transfer["stock_transfer_rows"] if not r["deleted_at"]]
    if before < 1 <= after:
        for index, row in enumerate(rows):
            _check_stock(books, transfer["source_location_id"], _batches_of(row), f".stock_transfer_rows[{index}]")
        for row in rows:
            _move(books, row, transfer["source_location_id"], -1)
    if before < 2 <= after:
        for row in rows:
            _move(books, row, transfer["target_location_id"], 1)
    transfer["status"] = call.body["status"]
    books.touch(transfer)
    return ApiAnswer(200, transfer)


def _batches_of(row: dict) -> list[tuple[int, Decimal]]:
    return [(b["batch_id"], b["quantity"]) for b in row["batch_transactions"]]


def _move(books: KatanaBooks, row: dict, location_id: int, sign: int) -> None:
    books.add_stock(row["variant_id"], location_id, sign * row["quantity"])
    for batch_id, amount in _batches_of(row):
        books.add_batch_stock(batch_id, location_id, sign * amount)


def post_purchase_order_receive(books: KatanaBooks, call: ApiCall) -> ApiAnswer:
    given = call.body if isinstance(call.body, list) else [call.body]
    checked = [_receipt_row(books, index, item) for index, item in enumerate(given)]
    for row, quantity, batches, item in checked:  # everything is checked; from here on it is booked
        _receive_row(books, row, quantity, batches, item)
    for po_id in {row["purchase_order_id"] for row, *_ in checked}:
        order = books.purchase_orders[po_id]
        rows = [r for r in books.purchase_order_rows.values() if r["purchase_order_id"] == po_id and not r["deleted_at"]]
        order["status"] = "RECEIVED" if all(r["received_date"] for r in rows) else "PARTIALLY_RECEIVED"
        books.touch(order)
    return ApiAnswer(204, None)


def _receipt_row(books: KatanaBooks, index: int, item: dict) -> tuple[dict, Decimal, list, dict]:
    where = f"[{index}]"
    row = books.purchase_order_rows.get(int(item["purchase_order_row_id"]))
    if row is None or row["deleted_at"]:
        raise not_found()
    if row["received_date"]:
        raise unprocessable(f"{where}.purchase_order_row_id", f"row {row['id']} is already received")
    quantity = qty(item["quantity"])
    if quantity <= 0:
        raise unprocessable(f"{where}.quantity", "quantity must be greater than 0", "minimum")
    batches = _batches_for(books, row["variant_id"], item.get("batch_transactions") or [], quantity,
                           f"{where}.batch_transactions")
    return row, quantity, batches, item


def _receive_row(books: KatanaBooks, row: dict, quantity: Decimal, batches: list, item: dict) -> None:
    order = books.purchase_orders[row["purchase_order_id"]]
    location_id = item.get("location_id") or order["location_id"]
    received = _received_at(books, item.get("received_date"))
    landed = {"received_date": received, "batch_transactions": [{"batch_id": b, "quantity": q} for b, q in batches],
              "updated_at": books.now()}
    if quantity < row["quantity"]:  # the row keeps what is still to come; a new row carries what arrived
        row["quantity"] -= quantity
        new_id = books.next_id(books.purchase_order_rows, 1)
        books.purchase_order_rows[new_id] = {**row, "id": new_id, "quantity": quantity, **landed}
    else:  # all of it (or more: an over-receipt keeps what really arrived)
        row.update({"quantity": quantity, **landed})
    books.add_stock(row["variant_id"], location_id, quantity)
    for batch_id, amount in batches:
        books.add_batch_stock(batch_id, location_id, amount)


def _received_at(books: KatanaBooks, given: str | None) -> str:
    """`received_date` is a date in the gateway spec and a date-time in the portal's: take either."""
    if not given:
        return books.now()
    return parse_moment(given if "T" in given else f"{given}T00:00:00Z", ".received_date")


TRADE_ROUTES: list[tuple[str, str, Handler]] = [
    ("GET", "/suppliers", lister(lambda b: b.suppliers, SUPPLIER_FILTERS)),
    ("GET", "/suppliers/{id}", single(lambda b: b.suppliers)),
    ("GET", "/purchase_orders", lister(lambda b: b.purchase_orders, PO_FILTERS, purchase_order_view)),
    ("GET", "/purchase_orders/{id}", single(lambda b: b.purchase_orders, purchase_order_view)),
    ("GET", "/purchase_order_rows", lister(lambda b: b.purchase_order_rows, PO_ROW_FILTERS)),
    ("GET", "/purchase_order_rows/{id}", single(lambda b: b.purchase_order_rows)),
    ("POST", "/purchase_order_receive", post_purchase_order_receive),
    ("GET", "/sales_order_fulfillments", lister(lambda b: b.fulfillments, FULFILMENT_FILTERS)),
    ("GET", "/sales_order_fulfillments/{id}", single(lambda b: b.fulfillments)),
    ("POST", "/sales_order_fulfillments", post_fulfillment),
    ("GET", "/stock_transfers", lister(lambda b: b.stock_transfers, TRANSFER_FILTERS)),
    ("GET", "/stock_transfers/{id}", single(lambda b: b.stock_transfers)),
    ("POST", "/stock_transfers", post_stock_transfer),
    ("PATCH", "/stock_transfers/{id}/status", patch_transfer_status),
]


def shipped_of(books: KatanaBooks, row_id: int) -> Decimal:
    """For tests: how much of a sales-order row has been fulfilled."""
    return _shipped(books, row_id)


def received_rows(books: KatanaBooks, po_id: int) -> list[dict[str, Any]]:
    """For tests: the rows of a purchase order that have arrived."""
    return [r for r in books.purchase_order_rows.values() if r["purchase_order_id"] == po_id and r["received_date"]]
