"""Katana MRP client for the floor commands, the webhook processor and the CLI.

Build one `Katana` per process (`build_katana`): its RateLimiter is the process-wide request budget.
Errors are the `KatanaError` tree in `errors.py`; quantities are Decimal; date-times are tz-aware.
"""
from __future__ import annotations

import httpx

from .client import KatanaClient
from .errors import (
    FieldProblem,
    KatanaAuthError,
    KatanaError,
    KatanaNotFound,
    KatanaOutcomeUnknown,
    KatanaRateLimited,
    KatanaRejected,
    KatanaUnavailable,
)
from .inventory import InventoryService
from .manufacturing import ManufacturingService
from .models import (
    Batch,
    ManufacturingOrder,
    OperationRow,
    Operator,
    OperatorRef,
    Production,
    PurchaseOrder,
    SalesOrder,
    Variant,
)
from .purchasing import PurchasingService
from .ratelimit import RateLimiter
from .recipes import Ingredient, Recipe, RecipeService, StockedBatch
from .sales import SalesService
from .webhooks import WebhookService


class Katana:
    """The floor's view of Katana: one client, one budget, services by domain."""

    def __init__(self, client: KatanaClient) -> None:
        self.client = client
        self.manufacturing = ManufacturingService(client)
        self.inventory = InventoryService(client)
        self.purchasing = PurchasingService(client)
        self.sales = SalesService(client)
        self.webhooks = WebhookService(client)
        self.recipes = RecipeService(client, self.manufacturing)  # remembered in the order memory


def build_katana(http: httpx.AsyncClient, *, base_url: str, api_key: str, per_minute: int,
                 limiter: RateLimiter | None = None) -> Katana:
    """Wire a Katana facade; pass `limiter` to share one budget between several facades."""
    client = KatanaClient(http, base_url=base_url, api_key=api_key,
                          limiter=limiter or RateLimiter(per_minute))
    return Katana(client)


__all__ = [
    "Batch", "FieldProblem", "Ingredient", "InventoryService", "Katana", "KatanaAuthError", "KatanaClient",
    "KatanaError", "KatanaNotFound", "KatanaOutcomeUnknown", "KatanaRateLimited", "KatanaRejected",
    "KatanaUnavailable", "ManufacturingOrder", "ManufacturingService", "OperationRow", "Operator",
    "OperatorRef", "Production", "PurchaseOrder", "PurchasingService", "RateLimiter", "Recipe", "RecipeService",
    "SalesOrder", "SalesService", "StockedBatch", "Variant", "WebhookService", "build_katana",
]
