"""A stateful fake of Katana MRP's REST API on loopback, for `make demo` and the tests.

Every request passes, in order: outage switch (503), rate limit (429), bearer auth (401), the published
spec (422, also recorded in `violations`), injected faults, then the handler. Every answer the model gives
is then checked against Katana's published responses (sandbox/openapi_responses.py): one the documents do
not allow is recorded in `server_errors`, which fails the test like a request violation does — a sandbox
that drifts from Katana would let a client pass here and fail against the real service. Behaviour and
shapes follow reference/katana/*.yaml and shared/docs/INTEGRATIONS.md; see katana_floor.py for the
production rules.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from . import katana_floor as floor
from .katana_adjustments import ADJUSTMENT_ROUTES
from .katana_http import VALIDATION_MESSAGE, ApiAnswer, KatanaError, qty, render
from .katana_reads import READ_ROUTES, ApiCall, Handler
from .katana_state import RESOURCE_PATHS, KatanaBooks
from .katana_trade import TRADE_ROUTES
from .katana_webhooks import WebhookSender, payload
from .katana_writes import WRITE_ROUTES, create_batch, register_webhook
from .openapi_check import SpecValidator
from .openapi_responses import ResponseChecker

log = logging.getLogger(__name__)
API_ROOT = "/v1"
REAL_API_ROOT = "https://api.katanamrp.com/v1"
RATE_WINDOW_S = 60.0
NOT_A_STATUS = ("created", "updated", "deleted")  # the verbs of events that do not announce a status change


@dataclass
class RecordedRequest:
    method: str
    path: str  # relative to /v1, e.g. "/manufacturing_orders/5"
    query: list[tuple[str, str]]
    body: Any
    status: int  # 0 while the request is still being answered
    at: float


@dataclass
class _Fault:
    remaining: int
    status: int
    method: str | None
    path_prefix: str
    apply_first: bool
    hang: float

    def matches(self, method: str, path: str) -> bool:
        return (self.method is None or self.method.upper() == method) and path.startswith(self.path_prefix)


class _Router:
    def __init__(self, routes: list[tuple[str, str, Handler]]) -> None:
        self._routes = []
        for method, template, handler in routes:
            parts = template.strip("/").split("/")
            pattern = "/" + "/".join("(?P<id>[^/]+)" if part == "{id}" else re.escape(part) for part in parts)
            self._routes.append((method, re.compile(pattern), handler))

    def find(self, method: str, path: str) -> tuple[Handler, dict[str, str]] | None:
        for route_method, pattern, handler in self._routes:
            found = pattern.fullmatch(path)
            if route_method == method and found:
                return handler, found.groupdict()
        return None


ROUTER = _Router([*READ_ROUTES, *WRITE_ROUTES, *TRADE_ROUTES, *ADJUSTMENT_ROUTES])


class FakeKatana(KatanaBooks):
    def __init__(self, *, api_key: str = "katana-sandbox-key", validator: SpecValidator | None = None,
                 rate_limit_per_minute: int | None = None, latency: float = 0.0,
                 clock: Callable[[], float] = time.time, seed: bool = True,
                 responses: ResponseChecker | None = None) -> None:
        super().__init__(clock)
        self.api_key = api_key
        self.validator = validator
        # with the request spec at hand, the answers are checked too (the portal spec lies beside it)
        self.responses = responses or (ResponseChecker.from_files() if validator is not None else None)
        self.rate_limit_per_minute = rate_limit_per_minute
        self.latency = latency
        self.base_url = ""
        self.requests: list[RecordedRequest] = []
        self.violations: list[str] = []
        # sandbox gaps (unmodelled endpoints) and handler crashes: not the client's fault, but visible
        self.server_errors: list[str] = []
        self._window: deque[float] = deque()
        self._faults: list[_Fault] = []
        self._down = False
        self._stopping = asyncio.Event()
        self._sender = WebhookSender()
        # Katana's docs: subscribed to both `<resource>.updated` and a status event, a status change "may"
        # arrive as two identical payloads. Which name they carry is not documented; with this on, both
        # say `.updated` — the copy a client that trusts event names gets wrong.
        self.identical_overlaps = False
        self._runner: web.AppRunner | None = None
        if seed:
            from .katana_seed import seed_kitchen  # late import: the seed builds on this module
            seed_kitchen(self)

    # --- lifecycle -----------------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        app = web.Application()
        app.router.add_route("*", API_ROOT + "/{tail:.*}", self._serve)
        self._stopping = asyncio.Event()
        self._runner = web.AppRunner(app, shutdown_timeout=1.0, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        bound_port = self._runner.addresses[0][1]
        self.base_url = f"http://{host}:{bound_port}{API_ROOT}"
        return self.base_url

    async def stop(self) -> None:
        self._stopping.set()  # wakes handlers parked by fail_next(hang=...)
        await self._sender.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # --- inspection ----------------------------------------------------------------------------

    def writes(self, path_prefix: str = "") -> list[RecordedRequest]:
        return [r for r in self.requests if r.method != "GET" and r.path.startswith(path_prefix)]

    @property
    def deliveries(self) -> list[dict]:
        return self._sender.deliveries

    # --- fault injection -----------------------------------------------------------------------

    def fail_next(self, n: int = 1, *, status: int = 500, method: str | None = None,
                  path_prefix: str = "", apply_first: bool = False, hang: float = 0.0) -> None:
        """The next n matching requests fail with `status`; with hang>0 the answer is delayed instead
        (and then given normally); apply_first books the write before answering with the error."""
        self._faults.append(_Fault(n, status, method, path_prefix, apply_first, hang))

    def go_down(self) -> None:
        self._down = True

    def come_up(self) -> None:
        self._down = False

    # --- request pipeline ----------------------------------------------------------------------

    async def _serve(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"].strip("/")
        raw = await request.read()
        body, parse_error = _parse_json(raw)
        record = RecordedRequest(request.method, path, list(request.query.items()), body, 0, self.clock())
        self.requests.append(record)
        if parse_error is not None:
            self.violations.append(f"{request.method} {path}: body is not valid JSON")
        if self.latency:
            await asyncio.sleep(self.latency)
        answer = await self._answer(request, record, parse_error)
        answer.headers.update(self._rate_headers())
        record.status = answer.status
        body = render(answer.body)
        if self.responses is not None and answer.modelled:
            self._check_answer(record, answer.status, body)
        text = None if body is None and answer.status == 204 else json.dumps(body, separators=(",", ":"))
        return web.Response(status=answer.status, text=text, headers=answer.headers,
                            content_type="application/json" if text is not None else None)

    def _check_answer(self, record: RecordedRequest, status: int, body: Any) -> None:
        found = self.responses.check(record.method, record.path, status, body)  # type: ignore[union-attr]
        self.server_errors.extend(f"response drift: {problem}" for problem in found)

    async def _answer(self, request: web.Request, record: RecordedRequest,
                      parse_error: ApiAnswer | None) -> ApiAnswer:
        if self._down:
            return _unmodelled(_error(KatanaError(503)))
        refusal = self._count_against_limit()
        if refusal is not None:
            return refusal
        if request.headers.get("Authorization") != f"Bearer {self.api_key}":
            return _error(KatanaError(401))
        problem = parse_error or self._spec_problem(record)
        if problem is not None:
            return _unmodelled(problem)
        fault = self._take_fault(record)
        if fault is not None and fault.hang > 0:
            await self._park(fault.hang)
            fault = None
        if fault is not None and not fault.apply_first:
            return _unmodelled(_fault_error(fault.status))
        answer = self._dispatch(record)
        return _unmodelled(_fault_error(fault.status)) if fault is not None else answer

    def _spec_problem(self, record: RecordedRequest) -> ApiAnswer | None:
        if self.validator is None:
            return None
        found = self.validator.check(record.method, record.path, record.query, record.body)
        if not found:
            return None
        prefix = f"{record.method} {record.path}"
        self.violations.extend(f"{prefix}: {violation}" for violation in found)
        details = [{"path": v.path or v.where, "code": v.code, "message": v.message} for v in found]
        return _error(KatanaError(422, VALIDATION_MESSAGE, code="VALIDATION_FAILED", details=details))

    def _dispatch(self, record: RecordedRequest) -> ApiAnswer:
        route = ROUTER.find(record.method, record.path)
        if route is None:
            message = f"the Katana sandbox does not model {record.method} {record.path}"
            self.server_errors.append(message)  # a gap in the sandbox, not the client's fault
            return _unmodelled(_error(KatanaError(404, message)))
        handler, params = route
        call = ApiCall(record.method, record.path, params, record.query, record.body)
        try:
            return handler(self, call)
        except KatanaError as refusal:
            return _error(refusal)
        except Exception as exc:  # a sandbox bug: answer like Katana's 500 and keep it visible
            log.exception("sandbox handler crashed on %s %s", record.method, record.path)
            self.server_errors.append(f"{record.method} {record.path}: {type(exc).__name__}: {exc}")
            return _unmodelled(_error(KatanaError(500)))

    def _take_fault(self, record: RecordedRequest) -> _Fault | None:
        for fault in self._faults:
            if fault.remaining > 0 and fault.matches(record.method, record.path):
                fault.remaining -= 1
                return fault
        return None

    async def _park(self, seconds: float) -> None:
        try:
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)
        except TimeoutError:
            pass

    # --- rate limit (sliding 60 s window) ---------------------------------------------------------
    # Every attempt counts, the ones answered 429 too (developer.katanamrp.com/reference/api-rate-limiting;
    # INTEGRATIONS.md): a client that retries a 429 at once keeps its window full.

    def _count_against_limit(self) -> ApiAnswer | None:
        if self.rate_limit_per_minute is None:
            return None
        now = self.clock()
        while self._window and self._window[0] <= now - RATE_WINDOW_S:
            self._window.popleft()
        self._window.append(now)
        if len(self._window) <= self.rate_limit_per_minute:
            return None
        # the window has room again once all but limit-1 of its attempts are a minute old
        freed_at = self._window[-self.rate_limit_per_minute] + RATE_WINDOW_S
        answer = _error(KatanaError(429))
        answer.headers["Retry-After"] = str(max(1, math.ceil(freed_at - now)))
        return answer

    def _rate_headers(self) -> dict[str, str]:
        if self.rate_limit_per_minute is None:
            return {}
        now = self.clock()
        live = [t for t in self._window if t > now - RATE_WINDOW_S]
        reset_at = (live[0] if live else now) + RATE_WINDOW_S
        return {"X-Ratelimit-Limit": str(self.rate_limit_per_minute),
                "X-Ratelimit-Remaining": str(max(0, self.rate_limit_per_minute - len(live))),
                "X-Ratelimit-Reset": str(int(reset_at * 1000))}

    # --- webhooks ------------------------------------------------------------------------------

    def emit(self, event: str, record: dict, status: str | None = None) -> None:
        resource = event.rsplit(".", 1)[0]
        root = self.base_url or REAL_API_ROOT
        href = f"{root}/{RESOURCE_PATHS[resource]}/{record['id']}" if resource in RESOURCE_PATHS else None
        for hook in list(self.webhooks.values()):
            if hook["enabled"] and event in hook["subscribed_events"]:
                action = self._sent_as(hook, event)
                body = payload(action, hook["id"], record["id"], status or record.get("status"), href)
                self._sender.send(hook, action, body)

    def _sent_as(self, hook: dict, event: str) -> str:
        """The name a delivery carries: a status event goes out as `.updated` to a hook that also has
        `.updated` (identical to that delivery) when `identical_overlaps` is on."""
        resource, verb = event.rsplit(".", 1)
        updated = f"{resource}.updated"
        if self.identical_overlaps and verb not in NOT_A_STATUS and updated in hook["subscribed_events"]:
            return updated
        return event

    def subscribe(self, url: str, events: list[str], token: str = "sandbox-webhook-token") -> dict:
        """Register a webhook like POST /webhooks would (without Katana's https-only rule)."""
        return self.snapshot(register_webhook(self, url, events, token))

    async def flush_webhooks(self) -> None:
        await self._sender.flush()

    async def redeliver_last(self, n: int = 1) -> None:
        await self._sender.redeliver(n, self.webhooks)

    # --- acting as a person in Katana's own web app ------------------------------------------------

    def create_manufacturing_order(self, *, variant_id: int, planned_quantity: Any,
                                   order_no: str | None = None, sales_order_id: int | None = None) -> dict:
        row_id = None
        if sales_order_id is not None:
            row_id = next((r["id"] for r in self.sales_order_rows.values()
                           if r["sales_order_id"] == sales_order_id and r["variant_id"] == variant_id), None)
        mo = floor.open_manufacturing_order(self, variant_id=variant_id, planned_quantity=planned_quantity,
                                            order_no=order_no, sales_order_id=sales_order_id,
                                            sales_order_row_id=row_id)
        if row_id is not None:
            self.sales_order_rows[row_id]["linked_manufacturing_order_id"] = mo["id"]
        return self.snapshot(mo)

    def complete_operation_in_app(self, row_id: int) -> dict:
        row = self.require(self.operation_rows, row_id)
        floor.change_row_status(self, row, "COMPLETED")
        self.touch(row)
        return self.snapshot(row)

    def reopen_operation_in_app(self, row_id: int) -> dict:
        """A person sets a completed step back to In progress in Katana's own app."""
        row = self.require(self.operation_rows, row_id)
        floor.change_row_status(self, row, "IN_PROGRESS")
        self.touch(row)
        return self.snapshot(row)

    def note_in_app(self, mo_id: int, text: str) -> dict:
        """A person adds a line to the order's additional info in Katana's own app."""
        mo = self.require(self.manufacturing_orders, mo_id)
        mo["additional_info"] = f"{mo.get('additional_info') or ''}\n{text}".strip()
        self.touch(mo)
        self.emit("manufacturing_order.updated", mo)
        return self.snapshot(mo)

    def finish_order_in_app(self, mo_id: int, actual_quantity: Any) -> dict:
        mo = self.require(self.manufacturing_orders, mo_id)
        if self.item_of_variant(mo["variant_id"]).get("batch_tracked") and not mo["batch_transactions"]:
            # The person in the app picks a batch when Katana asks for one; give the order its own.
            batch = create_batch(self, mo["variant_id"], f"B-{mo['order_no']}")
            mo["batch_transactions"] = [{"batch_id": batch["id"], "quantity": qty(actual_quantity)}]
        floor.finish_order(self, mo, actual_quantity, None, in_app=True)
        self.touch(mo)
        self.emit("manufacturing_order.updated", mo)
        return self.snapshot(mo)

    def delete_order_in_app(self, mo_id: int) -> dict:
        """A person deletes the order in Katana's own app: it and its operation and recipe rows answer 404
        from then on (DELETE /manufacturing_orders/{id} is documented; what it does to the rows is not: gone
        with it is the stricter reading)."""
        mo = self.require(self.manufacturing_orders, mo_id)
        now = self.now()
        for rows in (self.operation_rows, self.recipe_rows):
            for row in rows.values():
                if row["manufacturing_order_id"] == mo_id and not row.get("deleted_at"):
                    row["deleted_at"] = row["updated_at"] = now
        mo["deleted_at"] = mo["updated_at"] = now
        self.emit("manufacturing_order.deleted", mo)
        return self.snapshot(mo)


def _parse_json(raw: bytes) -> tuple[Any, ApiAnswer | None]:
    if not raw.strip():
        return None, None
    try:
        return json.loads(raw), None
    except ValueError as exc:
        return None, _error(KatanaError(400, f"Unexpected token in JSON: {exc}"))


def _error(refusal: KatanaError) -> ApiAnswer:
    return ApiAnswer(refusal.status, refusal.body())


def _unmodelled(answer: ApiAnswer) -> ApiAnswer:
    answer.modelled = False
    return answer


def _fault_error(status: int) -> ApiAnswer:
    answer = _error(KatanaError(status))
    if status == 429:
        answer.headers["Retry-After"] = "1"
    return answer
