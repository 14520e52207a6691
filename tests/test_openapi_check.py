"""SpecValidator against Katana's published live-gateway.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox.openapi_check import SpecValidator, find_reference_dir


@pytest.fixture(scope="module")
def spec() -> SpecValidator:
    return SpecValidator.from_file(find_reference_dir() / "katana" / "live-gateway.yaml")


def test_spec_is_parsed_once_per_path() -> None:
    path = find_reference_dir() / "katana" / "live-gateway.yaml"
    assert SpecValidator.from_file(path) is SpecValidator.from_file(str(path))


def test_valid_production_passes(spec: SpecValidator) -> None:
    body = {"manufacturing_order_id": 1, "completed_quantity": 5, "batch_transaction": {"batch_id": 3}}
    assert spec.validate("POST", "/manufacturing_order_productions", [], body) == []


def test_valid_list_query_passes(spec: SpecValidator) -> None:
    query = [("ids", "1"), ("ids", "2"), ("status", "NOT_STARTED"), ("location_id", "11"),
             ("is_linked_to_sales_order", "true"), ("limit", "250"), ("page", "2"),
             ("updated_at_min", "2024-05-01T00:00:00Z")]
    assert spec.validate("GET", "/manufacturing_orders", query, None) == []


def test_nullable_fields_accept_null(spec: SpecValidator) -> None:
    body = {"additional_info": None, "actual_quantity": None, "status": "DONE"}
    assert spec.validate("PATCH", "/manufacturing_orders/5", [], body) == []


def test_literal_path_beats_template(spec: SpecValidator) -> None:
    assert spec.match_path("/sales_orders/search") == ("/sales_orders/search", {})
    assert spec.match_path("/sales_orders/7") == ("/sales_orders/{id}", {"id": "7"})


def test_unknown_path(spec: SpecValidator) -> None:
    [problem] = spec.validate("GET", "/manufacturing_order_steps", [], None)
    assert "no operation" in problem


def test_wrong_method(spec: SpecValidator) -> None:
    [problem] = spec.validate("PUT", "/manufacturing_orders/5", [], {"status": "DONE"})
    assert "PUT not defined" in problem


def test_non_integer_path_id(spec: SpecValidator) -> None:
    [problem] = spec.validate("GET", "/manufacturing_orders/MO-101", [], None)
    assert "path.id" in problem


def test_unknown_query_param(spec: SpecValidator) -> None:
    [problem] = spec.validate("GET", "/manufacturing_orders", [("sku", "SOUP-TOM-500")], None)
    assert "unknown query parameter 'sku'" in problem


def test_pagination_keys_only_where_declared(spec: SpecValidator) -> None:
    # /user_info declares no pagination object, so limit is an unknown key there
    [problem] = spec.validate("GET", "/user_info", [("limit", "5")], None)
    assert "'limit'" in problem


def test_bad_enum_in_query(spec: SpecValidator) -> None:
    [problem] = spec.validate("GET", "/manufacturing_order_operation_rows", [("status", "DONE")], None)
    assert "query.status" in problem and "'DONE' is not one of" in problem


def test_bad_enum_in_body(spec: SpecValidator) -> None:
    [problem] = spec.validate("PATCH", "/manufacturing_order_operation_rows/3", [], {"status": "DONE"})
    assert "body.status" in problem


def test_array_items_are_typed(spec: SpecValidator) -> None:
    [problem] = spec.validate("GET", "/manufacturing_orders", [("ids", "1"), ("ids", "1,2")], None)
    assert "'1,2' is not an integer" in problem


def test_scalar_param_repeated(spec: SpecValidator) -> None:
    [problem] = spec.validate("GET", "/manufacturing_orders", [("status", "DONE"), ("status", "BLOCKED")],
                              None)
    assert "given 2 times" in problem


def test_boolean_query_spelling(spec: SpecValidator) -> None:
    [problem] = spec.validate("GET", "/batch_stocks", [("include_empty", "True")], None)
    assert "boolean" in problem


def test_extra_body_property(spec: SpecValidator) -> None:
    body = {"manufacturing_order_id": 1, "completed_quantity": 5, "batch_id": 3}
    [problem] = spec.validate("POST", "/manufacturing_order_productions", [], body)
    assert "'batch_id' was unexpected" in problem


def test_missing_required_body_field(spec: SpecValidator) -> None:
    [problem] = spec.validate("POST", "/manufacturing_order_productions", [], {"completed_quantity": 5})
    assert "'manufacturing_order_id' is a required property" in problem


def test_missing_required_body(spec: SpecValidator) -> None:
    [problem] = spec.validate("PATCH", "/manufacturing_orders/5", [], None)
    assert "request body is required" in problem


def test_body_where_none_is_declared(spec: SpecValidator) -> None:
    [problem] = spec.validate("GET", "/manufacturing_orders/5", [], {"status": "DONE"})
    assert "takes no request body" in problem


def test_nested_body_path_is_reported(spec: SpecValidator) -> None:
    body = {"manufacturing_order_id": 1, "completed_quantity": 5, "batch_transaction": {"batch": 3}}
    violations = spec.check("POST", "/manufacturing_order_productions", [], body)
    assert {(v.path, v.code) for v in violations} == {(".batch_transaction", "required"),
                                                      (".batch_transaction", "additionalProperties")}


def test_webhook_url_must_be_https(spec: SpecValidator) -> None:
    body = {"url": "http://127.0.0.1:9/hook", "subscribed_events": ["manufacturing_order.done"]}
    [problem] = spec.validate("POST", "/webhooks", [], body)
    assert "body.url" in problem


def test_reference_dir_from_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOPFLOOR_REFERENCE_DIR", str(tmp_path))
    assert find_reference_dir() == tmp_path
    monkeypatch.setenv("SHOPFLOOR_REFERENCE_DIR", str(tmp_path / "missing"))
    with pytest.raises(FileNotFoundError, match="SHOPFLOOR_REFERENCE_DIR"):
        find_reference_dir()
