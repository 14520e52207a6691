"""What a sales order still has to ship and what stock there is to ship it from.

Built when the /ship form opens (the form is prefilled from it and submissions are checked against it
before anything is written) and built again by the first step of the recording, because stock and the
order may have changed while the modal was open.
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from integrations.katana import Katana
from integrations.katana.models import SalesOrder
from integrations.katana.sales import SalesService
from integrations.katana.stock import Item, StockService, StockTransfer

Method = Literal["carrier", "fba"]
FBA_MARK = re.compile(r"\[so:(\d+)\]")  # how our FBA transfers name the sales order they were for


def amount(value: Decimal) -> str:
    """A quantity as the floor writes it: 10, 2.5 — not Katana's 10.00000."""
    return f"{value.normalize():f}"


def fba_note(order_no: str, so_id: int, shipment: str, pallets: int) -> str:
    return f"Amazon FBA shipment {shipment}, {pallets} pallet{'s' if pallets != 1 else ''}, for {order_no} [so:{so_id}]"


class BatchChoice(BaseModel):
    batch_id: int
    number: str
    in_stock: Decimal


class OfferRow(BaseModel):
    row_id: int
    variant_id: int
    sku: str
    name: str = ""
    ordered: Decimal
    shipped: Decimal = Decimal(0)  # fulfilled, plus sent to FBA for this order
    tracked: bool = False
    in_stock: Decimal = Decimal(0)  # at the order's location, all batches
    batches: list[BatchChoice] = Field(default_factory=list)
    linked_mo_id: int | None = None

    @property
    def remaining(self) -> Decimal:
        return max(self.ordered - self.shipped, Decimal(0))

    def batch(self, batch_id: int | None) -> BatchChoice | None:
        return next((b for b in self.batches if b.batch_id == batch_id), None)

    def suggested_batch(self) -> BatchChoice | None:
        """Oldest batch that covers what is left, else the fullest: first in, first out."""
        covering = [b for b in self.batches if b.in_stock >= self.remaining]
        return covering[0] if covering else max(self.batches, key=lambda b: b.in_stock, default=None)

    @property
    def label(self) -> str:
        return " · ".join(p for p in (self.sku, self.name) if p)


class ShipOffer(BaseModel):
    so_id: int
    order_no: str
    location_id: int
    method: Method
    rows: list[OfferRow]
    fba_location_id: int | None = None
    fba_location_name: str | None = None

    def row(self, row_id: int) -> OfferRow | None:
        return next((r for r in self.rows if r.row_id == row_id), None)

    @property
    def open_rows(self) -> list[OfferRow]:
        return [r for r in self.rows if r.remaining > 0]


def sent_to_fba(transfers: list[StockTransfer], so_id: int) -> dict[int, Decimal]:
    """Quantity per variant our earlier FBA transfers sent for this sales order."""
    sent: dict[int, Decimal] = {}
    for transfer in transfers:
        marks = FBA_MARK.findall(transfer.additional_info or "")
        if str(so_id) in marks:
            for row in transfer.stock_transfer_rows:
                sent[row.variant_id] = sent.get(row.variant_id, Decimal(0)) + row.quantity
    return sent


def spread_over_rows(order: SalesOrder, sent: dict[int, Decimal]) -> dict[int, Decimal]:
    """FBA transfers carry variants, not order rows: fill the order's rows in order with them."""
    left, per_row = dict(sent), {}
    for row in sorted(order.sales_order_rows, key=lambda r: r.id):
        take = min(left.get(row.variant_id or 0, Decimal(0)), row.quantity)
        if take > 0:
            per_row[row.id] = take
            left[row.variant_id or 0] -= take
    return per_row


async def build_offer(katana: Katana, so_id: int, method: Method, fba_location_id: int | None = None,
                      fba_location_name: str | None = None) -> ShipOffer:
    sales, stock = SalesService(katana.client), StockService(katana.client)
    order = await sales.get_sales_order(so_id)
    location_id = int(order.location_id or 0)
    shipped = await sales.shipped_so_far(so_id)
    if fba_location_id is not None:
        fba = spread_over_rows(order, sent_to_fba(await stock.transfers_to(fba_location_id), so_id))
        shipped = {k: shipped.get(k, Decimal(0)) + fba.get(k, Decimal(0)) for k in {*shipped, *fba}}
    items = await stock.items({r.variant_id for r in order.sales_order_rows if r.variant_id})
    rows = []
    for row in sorted(order.sales_order_rows, key=lambda r: r.id):
        if row.variant_id is None:
            continue
        item = items.get(row.variant_id) or Item(id=row.variant_id)
        offer_row = OfferRow(row_id=row.id, variant_id=row.variant_id, sku=item.sku or f"variant {row.variant_id}",
                             name=item.name, ordered=row.quantity, shipped=shipped.get(row.id, Decimal(0)),
                             tracked=item.batch_tracked, linked_mo_id=row.linked_manufacturing_order_id)
        if offer_row.remaining > 0:
            await _add_stock(stock, offer_row, row.location_id or location_id)
        rows.append(offer_row)
    return ShipOffer(so_id=order.id, order_no=order.order_no, location_id=location_id, method=method, rows=rows,
                     fba_location_id=fba_location_id, fba_location_name=fba_location_name)


async def _add_stock(stock: StockService, row: OfferRow, location_id: int) -> None:
    if row.tracked:
        row.batches = [BatchChoice(batch_id=b.id, number=b.batch_number, in_stock=b.quantity_in_stock or Decimal(0))
                       for b in await stock.batches_in_stock(row.variant_id, location_id)]
        row.in_stock = sum((b.in_stock for b in row.batches), Decimal(0))
    else:
        row.in_stock = await stock.in_stock(row.variant_id, location_id)


def over_problems(offer: ShipOffer, lines: list[tuple[int, Decimal, int | None]]) -> dict[int, str]:
    """Why each (row, quantity, batch) cannot ship, by row id: more than ordered or more than in stock."""
    problems: dict[int, str] = {}
    taken: dict[int, Decimal] = {}  # two rows of one product may draw on the same batch
    for row_id, quantity, batch_id in lines:
        row = offer.row(row_id)
        if batch_id is not None:
            taken[batch_id] = taken.get(batch_id, Decimal(0)) + quantity
        if row is None:
            problems[row_id] = "That row is not on the order any more."
        elif quantity > row.remaining:
            problems[row_id] = (f"{offer.order_no} has {amount(row.remaining)} of {row.sku} left to ship "
                                f"({amount(row.ordered)} ordered, {amount(row.shipped)} shipped); "
                                f"{amount(quantity)} is more.")
        elif row.tracked and not row.batches:
            problems[row_id] = f"No batch of {row.sku} is in stock at the order's location."
        elif row.tracked and (batch := row.batch(batch_id)) is None:
            problems[row_id] = f"Choose a batch of {row.sku} that is in stock."
        elif row.tracked and batch is not None and taken[batch.batch_id] > batch.in_stock:
            problems[row_id] = f"Batch {batch.number} has only {amount(batch.in_stock)} in stock."
        elif not row.tracked and quantity > row.in_stock:
            problems[row_id] = f"Only {amount(row.in_stock)} of {row.sku} in stock."
    return problems
