"""Amazon Selling Partner API client for the stock alerts: FBA inventory and order velocity.

Auth is LWA only (no IAM/SigV4). Build one per process with `build_amazon`: its token cache and
per-operation usage-plan buckets are process-wide.
"""
from __future__ import annotations

from datetime import datetime

import httpx

from .client import SpApiClient
from .errors import AmazonAuthError, AmazonError, AmazonRateLimited, AmazonRejected, AmazonUnavailable
from .inventory import FbaSummary, inventory_summaries
from .lwa import LwaTokens
from .orders import UnitsSold, amazon_time, units_sold
from .ratelimit import OperationLimits, TokenBucket


class Amazon:
    def __init__(self, client: SpApiClient, marketplace_id: str) -> None:
        self.client, self.marketplace_id = client, marketplace_id

    async def fba_inventory(self) -> list[FbaSummary]:
        return await inventory_summaries(self.client, self.marketplace_id)

    async def units_sold_since(self, since: datetime) -> UnitsSold:
        return await units_sold(self.client, self.marketplace_id, since)


def build_amazon(http: httpx.AsyncClient, *, sp_api_url: str, lwa_url: str, client_id: str, client_secret: str,
                 refresh_token: str, marketplace_id: str) -> Amazon:
    tokens = LwaTokens(http, url=lwa_url, client_id=client_id, client_secret=client_secret,
                       refresh_token=refresh_token)
    return Amazon(SpApiClient(http, base_url=sp_api_url, tokens=tokens), marketplace_id)


__all__ = ["Amazon", "AmazonAuthError", "AmazonError", "AmazonRateLimited", "AmazonRejected",
           "AmazonUnavailable", "FbaSummary", "LwaTokens", "OperationLimits", "SpApiClient", "TokenBucket",
           "UnitsSold", "amazon_time", "build_amazon", "inventory_summaries", "units_sold"]
