"""Unleashed records the alerts need, read tolerantly (unknown fields ignored, quantities Decimal).

Dates come as `"/Date(1583225970451)/"`: milliseconds since the epoch, UTC (a `+hhmm` suffix, which
.NET serialisers sometimes add, is ignored: the number is UTC either way).
"""
from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, TypeAdapter, field_validator

_MS_DATE = re.compile(r"^/Date\((-?\d+)(?:[+-]\d{4})?\)/$")


def parse_date(value: Any) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    match = _MS_DATE.match(str(value).strip())
    if match is None:
        raise ValueError(f"not an Unleashed /Date(ms)/ value: {value!r}")
    return datetime.fromtimestamp(int(match.group(1)) / 1000, tz=UTC)


def format_date(moment: datetime) -> str:
    """The inverse, for fakes and tests."""
    return f"/Date({int(moment.timestamp() * 1000)})/"


class UnleashedModel(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class StockLine(UnleashedModel):
    """The part of a stock-on-hand row the alerts use: a sync reads every row of the account, so the
    other fields (dates, costs, allocations) are not validated or kept."""

    ProductGuid: str
    ProductCode: str
    QtyOnHand: Decimal = Decimal(0)
    WarehouseCode: str | None = None


class StockOnHand(StockLine):
    ProductDescription: str = ""
    AvailableQty: Decimal | None = None
    AllocatedQty: Decimal | None = None
    Warehouse: str | None = None
    LastModifiedOn: datetime | None = None

    _date = field_validator("LastModifiedOn", mode="before")(lambda cls, v: parse_date(v))


class ProductLevel(UnleashedModel):
    """The part of a product the alerts use (see StockLine)."""

    Guid: str
    ProductCode: str
    ProductDescription: str = ""
    MinStockAlertLevel: Decimal | None = None
    Obsolete: bool = False  # tolerant: absent on accounts/versions that do not send it

    @property
    def min_level(self) -> Decimal | None:
        """The alert level, or None when the product has none (null or 0 both mean "no alert")."""
        level = self.MinStockAlertLevel
        return level if level is not None and level > 0 else None


class Product(ProductLevel):
    MaxStockAlertLevel: Decimal | None = None
    ReOrderPoint: Decimal | None = None


STOCK_LINES = TypeAdapter(list[StockLine])
PRODUCT_LEVELS = TypeAdapter(list[ProductLevel])


class Assembly(UnleashedModel):
    """An assembly (Unleashed's production record). Only the documented basics are modelled: there is no
    documented planned-vs-actual quantity, so yield is never computed from these."""

    Guid: str
    AssemblyNumber: str = ""
    AssemblyStatus: str = ""
    CompletedDate: datetime | None = None
    LastModifiedOn: datetime | None = None

    _dates = field_validator("CompletedDate", "LastModifiedOn", mode="before")(lambda cls, v: parse_date(v))
