"""Manufacturing orders, their operation rows and productions — what /cook and /pack record.

Katana facts this module leans on (docs/INTEGRATIONS.md):
- unknown query filters are silently ignored, so every filtered list is re-checked here;
- a PATCH of a manufacturing order that omits `additional_info` wipes it, so writes echo the current
  text and are serialised per order (across replicas: `locks`). The current text is read first, unless
  a read or write at most NOTE_ECHO ago returned it, nothing announced a change since, and it shows the
  bot's own last write of the order (a read sent while that write was on its way may not: `memory`,
  models.order_memory);
- operation times are seconds; date-times go out as ISO 8601 with an explicit offset.
"""
from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, Protocol

from models.leases import KeyedLocks, ProcessLocks

from .client import KatanaClient, iso
from .errors import KatanaNotFound, KatanaOutcomeUnknown, KatanaRejected
from .models import (
    MO_STATUSES,
    OPERATION_STATUSES,
    Batch,
    ManufacturingOrder,
    OperationRow,
    Operator,
    OperatorRef,
    Production,
)

OPEN_MO_STATUSES = tuple(s for s in MO_STATUSES if s != "DONE")
OPERATORS_CACHE_SECONDS = 600.0
# A read of the order this recent stands for the read right before its notes are rewritten: /cook reads the
# order before its first write, then notes it at once (a round trip later), so one read does for both. Older,
# or with a change announced since, the order is read again: a note typed in Katana must survive.
NOTE_ECHO = timedelta(seconds=2)


@dataclass(frozen=True)
class IngredientUse:
    """What one recipe row really consumed in a production, and from which batches (ProductionIngredientDto)."""

    row_id: int
    quantity: Decimal
    batches: tuple[tuple[int, Decimal], ...] = ()  # (batch id, quantity) of a batch-tracked ingredient

    def to_dto(self) -> dict[str, Any]:
        if self.quantity <= 0:
            raise ValueError("an ingredient quantity must be positive (Katana refuses 0)")
        dto: dict[str, Any] = {"manufacturing_order_recipe_row_id": self.row_id, "quantity": Decimal(self.quantity)}
        if self.batches:
            dto["batch_transactions"] = [{"batch_id": b, "quantity": Decimal(q)} for b, q in self.batches]
        return dto


class OrderMemory(Protocol):
    """Remembers what Katana returned for an order (as JSON); says whether it still holds (models.order_memory)."""

    async def saw_order(self, mo_id: int, order: dict[str, Any], read_at: datetime, *, writes: int = 0) -> None: ...
    async def writes_of(self, mo_id: int) -> int: ...
    async def wrote_order(self, mo_id: int, order: dict[str, Any] | None, sent: datetime) -> None: ...
    async def saw_rows(self, mo_id: int, rows: list[dict[str, Any]], read_at: datetime) -> None: ...
    async def known_order(self, mo_id: int) -> dict[str, Any] | None: ...
    async def recent_order(self, mo_id: int, since: datetime) -> dict[str, Any] | None: ...
    async def known_rows(self, mo_id: int) -> list[dict[str, Any]] | None: ...
    async def forget(self, mo_id: int) -> None: ...


class ManufacturingService:
    def __init__(self, client: KatanaClient, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._client = client
        self._clock = clock
        self._operators: tuple[float, list[Operator]] | None = None
        self._operators_lock = asyncio.Lock()  # one fetch when a whole shift submits at once
        # One writer of an order's additional_info at a time (read, then PATCH with the text echoed): in this
        # process by default; the composition root plugs in locks shared by every replica (models.leases).
        self.locks: KeyedLocks = ProcessLocks()
        self.memory: OrderMemory | None = None  # set by the app; without it every echo reads first

    # --- reading orders -----------------------------------------------------------------------------

    async def open_orders(self, limit: int = 100) -> list[ManufacturingOrder]:
        """Orders not DONE, soonest deadline first (no deadline last), then by order number.

        One query per open status: Katana filters on a single status, and asking without a filter
        would page through every DONE order ever made.
        """
        found: dict[int, ManufacturingOrder] = {}
        for status in OPEN_MO_STATUSES:
            for raw in await self._client.get_all("/manufacturing_orders", {"status": status},
                                                  max_pages=10):
                order = ManufacturingOrder.model_validate(raw)
                if order.status in OPEN_MO_STATUSES and order.deleted_at is None:
                    found[order.id] = order
        return sorted(found.values(), key=_deadline_then_number)[:limit]

    async def get_order(self, mo_id: int) -> ManufacturingOrder:
        """The order; KatanaNotFound if Katana has none with that id (the memory forgets it then)."""
        writes = await self.memory.writes_of(mo_id) if self.memory is not None else 0  # ours it can show
        sent = _now()
        try:
            raw = await self._client.get(f"/manufacturing_orders/{mo_id}")
        except KatanaNotFound:
            if self.memory is not None:
                await self.memory.forget(mo_id)
            raise
        order = ManufacturingOrder.model_validate(raw)
        if self.memory is not None:
            await self.memory.saw_order(order.id, order.model_dump(mode="json"), sent, writes=writes)
        return order

    async def known_order(self, mo_id: int) -> ManufacturingOrder:
        """The order as the bot last saw it while nothing says it changed since (models.order_memory),
        else read from Katana."""
        remembered = await self.memory.known_order(mo_id) if self.memory is not None else None
        return ManufacturingOrder.model_validate(remembered) if remembered else await self.get_order(mo_id)

    async def known_operation_rows(self, mo_id: int) -> list[OperationRow]:
        """Like `known_order`, for the order's operation rows."""
        remembered = await self.memory.known_rows(mo_id) if self.memory is not None else None
        if remembered is None:
            return await self.operation_rows(mo_id)
        return [OperationRow.model_validate(raw) for raw in remembered]

    async def find_order_by_number(self, order_no: str) -> ManufacturingOrder | None:
        """The order with exactly this number (ignoring surrounding spaces and letter case)."""
        wanted = order_no.strip()
        if not wanted:
            return None
        rows = await self._client.get_all("/manufacturing_orders", {"order_no": wanted}, max_pages=4)
        orders = [ManufacturingOrder.model_validate(r) for r in rows]
        orders = [o for o in orders if o.deleted_at is None]
        exact = [o for o in orders if o.order_no.strip() == wanted]
        loose = [o for o in orders if o.order_no.strip().casefold() == wanted.casefold()]
        matches = exact or loose
        return matches[0] if matches else None

    async def operation_rows(self, mo_id: int) -> list[OperationRow]:
        sent = _now()
        rows = await self._client.get_all("/manufacturing_order_operation_rows",
                                          {"manufacturing_order_id": mo_id})
        mine = [OperationRow.model_validate(r) for r in rows]
        mine = [r for r in mine if r.manufacturing_order_id == mo_id and r.deleted_at is None]
        mine.sort(key=lambda r: (r.rank is None, r.rank or Decimal(0), r.id))
        if self.memory is not None:
            await self.memory.saw_rows(mo_id, [row.model_dump(mode="json") for row in mine], sent)
        return mine

    async def get_operation_row(self, row_id: int) -> OperationRow:
        return OperationRow.model_validate(
            await self._client.get(f"/manufacturing_order_operation_rows/{row_id}"))

    # --- productions --------------------------------------------------------------------------------

    async def record_production(self, mo_id: int, quantity: Decimal, *, completed_date: datetime,
                                batch_id: int | None = None,
                                ingredients: Sequence[IngredientUse] = ()) -> Production:
        """Record a (partial) completion. Not retried once sent: on KatanaOutcomeUnknown, call
        find_production before trying again.

        `ingredients` says what each recipe row really consumed (and from which batches); without them
        Katana consumes every row at its planned quantity. Callers give every row of the recipe: what a
        list missing some rows does to those is not documented."""
        if quantity <= 0:
            raise ValueError("a production quantity must be positive")
        body: dict[str, Any] = {
            "manufacturing_order_id": mo_id,
            "completed_quantity": Decimal(quantity),
            "completed_date": iso(completed_date),
        }
        if batch_id is not None:
            body["batch_transaction"] = {"batch_id": batch_id}
        if ingredients:
            body["ingredients"] = [use.to_dto() for use in ingredients]
        return Production.model_validate(await self._client.post("/manufacturing_order_productions", body))

    async def productions(self, mo_id: int) -> list[Production]:
        """The order's productions (partial completions) that stand, oldest first."""
        rows = await self._client.get_all("/manufacturing_order_productions", {"manufacturing_order_ids": [mo_id]})
        found = [Production.model_validate(r) for r in rows]
        found = [p for p in found if p.manufacturing_order_id == mo_id and p.deleted_at is None]
        return sorted(found, key=lambda p: p.id)

    async def find_production(self, mo_id: int, quantity: Decimal, *, since: datetime, completed_date: datetime,
                              batch_id: int | None = None, taken: Collection[int] = ()) -> Production | None:
        """The earliest production that can be the one `record_production` sent with these values:
        this MO and quantity, created at/after `since`, its production_date the `completed_date` sent,
        not one of `taken` (productions the caller knows are someone else's).

        `since` is compared with Katana's clock: callers should take it a little before they sent.
        MO and quantity alone are not enough: two cooks of the same quantity on one order are common,
        and a retry that adopted the other's production would mark a cook recorded that never was.
        Katana's record names no batch (batches are undocumented in its answer), but it echoes the
        completed_date sent as production_date; a batch id still rules a production out where one is named.
        """
        query = {"manufacturing_order_ids": [mo_id], "created_at_min": iso(since)}
        rows = await self._client.get_all("/manufacturing_order_productions", query)
        matches = []
        for raw in rows:
            production = Production.model_validate(raw)
            created = production.created_at or production.production_date
            if (production.manufacturing_order_id != mo_id or production.deleted_at is not None
                    or production.quantity != quantity or created is None or created < since
                    or production.id in taken):
                continue
            if production.production_date is not None and not same_moment(completed_date, production.production_date):
                continue
            batches = production.batch_ids()
            if batch_id is not None and batches and batch_id not in batches:
                continue
            matches.append((created, production.id, production))
        return min(matches)[2] if matches else None

    async def create_output_batch(self, batch_number: str, variant_id: int) -> tuple[Batch, bool]:
        """The batch a production goes into, created with one POST: (batch, created).

        Katana refuses a batch number the product already has (422); then, and when the POST's
        answer was lost, the batch is looked up instead. Callers retrying a step look first.
        """
        try:
            raw = await self._client.post("/batches", {"batch_number": batch_number, "variant_id": variant_id})
            return Batch.model_validate(raw), True
        except (KatanaOutcomeUnknown, KatanaRejected) as exc:
            found = await self._find_batch(batch_number, variant_id)
            if found is None:
                raise
            # A lost answer whose batch now exists was, as far as anyone can tell, this POST.
            return found, isinstance(exc, KatanaOutcomeUnknown)

    async def _find_batch(self, batch_number: str, variant_id: int) -> Batch | None:
        query = {"batch_number": batch_number, "variant_id": variant_id, "include_empty": True}
        for raw in await self._client.get_all("/batch_stocks", query, max_pages=4):
            batch = Batch.model_validate(raw)  # Katana ignores unknown filters: check both here
            if batch.batch_number == batch_number and batch.variant_id == variant_id:
                return batch
        return None

    # --- operation rows -----------------------------------------------------------------------------

    async def delete_production(self, production_id: int) -> None:
        """The compensating record for a production: its output leaves stock, ingredients return."""
        await self._client.delete(f"/manufacturing_order_productions/{int(production_id)}")

    async def complete_operation(self, row_id: int, *, seconds: int | None,
                                 operators: list[OperatorRef]) -> OperationRow:
        body: dict[str, Any] = {"status": "COMPLETED"}
        if seconds is not None:
            if seconds < 0:
                raise ValueError("operation time cannot be negative")
            body["total_actual_time"] = int(seconds)
        if operators:
            body["completed_by_operators"] = [op.to_dto() for op in operators]
        return await self._patch_row(row_id, body)

    async def set_operation_status(self, row_id: int, status: str) -> OperationRow:
        if status not in OPERATION_STATUSES:
            raise ValueError(f"operation rows take {', '.join(OPERATION_STATUSES)}, not {status!r}")
        return await self._patch_row(row_id, {"status": status})

    # issue 7 (task timers; added by the timers/undo helper): Start/Pause/Block/Resume of a floor task.
    async def set_operation_progress(self, row_id: int, status: str, *, seconds: int | None = None) -> OperationRow:
        """The row IN_PROGRESS, PAUSED or BLOCKED, with the time spent so far (seconds) when given."""
        if status not in OPERATION_STATUSES:
            raise ValueError(f"operation rows take {', '.join(OPERATION_STATUSES)}, not {status!r}")
        body: dict[str, Any] = {"status": status}
        if seconds is not None:
            body["total_actual_time"] = max(int(seconds), 0)
        return await self._patch_row(row_id, body)

    async def _patch_row(self, row_id: int, body: dict[str, Any]) -> OperationRow:
        raw = await self._client.patch(f"/manufacturing_order_operation_rows/{row_id}", body)
        return OperationRow.model_validate(raw)

    # --- order updates (always echo additional_info) ------------------------------------------------

    async def finish_order(self, mo_id: int, actual_quantity: Decimal, *, done_date: datetime,
                           batch_id: int | None = None) -> ManufacturingOrder:
        """Mark the order DONE with the actual quantity. Already DONE with that quantity: no write.

        A batch-tracked order needs its output batch assigned before it can be DONE; `batch_id`
        assigns it when the order has none yet (an assigned batch is left as Katana has it)."""
        if actual_quantity < 0:
            raise ValueError("actual quantity cannot be negative")
        async with self.locks.hold(f"order {mo_id}"):
            order = await self.get_order(mo_id)
            if order.is_done and order.actual_quantity == actual_quantity:
                return order
            body: dict[str, Any] = {
                "status": "DONE",
                "actual_quantity": Decimal(actual_quantity),
                "done_date": iso(done_date),
            }
            if batch_id is not None and not (getattr(order, "batch_transactions", None) or []):
                body["batch_transactions"] = [{"batch_id": batch_id, "quantity": Decimal(actual_quantity)}]
            return await self._patch_order(order, body)

    async def add_note(self, mo_id: int, line: str) -> ManufacturingOrder:
        """Append a line to the order's additional info; a line already there is not added again.

        The order is read right before it is rewritten, or taken from a read at most NOTE_ECHO old that
        nothing announced a change to since — never from an older memory: a note a person typed in Katana
        a moment ago (webhooks about it may still be on their way) must survive the PATCH."""
        line = " ".join(line.split())
        if not line:
            raise ValueError("a note needs some text")
        async with self.locks.hold(f"order {mo_id}"):
            order = await self._just_read(mo_id) or await self.get_order(mo_id)
            current = order.additional_info or ""
            if line in (existing.strip() for existing in current.splitlines()):
                return order
            text = f"{current.rstrip()}\n{line}" if current.strip() else line
            return await self._patch_order(order, {"additional_info": text})

    async def _just_read(self, mo_id: int) -> ManufacturingOrder | None:
        remembered = await self.memory.recent_order(mo_id, _now() - NOTE_ECHO) if self.memory is not None else None
        return ManufacturingOrder.model_validate(remembered) if remembered else None

    # issue 7 (the author's Undo; added by the timers/undo helper): take a bot-written line back out.
    async def remove_note(self, mo_id: int, line: str) -> bool:
        """Remove a line added by `add_note`; False when it is not there (already removed by hand).

        When it is the order's only text, `null` clears it: `additional_info` is nullable in the gateway
        spec, while "" is refused (minLength 1). ValueError when Katana's answer still shows the line (it
        kept the text): then a person must remove it."""
        line = " ".join(line.split())
        async with self.locks.hold(f"order {mo_id}"):
            order = await self.get_order(mo_id)
            lines = (order.additional_info or "").splitlines()
            kept = [existing for existing in lines if " ".join(existing.split()) != line]
            if len(kept) == len(lines):
                return False
            answer = await self._patch_order(order, {"additional_info": "\n".join(kept).strip() or None})
            if line in (" ".join(existing.split()) for existing in (answer.additional_info or "").splitlines()):
                raise ValueError("Katana kept the note")
            return True

    async def _patch_order(self, order: ManufacturingOrder, body: dict[str, Any]) -> ManufacturingOrder:
        # Omitting additional_info wipes it; the DTO forbids "" (minLength 1), so echo only real text.
        if "additional_info" not in body and order.additional_info:
            body["additional_info"] = order.additional_info
        sent = _now()
        answer: dict[str, Any] | None = None
        try:
            updated = ManufacturingOrder.model_validate(
                await self._client.patch(f"/manufacturing_orders/{order.id}", body))
            answer = updated.model_dump(mode="json")
        finally:
            if self.memory is not None:
                # Under the order's lock: counted before the next writer reads the memory, so that no view
                # read while this PATCH was on its way is echoed by the next note (the answer is).
                await self.memory.wrote_order(order.id, answer, sent)
        return updated


    # --- operators ----------------------------------------------------------------------------------

    async def operators(self) -> list[Operator]:
        """Katana's operators, cached for 10 minutes (they change rarely; the modals ask often).

        Callers arriving while the list is being fetched wait for that fetch instead of each
        spending a call of the budget on the same list."""
        async with self._operators_lock:
            now = self._clock()
            if self._operators is not None and now - self._operators[0] < OPERATORS_CACHE_SECONDS:
                return list(self._operators[1])
            rows = await self._client.get_all("/operators")
            operators = [Operator.model_validate(r) for r in rows if isinstance(r, dict)]
            self._operators = (now, operators)
            return list(operators)


def _now() -> datetime:
    return datetime.now(UTC)


def _deadline_then_number(order: ManufacturingOrder) -> tuple[Any, ...]:
    deadline = order.production_deadline_date
    return (deadline is None, deadline.timestamp() if deadline else 0.0, _natural(order.order_no))


def _natural(text: str) -> tuple[Any, ...]:
    """'MO-9' before 'MO-10': compare digit runs as numbers."""
    return tuple((0, int(part), "") if part.isascii() and part.isdigit() else (1, 0, part.casefold())
                 for part in re.split(r"(\d+)", text) if part)


def same_moment(sent: datetime, echoed: datetime) -> bool:
    """Whether Katana's echo of a date-time is the one sent. Katana keeps milliseconds (its examples:
    '2023-02-10T10:06:13.047Z'); whether it rounds or cuts the rest is not documented, so under a
    millisecond apart is the same moment. An echo in whole seconds is taken as that second."""
    apart = abs(echoed - sent)
    return apart < timedelta(milliseconds=1) or (echoed.microsecond == 0 and apart < timedelta(seconds=1))
