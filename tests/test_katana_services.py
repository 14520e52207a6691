"""The floor-domain services: exact request bodies, echo rules, client-side filtering."""
from __future__ import annotations

import asyncio
import json
import random
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import httpx
import pytest

from integrations.katana import Katana, KatanaError, KatanaNotFound, KatanaOutcomeUnknown, OperatorRef, build_katana
from integrations.katana.client import KatanaClient
from integrations.katana.inventory import AdjustmentLine
from integrations.katana.manufacturing import IngredientUse
from integrations.katana.ratelimit import RateLimiter

try:  # the shared spec checker; its absence must not hide the other assertions
    from sandbox.openapi_check import SpecValidator
except ImportError:  # pragma: no cover
    SpecValidator = None  # type: ignore[assignment,misc]

API_KEY = "kat_test_key_123456"
BASE = "http://katana.test/v1"
CEST = timezone(timedelta(hours=2))
Handler = Callable[[httpx.Request], httpx.Response]


class FakeKatana:
    """Routes (METHOD, path) to canned handlers and records what was sent."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], Handler] = {}
        self.sent: list[tuple[str, str, list[tuple[str, str]], Any]] = []
        self.raw_bodies: list[bytes] = []

    def on(self, method: str, path: str, reply: Handler | object) -> None:
        self.routes[(method, path)] = reply if callable(reply) else (lambda _r: _json(reply))

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/v1")
        body = json.loads(request.content, parse_float=Decimal) if request.content else None
        self.sent.append((request.method, path, request.url.params.multi_items(), body))
        self.raw_bodies.append(request.content)
        handler = self.routes.get((request.method, path))
        return handler(request) if handler else httpx.Response(404, json={"message": "Not found"})

    def calls(self, method: str | None = None) -> list[tuple[str, str]]:
        return [(m, p) for m, p, _q, _b in self.sent if method in (None, m)]

    def body(self, method: str, path: str) -> Any:
        return next(b for m, p, _q, b in self.sent if (m, p) == (method, path))

    def assert_conforms_to_spec(self) -> None:
        if SpecValidator is None:
            pytest.skip("sandbox.openapi_check is not available")
        validator = SpecValidator.from_file()
        problems = [v for m, p, q, b in self.sent
                    for v in validator.validate(m, p, q, _plain(b))]
        assert problems == []


def _json(payload: object, status: int = 200) -> httpx.Response:
    return httpx.Response(status, json=payload)


def _plain(value: Any) -> Any:
    """JSON Schema validators want floats, not Decimals."""
    return json.loads(json.dumps(value, default=float)) if value is not None else None


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += max(0.0, seconds)
        await asyncio.sleep(0)


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def katana_api() -> FakeKatana:
    return FakeKatana()


@pytest.fixture
def katana(katana_api: FakeKatana, fake_time: FakeTime) -> Katana:
    http = httpx.AsyncClient(transport=httpx.MockTransport(katana_api))
    limiter = RateLimiter(1000, clock=fake_time.clock, sleep=fake_time.sleep)
    client = KatanaClient(http, base_url=BASE, api_key=API_KEY, limiter=limiter, sleep=fake_time.sleep,
                          rng=random.Random(1))
    facade = Katana(client)
    facade.manufacturing._clock = fake_time.clock  # operators cache on the simulated clock
    return facade


def mo(mo_id: int, **fields: Any) -> dict[str, Any]:
    base = {"id": mo_id, "order_no": f"MO-{mo_id}", "status": "IN_PROGRESS", "variant_id": 11,
            "location_id": 1, "planned_quantity": "10.00000", "actual_quantity": None,
            "additional_info": "", "production_deadline_date": "2024-06-01T08:00:00.000Z"}
    return {**base, **fields}


# --- productions ------------------------------------------------------------------------------------


async def test_record_production_sends_exact_decimal_and_offset(katana: Katana, katana_api: FakeKatana) -> None:
    katana_api.on("POST", "/manufacturing_order_productions",
                  {"id": 501, "manufacturing_order_id": 7, "quantity": 12.34567,
                   "production_date": "2024-05-01T08:00:00.000Z", "created_at": "2024-05-01T08:00:01.000Z"})
    production = await katana.manufacturing.record_production(
        7, Decimal("12.34567"), completed_date=datetime(2024, 5, 1, 10, 0, tzinfo=CEST), batch_id=9)
    assert katana_api.raw_bodies[0] == (
        b'{"manufacturing_order_id":7,"completed_quantity":12.34567,'
        b'"completed_date":"2024-05-01T10:00:00+02:00","batch_transaction":{"batch_id":9}}')
    assert production.id == 501 and production.quantity == Decimal("12.34567")
    katana_api.assert_conforms_to_spec()


async def test_record_production_sends_each_ingredient_and_its_batch(katana: Katana, katana_api: FakeKatana) -> None:
    katana_api.on("POST", "/manufacturing_order_productions", {"id": 502, "manufacturing_order_id": 7, "quantity": 118})
    await katana.manufacturing.record_production(
        7, Decimal(118), completed_date=datetime(2024, 5, 1, 10, 0, tzinfo=UTC), batch_id=9,
        ingredients=[IngredientUse(31, Decimal("50.00")), IngredientUse(32, Decimal("1.18"), ((44, Decimal("1.18")),))])
    assert katana_api.raw_bodies[0].endswith(
        b'"ingredients":[{"manufacturing_order_recipe_row_id":31,"quantity":50.00},'
        b'{"manufacturing_order_recipe_row_id":32,"quantity":1.18,"batch_transactions":[{"batch_id":44,"quantity":1.18}]}]}')
    with pytest.raises(ValueError):  # Katana refuses 0: say so before sending
        IngredientUse(31, Decimal(0)).to_dto()
    katana_api.assert_conforms_to_spec()


async def test_stock_adjustment_takes_a_loss_out_of_its_batch(katana: Katana, katana_api: FakeKatana) -> None:
    katana_api.on("POST", "/stock_adjustments", {"id": 3001, "stock_adjustment_number": "SA-MO-7-PACK-1",
                                                  "location_id": 1, "stock_adjustment_rows": []})
    katana_api.on("GET", "/stock_adjustments", {"data": [
        {"id": 3000, "stock_adjustment_number": "SA-MO-7-PACK-10", "location_id": 1},  # filters are not trusted
        {"id": 3001, "stock_adjustment_number": "SA-MO-7-PACK-1", "location_id": 1}]})
    made = await katana.inventory.adjust_stock(
        "SA-MO-7-PACK-1", location_id=1, lines=[AdjustmentLine(2001, Decimal("-2"), 901)], reason="Packing loss",
        note="MO-7: 116 packed of 118 cooked", when=datetime(2024, 5, 1, 10, 0, tzinfo=UTC))
    assert katana_api.body("POST", "/stock_adjustments")["stock_adjustment_rows"] == [
        {"variant_id": 2001, "quantity": Decimal("-2"), "traceability": [{"batch_id": 901, "quantity": "-2"}]}]
    found = await katana.inventory.find_adjustment("SA-MO-7-PACK-1")
    assert made.id == 3001 and found is not None and found.id == 3001
    katana_api.assert_conforms_to_spec()


async def test_record_production_refuses_naive_dates_and_zero(katana: Katana, katana_api: FakeKatana) -> None:
    with pytest.raises(ValueError):
        await katana.manufacturing.record_production(7, Decimal(1), completed_date=datetime(2024, 5, 1))
    with pytest.raises(ValueError):
        await katana.manufacturing.record_production(
            7, Decimal(0), completed_date=datetime(2024, 5, 1, tzinfo=UTC))
    assert katana_api.sent == []


async def test_find_production_filters_by_mo_time_and_quantity(katana: Katana, katana_api: FakeKatana) -> None:
    since = datetime(2024, 5, 1, 10, 0, tzinfo=CEST)  # = 08:00Z
    katana_api.on("GET", "/manufacturing_order_productions", {"data": [
        {"id": 1, "manufacturing_order_id": 7, "quantity": "2.00000", "created_at": "2024-05-01T07:59:59.000Z"},
        {"id": 2, "manufacturing_order_id": 8, "quantity": 2, "created_at": "2024-05-01T08:00:05.000Z"},
        {"id": 3, "manufacturing_order_id": 7, "quantity": "3.00000", "created_at": "2024-05-01T08:00:05.000Z"},
        {"id": 5, "manufacturing_order_id": 7, "quantity": 2, "created_at": "2024-05-01T08:00:09.000Z"},
        {"id": 4, "manufacturing_order_id": 7, "quantity": "2.00000", "created_at": "2024-05-01T08:00:00.000Z"},
    ]})
    found = await katana.manufacturing.find_production(7, Decimal("2"), since=since, completed_date=since)
    assert found is not None and found.id == 4  # at `since` counts; earliest match wins
    assert await katana.manufacturing.find_production(7, Decimal("2.5"), since=since, completed_date=since) is None
    _m, _p, query, _b = katana_api.sent[0]
    assert ("manufacturing_order_ids", "7") in query
    assert ("created_at_min", "2024-05-01T10:00:00+02:00") in query
    katana_api.assert_conforms_to_spec()


async def test_find_production_rules_out_other_batches(katana: Katana, katana_api: FakeKatana) -> None:
    since = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
    katana_api.on("GET", "/manufacturing_order_productions", {"data": [
        {"id": 1, "manufacturing_order_id": 7, "quantity": 2, "created_at": "2024-05-01T08:01:00Z",
         "batch_transactions": [{"batch_id": 55, "quantity": 2}]},
        {"id": 2, "manufacturing_order_id": 7, "quantity": 2, "created_at": "2024-05-01T08:02:00Z"},
    ]})
    found = await katana.manufacturing.find_production(7, Decimal(2), since=since, completed_date=since, batch_id=9)
    assert found is not None and found.id == 2


async def test_find_production_is_the_one_sent_with_this_completed_date(katana: Katana,
                                                                        katana_api: FakeKatana) -> None:
    """Two cooks of 2 on MO 7: only the production whose production_date echoes the completed_date
    sent (to Katana's millisecond, or its whole second) is this one; one another action owns is not.
    Fails if production_date is not compared (id 1, the earliest, is taken) or `taken` is ignored."""
    sent = datetime(2024, 5, 1, 8, 0, 1, 234567, tzinfo=UTC)
    since = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)

    def production(pid: int, date: str) -> dict[str, object]:
        return {"id": pid, "manufacturing_order_id": 7, "quantity": 2, "created_at": f"2024-05-01T08:00:0{pid}Z",
                "production_date": date}
    katana_api.on("GET", "/manufacturing_order_productions", {"data": [
        production(1, "2024-05-01T08:00:01.233Z"), production(2, "2024-05-01T08:00:01.235Z"),
        production(3, "2024-05-01T08:00:01.234Z")]})
    found = await katana.manufacturing.find_production(7, Decimal(2), since=since, completed_date=sent)
    assert found is not None and found.id == 2  # .235 is .234567 rounded; .233 is another moment
    found = await katana.manufacturing.find_production(7, Decimal(2), since=since, completed_date=sent, taken={2})
    assert found is not None and found.id == 3  # .234 is .234567 cut
    assert await katana.manufacturing.find_production(7, Decimal(2), since=since, completed_date=sent,
                                                      taken={2, 3}) is None
    katana_api.on("GET", "/manufacturing_order_productions", {"data": [production(4, "2024-05-01T08:00:01Z")]})
    found = await katana.manufacturing.find_production(7, Decimal(2), since=since, completed_date=sent)
    assert found is not None and found.id == 4, "a Katana keeping whole seconds echoes 08:00:01"


# --- operation rows ---------------------------------------------------------------------------------


async def test_complete_operation_body(katana: Katana, katana_api: FakeKatana) -> None:
    katana_api.on("PATCH", "/manufacturing_order_operation_rows/31",
                  {"moOperationRowResponseExample": {"id": 31, "manufacturing_order_id": 7,
                                                     "status": "COMPLETED", "total_actual_time": 5400}})
    row = await katana.manufacturing.complete_operation(
        31, seconds=5400, operators=[OperatorRef(operator_id=4), OperatorRef(name="Ana")])
    assert katana_api.body("PATCH", "/manufacturing_order_operation_rows/31") == {
        "status": "COMPLETED", "total_actual_time": 5400,
        "completed_by_operators": [{"operator_id": 4}, {"name": "Ana"}]}
    assert row.id == 31 and row.status == "COMPLETED"
    katana_api.assert_conforms_to_spec()


async def test_set_operation_status_checks_the_enum(katana: Katana, katana_api: FakeKatana) -> None:
    katana_api.on("PATCH", "/manufacturing_order_operation_rows/31", {"id": 31, "status": "PAUSED"})
    with pytest.raises(ValueError):
        await katana.manufacturing.set_operation_status(31, "DONE")  # MOs are DONE, rows COMPLETED
    await katana.manufacturing.set_operation_status(31, "PAUSED")
    assert katana_api.sent[0][3] == {"status": "PAUSED"}


async def test_operation_rows_are_mine_and_ranked(katana: Katana, katana_api: FakeKatana) -> None:
    katana_api.on("GET", "/manufacturing_order_operation_rows", {"data": [
        {"id": 3, "manufacturing_order_id": 7, "rank": 2, "operation_name": "Pack"},
        {"id": 9, "manufacturing_order_id": 8, "rank": 0, "operation_name": "Other MO"},
        {"id": 1, "manufacturing_order_id": 7, "rank": 1, "operation_name": "Cook"},
    ]})
    rows = await katana.manufacturing.operation_rows(7)
    assert [r.operation_name for r in rows] == ["Cook", "Pack"]
    assert ("manufacturing_order_id", "7") in katana_api.sent[0][2]
    katana_api.assert_conforms_to_spec()


# --- manufacturing orders ---------------------------------------------------------------------------


async def test_finish_order_echoes_additional_info(katana: Katana, katana_api: FakeKatana) -> None:
    katana_api.on("GET", "/manufacturing_orders/7", mo(7, additional_info="Allergen: nuts"))
    katana_api.on("PATCH", "/manufacturing_orders/7", lambda r: _json(mo(7, status="DONE")))
    done = await katana.manufacturing.finish_order(
        7, Decimal("9.50000"), done_date=datetime(2024, 5, 1, 16, 30, tzinfo=CEST))
    assert katana_api.calls() == [("GET", "/manufacturing_orders/7"), ("PATCH", "/manufacturing_orders/7")]
    assert katana_api.raw_bodies[1] == (b'{"status":"DONE","actual_quantity":9.50000,'
                                        b'"done_date":"2024-05-01T16:30:00+02:00",'
                                        b'"additional_info":"Allergen: nuts"}')
    assert done.status == "DONE"
    katana_api.assert_conforms_to_spec()


async def test_finish_order_with_no_info_sends_none_and_skips_if_already_done(
        katana: Katana, katana_api: FakeKatana) -> None:
    katana_api.on("GET", "/manufacturing_orders/7", mo(7, additional_info=None))
    katana_api.on("PATCH", "/manufacturing_orders/7", mo(7, status="DONE"))
    when = datetime(2024, 5, 1, 16, 30, tzinfo=UTC)
    await katana.manufacturing.finish_order(7, Decimal(10), done_date=when)
    assert "additional_info" not in katana_api.body("PATCH", "/manufacturing_orders/7")  # "" is invalid
    katana_api.on("GET", "/manufacturing_orders/8", mo(8, status="DONE", actual_quantity="10.00000"))
    await katana.manufacturing.finish_order(8, Decimal(10), done_date=when)
    assert katana_api.calls("PATCH") == [("PATCH", "/manufacturing_orders/7")]
    katana_api.assert_conforms_to_spec()


async def test_add_note_appends_and_echoes(katana: Katana, katana_api: FakeKatana) -> None:
    katana_api.on("GET", "/manufacturing_orders/7", mo(7, additional_info="Line one\nLine two\n"))
    katana_api.on("PATCH", "/manufacturing_orders/7", lambda r: _json(
        mo(7, additional_info=json.loads(r.content)["additional_info"])))
    order = await katana.manufacturing.add_note(7, "Cooked 9.5 kg by Ana")
    assert katana_api.body("PATCH", "/manufacturing_orders/7") == {
        "additional_info": "Line one\nLine two\nCooked 9.5 kg by Ana"}
    assert order.additional_info.endswith("Cooked 9.5 kg by Ana")
    katana_api.assert_conforms_to_spec()


async def test_add_note_is_a_no_op_when_the_line_is_there(katana: Katana, katana_api: FakeKatana) -> None:
    katana_api.on("GET", "/manufacturing_orders/7", mo(7, additional_info="Line one\nCooked 9.5 kg by Ana"))
    order = await katana.manufacturing.add_note(7, "  Cooked 9.5 kg by Ana ")
    assert katana_api.calls() == [("GET", "/manufacturing_orders/7")]
    assert order.id == 7


async def test_add_note_to_an_empty_order(katana: Katana, katana_api: FakeKatana) -> None:
    katana_api.on("GET", "/manufacturing_orders/7", mo(7, additional_info=""))
    katana_api.on("PATCH", "/manufacturing_orders/7", mo(7, additional_info="First"))
    await katana.manufacturing.add_note(7, "First")
    assert katana_api.body("PATCH", "/manufacturing_orders/7") == {"additional_info": "First"}


async def test_removing_the_only_note_sends_null_and_checks_the_answer(katana: Katana, katana_api: FakeKatana) -> None:
    """Old code raised ValueError before any PATCH (a person had to delete it): `additional_info` is nullable."""
    katana_api.on("GET", "/manufacturing_orders/7", mo(7, additional_info="Cooked 9.5 kg by Ana\n"))
    katana_api.on("PATCH", "/manufacturing_orders/7", mo(7, additional_info=None))
    assert await katana.manufacturing.remove_note(7, "Cooked 9.5 kg by Ana") is True
    assert katana_api.body("PATCH", "/manufacturing_orders/7") == {"additional_info": None}
    katana_api.assert_conforms_to_spec()

    katana_api.on("PATCH", "/manufacturing_orders/7", mo(7, additional_info="Cooked 9.5 kg by Ana"))  # kept it
    with pytest.raises(ValueError, match="kept"):
        await katana.manufacturing.remove_note(7, "Cooked 9.5 kg by Ana")


async def test_open_orders_skip_done_dedupe_and_sort(katana: Katana, katana_api: FakeKatana) -> None:
    # A Katana that ignores the status filter returns everything for every status.
    everything = {"data": [
        mo(1, order_no="MO-10", production_deadline_date="2024-06-02T08:00:00Z"),
        mo(2, order_no="MO-9", production_deadline_date="2024-06-02T08:00:00Z"),
        mo(3, order_no="MO-1", status="DONE"),
        mo(4, order_no="MO-4", production_deadline_date=None, status="NOT_STARTED"),
        mo(5, order_no="MO-5", production_deadline_date="2024-05-30T08:00:00Z", status="BLOCKED"),
    ]}
    katana_api.on("GET", "/manufacturing_orders", everything)
    orders = await katana.manufacturing.open_orders()
    assert [o.order_no for o in orders] == ["MO-5", "MO-9", "MO-10", "MO-4"]
    statuses = [dict(q)["status"] for _m, _p, q, _b in katana_api.sent]
    assert statuses == ["NOT_STARTED", "BLOCKED", "IN_PROGRESS", "PARTIALLY_COMPLETED"]
    assert len(await katana.manufacturing.open_orders(limit=2)) == 2
    katana_api.assert_conforms_to_spec()


async def test_find_order_by_number_checks_client_side(katana: Katana, katana_api: FakeKatana) -> None:
    katana_api.on("GET", "/manufacturing_orders", {"data": [mo(1, order_no="MO-12"), mo(2, order_no="MO-1")]})
    found = await katana.manufacturing.find_order_by_number(" mo-1 ")
    assert found is not None and found.id == 2
    assert await katana.manufacturing.find_order_by_number("MO-999") is None
    assert ("order_no", "mo-1") in katana_api.sent[0][2]


async def test_get_order_missing_is_not_found(katana: Katana) -> None:
    with pytest.raises(KatanaNotFound):
        await katana.manufacturing.get_order(404)


async def test_operators_bare_or_wrapped_and_cached(katana: Katana, katana_api: FakeKatana,
                                                    fake_time: FakeTime) -> None:
    katana_api.on("GET", "/operators", [{"id": 1, "operator_name": "Thomas"}])
    assert [o.operator_name for o in await katana.manufacturing.operators()] == ["Thomas"]
    katana_api.on("GET", "/operators", {"data": [{"id": 2, "operator_name": "Mike"}]})
    assert [o.id for o in await katana.manufacturing.operators()] == [1]  # cached
    fake_time.now += 601
    assert [o.id for o in await katana.manufacturing.operators()] == [2]
    assert len(katana_api.calls()) == 2
    katana_api.assert_conforms_to_spec()


# --- batches, variants, orders, webhooks ------------------------------------------------------------


async def test_ensure_batch_finds_an_existing_batch_stock(katana: Katana, katana_api: FakeKatana) -> None:
    katana_api.on("GET", "/batch_stocks", {"data": [
        {"batch_id": 70, "batch_number": "B-1", "variant_id": 99, "quantity_in_stock": "1.00000"},
        {"batch_id": 71, "batch_number": "B-1", "variant_id": 11, "quantity_in_stock": "10.00000"},
    ]})
    batch = await katana.inventory.ensure_batch("B-1", 11)
    assert batch.id == 71 and batch.quantity_in_stock == Decimal("10")
    assert katana_api.calls("POST") == []
    assert ("include_empty", "true") in katana_api.sent[0][2]
    katana_api.assert_conforms_to_spec()


async def test_one_batchs_stock_is_read_once_and_checked_client_side(katana: Katana, katana_api: FakeKatana) -> None:
    """recipes.batch_stock, the /cook form's advisory read: one attempt when asked (a 503 is an answer: not
    known), the batch at that location only, nothing when Katana lists none (it leaves empty batches out), and
    an error, not "empty", when Katana ignored the filter and one page cannot prove the batch absent.
    Mutation caught: a listing without the batch read as "empty" whatever else it holds."""
    answers = iter([httpx.Response(503, json={"message": "busy"}),
                    _json({"data": [{"batch_id": 71, "location_id": 2, "quantity_in_stock": "9.00000"},
                                    {"batch_id": 71, "location_id": 1, "quantity_in_stock": "0.50000"}]}),
                    _json({"data": []}),
                    _json({"data": [{"batch_id": 70, "location_id": 1, "quantity_in_stock": "3.00000"}]})])
    katana_api.on("GET", "/batch_stocks", lambda _r: next(answers))
    with pytest.raises(KatanaError):
        await katana.recipes.batch_stock(71, 1, attempts=1)
    found = await katana.recipes.batch_stock(71, 1, attempts=1)
    assert found is not None and found.in_stock == Decimal("0.5")
    assert await katana.recipes.batch_stock(71, 1) is None
    with pytest.raises(KatanaError):
        await katana.recipes.batch_stock(71, 1)
    assert len(katana_api.calls()) == 4
    assert katana_api.sent[0][2][:2] == [("batch_id", "71"), ("location_id", "1")]
    katana_api.assert_conforms_to_spec()


async def test_ensure_batch_creates_with_exact_body(katana: Katana, katana_api: FakeKatana) -> None:
    katana_api.on("GET", "/batch_stocks", {"data": []})
    katana_api.on("POST", "/batches", {"id": 80, "batch_number": "B-2", "variant_id": 11})
    batch = await katana.inventory.ensure_batch("B-2", 11, expiration_date=date(2024, 12, 31),
                                                barcode="0040123")
    assert katana_api.body("POST", "/batches") == {
        "batch_number": "B-2", "variant_id": 11, "expiration_date": "2024-12-31T00:00:00+00:00",
        "batch_barcode": "0040123"}
    assert batch.id == 80
    katana_api.assert_conforms_to_spec()


async def test_ensure_batch_after_an_unknown_outcome_looks_again(katana: Katana, katana_api: FakeKatana) -> None:
    lookups = iter([{"data": []}, {"data": [{"batch_id": 81, "batch_number": "B-3", "variant_id": 11}]}])
    katana_api.on("GET", "/batch_stocks", lambda r: _json(next(lookups)))
    katana_api.on("POST", "/batches", lambda r: httpx.Response(502))
    batch = await katana.inventory.ensure_batch("B-3", 11)
    assert batch.id == 81
    assert katana_api.calls("POST") == [("POST", "/batches")]  # not blindly repeated


async def test_ensure_batch_unknown_outcome_and_still_missing_raises(katana: Katana,
                                                                     katana_api: FakeKatana) -> None:
    katana_api.on("GET", "/batch_stocks", {"data": []})
    katana_api.on("POST", "/batches", lambda r: httpx.Response(500))
    with pytest.raises(KatanaOutcomeUnknown):
        await katana.inventory.ensure_batch("B-4", 11)


async def test_update_batch_body(katana: Katana, katana_api: FakeKatana) -> None:
    katana_api.on("PATCH", "/batch_stocks/81", {"id": 81, "batch_number": "B-3", "batch_barcode": "123"})
    batch = await katana.inventory.update_batch(
        81, expiration_date=datetime(2025, 1, 2, 12, 0, tzinfo=CEST), barcode="123")
    assert katana_api.body("PATCH", "/batch_stocks/81") == {
        "expiration_date": "2025-01-02T12:00:00+02:00", "batch_barcode": "123"}
    assert batch.id == 81
    with pytest.raises(ValueError):
        await katana.inventory.update_batch(81, barcode="12")  # under 3 characters
    with pytest.raises(ValueError):
        await katana.inventory.update_batch(81)
    katana_api.assert_conforms_to_spec()


async def test_variant_sales_and_purchase_lookups(katana: Katana, katana_api: FakeKatana) -> None:
    katana_api.on("GET", "/variants/11", {"id": 11, "sku": "SOUP-1", "product_id": 3})
    katana_api.on("GET", "/sales_orders/5", {"id": 5, "order_no": "SO-5", "sales_order_rows": [
        {"id": 50, "variant_id": 11, "quantity": "2.50000"}]})
    katana_api.on("GET", "/purchase_orders", {"data": [{"id": 1, "order_no": "PO-10"},
                                                       {"id": 2, "order_no": "PO-1"}]})
    assert (await katana.inventory.get_variant(11)).sku == "SOUP-1"
    order = await katana.sales.get_sales_order(5)
    assert order.sales_order_rows[0].quantity == Decimal("2.5")
    po = await katana.purchasing.find_purchase_order("PO-1")
    assert po is not None and po.id == 2
    assert await katana.purchasing.find_purchase_order("PO-2") is None
    katana_api.assert_conforms_to_spec()


async def test_register_webhook_body_and_validation(katana: Katana, katana_api: FakeKatana) -> None:
    katana_api.on("POST", "/webhooks", {"id": 1, "url": "https://bot.example/webhooks/katana",
                                        "token": "73f82127d57a2cea", "subscribed_events": ["manufacturing_order.done"]})
    hook = await katana.webhooks.register("https://bot.example/webhooks/katana",
                                          ["manufacturing_order.done", "sales_order.packed"])
    assert katana_api.body("POST", "/webhooks") == {
        "url": "https://bot.example/webhooks/katana",
        "subscribed_events": ["manufacturing_order.done", "sales_order.packed"],
        "description": "Shopfloor bot"}
    assert hook["token"] == "73f82127d57a2cea"
    with pytest.raises(ValueError):
        await katana.webhooks.register("http://bot.example/hook", ["manufacturing_order.done"])
    with pytest.raises(ValueError):
        await katana.webhooks.register("https://bot.example/hook", ["stock_adjustment.created"])
    assert len(katana_api.calls()) == 1
    katana_api.assert_conforms_to_spec()


async def test_register_webhook_after_lost_answer_finds_it(katana: Katana, katana_api: FakeKatana) -> None:
    url = "https://bot.example/webhooks/katana"
    katana_api.on("POST", "/webhooks", lambda r: httpx.Response(504))
    katana_api.on("GET", "/webhooks", {"data": [
        {"id": 3, "url": url, "token": "tok", "subscribed_events": ["manufacturing_order.done"]}]})
    assert (await katana.webhooks.register(url, ["manufacturing_order.done"]))["id"] == 3
    assert len(await katana.webhooks.list()) == 1


async def test_build_katana_wires_one_budget() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["authorization"])
        return _json({"id": 7, "order_no": "MO-7", "planned_quantity": 1})

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        katana = build_katana(http, base_url=BASE, api_key=API_KEY, per_minute=60)
        order = await katana.manufacturing.get_order(7)
    assert order.order_no == "MO-7" and seen == [f"Bearer {API_KEY}"]
    assert katana.client.limiter.per_minute == 60 and katana.client.limiter.in_window == 1
