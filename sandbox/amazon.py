"""A loopback stand-in for Login with Amazon and the two SP-API operations the alerts use.

Data and answers come from Amazon's own models in reference/amazon/ (the `x-amzn-api-sandbox` static
examples of fbaInventory and orders 2026-01-01). Two modes:

- `static`: behaves like Amazon's static sandbox — a request that carries an example's parameters gets that
  example's response verbatim (including `nextToken: "seed"`), anything else 400 InvalidInput.
- `stateful` (default): the same example summaries and orders as the starting state, which tests change
  (`set_fulfillable`, `add_order`); real paging with tokens that expire after 30 s (inventory).

Both check what Amazon checks: an LWA access token in `x-amz-access-token` (403 Unauthorized otherwise), a
`user-agent`, the query against the operation's model (names, required, types, enums: 400 InvalidInput), and
each operation's usage plan as the model's table states it (429 QuotaExceeded when a client goes faster than
rate/burst allow; a throttled request finds the bucket empty and takes nothing from it, as Amazon's token
bucket is described). `searchOrders` answers only the data sets `includedData` asks for. Errors use Amazon's
`{"errors": [{code, message, details}]}`. See sandbox/amazon_model.py: nothing here uses the client's code.
"""
from __future__ import annotations

import copy
import itertools
import json
import secrets
import time
from collections.abc import Callable
from typing import Any

from aiohttp import web

from sandbox.amazon_model import DataSets, ModelOperation
from sandbox.loopback import Fault, LoopbackServer, SeenRequest, take_fault
from sandbox.openapi_check import find_reference_dir

INVENTORY_PATH = "/fba/inventory/v1/summaries"
ORDERS_PATH = "/orders/2026-01-01/orders"
TOKEN_PATH = "/auth/o2/token"
INVENTORY_TOKEN_LIFETIME = 30.0
US_MARKETPLACE = "ATVPDKIKX0DER"  # the marketplace of the fbaInventory static example
OPERATIONS = {"getInventorySummaries": ModelOperation.of("fbaInventory.json", INVENTORY_PATH),
              "searchOrders": ModelOperation.of("orders_2026-01-01.json", ORDERS_PATH)}
ORDER_DATA_SETS = DataSets.of("orders_2026-01-01.json", ORDERS_PATH)


def static_examples(spec_file: str, path: str) -> list[dict[str, Any]]:
    """[{status, request: {parameters}, response}] for one GET operation, from Amazon's model."""
    spec = json.loads((find_reference_dir() / "amazon" / spec_file).read_text())
    found = []
    for status, answer in spec["paths"][path]["get"]["responses"].items():
        for example in (answer.get("x-amzn-api-sandbox") or {}).get("static", []):
            found.append({"status": int(status), **example})
    return found


def sp_error(code: str, message: str) -> dict[str, Any]:
    return {"errors": [{"code": code, "message": message, "details": ""}]}


class FakeAmazon:
    def __init__(self, *, mode: str = "stateful", client_id: str = "amzn1.application-oa2-client.sandbox",
                 client_secret: str = "amazon-sandbox-secret", refresh_token: str = "Atzr|sandbox-refresh",
                 page_size: int = 50, enforce_usage_plans: bool = True,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.mode, self.page_size, self.clock = mode, page_size, clock
        self.client_id, self.client_secret, self.refresh_token = client_id, client_secret, refresh_token
        self.enforce_usage_plans = enforce_usage_plans
        self.inventory_examples = static_examples("fbaInventory.static-sandbox.json", INVENTORY_PATH)
        self.order_examples = static_examples("orders_2026-01-01.json", ORDERS_PATH)
        self.summaries: dict[str, list[dict[str, Any]]] = {}  # by marketplace id
        self.orders: list[dict[str, Any]] = []
        self._seed()
        self.tokens_issued: list[str] = []
        self.revoked: set[str] = set()
        self.requests: list[SeenRequest] = []
        self.faults: list[Fault] = []
        self._page_tokens: dict[str, tuple[str, int, float]] = {}
        self._buckets: dict[str, tuple[float, float]] = {}
        self._seq = itertools.count(1)
        self._server = LoopbackServer()

    # --- lifecycle --------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return self._server.base_url

    @property
    def lwa_url(self) -> str:
        return self.base_url + TOKEN_PATH

    async def start(self) -> str:
        app = web.Application()
        app.router.add_post(TOKEN_PATH, self._token)
        app.router.add_get(INVENTORY_PATH, self._inventory)
        app.router.add_get(ORDERS_PATH, self._search_orders)
        return await self._server.serve(app)

    async def stop(self) -> None:
        await self._server.close()

    # --- what tests change --------------------------------------------------------------------------

    def sku(self, seller_sku: str, marketplace: str = US_MARKETPLACE) -> dict[str, Any]:
        return next(s for s in self.summaries[marketplace] if s["sellerSku"] == seller_sku)

    def set_fulfillable(self, seller_sku: str, quantity: int, *, inbound: int | None = None,
                        marketplace: str = US_MARKETPLACE) -> None:
        summary = self.sku(seller_sku, marketplace)
        details = summary["inventoryDetails"]
        details["fulfillableQuantity"] = quantity
        if inbound is not None:
            details["inboundWorkingQuantity"], details["inboundShippedQuantity"] = inbound, 0
            details["inboundReceivingQuantity"] = 0
        summary["totalQuantity"] = quantity + sum(details[k] for k in (
            "inboundWorkingQuantity", "inboundShippedQuantity", "inboundReceivingQuantity"))

    def add_order(self, *, seller_sku: str, quantity: int, created: str, marketplace: str = US_MARKETPLACE,
                  fulfilled_by: str = "AMAZON", status: str = "SHIPPED", cancelled: int = 0) -> dict[str, Any]:
        """A copy of the first example order, re-pointed at this SKU, marketplace and time; `cancelled` units
        of the item were cancelled before they shipped (the rest shipped)."""
        order = copy.deepcopy(self.order_examples[0]["response"]["orders"][0])
        order.update(orderId=f"111-{next(self._seq):07d}-0000000", createdTime=created, lastUpdatedTime=created)
        order["salesChannel"]["marketplaceId"] = marketplace
        order["fulfillment"].update(fulfillmentStatus=status, fulfilledBy=fulfilled_by)
        item = order["orderItems"][0]
        item["quantityOrdered"] = quantity
        item["product"]["sellerSku"] = seller_sku
        item["fulfillment"].update(quantityFulfilled=quantity - cancelled, quantityUnfulfilled=0)
        if cancelled:
            item["cancellation"] = {"cancellationRequest": {"requester": "BUYER", "cancelReason": "sandbox"},
                                    "cancellationExecution": {"cancelledBy": "MERCHANT", "cancelReason": "sandbox"}}
        order["orderItems"] = [item]
        self.orders.append(order)
        return order

    def revoke_tokens(self) -> None:
        self.revoked.update(self.tokens_issued)

    def fail_next(self, n: int = 1, *, status: int = 500, path_prefix: str = "") -> None:
        self.faults.append(Fault(status=status, remaining=n, path_prefix=path_prefix))

    def calls_to(self, path: str) -> list[SeenRequest]:
        return [r for r in self.requests if r.path == path]

    # --- LWA ----------------------------------------------------------------------------------------

    async def _token(self, request: web.Request) -> web.Response:
        form = dict(await request.post())
        self.requests.append(SeenRequest("POST", request.path, "", dict(request.headers),
                                         form={k: str(v) for k, v in form.items()}))
        expected = {"grant_type": "refresh_token", "refresh_token": self.refresh_token,
                    "client_id": self.client_id, "client_secret": self.client_secret}
        if form.get("client_id") != self.client_id or form.get("client_secret") != self.client_secret:
            return web.json_response({"error": "invalid_client",
                                      "error_description": "Client authentication failed"}, status=401)
        if {k: form.get(k) for k in expected} != expected:
            return web.json_response({"error": "invalid_grant",
                                      "error_description": "The request has an invalid grant parameter"}, status=400)
        token = f"Atza|sandbox-{secrets.token_urlsafe(12)}"
        self.tokens_issued.append(token)
        return web.json_response({"access_token": token, "refresh_token": self.refresh_token,
                                  "token_type": "bearer", "expires_in": 3600})

    # --- SP-API -------------------------------------------------------------------------------------

    async def _inventory(self, request: web.Request) -> web.Response:
        return self._answer(request, "getInventorySummaries", self._inventory_answer)

    async def _search_orders(self, request: web.Request) -> web.Response:
        return self._answer(request, "searchOrders", self._orders_answer)

    def _answer(self, request: web.Request, operation: str,
                handler: Callable[[dict[str, list[str]]], tuple[int, Any]]) -> web.Response:
        seen = SeenRequest("GET", request.path, request.rel_url.raw_query_string, dict(request.headers))
        self.requests.append(seen)
        status, body = (self._gate(request, operation) or self._faulted(request)
                        or self._invalid(request, operation) or handler(_query(request)))
        seen.status = status
        headers = {"x-amzn-RequestId": f"sandbox-{next(self._seq)}"}
        if status != 429:
            headers["x-amzn-RateLimit-Limit"] = _rate_text(OPERATIONS[operation].rate)
        return web.Response(status=status, text=json.dumps(body), content_type="application/json",
                            headers=headers)

    def _gate(self, request: web.Request, operation: str) -> tuple[int, Any] | None:
        token = request.headers.get("x-amz-access-token", "")
        if token not in self.tokens_issued or token in self.revoked:
            return 403, sp_error("Unauthorized", "Access to requested resource is denied.")
        if not request.headers.get("user-agent"):
            return 400, sp_error("InvalidInput", "A user-agent header is required")
        if self.enforce_usage_plans and not self._spend(operation):
            return 429, sp_error("QuotaExceeded", "You exceeded your quota for the requested resource.")
        return None

    def _faulted(self, request: web.Request) -> tuple[int, Any] | None:
        fault = take_fault(self.faults, request.path)
        if fault is None:
            return None
        code = "QuotaExceeded" if fault.status == 429 else "InternalFailure"
        return fault.status, sp_error(code, "sandbox fault")

    def _invalid(self, request: web.Request, operation: str) -> tuple[int, Any] | None:
        """A query the operation's model does not allow (in static mode Amazon's own examples come first)."""
        problems = OPERATIONS[operation].query_problems(list(request.query.items()))
        if not problems or self.mode == "static":
            return None
        return 400, sp_error("InvalidInput", "; ".join(problems))

    def _spend(self, operation: str) -> bool:
        rate, burst = OPERATIONS[operation].rate, OPERATIONS[operation].burst
        tokens, last = self._buckets.get(operation, (float(burst), self.clock()))
        now = self.clock()
        tokens = min(float(burst), tokens + (now - last) * rate)
        allowed = tokens >= 0.98  # clocks differ a little between the client and us
        self._buckets[operation] = (tokens - 1 if allowed else tokens, now)
        return allowed

    # inventory ----------------------------------------------------------------------------------

    def _inventory_answer(self, query: dict[str, list[str]]) -> tuple[int, Any]:
        if self.mode == "static":
            return self._static(self.inventory_examples, query)
        missing = [p for p in ("granularityType", "granularityId", "marketplaceIds") if not query.get(p)]
        if missing or query["granularityType"] != ["Marketplace"]:
            return 400, sp_error("InvalidInput", f"missing or invalid parameters: {', '.join(missing) or 'granularityType'}")
        marketplace = query["granularityId"][0]
        offset = 0
        if query.get("nextToken"):
            found = self._page_tokens.pop(query["nextToken"][0], None)
            if found is None or self.clock() - found[2] > INVENTORY_TOKEN_LIFETIME:
                return 400, sp_error("InvalidInput", "Invalid or expired nextToken")
            offset = found[1]
        rows = self.summaries.get(marketplace, [])
        body: dict[str, Any] = {"payload": {"granularity": {"granularityType": "Marketplace",
                                                            "granularityId": marketplace},
                                            "inventorySummaries": copy.deepcopy(rows[offset:offset + self.page_size])}}
        if offset + self.page_size < len(rows):
            token = secrets.token_urlsafe(16)
            self._page_tokens[token] = (marketplace, offset + self.page_size, self.clock())
            body = {"pagination": {"nextToken": token}, **body}
        return 200, body

    # orders ---------------------------------------------------------------------------------------

    def _orders_answer(self, query: dict[str, list[str]]) -> tuple[int, Any]:
        if self.mode == "static":
            return self._static(self.order_examples, query)
        if bool(query.get("createdAfter")) == bool(query.get("lastUpdatedAfter")):
            return 400, sp_error("InvalidInput", "Exactly one of createdAfter and lastUpdatedAfter is required")
        size = int((query.get("maxResultsPerPage") or ["100"])[0])
        if not 1 <= size <= 100:
            return 400, sp_error("InvalidInput", "maxResultsPerPage must be between 1 and 100")
        chosen = [o for o in self.orders if _order_matches(o, query)]
        offset = int(query["paginationToken"][0]) if query.get("paginationToken") else 0
        asked = set(query.get("includedData") or [])
        body: dict[str, Any] = {"orders": [ORDER_DATA_SETS.keep(o, asked) for o in chosen[offset:offset + size]]}
        if offset + size < len(chosen):
            body["pagination"] = {"nextToken": str(offset + size)}
        return 200, body

    def _static(self, examples: list[dict[str, Any]], query: dict[str, list[str]]) -> tuple[int, Any]:
        for example in examples:
            wanted = example["request"]["parameters"]
            if all(_as_list(spec["value"]) == query.get(name) for name, spec in wanted.items()):
                return example["status"], example["response"]
        return 400, sp_error("InvalidInput", "No static sandbox example matches these parameters")

    def _seed(self) -> None:
        for example in self.inventory_examples:
            if example["status"] == 200:
                payload = example["response"]["payload"]
                marketplace = payload["granularity"]["granularityId"]
                self.summaries[marketplace] = copy.deepcopy(payload["inventorySummaries"])
        for example in self.order_examples:
            if example["status"] == 200:
                self.orders.extend(copy.deepcopy(example["response"]["orders"]))


def _query(request: web.Request) -> dict[str, list[str]]:
    """Swagger-2 csv arrays: `marketplaceIds=A,B` → ["A", "B"]."""
    return {key: request.query.getone(key).split(",") for key in request.query}


def _rate_text(rate: float) -> str:
    return f"{rate:g}"


def _as_list(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return [("true" if v else "false") if isinstance(v, bool) else str(v) for v in values]


def _order_matches(order: dict[str, Any], query: dict[str, list[str]]) -> bool:
    fulfillment = order.get("fulfillment") or {}
    checks = [
        not query.get("marketplaceIds") or order["salesChannel"]["marketplaceId"] in query["marketplaceIds"],
        not query.get("fulfilledBy") or fulfillment.get("fulfilledBy") in query["fulfilledBy"],
        not query.get("fulfillmentStatuses") or fulfillment.get("fulfillmentStatus") in query["fulfillmentStatuses"],
        not query.get("createdAfter") or order["createdTime"] >= query["createdAfter"][0],
    ]
    return all(checks)
