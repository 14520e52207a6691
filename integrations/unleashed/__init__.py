"""Unleashed client for the stock alerts: stock on hand, products (with their alert levels), assemblies.

Build one per process with `build_unleashed`; its `CallCounter` watches the monthly quota.
"""
from __future__ import annotations

from collections.abc import AsyncGenerator

import httpx

from .client import UnleashedClient
from .errors import UnleashedAuthError, UnleashedError, UnleashedRateLimited, UnleashedRejected, UnleashedUnavailable
from .models import (
    PRODUCT_LEVELS,
    STOCK_LINES,
    Assembly,
    Product,
    ProductLevel,
    StockLine,
    StockOnHand,
    format_date,
    parse_date,
)
from .quota import CallCounter


class Unleashed:
    """The reads the alert policy needs."""

    def __init__(self, client: UnleashedClient) -> None:
        self.client = client

    @property
    def calls(self) -> CallCounter:
        return self.client.calls

    async def stock_on_hand(self) -> list[StockOnHand]:
        """All-warehouse stock per product (the default view of /StockOnHand)."""
        return [StockOnHand.model_validate(r) for r in await self.client.get_pages("StockOnHand")]

    async def products(self) -> list[Product]:
        return [Product.model_validate(r) for r in await self.client.get_pages("Products")]

    # A sync reads the whole account: these yield page by page, only the fields the alerts use, so a
    # 50,000-product account is never held whole (bench row 5).

    def stock_lines(self) -> AsyncGenerator[list[StockLine], None]:
        return self.client.iter_pages("StockOnHand", read=STOCK_LINES.validate_python)

    def product_levels(self) -> AsyncGenerator[list[ProductLevel], None]:
        return self.client.iter_pages("Products", read=PRODUCT_LEVELS.validate_python)

    async def assemblies(self, status: str | None = None) -> list[Assembly]:
        """Assemblies, optionally of one status (`Parked`, `Completed`, or a custom one); filtered here too,
        because the query filter's name is not confirmed against a live account."""
        rows = [Assembly.model_validate(r) for r in
                await self.client.get_pages("Assemblies", {"assemblyStatus": status} if status else None)]
        return [a for a in rows if status is None or a.AssemblyStatus == status]


def build_unleashed(http: httpx.AsyncClient, *, base_url: str, api_id: str, api_key: str, client_type: str,
                    monthly_limit: int | None = None) -> Unleashed:
    client = UnleashedClient(http, base_url=base_url, api_id=api_id, api_key=api_key, client_type=client_type,
                             calls=CallCounter(monthly_limit))
    return Unleashed(client)


__all__ = ["Assembly", "CallCounter", "Product", "ProductLevel", "StockLine", "StockOnHand", "Unleashed",
           "UnleashedAuthError", "UnleashedClient", "UnleashedError", "UnleashedRateLimited", "UnleashedRejected",
           "UnleashedUnavailable", "build_unleashed", "format_date", "parse_date"]
