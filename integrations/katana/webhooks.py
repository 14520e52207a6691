"""Registering Katana webhooks (the CLI does this once per deployment).

The record Katana returns carries `token`, the secret that signs deliveries: callers must store it
and must not log it.
"""
from __future__ import annotations

from typing import Any

from .client import KatanaClient
from .errors import KatanaOutcomeUnknown

# The 62 event names of CreateWebhookDto.subscribed_events (live-gateway.yaml), grouped by resource.
_EVENTS_BY_RESOURCE = {
    "sales_order": "created packed delivered updated approved deleted availability_updated",
    "purchase_order": "created updated deleted partially_received received approved",
    "purchase_order_row": "created received updated deleted",
    "outsourced_purchase_order": "created updated deleted received approved",
    "outsourced_purchase_order_row": "created updated deleted received",
    "outsourced_purchase_order_recipe_row": "created updated deleted",
    "manufacturing_order": "created updated deleted in_progress blocked done",
    "manufacturing_order_recipe_row": "created updated deleted ingredients_in_stock",
    "manufacturing_order_operation_row": "created updated deleted in_progress paused blocked completed",
    "current_inventory": "product_updated material_updated product_out_of_stock material_out_of_stock",
    "product": "created updated deleted",
    "material": "created updated deleted",
    "variant": "created updated deleted",
    "product_recipe_row": "created deleted updated",
}
KNOWN_EVENTS = frozenset(
    f"{resource}.{action}" for resource, actions in _EVENTS_BY_RESOURCE.items() for action in actions.split()
)


class WebhookService:
    def __init__(self, client: KatanaClient) -> None:
        self._client = client

    async def register(self, url: str, events: list[str], description: str = "Shopfloor bot") -> dict[str, Any]:
        """Create a webhook; returns Katana's record including the signing `token`.

        If Katana's answer is lost, an existing webhook for the same URL and events counts as success.
        """
        if not url.startswith("https://"):
            raise ValueError("Katana only delivers webhooks to https:// URLs")
        unknown = sorted(set(events) - KNOWN_EVENTS)
        if unknown or not events:
            raise ValueError(f"not Katana webhook events: {', '.join(unknown) or '(none given)'}")
        body: dict[str, Any] = {"url": url, "subscribed_events": list(dict.fromkeys(events))}
        if description:
            body["description"] = description
        try:
            created: dict[str, Any] = await self._client.post("/webhooks", body)
            return created
        except KatanaOutcomeUnknown:
            for hook in await self.list():
                if hook.get("url") == url and set(hook.get("subscribed_events") or []) == set(events):
                    return hook
            raise

    async def list(self) -> list[dict[str, Any]]:
        return [hook for hook in await self._client.get_all("/webhooks") if isinstance(hook, dict)]
