"""What a manufacturing order is made of: its recipe rows, each ingredient's name and batch tracking, and
the batches of the tracked ones in stock at the order's location — what /cook shows and records.

Katana facts this module leans on (live-gateway.yaml, readme-portal.yaml, INTEGRATIONS.md):
- `GET /manufacturing_order_recipe_rows?manufacturing_order_id=` lists an order's ingredients with
  `planned_quantity_per_unit`; unknown filters are ignored, so the order id is checked here;
- recipe rows name a variant only: names, units and batch tracking come from `GET /variants` with
  `extend=product_or_material` (they rarely change, so they are kept for the life of the process);
- `GET /batch_stocks` is one row per batch and location (integrations.katana.stock).

A recipe is read when the cook task is made, off the floor's path, and remembered with the order
(models.order_memory), so the /cook form opens without a Katana call.
"""
from __future__ import annotations

from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field

from .client import KatanaClient
from .errors import KatanaError
from .models import Batch, RecipeRow
from .stock import Item, StockService

QUANTUM = Decimal("0.00001")  # Katana's smallest quantity


def planned_for(per_unit: Decimal, made: Decimal) -> Decimal:
    """What the plan takes for `made` units, to Katana's precision (never below its minimum)."""
    return max((per_unit * made).quantize(QUANTUM, rounding=ROUND_HALF_UP), QUANTUM).normalize()


class RecipeMemory(Protocol):
    """Where recipes are remembered with their order (models.order_memory)."""

    async def saw_recipe(self, mo_id: int, recipe: dict[str, Any], read_at: datetime) -> None: ...
    async def known_recipe(self, mo_id: int) -> dict[str, Any] | None: ...
    async def last_seen_recipe(self, mo_id: int) -> dict[str, Any] | None: ...


class StockedBatch(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    number: str
    in_stock: Decimal
    created: datetime | None = None
    expires: datetime | None = None


class Ingredient(BaseModel):
    model_config = ConfigDict(frozen=True)

    row_id: int
    variant_id: int
    name: str
    uom: str | None = None
    per_unit: Decimal  # planned quantity per unit made
    batch_tracked: bool = False
    batches: list[StockedBatch] = Field(default_factory=list)  # in stock at the order's location, when read

    def planned_for(self, made: Decimal) -> Decimal:
        return planned_for(self.per_unit, made)

    def likeliest_batches(self, need: Decimal) -> list[StockedBatch]:
        """Batches in the order a cook most likely took them: those that cover the need before those
        that do not; within each, the one expiring first, then the oldest (first in, first out)."""
        def rank(batch: StockedBatch) -> tuple[Any, ...]:
            far = datetime.max.replace(tzinfo=UTC)
            return (batch.in_stock < need, batch.expires or far, batch.created or far, batch.id)
        return sorted((b for b in self.batches if b.in_stock > 0), key=rank)


class Recipe(BaseModel):
    model_config = ConfigDict(frozen=True)

    mo_id: int
    location_id: int | None = None
    ingredients: list[Ingredient] = Field(default_factory=list)

    def row(self, row_id: int) -> Ingredient | None:
        return next((i for i in self.ingredients if i.row_id == row_id), None)


class RecipeService:
    def __init__(self, client: KatanaClient, memory_of: Any = None) -> None:
        self._client = client
        self._stock = StockService(client)
        self._items: dict[int, Item] = {}
        self._memory_of = memory_of  # an object whose `.memory` is the RecipeMemory (set by the app)

    @property
    def memory(self) -> RecipeMemory | None:
        return getattr(self._memory_of, "memory", None)

    async def read(self, mo_id: int, location_id: int | None) -> Recipe:
        """Rows, items and batches in stock from Katana, remembered with the order."""
        sent = datetime.now(UTC)
        rows = [RecipeRow.model_validate(r) for r in await self._client.get_all(
            "/manufacturing_order_recipe_rows", {"manufacturing_order_id": mo_id}, max_pages=4)]
        rows = [r for r in rows if r.manufacturing_order_id == mo_id and r.deleted_at is None]
        items = await self.items({r.variant_id for r in rows})
        ingredients = []
        for row in sorted(rows, key=lambda r: r.id):
            item = items.get(row.variant_id)
            tracked = bool(item and item.batch_tracked)
            batches = await self.batches(row.variant_id, location_id) if tracked and location_id else []
            ingredients.append(Ingredient(row_id=row.id, variant_id=row.variant_id,
                                          name=(item.name if item else "") or f"variant {row.variant_id}",
                                          uom=item.uom if item else None, per_unit=row.planned_quantity_per_unit,
                                          batch_tracked=tracked, batches=batches))
        recipe = Recipe(mo_id=mo_id, location_id=location_id, ingredients=ingredients)
        if self.memory is not None:
            await self.memory.saw_recipe(mo_id, recipe.model_dump(mode="json"), sent)
        return recipe

    async def known(self, mo_id: int) -> Recipe | None:
        """The recipe as read when its task was made, while nothing says the order changed since."""
        remembered = await self.memory.known_recipe(mo_id) if self.memory is not None else None
        return Recipe.model_validate(remembered) if remembered else None

    async def last_seen(self, mo_id: int) -> Recipe | None:
        """The recipe as last read, trusted or not: what the form suggests (the recording checks it)."""
        remembered = await self.memory.last_seen_recipe(mo_id) if self.memory is not None else None
        return Recipe.model_validate(remembered) if remembered else None

    async def items(self, variant_ids: set[int]) -> dict[int, Item]:
        missing = {v for v in variant_ids if v not in self._items}
        if missing:
            self._items.update(await self._stock.items(missing))
        return {v: self._items[v] for v in variant_ids if v in self._items}

    async def batches(self, variant_id: int, location_id: int) -> list[StockedBatch]:
        return [stocked(b) for b in await self._stock.batches_in_stock(variant_id, location_id)]

    async def find_batch(self, number: str, variant_id: int, location_id: int | None, *,
                         attempts: int | None = None) -> StockedBatch | None:
        """A batch of the ingredient by its number (as typed on the form), if Katana has it there (with stock:
        Katana lists empty batches only when asked to)."""
        query: dict[str, Any] = {"batch_number": number, "variant_id": variant_id}
        found = [Batch.model_validate(r) for r in await self._client.get_all("/batch_stocks", query, max_pages=4,
                                                                            attempts=attempts)]
        found = [b for b in found if b.batch_number == number and b.variant_id == variant_id
                 and (location_id is None or b.location_id == location_id)]
        return stocked(found[0]) if found else None


    async def batch_stock(self, batch_id: int, location_id: int, *, attempts: int | None = None) -> StockedBatch | None:
        """One batch's stock at a location now; None when Katana lists none there (getBatchStock leaves empty
        batches out unless `include_empty` is asked for, readme-portal.yaml)."""
        query = {"batch_id": batch_id, "location_id": location_id}
        listed = [Batch.model_validate(r) for r in await self._client.get_all("/batch_stocks", query, max_pages=1,
                                                                             attempts=attempts)]
        found = [b for b in listed if b.id == batch_id and b.location_id == location_id]
        if not found and any(b.id != batch_id for b in listed):  # the filter was ignored: one page proves nothing
            raise KatanaError("Katana's batch stock list did not keep to the batch asked for")
        return stocked(found[0]) if found else None


def stocked(batch: Batch) -> StockedBatch:
    return StockedBatch(id=batch.id, number=batch.batch_number, in_stock=batch.quantity_in_stock or Decimal(0),
                        created=batch.batch_created_date, expires=batch.expiration_date)
