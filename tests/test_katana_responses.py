"""The Katana sandbox's answers are checked against Katana's published responses (sandbox/openapi_responses.py)."""
from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from sandbox import katana_seed as kitchen
from sandbox.katana import FakeKatana
from sandbox.openapi_check import SpecValidator, find_reference_dir
from sandbox.openapi_responses import ResponseChecker, schema_of

AUTH = {"Authorization": "Bearer katana-sandbox-key"}
TRANSFER = {"id": 1, "stock_transfer_number": "ST-1", "source_location_id": 1, "target_location_id": 2,
            "status": "received", "stock_transfer_rows": [{"variant_id": 1, "quantity": 3, "traceability": [
                {"batch_id": 1, "bin_location_id": None, "quantity": "3", "serial_number_id": None}]}]}


@pytest.fixture(scope="module")
def checker() -> ResponseChecker:
    return ResponseChecker.from_files()


def test_no_override_is_stale(checker: ResponseChecker) -> None:
    """Every recorded divergence still matches the specs and still changes something."""
    assert checker.stale() == []


def test_a_field_katana_does_not_show_is_drift(checker: ResponseChecker) -> None:
    row = {"variant_id": 1, "quantity_in_stock": "7.00000", "location_id": 1, "shelf": "A3"}
    [problem] = checker.check("GET", "/inventory", 200, {"data": [row]})
    assert "'shelf' was unexpected" in problem and problem.startswith("GET /inventory 200 body.data[0]")


def test_a_quantity_katana_sends_as_text_must_be_text(checker: ResponseChecker) -> None:
    [problem] = checker.check("GET", "/batch_stocks", 200, {"data": [{"batch_id": 1, "quantity_in_stock": 10}]})
    assert "quantity_in_stock" in problem and "not of type 'string'" in problem


def test_a_list_must_come_in_its_envelope_and_dates_with_an_offset(checker: ResponseChecker) -> None:
    assert checker.check("GET", "/locations", 200, [{"id": 1}]) != []
    [problem] = checker.check("GET", "/batch_stocks", 200,
                              {"data": [{"batch_id": 1, "batch_created_date": "2026-01-01 10:00"}]})
    assert "batch_created_date" in problem and "does not match" in problem


def test_absent_keys_and_nulls_are_allowed(checker: ResponseChecker) -> None:
    assert checker.check("GET", "/manufacturing_orders/5", 200, {"id": 5, "status": "DONE", "done_date": None,
                                                                 "additional_info": None}) == []


def test_only_documented_statuses(checker: ResponseChecker) -> None:
    """The old sandbox answered DELETE of a production with 200 and the production; Katana documents 204."""
    [problem] = checker.check("DELETE", "/manufacturing_order_productions/7", 200, {"id": 7})
    assert "answered 200" in problem and "204" in problem
    assert checker.check("DELETE", "/manufacturing_order_productions/7", 204, None) == []
    assert checker.check("POST", "/purchase_order_receive", 201, None) != []
    assert checker.check("POST", "/purchase_order_receive", 204, None) == []


def test_overrides_change_only_what_they_name(checker: ResponseChecker) -> None:
    assert checker.check("PATCH", "/stock_transfers/1/status", 200, TRANSFER) == []  # unwrapped example
    assert checker.check("POST", "/stock_transfers", 200, TRANSFER) == []  # status, as the status endpoint shows
    assert checker.check("POST", "/stock_transfers", 200, {**TRANSFER, "state": "x"}) != []
    operators = [{"id": 1, "operator_name": "Ana"}]
    assert checker.check("GET", "/operators", 200, operators) == []
    assert checker.check("GET", "/operators", 200, {"data": operators}) == []  # live wraps it (audit-overrides)
    assert checker.check("GET", "/manufacturing_orders/5", 404,
                         {"statusCode": 404, "name": "NotFoundError", "message": "Not found"}) == []
    assert checker.check("GET", "/manufacturing_orders/5", 422, {"statusCode": 422}) != []


def test_the_schema_of_an_example_is_as_strict_as_it_can_be() -> None:
    schema = schema_of({"a": 1, "b": "x", "c": None, "d": [], "e": "2021-09-01T07:49:29.813Z"})
    assert schema["additionalProperties"] is False and schema["properties"]["c"] == {}
    assert schema["properties"]["a"]["type"] == ["number", "null"] and "pattern" in schema["properties"]["e"]
    assert schema["properties"]["d"]["items"] == {}


@pytest.fixture
async def fake() -> AsyncIterator[FakeKatana]:
    katana = FakeKatana(validator=SpecValidator.from_file(find_reference_dir() / "katana" / "live-gateway.yaml"))
    await katana.start()
    yield katana
    await katana.stop()


async def test_the_sandbox_reports_its_own_drift(fake: FakeKatana) -> None:
    """A record given a field Katana does not show is reported like a request violation (fails the test)."""
    fake.locations[kitchen.CENTRAL_KITCHEN_ID]["dock_door"] = 4
    async with httpx.AsyncClient(base_url=fake.base_url, headers=AUTH) as katana:
        assert (await katana.get("/locations")).status_code == 200
    assert len(fake.server_errors) == 1 and "'dock_door' was unexpected" in fake.server_errors[0]
    fake.server_errors.clear()
    fake.fail_next(status=502, path_prefix="/locations")  # an injected fault is the test's, not Katana's model
    async with httpx.AsyncClient(base_url=fake.base_url, headers=AUTH) as katana:
        assert (await katana.get("/locations")).status_code == 502
    assert fake.server_errors == []
