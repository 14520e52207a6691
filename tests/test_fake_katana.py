"""The loopback Katana fake: wire conventions, floor behaviour, faults and webhooks."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from aiohttp import web

from sandbox import katana_seed as kitchen
from sandbox.katana import FakeKatana
from sandbox.openapi_check import SpecValidator, find_reference_dir

AUTH = {"Authorization": "Bearer katana-sandbox-key"}
BATCH_DONE = {"batch_transactions": [{"batch_id": kitchen.SOUP_BATCH_ID, "quantity": 120}]}


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_750_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def spec() -> SpecValidator:
    return SpecValidator.from_file(find_reference_dir() / "katana" / "live-gateway.yaml")


async def _running(fake: FakeKatana) -> AsyncIterator[FakeKatana]:
    await fake.start()
    try:
        yield fake
        # Tests that provoke violations on purpose clear them; anything left is a real finding.
        assert fake.violations == []
        assert fake.server_errors == []
    finally:
        await fake.stop()


@pytest.fixture
async def fake(spec: SpecValidator) -> AsyncIterator[FakeKatana]:
    async for running in _running(FakeKatana(validator=spec)):
        yield running


@pytest.fixture
async def katana(fake: FakeKatana) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=fake.base_url, headers=AUTH, timeout=5) as client:
        yield client


@pytest.fixture
async def receiver() -> AsyncIterator[dict[str, Any]]:
    """A tiny webhook endpoint on loopback; /broken answers 500."""
    seen: dict[str, Any] = {"calls": []}

    async def hook(request: web.Request) -> web.Response:
        seen["calls"].append({"path": request.path, "headers": dict(request.headers),
                              "body": await request.read()})
        return web.Response(status=500 if request.path == "/broken" else 200)

    app = web.Application()
    app.router.add_post("/{tail:.*}", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    seen["url"] = f"http://127.0.0.1:{runner.addresses[0][1]}"
    yield seen
    await runner.cleanup()


# --- wire conventions --------------------------------------------------------------------------------


async def test_requests_without_the_key_are_unauthorized(fake: FakeKatana) -> None:
    async with httpx.AsyncClient(base_url=fake.base_url) as anonymous:
        missing = await anonymous.get("/manufacturing_orders")
        wrong = await anonymous.get("/manufacturing_orders", headers={"Authorization": "Bearer nope"})
    expected = {"statusCode": 401, "name": "UnauthorizedError", "message": "Unauthorized"}
    assert (missing.status_code, missing.json()) == (401, expected)
    assert (wrong.status_code, wrong.json()) == (401, expected)


async def test_lists_are_wrapped_and_paged_with_string_headers(katana: httpx.AsyncClient) -> None:
    first = await katana.get("/manufacturing_order_operation_rows", params={"limit": 4})
    last = await katana.get("/manufacturing_order_operation_rows", params={"limit": 4, "page": 2})
    assert len(first.json()["data"]) == 4 and len(last.json()["data"]) == 2
    assert json.loads(first.headers["X-Pagination"]) == {
        "total_records": "6", "total_pages": "2", "page": "1", "first_page": "true", "last_page": "false"}
    assert json.loads(last.headers["X-Pagination"])["last_page"] == "true"


async def test_single_records_are_bare_and_operators_a_bare_list(katana: httpx.AsyncClient) -> None:
    order = (await katana.get(f"/manufacturing_orders/{kitchen.MO101_ID}")).json()
    operators = (await katana.get("/operators")).json()
    assert order["order_no"] == "MO-101" and order["sales_order_id"] == kitchen.SO7_ID
    assert order["is_linked_to_sales_order"] is True and order["planned_quantity"] == 120
    assert [o["operator_name"] for o in operators] == ["Ana Lopez", "Ben Carter"]


async def test_operators_can_be_served_wrapped(katana: httpx.AsyncClient, fake: FakeKatana) -> None:
    fake.operators_wrapped = True  # what audit-overrides.yaml reports from a live tenant
    wrapped = (await katana.get("/operators")).json()
    assert [o["id"] for o in wrapped["data"]] == [kitchen.ANA_OPERATOR_ID, kitchen.BEN_OPERATOR_ID]


async def test_unmodelled_endpoint_is_reported(katana: httpx.AsyncClient, fake: FakeKatana) -> None:
    answer = await katana.get("/stock_adjustments")
    assert answer.status_code == 404
    assert fake.server_errors == ["the Katana sandbox does not model GET /stock_adjustments"]
    fake.server_errors.clear()


async def test_not_found_shape(katana: httpx.AsyncClient) -> None:
    answer = await katana.get("/manufacturing_orders/999999")
    assert answer.status_code == 404
    assert answer.json() == {"statusCode": 404, "name": "NotFoundError", "message": "Not found"}


async def test_filters_apply_and_unknown_ones_are_ignored(katana: httpx.AsyncClient,
                                                          fake: FakeKatana) -> None:
    by_sku = await katana.get("/variants", params={"sku": kitchen.CHILI_SKU})
    by_status = await katana.get("/manufacturing_orders", params={"is_linked_to_sales_order": "false"})
    assert [v["id"] for v in by_sku.json()["data"]] == [kitchen.CHILI_VARIANT_ID]
    assert [m["id"] for m in by_status.json()["data"]] == [kitchen.MO102_ID]
    fake.validator = None  # the real API accepts undeclared filters silently
    unknown = await katana.get("/manufacturing_orders", params={"sku": kitchen.CHILI_SKU})
    assert len(unknown.json()["data"]) == 2


async def test_spec_violation_is_422_and_recorded(katana: httpx.AsyncClient, fake: FakeKatana) -> None:
    row_id = kitchen.MO101_ROW_IDS[0]
    answer = await katana.patch(f"/manufacturing_order_operation_rows/{row_id}", json={"status": "DONE"})
    assert answer.status_code == 422
    body = answer.json()
    assert body["code"] == "VALIDATION_FAILED" and body["name"] == "UnprocessableEntityError"
    assert body["details"][0]["path"] == ".status"
    assert fake.operation_rows[row_id]["status"] == "NOT_STARTED"
    assert len(fake.violations) == 1 and "DONE" in fake.violations[0]
    fake.violations.clear()


# --- Katana behaviour --------------------------------------------------------------------------------


async def test_patch_without_additional_info_wipes_it(katana: httpx.AsyncClient, fake: FakeKatana) -> None:
    url = f"/manufacturing_orders/{kitchen.MO101_ID}"
    echoed = await katana.patch(url, json={"status": "IN_PROGRESS",
                                           "additional_info": kitchen.MO101_ADDITIONAL_INFO})
    assert echoed.json()["additional_info"] == kitchen.MO101_ADDITIONAL_INFO
    wiped = await katana.patch(url, json={"status": "BLOCKED"})
    assert wiped.json()["additional_info"] == ""
    assert fake.manufacturing_orders[kitchen.MO101_ID]["additional_info"] == ""


async def test_production_adds_to_batch_stock_and_consumes_per_plan(katana: httpx.AsyncClient) -> None:
    soup_batch = {"batch_id": kitchen.SOUP_BATCH_ID, "location_id": kitchen.CENTRAL_KITCHEN_ID}
    before = (await katana.get("/batch_stocks", params=soup_batch)).json()["data"]
    answer = await katana.post("/manufacturing_order_productions", json={
        "manufacturing_order_id": kitchen.MO101_ID, "completed_quantity": 5,
        "completed_date": "2025-06-15T09:30:00+02:00",
        "batch_transaction": {"batch_id": kitchen.SOUP_BATCH_ID}})
    assert answer.status_code == 200
    production = answer.json()
    assert production["quantity"] == 5 and production["production_date"] == "2025-06-15T07:30:00.000Z"
    tomatoes = next(i for i in production["ingredients"] if i["variant_id"] == kitchen.TOMATOES_VARIANT_ID)
    assert tomatoes["quantity"] == 2  # 0.4 kg per jar x 5
    after = (await katana.get("/batch_stocks", params=soup_batch)).json()["data"]
    assert [before[0]["quantity_in_stock"], after[0]["quantity_in_stock"]] == ["10.00000", "15.00000"]
    stock = (await katana.get("/inventory", params={"variant_id": kitchen.TOMATOES_VARIANT_ID})).json()
    assert stock["data"][0]["quantity_in_stock"] == "148.00000"
    order = (await katana.get(f"/manufacturing_orders/{kitchen.MO101_ID}")).json()
    assert order["status"] == "PARTIALLY_COMPLETED"


async def test_production_rules(katana: httpx.AsyncClient, fake: FakeKatana) -> None:
    zero = await katana.post("/manufacturing_order_productions", json={
        "manufacturing_order_id": kitchen.MO101_ID, "completed_quantity": 0,
        "batch_transaction": {"batch_id": kitchen.SOUP_BATCH_ID}})
    no_batch = await katana.post("/manufacturing_order_productions", json={
        "manufacturing_order_id": kitchen.MO101_ID, "completed_quantity": 1})
    missing = await katana.post("/manufacturing_order_productions", json={
        "manufacturing_order_id": 424242, "completed_quantity": 1})
    assert [zero.status_code, no_batch.status_code, missing.status_code] == [422, 422, 404]
    assert fake.productions == {}


async def test_done_sets_date_quantity_and_stock(katana: httpx.AsyncClient, fake: FakeKatana) -> None:
    answer = await katana.patch(f"/manufacturing_orders/{kitchen.MO101_ID}", json={
        "status": "DONE", "actual_quantity": 118, "done_date": "2025-06-15T16:00:00Z", **BATCH_DONE})
    order = answer.json()
    assert (order["status"], order["actual_quantity"], order["done_date"]) == (
        "DONE", 118, "2025-06-15T16:00:00.000Z")
    assert fake.stock_of(kitchen.SOUP_VARIANT_ID, kitchen.CENTRAL_KITCHEN_ID) == 10 + 118
    again = await katana.post("/manufacturing_order_productions", json={
        "manufacturing_order_id": kitchen.MO101_ID, "completed_quantity": 1,
        "batch_transaction": {"batch_id": kitchen.SOUP_BATCH_ID}})
    assert again.status_code == 422


async def test_done_without_a_batch_is_refused_and_changes_nothing(katana: httpx.AsyncClient,
                                                                   fake: FakeKatana) -> None:
    answer = await katana.patch(f"/manufacturing_orders/{kitchen.MO101_ID}",
                                json={"status": "DONE", "actual_quantity": 118})
    assert answer.status_code == 422
    order = fake.manufacturing_orders[kitchen.MO101_ID]
    assert order["status"] == "NOT_STARTED" and order["additional_info"] == kitchen.MO101_ADDITIONAL_INFO


async def test_new_batch_and_batch_edit(katana: httpx.AsyncClient) -> None:
    created = await katana.post("/batches", json={"batch_number": "B-SOUP-0615",
                                                  "variant_id": kitchen.SOUP_VARIANT_ID})
    batch_id = created.json()["id"]
    edited = await katana.patch(f"/batch_stocks/{batch_id}", json={
        "expiration_date": "2025-12-31T00:00:00Z"})
    duplicate = await katana.post("/batches", json={"batch_number": "B-SOUP-0615",
                                                    "variant_id": kitchen.SOUP_VARIANT_ID})
    assert created.status_code == 200 and edited.json()["expiration_date"] == "2025-12-31T00:00:00.000Z"
    assert duplicate.status_code == 422
    chili = {"variant_id": kitchen.CHILI_VARIANT_ID}
    stocked = (await katana.get("/batch_stocks", params=chili)).json()["data"]
    everything = (await katana.get("/batch_stocks", params={**chili, "include_empty": "true"})).json()["data"]
    assert [s["location_id"] for s in stocked] == [kitchen.FBA_LOCATION_ID]
    assert len(everything) == 2


async def test_helper_opens_an_order_with_cook_label_pack(fake: FakeKatana) -> None:
    order = fake.create_manufacturing_order(variant_id=kitchen.CHILI_VARIANT_ID, planned_quantity=40)
    rows = sorted((r for r in fake.operation_rows.values() if r["manufacturing_order_id"] == order["id"]),
                  key=lambda r: r["rank"])
    assert [(r["rank"], r["operation_name"]) for r in rows] == [(1, "Cook"), (2, "Label"), (3, "Pack")]
    assert order["status"] == "NOT_STARTED" and order["planned_quantity"] == 40


# --- rate limit and faults ---------------------------------------------------------------------------


async def test_rate_limit_answers_429_with_retry_after(spec: SpecValidator) -> None:
    clock = FakeClock()
    async for fake in _running(FakeKatana(validator=spec, rate_limit_per_minute=3, clock=clock)):
        async with httpx.AsyncClient(base_url=fake.base_url, headers=AUTH) as katana:
            answers = [await katana.get("/locations") for _ in range(3)]
            clock.now += 20
            refused = await katana.get("/locations")
            clock.now += 41
            again = await katana.get("/locations")
    assert [a.headers["X-Ratelimit-Remaining"] for a in answers] == ["2", "1", "0"]
    assert answers[0].headers["X-Ratelimit-Limit"] == "3"
    assert int(answers[0].headers["X-Ratelimit-Reset"]) == int((1_750_000_000 + 60) * 1000)
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "40"
    assert refused.json() == {"statusCode": 429, "name": "TooManyRequests", "message": "Too Many Requests"}
    assert again.status_code == 200


async def test_attempts_answered_429_count_against_the_limit(spec: SpecValidator) -> None:
    """Katana counts every attempt: retrying a 429 at once keeps the window full. Fails on the old fake,
    which counted only the requests it let through (the call at +61 s was answered 200)."""
    clock = FakeClock()
    async for fake in _running(FakeKatana(validator=spec, rate_limit_per_minute=3, clock=clock)):
        async with httpx.AsyncClient(base_url=fake.base_url, headers=AUTH) as katana:
            [await katana.get("/locations") for _ in range(3)]
            clock.now += 30
            hammered = [await katana.get("/locations") for _ in range(3)]
            clock.now += 31
            still = await katana.get("/locations")
            clock.now += 30
            freed = await katana.get("/locations")
    assert [a.status_code for a in hammered] == [429, 429, 429]
    assert still.status_code == 429 and still.headers["Retry-After"] == "29"
    assert freed.status_code == 200


async def test_fail_next_then_recover(katana: httpx.AsyncClient, fake: FakeKatana) -> None:
    fake.fail_next(1, status=503, method="PATCH", path_prefix="/manufacturing_orders")
    read = await katana.get("/manufacturing_orders")  # a GET does not match the fault
    body = {"status": "IN_PROGRESS", "additional_info": "x"}
    failed = await katana.patch(f"/manufacturing_orders/{kitchen.MO102_ID}", json=body)
    assert (read.status_code, failed.status_code) == (200, 503)
    assert fake.manufacturing_orders[kitchen.MO102_ID]["status"] == "NOT_STARTED"
    retried = await katana.patch(f"/manufacturing_orders/{kitchen.MO102_ID}", json=body)
    assert retried.status_code == 200
    assert [w.status for w in fake.writes("/manufacturing_orders")] == [503, 200]


async def test_apply_first_books_the_write_but_loses_the_answer(katana: httpx.AsyncClient,
                                                                fake: FakeKatana) -> None:
    fake.fail_next(status=500, path_prefix="/manufacturing_order_productions", apply_first=True)
    answer = await katana.post("/manufacturing_order_productions", json={
        "manufacturing_order_id": kitchen.MO101_ID, "completed_quantity": 3,
        "batch_transaction": {"batch_id": kitchen.SOUP_BATCH_ID}})
    assert answer.status_code == 500 and answer.json()["name"] == "InternalServerError"
    assert [p["quantity"] for p in fake.productions.values()] == [3]


async def test_hang_provokes_a_client_timeout(katana: httpx.AsyncClient, fake: FakeKatana) -> None:
    fake.fail_next(hang=2.0, path_prefix="/locations")
    with pytest.raises(httpx.ReadTimeout):
        await katana.get("/locations", timeout=0.2)
    assert (await katana.get("/locations")).status_code == 200


async def test_outage_answers_503_until_back(katana: httpx.AsyncClient, fake: FakeKatana) -> None:
    fake.go_down()
    down = await katana.get("/locations")
    fake.come_up()
    up = await katana.get("/locations")
    assert (down.status_code, up.status_code) == (503, 200)


# --- webhooks ----------------------------------------------------------------------------------------


def _signed_by(call: dict[str, Any], token: str) -> bool:
    expected = hmac.new(token.encode(), call["body"], hashlib.sha256).hexdigest()
    return hmac.compare_digest(call["headers"]["x-sha2-signature"], expected)


async def test_webhooks_are_signed_thin_references(katana: httpx.AsyncClient, fake: FakeKatana,
                                                   receiver: dict[str, Any]) -> None:
    hook = fake.subscribe(receiver["url"] + "/katana", ["manufacturing_order_operation_row.completed",
                                                        "manufacturing_order.done"], token="s3cret")
    row_id = kitchen.MO102_ROW_IDS[0]
    fake.complete_operation_in_app(row_id)
    await katana.patch(f"/manufacturing_order_operation_rows/{kitchen.MO102_ROW_IDS[1]}",
                       json={"status": "COMPLETED", "completed_by_operators": [{"operator_id": 41}]})
    await fake.flush_webhooks()
    assert len(receiver["calls"]) == 2 and all(_signed_by(c, "s3cret") for c in receiver["calls"])
    first = json.loads(receiver["calls"][0]["body"])
    assert first == {"resource_type": "manufacturing_order_operation_row",
                     "action": "manufacturing_order_operation_row.completed", "webhook_id": hook["id"],
                     "object": {"id": row_id, "status": "COMPLETED",
                                "href": f"{fake.base_url}/manufacturing_order_operation_rows/{row_id}"}}
    assert fake.operation_rows[kitchen.MO102_ROW_IDS[1]]["completed_by_operators"][0]["name"] == "Ana Lopez"
    assert [d["status"] for d in fake.deliveries] == [200, 200]


async def test_done_fires_done_and_updated_and_redelivery_is_marked(
        katana: httpx.AsyncClient, fake: FakeKatana, receiver: dict[str, Any]) -> None:
    fake.subscribe(receiver["url"] + "/katana", ["manufacturing_order.done", "manufacturing_order.updated"])
    fake.subscribe(receiver["url"] + "/broken", ["manufacturing_order.done"])
    await katana.patch(f"/manufacturing_orders/{kitchen.MO101_ID}",
                       json={"status": "DONE", "actual_quantity": 120, **BATCH_DONE})
    await fake.flush_webhooks()
    assert sorted((d["event"], d["status"]) for d in fake.deliveries) == [
        ("manufacturing_order.done", 200), ("manufacturing_order.done", 500),
        ("manufacturing_order.updated", 200)]
    await fake.redeliver_last(1)
    retry = receiver["calls"][-1]
    assert retry["headers"]["X-Katana-Retry-Num"] == "1" and retry["body"] == fake.deliveries[-2]["body"]


async def test_registered_webhook_returns_its_token(katana: httpx.AsyncClient, fake: FakeKatana) -> None:
    created = await katana.post("/webhooks", json={"url": "https://bot.example.com/webhooks/katana",
                                                   "subscribed_events": ["manufacturing_order.done"]})
    hook = created.json()
    assert created.status_code == 200 and len(hook["token"]) >= 16 and hook["enabled"] is True
    listed = (await katana.get("/webhooks")).json()["data"]
    assert [h["id"] for h in listed] == [hook["id"]]
    assert (await katana.delete(f"/webhooks/{hook['id']}")).status_code == 204
    assert fake.webhooks == {}
