"""Purchase orders, looked up by the number printed on the paperwork."""
from __future__ import annotations

from .client import KatanaClient
from .models import PurchaseOrder


class PurchasingService:
    def __init__(self, client: KatanaClient) -> None:
        self._client = client

    async def find_purchase_order(self, order_no: str) -> PurchaseOrder | None:
        """The purchase order with exactly this number (ignoring surrounding spaces and case)."""
        wanted = order_no.strip()
        if not wanted:
            return None
        rows = await self._client.get_all("/purchase_orders", {"order_no": wanted}, max_pages=4)
        # Katana ignores filters it doesn't know: check the number ourselves.
        orders = [PurchaseOrder.model_validate(r) for r in rows]
        orders = [o for o in orders if o.deleted_at is None]
        exact = [o for o in orders if o.order_no.strip() == wanted]
        loose = [o for o in orders if o.order_no.strip().casefold() == wanted.casefold()]
        matches = exact or loose
        return matches[0] if matches else None
