"""The SP-API client against the loopback fake, which replays Amazon's own static sandbox examples."""
from __future__ import annotations

import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import httpx
import pytest

from integrations.amazon import (
    Amazon,
    AmazonAuthError,
    AmazonRejected,
    AmazonUnavailable,
    LwaTokens,
    OperationLimits,
    SpApiClient,
    amazon_time,
)
from sandbox.amazon import INVENTORY_PATH, OPERATIONS, ORDER_DATA_SETS, ORDERS_PATH, US_MARKETPLACE, FakeAmazon


@pytest.fixture
async def static() -> AsyncIterator[FakeAmazon]:
    fake = FakeAmazon(mode="static")
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def stateful() -> AsyncIterator[FakeAmazon]:
    fake = FakeAmazon()
    await fake.start()
    yield fake
    await fake.stop()


class VirtualTime:
    """One clock for the client's usage-plan buckets and the fake's: waiting advances it instantly."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def amazon_for(fake: FakeAmazon, http: httpx.AsyncClient, *, refresh_token: str | None = None,
               clock: object = None, plans: dict[str, tuple[float, int]] | None = None, **kwargs: object) -> Amazon:
    time = VirtualTime()
    fake.clock = time.clock
    token_kwargs = {"clock": clock} if clock else {}
    tokens = LwaTokens(http, url=fake.lwa_url, client_id=fake.client_id, client_secret=fake.client_secret,
                       refresh_token=refresh_token or fake.refresh_token, **token_kwargs)  # type: ignore[arg-type]
    client = SpApiClient(http, base_url=fake.base_url, tokens=tokens, sleep=time.sleep, rng=random.Random(1),
                         limits=OperationLimits(plans, clock=time.clock, sleep=time.sleep), **kwargs)  # type: ignore[arg-type]
    client.time = time  # type: ignore[attr-defined]
    return Amazon(client, US_MARKETPLACE)


async def test_fba_inventory_from_amazons_static_example(static: FakeAmazon) -> None:
    async with httpx.AsyncClient() as http:
        summaries = await amazon_for(static, http).fba_inventory()
    example = static.inventory_examples[0]["response"]["payload"]["inventorySummaries"]
    assert [s.seller_sku for s in summaries] == [e["sellerSku"] for e in example]
    power = next(s for s in summaries if s.seller_sku == "Silicon Power 32GB")
    assert (power.fulfillable, power.inbound, power.total_quantity) == (Decimal(66), Decimal(21), Decimal(87))
    # The static sandbox answers `nextToken: "seed"` every time: the client stops when a token repeats.
    calls = static.calls_to(INVENTORY_PATH)
    assert [c.status for c in calls] == [200, 200] and "nextToken=seed" in calls[1].raw_query
    first = calls[0].raw_query
    assert "granularityType=Marketplace" in first and f"marketplaceIds={US_MARKETPLACE}" in first and "details=true" in first


async def test_headers_and_one_token_exchange_for_many_calls(static: FakeAmazon) -> None:
    async with httpx.AsyncClient() as http:
        amazon = amazon_for(static, http)
        await amazon.fba_inventory()
        await amazon.fba_inventory()
    assert amazon.client.tokens.exchanges == 1
    [exchange] = [r for r in static.requests if r.method == "POST"]
    assert exchange.form["grant_type"] == "refresh_token" and exchange.form["client_id"] == static.client_id
    for call in static.calls_to(INVENTORY_PATH):
        headers = {k.lower(): v for k, v in call.headers.items()}
        assert headers["x-amz-access-token"] == static.tokens_issued[0]
        assert headers["user-agent"].startswith("shopfloor-bot/")
        assert "authorization" not in headers  # no SigV4 any more


async def test_the_token_is_renewed_shortly_before_it_expires(static: FakeAmazon) -> None:
    now = [1000.0]
    async with httpx.AsyncClient() as http:
        amazon = amazon_for(static, http, clock=lambda: now[0])
        await amazon.fba_inventory()
        now[0] += 3600 - 30  # inside the last minute of the hour
        await amazon.fba_inventory()
    assert amazon.client.tokens.exchanges == 2


async def test_a_refused_refresh_token_says_what_to_check(static: FakeAmazon) -> None:
    async with httpx.AsyncClient() as http:
        with pytest.raises(AmazonAuthError) as caught:
            await amazon_for(static, http, refresh_token="Atzr|revoked").fba_inventory()
    assert "AMAZON_REFRESH_TOKEN" in str(caught.value) and "Atzr|revoked" not in str(caught.value)
    assert caught.value.code == "invalid_grant"
    assert static.calls_to(INVENTORY_PATH) == []


async def test_a_revoked_access_token_is_replaced_once(stateful: FakeAmazon) -> None:
    async with httpx.AsyncClient() as http:
        amazon = amazon_for(stateful, http)
        await amazon.fba_inventory()
        stateful.revoke_tokens()
        summaries = await amazon.fba_inventory()
    assert len(summaries) == 3 and amazon.client.tokens.exchanges == 2
    assert [c.status for c in stateful.calls_to(INVENTORY_PATH)] == [200, 403, 200]


async def test_amazons_500_example_is_retried_then_reported(static: FakeAmazon) -> None:
    async with httpx.AsyncClient() as http:
        client = amazon_for(static, http, max_attempts=2).client
        with pytest.raises(AmazonUnavailable) as caught:
            await client.get("getInventorySummaries", INVENTORY_PATH, {"marketplaceIds": ["1"]})
    assert caught.value.request_id and caught.value.request_id.startswith("sandbox-")
    assert [c.status for c in static.calls_to(INVENTORY_PATH)] == [500, 500]


async def test_search_orders_replays_amazons_examples(static: FakeAmazon) -> None:
    example = static.order_examples[0]
    params = {name: spec["value"] for name, spec in example["request"]["parameters"].items()}
    async with httpx.AsyncClient() as http:
        client = amazon_for(static, http).client
        body = await client.get("searchOrders", ORDERS_PATH, params)
        with pytest.raises(AmazonRejected) as caught:
            await client.get("searchOrders", ORDERS_PATH, {"createdAfter": "TEST_CASE_400"})
    assert body["orders"][0]["orderId"] == example["response"]["orders"][0]["orderId"]
    assert body["pagination"]["nextToken"] == example["response"]["pagination"]["nextToken"]
    assert caught.value.code == "InvalidInput" and caught.value.status == 400


async def test_inventory_pages_follow_next_token(stateful: FakeAmazon) -> None:
    stateful.page_size = 1
    async with httpx.AsyncClient() as http:
        summaries = await amazon_for(stateful, http).fba_inventory()
    assert len(summaries) == 3 and len(stateful.calls_to(INVENTORY_PATH)) == 3


async def test_units_sold_counts_amazon_fulfilled_orders_and_skips_cancelled(stateful: FakeAmazon) -> None:
    """Fails on the client that sent no `includedData` (issue 15): Amazon then leaves `fulfillment` and
    `cancellation` out, and the cancelled order (9) and the cancelled units (2 of 6) were counted as sold."""
    recent = amazon_time(datetime.now(UTC) - timedelta(days=2))
    stateful.add_order(seller_sku="Silicon Power 32GB", quantity=4, created=recent)
    stateful.add_order(seller_sku="Silicon Power 32GB", quantity=3, created=recent)
    stateful.add_order(seller_sku="Silicon Power 32GB", quantity=9, created=recent, status="CANCELLED")
    stateful.add_order(seller_sku="Silicon Power 32GB", quantity=6, created=recent, cancelled=2)
    stateful.add_order(seller_sku="Silicon Power 32GB", quantity=5, created=recent, fulfilled_by="MERCHANT")
    async with httpx.AsyncClient() as http:
        sold = await amazon_for(stateful, http).units_sold_since(datetime.now(UTC) - timedelta(days=30))
    assert sold.units == {"Silicon Power 32GB": Decimal(11)} and sold.complete
    [call] = stateful.calls_to(ORDERS_PATH)
    assert "fulfilledBy=AMAZON" in call.raw_query and "createdAfter=" in call.raw_query
    assert "includedData=FULFILLMENT%2CCANCELLATION" in call.raw_query and call.status == 200


async def test_search_orders_answers_only_the_data_sets_asked_for(stateful: FakeAmazon) -> None:
    async with httpx.AsyncClient() as http:
        client = amazon_for(stateful, http).client
        basic = await client.get("searchOrders", ORDERS_PATH, {"createdAfter": "2024-01-01T00:00:00Z"})
        asked = await client.get("searchOrders", ORDERS_PATH, {"createdAfter": "2024-01-01T00:00:00Z",
                                                               "includedData": ["FULFILLMENT"]})
    order, item = basic["orders"][0], basic["orders"][0]["orderItems"][0]
    assert "fulfillment" not in order and "buyer" not in order and "proceeds" not in item and "fulfillment" not in item
    assert {"orderId", "createdTime", "salesChannel", "orderItems"} <= set(order) and "quantityOrdered" in item
    fulfilled = asked["orders"][0]
    assert "fulfillmentStatus" in fulfilled["fulfillment"] and "buyer" not in fulfilled
    assert "fulfillment" in fulfilled["orderItems"][0] and "proceeds" not in fulfilled["orderItems"][0]


@pytest.mark.parametrize("query, problem", [
    ({"createdAfter": "2024-01-01T00:00:00Z", "includeData": ["FULFILLMENT"]}, "unknown parameter includeData"),
    ({"createdAfter": "2024-01-01T00:00:00Z", "includedData": ["FULFILMENT"]}, "'FULFILMENT' is not one of"),
    ({"createdAfter": "yesterday"}, "not an ISO 8601 date-time"),
    ({"createdAfter": "2024-01-01T00:00:00Z", "fulfilledBy": ["FBA"]}, "'FBA' is not one of"),
    ({"createdAfter": "2024-01-01T00:00:00Z", "maxResultsPerPage": "ten"}, "not an integer"),
])
async def test_search_orders_refuses_what_the_model_does_not_declare(stateful: FakeAmazon, query: dict,
                                                                      problem: str) -> None:
    async with httpx.AsyncClient() as http:
        with pytest.raises(AmazonRejected) as caught:
            await amazon_for(stateful, http).client.get("searchOrders", ORDERS_PATH, query)
    assert caught.value.status == 400 and caught.value.code == "InvalidInput"
    assert problem in (caught.value.detail or "")


def test_data_sets_agree_with_amazons_own_examples() -> None:
    """Each static example answers with no data set its request did not name (the sandbox's reading of
    `includedData` is checked against Amazon's examples, not against the client)."""
    fake = FakeAmazon(mode="static")
    for example in fake.order_examples:
        asked = set(example["request"]["parameters"].get("includedData", {}).get("value") or [])
        for order in example["response"].get("orders") or []:
            assert ORDER_DATA_SETS.keep(order, asked) == order, example["request"]
    assert ORDER_DATA_SETS.order_fields["fulfillment"] == "FULFILLMENT"
    assert ORDER_DATA_SETS.item_fields["cancellation"] == "CANCELLATION"


def test_usage_plans_are_read_from_amazons_models() -> None:
    assert (OPERATIONS["searchOrders"].rate, OPERATIONS["searchOrders"].burst) == (0.0056, 20)
    assert (OPERATIONS["getInventorySummaries"].rate, OPERATIONS["getInventorySummaries"].burst) == (2.0, 2)


async def test_usage_plans_keep_the_client_under_amazons_limits(stateful: FakeAmazon) -> None:
    stateful.page_size = 1
    async with httpx.AsyncClient() as http:
        amazon = amazon_for(stateful, http)
        for _ in range(2):
            await amazon.fba_inventory()  # 6 calls at 2/s with a burst of 2: the client waits, Amazon never says 429
    assert 429 not in [c.status for c in stateful.calls_to(INVENTORY_PATH)]
    assert amazon.client.time.slept == [0.5] * 4  # type: ignore[attr-defined]


async def test_a_client_ignoring_the_plan_gets_quota_exceeded_and_backs_off(stateful: FakeAmazon) -> None:
    stateful.page_size = 1
    async with httpx.AsyncClient() as http:
        amazon = amazon_for(stateful, http, plans={"getInventorySummaries": (1000.0, 1000)})
        for _ in range(2):
            await amazon.fba_inventory()
    # The 429 empties the bucket, and Amazon's x-amzn-RateLimit-Limit header (2/s) replaces the wrong plan.
    statuses = [c.status for c in stateful.calls_to(INVENTORY_PATH)]
    assert statuses.count(429) == 1 and statuses[-1] == 200
    assert amazon.client.limits.bucket("getInventorySummaries").rate == 2.0
