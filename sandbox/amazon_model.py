"""What Amazon's published models say about a request, read from reference/amazon/ by the Amazon sandbox.

This is the sandbox's own reading of the models, never the client's code, so that a client that misreads
them cannot make the sandbox agree with it:
- usage plans: each operation's description carries the table `| Rate (requests per second) | Burst |`;
- query parameters (Swagger 2): only declared names, required ones present, each key once, arrays as csv
  (`marketplaceIds=A,B`) within `maxItems`, booleans `true|false`, integers, ISO 8601 date-times, enums;
- data sets (`includedData` of searchOrders): each value names optional properties of `Order` and
  `OrderItem` by its camel-case form (BUYER → `buyer`, FULFILLMENT_ORDERS → `fulfillmentOrders`). Amazon
  answers "only basic information" for what was not asked, so a property of a data set the request did not
  name is left out of the answer.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sandbox.openapi_check import find_reference_dir

PLAN_ROW = re.compile(r"^\|\s*([0-9.]+)\s*\|\s*([0-9]+)\s*\|\s*$", re.MULTILINE)


@cache
def model(spec_file: str) -> dict[str, Any]:
    return json.loads((find_reference_dir() / "amazon" / spec_file).read_text())


@dataclass(frozen=True)
class ModelOperation:
    """One GET operation of a model: its query parameters and its usage plan."""
    parameters: tuple[dict[str, Any], ...]
    rate: float
    burst: int

    @classmethod
    def of(cls, spec_file: str, path: str) -> ModelOperation:
        found = model(spec_file)["paths"][path]["get"]
        rate, burst = usage_plan(found.get("description") or "")
        return cls(tuple(p for p in found.get("parameters", []) if p.get("in") == "query"), rate, burst)

    def query_problems(self, pairs: list[tuple[str, str]]) -> list[str]:
        """Why Amazon would refuse this query string (empty when the model allows it)."""
        declared = {p["name"]: p for p in self.parameters}
        names = [name for name, _ in pairs]
        problems = [f"unknown parameter {n}" for n in dict.fromkeys(names) if n not in declared]
        problems += [f"{n} given {names.count(n)} times" for n in dict.fromkeys(names) if names.count(n) > 1]
        problems += [f"{n} is required" for n, p in declared.items() if p.get("required") and n not in names]
        for name, raw in pairs:
            if name in declared:
                problems += [f"{name}: {why}" for why in _value_problems(raw, declared[name])]
        return problems


def usage_plan(description: str) -> tuple[float, int]:
    """(rate per second, burst) from the operation's usage-plan table."""
    found = PLAN_ROW.search(description)
    if found is None:
        raise ValueError("the operation documents no usage plan")
    return float(found.group(1)), int(found.group(2))


def _value_problems(raw: str, param: dict[str, Any]) -> list[str]:
    if param.get("type") != "array":
        return _scalar_problems(raw, param)
    items = raw.split(",")
    problems = [f"at most {param['maxItems']} values"] if len(items) > param.get("maxItems", len(items)) else []
    return problems + [why for item in items for why in _scalar_problems(item, param.get("items") or {})]


def _scalar_problems(raw: str, schema: dict[str, Any]) -> list[str]:
    kind = schema.get("type")
    if kind == "integer" and not re.fullmatch(r"-?\d+", raw):
        return [f"{raw!r} is not an integer"]
    if kind == "boolean" and raw not in ("true", "false"):
        return [f"{raw!r} is not true or false"]
    if schema.get("format") == "date-time" and not _is_date_time(raw):
        return [f"{raw!r} is not an ISO 8601 date-time"]
    if "enum" in schema and raw not in schema["enum"]:
        return [f"{raw!r} is not one of {', '.join(schema['enum'])}"]
    return []


def _is_date_time(raw: str) -> bool:
    try:
        return datetime.fromisoformat(raw.replace("Z", "+00:00")).tzinfo is not None
    except ValueError:
        return False


# --- data sets -----------------------------------------------------------------------------------------


def _camel(name: str) -> str:
    first, *rest = name.lower().split("_")
    return first + "".join(word.title() for word in rest)


@dataclass(frozen=True)
class DataSets:
    """searchOrders' `includedData`: which Order and OrderItem properties each data set brings."""
    order_fields: dict[str, str]  # property → data set
    item_fields: dict[str, str]

    @classmethod
    def of(cls, spec_file: str, path: str) -> DataSets:
        spec = model(spec_file)
        param = next(p for p in spec["paths"][path]["get"]["parameters"] if p["name"] == "includedData")
        order, item = (spec["definitions"][name]["properties"] for name in ("Order", "OrderItem"))
        sets = {_camel(value): value for value in param["items"]["enum"]}
        return cls({f: s for f, s in sets.items() if f in order}, {f: s for f, s in sets.items() if f in item})

    def names(self) -> set[str]:
        return set(self.order_fields.values()) | set(self.item_fields.values())

    def keep(self, order: dict[str, Any], asked: set[str]) -> dict[str, Any]:
        """The order as Amazon answers it when `asked` names these data sets."""
        kept = _only(order, self.order_fields, asked)
        kept["orderItems"] = [_only(item, self.item_fields, asked) for item in order.get("orderItems") or []]
        return kept


def _only(record: dict[str, Any], fields: dict[str, str], asked: set[str]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k not in fields or fields[k] in asked}
