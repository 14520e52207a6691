"""Before a /cook is saved: do the ingredient batches the form names still hold what this cook takes?

The form offers the batches that had stock when the cook task was made (commands.ingredients). By the time
the cook records, one may be empty (another kettle took it, a stock count corrected it): Katana then refuses
the production, but only after the bot has noted the MO and created the output batch, and the supervisors
get the action to decide. So the submission first asks Katana for each named batch's stock at the MO's
location; a batch that holds less than this cook takes is refused under its own field, saying how much is
left, how much is needed and what to do, and nothing is saved or written.

Advice, not a guarantee:
- stock can change between this read and the production: Katana's refusal stays the backstop, and the
  recording's path is as it was;
- the read happens before Slack's 3 s ack: one attempt per batch, all at once, at most CHECK_SECONDS, and
  none when the process's Katana budget has no room right now. A read that fails, is late or cannot be
  trusted lets the cook through as before: a spurious "empty" would stop the floor, Katana's refusal does not;
- Katana calls: one `GET /batch_stocks?batch_id=&location_id=` per batch chosen from the form's list (none
  when the recipe has no batch-tracked ingredient); a typed batch number is looked up by
  `?batch_number=&variant_id=`, which the recording then need not repeat (its id goes with the action).
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from commands.context import Floor
from commands.fields import Form
from commands.ingredients import BATCH, amount
from integrations.katana.recipes import Ingredient, Recipe, RecipeService, StockedBatch

log = logging.getLogger(__name__)

CHECK_SECONDS = 1.5  # of Slack's 3 s for the ack: the rest is the bot's own work and the network
UNKNOWN = object()  # a read that failed: no answer, not "empty"


@dataclass(frozen=True)
class Take:
    """What this cook takes from one batch: the rows (fields) that name it, the ingredient and how much."""

    row_ids: tuple[int, ...]
    ingredient: Ingredient
    need: Decimal
    batch_id: int | None = None
    typed: str | None = None  # the number typed when the form had no batch in stock to offer


async def check_batches(floor: Floor, form: Form, data: dict[str, Any]) -> None:
    """Field errors for batches holding less than this cook takes; nothing when that cannot be known in time."""
    recipe = await floor.katana.recipes.last_seen(data["mo_id"]) if data.get("ingredients") else None
    if recipe is None or recipe.location_id is None or data.get("quantity") is None:
        return
    takes = batch_takes(recipe, data["ingredients"], data["quantity"])
    if not takes or not floor.katana.client.limiter.has_room():
        return
    try:
        async with asyncio.timeout(CHECK_SECONDS):
            found = await asyncio.gather(*(held(floor.katana.recipes, t, recipe.location_id) for t in takes))
    except TimeoutError:
        log.info("/cook batch check: Katana did not answer within %.1f s; recorded unchecked", CHECK_SECONDS)
        return
    for take, batch in zip(takes, found, strict=True):
        judge(form, data["ingredients"], take, batch)


def batch_takes(recipe: Recipe, entries: list[dict[str, Any]], made: Decimal) -> list[Take]:
    """Per batch the form names, what the production will take from it: the entered quantity, else the plan
    for the quantity cooked (as commands.ingredients.consumed computes it)."""
    takes: dict[tuple[Any, ...], Take] = {}
    for entry in entries:
        ingredient = recipe.row(entry["row_id"])
        if ingredient is None or not (entry.get("batch_id") or entry.get("batch_number")):
            continue  # a row changed since the form opened: the recording refuses it
        need = entry.get("quantity") or ingredient.planned_for(made)
        key = ("id", entry["batch_id"]) if entry.get("batch_id") else ("typed", ingredient.variant_id,
                                                                      entry["batch_number"])
        known = takes.get(key)
        takes[key] = Take((*known.row_ids, ingredient.row_id) if known else (ingredient.row_id,), ingredient,
                          need + (known.need if known else 0), entry.get("batch_id"), entry.get("batch_number"))
    return list(takes.values())


async def held(recipes: RecipeService, take: Take, location_id: int) -> Any:
    """The batch as Katana holds it at the location now (None: none there), or UNKNOWN."""
    try:
        if take.batch_id is not None:
            return await recipes.batch_stock(take.batch_id, location_id, attempts=1)
        return await recipes.find_batch(str(take.typed), take.ingredient.variant_id, location_id, attempts=1)
    except Exception as exc:  # noqa: BLE001 — advice only: any failure lets the cook through, as before
        log.info("/cook batch check: batch %s not read (%s); recorded unchecked", take.batch_id or take.typed, exc)
        return UNKNOWN


def judge(form: Form, entries: list[dict[str, Any]], take: Take, batch: Any) -> None:
    if batch is UNKNOWN:
        return
    name = take.ingredient.name[:60]
    if batch is None and take.typed is not None:
        for row_id in take.row_ids:
            form.errors.add(f"{BATCH}{row_id}", f"Katana has no batch {take.typed} of {name} in stock at this MO's "
                                                f"location: check the number on the container.")
        return
    left = batch.in_stock if isinstance(batch, StockedBatch) else Decimal(0)
    if left >= take.need:
        if take.typed is not None:  # found: the recording need not look it up again
            for entry in entries:
                if entry["row_id"] in take.row_ids:
                    entry["batch_id"] = batch.id
        return
    number = batch.number if isinstance(batch, StockedBatch) else offered_number(take)
    for row_id in take.row_ids:
        form.errors.add(f"{BATCH}{row_id}", short_text(take, number, left, name))


def offered_number(take: Take) -> str:
    """The number of a batch Katana no longer lists here, as the form offered it."""
    return next((b.number for b in take.ingredient.batches if b.id == take.batch_id), f"#{take.batch_id}")


def short_text(take: Take, number: str, left: Decimal, name: str) -> str:
    """Plain text (a field error): what was typed in Katana is shown as typed, never parsed."""
    uom, what = take.ingredient.uom, "Type" if take.typed is not None else "Choose"
    held_now = (f"Batch {number} is empty in Katana" if left <= 0 else
                f"Batch {number} has only {amount(left.normalize(), uom)} left in Katana")
    return (f"{held_now}; this cook takes {amount(take.need, uom)} of {name}. {what} the batch you took it from. "
            f"If it was {number}, ask a supervisor to correct its stock in Katana first.")
