"""Sales orders — /pack reads the order a manufacturing order was made for."""
from __future__ import annotations

from .client import KatanaClient
from .models import SalesOrder


class SalesService:
    def __init__(self, client: KatanaClient) -> None:
        self._client = client

    async def get_sales_order(self, so_id: int) -> SalesOrder:
        """The sales order; KatanaNotFound if Katana has none with that id."""
        return SalesOrder.model_validate(await self._client.get(f"/sales_orders/{so_id}"))
