"""What the kettle really used: the ingredient part of the /cook form, and what the production consumes.

The form (opened from a task) lists the MO's main ingredients, read with its recipe when the task was made
(integrations.katana.recipes, models.order_memory), each prefilled with the plan for the planned quantity.
A prefilled value left as it is means "as planned", for whatever quantity was cooked: a cook who followed
the recipe changes nothing, one who did not corrects one field. A batch-tracked ingredient asks for its
batch: the batches in stock when the task was made, likeliest first (those that cover the need, earliest
expiry, oldest) and preselected; none chosen is refused under that field, and so is one that no longer holds
what the cook takes (commands.batch_stock asks Katana on submit). Slack's limits hold for long
recipes: at most MAX_SHOWN ingredients get a field, the rest are consumed at plan and the form says so.

The recording sends every recipe row explicitly (what a list that leaves rows out consumes is not
documented): the entered quantities, the plan for the others; a tracked ingredient the form did not ask
about gets its likeliest batch from Katana's current stock, and the confirmation says the bot chose it.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from slack_sdk.models.blocks import Block, InputBlock, Option, StaticSelectElement

from commands import cards
from commands.facts import IngredientEntry, IngredientUsed, OrderFacts
from commands.fields import Form, read_quantity
from commands.forms import Prefill, code_input, quantity_input
from commands.mrkdwn import escape
from commands.plan import Result, StepContext, StepRefused, step
from integrations.katana.manufacturing import IngredientUse
from integrations.katana.recipes import Ingredient, Recipe, StockedBatch, planned_for

MAX_SHOWN = 12  # ingredients with their own field: ≤ 2 blocks each keeps the form far below Slack's 100
MAX_BATCHES = 10  # batches offered per ingredient (their ids travel in the 3000-char private_metadata)
QTY, BATCH = "ing_q_", "ing_b_"

Ctx = StepContext[OrderFacts]


def recipe_of(prefill: Prefill) -> Recipe | None:
    recipe = prefill.extra.get("recipe")
    return recipe if isinstance(recipe, Recipe) and recipe.ingredients else None


def made_of(prefill: Prefill) -> Decimal:
    """The quantity the form's plan figures are for: what the quantity field starts with."""
    return (prefill.task.planned_quantity if prefill.task else None) or Decimal(1)


def shown(recipe: Recipe) -> list[Ingredient]:
    """The main ingredients, in recipe order: every batch-tracked one (it needs its batch) first claims a
    field, then the others in the planner's order."""
    tracked = [i for i in recipe.ingredients if i.batch_tracked][:MAX_SHOWN]
    rest = [i for i in recipe.ingredients if not i.batch_tracked][:MAX_SHOWN - len(tracked)]
    chosen = {i.row_id for i in [*tracked, *rest]}
    return [i for i in recipe.ingredients if i.row_id in chosen]


def amount(value: Decimal, uom: str | None) -> str:
    return f"{value:f} {uom}".strip() if uom else f"{value:f}"


def blocks(prefill: Prefill) -> list[Block]:
    recipe = recipe_of(prefill)
    if recipe is None:
        return []
    made, fields = made_of(prefill), shown(recipe)
    found: list[Block] = [cards.note(f"*Ingredients* — filled in with the plan for {made:f}. Left as they are, "
                                     "they follow the quantity cooked: change only what you used differently.")]
    for ingredient in fields:
        found += ingredient_blocks(ingredient, made)
    others = [i for i in recipe.ingredients if i not in fields]
    if others:
        listed = ", ".join(escape(i.name) for i in others[:8]) + (f" and {len(others) - 8} more"
                                                                         if len(others) > 8 else "")
        found.append(cards.note(f"Also used, at plan (correct them in Katana if needed): {listed}."))
    return found


def ingredient_blocks(ingredient: Ingredient, made: Decimal) -> list[InputBlock]:
    planned = ingredient.planned_for(made)
    label = f"{ingredient.name} ({ingredient.uom})" if ingredient.uom else ingredient.name
    found = [quantity_input(f"{QTY}{ingredient.row_id}", label[:150], initial=planned,
                            hint=f"Plan: {amount(planned, ingredient.uom)} for {made:f}")]
    if ingredient.batch_tracked:
        found.append(batch_input(ingredient, planned))
    return found


def batch_input(ingredient: Ingredient, need: Decimal) -> InputBlock:
    block_id, label = f"{BATCH}{ingredient.row_id}", f"{ingredient.name} — batch used"[:150]
    batches = ingredient.likeliest_batches(need)[:MAX_BATCHES]
    if not batches:  # none in stock when the task was made: the number on the container
        return code_input(block_id, label, placeholder="Batch number on the container")
    options = [Option(value=str(b.id), text=batch_text(b, ingredient.uom)) for b in batches]
    return InputBlock(block_id=block_id, label=label, hint="Katana needs the batch of a batch-tracked ingredient.",
                      element=StaticSelectElement(action_id=block_id, options=options, initial_option=options[0]))


def batch_text(batch: StockedBatch, uom: str | None) -> str:
    expiry = f" · best before {batch.expires:%Y-%m-%d}" if batch.expires else ""
    return f"{batch.number} · {amount(batch.in_stock.normalize(), uom)} in stock{expiry}"[:75]


def metadata(prefill: Prefill) -> dict[str, Any]:
    """What reading the form needs back: the quantity the plan figures are for, and per field its row, plan
    per unit and the batches offered (None: not tracked; []: a typed batch number)."""
    recipe = recipe_of(prefill)
    if recipe is None:
        return {}
    made = made_of(prefill)
    rows = [[i.row_id, str(i.per_unit),
             [b.id for b in i.likeliest_batches(i.planned_for(made))[:MAX_BATCHES]] if i.batch_tracked else None]
            for i in shown(recipe)]
    return {"ing": {"mo": prefill.mo_id, "for": str(made), "rows": rows}}


def same_order(form: Form, mo_id: int | None) -> None:
    """The ingredient fields are the recipe of the MO the form was opened on: chosen another MO (the order
    field offers every open one), they are not that MO's, so the choice is refused at the order field."""
    context = form.context.get("ing")
    if isinstance(context, dict) and context.get("mo") and mo_id is not None and mo_id != context.get("mo"):
        form.errors.add("mo", "This form's ingredients are for the task's MO. To record another MO, close "
                              "this form and type /cook with that MO's number.")


def read(form: Form) -> list[dict[str, Any]]:
    """The cook's entries, checked: a quantity only where it differs from the prefilled plan."""
    context = form.context.get("ing")
    if not isinstance(context, dict):
        return []
    made = read_quantity(str(context.get("for") or "1"))[1] or Decimal(1)
    entries = []
    for row in context.get("rows") or []:
        try:
            row_id, per_unit, batches = int(row[0]), Decimal(str(row[1])), row[2]
        except (TypeError, ValueError, IndexError, ArithmeticError):
            continue  # a crafted modal: only the rows the bot put there are read
        entries.append(read_entry(form, row_id, made, per_unit, batches))
    return [e for e in entries if e]


def read_entry(form: Form, row_id: int, made: Decimal, per_unit: Decimal, batches: Any) -> dict[str, Any]:
    used = form.quantity(f"{QTY}{row_id}", "quantity used", allow_zero=True)
    if used is not None and used == 0:  # Katana's ProductionIngredientDto: quantity "not 0" (live-gateway.yaml)
        form.errors.add(f"{QTY}{row_id}", "Katana cannot book 0 of an ingredient: enter the smallest amount used, "
                                          "or ask a supervisor to take it off this MO's recipe in Katana first.")
        used = None
    prefilled = planned_for(per_unit, made)
    entry: dict[str, Any] = {"row_id": row_id}
    if used is not None and used != prefilled:
        entry["quantity"] = used
    if isinstance(batches, list) and batches:
        chosen = form.raw(f"{BATCH}{row_id}")
        if not chosen:
            form.errors.add(f"{BATCH}{row_id}", "Choose the batch you took it from: Katana needs it.")
        elif str(chosen) not in {str(b) for b in batches}:
            form.errors.add(f"{BATCH}{row_id}", "That batch is not offered any more: choose one from the list.")
        else:
            entry["batch_id"] = int(str(chosen))
    elif isinstance(batches, list):
        entry["batch_number"] = form.code(f"{BATCH}{row_id}", "batch number")
    return entry if len(entry) > 1 else {}


# ---- the recording -------------------------------------------------------------------------------

@step("plan_ingredients", "", joins=True)
async def plan_ingredients(ctx: Ctx) -> Result:
    """Every recipe row's quantity and batch for the production, before anything is written. A read that
    runs beside load_order: from a task, the recipe and the order are remembered, so it asks Katana nothing."""
    facts = ctx.facts
    if facts.quantity is None:
        raise StepRefused("No quantity was given.")
    recipe = await ctx.katana.recipes.known(facts.mo_id)
    if recipe is None:
        order = await ctx.katana.manufacturing.known_order(facts.mo_id)
        recipe = await ctx.katana.recipes.read(facts.mo_id, order.location_id)
    entries = {e.row_id: e for e in facts.ingredients}
    if set(entries) - {i.row_id for i in recipe.ingredients}:
        raise StepRefused(f"The ingredients of {facts.order} changed in Katana since the form was opened: "
                          "open the form again.")
    used = [await consumed(ctx, recipe, i, entries.get(i.row_id), facts.quantity) for i in recipe.ingredients]
    return {"used": [u.model_dump(mode="json") for u in used]}


async def consumed(ctx: Ctx, recipe: Recipe, ingredient: Ingredient, entry: IngredientEntry | None,
                   made: Decimal) -> IngredientUsed:
    planned = ingredient.planned_for(made)
    used = entry.quantity if entry is not None and entry.quantity is not None else planned
    found = IngredientUsed(row_id=ingredient.row_id, variant_id=ingredient.variant_id, name=ingredient.name,
                           uom=ingredient.uom, planned=planned, quantity=used)
    if not ingredient.batch_tracked:
        return found
    batch, picked = await batch_of(ctx, recipe, ingredient, entry, used)
    return found.model_copy(update={"batch_id": batch.id, "batch_number": batch.number, "batch_picked": picked})


async def batch_of(ctx: Ctx, recipe: Recipe, ingredient: Ingredient, entry: IngredientEntry | None,
                   need: Decimal) -> tuple[StockedBatch, bool]:
    recipes, location = ctx.katana.recipes, recipe.location_id
    if entry is not None and entry.batch_id is not None:
        known = next((b for b in ingredient.batches if b.id == entry.batch_id), None)
        number = entry.batch_number or f"#{entry.batch_id}"  # typed, and found by the form's check
        return known or StockedBatch(id=entry.batch_id, number=number, in_stock=Decimal(0)), False
    if entry is not None and entry.batch_number:
        typed = await recipes.find_batch(entry.batch_number, ingredient.variant_id, location)
        if typed is None:
            raise StepRefused(f"Katana has no batch {entry.batch_number} of {ingredient.name} here: check the label.")
        return typed, False
    fresh = Ingredient(**{**ingredient.model_dump(), "batches": await recipes.batches(ingredient.variant_id,
                                                                                      int(location or 0))})
    likeliest = fresh.likeliest_batches(need)
    if not likeliest:
        raise StepRefused(f"No batch of {ingredient.name} is in stock in Katana: record it from the cook task "
                          "with the batch number on the container.")
    return likeliest[0], True


def uses(facts: OrderFacts) -> list[IngredientUse]:
    """What record_production sends: every row, tracked ones with the batch they came from."""
    return [IngredientUse(u.row_id, u.quantity, ((u.batch_id, u.quantity),) if u.batch_id else ())
            for u in facts.used]


# ---- the words ------------------------------------------------------------------------------------

def differences(facts: OrderFacts) -> str | None:
    """"Olive oil 1.5 l (plan 1.18)" for each ingredient used differently — also read by the yield alert."""
    changed = [f"{u.name} {amount(u.quantity, u.uom)} (plan {u.planned:f})" for u in facts.used if u.differs]
    return "used " + "; ".join(changed) if changed else None


def batches_fact(facts: OrderFacts) -> str | None:
    """Which batches the tracked ingredients came from, and which the bot had to choose."""
    named = [f"{u.name} from {u.batch_number}" + (" (chosen by the bot: the form did not ask)" if u.batch_picked
                                                   else "") for u in facts.used if u.batch_id]
    return ", ".join(named) if named else None
