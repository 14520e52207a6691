"""The Unleashed client against the loopback fake: signing, paging by path, dates, retries, the call counter."""
from __future__ import annotations

import logging
import random
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from decimal import Decimal

import httpx
import pytest

from integrations.unleashed import (
    CallCounter,
    Unleashed,
    UnleashedAuthError,
    UnleashedClient,
    UnleashedUnavailable,
    parse_date,
)
from integrations.unleashed.auth import query_string, signature
from sandbox.unleashed import FakeUnleashed, ms_date
from sandbox.unleashed import signature as sandbox_signature


@pytest.fixture
async def fake() -> AsyncIterator[FakeUnleashed]:
    server = FakeUnleashed()
    await server.start()
    yield server
    await server.stop()


def client_for(fake: FakeUnleashed, http: httpx.AsyncClient, **kwargs: object) -> Unleashed:
    sleeps: list[float] = []

    async def no_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    client = UnleashedClient(http, base_url=fake.base_url, api_id=fake.api_id, api_key=fake.api_key,
                             client_type="acme/shopfloorbot", sleep=no_sleep, rng=random.Random(1), **kwargs)  # type: ignore[arg-type]
    client.sleeps = sleeps  # type: ignore[attr-defined]
    return Unleashed(client)


@pytest.mark.parametrize("sign", [signature, sandbox_signature], ids=["client", "sandbox"])
def test_signature_matches_the_public_vector(sign: Callable[[str, str], str]) -> None:
    # Two public implementations agree on this vector (shared/docs/INTEGRATIONS.md). The sandbox has its
    # own signing, so a client that got it wrong could not make the sandbox agree.
    assert sign("customerCode=ACME", "secret-key") == "adEw/1gTNmqdfSRLMqUNj7dJyDYodHUeekxdpTcf0dg="
    assert sign("", "secret-key") != sign("customerCode=ACME", "secret-key")


def test_the_sandbox_writes_dates_as_the_docs_show() -> None:
    assert ms_date(datetime(2020, 3, 3, 8, 59, 30, 451000, tzinfo=UTC)) == "/Date(1583225970451)/"


def test_query_string_is_built_once_and_exactly() -> None:
    assert query_string({"pageSize": 200, "productCode": "SOUP 1L/B&W", "x": None, "flag": True}) == \
        "pageSize=200&productCode=SOUP%201L%2FB%26W&flag=true"


async def test_signed_requests_with_awkward_characters_are_accepted(fake: FakeUnleashed) -> None:
    fake.add_product("SOUP 1L/B&W", "Soup", on_hand=3, min_level=5)
    async with httpx.AsyncClient() as http:
        body = await client_for(fake, http).client.get("/Products/1", {"productCode": "SOUP 1L/B&W", "pageSize": 10})
    assert body["Items"][0]["ProductCode"] == "SOUP 1L/B&W"
    seen = fake.requests[-1]
    assert seen.raw_query == "productCode=SOUP%201L%2FB%26W&pageSize=10"  # the bytes that were signed
    headers = {k.lower(): v for k, v in seen.headers.items()}
    assert headers["api-auth-id"] == fake.api_id and headers["client-type"] == "acme/shopfloorbot"
    assert headers["accept"] == "application/json" and headers["content-type"] == "application/json"
    assert fake.refused == []


async def test_pages_are_followed_by_path(fake: FakeUnleashed) -> None:
    for n in range(5):
        fake.add_product(f"P{n}", f"Product {n}", on_hand=n, min_level=2)
    async with httpx.AsyncClient() as http:
        rows = await client_for(fake, http).client.get_pages("StockOnHand", page_size=2)
    assert [r["ProductCode"] for r in rows] == ["P0", "P1", "P2", "P3", "P4"]
    assert [r.path for r in fake.requests] == ["/StockOnHand/1", "/StockOnHand/2", "/StockOnHand/3"]


async def test_stock_and_products_parse_dates_and_decimals(fake: FakeUnleashed) -> None:
    fake.add_product("SOUP", "Tomato soup", on_hand="12.5", min_level=20)
    async with httpx.AsyncClient() as http:
        unleashed = client_for(fake, http)
        [stock], [product] = await unleashed.stock_on_hand(), await unleashed.products()
    assert stock.QtyOnHand == Decimal("12.5") and stock.LastModifiedOn is not None
    assert stock.LastModifiedOn.tzinfo is not None
    assert product.min_level == Decimal(20)


def test_ms_dates() -> None:
    assert parse_date("/Date(1583225970451)/") == datetime(2020, 3, 3, 8, 59, 30, 451000, tzinfo=UTC)
    assert parse_date("/Date(1583225970451+0000)/") == parse_date("/Date(1583225970451)/")
    assert parse_date(None) is None
    with pytest.raises(ValueError):
        parse_date("2020-03-03")


async def test_a_wrong_key_is_403_not_retried_with_a_clear_message(fake: FakeUnleashed) -> None:
    async with httpx.AsyncClient() as http:
        client = UnleashedClient(http, base_url=fake.base_url, api_id=fake.api_id, api_key="wrong-key",
                                 client_type="acme/shopfloorbot")
        with pytest.raises(UnleashedAuthError) as caught:
            await Unleashed(client).products()
    assert len(fake.requests) == 1  # a refused signature stays refused: retrying only spends quota
    assert "UNLEASHED_API_KEY" in str(caught.value) and "wrong-key" not in str(caught.value)


async def test_429_and_5xx_back_off_then_succeed(fake: FakeUnleashed) -> None:
    fake.add_product("SOUP", "Soup", on_hand=1, min_level=2)
    fake.fail_next(1, status=429)
    fake.fail_next(1, status=503)
    async with httpx.AsyncClient() as http:
        unleashed = client_for(fake, http)
        rows = await unleashed.products()
    assert [r.ProductCode for r in rows] == ["SOUP"]
    assert [r.status for r in fake.requests] == [429, 503, 200]
    assert len(unleashed.client.sleeps) == 2  # type: ignore[attr-defined]
    assert unleashed.calls.used == 3  # every attempt counts against the monthly quota


async def test_the_sandbox_quota_counts_refused_calls_too(fake: FakeUnleashed) -> None:
    """Unleashed counts the calls it receives: a 429 and a refused signature spend quota like an answer."""
    fake.monthly_quota = 3
    fake.add_product("SOUP", "Soup", on_hand=1, min_level=2)
    fake.fail_next(1, status=429)
    async with httpx.AsyncClient() as http:
        wrong = UnleashedClient(http, base_url=fake.base_url, api_id=fake.api_id, api_key="wrong-key",
                                client_type="acme/shopfloorbot")
        with pytest.raises(UnleashedAuthError):
            await Unleashed(wrong).products()
        await client_for(fake, http).products()  # a 429, then the third call of the month
        with pytest.raises(UnleashedAuthError):
            await client_for(fake, http).products()
    assert [r.status for r in fake.requests] == [403, 429, 200, 403]
    assert fake.auth_refusals == ["The signature provided is not valid"]  # the last one was the quota


async def test_an_outage_ends_as_unavailable(fake: FakeUnleashed) -> None:
    fake.fail_next(10, status=500)
    async with httpx.AsyncClient() as http:
        with pytest.raises(UnleashedUnavailable):
            await client_for(fake, http, max_attempts=3).products()
    assert len(fake.requests) == 3


def test_call_counter_warns_before_the_quota_runs_out(caplog: pytest.LogCaptureFixture) -> None:
    moments = iter([datetime(2026, 1, 1, tzinfo=UTC)] + [datetime(2026, 1, 20, tzinfo=UTC)] * 10
                   + [datetime(2026, 2, 1, tzinfo=UTC)])
    counter = CallCounter(10, now=lambda: next(moments))
    with caplog.at_level(logging.WARNING, logger="integrations.unleashed.quota"):
        for _ in range(10):
            counter.count()
    assert counter.used == 10 and counter.describe().startswith("10 of 10")
    assert len([r for r in caplog.records if "quota" in r.getMessage()]) == 2  # at 80 % and at 95 %
    counter.count()  # 1 February: a new month, a new quota
    assert counter.used == 1
