"""A loopback stand-in for the Anthropic Messages API (POST /v1/messages), for tests and the demo.

It answers with the documented shapes: a message `{id, type: "message", role: "assistant", model,
content: [blocks], stop_reason, stop_sequence, usage}` and errors `{type: "error", error: {type,
message[, details]}, request_id}` with a `request-id` header. Tests queue what the next requests get
(`answer_with`, `fail_with`, the `rate_limited` / `overloaded` / `spend_limit` shortcuts); with nothing
queued every request gets `default_answer`. Each request body is recorded, and what the real API would
refuse (missing model or max_tokens, an image block that is not base64 of an accepted type, a
structured-output schema that is not an object schema) is answered 400 and listed in `violations`.
"""
from __future__ import annotations

import base64
import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from sandbox.loopback import LoopbackServer

IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})
API_KEY_HEADER = "x-api-key"


@dataclass
class Answer:
    status: int = 200
    body: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)


def slip_json(**fields: Any) -> dict[str, Any]:
    """A structured-output answer in the schema's shape; fields given as plain values get confidence 0.95."""
    def wrap(value: Any) -> dict[str, Any]:
        return value if isinstance(value, dict) and "confidence" in value else {"value": value, "confidence": 0.95}
    lines = [{k: wrap(line.get(k)) for k in ("sku", "description", "quantity", "unit", "lot", "expiry")}
             for line in fields.get("lines", [])]
    return {"supplier": wrap(fields.get("supplier")), "po_number": wrap(fields.get("po_number")),
            "slip_date": wrap(fields.get("slip_date")), "lines": lines}


class FakeAnthropic:
    def __init__(self, *, api_key: str = "sk-ant-sandbox", default_answer: dict[str, Any] | None = None) -> None:
        self.api_key = api_key
        self.default_answer = default_answer or slip_json(supplier="Sandbox Supplier Ltd", lines=[])
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.violations: list[str] = []
        self.queue: list[Answer] = []
        self.before_text: list[dict[str, Any]] = []  # blocks put before the text block (e.g. thinking)
        self._ids = itertools.count(1)
        self._server = LoopbackServer()

    @property
    def base_url(self) -> str:
        return self._server.base_url

    async def start(self) -> str:
        app = web.Application(client_max_size=32 * 1024 * 1024)
        app.router.add_post("/v1/messages", self._messages)
        return await self._server.serve(app)

    async def close(self) -> None:
        await self._server.close()

    async def __aenter__(self) -> FakeAnthropic:
        await self.start()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    # --- what the next requests get -------------------------------------------------------------------
    def answer_with(self, answer: dict[str, Any] | str, *, stop_reason: str = "end_turn") -> None:
        text = answer if isinstance(answer, str) else json.dumps(answer)
        self.queue.append(Answer(200, {"_text": text, "_stop_reason": stop_reason}))

    def fail_with(self, status: int, error_type: str, message: str, *, headers: dict[str, str] | None = None,
                  error_code: str | None = None) -> None:
        error: dict[str, Any] = {"type": error_type, "message": message}
        if error_code:
            error["details"] = {"error_code": error_code}
        self.queue.append(Answer(status, {"type": "error", "error": error}, headers or {}))

    def rate_limited(self, retry_after: float = 1.0) -> None:
        self.fail_with(429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit",
                       headers={"retry-after": f"{retry_after:g}"})

    def overloaded(self, times: int = 1) -> None:
        for _ in range(times):
            self.fail_with(529, "overloaded_error", "Overloaded")

    def spend_limit(self) -> None:
        """429 without retry-after: the organisation's monthly tier cap; retrying cannot succeed."""
        self.fail_with(429, "rate_limit_error", "Your organization has reached its monthly usage limit.",
                       error_code="enforced_spend_limit_reached")

    def gateway_page(self) -> None:
        """200 with an HTML page, as a captive proxy or a misrouted base URL answers: no Messages API shape at all."""
        self.queue.append(Answer(200, {"_html": "<html><body><h1>Gateway</h1>Sign in to continue</body></html>"}))

    def workspace_spend_limit(self) -> None:
        self.fail_with(400, "invalid_request_error", "You have reached your specified API usage limits. "
                       "You will regain access on 2026-01-01 at 00:00 UTC.")

    # --- the endpoint ---------------------------------------------------------------------------------
    async def _messages(self, request: web.Request) -> web.Response:
        request_id = f"req_sandbox_{next(self._ids):06d}"
        self.headers.append({k.lower(): v for k, v in request.headers.items()})
        try:
            body = await request.json()
        except ValueError:
            return self._error(400, "invalid_request_error", "body is not JSON", request_id)
        self.requests.append(body)
        if self.api_key not in (request.headers.get(API_KEY_HEADER), _bearer(request.headers.get("authorization"))):
            return self._error(401, "authentication_error", "invalid x-api-key", request_id)
        problems = check_request(body)
        if problems:
            self.violations += problems
            return self._error(400, "invalid_request_error", "; ".join(problems), request_id)
        answer = self.queue.pop(0) if self.queue else Answer(200, {"_text": json.dumps(self.default_answer),
                                                                   "_stop_reason": "end_turn"})
        if answer.status != 200:
            return web.json_response({**answer.body, "request_id": request_id}, status=answer.status,
                                     headers={"request-id": request_id, **answer.headers})
        if "_html" in answer.body:
            return web.Response(text=answer.body["_html"], content_type="text/html")
        return web.json_response(self._message(body, answer.body["_text"], answer.body["_stop_reason"]),
                                 headers={"request-id": request_id})

    def _message(self, request: dict[str, Any], text: str, stop_reason: str) -> dict[str, Any]:
        return {
            "id": f"msg_sandbox_{next(self._ids):06d}", "type": "message", "role": "assistant",
            "model": request["model"], "content": [*self.before_text, {"type": "text", "text": text}],
            "stop_reason": stop_reason, "stop_sequence": None,
            "usage": {"input_tokens": 1600, "output_tokens": max(1, len(text) // 4),
                      "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0},
        }

    @staticmethod
    def _error(status: int, error_type: str, message: str, request_id: str) -> web.Response:
        return web.json_response({"type": "error", "error": {"type": error_type, "message": message},
                                  "request_id": request_id}, status=status, headers={"request-id": request_id})

    # --- for assertions -------------------------------------------------------------------------------
    def images(self, index: int = -1) -> list[bytes]:
        """The decoded image blocks of a recorded request."""
        return [base64.b64decode(block["source"]["data"]) for block in _blocks(self.requests[index])
                if block.get("type") == "image"]

    def texts(self, index: int = -1) -> list[str]:
        return [block["text"] for block in _blocks(self.requests[index]) if block.get("type") == "text"]


def _bearer(header: str | None) -> str | None:
    """Current SDKs send the API key as `Authorization: Bearer …`, older ones as `x-api-key`; both work."""
    return header[7:] if header and header.startswith("Bearer ") else None


def _blocks(body: dict[str, Any]) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    for message in body.get("messages") or []:
        content = message.get("content")
        blocks += content if isinstance(content, list) else [{"type": "text", "text": content}]
    return blocks


def check_request(body: dict[str, Any]) -> list[str]:
    problems = []
    if not isinstance(body.get("model"), str) or not body["model"]:
        problems.append("model: field required")
    if not isinstance(body.get("max_tokens"), int) or body["max_tokens"] < 1:
        problems.append("max_tokens: field required")
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages or messages[0].get("role") != "user":
        problems.append("messages: must start with a user message")
    for block in _blocks(body):
        if block.get("type") == "image":
            source = block.get("source") or {}
            if source.get("type") != "base64" or source.get("media_type") not in IMAGE_TYPES:
                problems.append("image source: base64 with media_type image/jpeg|png|gif|webp required")
                continue
            try:
                base64.b64decode(source.get("data") or "", validate=True)
            except ValueError:
                problems.append("image source: data is not base64")
    fmt = (body.get("output_config") or {}).get("format")
    if fmt is not None and (fmt.get("type") != "json_schema" or (fmt.get("schema") or {}).get("type") != "object"):
        problems.append("output_config.format: a json_schema with an object schema required")
    return problems
