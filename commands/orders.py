"""The open orders the order fields offer, from the store (models.open_orders), never from Katana per form.

A form opened without a task shows the kind's open orders as a plain select when they fit in one
(Slack: ≤ 100 options), else a type-ahead select whose options the search answers (bot/listeners/
options.py). The form itself depends only on the list's version in the store, so each replica builds it
once per version (bench row 1: rebuilding the same modal was half the bot's CPU per /cook) and a /cook
costs one keyed read of the store. Only the very first form of a kind, before anything was loaded,
waits for Katana (commands.order_sync), behind a "Loading…" modal.
"""
from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from typing import Any

from commands.order_sync import OrderSync, Variants
from integrations.katana import Katana
from models.open_orders import KINDS, Found, Kind, OpenOrder, OpenOrderRepository, search_key, seen

MAX_CHOICES = 100  # a Slack static_select holds at most 100 options; more → type-ahead
CLOSEST = 5  # matches named when a typed order number is not open


@dataclass(frozen=True)
class OrderList:
    """What an order field offers: every open order (short list), or a search (`choices` None)."""

    kind: Kind
    version: int
    choices: list[OpenOrder] | None

    @property
    def searchable(self) -> bool:
        return self.choices is None


class OpenOrders:
    def __init__(self, katana: Katana, repo: OpenOrderRepository, *, max_choices: int = MAX_CHOICES) -> None:
        self.repo = repo
        self.variants = Variants(katana)
        self.sync = OrderSync(katana, repo, self.variants)
        self.max_choices = max_choices
        self._lists: dict[Kind, OrderList] = {}
        self._forms: dict[tuple[Kind, int], dict[Any, Any]] = {}
        self._loading = {kind: asyncio.Lock() for kind in KINDS}  # one load per process, the others wait

    async def current(self, kind: Kind) -> OrderList | None:
        """The kind's list as the store has it now (one keyed read while it is unchanged); None until loaded."""
        state = await self.repo.state(kind)
        if seen(state, "loaded_at") is None:
            return None
        version = int(state.get("version") or 0)
        known = self._lists.get(kind)
        if known is not None and known.version == version:
            return known
        count = await self.repo.count(kind)
        choices = await self.repo.all_open(kind, self.max_choices) if count <= self.max_choices else None
        if choices is not None:
            choices.sort(key=due_then_number)
        self._lists[kind] = fresh = OrderList(kind, version, choices)
        self._forms = {key: forms for key, forms in self._forms.items() if key[0] != kind or key[1] == version}
        return fresh

    async def loaded(self, kind: Kind) -> OrderList | None:
        """`current`, loading the kind from Katana first if the store has never had it."""
        listed = await self.current(kind)
        if listed is not None:
            return listed
        async with self._loading[kind]:
            await self.sync.ensure_loaded(kind)
        return await self.current(kind)

    def forms_for(self, listed: OrderList) -> dict[Any, Any]:
        """Forms built from this version of the list (commands.flow); a new version starts afresh."""
        return self._forms.setdefault((listed.kind, listed.version), {})

    async def search(self, kind: Kind, typed: str) -> list[Found]:
        return await self.repo.search(kind, typed)

    async def find(self, kind: Kind, typed: str) -> tuple[OpenOrder | None, list[Found]]:
        """`/cook MO-1399`: the open order with that number, else (None, the closest matches)."""
        exact = await self.repo.by_number(kind, typed)
        if exact is not None:
            return exact, []
        return None, await self.closest(kind, typed)

    async def closest(self, kind: Kind, typed: str) -> list[Found]:
        """Orders containing what was typed, else its number's digits, else their first digits (neighbours)."""
        digits = max(re.findall(r"\d+", typed), key=len, default="")
        for attempt in (typed, digits, digits[:-1], digits[:-2]):
            if attempt and (found := await self.repo.search(kind, attempt, limit=CLOSEST)):
                return found
        return []

    async def is_open(self, kind: Kind, order_id: int) -> bool:
        return await self.repo.get(kind, order_id) is not None

    async def get(self, kind: Kind, order_id: int) -> OpenOrder | None:
        return await self.repo.get(kind, order_id)

    async def sku(self, variant_id: int) -> str | None:
        """A variant's SKU for a task card: remembered, else one Katana read (with the others unknown)."""
        await self.variants.learn([variant_id])
        return self.variants.sku(variant_id)


def due_then_number(order: OpenOrder) -> tuple[Any, ...]:
    """The short list: soonest due first (none last), then by number as people read it (MO-9 before MO-10)."""
    number = search_key(order.order_no)
    digits = "".join(ch for ch in number if ch.isdigit())
    return (order.due is None, order.due.timestamp() if order.due else 0.0, len(digits), number)

