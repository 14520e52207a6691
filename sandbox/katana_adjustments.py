"""Stock adjustments in the sandbox Katana: POST and GET /stock_adjustments.

From Katana's docs: a positive row quantity increases stock and a negative one decreases it
(support.katanamrp.com/en/articles/5966123); a row's `traceability` wins over its deprecated
`batch_transactions`, a batch-tracked row's entries each name a batch and together cover the row's quantity,
an untracked row sends none, and each entry's quantity is required (readme-portal.yaml, createStockAdjustment);
the record is shaped like the portal's example. Rows are immutable once made (INTEGRATIONS.md): no PATCH of
rows is modelled, and a mistake is corrected with another adjustment.
ASSUMPTIONS (undocumented, strict): a row quantity of 0 is refused; a batch cannot go below zero (as in
katana_trade.py); a stock adjustment number is unique.
"""

from __future__ import annotations

from decimal import Decimal

from .katana_http import ApiAnswer, not_found, parse_moment, qty, unprocessable
from .katana_reads import ApiCall, Handler, lister
from .katana_state import KatanaBooks

ADJUSTMENT_FILTERS = {"ids": ("id", "in"), "stock_adjustment_number": ("stock_adjustment_number", "eq"),
                      "location_id": ("location_id", "eq")}


def post_stock_adjustment(books: KatanaBooks, call: ApiCall) -> ApiAnswer:
    body = call.body
    location_id = books.require(books.locations, int(body["location_id"]))["id"]
    number = body["stock_adjustment_number"]
    if any(a["stock_adjustment_number"] == number for a in books.stock_adjustments.values()):
        raise unprocessable(".stock_adjustment_number", "a stock adjustment with this number exists", "unique")
    adjustment_id = books.next_id(books.stock_adjustments, 3001)
    rows = [_row(books, adjustment_id, index, given, location_id)
            for index, given in enumerate(body["stock_adjustment_rows"])]
    for row in rows:  # everything is checked; from here on it is booked
        books.add_stock(row["variant_id"], location_id, row["quantity"])
        for entry in row["batch_transactions"]:
            books.add_batch_stock(entry["batch_id"], location_id, entry["quantity"])
    now = books.now()
    when = body.get("stock_adjustment_date")
    record = {"id": adjustment_id, "stock_adjustment_number": number, "location_id": location_id,
              "reason": body.get("reason") or "", "additional_info": body.get("additional_info") or "",
              "stock_adjustment_date": parse_moment(when, ".stock_adjustment_date") if when else now,
              "stock_adjustment_rows": rows, "created_at": now, "updated_at": now, "deleted_at": None}
    books.stock_adjustments[adjustment_id] = record
    return ApiAnswer(200, record)


def _row(books: KatanaBooks, adjustment_id: int, index: int, given: dict, location_id: int) -> dict:
    where = f".stock_adjustment_rows[{index}]"
    variant_id = int(given["variant_id"])
    if variant_id not in books.variants:
        raise not_found()
    quantity = qty(given["quantity"])
    if quantity == 0:
        raise unprocessable(f"{where}.quantity", "quantity must not be 0")
    batches = _batches(books, variant_id, given, quantity, where)
    for batch_id, amount in batches:
        if books.batch_stock(batch_id, location_id)["quantity_in_stock"] + amount < 0:
            raise unprocessable(f"{where}.traceability", f"batch {batch_id} has less than {-amount} in stock")
    return {"id": 100 * adjustment_id + index, "variant_id": variant_id, "quantity": quantity,
            "cost_per_unit": Decimal(0),
            "batch_transactions": [{"batch_id": b, "quantity": q} for b, q in batches],
            "traceability": [{"batch_id": b, "bin_location_id": None, "quantity": format(q, "f"),
                              "serial_number_id": None} for b, q in batches]}


def _batches(books: KatanaBooks, variant_id: int, given: dict, quantity: Decimal, where: str) -> list[tuple[int, Decimal]]:
    key = "traceability" if given.get("traceability") is not None else "batch_transactions"
    entries = given.get(key) or []
    tracked = books.item_of_variant(variant_id).get("batch_tracked")
    chosen = []
    for index, entry in enumerate(entries):
        batch_id = entry.get("batch_id")
        batch = books.batches.get(int(batch_id)) if batch_id is not None else None
        if not tracked or batch is None or batch["variant_id"] != variant_id:
            raise unprocessable(f"{where}.{key}[{index}].batch_id",
                                f"batch {batch_id} is not a batch of batch-tracked variant {variant_id}")
        chosen.append((batch["id"], qty(entry["quantity"])))
    if tracked and sum((q for _, q in chosen), Decimal(0)) != quantity:
        raise unprocessable(f"{where}.{key}", "batch-tracked item: batches must cover the row's quantity", "required")
    return chosen


ADJUSTMENT_ROUTES: list[tuple[str, str, Handler]] = [
    ("GET", "/stock_adjustments", lister(lambda b: b.stock_adjustments, ADJUSTMENT_FILTERS)),
    ("POST", "/stock_adjustments", post_stock_adjustment),
]
