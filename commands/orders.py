"""The list of open manufacturing orders offered in the modals.

Cached briefly so a /cook typed right after another opens its form at once (trigger ids die in
3 s and Katana allows 60 calls a minute); Katana's MO webhooks invalidate it.
"""
from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from integrations.katana import Katana

MAX_CHOICES = 100  # a Slack static_select holds at most 100 options


@dataclass(frozen=True)
class OrderChoice:
    mo_id: int
    order_no: str
    sku: str | None
    planned_quantity: Decimal
    status: str

    @property
    def label(self) -> str:
        parts = [self.order_no, self.sku, f"{self.planned_quantity:f} planned"]
        return " · ".join(p for p in parts if p)[:75]  # option text limit is 75 chars


class OpenOrders:
    def __init__(self, katana: Katana, *, ttl: float = 30.0, clock: Callable[[], float] = time.monotonic):
        self.katana, self.ttl, self.clock = katana, ttl, clock
        self._choices: list[OrderChoice] | None = None
        self._fetched_at = 0.0
        self._skus: dict[int, str] = {}
        # (bench, issue 6) one Katana read for everyone who opens a form while the list is loading:
        # 50 people typing /cook at shift start spent 250 calls (4 minutes of the budget) on one list.
        self._loading = asyncio.Lock()
        self._forms: tuple[list[OrderChoice], dict[Any, Any]] | None = None

    def forms_for(self, choices: list[OrderChoice]) -> dict[Any, Any]:
        """Forms built from this very list (commands.flow.list_form); a reloaded list starts afresh."""
        if self._forms is None or self._forms[0] is not choices:
            self._forms = (choices, {})
        return self._forms[1]

    def peek(self) -> list[OrderChoice] | None:
        """The cached list if still fresh, without calling Katana."""
        if self._choices is not None and self.clock() - self._fetched_at < self.ttl:
            return self._choices
        return None

    def invalidate(self) -> None:
        self._choices = None

    async def choices(self) -> list[OrderChoice]:
        """The open MOs to offer: the cached list while fresh, else one read for everyone waiting."""
        async with self._loading:
            cached = self.peek()
            if cached is not None:
                return cached
            return await self._load()

    async def _load(self) -> list[OrderChoice]:
        orders = await self.katana.manufacturing.open_orders(limit=MAX_CHOICES)
        await self._learn_skus({o.variant_id for o in orders if o.variant_id is not None})
        self._choices = [OrderChoice(o.id, o.order_no, self._skus.get(o.variant_id or 0),
                                     o.planned_quantity, o.status) for o in orders][:MAX_CHOICES]
        self._fetched_at = self.clock()
        return self._choices

    async def sku(self, variant_id: int) -> str | None:
        """A variant's SKU for a task card: remembered like the list's, else one Katana read. Every MO
        event named its variant, and reading it each time spent a call of the budget per event."""
        await self._learn_skus({variant_id})
        return self._skus.get(variant_id)

    async def _learn_skus(self, variant_ids: set[int]) -> None:
        # SKUs rarely change: fetch only the variants we have not seen, in one paged call.
        missing = sorted(v for v in variant_ids if v not in self._skus)
        if not missing:
            return
        for variant in await self.katana.client.get_all("/variants", {"ids": missing}):
            if variant.get("id") in missing and variant.get("sku"):
                self._skus[int(variant["id"])] = str(variant["sku"])
