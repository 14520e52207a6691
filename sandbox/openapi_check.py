"""Check requests against Katana's published OpenAPI 3.0 spec (reference/katana/live-gateway.yaml).

The loopback sandbox and the tests use this so that a request the real Katana would reject (or silently
misread) fails loudly here instead of in production.
"""

from __future__ import annotations

import copy
import math
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft7Validator

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SPEC_FILE = Path("katana") / "live-gateway.yaml"

# Katana declares some query params as one JSON "object" param; on the wire they travel as separate
# keys. `pagination` is documented as limit/page; `dateFilter` as the created/updated min/max keys
# (readme-portal.yaml lists them under every operation that has a dateFilter).
EXPLODED_OBJECT_PARAMS: dict[str, dict[str, dict[str, Any]]] = {
    "pagination": {
        "limit": {"type": "integer", "minimum": 1},
        "page": {"type": "integer", "minimum": 1},
    },
    "dateFilter": {
        key: {"type": "string", "format": "iso8601"}
        for key in ("created_at_min", "created_at_max", "updated_at_min", "updated_at_max")
    },
}


@dataclass(frozen=True)
class Violation:
    """One way a request breaks the spec. `path` is AJV-style (".batch_transaction.batch_id")."""

    where: str  # "path", "method", "query", "body"
    path: str
    code: str
    message: str

    def __str__(self) -> str:
        location = f"{self.where}{self.path}" if self.path else self.where
        return f"{location}: {self.message}"


@dataclass
class _Route:
    template: str
    pattern: re.Pattern[str]
    literal_segments: int
    param_names: list[str]


def find_reference_dir() -> Path:
    """Where reference/ lives: env SHOPFLOOR_REFERENCE_DIR, else next to the repo, else /work/shared."""
    override = os.environ.get("SHOPFLOOR_REFERENCE_DIR")
    if override:
        path = Path(override)
        if not path.is_dir():
            raise FileNotFoundError(f"SHOPFLOOR_REFERENCE_DIR={override} is not a directory")
        return path
    repo_root = Path(__file__).resolve().parents[2]
    candidates = [repo_root.parent / "shared" / "reference", Path("/work/shared/reference")]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    tried = ", ".join(str(c) for c in candidates)
    raise FileNotFoundError(
        f"Katana/Slack reference specs not found (tried {tried}); set SHOPFLOOR_REFERENCE_DIR"
    )


def default_spec_path() -> Path:
    return find_reference_dir() / _SPEC_FILE


# --- schema conversion (OpenAPI 3.0 dialect -> JSON Schema draft 7) ---------------------------------


def _convert_schema(node: Any) -> Any:
    """Rewrite OpenAPI 3.0 quirks: `nullable`, boolean exclusiveMinimum/Maximum."""
    if isinstance(node, list):
        return [_convert_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    schema = {key: _convert_schema(value) for key, value in node.items()}
    for bound, exclusive in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
        if isinstance(schema.get(exclusive), bool) and schema.pop(exclusive) and bound in schema:
                schema[exclusive] = schema.pop(bound)
    if not schema.pop("nullable", False):
        return schema
    if isinstance(schema.get("type"), str):
        schema["type"] = [schema["type"], "null"]
        if "enum" in schema and None not in schema["enum"]:
            schema["enum"] = [*schema["enum"], None]
        return schema
    return {"anyOf": [schema, {"type": "null"}]}


# --- query coercion ---------------------------------------------------------------------------------


class _Uncoercible(ValueError):
    pass


def _coerce_scalar(raw: str, schema: dict[str, Any]) -> Any:
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if kind == "integer":
        if not re.fullmatch(r"-?\d+", raw):
            raise _Uncoercible(f"{raw!r} is not an integer")
        return int(raw)
    if kind == "number":
        try:
            value = float(raw)
        except ValueError:
            raise _Uncoercible(f"{raw!r} is not a number") from None
        if not math.isfinite(value):
            raise _Uncoercible(f"{raw!r} is not a finite number")
        return int(value) if value.is_integer() and "." not in raw and "e" not in raw.lower() else value
    if kind == "boolean":
        if raw not in ("true", "false"):
            raise _Uncoercible(f"{raw!r} is not a boolean (use true/false)")
        return raw == "true"
    if schema.get("format") == "iso8601":
        try:
            datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            raise _Uncoercible(f"{raw!r} is not an ISO 8601 date-time") from None
    return raw


class SpecValidator:
    """Validates (method, path, query, body) against one OpenAPI 3.0 document."""

    _cache: dict[Path, SpecValidator] = {}

    def __init__(self, spec: dict[str, Any]) -> None:
        self._paths: dict[str, dict[str, Any]] = spec.get("paths", {})
        schemas = spec.get("components", {}).get("schemas", {})
        self._components = {"schemas": _convert_schema(schemas)}
        self._routes = [self._compile(template) for template in self._paths]
        # Prefer literal segments: /sales_orders/search must not match /sales_orders/{id}.
        self._routes.sort(key=lambda route: -route.literal_segments)
        self._body_validators: dict[str, Draft7Validator] = {}

    @classmethod
    def from_file(cls, path: str | Path | None = None) -> SpecValidator:
        """Parse once per process: the YAML is large and every test builds a validator."""
        resolved = Path(path).resolve() if path else default_spec_path().resolve()
        if resolved not in cls._cache:
            with resolved.open("rb") as handle:
                cls._cache[resolved] = cls(yaml.load(handle, Loader=_LOADER))
        return cls._cache[resolved]

    # --- public API ---------------------------------------------------------------------------------

    def validate(
        self, method: str, path: str, query: list[tuple[str, str]], body: object | None
    ) -> list[str]:
        """Human-readable violations; empty when the request is what the spec allows."""
        prefix = f"{method.upper()} {path}"
        return [f"{prefix}: {violation}" for violation in self.check(method, path, query, body)]

    def check(
        self, method: str, path: str, query: list[tuple[str, str]], body: object | None
    ) -> list[Violation]:
        """Structured violations (the sandbox turns these into Katana's 422 `details`)."""
        match = self.match_path(path)
        if match is None:
            return [Violation("path", "", "unknownPath", f"no operation in the spec matches {path}")]
        template, path_params = match
        operation = self._paths[template].get(method.lower())
        if not isinstance(operation, dict):
            allowed = sorted(m.upper() for m in self._paths[template] if m != "parameters")
            return [
                Violation("method", "", "unknownMethod", f"{method.upper()} not defined for "
                          f"{template} (allowed: {', '.join(allowed)})")
            ]
        parameters = [*self._paths[template].get("parameters", []), *operation.get("parameters", [])]
        violations = self._check_path_params(parameters, path_params)
        violations += self._check_query(parameters, query)
        violations += self._check_body(template, method, operation.get("requestBody"), body)
        return violations

    def match_path(self, path: str) -> tuple[str, dict[str, str]] | None:
        """The spec template for a concrete path, with its path parameters."""
        clean = "/" + path.split("?", 1)[0].strip("/")
        for route in self._routes:
            found = route.pattern.fullmatch(clean)
            if found:
                return route.template, dict(zip(route.param_names, found.groups()))
        return None

    # --- internals ----------------------------------------------------------------------------------

    @staticmethod
    def _compile(template: str) -> _Route:
        parts, names, literals = [], [], 0
        for segment in template.strip("/").split("/"):
            param = re.fullmatch(r"\{(\w+)\}", segment)
            if param:
                names.append(param.group(1))
                parts.append("([^/]+)")
            else:
                literals += 1
                parts.append(re.escape(segment))
        return _Route(template, re.compile("/" + "/".join(parts)), literals, names)

    def _check_path_params(self, parameters: list[dict], values: dict[str, str]) -> list[Violation]:
        declared = {p["name"]: p for p in parameters if p.get("in") == "path"}
        violations = []
        for name, raw in values.items():
            schema = _convert_schema(declared.get(name, {}).get("schema", {"type": "string"}))
            violations += self._check_value("path", f".{name}", raw, schema)
        return violations

    def _query_schemas(self, parameters: list[dict]) -> dict[str, dict[str, Any]]:
        schemas: dict[str, dict[str, Any]] = {}
        for param in parameters:
            if param.get("in") != "query":
                continue
            if param["name"] in EXPLODED_OBJECT_PARAMS:
                schemas.update(EXPLODED_OBJECT_PARAMS[param["name"]])
            elif "schema" in param:
                schemas[param["name"]] = _convert_schema(param["schema"])
            else:  # a content-typed param we do not know how Katana explodes: accept it whole
                schemas[param["name"]] = {}
        return schemas

    def _check_query(self, parameters: list[dict], query: list[tuple[str, str]]) -> list[Violation]:
        schemas = self._query_schemas(parameters)
        grouped: dict[str, list[str]] = {}
        for key, value in query:
            grouped.setdefault(key, []).append(value)
        violations = []
        for name, values in grouped.items():
            if name not in schemas:
                known = ", ".join(sorted(schemas)) or "none"
                violations.append(Violation("query", f".{name}", "unknownParameter",
                                            f"unknown query parameter {name!r} (declared: {known})"))
                continue
            violations += self._check_query_values(name, values, schemas[name])
        required = [p["name"] for p in parameters if p.get("in") == "query" and p.get("required")]
        violations += [Violation("query", f".{name}", "required", f"query parameter {name!r} is required")
                       for name in required if name not in grouped]
        return violations

    def _check_query_values(self, name: str, values: list[str], schema: dict) -> list[Violation]:
        if schema.get("type") == "array":
            # Arrays travel as repeated keys (ids=1&ids=2), OpenAPI's default form/explode style.
            item_schema = schema.get("items", {})
            try:
                items = [_coerce_scalar(v, item_schema) for v in values]
            except _Uncoercible as exc:
                return [Violation("query", f".{name}", "type", str(exc))]
            return self._schema_errors("query", f".{name}", items, schema)
        if len(values) > 1:
            return [Violation("query", f".{name}", "type",
                              f"{name!r} is not an array but was given {len(values)} times")]
        return self._check_value("query", f".{name}", values[0], schema)

    def _check_value(self, where: str, path: str, raw: str, schema: dict) -> list[Violation]:
        try:
            value = _coerce_scalar(raw, schema)
        except _Uncoercible as exc:
            return [Violation(where, path, "type", str(exc))]
        return self._schema_errors(where, path, value, schema)

    def _schema_errors(self, where: str, path: str, value: Any, schema: dict) -> list[Violation]:
        plain = {k: v for k, v in schema.items() if k != "format"}
        return [Violation(where, path, str(error.validator), error.message)
                for error in Draft7Validator(plain).iter_errors(value)]

    def _check_body(self, template: str, method: str, request_body: dict | None,
                    body: object | None) -> list[Violation]:
        if request_body is None:
            if body is None:
                return []
            return [Violation("body", "", "unexpectedBody",
                              f"{method.upper()} {template} takes no request body")]
        if body is None:
            if request_body.get("required"):
                return [Violation("body", "", "required", "request body is required")]
            return []
        validator = self._body_validator(template, method, request_body)
        errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
        return [Violation("body", _ajv_path(error.absolute_path), str(error.validator), error.message)
                for error in errors]

    def _body_validator(self, template: str, method: str, request_body: dict) -> Draft7Validator:
        key = f"{method.upper()} {template}"
        if key not in self._body_validators:
            content = request_body.get("content", {})
            media = content.get("application/json") or next(iter(content.values()), {})
            schema = _convert_schema(copy.deepcopy(media.get("schema", {})))
            if "$ref" in schema:  # draft 7 ignores $ref siblings, so nest the ref
                schema = {"allOf": [schema]}
            self._body_validators[key] = Draft7Validator({**schema, "components": self._components})
        return self._body_validators[key]


def _ajv_path(parts: Any) -> str:
    """Katana (AJV) reports body paths like `.rows[0].quantity`."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text
