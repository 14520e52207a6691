"""The list of open manufacturing orders offered in the modals.

Cached briefly so a /cook typed right after another opens its form at once (trigger ids die in
3 s and Katana allows 60 calls a minute); Katana's MO webhooks invalidate it.

While the list is in use it is read again in the background once it is REFRESH_AFTER seconds old, and
served meanwhile: it never runs out under a shift's steady /cook. When it did, every /cook arriving
during the re-read opened a "Loading…" modal and updated it after (twice the Slack calls, and a Katana
read), a burst every 30 s that showed as the bot's p99 ack in one benchmark round and not the next
(bench row 1). A list left unused for `ttl` still expires, and an invalidated one is read in the
foreground as before.
"""
from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from integrations.katana import Katana, KatanaError
from integrations.keyed import BoundedCache

log = logging.getLogger(__name__)

MAX_CHOICES = 100  # a Slack static_select holds at most 100 options
REFRESH_AFTER = 20.0  # seconds: a list in use this old is read again in the background (ttl: 30 s)
SKUS_KEPT = 5000  # variants remembered by SKU (more than a kitchen makes; the oldest are read again)


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
    def __init__(self, katana: Katana, *, ttl: float = 30.0, clock: Callable[[], float] = time.monotonic,
                 skus_kept: int = SKUS_KEPT):
        self.katana, self.ttl, self.clock = katana, ttl, clock
        self._choices: list[OrderChoice] | None = None
        self._fetched_at = 0.0
        self._generation = 0  # bumped by invalidate(): a read begun before it is not fresh
        self._refreshing: asyncio.Task[None] | None = None
        self.skus: BoundedCache[int, str] = BoundedCache(skus_kept)
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
        """The cached list if still fresh, without calling Katana (it may start a background re-read)."""
        age = self.clock() - self._fetched_at
        if self._choices is None or age >= self.ttl:
            return None
        if age >= min(REFRESH_AFTER, self.ttl) and (self._refreshing is None or self._refreshing.done()):
            self._refreshing = asyncio.get_running_loop().create_task(self._refresh(), name="open orders")
        return self._choices

    def invalidate(self) -> None:
        self._choices = None
        self._generation += 1

    async def _refresh(self) -> None:
        try:
            async with self._loading:
                if self.clock() - self._fetched_at >= min(REFRESH_AFTER, self.ttl):  # nobody read it meanwhile
                    await self._load()
        except KatanaError as exc:
            log.warning("open orders not refreshed (%s); the cached list is used until it expires", exc)

    async def choices(self) -> list[OrderChoice]:
        """The open MOs to offer: the cached list while fresh, else one read for everyone waiting."""
        async with self._loading:
            cached = self.peek()
            if cached is not None:
                return cached
            return await self._load()

    async def _load(self) -> list[OrderChoice]:
        generation, started = self._generation, self.clock()
        orders = await self.katana.manufacturing.open_orders(limit=MAX_CHOICES)
        await self._learn_skus({o.variant_id for o in orders if o.variant_id is not None})
        choices = [OrderChoice(o.id, o.order_no, self.skus.get(o.variant_id or 0),
                               o.planned_quantity, o.status) for o in orders][:MAX_CHOICES]
        if choices == self._choices:  # unchanged: the same list object, so the forms built from it are kept
            choices = self._choices
        if generation == self._generation:  # else an MO changed while reading: serve it, but not as fresh
            self._choices, self._fetched_at = choices, started
        return choices

    async def sku(self, variant_id: int) -> str | None:
        """A variant's SKU for a task card: remembered like the list's, else one Katana read. Every MO
        event named its variant, and reading it each time spent a call of the budget per event."""
        await self._learn_skus({variant_id})
        return self.skus.get(variant_id)

    async def _learn_skus(self, variant_ids: set[int]) -> None:
        # SKUs rarely change: fetch only the variants we have not seen, in one paged call.
        missing = sorted(v for v in variant_ids if v not in self.skus)
        if not missing:
            return
        for variant in await self.katana.client.get_all("/variants", {"ids": missing}):
            if variant.get("id") in missing and variant.get("sku"):
                self.skus.put(int(variant["id"]), str(variant["sku"]))
