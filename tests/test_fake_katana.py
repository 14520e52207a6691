"""The loopback Katana fake: wire conventions, floor behaviour, faults and webhooks."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import httpx
import pytest
from aiohttp import web

from sandbox import katana_seed as kitchen
from sandbox.katana import FakeKatana
from sandbox.openapi_check import SpecValidator, find_reference_dir

AUTH = {"Authorization": "Bearer katana-sandbox-key"}
BATCH_DONE = {"batch_transactions": [{"batch_id": kitchen.CHILI_BATCH_ID, "quantity": 120}]}
OIL = kitchen.OLIVE_OIL_VARIANT_ID


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
    answer = await katana.get("/stocktakes")
    assert answer.status_code == 404
    assert fake.server_errors == ["the Katana sandbox does not model GET /stocktakes"]
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


async def test_additional_info_takes_null_and_refuses_empty_text(katana: httpx.AsyncClient, fake: FakeKatana) -> None:
    """What the gateway spec allows, exactly: nullable, minLength 1."""
    url = f"/manufacturing_orders/{kitchen.MO101_ID}"
    refused = await katana.patch(url, json={"additional_info": ""})
    assert refused.status_code == 422 and fake.manufacturing_orders[kitchen.MO101_ID]["additional_info"]
    assert len(fake.violations) == 1 and "additional_info" in fake.violations[0]
    fake.violations.clear()
    cleared = await katana.patch(url, json={"additional_info": None})
    assert cleared.status_code == 200 and cleared.json()["additional_info"] is None


async def test_production_adds_to_batch_stock_and_consumes_per_plan(katana: httpx.AsyncClient) -> None:
    chili_batch = {"batch_id": kitchen.CHILI_BATCH_ID, "location_id": kitchen.FBA_LOCATION_ID}
    await katana.patch(f"/manufacturing_orders/{kitchen.MO102_ID}", json={"location_id": kitchen.FBA_LOCATION_ID})
    before = (await katana.get("/batch_stocks", params=chili_batch)).json()["data"]
    answer = await katana.post("/manufacturing_order_productions", json={
        "manufacturing_order_id": kitchen.MO102_ID, "completed_quantity": 5,
        "completed_date": "2025-06-15T09:30:00+02:00",
        "batch_transaction": {"batch_id": kitchen.CHILI_BATCH_ID}})
    assert answer.status_code == 200
    production = answer.json()
    assert production["quantity"] == 5 and production["production_date"] == "2025-06-15T07:30:00.000Z"
    beef = next(i for i in production["ingredients"] if i["variant_id"] == kitchen.BEEF_MINCE_VARIANT_ID)
    assert beef["quantity"] == 1  # 0.2 kg per jar x 5
    after = (await katana.get("/batch_stocks", params=chili_batch)).json()["data"]
    assert [before[0]["quantity_in_stock"], after[0]["quantity_in_stock"]] == ["12.00000", "17.00000"]
    order = (await katana.get(f"/manufacturing_orders/{kitchen.MO102_ID}")).json()
    assert order["status"] == "PARTIALLY_COMPLETED"


def soup_ingredients(oil: Any = 1.2, oil_batches: Any = None, **actual: Any) -> list[dict[str, Any]]:
    """Every recipe row of MO-101 for 120 jars, at plan unless given; olive oil from the full batch."""
    tomatoes, onions, jars, labels, oil_row = kitchen.MO101_RECIPE_ROW_IDS
    plan = {tomatoes: actual.get("tomatoes", 48), onions: actual.get("onions", 6), jars: 120, labels: 120}
    rows = [{"manufacturing_order_recipe_row_id": r, "quantity": q} for r, q in plan.items()]
    batches = oil_batches if oil_batches is not None else [{"batch_id": kitchen.OIL_BATCH_ID, "quantity": oil}]
    return [*rows, {"manufacturing_order_recipe_row_id": oil_row, "quantity": oil, "batch_transactions": batches}]


async def produce_soup(katana: httpx.AsyncClient, ingredients: Any, quantity: int = 120) -> httpx.Response:
    return await katana.post("/manufacturing_order_productions", json={
        "manufacturing_order_id": kitchen.MO101_ID, "completed_quantity": quantity,
        "batch_transaction": {"batch_id": kitchen.SOUP_BATCH_ID}, **({"ingredients": ingredients} if ingredients
                                                                      is not None else {})})


async def test_production_consumes_the_given_actuals_from_their_batches(katana: httpx.AsyncClient,
                                                                        fake: FakeKatana) -> None:
    answer = await produce_soup(katana, soup_ingredients(oil=1.5, tomatoes=50.5))
    assert answer.status_code == 200
    assert fake.stock_of(kitchen.TOMATOES_VARIANT_ID, kitchen.CENTRAL_KITCHEN_ID) == Decimal("99.5")  # 150 − 50.5
    assert fake.batch_stock(kitchen.OIL_BATCH_ID, kitchen.CENTRAL_KITCHEN_ID)["quantity_in_stock"] == Decimal("248.5")
    assert fake.batch_stock(kitchen.SOUP_BATCH_ID, kitchen.CENTRAL_KITCHEN_ID)["quantity_in_stock"] == 130

    gone = await katana.delete(f"/manufacturing_order_productions/{answer.json()['id']}")
    assert gone.status_code == 204  # the actuals come back, into the batch they were taken from
    assert fake.stock_of(kitchen.TOMATOES_VARIANT_ID, kitchen.CENTRAL_KITCHEN_ID) == 150
    assert fake.batch_stock(kitchen.OIL_BATCH_ID, kitchen.CENTRAL_KITCHEN_ID)["quantity_in_stock"] == 250
    assert fake.batch_stock(kitchen.SOUP_BATCH_ID, kitchen.CENTRAL_KITCHEN_ID)["quantity_in_stock"] == 10


async def test_ingredient_rules(katana: httpx.AsyncClient, fake: FakeKatana) -> None:
    refused = [
        await produce_soup(katana, None),  # olive oil is batch-tracked: the plan alone names no batch
        await produce_soup(katana, soup_ingredients(oil_batches=[])),  # a tracked ingredient without its batch
        await produce_soup(katana, soup_ingredients()[1:]),  # a recipe row left out
        await produce_soup(katana, soup_ingredients(oil=2, oil_batches=[  # more than the old batch holds
            {"batch_id": kitchen.OIL_OLD_BATCH_ID, "quantity": 2}])),
        await produce_soup(katana, soup_ingredients(oil_batches=[  # not a batch of olive oil
            {"batch_id": kitchen.SOUP_BATCH_ID, "quantity": 1.2}])),
    ]
    assert [r.status_code for r in refused] == [422] * 5
    assert fake.productions == {} and fake.stock_of(OIL, kitchen.CENTRAL_KITCHEN_ID) == Decimal("250.8")


async def test_done_below_what_the_productions_booked_is_refused(katana: httpx.AsyncClient,
                                                                 fake: FakeKatana) -> None:
    assert (await produce_soup(katana, soup_ingredients(), quantity=118)).status_code == 200
    below = await katana.patch(f"/manufacturing_orders/{kitchen.MO101_ID}",
                               json={"status": "DONE", "actual_quantity": 116})
    at_booked = await katana.patch(f"/manufacturing_orders/{kitchen.MO101_ID}",
                                   json={"status": "DONE", "actual_quantity": 118})
    assert (below.status_code, at_booked.status_code) == (422, 200)
    assert fake.batch_stock(kitchen.SOUP_BATCH_ID, kitchen.CENTRAL_KITCHEN_ID)["quantity_in_stock"] == 10 + 118


async def test_stock_adjustment_moves_stock_in_its_batch(katana: httpx.AsyncClient, fake: FakeKatana) -> None:
    def adjustment(number: str, quantity: Any, trace: Any) -> dict[str, Any]:
        row: dict[str, Any] = {"variant_id": kitchen.SOUP_VARIANT_ID, "quantity": quantity}
        if trace is not None:
            row["traceability"] = trace
        return {"stock_adjustment_number": number, "location_id": kitchen.CENTRAL_KITCHEN_ID,
                "reason": "Packing loss", "stock_adjustment_rows": [row]}
    loss = await katana.post("/stock_adjustments", json=adjustment("SA-1", -2, [
        {"batch_id": kitchen.SOUP_BATCH_ID, "quantity": "-2"}]))
    assert loss.status_code == 200 and loss.json()["stock_adjustment_rows"][0]["quantity"] == -2
    assert fake.batch_stock(kitchen.SOUP_BATCH_ID, kitchen.CENTRAL_KITCHEN_ID)["quantity_in_stock"] == 8
    assert fake.stock_of(kitchen.SOUP_VARIANT_ID, kitchen.CENTRAL_KITCHEN_ID) == 8
    refused = [await katana.post("/stock_adjustments", json=body) for body in (
        adjustment("SA-2", -2, None),  # a tracked item without its batch
        adjustment("SA-3", -20, [{"batch_id": kitchen.SOUP_BATCH_ID, "quantity": "-20"}]),  # below zero
        adjustment("SA-4", -2, [{"batch_id": kitchen.SOUP_BATCH_ID, "quantity": "-1"}]),  # not covered
        adjustment("SA-1", 2, [{"batch_id": kitchen.SOUP_BATCH_ID, "quantity": "2"}]))]  # number taken
    assert [r.status_code for r in refused] == [422] * 4
    found = (await katana.get("/stock_adjustments", params={"stock_adjustment_number": "SA-1"})).json()["data"]
    assert [a["id"] for a in found] == [loss.json()["id"]] and len(fake.stock_adjustments) == 1


async def test_production_rules(katana: httpx.AsyncClient, fake: FakeKatana) -> None:
    zero = await katana.post("/manufacturing_order_productions", json={
        "manufacturing_order_id": kitchen.MO102_ID, "completed_quantity": 0,
        "batch_transaction": {"batch_id": kitchen.CHILI_BATCH_ID}})
    no_batch = await katana.post("/manufacturing_order_productions", json={
        "manufacturing_order_id": kitchen.MO102_ID, "completed_quantity": 1})
    missing = await katana.post("/manufacturing_order_productions", json={
        "manufacturing_order_id": 424242, "completed_quantity": 1})
    assert [zero.status_code, no_batch.status_code, missing.status_code] == [422, 422, 404]
    assert fake.productions == {}


async def test_done_sets_date_quantity_and_stock(katana: httpx.AsyncClient, fake: FakeKatana) -> None:
    answer = await katana.patch(f"/manufacturing_orders/{kitchen.MO102_ID}", json={
        "status": "DONE", "actual_quantity": 118, "done_date": "2025-06-15T16:00:00Z", **BATCH_DONE})
    order = answer.json()
    assert (order["status"], order["actual_quantity"], order["done_date"]) == (
        "DONE", 118, "2025-06-15T16:00:00.000Z")
    assert fake.stock_of(kitchen.CHILI_VARIANT_ID, kitchen.CENTRAL_KITCHEN_ID) == 0 + 118
    again = await katana.post("/manufacturing_order_productions", json={
        "manufacturing_order_id": kitchen.MO102_ID, "completed_quantity": 1,
        "batch_transaction": {"batch_id": kitchen.CHILI_BATCH_ID}})
    assert again.status_code == 422


async def test_a_done_orders_operation_rows_take_only_operators_and_time(katana: httpx.AsyncClient,
                                                                         fake: FakeKatana) -> None:
    """readme-portal, PATCH operation row: only completed_by_operators and total_actual_time once the MO is DONE."""
    row = next(r for r in fake.operation_rows.values() if r["manufacturing_order_id"] == kitchen.MO102_ID)
    await katana.patch(f"/manufacturing_orders/{kitchen.MO102_ID}", json={"status": "DONE", "actual_quantity": 120,
                                                                          **BATCH_DONE})
    status = await katana.patch(f"/manufacturing_order_operation_rows/{row['id']}",
                                json={"status": "COMPLETED", "total_actual_time": 60})
    time = await katana.patch(f"/manufacturing_order_operation_rows/{row['id']}",
                              json={"total_actual_time": 90, "completed_by_operators": [{"name": "Ana"}]})
    assert status.status_code == 422 and status.json()["details"][0]["path"] == ".status"
    assert time.status_code == 200
    assert (fake.operation_rows[row["id"]]["status"], fake.operation_rows[row["id"]]["total_actual_time"]) == (
        row["status"], 90)


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


async def test_batch_stock_comes_in_the_documented_order(katana: httpx.AsyncClient) -> None:
    """readme-portal.yaml getBatchStock: "sorted order, base on location_id ASC, variant_id ASC, batch_id DESC".
    The seed's two olive-oil batches: the newer (higher id) first, so a client must sort for first in, first out."""
    rows = (await katana.get("/batch_stocks")).json()["data"]
    keys = [(r["location_id"], r["variant_id"], -r["batch_id"]) for r in rows]
    assert keys == sorted(keys) and len(rows) > 2
    oil = [r["batch_id"] for r in rows if r["variant_id"] == OIL]
    assert oil == [kitchen.OIL_BATCH_ID, kitchen.OIL_OLD_BATCH_ID]


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
        "manufacturing_order_id": kitchen.MO102_ID, "completed_quantity": 3,
        "batch_transaction": {"batch_id": kitchen.CHILI_BATCH_ID}})
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
    await katana.patch(f"/manufacturing_orders/{kitchen.MO102_ID}",
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


async def test_a_packed_fulfilment_delivered_by_patch_takes_its_stock_once(katana: httpx.AsyncClient,
                                                                          fake: FakeKatana) -> None:
    """PATCH /sales_order_fulfillments/{id}: only the given fields change; never back from DELIVERED."""
    batch = kitchen.SOUP_BATCH_ID
    before = fake.batch_stock(batch, kitchen.CENTRAL_KITCHEN_ID)["quantity_in_stock"]
    packed = (await katana.post("/sales_order_fulfillments", json={
        "sales_order_id": kitchen.SO7_ID, "status": "PACKED", "tracking_carrier": "DHL",
        "sales_order_fulfillment_rows": [{"sales_order_row_id": kitchen.SO7_ROW_ID, "quantity": 4,
                                          "traceability": [{"batch_id": batch, "quantity": "4"}]}]})).json()
    assert fake.batch_stock(batch, kitchen.CENTRAL_KITCHEN_ID)["quantity_in_stock"] == before
    url = f"/sales_order_fulfillments/{packed['id']}"
    for _ in range(2):  # the same PATCH again changes nothing
        delivered = await katana.patch(url, json={"status": "DELIVERED", "tracking_number": "JD1"})
        assert delivered.status_code == 200
    assert (delivered.json()["status"], delivered.json()["tracking_carrier"]) == ("DELIVERED", "DHL")
    assert fake.batch_stock(batch, kitchen.CENTRAL_KITCHEN_ID)["quantity_in_stock"] == before - 4
    assert (await katana.patch(url, json={"status": "PACKED"})).status_code == 422
    assert (await katana.patch(url, json={"tracking_number": ""})).status_code == 422  # minLength 1
    assert len(fake.violations) == 1 and "tracking_number" in fake.violations[0]
    fake.violations.clear()
    assert (await katana.patch("/sales_order_fulfillments/999999", json={"status": "DELIVERED"})).status_code == 404
