"""FBA stock transfers: the status Katana is asked for, what the bot accepts back, how the sandbox moves stock."""
from __future__ import annotations

import json
import random
from collections.abc import AsyncIterator
from decimal import Decimal

import httpx
import pytest

from integrations.katana.client import KatanaClient
from integrations.katana.ratelimit import RateLimiter
from integrations.katana.stock import IN_TRANSIT, StockService
from sandbox import katana_seed as kitchen
from sandbox.katana import FakeKatana
from sandbox.openapi_check import SpecValidator, find_reference_dir

AUTH = {"Authorization": "Bearer katana-sandbox-key"}


@pytest.mark.parametrize("answer, reported", [
    (httpx.Response(200, json={"id": 6001, "status": "inTransit"}), "inTransit"),  # live-gateway.yaml's words
    (httpx.Response(200, json={"id": 6001, "status": "received"}), "received"),  # readme-portal.yaml's
    (httpx.Response(200, json={"id": 6001}), None),  # no status in the answer
    (httpx.Response(204), None),
])
async def test_the_status_is_sent_as_the_gateway_spec_says_and_any_answer_is_taken(
        answer: httpx.Response, reported: str | None) -> None:
    sent: list[httpx.Request] = []

    def katana(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return answer

    async with httpx.AsyncClient(transport=httpx.MockTransport(katana)) as http:
        client = KatanaClient(http, base_url="http://katana.test/v1", api_key="k", rng=random.Random(1),
                              limiter=RateLimiter(1000))
        assert await StockService(client).set_transfer_status(6001, IN_TRANSIT) == reported
    [request] = sent
    assert (request.method, request.url.path) == ("PATCH", "/v1/stock_transfers/6001/status")
    body = json.loads(request.content)
    assert body == {"status": "inTransit"}
    assert SpecValidator.from_file().validate("PATCH", "/stock_transfers/6001/status", [], body) == []


@pytest.fixture
async def katana() -> AsyncIterator[tuple[FakeKatana, httpx.AsyncClient]]:
    fake = FakeKatana(validator=SpecValidator.from_file(find_reference_dir() / "katana" / "live-gateway.yaml"))
    await fake.start()
    async with httpx.AsyncClient(base_url=fake.base_url, headers=AUTH) as http:
        yield fake, http
    await fake.stop()
    assert fake.server_errors == []


def stock(fake: FakeKatana, location: int) -> Decimal:
    return fake.batch_stock(kitchen.SOUP_BATCH_ID, location)["quantity_in_stock"]


async def test_the_sandbox_moves_stock_as_the_transfer_goes(katana: tuple[FakeKatana, httpx.AsyncClient]) -> None:
    fake, http = katana
    row = {"variant_id": kitchen.SOUP_VARIANT_ID, "quantity": "4",
           "traceability": [{"batch_id": kitchen.SOUP_BATCH_ID, "quantity": "4"}]}
    created = (await http.post("/stock_transfers", json={
        "stock_transfer_number": "ST-9", "source_location_id": kitchen.CENTRAL_KITCHEN_ID,
        "target_location_id": kitchen.FBA_LOCATION_ID, "stock_transfer_rows": [row]})).json()
    assert created["status"] == "draft" and (stock(fake, kitchen.CENTRAL_KITCHEN_ID), stock(fake, kitchen.FBA_LOCATION_ID)) == (10, 24)
    status = f"/stock_transfers/{created['id']}/status"
    sent = await http.patch(status, json={"status": "inTransit"})
    assert sent.json()["status"] == "inTransit" and (stock(fake, kitchen.CENTRAL_KITCHEN_ID), stock(fake, kitchen.FBA_LOCATION_ID)) == (6, 24)
    assert (await http.patch(status, json={"status": "inTransit"})).status_code == 200  # again: nothing moves twice
    arrived = await http.patch(status, json={"status": "received"})
    assert arrived.json()["status"] == "received" and (stock(fake, kitchen.CENTRAL_KITCHEN_ID), stock(fake, kitchen.FBA_LOCATION_ID)) == (6, 28)
    back = await http.patch(status, json={"status": "draft"})
    assert back.status_code == 422 and stock(fake, kitchen.CENTRAL_KITCHEN_ID) == 6
    created_word = await http.patch(status, json={"status": "created"})  # the portal's word: not the gateway's
    assert created_word.status_code == 422 and fake.violations
    fake.violations.clear()
