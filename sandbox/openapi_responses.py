"""Check the Katana sandbox's answers against what Katana publishes about its responses.

Neither published spec has response schemas: live-gateway.yaml declares each operation's success status
(200, or 204) and nothing about the body; readme-portal.yaml, the spec behind Katana's developer portal,
declares the error statuses (401, 404, 422, 429, 500) and one example body for each status. So the checks
are what those documents allow:
- the status must be one the operation declares: its success status as readme-portal.yaml documents it
  (live-gateway.yaml's are generated, "Return value of …", and say 200 even where the portal and Katana's
  docs say 204, e.g. `POST /purchase_order_receive`), else the gateway's; errors from readme-portal.yaml;
- the body must fit a schema derived from Katana's example for that operation and status: an object may
  carry only the keys the example shows (the sandbox must not hand the client a field Katana is not known
  to send), a value has the example's JSON type (a quantity Katana sends as "7.00000" must not be a number
  here), a date-time where the example has one, an array's items fit what its example items show, and the
  list envelope `{"data": [...]}` is required where the example has it. A key may be absent and any value
  may be null: both are stricter on the client, not more lenient. A null or an empty list in the example
  says nothing about the type.
Where an example is wrong or incomplete and Katana's docs, the gateway spec or a verified live observation
say otherwise, `katana_response_overrides.yaml` records it, one narrow entry per divergence with its source;
an entry that no longer matches the spec is reported (tests/test_openapi_check.py), so nothing is loosened
silently. Answers to requests that broke the spec are not checked: the request already fails the test.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft7Validator

from sandbox.openapi_check import SpecValidator, find_reference_dir

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
OVERRIDES_FILE = Path(__file__).with_name("katana_response_overrides.yaml")
ISO_DATE_TIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"
_ANY: dict[str, Any] = {}


def _load(path: Path) -> Any:
    with path.open("rb") as handle:
        return yaml.load(handle, Loader=_LOADER)


# --- from an example to a schema ---------------------------------------------------------------------


def schema_of(example: Any) -> dict[str, Any]:
    """The strictest schema Katana's example supports (see the module docstring)."""
    if example is None:
        return _ANY
    if isinstance(example, dict):
        return {"type": ["object", "null"], "additionalProperties": False,
                "properties": {key: schema_of(value) for key, value in example.items()}}
    if isinstance(example, list):
        return {"type": ["array", "null"], "items": merged([schema_of(item) for item in example])}
    if isinstance(example, bool):
        return {"type": ["boolean", "null"]}
    if isinstance(example, (int, float)):
        return {"type": ["number", "null"]}
    if re.match(ISO_DATE_TIME, str(example)):
        return {"type": ["string", "null"], "pattern": ISO_DATE_TIME}
    return {"type": ["string", "null"]}


def merged(schemas: list[dict[str, Any]]) -> dict[str, Any]:
    """One schema for every item of an example array: objects pool their keys; other kinds may differ."""
    known = [s for s in schemas if s]
    if not known:
        return _ANY
    if all("properties" in s for s in known):
        keys: dict[str, list[dict[str, Any]]] = {}
        for schema in known:
            for key, value in schema["properties"].items():
                keys.setdefault(key, []).append(value)
        return {**known[0], "properties": {key: merged(values) for key, values in keys.items()}}
    unique = [s for i, s in enumerate(known) if s not in known[:i]]
    return unique[0] if len(unique) == 1 else {"anyOf": unique}


def examples_in(response: dict[str, Any]) -> list[Any]:
    media = (response.get("content") or {}).get("application/json") or {}
    if "example" in media:
        return [media["example"]]
    return [named.get("value") for named in (media.get("examples") or {}).values()]


# --- overrides ---------------------------------------------------------------------------------------


@dataclass
class Override:
    """One recorded divergence from readme-portal.yaml's example (katana_response_overrides.yaml)."""
    endpoint: str
    kind: str  # also_wrapped | unwrap_example | extra_fields | extra_status | undocumented | field_type
    status: int = 200
    at: str = ""  # where in the body, as "data[].rows[]" (extra_fields, field_type)
    fields: dict[str, Any] = field(default_factory=dict)  # name → example value (extra_fields, field_type)
    source: str = ""
    reason: str = ""

    @classmethod
    def from_entry(cls, entry: dict[str, Any]) -> Override:
        known = {k: entry[k] for k in ("endpoint", "kind", "status", "at", "fields", "source", "reason") if k in entry}
        return cls(**known)


def load_overrides(path: Path = OVERRIDES_FILE) -> list[Override]:
    return [Override.from_entry(e) for e in (_load(path) or {}).get("overrides") or []]


def _step_into(schema: dict[str, Any], at: str) -> dict[str, Any]:
    """The object schema at `at` ("data[].rows[]"), created where the example had only an empty list."""
    for part in filter(None, at.split(".")):
        name, is_list = part.removesuffix("[]"), part.endswith("[]")
        schema = schema["properties"].setdefault(name, schema_of([] if is_list else {}))
        if is_list:
            if not schema["items"]:
                schema["items"] = schema_of({})
            schema = schema["items"]
    return schema


def apply_override(example_schema: dict[str, Any] | None, override: Override) -> dict[str, Any] | None:
    """The schema once `override` is applied (None: the body is not checked)."""
    if override.kind == "undocumented":
        return None
    schema = example_schema or schema_of({})
    if override.kind == "also_wrapped":
        return {"anyOf": [schema, {"type": "object", "additionalProperties": False, "required": ["data"],
                                   "properties": {"data": schema}}]}
    if override.kind == "unwrap_example":
        return schema["properties"][override.at or "example"]
    if override.kind in ("extra_fields", "field_type"):
        target = _step_into(schema, override.at)
        for name, value in override.fields.items():
            if override.kind == "field_type" and name in target["properties"]:
                target["properties"][name] = {"anyOf": [target["properties"][name], schema_of(value)]}
            else:
                target["properties"][name] = schema_of(value)
        return schema
    raise ValueError(f"unknown override kind {override.kind!r}")


# --- the checker -------------------------------------------------------------------------------------


class ResponseChecker:
    """`check(method, path, status, body)` → what Katana's published documents do not allow in it."""

    _cache: dict[Path, ResponseChecker] = {}

    def __init__(self, gateway: dict[str, Any], portal: dict[str, Any], overrides: list[Override]) -> None:
        self._gateway, self._portal = SpecValidator(gateway), SpecValidator(portal)
        self._gateway_paths, self._portal_paths = gateway.get("paths", {}), portal.get("paths", {})
        self.overrides = overrides
        self._validators: dict[tuple[str, int], Draft7Validator | None] = {}
        self._allowed: dict[str, set[int]] = {}  # statuses by endpoint, worked out once

    @classmethod
    def from_files(cls, reference_dir: Path | None = None, overrides: Path = OVERRIDES_FILE) -> ResponseChecker:
        """Parse once per process (the portal YAML is large)."""
        folder = (reference_dir or find_reference_dir()).resolve()
        if folder not in cls._cache:
            cls._cache[folder] = cls(_load(folder / "katana" / "live-gateway.yaml"),
                                     _load(folder / "katana" / "readme-portal.yaml"), load_overrides(overrides))
        return cls._cache[folder]

    def check(self, method: str, path: str, status: int, body: Any) -> list[str]:
        endpoint = self.endpoint(method, path)
        if endpoint is None:
            return [f"{method} {path}: no operation in either spec"]
        if endpoint not in self._allowed:
            self._allowed[endpoint] = self.statuses(endpoint)
        allowed = self._allowed[endpoint]
        if status not in allowed:
            return [f"{endpoint} answered {status}; Katana documents {sorted(allowed)}"]
        validator = self._validator(endpoint, status)
        if validator is None or validator.is_valid(body):  # the common case, about twice as fast
            return []
        return [f"{endpoint} {status} body{_where(error.absolute_path)}: {error.message}"
                for error in validator.iter_errors(body)]

    def endpoint(self, method: str, path: str) -> str | None:
        """"PATCH /stock_transfers/{id}/status" for a concrete path, named as in live-gateway.yaml."""
        found = self._gateway.match_path(path) or self._portal.match_path(path)
        return f"{method.upper()} {found[0]}" if found else None

    def statuses(self, endpoint: str, *, documented_only: bool = False) -> set[int]:
        portal = self._responses(self._portal_paths, endpoint) or {}
        success = {int(s) for s in (portal or self._responses(self._gateway_paths, endpoint) or {}) if int(s) < 400}
        errors = {int(s) for s in portal if int(s) >= 400}
        if documented_only:
            return success | errors
        return success | errors | {o.status for o in self._matching(endpoint, "extra_status")}

    def stale(self) -> list[str]:
        """Overrides that no longer match the specs, or change nothing: each with why."""
        return [f"{o.endpoint} {o.status} {o.kind}: {why}" for o in self.overrides if (why := self._stale(o))]

    def _stale(self, override: Override) -> str | None:
        if self._responses(self._gateway_paths, override.endpoint) is None:
            return "no such operation in live-gateway.yaml"
        documented = self.statuses(override.endpoint, documented_only=True)
        if override.kind == "extra_status":
            return "the status is documented now" if override.status in documented else None
        if override.status not in documented:
            return "the operation does not declare this status"
        example = self._example_schema(override.endpoint, override.status) or {}
        if override.kind == "unwrap_example" and (override.at or "example") not in example.get("properties", {}):
            return "the example is no longer nested"
        if override.kind == "extra_fields":
            shown = _properties_at(example, override.at)
            if set(override.fields) <= shown:
                return "the example shows these fields now"
        return None

    # --- internals ---------------------------------------------------------------------------------

    def _responses(self, paths: dict[str, Any], endpoint: str) -> dict[str, Any] | None:
        """The operation's `responses` in one spec (None: the spec has no such operation)."""
        method, template = endpoint.split(" ", 1)
        matcher = self._gateway if paths is self._gateway_paths else self._portal
        found = matcher.match_path(_concrete(template))
        operation = (paths.get(found[0]) or {}).get(method.lower()) if found else None
        return (operation.get("responses") or {}) if isinstance(operation, dict) else None

    def _matching(self, endpoint: str, kind: str | None = None) -> list[Override]:
        return [o for o in self.overrides if o.endpoint == endpoint and kind in (None, o.kind)]

    def _validator(self, endpoint: str, status: int) -> Draft7Validator | None:
        key = (endpoint, status)
        if key not in self._validators:
            schema = self._example_schema(endpoint, status)
            for override in self._matching(endpoint):
                if override.kind != "extra_status" and override.status == status:
                    schema = apply_override(schema, override)
            self._validators[key] = None if schema is None else Draft7Validator(schema)
        return self._validators[key]

    def _example_schema(self, endpoint: str, status: int) -> dict[str, Any] | None:
        response = (self._responses(self._portal_paths, endpoint) or {}).get(str(status)) or self._error(status)
        if response is None:
            return {"type": "null"} if status == 204 else schema_of({})  # nothing documented: nothing allowed
        examples = examples_in(response)
        if not examples:
            return {"type": "null"}
        schema = merged([schema_of(e) for e in examples]) if len(examples) > 1 else schema_of(examples[0])
        if isinstance(examples[0], dict) and isinstance(examples[0].get("data"), list):
            schema = {**schema, "required": ["data"], "type": "object"}
        return schema


    def _error(self, status: int) -> dict[str, Any] | None:
        """Katana's error body for a status an override adds: the portal's example of it elsewhere."""
        if status < 400:
            return None
        for operations in self._portal_paths.values():
            for operation in operations.values():
                found = (operation.get("responses") or {}).get(str(status)) if isinstance(operation, dict) else None
                if found is not None and examples_in(found):
                    return found
        return None


def _properties_at(schema: dict[str, Any], at: str) -> set[str]:
    for part in filter(None, at.split(".")):
        schema = (schema.get("properties") or {}).get(part.removesuffix("[]")) or {}
        if part.endswith("[]"):
            schema = schema.get("items") or {}
    return set(schema.get("properties") or {})


def _concrete(template: str) -> str:
    """A path that matches `template` (each {param} replaced by a value) for the spec's own matcher."""
    return re.sub(r"\{\w+\}", "1", template)


def _where(parts: Any) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text
