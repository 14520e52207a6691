"""What a production or a finished MO takes out of stock: each recipe row's quantity, and for batch-tracked
ingredients from which batches.

From Katana's docs:
- a partial completion consumes the ingredients "based on planned quantities" (support 5914349, 5914314);
  the API's `ingredients[]` (CompletePartiallyMoDto, live-gateway.yaml) says what each recipe row really
  used, with `batch_transactions` for tracked ones; without `ingredients` the plan is consumed;
- with batch tracking, "add batch numbers for all the consumed ingredients with the respective quantities"
  (support 5914314), and an MO with batch-tracked ingredients is not completed until batches are assigned
  to all tracked items (support 5914331).
ASSUMPTIONS (undocumented, kept strict so a careless client fails here rather than on a real account):
an `ingredients` list covers every recipe row of the order, once (what a missing row consumes is not
documented); a tracked row's batches cover its whole quantity (the documented rule for stock adjustment
rows); an untracked row names no batch; a batch cannot go below zero (as in katana_trade.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .katana_http import qty, unprocessable
from .katana_state import KatanaBooks


@dataclass
class Take:
    """One recipe row's consumption: the row, the quantity, and (batch id, quantity) pairs."""

    row: dict
    amount: Decimal
    batches: list[tuple[int, Decimal]] = field(default_factory=list)


def recipe_of(books: KatanaBooks, mo: dict) -> list[dict]:
    rows = [r for r in books.recipe_rows.values() if r["manufacturing_order_id"] == mo["id"] and not r["deleted_at"]]
    return sorted(rows, key=lambda r: r["id"])


def tracked(books: KatanaBooks, row: dict) -> bool:
    return bool(books.item_of_variant(row["variant_id"]).get("batch_tracked"))


def planned_takes(books: KatanaBooks, mo: dict, made: Decimal, *, where: str,
                  pick_batches: bool = False) -> list[Take]:
    """The plan for `made` units. A tracked ingredient needs its batches named: refused, unless a person in
    Katana's app is picking them (`pick_batches`: first in, first out)."""
    takes = []
    for row in recipe_of(books, mo):
        take = Take(row, row["planned_quantity_per_unit"] * made)
        if tracked(books, row) and take.amount > 0:
            if not pick_batches:
                raise unprocessable(where, f"recipe row {row['id']} is batch-tracked: give the batches it was "
                                           "taken from", "required")
            take.batches = _first_in_first_out(books, row["variant_id"], mo["location_id"], take.amount)
        takes.append(take)
    return takes


def given_takes(books: KatanaBooks, mo: dict, given: list[dict]) -> list[Take]:
    """`ingredients[]` of a production, checked against the order's recipe and the batches' stock."""
    by_id = {r["id"]: r for r in recipe_of(books, mo)}
    takes: dict[int, Take] = {}
    for index, item in enumerate(given):
        where = f".ingredients[{index}]"
        row = by_id.get(int(item["manufacturing_order_recipe_row_id"]))
        if row is None or row["id"] in takes:
            raise unprocessable(f"{where}.manufacturing_order_recipe_row_id",
                                f"recipe row {item['manufacturing_order_recipe_row_id']} is not on order "
                                f"{mo['id']} (or is given twice)")
        takes[row["id"]] = Take(row, qty(item["quantity"]), _batches(books, mo, row, item, where))
    left_out = sorted(set(by_id) - set(takes))
    if left_out:
        raise unprocessable(".ingredients", f"recipe rows {left_out} of order {mo['id']} are missing: give every "
                                            "row, or none to consume the plan", "required")
    return list(takes.values())


def _batches(books: KatanaBooks, mo: dict, row: dict, item: dict, where: str) -> list[tuple[int, Decimal]]:
    given = item.get("batch_transactions") or []
    if not tracked(books, row):
        if given:
            raise unprocessable(f"{where}.batch_transactions", f"variant {row['variant_id']} is not batch-tracked")
        return []
    chosen = []
    for index, each in enumerate(given):
        batch = books.batches.get(int(each["batch_id"]))
        if batch is None or batch["variant_id"] != row["variant_id"]:
            raise unprocessable(f"{where}.batch_transactions[{index}].batch_id",
                                f"batch {each['batch_id']} is not a batch of variant {row['variant_id']}")
        chosen.append((batch["id"], qty(each["quantity"])))
    if sum((q for _, q in chosen), Decimal(0)) != qty(item["quantity"]):
        raise unprocessable(f"{where}.batch_transactions", "batch-tracked ingredient: its batches must cover the "
                                                           "whole quantity", "required")
    return chosen


def check_stock(books: KatanaBooks, location_id: int, takes: list[Take], where: str) -> None:
    needed: dict[int, Decimal] = {}
    for take in takes:
        for batch_id, amount in take.batches:
            needed[batch_id] = needed.get(batch_id, Decimal(0)) + amount
    for batch_id, amount in needed.items():
        if books.batch_stock(batch_id, location_id)["quantity_in_stock"] < amount:
            raise unprocessable(where, f"batch {batch_id} has less than {amount} in stock at location {location_id}")


def consume(books: KatanaBooks, mo: dict, takes: list[Take], sign: int = 1) -> None:
    """Take the ingredients out of stock (sign −1: put them back, as deleting a production does)."""
    for take in takes:
        take.row["total_actual_quantity"] += sign * take.amount
        books.add_stock(take.row["variant_id"], mo["location_id"], -sign * take.amount)
        for batch_id, amount in take.batches:
            books.add_batch_stock(batch_id, mo["location_id"], -sign * amount)


def _first_in_first_out(books: KatanaBooks, variant_id: int, location_id: int, need: Decimal) -> list[tuple[int, Decimal]]:
    stocks = sorted((s for s in books.batch_stocks.values() if s["variant_id"] == variant_id
                     and s["location_id"] == location_id and s["quantity_in_stock"] > 0),
                    key=lambda s: (books.batches[s["batch_id"]]["batch_created_date"], s["batch_id"]))
    chosen, left = [], need
    for stock in stocks:
        if left <= 0:
            break
        amount = min(left, stock["quantity_in_stock"])
        chosen.append((stock["batch_id"], amount))
        left -= amount
    if left > 0:
        raise unprocessable(".status", f"not enough of variant {variant_id} in its batches for the app to pick")
    return chosen
