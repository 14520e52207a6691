"""What Katana does when the floor records work: MOs, operation rows, productions.

Behaviour follows INTEGRATIONS.md and Katana's docs: a partial production moves the completed quantity into
stock (and its batch) and consumes the ingredients it names at the quantities given, or the plan when it
names none (katana_ingredients.py); DONE moves the rest of the actual quantity in and consumes the plan for
it; a PATCH that omits `additional_info` wipes it; a DONE order's operation rows take operators and time only.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from . import katana_ingredients as ingredients
from .katana_http import KatanaError, not_found, parse_moment, qty, unprocessable
from .katana_state import KatanaBooks

ROW_STATUS_EVENTS = {
    "IN_PROGRESS": "in_progress", "PAUSED": "paused", "BLOCKED": "blocked", "COMPLETED": "completed",
}
MO_STATUS_EVENTS = {"IN_PROGRESS": "in_progress", "BLOCKED": "blocked", "DONE": "done"}
MO_DATE_FIELDS = ("order_created_date", "production_deadline_date")
# Katana's docs for PATCH /manufacturing_order_operation_rows/{id} (readme-portal.yaml): "Only
# completed_by_operators and total_actual_time can be updated when the manufacturing order status is DONE".
DONE_ORDER_ROW_FIELDS = frozenset({"completed_by_operators", "total_actual_time"})


# --- opening an MO ---------------------------------------------------------------------------------


def open_manufacturing_order(
    books: KatanaBooks, *, variant_id: int, planned_quantity: Any, order_no: str | None = None,
    location_id: int | None = None, sales_order_id: int | None = None,
    sales_order_row_id: int | None = None, additional_info: str = "", mo_id: int | None = None,
    row_ids: Sequence[int] | None = None, recipe_row_ids: Sequence[int] | None = None,
) -> dict:
    """An MO with operation rows from the product's routing and recipe rows from its BOM."""
    variant = books.require(books.variants, variant_id)
    mo_id = mo_id or books.next_id(books.manufacturing_orders, 1)
    location_id = location_id or next(
        loc["id"] for loc in sorted(books.locations.values(), key=lambda l: l["id"])
        if loc["manufacturing_allowed"])
    planned = qty(planned_quantity)
    now = books.now()
    mo = {
        "id": mo_id, "status": "NOT_STARTED", "order_no": order_no or f"MO-{mo_id}",
        "variant_id": variant_id, "planned_quantity": planned, "actual_quantity": None,
        "location_id": location_id, "order_created_date": now, "done_date": None,
        "production_deadline_date": now, "additional_info": additional_info,
        "is_linked_to_sales_order": sales_order_id is not None, "ingredient_availability": "IN_STOCK",
        "total_cost": Decimal(0), "total_actual_time": Decimal(0), "total_planned_time": Decimal(0),
        "sales_order_id": sales_order_id, "sales_order_row_id": sales_order_row_id,
        "sales_order_delivery_deadline": now if sales_order_id else None,
        "material_cost": Decimal(0), "operations_cost": Decimal(0), "subassemblies_cost": Decimal(0),
        "serial_numbers": [], "batch_transactions": [],
        "created_at": now, "updated_at": now, "deleted_at": None,
    }
    books.manufacturing_orders[mo_id] = mo
    _add_operation_rows(books, mo, variant["product_id"], row_ids)
    _add_recipe_rows(books, mo, recipe_row_ids)
    books.emit("manufacturing_order.created", mo)
    return mo


def _add_operation_rows(books: KatanaBooks, mo: dict, product_id: int | None,
                        row_ids: Sequence[int] | None) -> None:
    routing = sorted((op for op in books.product_operation_rows.values()
                      if op["product_id"] == product_id), key=lambda op: op["rank"])
    for index, step in enumerate(routing):
        row_id = row_ids[index] if row_ids else books.next_id(books.operation_rows, 1)
        per_unit = Decimal(step["planned_time_per_unit"])
        row = {
            "id": row_id, "manufacturing_order_id": mo["id"], "status": "NOT_STARTED",
            "type": step.get("type", "perUnit"), "rank": index + 1,
            "operation_id": step["operation_id"], "operation_name": step["operation_name"],
            "resource_id": step.get("resource_id"), "resource_name": step.get("resource_name"),
            "planned_time_per_unit": per_unit, "planned_time_parameter": per_unit,  # the same seconds: per_unit is its deprecated name
            "cost_per_hour": Decimal(step.get("cost_per_hour", 0)), "cost_parameter": Decimal(1),
            "planned_cost_per_unit": Decimal(0), "total_actual_time": Decimal(0),
            "total_actual_cost": Decimal(0), "group_boundary": 0, "is_status_actionable": True,
            "active_operator_id": None, "assigned_operators": [], "completed_by_operators": [],
            "completed_at": None, "created_at": mo["created_at"], "updated_at": mo["created_at"],
            "deleted_at": None,
        }
        books.operation_rows[row_id] = row
        mo["total_planned_time"] += per_unit * mo["planned_quantity"]
        books.emit("manufacturing_order_operation_row.created", row)


def _add_recipe_rows(books: KatanaBooks, mo: dict, recipe_row_ids: Sequence[int] | None) -> None:
    bom = [row for row in books.bom_rows.values() if row["product_variant_id"] == mo["variant_id"]]
    for index, line in enumerate(sorted(bom, key=lambda r: r["id"])):
        row_id = recipe_row_ids[index] if recipe_row_ids else books.next_id(books.recipe_rows, 1)
        books.recipe_rows[row_id] = {
            "id": row_id, "manufacturing_order_id": mo["id"],
            "variant_id": line["ingredient_variant_id"], "notes": line.get("notes", ""),
            "planned_quantity_per_unit": qty(line["quantity"]), "total_actual_quantity": Decimal(0),
            "ingredient_availability": "IN_STOCK", "ingredient_expected_date": None,
            "batch_transactions": [], "cost": Decimal(0),
            "created_at": mo["created_at"], "updated_at": mo["created_at"], "deleted_at": None,
        }


# --- PATCH /manufacturing_orders/{id} --------------------------------------------------------------


def update_manufacturing_order(books: KatanaBooks, mo_id: int, body: dict) -> dict:
    mo = books.require(books.manufacturing_orders, mo_id)
    before = copy.deepcopy(mo)
    try:
        return _apply_mo_patch(books, mo, body)
    except KatanaError:
        mo.clear()
        mo.update(before)  # a rejected PATCH changes nothing
        raise


def _apply_mo_patch(books: KatanaBooks, mo: dict, body: dict) -> dict:
    # Katana's real quirk: a PATCH without additional_info blanks it. Clients must echo it. `null` clears it
    # (nullable in UpdateManufacturingOrderDto; "" never gets here: minLength 1) and is answered as null.
    mo["additional_info"] = body.get("additional_info", "")
    for key in ("order_no", "variant_id", "location_id"):
        if key in body:
            mo[key] = body[key]
    if "planned_quantity" in body:
        mo["planned_quantity"] = qty(body["planned_quantity"])
    if "actual_quantity" in body:
        mo["actual_quantity"] = None if body["actual_quantity"] is None else qty(body["actual_quantity"])
    for key in MO_DATE_FIELDS:
        if key in body:
            mo[key] = parse_moment(body[key], f".{key}")
    if "batch_transactions" in body:
        mo["batch_transactions"] = _batch_transactions(books, mo, body["batch_transactions"])
    new_status = body.get("status")
    if new_status == "DONE" and mo["status"] != "DONE":
        finish_order(books, mo, mo["actual_quantity"], body.get("done_date"))
    else:
        if "done_date" in body:
            mo["done_date"] = parse_moment(body["done_date"], ".done_date")
        if new_status and new_status != mo["status"]:
            set_mo_status(books, mo, new_status)
    books.touch(mo)
    books.emit("manufacturing_order.updated", mo)
    return mo


def _batch_transactions(books: KatanaBooks, mo: dict, given: list[dict]) -> list[dict]:
    chosen = []
    for index, item in enumerate(given):
        batch = books.batches.get(item["batch_id"])
        if batch is None or batch["variant_id"] != mo["variant_id"]:
            raise unprocessable(f".batch_transactions[{index}].batch_id",
                                f"batch {item['batch_id']} is not a batch of variant {mo['variant_id']}")
        chosen.append({"batch_id": item["batch_id"], "quantity": qty(item["quantity"])})
    return chosen


def set_mo_status(books: KatanaBooks, mo: dict, status: str) -> None:
    mo["status"] = status
    if status in MO_STATUS_EVENTS:
        books.emit(f"manufacturing_order.{MO_STATUS_EVENTS[status]}", mo)


def finish_order(books: KatanaBooks, mo: dict, actual_quantity: Any, done_date: str | None, *,
                 in_app: bool = False) -> None:
    """DONE: the rest of the actual quantity goes into stock; ingredients are consumed for it.

    "The rest" is the actual quantity less what the productions booked (developer.katanamrp.com,
    completing manufacturing orders). What Katana does when the actual quantity is *below* what the
    productions booked is not documented: refused here, so no client can come to depend on either outcome.
    """
    produced = produced_so_far(books, mo["id"])
    actual = qty(actual_quantity) if actual_quantity is not None else max(produced, mo["planned_quantity"])
    if actual < produced:
        raise unprocessable(".actual_quantity", f"actual quantity {actual} is below the {produced} the order's "
                                                "productions put into stock (undocumented: refused by the sandbox)")
    remaining = actual - produced
    product = books.item_of_variant(mo["variant_id"])
    if remaining > 0 and product.get("batch_tracked") and not mo["batch_transactions"]:
        # Katana will not finish a batch-tracked MO with output that has no batch assigned.
        raise unprocessable(".batch_transactions",
                            "batch-tracked product: assign a batch before marking the order DONE")
    if remaining > 0:
        takes = ingredients.planned_takes(books, mo, remaining, where=".status", pick_batches=in_app)
        ingredients.check_stock(books, mo["location_id"], takes, ".status")
        books.add_stock(mo["variant_id"], mo["location_id"], remaining)
        _spread_over_batches(books, mo, remaining)
        ingredients.consume(books, mo, takes)
    mo["actual_quantity"] = actual
    mo["done_date"] = parse_moment(done_date, ".done_date") if done_date else books.now()
    set_mo_status(books, mo, "DONE")


def _spread_over_batches(books: KatanaBooks, mo: dict, remaining: Decimal) -> None:
    """Put the finishing quantity into the MO's batches, in the order they were assigned."""
    for index, transaction in enumerate(mo["batch_transactions"]):
        is_last = index == len(mo["batch_transactions"]) - 1
        share = remaining if is_last else min(remaining, transaction["quantity"])
        books.add_batch_stock(transaction["batch_id"], mo["location_id"], share)
        remaining -= share
        if remaining <= 0:
            break


def produced_so_far(books: KatanaBooks, mo_id: int) -> Decimal:
    return sum((p["quantity"] for p in books.productions.values()
                if p["manufacturing_order_id"] == mo_id and not p["deleted_at"]), Decimal(0))


# --- POST /manufacturing_order_productions ---------------------------------------------------------


def record_production(books: KatanaBooks, body: dict) -> dict:
    mo = books.manufacturing_orders.get(body["manufacturing_order_id"])
    if mo is None or mo["deleted_at"]:
        raise not_found()
    if mo["status"] == "DONE":
        raise unprocessable(".manufacturing_order_id", f"manufacturing order {mo['id']} is already DONE")
    quantity = qty(body["completed_quantity"])
    if quantity <= 0:
        raise unprocessable(".completed_quantity", "completed_quantity must be greater than 0", "minimum")
    batch_id = _production_batch(books, mo, body.get("batch_transaction"))
    production_date = (parse_moment(body["completed_date"], ".completed_date")
                       if body.get("completed_date") else books.now())
    given = body.get("ingredients")
    plan = (ingredients.given_takes(books, mo, given) if given is not None
            else ingredients.planned_takes(books, mo, quantity, where=".ingredients"))
    ingredients.check_stock(books, mo["location_id"], plan, ".ingredients")
    # Everything is checked; from here on the production is booked.
    books.add_stock(mo["variant_id"], mo["location_id"], quantity)
    if batch_id is not None:
        books.add_batch_stock(batch_id, mo["location_id"], quantity)
    ingredients.consume(books, mo, plan)
    production = _production_record(books, mo, quantity, production_date, plan, body)
    production["_batch_id"] = batch_id
    books.productions[production["id"]] = production
    if body.get("is_final"):
        finish_order(books, mo, produced_so_far(books, mo["id"]), body.get("completed_date"))
    elif mo["status"] != "PARTIALLY_COMPLETED":
        set_mo_status(books, mo, "PARTIALLY_COMPLETED")
    books.touch(mo)
    books.emit("manufacturing_order.updated", mo)
    return production


def _production_batch(books: KatanaBooks, mo: dict, given: dict | None) -> int | None:
    product = books.item_of_variant(mo["variant_id"])
    if given is None:
        if product.get("batch_tracked"):
            raise unprocessable(".batch_transaction", "batch-tracked product: batch_transaction is required",
                                "required")
        return None
    batch = books.batches.get(given["batch_id"])
    if batch is None or batch["variant_id"] != mo["variant_id"]:
        raise unprocessable(".batch_transaction.batch_id",
                            f"batch {given['batch_id']} is not a batch of variant {mo['variant_id']}")
    return batch["id"]


def _production_record(books: KatanaBooks, mo: dict, quantity: Decimal, production_date: str,
                       plan: list[ingredients.Take], body: dict) -> dict:
    """Shaped like the readme-portal example for POST /manufacturing_order_productions."""
    production_id = books.next_id(books.productions, 8001)
    now = books.now()
    common = {"created_at": now, "updated_at": now, "deleted_at": None, "location_id": mo["location_id"],
              "production_date": production_date, "production_id": production_id}
    used = [  # `_batches`: where a tracked ingredient came from (the portal's example shows no such key)
        {**common, "id": 100 * production_id + index, "manufacturing_order_id": mo["id"],
         "manufacturing_order_recipe_row_id": take.row["id"], "variant_id": take.row["variant_id"],
         "quantity": take.amount, "cost": Decimal(0), "_batches": list(take.batches)}
        for index, take in enumerate(plan)
    ]
    operations = [
        {**common, "id": 100 * production_id + index, "manufacturing_order_id": mo["id"],
         "manufacturing_order_operation_id": int(op["manufacturing_order_operation_id"]),
         "time": qty(op["time"]), "cost": Decimal(0)}
        for index, op in enumerate(body.get("operations") or [])
    ]
    return {"id": production_id, "manufacturing_order_id": mo["id"], "quantity": quantity,
            "production_date": production_date, "ingredients": used, "operations": operations,
            "serial_numbers": [], "created_at": now, "updated_at": now, "deleted_at": None}


def delete_production(books: KatanaBooks, production_id: int) -> dict:
    """Undo a partial completion: the output leaves stock (and its batch); the ingredients it consumed come
    back, at the quantities and into the batches it took them from."""
    production = books.require(books.productions, production_id)
    if production["deleted_at"]:
        raise not_found()
    mo = books.manufacturing_orders[production["manufacturing_order_id"]]
    if mo["status"] == "DONE":
        raise unprocessable(".id", "the manufacturing order is DONE: reopen it before deleting a production")
    books.add_stock(mo["variant_id"], mo["location_id"], -production["quantity"])
    if production.get("_batch_id") is not None:
        books.add_batch_stock(production["_batch_id"], mo["location_id"], -production["quantity"])
    took = [ingredients.Take(books.recipe_rows[i["manufacturing_order_recipe_row_id"]], i["quantity"],
                             list(i.get("_batches") or [])) for i in production["ingredients"]]
    ingredients.consume(books, mo, took, sign=-1)
    production["deleted_at"] = production["updated_at"] = books.now()
    if produced_so_far(books, mo["id"]) == 0 and mo["status"] == "PARTIALLY_COMPLETED":
        set_mo_status(books, mo, "IN_PROGRESS")
    books.emit("manufacturing_order.updated", mo)
    return production


# --- PATCH /manufacturing_order_operation_rows/{id} -------------------------------------------------


def update_operation_row(books: KatanaBooks, row_id: int, body: dict) -> dict:
    row = books.require(books.operation_rows, row_id)
    _only_what_a_done_order_takes(books, row, body)
    for key in ("operation_id", "operation_name", "resource_id", "resource_name", "type"):
        if key in body:
            row[key] = body[key]
    for key in ("cost_parameter", "cost_per_hour", "planned_time_parameter", "planned_time_per_unit",
                "total_actual_time"):
        if key in body:
            row[key] = None if body[key] is None else qty(body[key])
    for key in ("assigned_operators", "completed_by_operators"):
        if key in body:
            row[key] = [books.operator_ref(given) for given in body[key]]
    if row["assigned_operators"]:
        row["active_operator_id"] = row["assigned_operators"][0]["operator_id"]
    if "status" in body and body["status"] != row["status"]:
        change_row_status(books, row, body["status"])
    books.touch(row)
    books.emit("manufacturing_order_operation_row.updated", row)
    return row


def _only_what_a_done_order_takes(books: KatanaBooks, row: dict, body: dict) -> None:
    """A DONE order's rows take operators and time only. Any other key is refused, even one that repeats the
    row's current value: whether Katana accepts that is not documented, and the stricter reading keeps a
    client from coming to depend on it."""
    mo = books.manufacturing_orders.get(row["manufacturing_order_id"])
    others = sorted(set(body) - DONE_ORDER_ROW_FIELDS)
    if mo is not None and mo["status"] == "DONE" and others:
        raise unprocessable(f".{others[0]}", f"manufacturing order {mo['id']} is DONE: only completed_by_operators "
                                             "and total_actual_time can be updated")


def change_row_status(books: KatanaBooks, row: dict, status: str) -> None:
    row["status"] = status
    row["completed_at"] = books.now() if status == "COMPLETED" else None
    if status in ROW_STATUS_EVENTS:
        books.emit(f"manufacturing_order_operation_row.{ROW_STATUS_EVENTS[status]}", row)
    mo = books.manufacturing_orders.get(row["manufacturing_order_id"])
    # Starting (or finishing) any operation puts a not-yet-started order into work.
    if mo and status in ("IN_PROGRESS", "COMPLETED") and mo["status"] in ("NOT_STARTED", "BLOCKED"):
        set_mo_status(books, mo, "IN_PROGRESS")
        books.touch(mo)
